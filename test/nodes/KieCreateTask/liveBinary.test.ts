import type { IDataObject, INodeParameters, ResourceMapperValue } from 'n8n-workflow';

import { KieCreateTask } from '../../../nodes/KieCreateTask/KieCreateTask.node';
import { clearLiveModelCache, clearModelSchemaCache } from '../../../nodes/shared/api/catalogue';
import { makePng, sha256Hex, startSimulator, type LoggedRequest, type Simulator } from '../../../simulator';
import { runResourceMapping } from '../../support/loadOptions';
import { runWorkflow, type BinaryInput, type RunResult } from '../../support/harness';
import { credentialsFor, FAST, model, SIM_ACCOUNT } from '../setup';

/**
 * "Input Images From Binary" and "Mask From Binary" with a live model (not built in): the files go to the
 * field KIE's live schema gives for them, uploaded the same way as for a built-in model, checked before
 * anything is uploaded or paid for.
 */
let sim: Simulator;
beforeAll(async () => {
	sim = await startSimulator({ apiKey: SIM_ACCOUNT, genMs: 100 });
});
afterAll(async () => await sim.close());
beforeEach(() => {
	sim.reset();
	clearLiveModelCache();
	clearModelSchemaCache();
});

const PNG_A = makePng({ width: 24, height: 16, seed: 'a' });
const PNG_B = makePng({ width: 16, height: 24, seed: 'b' });
const MASK = makePng({ width: 24, height: 16, seed: 'mask' });
const png = (buffer: Buffer, fileName: string): BinaryInput => ({ buffer, fileName, mimeType: 'image/png' });

const uploads = () => sim.requestsFor('uploadStream');
const creates = () => sim.requestsFor('createTask');
const uploadedUrl = (request: LoggedRequest) => (request.response?.data as { downloadUrl: string }).downloadUrl;
const uploadedSha = (request: LoggedRequest) => (request.body as { file: { sha256: string } }).file.sha256;
const sentInput = (index = 0) => (creates()[index].body as { input: IDataObject }).input;

/** A "Model Input" value as the editor stores it: the fields it loaded and the values the user set. */
async function modelInput(modelId: string, value: ResourceMapperValue['value']): Promise<ResourceMapperValue> {
	const { fields } = await runResourceMapping(KieCreateTask, 'getModelInputFields', { credentials: credentialsFor(sim), parameters: { model: model(modelId, 'id') } });
	return { mappingMode: 'defineBelow', value, matchingColumns: [], schema: fields, attemptToConvertTypes: false, convertFieldsToString: false };
}

async function create(modelId: string, value: ResourceMapperValue['value'], options: INodeParameters, binary: Array<Record<string, BinaryInput>>): Promise<RunResult> {
	const parameters: INodeParameters = { model: model(modelId, 'id'), modelInput: await modelInput(modelId, value), options: { ...FAST, ...options } };
	return await runWorkflow({
		nodeTypes: [KieCreateTask],
		credentials: credentialsFor(sim),
		nodes: [{ name: 'KIE', type: 'kieCreateTask', parameters }],
		input: binary.map((entry) => ({ json: {}, binary: entry })),
		binaryMode: 'filesystem',
	});
}

/** An OpenAPI document as KIE serves one for a model, with `input` as given. */
function schemaDocument(modelId: string, title: string, input: IDataObject): IDataObject {
	return {
		openapi: '3.1.0',
		info: { title, version: '1.0.0' },
		paths: { '/api/v1/jobs/createTask': { post: { requestBody: { content: { 'application/json': { schema: { $ref: '#/components/schemas/Request' } } } } } } },
		components: {
			schemas: {
				Request: { type: 'object', properties: { model: { type: 'string', enum: [modelId] }, callBackUrl: { type: 'string', format: 'uri' }, input }, required: ['model', 'input'] },
			},
		},
	};
}

/** A Kling 3.0 Omni-like schema (as KIE's documents write it: URL lists without a format), served for acme/hyper-video-9. */
const OMNI_LIKE = schemaDocument('acme/hyper-video-9', 'Acme Hyper Video 9', {
	type: 'object',
	properties: {
		prompt: { type: 'string' },
		video_urls: { type: 'array', items: { type: 'string' }, maxItems: 1 },
		image_urls: { type: 'array', items: { type: 'string' }, maxItems: 2 },
	},
	required: ['prompt', 'video_urls'],
});

/** An inpainting model: an image and a mask, each one URL (format uri), served for acme/pixel-forge-3. */
const INPAINT = schemaDocument('acme/pixel-forge-3', 'Acme Pixel Forge 3 Inpaint', {
	type: 'object',
	properties: {
		prompt: { type: 'string' },
		image_url: { type: 'string', format: 'uri' },
		mask_url: { type: 'string', format: 'uri' },
	},
	required: ['prompt', 'image_url'],
});

describe('Create Task with a live model: input images from binary', () => {
	it('a list field (image_urls, format uri): uploads each file byte for byte and sends its URL after the URLs of "Model Input"', async () => {
		const run = await create(
			'acme/pixel-forge-3',
			{ prompt: 'a red fox', image_urls: 'https://example.com/given.png' },
			{ inputImagesFromBinary: 'data, data_1' },
			[{ data: png(PNG_A, 'a.png'), data_1: png(PNG_B, 'b.png') }],
		);
		expect(run.error?.message).toBeUndefined();
		expect(uploads().map((request) => request.path)).toEqual(['/api/file-stream-upload', '/api/file-stream-upload']);
		expect(uploads().map(uploadedSha)).toEqual([sha256Hex(PNG_A), sha256Hex(PNG_B)]);
		expect(creates()).toHaveLength(1);
		expect(creates()[0].body).toEqual({
			model: 'acme/pixel-forge-3',
			input: { prompt: 'a red fox', image_urls: ['https://example.com/given.png', uploadedUrl(uploads()[0]), uploadedUrl(uploads()[1])] },
		});
		// The uploads happen before the create.
		expect(uploads()[1].at).toBeLessThanOrEqual(creates()[0].at);
		expect(run.output('KIE')[0].json).toMatchObject({ model: 'acme/pixel-forge-3', state: 'success' });
	});

	it('a single-URL field (image_url of a oneOf variant): sends the uploaded URL as a string', async () => {
		const run = await create('acme/motion-blend-1', { prompt: 'waves', duration: '5' }, { inputImagesFromBinary: 'frame' }, [{ frame: png(PNG_A, 'frame.png') }]);
		expect(run.error?.message).toBeUndefined();
		expect(uploads()).toHaveLength(1);
		expect(creates()[0].body).toEqual({ model: 'acme/motion-blend-1', input: { prompt: 'waves', duration: '5', image_url: uploadedUrl(uploads()[0]) } });
	});

	it('a single-URL field takes one file in all: a second one (or a URL already given) is refused before anything is uploaded', async () => {
		const two = await create('acme/motion-blend-1', { prompt: 'waves' }, { inputImagesFromBinary: 'data, data_1' }, [{ data: png(PNG_A, 'a.png'), data_1: png(PNG_B, 'b.png') }]);
		expect(two.error?.message).toBe('Item 1: "Image URL" of acme/motion-blend-1 takes at most 1 file (got 2: 0 from "Image URL", 2 from "Input Images From Binary")');
		const given = await create('acme/motion-blend-1', { prompt: 'waves', image_url: 'https://example.com/a.png' }, { inputImagesFromBinary: 'data' }, [{ data: png(PNG_A, 'a.png') }]);
		expect(given.error?.message).toMatch(/takes at most 1 file \(got 2: 1 from "Image URL", 1 from "Input Images From Binary"\)/);
		expect(uploads()).toHaveLength(0);
		expect(creates()).toHaveLength(0);
	});

	it('the schema\'s limit on the list counts the URLs given and the files', async () => {
		const run = await create(
			'acme/pixel-forge-3',
			{ prompt: 'p', image_urls: 'https://e.com/1.png, https://e.com/2.png, https://e.com/3.png' },
			{ inputImagesFromBinary: 'data, data_1' },
			[{ data: png(PNG_A, 'a.png'), data_1: png(PNG_B, 'b.png') }],
		);
		expect(run.error?.message).toBe('Item 1: "Image URLs" of acme/pixel-forge-3 takes at most 4 files (got 5: 3 from "Image URLs", 2 from "Input Images From Binary")');
		expect(run.error?.description).toContain('Nothing was uploaded or sent to KIE.');
		expect(uploads()).toHaveLength(0);
		expect(creates()).toHaveLength(0);
	});

	it('a list field named …_urls without a format, next to a video field: the images go to image_urls, never to video_urls', async () => {
		sim.setModelSchema('acme/hyper-video-9', OMNI_LIKE);
		const run = await create('acme/hyper-video-9', { prompt: 'the fox runs', video_urls: 'https://example.com/fox.mp4' }, { inputImagesFromBinary: 'data' }, [{ data: png(PNG_A, 'a.png') }]);
		expect(run.error?.message).toBeUndefined();
		expect(creates()[0].body).toEqual({
			model: 'acme/hyper-video-9',
			input: { prompt: 'the fox runs', video_urls: ['https://example.com/fox.mp4'], image_urls: [uploadedUrl(uploads()[0])] },
		});
	});

	it('the same binary twice: uploaded twice, its URL sent twice in the order given', async () => {
		const run = await create('acme/pixel-forge-3', { prompt: 'twins' }, { inputImagesFromBinary: 'data, data' }, [{ data: png(PNG_A, 'a.png') }]);
		expect(run.error?.message).toBeUndefined();
		expect(uploads().map(uploadedSha)).toEqual([sha256Hex(PNG_A), sha256Hex(PNG_A)]);
		expect(sentInput().image_urls).toEqual([uploadedUrl(uploads()[0]), uploadedUrl(uploads()[1])]);
	});

	it('each item uploads its own files', async () => {
		const run = await create('acme/pixel-forge-3', { prompt: 'p' }, { inputImagesFromBinary: 'data' }, [{ data: png(PNG_A, 'a.png') }, { data: png(PNG_B, 'b.png') }]);
		expect(run.error?.message).toBeUndefined();
		expect(uploads().map(uploadedSha).sort()).toEqual([sha256Hex(PNG_A), sha256Hex(PNG_B)].sort());
		const sent = creates().map((request) => (request.body as { input: IDataObject }).input.image_urls as string[]);
		expect(sent.flat().sort()).toEqual(uploads().map(uploadedUrl).sort());
		expect(sent.every((urls) => urls.length === 1)).toBe(true);
	});

	it('checks the file\'s type (an image, as the option says) before uploading anything, naming the field', async () => {
		const run = await create('acme/pixel-forge-3', { prompt: 'p' }, { inputImagesFromBinary: 'data' }, [{ data: { buffer: Buffer.from('hello'), fileName: 'notes.txt', mimeType: 'text/plain' } }]);
		expect(run.error?.message).toBe('Item 1: "notes.txt" (binary property "data") is text/plain, but "Image URLs" of acme/pixel-forge-3 accepts image/*');
		expect(uploads()).toHaveLength(0);
		expect(creates()).toHaveLength(0);
	});

	it('a missing binary property is named, before anything is uploaded', async () => {
		const run = await create('acme/pixel-forge-3', { prompt: 'p' }, { inputImagesFromBinary: 'photo' }, [{ data: png(PNG_A, 'a.png') }]);
		expect(run.error?.message).toBe('Item 1: "Input Images From Binary" names binary property "photo", which the item does not have');
		expect(uploads()).toHaveLength(0);
	});

	it('validates the rest of the item with the files counted: a missing required field fails before any upload', async () => {
		const run = await create('acme/pixel-forge-3', { prompt: '={{ $json.missing }}' }, { inputImagesFromBinary: 'data' }, [{ data: png(PNG_A, 'a.png') }]);
		expect(run.error?.message).toBe('Item 1: "Prompt" (parameter "prompt") is required');
		expect(uploads()).toHaveLength(0);
		expect(creates()).toHaveLength(0);
	});

	it('a live model with no field for images: a clear error before anything is uploaded or paid for', async () => {
		// Only a video field takes files.
		sim.setModelSchema('acme/hyper-video-9', schemaDocument('acme/hyper-video-9', 'Acme Hyper Video 9', { type: 'object', properties: { prompt: { type: 'string' }, video_url: { type: 'string', format: 'uri' } }, required: ['prompt'] }));
		const run = await create('acme/hyper-video-9', { prompt: 'p' }, { inputImagesFromBinary: 'data' }, [{ data: png(PNG_A, 'a.png') }]);
		expect(run.error?.message).toBe('Item 1: KIE\'s schema of acme/hyper-video-9 has no field for input images, so "Input Images From Binary" cannot be used');
		expect(run.error?.description).toMatch(/^Its fields: prompt, video_url\. .*Upload File.* Nothing was uploaded or sent to KIE\.$/);
		expect(uploads()).toHaveLength(0);
		expect(creates()).toHaveLength(0);
	});

	it('a live model whose schema cannot be read when the node runs: says why, uploads and sends nothing', async () => {
		const parameters: INodeParameters = { model: model('acme/pixel-forge-3', 'id'), modelInput: await modelInput('acme/pixel-forge-3', { prompt: 'p' }), options: { ...FAST, inputImagesFromBinary: 'data' } };
		clearModelSchemaCache();
		sim.fault('modelSchema', 'code500');
		const run = await runWorkflow({
			nodeTypes: [KieCreateTask],
			credentials: credentialsFor(sim),
			nodes: [{ name: 'KIE', type: 'kieCreateTask', parameters }],
			input: [{ json: {}, binary: { data: png(PNG_A, 'a.png') } }],
			binaryMode: 'filesystem',
		});
		expect(run.error?.message).toBe('Item 1: "Input Images From Binary" needs KIE\'s schema of "acme/pixel-forge-3" to know which field takes the files, and there is none now');
		expect(run.error?.description).toMatch(/^KIE's schema of it could not be read \(.*\)\. Run again later, or upload the files with KIE Upload File .* Nothing was uploaded or sent to KIE\.$/);
		expect(uploads()).toHaveLength(0);
		expect(creates()).toHaveLength(0);
	});

	it('a live model KIE has not published a schema of: says so, uploads and sends nothing', async () => {
		const run = await runWorkflow({
			nodeTypes: [KieCreateTask],
			credentials: credentialsFor(sim),
			nodes: [{ name: 'KIE', type: 'kieCreateTask', parameters: { model: model('acme/voice-clone-2', 'id'), options: { ...FAST, maskFromBinary: 'mask', additionalInput: '{"text": "hi"}' } } }],
			input: [{ json: {}, binary: { mask: png(MASK, 'mask.png') } }],
			binaryMode: 'filesystem',
		});
		expect(run.error?.message).toBe('Item 1: "Mask From Binary" needs KIE\'s schema of "acme/voice-clone-2" to know which field takes the files, and there is none now');
		expect(run.error?.description).toMatch(/^KIE has not published a schema for this model yet \(its schema is null\)\. /);
		expect(uploads()).toHaveLength(0);
		expect(creates()).toHaveLength(0);
	});
});

describe('"Model Input" of a live model whose image field is required', () => {
	it('does not mark that field required in the editor (binary inputs may fill it); the run still requires it', async () => {
		sim.setModelSchema('acme/pixel-forge-3', INPAINT);
		const { fields } = await runResourceMapping(KieCreateTask, 'getModelInputFields', { credentials: credentialsFor(sim), parameters: { model: model('acme/pixel-forge-3', 'id') } });
		expect(fields.map((field) => [field.id, field.required])).toEqual([
			['prompt', true],
			['image_url', false],
			['mask_url', false],
		]);
		const run = await create('acme/pixel-forge-3', { prompt: 'p' }, {}, [{}]);
		expect(run.error?.message).toBe('Item 1: "Image URL" (parameter "image_url") is required');
		expect(creates()).toHaveLength(0);
	});
});

describe('Create Task with a live model: the mask from binary', () => {
	it('goes to the schema\'s mask field, the image to its image field', async () => {
		sim.setModelSchema('acme/pixel-forge-3', INPAINT);
		const run = await create('acme/pixel-forge-3', { prompt: 'replace the sky' }, { inputImagesFromBinary: 'photo', maskFromBinary: 'mask' }, [{ photo: png(PNG_A, 'photo.png'), mask: png(MASK, 'mask.png') }]);
		expect(run.error?.message).toBeUndefined();
		expect(uploads().map(uploadedSha)).toEqual([sha256Hex(PNG_A), sha256Hex(MASK)]);
		expect(creates()[0].body).toEqual({ model: 'acme/pixel-forge-3', input: { prompt: 'replace the sky', image_url: uploadedUrl(uploads()[0]), mask_url: uploadedUrl(uploads()[1]) } });
	});

	it('the same binary as image and mask: uploaded for each', async () => {
		sim.setModelSchema('acme/pixel-forge-3', INPAINT);
		const run = await create('acme/pixel-forge-3', { prompt: 'p' }, { inputImagesFromBinary: 'data', maskFromBinary: 'data' }, [{ data: png(PNG_A, 'a.png') }]);
		expect(run.error?.message).toBeUndefined();
		expect(uploads().map(uploadedSha)).toEqual([sha256Hex(PNG_A), sha256Hex(PNG_A)]);
		expect(sentInput()).toEqual({ prompt: 'p', image_url: uploadedUrl(uploads()[0]), mask_url: uploadedUrl(uploads()[1]) });
	});

	it('a required mask field: not required in the editor, filled from binary', async () => {
		const doc = schemaDocument('acme/pixel-forge-3', 'Acme Inpaint', { type: 'object', properties: { prompt: { type: 'string' }, image_url: { type: 'string', format: 'uri' }, mask_url: { type: 'string', format: 'uri' } }, required: ['prompt', 'image_url', 'mask_url'] });
		sim.setModelSchema('acme/pixel-forge-3', doc);
		const { fields } = await runResourceMapping(KieCreateTask, 'getModelInputFields', { credentials: credentialsFor(sim), parameters: { model: model('acme/pixel-forge-3', 'id') } });
		expect(fields.find((field) => field.id === 'mask_url')?.required).toBe(false);
		const run = await create('acme/pixel-forge-3', { prompt: 'p', image_url: 'https://e.com/a.png' }, { maskFromBinary: 'mask' }, [{ mask: png(MASK, 'mask.png') }]);
		expect(run.error?.message).toBeUndefined();
		expect(sentInput()).toEqual({ prompt: 'p', image_url: 'https://e.com/a.png', mask_url: uploadedUrl(uploads()[0]) });
	});

	it('a mask field that is a list gets a list of one', async () => {
		sim.setModelSchema('acme/pixel-forge-3', schemaDocument('acme/pixel-forge-3', 'Acme Masks', { type: 'object', properties: { prompt: { type: 'string' }, mask_urls: { type: 'array', items: { type: 'string', format: 'uri' } } }, required: ['prompt'] }));
		const run = await create('acme/pixel-forge-3', { prompt: 'p' }, { maskFromBinary: 'mask' }, [{ mask: png(MASK, 'mask.png') }]);
		expect(run.error?.message).toBeUndefined();
		expect(sentInput()).toEqual({ prompt: 'p', mask_urls: [uploadedUrl(uploads()[0])] });
	});

	it('a mask set in "Model Input" and from binary: refused, nothing uploaded', async () => {
		sim.setModelSchema('acme/pixel-forge-3', INPAINT);
		const run = await create('acme/pixel-forge-3', { prompt: 'p', image_url: 'https://e.com/a.png', mask_url: 'https://e.com/m.png' }, { maskFromBinary: 'mask' }, [{ mask: png(MASK, 'mask.png') }]);
		expect(run.error?.message).toBe('Item 1: "Mask URL" and "Mask From Binary" are both set');
		expect(uploads()).toHaveLength(0);
		expect(creates()).toHaveLength(0);
	});

	it('a live model without a mask field: a clear error before anything is uploaded or paid for', async () => {
		const run = await create('acme/pixel-forge-3', { prompt: 'p' }, { inputImagesFromBinary: 'data', maskFromBinary: 'mask' }, [{ data: png(PNG_A, 'a.png'), mask: png(MASK, 'mask.png') }]);
		expect(run.error?.message).toBe('Item 1: KIE\'s schema of acme/pixel-forge-3 has no mask field, so "Mask From Binary" cannot be used');
		expect(uploads()).toHaveLength(0);
		expect(creates()).toHaveLength(0);
	});
});
