import {
	startCallbackReceiver,
	startSimulator,
	type CallbackReceiver,
	type JsonSchema,
	type MarketRecord,
	type OpenApiDocument,
	type Simulator,
} from '../../simulator';
import { pollUntilDone } from '../support/sim-records';
import { defaultModelSchema, EXTRA_MODELS, LIVE_MODEL_IDS, listedModels } from '../../simulator/catalogue-api';

interface Envelope<T = unknown> {
	code: number;
	msg: string;
	data: T;
}

const KEY = 'sim-key';
const AUTH = { Authorization: `Bearer ${KEY}` };
const JSON_HEADERS = { ...AUTH, 'Content-Type': 'application/json' };

const PIXEL = 'acme/pixel-forge-3';
const MOTION = 'acme/motion-blend-1';
const HYPER = 'acme/hyper-video-9';
const VOICE = 'acme/voice-clone-2';
const T2I = 'gpt-image/1.5-text-to-image';
const IMG = 'https://static.aiquickdraw.com/tools/example/1765962794374_GhtqB9oX.webp';
const CREATE_PATH = '/api/v1/jobs/createTask';

async function get<T = unknown>(sim: Simulator, path: string): Promise<Envelope<T>> {
	const res = await fetch(`${sim.url}${path}`, { headers: AUTH });
	expect(res.status).toBe(200);
	return (await res.json()) as Envelope<T>;
}

async function create(sim: Simulator, body: unknown): Promise<Envelope<{ taskId: string; recordId: string } | null>> {
	const res = await fetch(`${sim.url}${CREATE_PATH}`, { method: 'POST', headers: JSON_HEADERS, body: JSON.stringify(body) });
	expect(res.status).toBe(200);
	return (await res.json()) as Envelope<{ taskId: string; recordId: string } | null>;
}

async function schemaOf(sim: Simulator, model: string): Promise<OpenApiDocument | null> {
	const answer = await get<{ model: string; openapi: OpenApiDocument | null }>(sim, `/api/v1/models/${model}/schema`);
	expect(answer.code).toBe(200);
	expect(answer.data.model).toBe(model);
	return answer.data.openapi;
}

/** A naive consumer's lookup: the percent-decoded, trimmed name after #/components/schemas/. */
function component(doc: OpenApiDocument, ref: string | undefined): JsonSchema {
	expect(ref).toMatch(/^#\/components\/schemas\//);
	const wanted = decodeURIComponent(String(ref).slice('#/components/schemas/'.length)).trim();
	const schemas = doc.components?.schemas ?? {};
	const key = Object.keys(schemas).find((k) => decodeURIComponent(k).trim() === wanted);
	expect(key).toBeDefined();
	return schemas[key as string];
}

function requestOf(doc: OpenApiDocument): JsonSchema {
	const schema = doc.paths?.[CREATE_PATH]?.post?.requestBody?.content?.['application/json']?.schema;
	expect(schema?.$ref).toBeDefined();
	return component(doc, schema?.$ref);
}


const PNG_MAGIC = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

describe('KIE simulator: live models with an OpenAPI schema', () => {
	let sim: Simulator;

	beforeAll(async () => {
		sim = await startSimulator({ apiKey: KEY, genMs: 60, catalogueRequestsPerSecond: 0 });
	});

	afterAll(async () => {
		await sim.close();
	});

	beforeEach(() => {
		sim.reset();
	});

	describe('catalogue', () => {
		it('lists the two models with a schema next to the two without, none of them built in', async () => {
			expect(LIVE_MODEL_IDS).toEqual([PIXEL, MOTION]);
			expect(EXTRA_MODELS.map((m) => m.model)).toEqual([HYPER, VOICE, PIXEL, MOTION]);
			const listed = await get<{ total: number; models: Array<{ model: string; taskType: string[]; provider: string }> }>(
				sim,
				'/api/v1/models?provider=acme',
			);
			expect(listed.data.models.map((m) => m.model)).toEqual([HYPER, VOICE, PIXEL, MOTION]);
			expect(listed.data.models.find((m) => m.model === PIXEL)?.taskType).toEqual(['Text to Image', 'Image to Image']);
			expect(listed.data.models.find((m) => m.model === MOTION)?.taskType).toEqual(['Text to Video', 'Image to Video']);
			expect(listedModels().filter((m) => m.model.startsWith('acme/'))).toHaveLength(4);
			expect((await get(sim, `/api/v1/models/${PIXEL}/price`)).data).toEqual({ model: PIXEL, pricingDesc: '5 credits per image' });
			expect((await get(sim, `/api/v1/models/${MOTION}/price`)).data).toEqual({ model: MOTION, pricingDesc: '25 credits per 5 s video' });
			expect((await get<unknown[]>(sim, `/api/v1/models/${MOTION}/success-rate`)).data).toHaveLength(144);
		});

		it('still answers openapi null for the models KIE has not synced', async () => {
			expect(await schemaOf(sim, HYPER)).toBeNull();
			expect(await schemaOf(sim, VOICE)).toBeNull();
			expect(defaultModelSchema(HYPER)).toBeNull();
			expect(defaultModelSchema('no/such-model')).toBeUndefined();
		});

		it('serves acme/pixel-forge-3 with a percent-encoded $ref to a space-padded key, a nested $ref and a string enum of numbers', async () => {
			const doc = (await schemaOf(sim, PIXEL)) as OpenApiDocument;
			expect(doc.openapi).toBe('3.1.0');
			const body = doc.paths?.[CREATE_PATH]?.post?.requestBody?.content?.['application/json']?.schema;
			expect(body).toEqual({ $ref: '#/components/schemas/Pixel%20Forge%20Request' });
			const request = requestOf(doc);
			expect(request.required).toEqual(['model', 'input']);
			expect(request.properties?.model).toEqual({ type: 'string', enum: [PIXEL] });
			expect(request.properties?.callBackUrl).toEqual({ type: 'string', format: 'uri' });
			expect(request.properties?.input).toEqual({ $ref: '#/components/schemas/Pixel%20Forge%20Input' });

			// The key is not encoded and carries a trailing space: an exact lookup of the decoded ref misses it.
			const schemas = doc.components?.schemas ?? {};
			expect(Object.keys(schemas)).toContain('Pixel Forge Input ');
			expect(schemas['Pixel Forge Input']).toBeUndefined();
			expect(schemas['Pixel%20Forge%20Input']).toBeUndefined();

			const input = component(doc, request.properties?.input?.$ref);
			expect(input.type).toBe('object');
			expect(input.required).toEqual(['prompt']);
			expect(input.properties).toEqual({
				prompt: { type: 'string', maxLength: 2000, description: 'What to draw' },
				aspect_ratio: { type: 'string', enum: ['1:1', '3:2', '2:3', '16:9', '9:16'], default: '1:1', description: expect.any(String) },
				num_images: { type: 'string', enum: ['1', '2', '4'], default: '1', description: expect.any(String) },
				seed: { type: 'integer', minimum: 0, maximum: 2147483647, description: expect.any(String) },
				enhance_prompt: { type: 'boolean', default: true, description: expect.any(String) },
				image_urls: { type: 'array', items: { type: 'string', format: 'uri' }, maxItems: 4, description: expect.any(String) },
				style: { $ref: '#/components/schemas/Style' },
			});
			expect(component(doc, input.properties?.style?.$ref)).toEqual({
				type: 'string',
				enum: ['photo', 'illustration', '3d'],
				default: 'photo',
				description: expect.any(String),
			});
		});

		it('serves acme/motion-blend-1 with an inline oneOf input and an OpenAPI 3.1 type array', async () => {
			const doc = (await schemaOf(sim, MOTION)) as OpenApiDocument;
			expect(doc.openapi).toBe('3.1.0');
			const request = requestOf(doc);
			expect(request.required).toEqual(['model', 'input']);
			expect(request.properties?.model).toEqual({ type: 'string', enum: [MOTION] });
			const input = request.properties?.input as JsonSchema;
			expect(Object.keys(input)).toEqual(['oneOf']);
			const [t2v, i2v] = input.oneOf as JsonSchema[];
			expect(t2v).toMatchObject({ type: 'object', required: ['prompt'] });
			expect(Object.keys(t2v.properties ?? {})).toEqual(['prompt', 'negative_prompt', 'duration']);
			expect(i2v).toMatchObject({ type: 'object', required: ['prompt', 'image_url'] });
			expect(Object.keys(i2v.properties ?? {})).toEqual(['prompt', 'image_url', 'negative_prompt', 'duration']);
			for (const variant of [t2v, i2v]) {
				expect(variant.properties?.prompt).toMatchObject({ type: 'string', maxLength: 1500 });
				expect(variant.properties?.duration).toMatchObject({ type: 'string', enum: ['5', '10'], default: '5' });
				expect(variant.properties?.negative_prompt?.type).toEqual(['string', 'null']);
			}
			expect(i2v.properties?.image_url).toMatchObject({ type: 'string', format: 'uri' });
		});

		it('keeps the documents of built-in models as before', async () => {
			const doc = (await schemaOf(sim, T2I)) as OpenApiDocument;
			const request = requestOf(doc);
			expect(request.properties?.model).toEqual({ type: 'string', enum: [T2I] });
			expect(request.properties?.input?.properties?.prompt).toMatchObject({ type: 'string' });
		});
	});

	describe('creates', () => {
		it('accepts a valid acme/pixel-forge-3 create, keeps the exact body and serves image results', async () => {
			const body = {
				model: PIXEL,
				input: {
					prompt: 'a paper crane',
					aspect_ratio: '16:9',
					num_images: '2',
					seed: 42,
					enhance_prompt: false,
					image_urls: [IMG],
					style: 'illustration',
				},
			};
			const answer = await create(sim, body);
			expect(answer).toMatchObject({ code: 200, msg: 'success', data: { taskId: expect.any(String) } });
			const taskId = (answer.data as { taskId: string }).taskId;
			const [logged] = sim.requestsFor('createTask');
			expect(logged.body).toEqual(body);
			expect(logged.taskId).toBe(taskId);
			expect(sim.tasks.get(taskId)).toMatchObject({ family: 'market', model: PIXEL, media: 'image', aspect: '16:9' });

			const done = await pollUntilDone(sim, taskId, KEY);
			expect(done).toMatchObject({ taskId, model: PIXEL, state: 'success', successFlag: 1 });
			expect(JSON.parse(done.param)).toEqual(body);
			const urls = (JSON.parse(done.resultJson) as { resultUrls: string[] }).resultUrls;
			expect(urls).toHaveLength(2);
			const file = await fetch(urls[0]);
			expect(file.status).toBe(200);
			expect(file.headers.get('content-type')).toBe('image/png');
			expect(Array.from(new Uint8Array(await file.arrayBuffer()).slice(0, 8))).toEqual(PNG_MAGIC);
		});

		it('accepts only a prompt (every other field is optional) and unknown keys (lenient like KIE)', async () => {
			expect((await create(sim, { model: PIXEL, input: { prompt: 'x' } })).code).toBe(200);
			expect((await create(sim, { model: PIXEL, input: { prompt: 'x', mood: 'calm' }, extra: 1 })).code).toBe(200);
			expect(sim.tasks.size).toBe(2);
		});

		it.each([
			['text to video', { prompt: 'waves at dusk' }],
			['text to video with a null negative_prompt', { prompt: 'waves', negative_prompt: null, duration: '10' }],
			['text to video with a negative_prompt', { prompt: 'waves', negative_prompt: 'people' }],
			['image to video', { prompt: 'the crane takes off', image_url: IMG, duration: '10' }],
		])('accepts acme/motion-blend-1 (%s) and serves a video result', async (_name, input) => {
			const body = { model: MOTION, callBackUrl: 'https://example.com/kie/callback', input };
			const answer = await create(sim, body);
			expect(answer.code).toBe(200);
			const taskId = (answer.data as { taskId: string }).taskId;
			expect(sim.requestsFor('createTask')[0].body).toEqual(body);
			expect(sim.tasks.get(taskId)).toMatchObject({ model: MOTION, media: 'video', ext: 'mp4' });
			const done = await pollUntilDone(sim, taskId, KEY);
			expect(done.state).toBe('success');
			const [url] = (JSON.parse(done.resultJson) as { resultUrls: string[] }).resultUrls;
			expect(url.endsWith('.mp4')).toBe(true);
		});

		it.each([
			['missing prompt', PIXEL, { aspect_ratio: '1:1' }, 'input.prompt is required'],
			['num_images as the number 2', PIXEL, { prompt: 'x', num_images: 2 }, 'input.num_images must be a string'],
			['num_images not in the enum', PIXEL, { prompt: 'x', num_images: '3' }, 'input.num_images must be one of 1, 2, 4'],
			['an unknown style (a $ref)', PIXEL, { prompt: 'x', style: 'anime' }, 'input.style must be one of photo, illustration, 3d'],
			['a too long prompt', PIXEL, { prompt: 'x'.repeat(2001) }, 'input.prompt must be at most 2000 characters (got 2001)'],
			['a negative seed', PIXEL, { prompt: 'x', seed: -1 }, 'input.seed must be >= 0'],
			['a too large seed', PIXEL, { prompt: 'x', seed: 2147483648 }, 'input.seed must be <= 2147483647'],
			['a fractional seed', PIXEL, { prompt: 'x', seed: 1.5 }, 'input.seed must be an integer'],
			['a string seed', PIXEL, { prompt: 'x', seed: '7' }, 'input.seed must be an integer'],
			['a string boolean', PIXEL, { prompt: 'x', enhance_prompt: 'true' }, 'input.enhance_prompt must be a boolean'],
			['5 image_urls', PIXEL, { prompt: 'x', image_urls: Array(5).fill(IMG) }, 'input.image_urls must contain at most 4 items (got 5)'],
			['a non-URL image', PIXEL, { prompt: 'x', image_urls: [IMG, 'data:image/png;base64,AAAA'] }, 'input.image_urls[1] must be a valid http(s) URL'],
			['a string for image_urls', PIXEL, { prompt: 'x', image_urls: IMG }, 'input.image_urls must be an array'],
			['input not an object', PIXEL, 'a paper crane', 'input must be an object'],
			[
				'no prompt in either variant',
				MOTION,
				{ image_url: IMG, duration: '10' },
				'input matches none of its 2 variants (oneOf): Text to video: input.prompt is required; Image to video: input.prompt is required',
			],
			[
				'duration as the number 5',
				MOTION,
				{ prompt: 'x', duration: 5 },
				'input matches none of its 2 variants (oneOf): Text to video: input.duration must be a string; Image to video: input.image_url is required',
			],
			[
				'an image to video body with a bad duration',
				MOTION,
				{ prompt: 'x', image_url: IMG, duration: '7' },
				'input matches none of its 2 variants (oneOf): Text to video: input.duration must be one of 5, 10; Image to video: input.duration must be one of 5, 10',
			],
			[
				'a negative_prompt that is neither a string nor null',
				MOTION,
				{ prompt: 'x', negative_prompt: 3 },
				'Text to video: input.negative_prompt must be a string or null',
			],
			['a too long prompt (both variants)', MOTION, { prompt: 'x'.repeat(1501) }, 'input.prompt must be at most 1500 characters'],
		])('refuses %s with code 422 in the body', async (_name, model, input, msg) => {
			const body = { model, input };
			const answer = await create(sim, body);
			expect(answer.code).toBe(422);
			expect(answer.msg).toContain(msg);
			expect(answer.data).toBeNull();
			expect(sim.tasks.size).toBe(0);
			const [logged] = sim.requestsFor('createTask');
			expect(logged).toMatchObject({ body, answerCode: 422 });
		});

		it('refuses a bad callBackUrl, a missing input and a model of another id', async () => {
			expect((await create(sim, { model: PIXEL, callBackUrl: 'ftp://x.test/cb', input: { prompt: 'x' } })).msg).toBe(
				'callBackUrl must be a valid http(s) URL',
			);
			expect((await create(sim, { model: PIXEL })).msg).toBe('input is required');
			expect((await create(sim, { model: 'acme/pixel-forge-4', input: { prompt: 'x' } })).msg).toContain('is not supported');
			expect(sim.tasks.size).toBe(0);
		});

		it('still refuses the models KIE has not synced (openapi null)', async () => {
			for (const model of [HYPER, VOICE]) {
				const answer = await create(sim, { model, input: { prompt: 'a red fox' } });
				expect(answer).toEqual({ code: 422, msg: `model ${model} is not supported (unknown model id)`, data: null });
			}
			expect(sim.tasks.size).toBe(0);
		});

		it('calls back a live model\'s task like any Market task', async () => {
			let receiver: CallbackReceiver | undefined;
			try {
				receiver = await startCallbackReceiver();
				const answer = await create(sim, { model: PIXEL, callBackUrl: receiver.url, input: { prompt: 'x', num_images: '4' } });
				const taskId = (answer.data as { taskId: string }).taskId;
				const [cb] = await receiver.waitFor(1);
				const payload = cb.body as Envelope<MarketRecord>;
				expect(payload.code).toBe(200);
				expect(payload.data).toMatchObject({ taskId, model: PIXEL, state: 'success' });
				expect((JSON.parse(payload.data.resultJson) as { resultUrls: string[] }).resultUrls).toHaveLength(4);
				await sim.settle();
			} finally {
				await receiver?.close();
			}
		});
	});

	describe('schema drift: setModelSchema', () => {
		it('serves an overridden document for a live model and validates its creates against it', async () => {
			sim.setModelSchema(PIXEL, (doc) => {
				const input = (doc as OpenApiDocument).components?.schemas?.['Pixel Forge Input '] as JsonSchema;
				input.properties = { ...input.properties, mood: { type: 'string', enum: ['calm', 'wild'] } };
				input.required = ['prompt', 'mood'];
			});
			const served = (await schemaOf(sim, PIXEL)) as OpenApiDocument;
			expect(served.components?.schemas?.['Pixel Forge Input ']?.required).toEqual(['prompt', 'mood']);
			expect(sim.modelSchema(PIXEL)).toEqual(served);
			expect((await create(sim, { model: PIXEL, input: { prompt: 'x' } })).msg).toBe('input.mood is required');
			expect((await create(sim, { model: PIXEL, input: { prompt: 'x', mood: 'calm' } })).code).toBe(200);

			sim.setModelSchema(PIXEL, undefined);
			expect(await schemaOf(sim, PIXEL)).toEqual(defaultModelSchema(PIXEL));
			expect((await create(sim, { model: PIXEL, input: { prompt: 'x' } })).code).toBe(200);
		});

		it('makes a live model unsupported with null, and a not-synced one creatable with a document', async () => {
			sim.setModelSchema(MOTION, null);
			expect(await schemaOf(sim, MOTION)).toBeNull();
			expect((await create(sim, { model: MOTION, input: { prompt: 'x' } })).code).toBe(422);

			sim.setModelSchema(HYPER, (defaultDoc) => {
				expect(defaultDoc).toBeNull();
				const doc = defaultModelSchema(MOTION) as OpenApiDocument;
				const request = doc.components?.schemas?.['Motion Blend Request'] as JsonSchema;
				request.properties = { ...request.properties, model: { type: 'string', enum: [HYPER] } };
				return doc;
			});
			expect(((await schemaOf(sim, HYPER)) as OpenApiDocument).openapi).toBe('3.1.0');
			const answer = await create(sim, { model: HYPER, input: { prompt: 'a red fox' } });
			expect(answer.code).toBe(200);
			expect(sim.tasks.get((answer.data as { taskId: string }).taskId)?.media).toBe('video');
			expect((await create(sim, { model: HYPER, input: { duration: '5' } })).code).toBe(422);
		});

		it('overrides a built-in model\'s document without changing how its creates are validated', async () => {
			const drifted: OpenApiDocument = {
				openapi: '3.1.0',
				info: { title: 'drifted', version: '2.0.0' },
				paths: {},
				components: { schemas: {} },
			};
			sim.setModelSchema(T2I, drifted);
			drifted.info = { title: 'changed after the call', version: '3' };
			expect(await schemaOf(sim, T2I)).toEqual({ ...drifted, info: { title: 'drifted', version: '2.0.0' } });
			// still validated against the catalogue: the same answers as without the override
			const valid = { model: T2I, input: { prompt: 'a lighthouse', aspect_ratio: '3:2', quality: 'medium' } };
			expect((await create(sim, valid)).code).toBe(200);
			expect((await create(sim, { ...valid, input: { ...valid.input, seed: 3 } })).msg).toContain('input.seed is not a supported parameter');

			// a function gets a fresh copy of the default document
			sim.setModelSchema(T2I, (doc) => ({ ...(doc as OpenApiDocument), info: { title: 'v2', version: '2' } }));
			const served = (await schemaOf(sim, T2I)) as OpenApiDocument;
			expect(served.info?.title).toBe('v2');
			expect(requestOf(served).properties?.model).toEqual({ type: 'string', enum: [T2I] });
			sim.setModelSchema(T2I, null);
			expect(await schemaOf(sim, T2I)).toBeNull();
			expect((await create(sim, valid)).code).toBe(200);
			// changing the copy a function got does not change the default (nor the catalogue validation)
			sim.setModelSchema(T2I, (doc) => {
				(doc as OpenApiDocument).paths = {};
			});
			expect(defaultModelSchema(T2I)?.paths?.[CREATE_PATH]).toBeDefined();
		});

		it('restores every default on reset() and refuses models the catalogue does not list', async () => {
			sim.setModelSchema(T2I, null).setModelSchema(PIXEL, null);
			sim.reset();
			expect(((await schemaOf(sim, T2I)) as OpenApiDocument).openapi).toBe('3.1.0');
			expect(await schemaOf(sim, PIXEL)).toEqual(defaultModelSchema(PIXEL));
			expect(() => sim.setModelSchema('no/such-model', null)).toThrow(/not a model of the live catalogue/);
		});

		it('is reachable through the admin API', async () => {
			const admin = async (method: 'GET' | 'POST', path: string, body?: unknown) => {
				const res = await fetch(`${sim.url}${path}`, {
					method,
					headers: { 'Content-Type': 'application/json' },
					body: body === undefined ? undefined : JSON.stringify(body),
				});
				return { status: res.status, body: (await res.json()) as Record<string, unknown> };
			};
			expect((await admin('POST', '/__sim/model-schema', { model: PIXEL, openapi: null })).body).toEqual({
				ok: true,
				model: PIXEL,
				openapi: null,
			});
			expect(await schemaOf(sim, PIXEL)).toBeNull();
			expect((await admin('GET', `/__sim/model-schema?model=${PIXEL}`)).body).toEqual({ model: PIXEL, openapi: null, overridden: true });
			await admin('POST', '/__sim/model-schema', { model: PIXEL });
			expect(await schemaOf(sim, PIXEL)).toEqual(defaultModelSchema(PIXEL));
			expect((await admin('GET', `/__sim/model-schema?model=${PIXEL}`)).body).toMatchObject({ overridden: false });
			expect((await admin('POST', '/__sim/model-schema', { model: 'no/such-model', openapi: null })).status).toBe(400);
			expect((await admin('GET', '/__sim/model-schema?model=no/such-model')).status).toBe(404);
			await admin('POST', '/__sim/model-schema', { model: T2I, openapi: { openapi: '3.1.0', paths: {} } });
			await admin('POST', '/__sim/reset');
			expect(((await schemaOf(sim, T2I)) as OpenApiDocument).info).toBeDefined();
		});
	});
});
