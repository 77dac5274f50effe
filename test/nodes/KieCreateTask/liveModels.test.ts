import type { IDataObject, INodeParameters, ResourceMapperField, ResourceMapperValue } from 'n8n-workflow';

import { KieCreateTask } from '../../../nodes/KieCreateTask/KieCreateTask.node';
import { clearLiveModelCache, clearModelSchemaCache } from '../../../nodes/shared/api/catalogue';
import { startSimulator, type Simulator } from '../../../simulator';
import { runResourceMapping } from '../../support/loadOptions';
import { credentialsFor, FAST, model, runNode, warningsOf } from '../setup';

/**
 * Models that are not built in get typed fields from KIE's live schema ("Model Input", a resource mapper),
 * validated before anything is paid for; built-in models get a warning when KIE's schema drifted.
 */
let sim: Simulator;
beforeAll(async () => {
	sim = await startSimulator({ apiKey: 'simulator account 01', genMs: 150 });
});
afterAll(async () => await sim.close());
beforeEach(() => {
	sim.reset();
	clearLiveModelCache();
});

const creates = () => sim.requestsFor('createTask');
const schemaReads = () => sim.requestsFor('modelSchema');
const fieldsOf = async (modelId: string) =>
	await runResourceMapping(KieCreateTask, 'getModelInputFields', { credentials: credentialsFor(sim), parameters: { model: model(modelId) } });

/** A "Model Input" value as the editor stores it: the loaded fields and the values the user set. */
async function modelInput(modelId: string, value: ResourceMapperValue['value']): Promise<ResourceMapperValue> {
	const { fields } = await fieldsOf(modelId);
	return { mappingMode: 'defineBelow', value, matchingColumns: [], schema: fields, attemptToConvertTypes: false, convertFieldsToString: false };
}

describe('"Model Input": the fields of a model that is not built in, from KIE\'s live schema', () => {
	it('starts with what the user set for a built-in model: prompt, aspect ratio, input URLs, seed… in the fields of the same name', async () => {
		const { fields } = await runResourceMapping(KieCreateTask, 'getModelInputFields', {
			credentials: credentialsFor(sim),
			parameters: {
				model: model('acme/pixel-forge-3'),
				// Kept by their notices while the live model is picked (see properties.ts).
				prompt: 'a red fox in the snow',
				aspectRatio: '16:9',
				numImages: 2,
				seed: '42',
				inputUrls: 'https://example.com/a.png, https://example.com/b.png',
				quality: 'high', // no such field: nothing
			},
		});
		const byId = Object.fromEntries(fields.map((field) => [field.id, field])) as Record<string, ResourceMapperField>;
		expect(byId.prompt).toMatchObject({ defaultValue: 'a red fox in the snow', removed: false });
		expect(byId.aspect_ratio).toMatchObject({ defaultValue: '16:9', removed: false });
		// Its own spelling: the live field takes the string "2".
		expect(byId.num_images).toMatchObject({ defaultValue: '2', removed: false });
		expect(byId.seed).toMatchObject({ defaultValue: 42, removed: false });
		expect(byId.image_urls).toMatchObject({ defaultValue: 'https://example.com/a.png, https://example.com/b.png', removed: false });
		expect(Object.keys(byId)).not.toContain('quality');
	});

	it('leaves a field at its own default when the kept value does not fit it, is "Default", or is not set; an expression goes in as it is', async () => {
		const { fields } = await runResourceMapping(KieCreateTask, 'getModelInputFields', {
			credentials: credentialsFor(sim),
			parameters: { model: model('acme/pixel-forge-3'), prompt: '={{ $json.prompt }}', aspectRatio: '4:3', numImages: '', seed: 'abc' },
		});
		const byId = Object.fromEntries(fields.map((field) => [field.id, field])) as Record<string, ResourceMapperField>;
		expect(byId.prompt.defaultValue).toBe('={{ $json.prompt }}');
		expect(byId.aspect_ratio.defaultValue).toBe('1:1'); // the schema's default: 4:3 is not one of its values
		expect(byId.num_images.defaultValue).toBe('1');
		expect(byId.seed.defaultValue).toBeUndefined();
		expect(byId.seed.removed).toBe(true);
	});

	it('one field per input property: type, allowed values as options, default, required marker', async () => {
		const { fields, emptyFieldsNotice } = await fieldsOf('acme/pixel-forge-3');
		expect(emptyFieldsNotice).toBeUndefined();
		const byId = Object.fromEntries(fields.map((field) => [field.id, field])) as Record<string, ResourceMapperField>;
		expect(Object.keys(byId)).toEqual(expect.arrayContaining(['prompt', 'aspect_ratio', 'num_images', 'seed', 'enhance_prompt', 'image_urls', 'style']));
		expect(byId.prompt).toMatchObject({ displayName: 'Prompt', type: 'string', required: true });
		// A string enum of numbers stays strings; a property behind a $ref keeps its values.
		expect(byId.num_images).toMatchObject({ type: 'options', defaultValue: '1', required: false });
		expect(byId.num_images.options!.map((option) => option.value)).toEqual(['1', '2', '4']);
		expect(byId.style.options!.map((option) => option.value)).toEqual(['photo', 'illustration', '3d']);
		expect(byId.seed).toMatchObject({ type: 'number', removed: true });
		expect(byId.enhance_prompt).toMatchObject({ type: 'boolean', defaultValue: true });
	});

	it('unites the variants of a oneOf input: a field is required only where every variant requires it', async () => {
		const { fields } = await fieldsOf('acme/motion-blend-1');
		expect(fields.filter((field) => field.required).map((field) => field.id)).toEqual(['prompt']);
		expect(fields.map((field) => field.id)).toEqual(expect.arrayContaining(['prompt', 'image_url', 'duration']));
		expect(fields.find((field) => field.id === 'duration')!.options!.map((option) => option.value)).toEqual(['5', '10']);
	});

	it('says why there are no fields when KIE\'s schema is null, and for a built-in model', async () => {
		expect(await fieldsOf('acme/hyper-video-9')).toEqual({
			fields: [],
			emptyFieldsNotice: 'KIE has not published a schema for this model yet (its schema is null) (acme/hyper-video-9). Give the model\'s input in Options → Additional Input (JSON) instead.',
		});
		expect((await fieldsOf('gpt-image/1.5-text-to-image')).emptyFieldsNotice).toContain('is built into this node');
	});

	it('says why when the schema cannot be read, without failing the editor', async () => {
		sim.fault('modelSchema', 'code500');
		const answer = await fieldsOf('acme/pixel-forge-3');
		expect(answer.fields).toEqual([]);
		expect(answer.emptyFieldsNotice).toMatch(/^KIE's schema of acme\/pixel-forge-3 could not be read \(/);
	});

	it('reads each model\'s schema once an hour per process: the editor\'s next loads come from the cache', async () => {
		await fieldsOf('acme/pixel-forge-3');
		await fieldsOf('acme/pixel-forge-3');
		await fieldsOf('acme/motion-blend-1');
		expect(schemaReads().map((request) => request.path)).toEqual(['/api/v1/models/acme/pixel-forge-3/schema', '/api/v1/models/acme/motion-blend-1/schema']);
	});
});

describe('KIE Create Task with a live model: validated from the live schema before anything is paid for', () => {
	const run = async (modelId: string, value: ResourceMapperValue['value'], extra: INodeParameters = {}, input?: Array<{ json: IDataObject }>) => {
		const options = { ...FAST, ...((extra.options as INodeParameters) ?? {}) } as INodeParameters;
		const parameters: INodeParameters = { model: model(modelId), modelInput: await modelInput(modelId, value), options };
		return await runNode(sim, 'kieCreateTask', parameters, { input });
	};

	it('sends exactly the fields set, typed as KIE\'s schema says (a list split, string enums kept as strings)', async () => {
		const result = await run('acme/pixel-forge-3', { prompt: 'a red fox', num_images: '2', aspect_ratio: '16:9', image_urls: 'https://example.com/a.png, https://example.com/b.png', seed: 7, enhance_prompt: null });
		expect(result.error?.message).toBeUndefined();
		expect(creates().map((request) => request.body)).toEqual([
			{ model: 'acme/pixel-forge-3', input: { prompt: 'a red fox', aspect_ratio: '16:9', num_images: '2', seed: 7, image_urls: ['https://example.com/a.png', 'https://example.com/b.png'] } },
		]);
		expect(result.output('KIE')[0].json).toMatchObject({ model: 'acme/pixel-forge-3', state: 'success' });
	});

	it('refuses a value the schema does not allow, and a missing required field, in the built-in models\' error format, sending nothing', async () => {
		// Values from expressions (a spreadsheet column, an earlier node) are only known when the node runs.
		const result = await run('acme/pixel-forge-3', { prompt: '={{ $json.missing }}', num_images: '={{ "3" }}', style: '={{ "oil" }}' });
		expect(result.error?.message).toBe('Item 1: "Prompt" (parameter "prompt") is required');
		expect(result.error?.description).toBe(
			'Model acme/pixel-forge-3. Nothing was sent to KIE. Also: "Num Images" (parameter "num_images") must be one of 1, 2, 4 (got "3"); "Style" (parameter "style") must be one of photo, illustration, 3d (got "oil").',
		);
		expect(creates()).toHaveLength(0);
	});

	it('a fixed value outside the stored fields\' options is refused by n8n itself before the node runs', async () => {
		await expect(run('acme/pixel-forge-3', { prompt: 'a fox', num_images: '3' })).rejects.toThrow(/'num_images' expects one of the following values: \[1, 2, 4\] but we got '3'/);
		expect(creates()).toHaveLength(0);
	});

	it('merges Additional Input (JSON), validated the same way', async () => {
		const refused = await run('acme/pixel-forge-3', { prompt: 'a fox' }, { options: { additionalInput: '{"num_images": 4}' } });
		expect(refused.error?.message).toBe('Item 1: "Num Images" (parameter "num_images") must be one of 1, 2, 4 (got 4)');
		const sent = await run('acme/pixel-forge-3', { prompt: 'a fox' }, { options: { additionalInput: '{"num_images": "4"}' } });
		expect(sent.error?.message).toBeUndefined();
		expect((creates()[0].body as { input: IDataObject }).input).toMatchObject({ prompt: 'a fox', num_images: '4' });
	});

	it('runs a oneOf model with the fields of one variant', async () => {
		const result = await run('acme/motion-blend-1', { prompt: 'waves', image_url: 'https://example.com/a.png', duration: '10' });
		expect(result.error?.message).toBeUndefined();
		expect(creates()[0].body).toEqual({ model: 'acme/motion-blend-1', input: { prompt: 'waves', image_url: 'https://example.com/a.png', duration: '10' } });
	});

	it('reads the schema once for a whole batch, through the catalogue lane', async () => {
		const result = await run('acme/pixel-forge-3', { prompt: '={{ $json.prompt }}' }, {}, [1, 2, 3, 4, 5].map((n) => ({ json: { prompt: `fox ${n}` } })));
		expect(result.error?.message).toBeUndefined();
		expect(creates()).toHaveLength(5);
		// The editor's read (modelInput above) and the run share the process cache: one read in all.
		expect(schemaReads()).toHaveLength(1);
	});

	it('validates against the fields the editor stored when KIE\'s schema cannot be read at run time', async () => {
		const parameters = { model: model('acme/pixel-forge-3'), modelInput: await modelInput('acme/pixel-forge-3', { prompt: 'a fox', num_images: '={{ "3" }}' }), options: FAST };
		clearLiveModelCache();
		clearModelSchemaCache();
		sim.fault('modelSchema', 'code500');
		const result = await runNode(sim, 'kieCreateTask', parameters);
		expect(result.error?.message).toBe('Item 1: "Num Images" (parameter "num_images") must be one of 1, 2, 4 (got "3")');
		expect(creates()).toHaveLength(0);
	});

	it('without a schema (null) and without Additional Input, says why before anything is sent', async () => {
		const result = await runNode(sim, 'kieCreateTask', { model: model('acme/hyper-video-9'), options: FAST });
		expect(result.error?.message).toBe('Item 1: Model "acme/hyper-video-9" is not built in and KIE gives no input fields for it, so its input must come from "Additional Input (JSON)"');
		expect(result.error?.description).toMatch(/^KIE has not published a schema for this model yet \(its schema is null\)\. Add Options → Additional Input \(JSON\)/);
		expect(creates()).toHaveLength(0);
	});
});

describe('KIE Create Task with a built-in model: a warning when KIE\'s live schema drifted', () => {
	/** KIE's schema of GPT Image 1.5 drifted: 3:2 dropped from aspect_ratio, a new required safety_level. */
	const drift = (doc: IDataObject) => {
		const visit = (node: unknown) => {
			if (!node || typeof node !== 'object') return;
			const schema = node as IDataObject;
			const properties = schema.properties as Record<string, IDataObject> | undefined;
			if (properties?.aspect_ratio) {
				properties.aspect_ratio = { ...properties.aspect_ratio, enum: ['1:1', '2:3'] };
				properties.safety_level = { type: 'string', enum: ['low', 'high'] };
				schema.required = [...((schema.required as string[]) ?? []), 'safety_level'];
				return;
			}
			for (const value of Object.values(schema)) visit(value);
		};
		visit(doc);
		return doc;
	};

	it('sends the task the registry considers valid, and says in an execution hint which field drifted', async () => {
		sim.setModelSchema('gpt-image/1.5-text-to-image', drift);
		const result = await runNode(sim, 'kieCreateTask', { model: model('gpt-image/1.5-text-to-image'), prompt: 'a fox', aspectRatio: '3:2', options: FAST });
		expect(result.status).toBe('success');
		expect(creates()).toHaveLength(1);
		const hints = warningsOf(result);
		expect(hints).toEqual([
			'GPT Image 1.5 · Text to Image (gpt-image/1.5-text-to-image), item 1: KIE\'s schema no longer lists "3:2" for "aspect_ratio" (it lists "1:1", "2:3").',
			'GPT Image 1.5 · Text to Image (gpt-image/1.5-text-to-image), item 1: KIE\'s schema now requires "safety_level", which this node does not know: set it in Options → Additional Input (JSON) if KIE refuses the task.',
		]);
	});

	it('says when KIE\'s live list, known to this process anyway, no longer lists a built-in model; sends its task all the same', async () => {
		sim.setModelListed('gpt-image/1.5-text-to-image', false);
		// A run with a live model reads KIE's list (the editor's model picker does too).
		const live = await runNode(sim, 'kieCreateTask', { model: model('acme/pixel-forge-3'), modelInput: await modelInput('acme/pixel-forge-3', { prompt: 'a red fox' }), options: FAST });
		expect(live.status).toBe('success');
		const listReads = () => sim.requests.filter((request) => request.path === '/api/v1/models').length;
		expect(listReads()).toBe(1);
		const gpt = await runNode(sim, 'kieCreateTask', { model: model('gpt-image/1.5-text-to-image'), prompt: 'a fox', options: FAST });
		expect(gpt.status).toBe('success');
		expect(creates()).toHaveLength(2);
		expect(warningsOf(gpt)).toEqual([
			'GPT Image 1.5 · Text to Image (gpt-image/1.5-text-to-image) is no longer in KIE\'s live model list: KIE may have paused, retired or renamed it. The task is sent as before; if KIE refuses it, pick its successor in "Model".',
		]);
		// The list is never read just for this.
		expect(listReads()).toBe(1);
		clearLiveModelCache();
		const unknown = await runNode(sim, 'kieCreateTask', { model: model('gpt-image/1.5-text-to-image'), prompt: 'a fox', options: FAST });
		expect(warningsOf(unknown)).toEqual([]);
		expect(listReads()).toBe(1);
	});

	it('says nothing when the schema agrees, and runs when it cannot be read', async () => {
		const quiet = await runNode(sim, 'kieCreateTask', { model: model('gpt-image/1.5-text-to-image'), prompt: 'a fox', options: FAST });
		expect(warningsOf(quiet)).toEqual([]);
		sim.reset();
		clearModelSchemaCache();
		sim.fault('modelSchema', 'code500');
		const unread = await runNode(sim, 'kieCreateTask', { model: model('gpt-image/1.5-text-to-image'), prompt: 'a fox', options: FAST });
		expect(unread.status).toBe('success');
	});
});

// -------------------------------------------------------------------------------------------------
// Hostile schemas and odd field names (issue 20, "Trust")
// -------------------------------------------------------------------------------------------------

/** An OpenAPI document as KIE serves one, with `input` and extra components. */
function schemaDocument(modelId: string, input: unknown, components: Record<string, unknown> = {}): IDataObject {
	return {
		openapi: '3.1.0',
		paths: { '/api/v1/jobs/createTask': { post: { requestBody: { content: { 'application/json': { schema: { $ref: '#/components/schemas/Request' } } } } } } },
		components: {
			schemas: {
				Request: { type: 'object', properties: { model: { type: 'string', enum: [modelId] }, callBackUrl: { type: 'string', format: 'uri' }, input }, required: ['model', 'input'] },
				...components,
			},
		},
	};
}

/** 8 levels of oneOf with 8 $refs each to the next level's component, and a component whose oneOf refers to itself. */
function nestedOneOfDocument(modelId: string, levels = 8): IDataObject {
	const schemas: Record<string, unknown> = { Self: { oneOf: [{ $ref: '#/components/schemas/Self' }, { $ref: '#/components/schemas/L0' }] } };
	for (let level = 0; level < levels; level++) {
		schemas[`L${level}`] = { oneOf: [...Array.from({ length: 8 }, () => ({ $ref: `#/components/schemas/L${level + 1}` })), ...(level === 0 ? [{ $ref: '#/components/schemas/Self' }] : [])] };
	}
	schemas[`L${levels}`] = { type: 'object', properties: { prompt: { type: 'string' } }, required: ['prompt'] };
	return schemaDocument(modelId, { $ref: '#/components/schemas/L0' }, schemas);
}

const elapsedMs = (started: number) => performance.now() - started;

describe('"Model Input" with a hostile schema: a notice at once, never an error or a stall', () => {
	beforeEach(() => clearModelSchemaCache());

	it('a 3 KB document of nested, self-referencing oneOfs answers with a notice, quickly', async () => {
		const doc = nestedOneOfDocument('acme/pixel-forge-3');
		expect(JSON.stringify(doc).length).toBeLessThan(4_000);
		sim.setModelSchema('acme/pixel-forge-3', doc);
		const started = performance.now();
		const answer = await fieldsOf('acme/pixel-forge-3');
		// The request includes n8n's load-options context and the simulator's HTTP answer.
		expect(elapsedMs(started)).toBeLessThan(1000);
		expect(answer).toEqual({
			fields: [],
			emptyFieldsNotice:
				'KIE\'s schema for this model is too large or too deeply nested to read (over the budget of 20,000 schema nodes) (acme/pixel-forge-3). Give the model\'s input in Options → Additional Input (JSON) instead.',
		});
	});

	it('a run with such a schema says why before anything is sent, quickly', async () => {
		sim.setModelSchema('acme/pixel-forge-3', nestedOneOfDocument('acme/pixel-forge-3', 12));
		const started = performance.now();
		const result = await runNode(sim, 'kieCreateTask', { model: model('acme/pixel-forge-3'), options: FAST });
		expect(elapsedMs(started)).toBeLessThan(2000);
		expect(result.error?.message).toBe('Item 1: Model "acme/pixel-forge-3" is not built in and KIE gives no input fields for it, so its input must come from "Additional Input (JSON)"');
		expect(result.error?.description).toMatch(/^KIE's schema for this model is too large or too deeply nested to read \(over the budget of 20,000 schema nodes\)\. Add Options/);
		expect(creates()).toHaveLength(0);
	});

	it('a schema over 1 MB is refused without being kept, and the refusal is remembered like a failure', async () => {
		sim.setModelSchema('acme/pixel-forge-3', schemaDocument('acme/pixel-forge-3', { type: 'object', properties: { prompt: { type: 'string', description: 'x'.repeat(1024 * 1024 + 1) } } }));
		const first = await fieldsOf('acme/pixel-forge-3');
		expect(first.fields).toEqual([]);
		expect(first.emptyFieldsNotice).toBe(
			'KIE\'s schema of acme/pixel-forge-3 could not be read (its schema is larger than 1 MB, more than this node reads). Give the model\'s input in Options → Additional Input (JSON) instead.',
		);
		await fieldsOf('acme/pixel-forge-3');
		expect(schemaReads()).toHaveLength(1);
	});
});

describe('"Model Input" fields named like members of Object.prototype', () => {
	const names = ['prompt', 'constructor', 'toString', 'hasOwnProperty', '__proto__'];
	// JSON.parse: "__proto__" is an own key, as in KIE's parsed answer.
	const properties = JSON.parse(`{${names.map((name) => `"${name}": {"type": "${name === '__proto__' ? 'object' : 'string'}"}`).join(', ')}}`) as IDataObject;

	it('are listed with normal labels', async () => {
		sim.setModelSchema('acme/pixel-forge-3', schemaDocument('acme/pixel-forge-3', { type: 'object', properties, required: ['prompt', 'toString'] }));
		const { fields } = await fieldsOf('acme/pixel-forge-3');
		expect(fields.map((field) => [field.id, field.displayName, field.required, field.type])).toEqual([
			['prompt', 'Prompt', true, 'string'],
			['constructor', 'Constructor', false, 'string'],
			['toString', 'To String', true, 'string'],
			['hasOwnProperty', 'Has Own Property', false, 'string'],
			['__proto__', 'Proto', false, 'object'],
		]);
	});

	it('a run sends them as normal keys, polluting nothing', async () => {
		// Without "constructor": the simulator's validator would read Object's for a body without one.
		const sendable = Object.fromEntries(Object.entries(properties).filter(([name]) => name !== 'constructor'));
		sim.setModelSchema('acme/pixel-forge-3', schemaDocument('acme/pixel-forge-3', { type: 'object', properties: sendable, required: ['prompt', 'toString'] }));
		const { fields } = await fieldsOf('acme/pixel-forge-3');
		const result = await runNode(sim, 'kieCreateTask', {
			model: model('acme/pixel-forge-3'),
			modelInput: { mappingMode: 'defineBelow', value: { prompt: 'a fox', toString: 't', hasOwnProperty: 'h' }, matchingColumns: [], schema: fields, attemptToConvertTypes: false, convertFieldsToString: false },
			options: { ...FAST, additionalInput: '{"__proto__": {"polluted": true}}' },
		});
		expect(result.error?.message).toBeUndefined();
		// n8n itself (its deepCopy of parameters and request options) drops keys named "constructor",
		// "__proto__" and "prototype": such fields can be listed, not sent.
		expect((creates()[0].body as { input: IDataObject }).input).toEqual({ prompt: 'a fox', toString: 't', hasOwnProperty: 'h' });
		expect(({} as IDataObject).polluted).toBeUndefined();
	});
});
