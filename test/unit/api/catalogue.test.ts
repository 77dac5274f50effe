import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import {
	boundedLiveModels,
	boundedSchemaAnswer,
	cachedLiveModels,
	cachedModelSchema,
	clearLiveModelCache,
	clearModelSchemaCache,
	MAX_LIVE_MODELS,
	MAX_SCHEMA_CHARS,
	type LiveModel,
} from '../../../nodes/shared/api/catalogue';
import type { RequestPacer } from '../../../nodes/shared/transport/pacer';

/**
 * The catalogue's caches are bounded (issue 20, "Trust"): a schema answer over 1 MB is refused (and the
 * refusal remembered like a failure, 30 s), the schemas kept weigh at most 32 MB in all, and the live list
 * keeps at most 5,000 models with short texts.
 */

/** A pacer that never waits: these tests are about the caches, not KIE's 1 request per second. */
const NO_WAIT: RequestPacer = { acquire: async () => ({ release: () => undefined }) };

/** An execute context whose requests KIE "answers" with `answer(url)`; counts them by URL. */
function fakeKie(answer: (url: string) => unknown) {
	const requests: string[] = [];
	const ctx = {
		getCredentials: async () => ({ apiKey: 'key of the cache tests', baseUrl: 'https://kie.test' }),
		getNode: () => ({ id: 'n', name: 'KIE', type: 'kieCreateTask', typeVersion: 1, position: [0, 0], parameters: {} }),
		helpers: {
			httpRequestWithAuthentication: async (_credential: string, options: { url: string }) => {
				requests.push(options.url);
				return { statusCode: 200, headers: {}, body: { code: 200, msg: 'success', data: answer(options.url) } };
			},
		},
	} as unknown as IExecuteFunctions;
	return { ctx, requests };
}

const schemaOf = (description: string): IDataObject => ({
	openapi: '3.1.0',
	paths: { '/api/v1/jobs/createTask': { post: { requestBody: { content: { 'application/json': { schema: { type: 'object', properties: { input: { type: 'object', properties: { prompt: { type: 'string', description } } } } } } } } } } },
});

beforeEach(() => {
	clearLiveModelCache();
	clearModelSchemaCache();
});

describe('boundedSchemaAnswer', () => {
	it('keeps a schema of at most 1 MB of JSON, and refuses a larger one with an error saying so', () => {
		const small = schemaOf('What to draw');
		expect(boundedSchemaAnswer(small)).toEqual({ openapi: small });
		expect(boundedSchemaAnswer(null)).toEqual({ openapi: null });
		expect(boundedSchemaAnswer(schemaOf('x'.repeat(MAX_SCHEMA_CHARS)))).toEqual({
			error: 'its schema is larger than 1 MB, more than this node reads',
		});
		expect(boundedSchemaAnswer(small, 50)).toEqual({ error: expect.stringMatching(/^its schema is larger than 50 characters/) });
	});
});

describe('boundedLiveModels', () => {
	const listed = (index: number, extra: Partial<LiveModel> = {}): LiveModel => ({
		model: `acme/model-${index}`,
		slug: `model-${index}`,
		title: `Model ${index}`,
		provider: 'acme',
		taskType: ['Text to Image'],
		description: null,
		pricingDesc: '',
		...extra,
	});

	it('keeps at most 5,000 models, skips ids no model has, and clips long texts', () => {
		const many = Array.from({ length: 6000 }, (_, index) => listed(index));
		expect(boundedLiveModels(many)).toHaveLength(MAX_LIVE_MODELS);
		const kept = boundedLiveModels([
			listed(0, { model: `acme/${'x'.repeat(500)}` }),
			listed(1, { title: 't'.repeat(10_000), description: 'd'.repeat(100_000), pricingDesc: 'p'.repeat(10_000), taskType: Array.from({ length: 100 }, () => 'k'.repeat(1000)) }),
		]);
		expect(kept.map((model) => model.model)).toEqual(['acme/model-1']);
		const [odd] = kept;
		expect(odd.title).toHaveLength(200);
		expect(odd.title.endsWith('…')).toBe(true);
		expect(odd.description).toHaveLength(2000);
		expect(odd.pricingDesc).toHaveLength(500);
		expect(odd.taskType).toHaveLength(20);
		expect(odd.taskType[0]).toHaveLength(100);
	});
});

describe('the caches behind the editor and the runs', () => {
	it('a schema over 1 MB is an error answer, remembered 30 s like a failure, then asked again', async () => {
		const { ctx, requests } = fakeKie(() => ({ model: 'acme/big', openapi: schemaOf('x'.repeat(2 * 1024 * 1024)) }));
		const now = Date.now();
		const first = await cachedModelSchema.call(ctx, 'acme/big', { now, pacer: NO_WAIT });
		expect(first).toEqual({ error: expect.stringMatching(/^its schema is larger than 1 MB/) });
		expect(await cachedModelSchema.call(ctx, 'acme/big', { now: now + 29_000, pacer: NO_WAIT })).toEqual(first);
		expect(requests).toHaveLength(1);
		await cachedModelSchema.call(ctx, 'acme/big', { now: Date.now() + 31_000, pacer: NO_WAIT });
		expect(requests).toHaveLength(2);
	});

	it('keeps at most 32 MB of schemas in all: the oldest are read again', async () => {
		// Each document is about 0.9 MB (one shared string, so the test itself stays small).
		const description = 'x'.repeat(900 * 1024);
		const { ctx, requests } = fakeKie((url) => ({ model: url, openapi: schemaOf(description) }));
		const ids = Array.from({ length: 40 }, (_, index) => `acme/model-${index}`);
		for (const id of ids) expect(await cachedModelSchema.call(ctx, id, { pacer: NO_WAIT })).toHaveProperty('openapi');
		expect(requests).toHaveLength(40);
		// The newest are still kept; the first ones were dropped.
		await cachedModelSchema.call(ctx, ids[39], { pacer: NO_WAIT });
		expect(requests).toHaveLength(40);
		await cachedModelSchema.call(ctx, ids[0], { pacer: NO_WAIT });
		expect(requests).toHaveLength(41);
	});

	it('a model id longer than any of KIE\'s is not requested nor kept', async () => {
		const { ctx, requests } = fakeKie(() => ({}));
		expect(await cachedModelSchema.call(ctx, `acme/${'x'.repeat(10_000)}`, { pacer: NO_WAIT })).toEqual({ error: expect.stringMatching(/is not a KIE model id \(longer than 200 characters\)$/) });
		expect(requests).toHaveLength(0);
	});

	it('the live list keeps at most 5,000 models of a larger answer', async () => {
		const { ctx } = fakeKie(() => ({ total: 8000, models: Array.from({ length: 8000 }, (_, index) => ({ model: `acme/model-${index}`, title: `Model ${index}` })) }));
		const models = await cachedLiveModels.call(ctx, '', { pacer: NO_WAIT });
		expect(models).toHaveLength(MAX_LIVE_MODELS);
		expect(models![0]).toMatchObject({ model: 'acme/model-0', title: 'Model 0' });
	});
});
