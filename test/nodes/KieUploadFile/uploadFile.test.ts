import { createHash, randomBytes } from 'crypto';
import type { IExecuteFunctions, INodeExecutionData, INodeParameters, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { KieUploadFile } from '../../../nodes/KieUploadFile/KieUploadFile.node';
import { USER_AGENT } from '../../../nodes/shared/transport';
import { multipartFrame, toUploadResult, uploadBinary, UPLOAD_TTL_MS } from '../../../nodes/shared/api/upload';
import { makePng, startSimulator, type Simulator } from '../../../simulator';
import { binaryInput, runWorkflow, type BinaryMode, type InputItem, type RunResult } from '../../support/harness';
import { credentialsFor, SIM_ACCOUNT } from '../setup';

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/** Calls uploadBinary with options from its parameters: `accept`, `maxFileSizeMB` are not node parameters. */
class UploadProbe implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Upload Probe',
		name: 'uploadProbe',
		group: ['transform'],
		version: 1,
		description: 'test only',
		usableAsTool: true,
		defaults: { name: 'Upload Probe' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'kieApi', required: true }],
		properties: [
			{ displayName: 'Property', name: 'property', type: 'string', default: 'data' },
			{ displayName: 'Options', name: 'uploadOptions', type: 'json', default: '{}' },
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const out: INodeExecutionData[] = [];
		for (let i = 0; i < this.getInputData().length; i++) {
			const options = JSON.parse(this.getNodeParameter('uploadOptions', i) as string);
			const result = await uploadBinary.call(this, i, this.getNodeParameter('property', i) as string, options);
			out.push({ json: { ...result }, pairedItem: { item: i } });
		}
		return [out];
	}
}

let sim: Simulator;
beforeAll(async () => {
	sim = await startSimulator({ apiKey: SIM_ACCOUNT });
});
afterAll(async () => await sim.close());
beforeEach(() => sim.reset());

async function upload(
	parameters: INodeParameters,
	options: { input?: InputItem[]; binaryMode?: BinaryMode; continueOnFail?: boolean; apiKey?: string; type?: string } = {},
): Promise<RunResult> {
	return await runWorkflow({
		nodeTypes: [KieUploadFile, UploadProbe],
		credentials: credentialsFor(sim, options.apiKey),
		nodes: [{ name: 'KIE', type: options.type ?? 'kieUploadFile', parameters, continueOnFail: options.continueOnFail }],
		input: options.input ?? [{ json: {} }],
		binaryMode: options.binaryMode,
	});
}

const streamUploads = () => sim.requestsFor('uploadStream');

function expectUploaded(run: RunResult, original: Buffer, fileName: string, mimeType: string) {
	expect(run.error).toBeUndefined();
	expect(run.status).toBe('success');
	const [request] = streamUploads();
	const body = request.body as { fields: Record<string, string>; file: { name: string; size: number; sha256: string; mimeType: string } };
	expect(body.file).toEqual({ name: fileName, size: original.length, sha256: sha256(original), mimeType });
	expect(request.headers['user-agent']).toBe(USER_AGENT);
	expect(request.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
	expect(request.answerCode).toBe(200);
	const [item] = run.output('KIE');
	expect(item.pairedItem).toEqual({ item: 0 });
	const json = item.json as Record<string, string | number>;
	expect(json).toEqual({
		downloadUrl: expect.stringMatching(new RegExp(`^${sim.url}/files/uploads/`)),
		fileName: expect.any(String),
		filePath: expect.any(String),
		fileSize: original.length,
		mimeType,
		uploadedAt: expect.any(String),
		expiresAt: new Date(new Date(json.uploadedAt).getTime() + UPLOAD_TTL_MS).toISOString(),
	});
	return { request, body, item };
}

async function served(url: string): Promise<Buffer> {
	return Buffer.from(await (await fetch(url)).arrayBuffer());
}

describe('KIE Upload File: binary (multipart stream upload)', () => {
	it('uploads a PNG in default (in-memory) binary mode, byte for byte', async () => {
		const png = makePng({ width: 64, height: 48, seed: 'upload' });
		const run = await upload(
			{ source: 'binary' },
			{ input: [{ json: {}, binary: { data: binaryInput(png, 'photo.png', 'image/png') } }] },
		);
		const { request, body, item } = expectUploaded(run, png, 'photo.png', 'image/png');
		expect(body.fields).toEqual({ uploadPath: 'n8n/uploads', fileName: 'photo.png' });
		expect(item.json.fileName).toBe('photo.png');
		expect(item.binary).toBeUndefined();
		expect(Number(request.headers['content-length'])).toBeGreaterThan(png.length);
		expect((await served(item.json.downloadUrl as string)).equals(png)).toBe(true);
	});

	it('streams a 20 MB file from filesystem binary storage with an exact Content-Length', async () => {
		const bytes = randomBytes(20 * 1024 * 1024);
		const run = await upload(
			{ source: 'binary', binaryPropertyName: 'video', uploadPath: '/clips/in/', fileName: 'clip.mp4', options: { keepBinary: true } },
			{ binaryMode: 'filesystem', input: [{ json: {}, binary: { video: binaryInput(bytes, 'original.mp4', 'video/mp4') } }] },
		);
		const { request, body, item } = expectUploaded(run, bytes, 'clip.mp4', 'video/mp4');
		expect(body.fields).toEqual({ uploadPath: 'clips/in', fileName: 'clip.mp4' });
		expect(item.json.filePath).toBe('clips/in/clip.mp4');
		// The stream path: the binary lives on disk (it has an id) and the body is not chunked.
		expect(item.binary?.video.id).toEqual(expect.any(String));
		expect(request.headers['transfer-encoding']).toBeUndefined();
		const boundary = /boundary=(.+)$/.exec(request.headers['content-type']!)![1];
		const frame = multipartFrame(
			{ uploadPath: 'clips/in', fileName: 'clip.mp4' },
			{ fieldName: 'file', fileName: 'clip.mp4', mimeType: 'video/mp4' },
			boundary,
		);
		expect(Number(request.headers['content-length'])).toBe(frame.preamble.length + bytes.length + frame.epilogue.length);
		expect(sha256(await served(item.json.downloadUrl as string))).toBe(sha256(bytes));
		expect(sha256(await run.binaryBuffer(item, 'video'))).toBe(sha256(bytes));
	}, 60_000);

	it('uploads several items in order, each paired to its input', async () => {
		const files = [makePng({ seed: 'a' }), makePng({ seed: 'b' })];
		const run = await upload(
			{ source: 'binary' },
			{
				binaryMode: 'filesystem',
				input: files.map((png, index) => ({ json: {}, binary: { data: binaryInput(png, `f${index}.png`, 'image/png') } })),
			},
		);
		expect(run.status).toBe('success');
		const output = run.output('KIE');
		expect(output.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		expect(streamUploads().map((request) => (request.body as { file: { sha256: string } }).file.sha256)).toEqual(files.map(sha256));
	});

	it('a streamed upload refused with 455 is sent again from a fresh stream', async () => {
		const png = makePng({ seed: 'retry' });
		sim.fault('uploadStream', 'code455');
		const run = await upload(
			{ source: 'binary' },
			{ binaryMode: 'filesystem', input: [{ json: {}, binary: { data: binaryInput(png, 'r.png', 'image/png') } }] },
		);
		expect(run.status).toBe('success');
		expect(streamUploads().map((request) => request.answerCode)).toEqual([455, 200]);
		expect((streamUploads()[1].body as { file: { sha256: string } }).file.sha256).toBe(sha256(png));
	});

	it('a streamed upload that failed with 500 is not sent again, with a clear error', async () => {
		const png = makePng({ seed: 'err' });
		sim.fault('uploadStream', 'code500');
		const run = await upload(
			{ source: 'binary' },
			{ binaryMode: 'filesystem', input: [{ json: {}, binary: { data: binaryInput(png, 'r.png', 'image/png') } }] },
		);
		expect(run.status).toBe('error');
		expect(run.error?.message).toMatch(/^Item 1: KIE had a server error \(code 500\)/);
		expect(run.error?.description).toMatch(/Upload of binary property "data" \(r\.png\)/);
		expect(streamUploads()).toHaveLength(1);
	});

	it('a bad API key on the upload host is KIE code 401', async () => {
		const png = makePng({ seed: 'auth' });
		const run = await upload(
			{ source: 'binary' },
			{ apiKey: 'wrong-key', input: [{ json: {}, binary: { data: binaryInput(png, 'a.png', 'image/png') } }] },
		);
		expect(run.status).toBe('error');
		expect(run.error?.message).toMatch(/^Item 1: KIE rejected the API key \(code 401\)/);
		expect(run.error?.message).not.toContain('wrong-key');
	});
});

describe('KIE Upload File: URL and base64', () => {
	it('lets KIE download a URL', async () => {
		const csvUrl = `${sim.url}/samples/prompts.csv?rows=3`;
		const original = await served(csvUrl);
		const run = await upload({ source: 'url', fileUrl: csvUrl, fileName: 'prompts.csv', uploadPath: 'docs' });
		expect(run.status).toBe('success');
		const [request] = sim.requestsFor('uploadUrl');
		expect(request.body).toMatchObject({ fileUrl: csvUrl, uploadPath: 'docs', fileName: 'prompts.csv', file: { size: original.length, sha256: sha256(original) } });
		expect(request.headers['user-agent']).toBe(USER_AGENT);
		const [item] = run.output('KIE');
		expect(item.json).toMatchObject({ fileName: 'prompts.csv', filePath: 'docs/prompts.csv', fileSize: original.length });
		expect((await served(item.json.downloadUrl as string)).equals(original)).toBe(true);
	});

	it('uploads a base64 data URL', async () => {
		const png = makePng({ seed: 'b64' });
		const run = await upload({ source: 'base64', base64Data: `data:image/png;base64,${png.toString('base64')}` });
		expect(run.status).toBe('success');
		const [request] = sim.requestsFor('uploadBase64');
		expect(request.body).toMatchObject({ uploadPath: 'n8n/uploads', file: { size: png.length, sha256: sha256(png) } });
		expect(request.body).not.toHaveProperty('fileName');
		const [item] = run.output('KIE');
		expect(item.json).toMatchObject({ fileSize: png.length, mimeType: 'image/png', fileName: expect.stringMatching(/\.png$/) });
	});

	it('refuses base64 data over 10 MB before sending, pointing to binary mode', async () => {
		const run = await upload({ source: 'base64', base64Data: randomBytes(10 * 1024 * 1024 + 10).toString('base64') });
		expect(run.status).toBe('error');
		expect(run.error?.message).toMatch(/^Item 1: the base64 data is 10\.0 MB, more than the 10 MB KIE recommends/);
		expect(run.error?.description).toMatch(/Source "Binary"/);
		expect(sim.requests).toHaveLength(0);
	});

	it('refuses a URL that is not http(s) before sending', async () => {
		const run = await upload({ source: 'url', fileUrl: 'ftp://example.com/a.png' });
		expect(run.status).toBe('error');
		expect(run.error?.message).toMatch(/"File URL" must be a public http\(s\) URL/);
		expect(sim.requests).toHaveLength(0);
	});
});

describe('KIE Upload File: base64 checked in linear time, size first', () => {
	const elapsedMs = (started: number) => performance.now() - started;

	it('uploads valid base64 broken into lines (MIME style, CRLF), and sends it as it was given', async () => {
		const png = makePng({ seed: 'lines' });
		const lines = png.toString('base64').replace(/.{76}/g, '$&\r\n');
		const run = await upload({ source: 'base64', base64Data: `${lines}\n` });
		expect(run.error?.message).toBeUndefined();
		const [request] = sim.requestsFor('uploadBase64');
		expect(request.body).toMatchObject({ base64Data: `[base64 ${lines.trim().length} chars]`, file: { size: png.length, sha256: sha256(png) } });
		expect(run.output('KIE')[0].json).toMatchObject({ fileSize: png.length });
	});

	it('refuses 40,000 spaces and a "!" as not base64, at once', async () => {
		const started = performance.now();
		const run = await upload({ source: 'base64', base64Data: `A${' '.repeat(40_000)}!` });
		expect(elapsedMs(started)).toBeLessThan(1000);
		expect(run.error?.message).toBe('Item 1: "Base64 Data" is not valid base64');
		expect(sim.requests).toHaveLength(0);
	});

	it('refuses a 20 MB text by its length, before reading it', async () => {
		const started = performance.now();
		const run = await upload({ source: 'base64', base64Data: `${' '.repeat(20 * 1024 * 1024)}!` });
		expect(elapsedMs(started)).toBeLessThan(2000);
		expect(run.error?.message).toBe('Item 1: the base64 data is 15.0 MB, more than the 10 MB KIE recommends for base64 uploads');
		expect(run.error?.description).toMatch(/Source "Binary"/);
		expect(sim.requests).toHaveLength(0);
	});
});

describe('KIE Upload File: checks before anything is sent', () => {
	const png = makePng({ seed: 'checks' });
	const withPng = (name = 'image') => [{ json: {}, binary: { [name]: binaryInput(png, 'p.png', 'image/png') } }];

	it('a missing binary property lists the ones the item has', async () => {
		const run = await upload({ source: 'binary', binaryPropertyName: 'data' }, { input: withPng('image') });
		expect(run.status).toBe('error');
		expect(run.error?.message).toBe('Item 1: no binary property "data"');
		expect(run.error?.description).toMatch(/binary properties "image". Set "Binary Property" to one of them/);
		expect(sim.requests).toHaveLength(0);
	});

	it('an item without binary data says how to get some', async () => {
		const run = await upload({ source: 'binary' });
		expect(run.error?.description).toMatch(/The item has no binary data/);
	});

	it('continueOnFail turns a failed item into an error item and uploads the others', async () => {
		const run = await upload(
			{ source: 'binary' },
			{ continueOnFail: true, input: [{ json: {} }, { json: {}, binary: { data: binaryInput(png, 'p.png', 'image/png') } }] },
		);
		expect(run.status).toBe('success');
		const [bad, good] = run.output('KIE');
		expect(bad).toMatchObject({ json: { error: 'Item 1: no binary property "data"' }, pairedItem: { item: 0 } });
		expect(good).toMatchObject({ json: { fileSize: png.length }, pairedItem: { item: 1 } });
	});

	it.each<BinaryMode>(['default', 'filesystem'])('a type the target does not take (%s mode)', async (binaryMode) => {
		const run = await upload(
			{ property: 'image', uploadOptions: JSON.stringify({ accept: ['image/jpeg', 'image/webp'], purpose: '"Input URLs" of some/model' }) },
			{ type: 'uploadProbe', binaryMode, input: withPng('image') },
		);
		expect(run.status).toBe('error');
		expect(run.error?.message).toBe(
			'Item 1 ("Input URLs" of some/model): binary property "image" (p.png) is of type image/png, which the target does not take',
		);
		expect(run.error?.description).toMatch(/^Allowed types: image\/jpeg, image\/webp\./);
		expect(sim.requests).toHaveLength(0);
	});

	it.each<BinaryMode>(['default', 'filesystem'])('a file larger than the limit (%s mode)', async (binaryMode) => {
		const big = randomBytes(2 * 1024 * 1024 + 1);
		const run = await upload(
			{ property: 'data', uploadOptions: JSON.stringify({ accept: ['image/*'], maxFileSizeMB: 2 }) },
			{ type: 'uploadProbe', binaryMode, input: [{ json: {}, binary: { data: binaryInput(big, 'big.png', 'image/png') } }] },
		);
		expect(run.status).toBe('error');
		expect(run.error?.message).toBe('Item 1: binary property "data" (big.png) is 2.0 MB, more than the limit of 2 MB');
		expect(sim.requests).toHaveLength(0);
	});

	it('an accepted file within the limit goes through uploadBinary without a fileName field', async () => {
		const run = await upload(
			{ property: 'data', uploadOptions: JSON.stringify({ accept: ['image/*'], maxFileSizeMB: 2, uploadPath: 'kie/in' }) },
			{ type: 'uploadProbe', binaryMode: 'filesystem', input: withPng('data') },
		);
		expect(run.status).toBe('success');
		expect((streamUploads()[0].body as { fields: unknown }).fields).toEqual({ uploadPath: 'kie/in' });
		expect(run.output('KIE')[0].json.fileName).toMatch(/\.png$/);
	});
});

describe('toUploadResult', () => {
	it('reads the older fileUrl shape', () => {
		expect(
			toUploadResult({ fileUrl: 'https://x/y.png', originalName: 'y.png', uploadTime: '2026-01-01T00:00:00Z', fileSize: '12' }),
		).toEqual({
			downloadUrl: 'https://x/y.png',
			fileName: 'y.png',
			filePath: '',
			fileSize: 12,
			mimeType: '',
			uploadedAt: '2026-01-01T00:00:00.000Z',
			expiresAt: '2026-01-02T00:00:00.000Z',
		});
		expect(toUploadResult({})).toBeUndefined();
	});
});
