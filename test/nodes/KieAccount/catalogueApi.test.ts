import { sleep } from 'n8n-workflow';

import { KieAccount } from '../../../nodes/KieAccount/KieAccount.node';
import { KieCreateTask } from '../../../nodes/KieCreateTask/KieCreateTask.node';
import { clearLiveModelCache, modelPath } from '../../../nodes/shared/api/catalogue';
import { kindLabel, mergeModelList, normalizeKind } from '../../../nodes/shared/methods/listSearch';
import { getModel, MODELS } from '../../../nodes/shared/registry';
import { startSimulator, type Simulator } from '../../../simulator';
import { EXTRA_MODELS, listedModels, type ListedModel, type SuccessRateBucket } from '../../../simulator/catalogue-api';
import { runListSearch } from '../../support/loadOptions';
import { credentialsFor, SIM_ACCOUNT } from '../setup';

let sim: Simulator;
beforeAll(async () => {
	sim = await startSimulator({ apiKey: SIM_ACCOUNT });
});
afterAll(async () => await sim.close());
beforeEach(() => {
	sim.reset();
	clearLiveModelCache();
});

interface ModelsData {
	total: number;
	models: ListedModel[];
}

const get = async <T = unknown>(path: string, apiKey = SIM_ACCOUNT) => {
	const response = await fetch(`${sim.url}${path}`, { headers: { Authorization: `Bearer ${apiKey}` } });
	return { status: response.status, body: (await response.json()) as { code: number; msg: string; data: T } };
};

const search = (filter?: string, apiKey = SIM_ACCOUNT, nodeType: typeof KieCreateTask | typeof KieAccount = KieCreateTask) =>
	runListSearch(nodeType, 'searchModelList', { credentials: credentialsFor(sim, apiKey), filter });

describe('simulator: model catalogue endpoints', () => {
	it('lists every catalogue model plus the new ones, with the documented fields', async () => {
		const { status, body } = await get<ModelsData>('/api/v1/models');
		expect(status).toBe(200);
		expect(body.code).toBe(200);
		expect(body.data.total).toBe(body.data.models.length);
		expect(body.data.models.length).toBe(listedModels().length);
		for (const model of body.data.models) {
			expect(Object.keys(model).sort()).toEqual(['description', 'model', 'pricingDesc', 'provider', 'slug', 'taskType', 'title']);
			expect(Array.isArray(model.taskType)).toBe(true);
		}
		expect(body.data.models.map((m) => m.model)).toEqual(
			expect.arrayContaining(['gpt-image/1.5-text-to-image', ...EXTRA_MODELS.map((m) => m.model)]),
		);
	});

	it('filters by taskType (comma-separated), provider and q', async () => {
		const byType = await get<ModelsData>('/api/v1/models?taskType=Text%20to%20Speech,Image%20to%20Video');
		expect(byType.body.data.models.length).toBeGreaterThan(1);
		for (const m of byType.body.data.models) expect(m.taskType.some((t) => ['Text to Speech', 'Image to Video'].includes(t))).toBe(true);
		sim.reset();
		const byProvider = await get<ModelsData>('/api/v1/models?provider=acme');
		expect(byProvider.body.data.models.map((m) => m.model).sort()).toEqual([
			'acme/hyper-video-9',
			'acme/motion-blend-1',
			'acme/pixel-forge-3',
			'acme/voice-clone-2',
		]);
		sim.reset();
		const byQ = await get<ModelsData>('/api/v1/models?q=hyper');
		expect(byQ.body.data).toEqual({ total: 1, models: [expect.objectContaining({ model: 'acme/hyper-video-9' })] });
	});

	it('answers schema, price and success-rate with the slashes of the id not encoded', async () => {
		const schema = await get<{ model: string; openapi: { openapi: string } }>('/api/v1/models/gpt-image/1.5-text-to-image/schema');
		expect(schema.body.data.model).toBe('gpt-image/1.5-text-to-image');
		expect(schema.body.data.openapi.openapi).toBe('3.1.0');
		expect(sim.requestsFor('modelSchema')).toHaveLength(1);
		sim.reset();
		expect((await get('/api/v1/models/acme/hyper-video-9/schema')).body.data).toEqual({ model: 'acme/hyper-video-9', openapi: null });
		sim.reset();
		expect((await get('/api/v1/models/acme/hyper-video-9/price')).body.data).toEqual({
			model: 'acme/hyper-video-9',
			pricingDesc: '30 credits per 5 s video',
		});
		sim.reset();
		const rate = await get<SuccessRateBucket[]>('/api/v1/models/gpt-image/1.5-text-to-image/success-rate');
		expect(rate.body.data).toHaveLength(144);
		const [first, second] = rate.body.data;
		expect(Object.keys(first).sort()).toEqual(['end', 'errorRate', 'isNormal', 'start', 'successRate']);
		expect(first.end - first.start).toBe(10 * 60 * 1000);
		expect(second.start).toBe(first.end);
		sim.reset();
		expect((await get('/api/v1/models/gpt-image%2F1.5-text-to-image/price')).body.code).toBe(404);
		sim.reset();
		expect((await get('/api/v1/models/no/such-model/price')).body.code).toBe(404);
	});

	it('allows 1 request per second per key across the four endpoints (HTTP 200, body code 429)', async () => {
		expect((await get('/api/v1/models')).body.code).toBe(200);
		const second = await get('/api/v1/models/acme/hyper-video-9/price');
		expect(second.status).toBe(200);
		expect(second.body.code).toBe(429);
		expect((await get('/api/v1/models/acme/hyper-video-9/success-rate')).body.code).toBe(429);
		await sleep(1050);
		expect((await get('/api/v1/models/acme/hyper-video-9/schema')).body.code).toBe(200);
		expect(sim.requestsFor('modelPrice')[0].answerCode).toBe(429);
	});

	it('injects faults on the catalogue routes', async () => {
		sim.fault('models', 'code500');
		expect((await get('/api/v1/models')).body.code).toBe(500);
		sim.fault('modelPrice', 'code455');
		expect((await get('/api/v1/models/acme/hyper-video-9/price')).body.code).toBe(455);
	});
});

describe('model picker: live list merged into the built-in list', () => {
	it('adds the models only KIE lists, marked "(live)", and keeps every built-in model', async () => {
		const { results } = await search();
		expect(sim.requestsFor('models')).toHaveLength(1);
		expect(sim.requestsFor('models')[0].headers.authorization).toBe('Bearer ***');
		const values = results.map((r) => r.value);
		for (const model of MODELS) expect(values).toContain(model.id);
		const hyper = results.find((r) => r.value === 'acme/hyper-video-9');
		expect(hyper?.name).toBe('Acme Hyper Video 9 · Text to Video (live)');
		expect(hyper?.description).toMatch(/^Listed by KIE but not built into this node: its input fields \("Model Input"\) come from KIE's live schema/);
		const voice = results.find((r) => r.value === 'acme/voice-clone-2');
		expect(voice?.name).toBe('Acme Voice Clone 2 · Audio (live)');
		for (const result of results) {
			const builtIn = getModel(String(result.value)) !== undefined;
			expect(result.name.endsWith('(live)')).toBe(!builtIn);
		}
		expect(new Set(values).size).toBe(values.length);
	});

	it('groups the list by kind, in the documented order, and names each model first', async () => {
		const { results } = await search();
		const liveKinds: Record<string, string> = {
			'acme/hyper-video-9': 'Text to Video',
			'acme/voice-clone-2': 'Audio',
			'acme/pixel-forge-3': 'Text to Image',
			'acme/motion-blend-1': 'Text to Video',
		};
		const kinds = results.map((r) => liveKinds[String(r.value)] ?? kindLabel(normalizeKind(getModel(String(r.value))?.kind)));
		const order = ['Text to Image', 'Image to Image', 'Image Edit', 'Text to Video', 'Image to Video', 'Video to Video', 'Audio'];
		const ranks = kinds.map((kind) => (order.includes(kind) ? order.indexOf(kind) : order.length));
		expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
		// each kind forms one contiguous block
		const blocks = kinds.filter((kind, i) => i === 0 || kinds[i - 1] !== kind);
		expect(new Set(blocks).size).toBe(blocks.length);
		const gpt = results.find((r) => r.value === 'gpt-image/1.5-text-to-image');
		expect(gpt?.name).toBe('GPT Image 1.5 · Text to Image');
		// A name that does not say its kind gets it as a tag.
		expect(results.find((r) => r.value === 'nano-banana-2')?.name).toBe('Nano Banana 2 · Text to Image');
	});

	it('finds every model of a kind by the kind\'s name', async () => {
		const textToVideo = MODELS.filter((model) => normalizeKind(model.kind) === 'text-to-video').map((model) => model.id);
		expect(textToVideo.length).toBeGreaterThan(20);
		const { results } = await search('Text to Video');
		expect(results.map((r) => String(r.value))).toEqual(expect.arrayContaining([...textToVideo, 'acme/hyper-video-9']));
	});

	it('filters locally by name, provider and kind, without another request within the TTL', async () => {
		await search();
		const acme = await search('acme');
		expect(acme.results.map((r) => r.value).sort()).toEqual([
			'acme/hyper-video-9',
			'acme/motion-blend-1',
			'acme/pixel-forge-3',
			'acme/voice-clone-2',
		]);
		const openai = await search('openai');
		expect(openai.results.map((r) => r.value)).toEqual(expect.arrayContaining(['gpt-image/1.5-text-to-image', 'gpt-image/1.5-image-to-image']));
		const video = await search('hyper video');
		expect(video.results.map((r) => r.value)).toEqual(['acme/hyper-video-9']);
		expect(sim.requestsFor('models')).toHaveLength(1);
	});

	it('shares one cache between nodes and concurrent searches, keyed by base URL and key', async () => {
		await Promise.all([search(), search('a'), search('ac', SIM_ACCOUNT, KieAccount)]);
		expect(sim.requestsFor('models')).toHaveLength(1);
	});

	it.each([
		['code500', 500],
		['code429', 429],
		['http500', 500],
	] as const)('falls back to the built-in list when the endpoint answers %s, without retrying', async (kind, code) => {
		sim.fault('models', kind);
		const { results } = await search();
		expect(results.map((r) => r.value).sort()).toEqual(MODELS.map((m) => m.id).sort());
		expect(sim.requestsFor('models')).toHaveLength(1);
		expect(sim.requestsFor('models')[0].answerCode).toBe(code);
		// the failure is remembered briefly: typing does not hammer the endpoint
		await search('gpt');
		expect(sim.requestsFor('models')).toHaveLength(1);
	});

	it('falls back to the built-in list when the credential is rejected', async () => {
		const { results } = await search(undefined, 'wrong key');
		expect(results).toHaveLength(MODELS.length);
		expect(sim.requestsFor('models')[0].answerCode).toBe(401);
	});

	it('falls back to the built-in list without a credential', async () => {
		const { results } = await runListSearch(KieCreateTask, 'searchModelList', {});
		expect(results).toHaveLength(MODELS.length);
		expect(sim.requests).toHaveLength(0);
	});
});

describe('list helpers', () => {
	it('normalizes KIE task types to kinds', () => {
		expect(normalizeKind('Text to Video')).toBe('text-to-video');
		expect(normalizeKind('image-edit')).toBe('image-edit');
		expect(normalizeKind('Text to Speech')).toBe('audio');
		expect(normalizeKind('sound-effect')).toBe('audio');
		expect(normalizeKind(undefined)).toBe('other');
	});

	it('shows the default model by its list name on a new node', () => {
		const model = new KieCreateTask().description.properties.find((property) => property.name === 'model');
		expect(model?.default).toEqual({
			mode: 'list',
			value: 'gpt-image/1.5-text-to-image',
			cachedResultName: 'GPT Image 1.5 · Text to Image',
		});
	});

	it('merges without a live list', () => {
		expect(mergeModelList(undefined, undefined)).toHaveLength(MODELS.length);
	});

	it('keeps the slashes of a model id in catalogue paths', () => {
		expect(modelPath('wan/v2-2-t2v', 'schema')).toBe('/api/v1/models/wan/v2-2-t2v/schema');
		expect(modelPath('a b/c?d', 'price')).toBe('/api/v1/models/a%20b/c%3Fd/price');
		expect(() => modelPath('../x', 'price')).toThrow(/not a KIE model id/);
	});
});
