import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { KieAccount } from '../../../nodes/KieAccount/KieAccount.node';
import { KieCreateTask } from '../../../nodes/KieCreateTask/KieCreateTask.node';
import { clearLiveModelCache } from '../../../nodes/shared/api/catalogue';
import { getModel, type ModelDefinition } from '../../../nodes/shared/registry';
import { liveModelInfo, modelFromLiveSchema } from '../../../nodes/shared/registry/liveSchema';
import { toolDescriptionFor } from '../../../nodes/shared/registry/tool';
import { startSimulator, type Simulator } from '../../../simulator';
import { listedModels } from '../../../simulator/catalogue-api';
import { runWorkflow, type InputItem, type RunResult } from '../../support/harness';
import { credentialsFor, FAST, model, SIM_ACCOUNT } from '../setup';

let sim: Simulator;
beforeAll(async () => {
	sim = await startSimulator({ apiKey: SIM_ACCOUNT, genMs: 100 });
});
afterAll(async () => await sim.close());
beforeEach(() => {
	sim.reset();
	clearLiveModelCache();
});

async function runAccount(
	parameters: INodeParameters,
	options: { input?: InputItem[]; continueOnFail?: boolean; apiKey?: string } = {},
): Promise<RunResult> {
	return await runWorkflow({
		nodeTypes: [KieAccount],
		credentials: credentialsFor(sim, options.apiKey),
		nodes: [{ name: 'Account', type: 'kieAccount', parameters, continueOnFail: options.continueOnFail }],
		input: options.input ?? [{ json: {} }],
	});
}

async function runCreate(parameters: INodeParameters, input: InputItem[] = [{ json: {} }]): Promise<RunResult> {
	return await runWorkflow({
		nodeTypes: [KieCreateTask],
		credentials: credentialsFor(sim),
		nodes: [{ name: 'KIE', type: 'kieCreateTask', parameters }],
		input,
	});
}

async function kiePost(path: string, body: object): Promise<{ code: number; data: { taskId: string } }> {
	const response = await fetch(`${sim.url}${path}`, {
		method: 'POST',
		headers: { Authorization: `Bearer ${SIM_ACCOUNT}`, 'Content-Type': 'application/json' },
		body: JSON.stringify(body),
	});
	return (await response.json()) as { code: number; data: { taskId: string } };
}

describe('KIE Account', () => {
	it('Get Credits outputs {credits}', async () => {
		sim.setCredits(60.62);
		const run = await runAccount({ operation: 'getCredits' });
		expect(run.status).toBe('success');
		expect(run.output('Account')).toEqual([{ json: { credits: 60.62 }, pairedItem: { item: 0 } }]);
		expect(sim.requestsFor('credit')).toHaveLength(1);
	});

	it('List Models outputs one item per model, with the filters sent as query parameters', async () => {
		const run = await runAccount({ operation: 'listModels', filters: { provider: 'Acme', taskType: 'Text to Video', q: 'hyper' } });
		expect(run.status).toBe('success');
		expect(sim.requestsFor('models')[0].query).toEqual({ provider: 'Acme', taskType: 'Text to Video', q: 'hyper' });
		expect(run.output('Account')).toEqual([
			{
				json: expect.objectContaining({ model: 'acme/hyper-video-9', provider: 'Acme', builtIn: false, total: 1 }),
				pairedItem: { item: 0 },
			},
		]);
	});

	it('List Models without filters lists the whole catalogue and tells which models are built in', async () => {
		const run = await runAccount({ operation: 'listModels' });
		const items = run.output('Account');
		expect(items).toHaveLength(listedModels().length);
		expect(sim.requestsFor('models')[0].query).toEqual({});
		const gpt = items.find((item) => item.json.model === 'gpt-image/1.5-text-to-image');
		expect(gpt?.json.builtIn).toBe(true);
		for (const item of items) expect(item.json.builtIn).toBe(getModel(String(item.json.model)) !== undefined);
	});

	it('Get Model Schema sends the id with its slashes and outputs the OpenAPI document', async () => {
		const run = await runAccount({ operation: 'getModelSchema', model: model('gpt-image/1.5-text-to-image') });
		expect(run.status).toBe('success');
		expect(sim.requestsFor('modelSchema')[0].path).toBe('/api/v1/models/gpt-image/1.5-text-to-image/schema');
		const [item] = run.output('Account');
		expect(item.json).toMatchObject({ model: 'gpt-image/1.5-text-to-image', synced: true, openapi: { openapi: '3.1.0' } });
		// The fields as KIE Create Task reads them from the document, next to it.
		const fields = item.json.fields as Array<Record<string, unknown>>;
		expect(fields.find((field) => field.name === 'prompt')).toMatchObject({ name: 'prompt', type: 'string', required: true });
		expect(fields.find((field) => field.name === 'aspect_ratio')).toMatchObject({ type: 'string', enum: ['1:1', '2:3', '3:2'] });
		expect(item.json.fieldsNote).toBeUndefined();
	});

	it('Get Model Schema parses a live model\'s document into its fields (types, allowed values, defaults, limits)', async () => {
		const run = await runAccount({ operation: 'getModelSchema', model: model('acme/pixel-forge-3', 'id') });
		const fields = run.output('Account')[0].json.fields as Array<Record<string, unknown>>;
		expect(fields.map((field) => field.name).sort()).toEqual(['aspect_ratio', 'enhance_prompt', 'image_urls', 'num_images', 'prompt', 'seed', 'style']);
		expect(fields.find((field) => field.name === 'num_images')).toMatchObject({ type: 'string', enum: ['1', '2', '4'], default: '1' });
		expect(fields.find((field) => field.name === 'image_urls')).toMatchObject({ type: 'array', maxItems: 4, format: 'uri' });
		expect(fields.find((field) => field.name === 'seed')).toMatchObject({ type: 'integer', min: 0, max: 2147483647 });
	});

	it('Get Model Schema outputs the AI tool description of a live model, from its live fields with their allowed values', async () => {
		const run = await runAccount({ operation: 'getModelSchema', model: model('acme/pixel-forge-3', 'id') });
		const json = run.output('Account')[0].json;
		const parsed = modelFromLiveSchema('acme/pixel-forge-3', json.openapi, liveModelInfo('acme/pixel-forge-3', json.openapi));
		expect('model' in parsed).toBe(true);
		// Exactly what KIE Create Task Tool would say of the model, were it built in (tool.ts).
		expect(json.toolDescription).toBe(toolDescriptionFor((parsed as { model: ModelDefinition }).model));
		const text = String(json.toolDescription);
		// The name from the document's title, images (its media), every field with allowed values, with them.
		expect(text).toMatch(/^Creates images with Acme Pixel Forge 3\b/);
		expect(text).toContain('prompt (required)');
		for (const values of ['1:1|3:2|2:3|16:9|9:16', '1|2|4', 'photo|illustration|3d']) expect(text).toContain(values);
		expect(text).toMatch(/aspect ratio: 1:1\|/);
		expect(text).toMatch(/num images: 1\|2\|4/);
		expect(text).toMatch(/style: photo\|/);
		// The field binary inputs go to, as a URL list.
		expect(text).toMatch(/image urls \(public URLs\)/);
		// Next to the fields it is made of.
		expect((json.fields as IDataObject[]).map((field) => field.name)).toContain('aspect_ratio');
	});

	it('Get Model Schema\'s tool description of a live video model says videos and lists its fields', async () => {
		const run = await runAccount({ operation: 'getModelSchema', model: model('acme/motion-blend-1', 'id') });
		const text = String(run.output('Account')[0].json.toolDescription);
		expect(text).toMatch(/^Creates videos with Acme Motion Blend 1\b/);
		expect(text).toContain('prompt (required)');
		expect(text).toMatch(/duration: 5\|10\b/);
		expect(text).toMatch(/image url \(public URL\)/);
	});

	it('Get Model Schema\'s tool description of a built-in model read live names it as the registry does', async () => {
		const run = await runAccount({ operation: 'getModelSchema', model: model('gpt-image/1.5-text-to-image') });
		const text = String(run.output('Account')[0].json.toolDescription);
		expect(text).toContain(getModel('gpt-image/1.5-text-to-image')!.displayName);
		expect(text).toMatch(/aspect ratio: 1:1\|2:3\|3:2/);
	});

	it('Get Model Schema reports a model KIE has not synced yet (openapi null)', async () => {
		const run = await runAccount({ operation: 'getModelSchema', model: model('acme/hyper-video-9', 'id') });
		expect(run.output('Account')[0].json).toEqual({
			model: 'acme/hyper-video-9',
			openapi: null,
			synced: false,
			fields: [],
			fieldsNote: 'KIE has not published a schema for this model yet (its schema is null)',
		});
	});

	it('Get Model Price outputs {model, pricingDesc}', async () => {
		const run = await runAccount({ operation: 'getModelPrice', model: model('acme/hyper-video-9', 'id') });
		expect(run.output('Account')[0].json).toEqual({ model: 'acme/hyper-video-9', pricingDesc: '30 credits per 5 s video' });
	});

	it('Get Model Success Rate outputs the buckets, the latest one and the average', async () => {
		const run = await runAccount({ operation: 'getModelSuccessRate', model: model('gpt-image/1.5-text-to-image') });
		const [item] = run.output('Account');
		const buckets = item.json.buckets as Array<{ successRate: number; isNormal: boolean }>;
		expect(buckets).toHaveLength(144);
		expect(item.json.latest).toEqual(buckets[143]);
		expect(item.json.isNormal).toBe(buckets[143].isNormal);
		const mean = buckets.reduce((sum, b) => sum + b.successRate, 0) / buckets.length;
		expect(item.json.averageSuccessRate).toBeCloseTo(mean, 3);
	});

	it('spaces catalogue requests of one execution 1 s apart, so several items stay within the limit', async () => {
		const run = await runAccount(
			{ operation: 'getModelPrice', model: model('={{ $json.id }}', 'id') },
			{ input: [{ json: { id: 'acme/hyper-video-9' } }, { json: { id: 'acme/voice-clone-2' } }] },
		);
		expect(run.status).toBe('success');
		const prices = sim.requestsFor('modelPrice');
		expect(prices.map((r) => r.answerCode)).toEqual([200, 200]);
		expect(prices[1].at - prices[0].at).toBeGreaterThanOrEqual(950);
		expect(run.output('Account').map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
	});

	it('retries a catalogue 429 through the transport', async () => {
		sim.fault('modelPrice', 'code429');
		const run = await runAccount({ operation: 'getModelPrice', model: model('acme/voice-clone-2', 'id') });
		expect(run.status).toBe('success');
		expect(sim.requestsFor('modelPrice').map((r) => r.answerCode)).toEqual([429, 200]);
	});

	it('maps KIE codes to the transport errors (unknown model → 404)', async () => {
		const run = await runAccount({ operation: 'getModelPrice', model: model('no/such-model', 'id') });
		expect(run.status).toBe('error');
		expect(run.error?.message).toMatch(/\(code 404\)/);
	});

	it('reports a bad key with the transport message, or as an item with Continue On Fail', async () => {
		const failed = await runAccount({ operation: 'getCredits' }, { apiKey: 'wrong key' });
		expect(failed.error?.message).toMatch(/KIE rejected the API key \(code 401\)/);
		const kept = await runAccount({ operation: 'getCredits' }, { apiKey: 'wrong key', continueOnFail: true });
		expect(kept.output('Account')[0].json.error).toMatch(/code 401/);
	});

	it('Get Download URL: a Market result → POST /api/v1/common/download-url, valid 20 minutes', async () => {
		const created = await kiePost('/api/v1/jobs/createTask', {
			model: 'gpt-image/1.5-text-to-image',
			input: { prompt: 'a fox', aspect_ratio: '1:1', quality: 'medium' },
		});
		const task = sim.tasks.get(created.data.taskId)!;
		await sim.waitForTask(task.taskId);
		const before = Date.now();
		const run = await runAccount({ operation: 'getDownloadUrl', url: task.resultUrls[0] });
		expect(run.status).toBe('success');
		expect(sim.requestsFor('downloadUrl')[0].body).toEqual({ url: task.resultUrls[0] });
		const { json } = run.output('Account')[0];
		expect(json.url).toBe(task.resultUrls[0]);
		expect(json.downloadUrl).toMatch(/X-Amz-Signature=/);
		const expires = new Date(json.expiresAt as string).getTime();
		expect(expires).toBeGreaterThanOrEqual(before + 20 * 60 * 1000 - 1000);
		expect(expires).toBeLessThanOrEqual(Date.now() + 20 * 60 * 1000);
		expect((await fetch(json.downloadUrl as string)).status).toBe(200);
	});

	it('Get Download URL: with a task id → POST /api/v1/gpt4o-image/download-url {taskId, url}', async () => {
		const created = await kiePost('/api/v1/gpt4o-image/generate', { prompt: 'a fox', size: '1:1' });
		const task = sim.tasks.get(created.data.taskId)!;
		await sim.waitForTask(task.taskId);
		const run = await runAccount({ operation: 'getDownloadUrl', url: task.resultUrls[0], taskId: task.taskId });
		expect(run.status).toBe('success');
		expect(sim.requestsFor('4oDownloadUrl')[0].body).toEqual({ taskId: task.taskId, url: task.resultUrls[0] });
		expect(sim.requestsFor('downloadUrl')).toHaveLength(0);
		expect(run.output('Account')[0].json).toMatchObject({ taskId: task.taskId, url: task.resultUrls[0], downloadUrl: expect.stringMatching(/^http/) });
	});

	it('Get Download URL refuses a URL KIE did not generate (code 422)', async () => {
		const run = await runAccount({ operation: 'getDownloadUrl', url: 'https://example.com/a.png' });
		expect(run.error?.message).toMatch(/\(code 422\)/);
	});
});

describe('KIE Create Task: Check Credits First', () => {
	const params = (minimumCredits: number): INodeParameters => ({
		model: model('gpt-image/1.5-text-to-image'),
		prompt: 'a fox',
		options: { ...FAST, checkCreditsFirst: true, minimumCredits },
	});

	it('stops with the balance and the threshold, and submits nothing, when the balance is low', async () => {
		sim.setCredits(5);
		const run = await runCreate(params(20), [{ json: {} }, { json: {} }]);
		expect(run.status).toBe('error');
		expect(run.error?.message).toMatch(/the balance is 5, below the minimum of 20/);
		expect(sim.requestsFor('credit')).toHaveLength(1);
		expect(sim.requestsFor('createTask')).toHaveLength(0);
	});

	it('reads the balance once per execution and submits when it is high enough', async () => {
		sim.setCredits(500);
		const run = await runCreate(params(20), [{ json: {} }, { json: {} }]);
		expect(run.status).toBe('success');
		expect(sim.requestsFor('credit')).toHaveLength(1);
		expect(sim.requestsFor('createTask')).toHaveLength(2);
		expect(sim.requests.findIndex((r) => r.route === 'credit')).toBeLessThan(sim.requests.findIndex((r) => r.route === 'createTask'));
	});

	it('does not read the balance when the option is off', async () => {
		const run = await runCreate({ model: model('gpt-image/1.5-text-to-image'), prompt: 'a fox', options: FAST });
		expect(run.status).toBe('success');
		expect(sim.requestsFor('credit')).toHaveLength(0);
	});

	it('validates the items before reading the balance (a bad item costs no request)', async () => {
		const run = await runCreate({ ...params(1), prompt: '={{ "  " }}' });
		expect(run.status).toBe('error');
		expect(sim.requests).toHaveLength(0);
	});
});
