import { KieCreateTask } from '../../../nodes/KieCreateTask/KieCreateTask.node';
import { KieGetTask } from '../../../nodes/KieGetTask/KieGetTask.node';
import { startCallbackReceiver, startSimulator, type CallbackReceiver, type Simulator } from '../../../simulator';
import { runWorkflow, type RunResult } from '../../support/harness';
import { SIM_ACCOUNT, credentialsFor, deliverCallbacks, model } from '../setup';

/**
 * "Wait for Callback" in-process: the simulator POSTs each callback to the execution's resume URL,
 * which points at a receiver; the test hands every received callback to the waiting execution the way
 * n8n's waiting-webhook endpoint does (harness.resumeExecution).
 */
let sim: Simulator;
let receiver: CallbackReceiver;
beforeAll(async () => {
	sim = await startSimulator({ apiKey: SIM_ACCOUNT, genMs: 200, callbackRetries: 0 });
	receiver = await startCallbackReceiver();
});
afterAll(async () => {
	await receiver.close();
	await sim.close();
});
beforeEach(() => {
	sim.reset();
	receiver.clear();
});

async function submitBatch(prompts: string[], options: Record<string, unknown> = {}): Promise<RunResult> {
	return await runWorkflow({
		nodeTypes: [KieCreateTask, KieGetTask],
		credentials: credentialsFor(sim),
		webhookBaseUrl: `${receiver.baseUrl}/`,
		nodes: [
			{
				name: 'KIE',
				type: 'kieCreateTask',
				parameters: { model: model('gpt-image/1.5-text-to-image'), prompt: '={{ $json.prompt }}', completion: 'callback', options: options as never },
			},
		],
		input: prompts.map((prompt) => ({ json: { prompt } })),
	});
}

describe('KIE Create Task: Wait for Callback', () => {
	it('puts the execution to wait with the resume URL as callBackUrl, then resumes with the result', async () => {
		const waiting = await submitBatch(['a red fox']);
		expect(waiting.status).toBe('waiting');
		const [create] = sim.requestsFor('createTask');
		expect((create.body as { callBackUrl: string }).callBackUrl).toBe(waiting.resumeUrl);
		expect(waiting.waitTill!.getTime()).toBeGreaterThan(Date.now() + 800_000); // default limit: the 900 s timeout
		expect(sim.requestsFor('recordInfo')).toHaveLength(0); // no polling while waiting

		const callbacks = await receiver.waitFor(1, 10_000);
		const [answer] = await deliverCallbacks(waiting, callbacks);
		expect(answer.statusCode).toBe(200);
		expect(answer.resumed).toBe(true);
		const [item] = answer.run!.output('KIE');
		expect(item.json).toMatchObject({ taskId: create.taskId, state: 'success', resultUrls: sim.tasks.get(create.taskId!)!.resultUrls });
		expect(item.json.kieWaitingForCallback).toBeUndefined();
		expect(item.pairedItem).toEqual({ item: 0 });
	});

	it('resumes a batch of 5 once, with 5 paired items, when callbacks arrive out of order and one is lost', async () => {
		const prompts = ['one', 'two', 'three', 'four', 'five'];
		for (const genMs of [100, 700, 300, 900, 500]) sim.nextTask({ genMs });
		sim.fault('callback', 'lost', { count: 1 }); // the first task's callback never arrives
		const waiting = await submitBatch(prompts);
		expect(waiting.status).toBe('waiting');
		const taskIds = sim.requestsFor('createTask').map((request) => request.taskId!);

		// Hand each callback to the execution as soon as it arrives, as n8n would.
		const answers = [];
		for (let count = 1; count <= 4; count++) {
			const received = await receiver.waitFor(count, 10_000);
			answers.push(...(await deliverCallbacks(waiting, [received[count - 1]])));
		}
		const order = receiver.received.map((callback) => (callback.body as { data: { taskId: string } }).data.taskId);
		expect(order).toEqual([taskIds[2], taskIds[4], taskIds[1], taskIds[3]]);
		expect(answers.map((answer) => answer.resumed)).toEqual([false, false, false, true]);
		expect(answers.every((answer) => answer.statusCode === 200)).toBe(true);

		const items = answers[3].run!.output('KIE');
		expect(items.map((item) => item.json.taskId)).toEqual(taskIds);
		expect(items.map((item) => item.pairedItem)).toEqual([0, 1, 2, 3, 4].map((item) => ({ item })));
		expect(items.map((item) => item.json.state)).toEqual(Array(5).fill('success'));
		// The lost callback was reconciled by reading the task from KIE.
		expect(sim.requestsFor('recordInfo').map((request) => request.query.taskId)).toContain(taskIds[0]);
		expect(items[0].json.resultUrls).toEqual(sim.tasks.get(taskIds[0])!.resultUrls);
	});

	it('outputs a failed task as an item with its task id and error', async () => {
		sim.failNextTask({ failCode: '500', failMsg: 'Internal server error' });
		const waiting = await submitBatch(['x']);
		const answers = await deliverCallbacks(waiting, await receiver.waitFor(1, 10_000));
		const [item] = answers[0].run!.output('KIE');
		expect(item.json).toMatchObject({ state: 'failed', failCode: '500', failMsg: 'Internal server error' });
		expect(item.json.error).toBe(`Task ${item.json.taskId} failed at KIE: Internal server error`);
	});

	it('rejects a callback URL option together with Wait for Callback, before any request', async () => {
		const run = await submitBatch(['x'], { callBackUrl: 'https://example.com/hook' });
		expect(run.error?.message).toContain('"Callback URL" cannot be combined with Completion "Wait for Callback"');
		expect(sim.requests).toHaveLength(0);
	});
});

describe('KIE Create Task: Callback URL with context', () => {
	it('appends the context pairs as query parameters', async () => {
		const run = await runWorkflow({
			nodeTypes: [KieCreateTask],
			credentials: credentialsFor(sim),
			nodes: [
				{
					name: 'KIE',
					type: 'kieCreateTask',
					parameters: {
						model: model('gpt-image/1.5-text-to-image'),
						prompt: 'p',
						completion: 'submit',
						options: {
							callBackUrl: 'https://n8n.example.com/webhook/abc/callback',
							callbackContext: { values: [{ key: 'rowId', value: '={{ $json.row }}' }, { key: 'sheet', value: 'Q4 launch' }] },
						},
					},
				},
			],
			input: [{ json: { row: 42 } }],
		});
		expect(run.status).toBe('success');
		expect((sim.requestsFor('createTask')[0].body as { callBackUrl: string }).callBackUrl).toBe(
			'https://n8n.example.com/webhook/abc/callback?rowId=42&sheet=Q4+launch',
		);
	});
});
