import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { KieCreateTask } from '../../nodes/KieCreateTask/KieCreateTask.node';
import { KieGetTask } from '../../nodes/KieGetTask/KieGetTask.node';
import { KieTrigger } from '../../nodes/KieTrigger/KieTrigger.node';
import { startCallbackReceiver, startSimulator, type CallbackReceiver, type Simulator } from '../../simulator';
import { runWebhook, runWorkflow, type RunResult } from '../support/harness';
import { SIM_ACCOUNT, FAST, credentialsFor, deliverCallbacks, model, runNode } from './setup';

/**
 * Every item of a task, whichever node and completion made it, starts with `taskId`, `model`, `state`
 * and `resultUrls` in that order (those it has), whatever the download step did; the rest follows in
 * its own order. Run in-process against the simulator over real HTTP.
 */
const LEADING = ['taskId', 'model', 'state', 'resultUrls'];
const GPT = 'gpt-image/1.5-text-to-image';
const HMAC = 'whk_output_order_key';

let sim: Simulator;
let signedSim: Simulator;
let receiver: CallbackReceiver;
beforeAll(async () => {
	sim = await startSimulator({ apiKey: SIM_ACCOUNT, genMs: 200, callbackRetries: 0 });
	signedSim = await startSimulator({ apiKey: SIM_ACCOUNT, genMs: 100, callbackRetries: 0, hmacKey: HMAC });
	receiver = await startCallbackReceiver();
});
afterAll(async () => {
	await receiver.close();
	await sim.close();
	await signedSim.close();
});
beforeEach(() => {
	sim.reset();
	signedSim.reset();
	receiver.clear();
});

const keys = (json: IDataObject) => Object.keys(json);
/** The leading keys the item has, which must be its first keys, in this order. */
function expectLeading(json: IDataObject, expected: string[]): void {
	expect(LEADING.filter((key) => key in json)).toEqual(expected);
	expect(keys(json).slice(0, expected.length)).toEqual(expected);
}

const create = async (options: INodeParameters, extra: INodeParameters = {}, runOptions: { continueOnFail?: boolean } = {}) =>
	await runNode(sim, 'kieCreateTask', { model: model(GPT), prompt: 'a lighthouse', options: { ...FAST, ...options }, ...extra }, runOptions);

describe('output order: KIE Create Task, Poll', () => {
	it('URLs only: the leading four, then the times and credits', async () => {
		const [item] = (await create({})).output('KIE');
		expect(keys(item.json)).toEqual([...LEADING, 'creditsConsumed', 'costTime', 'createTime', 'completeTime']);
	});

	it('Download Results on (URLs and files): resultUrls stays fourth, files come last', async () => {
		const run = await create({ downloadResults: true });
		const [item] = run.output('KIE');
		expect(item.binary?.data.mimeType).toBe('image/png');
		expect(keys(item.json)).toEqual([...LEADING, 'creditsConsumed', 'costTime', 'createTime', 'completeTime', 'files']);
	});

	it('Download Results "Files Only": no resultUrls, the other leading keys first, files last', async () => {
		const run = await create({ downloadResults: 'binary' });
		const [item] = run.output('KIE');
		expect(item.binary?.data.mimeType).toBe('image/png');
		expect(keys(item.json)).toEqual(['taskId', 'model', 'state', 'creditsConsumed', 'costTime', 'createTime', 'completeTime', 'files']);
	});

	it('Include Raw Record with downloads: raw stays after the task fields, before files', async () => {
		const [item] = (await create({ downloadResults: true, includeRaw: true })).output('KIE');
		expectLeading(item.json, LEADING);
		expect(keys(item.json).slice(-2)).toEqual(['raw', 'files']);
	});

	it('a failed task under Continue On Fail: the leading four, the failure, then the error', async () => {
		sim.failNextTask({ failCode: '422', failMsg: 'prompt contains prohibited content' });
		const run = await create({ downloadResults: true }, {}, { continueOnFail: true });
		const [item] = run.output('KIE');
		expect(item.json).toMatchObject({ state: 'failed', failCode: '422', error: expect.stringContaining('prohibited content') });
		expectLeading(item.json, LEADING);
		expect(keys(item.json).slice(4, 6)).toEqual(['failCode', 'failMsg']);
		expect(keys(item.json).indexOf('error')).toBeGreaterThan(keys(item.json).indexOf('failMsg'));
	});
});

describe('output order: KIE Create Task, Submit Only', () => {
	it('taskId, model, state and nothing invented', async () => {
		const [item] = (await create({ downloadResults: true }, { completion: 'submit' })).output('KIE');
		expect(keys(item.json)).toEqual(['taskId', 'model', 'state']);
	});
});

/** KIE Create Task as an AI agent's tool (n8n derives the type by adding "Tool" to its name: see tool.test.ts). */
class KieCreateTaskTool extends KieCreateTask {
	constructor() {
		super();
		this.description = { ...this.description, name: 'kieCreateTaskTool', displayName: 'KIE Create Task Tool' };
	}
}

describe('output order: KIE Create Task as a tool', () => {
	it('the leading four, in order, with Download Results on', async () => {
		const run = await runWorkflow({
			nodeTypes: [KieCreateTaskTool],
			credentials: credentialsFor(sim),
			nodes: [{ name: 'KIE', type: 'kieCreateTaskTool', parameters: { model: model(GPT), prompt: 'a red fox', options: { ...FAST, downloadResults: true } } }],
			input: [{ json: { toolCallId: 'call_1' } }],
		});
		const [item] = run.output('KIE');
		// Then what the call cost.
		expect(keys(item.json)).toEqual([...LEADING, 'creditsConsumed']);
	});
});

describe('output order: KIE Create Task, Wait for Callback', () => {
	async function submitBatch(prompts: string[], options: INodeParameters): Promise<RunResult> {
		return await runWorkflow({
			nodeTypes: [KieCreateTask, KieGetTask],
			credentials: credentialsFor(sim),
			webhookBaseUrl: `${receiver.baseUrl}/`,
			nodes: [{ name: 'KIE', type: 'kieCreateTask', parameters: { model: model(GPT), prompt: '={{ $json.prompt }}', completion: 'callback', options } }],
			input: prompts.map((prompt) => ({ json: { prompt } })),
		});
	}

	it('resumed with Download Results on: resultUrls stays fourth, for a success and a failure alike', async () => {
		sim.nextTask({ genMs: 600 });
		sim.nextTask({ genMs: 600, fail: { failCode: '500', failMsg: 'Internal server error' } });
		const waiting = await submitBatch(['a red fox', 'a blue fox'], { downloadResults: true });
		expect(waiting.status).toBe('waiting');
		const callbacks = await receiver.waitFor(2, 10_000);
		const answers = await deliverCallbacks(waiting, callbacks);
		const resumed = answers.find((answer) => answer.resumed);
		expect(resumed).toBeDefined();
		const items = resumed!.run!.output('KIE');
		expect(items).toHaveLength(2);
		const success = items.find((item) => item.json.state === 'success')!;
		const failure = items.find((item) => item.json.state === 'failed')!;
		expect(success.binary?.data.mimeType).toBe('image/png');
		expect(keys(success.json)).toEqual([...LEADING, 'creditsConsumed', 'costTime', 'createTime', 'completeTime', 'files']);
		expectLeading(failure.json, LEADING);
		expect(keys(failure.json).slice(4, 6)).toEqual(['failCode', 'failMsg']);
		expect(keys(failure.json).at(-1)).toBe('error');
	});

	it('resumed with URLs only: the leading four first', async () => {
		sim.nextTask({ genMs: 600 });
		const waiting = await submitBatch(['a grey fox'], {});
		expect(waiting.status).toBe('waiting');
		const [answer] = await deliverCallbacks(waiting, await receiver.waitFor(1, 10_000));
		expect(answer.resumed).toBe(true);
		const [item] = answer.run!.output('KIE');
		expect(keys(item.json)).toEqual([...LEADING, 'creditsConsumed', 'costTime', 'createTime', 'completeTime']);
	});
});

describe('output order: KIE Get Task', () => {
	async function submitted(fail?: { failCode: string; failMsg: string }): Promise<string> {
		if (fail) sim.failNextTask(fail);
		const run = await runNode(sim, 'kieCreateTask', { model: model(GPT), prompt: 'a heron', completion: 'submit' });
		return run.output('KIE')[0].json.taskId as string;
	}

	it('a finished task, downloaded: the leading four, family and the times, files last', async () => {
		const taskId = await submitted();
		const run = await runNode(sim, 'kieGetTask', { taskId, options: { ...FAST, waitUntilDone: true, downloadResults: true } });
		const [item] = run.output('KIE');
		expect(item.binary?.data.mimeType).toBe('image/png');
		expectLeading(item.json, LEADING);
		expect(keys(item.json)).toContain('family');
		expect(keys(item.json).at(-1)).toBe('files');
		expect(keys(item.json).indexOf('resultUrls')).toBeLessThan(keys(item.json).indexOf('completeTime'));
	});

	it('a running task: the leading four first', async () => {
		const taskId = await submitted();
		const [item] = (await runNode(sim, 'kieGetTask', { taskId, family: 'market' })).output('KIE');
		expect(item.json.state).toBe('pending');
		expectLeading(item.json, LEADING);
	});

	it('a failed task: the leading four, then its code and message', async () => {
		const taskId = await submitted({ failCode: '422', failMsg: 'prompt contains prohibited content' });
		const run = await runNode(sim, 'kieGetTask', { taskId, options: { ...FAST, waitUntilDone: true, downloadResults: true } });
		const [item] = run.output('KIE');
		expect(item.json.state).toBe('failed');
		expectLeading(item.json, LEADING);
		expect(keys(item.json).slice(4, 6)).toEqual(['failCode', 'failMsg']);
	});
});

describe('output order: KIE Trigger', () => {
	it('a signed callback with Download Results on: resultUrls stays fourth, files last', async () => {
		const res = await fetch(`${signedSim.url}/api/v1/jobs/createTask`, {
			method: 'POST',
			headers: { authorization: `Bearer ${SIM_ACCOUNT}`, 'content-type': 'application/json' },
			body: JSON.stringify({ model: GPT, input: { prompt: 'p', aspect_ratio: '1:1', quality: 'medium' }, callBackUrl: receiver.url }),
		});
		expect((await res.json()).code).toBe(200);
		const [callback] = await receiver.waitFor(1, 10_000);
		const credentials = { kieApi: { apiKey: SIM_ACCOUNT, baseUrl: signedSim.url, uploadBaseUrl: signedSim.url, webhookHmacKey: HMAC } };
		const result = await runWebhook(
			KieTrigger,
			{ options: { downloadResults: true } } as never,
			credentials,
			{ method: 'POST', body: callback.body as IDataObject, headers: callback.headers as Record<string, string> },
			{ staticData: {}, workflowId: 'output-order-trigger' },
		);
		const [item] = result.workflowData![0];
		expect(item.binary?.data.mimeType).toBe('image/png');
		expectLeading(item.json, LEADING);
		expect(keys(item.json).at(-1)).toBe('files');
		expect(keys(item.json).indexOf('resultUrls')).toBeLessThan(keys(item.json).indexOf('family'));
	});
});
