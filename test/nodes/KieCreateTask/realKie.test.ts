import { sleep } from 'n8n-workflow';

import { KieCreateTask } from '../../../nodes/KieCreateTask/KieCreateTask.node';
import { KieGetTask } from '../../../nodes/KieGetTask/KieGetTask.node';
import { startCallbackReceiver, startSimulator, type CallbackReceiver, type Simulator } from '../../../simulator';
import { resumeExecution, runWorkflow } from '../../support/harness';
import { SIM_ACCOUNT, FAST, credentialsFor, deliverCallbacks, model, runNode } from '../setup';

/**
 * Real KIE (issue 21), in-process, against the simulator over real HTTP with its real-KIE behaviours on:
 * the Market's `recordInfo` answers HTTP 200 `{"code":422,"msg":"recordInfo is null","data":null}` for a
 * task it has not indexed yet (`notIndexedMs` after the create; corpus error-envelope-5, scenario-poll-1)
 * and for a task id it does not know, and KIE's maintenance answer is code 500 "The server is currently
 * being maintained…" (error-envelope-2). The grace period's end (60 s) is covered by
 * test/unit/api/tasks.test.ts with a clock.
 */
const NOT_INDEXED_MS = 1200;
let sim: Simulator;
let receiver: CallbackReceiver;
beforeAll(async () => {
	// A task runs 800 ms, inside the window: KIE answers "recordInfo is null" only while a task runs (an ended
	// task is indexed).
	sim = await startSimulator({ apiKey: SIM_ACCOUNT, genMs: 800, realKie: true, notIndexedMs: NOT_INDEXED_MS, callbackRetries: 0 });
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

const notIndexedAnswers = () => sim.requestsFor('recordInfo').filter((request) => request.answerCode === 422);
const gets = () => sim.requests.filter((request) => request.method === 'GET').map((request) => request.path);

describe('Real KIE: a poll right after the create meets "recordInfo is null"', () => {
	it('KIE Create Task (poll) goes on polling through the 422 window and outputs the result: one paid create', async () => {
		const run = await runNode(sim, 'kieCreateTask', { model: model('gpt-image/1.5-text-to-image'), prompt: 'a fox', completion: 'poll', options: FAST });
		expect(run.error).toBeUndefined();
		const [item] = run.output('KIE');
		const creates = sim.requestsFor('createTask');
		expect(creates).toHaveLength(1);
		expect(item.json).toMatchObject({ taskId: creates[0].taskId, state: 'success', resultUrls: sim.tasks.get(creates[0].taskId!)!.resultUrls });
		expect(notIndexedAnswers().length).toBeGreaterThan(0);
		expect(notIndexedAnswers()[0].response).toEqual({ code: 422, msg: 'recordInfo is null', data: null });
	});

	it('a batch of 3 polls through the window too: 3 creates, 3 results', async () => {
		const run = await runNode(
			sim,
			'kieCreateTask',
			{ model: model('gpt-image/1.5-text-to-image'), prompt: '={{ $json.prompt }}', completion: 'poll', options: FAST },
			{ input: [{ json: { prompt: 'one' } }, { json: { prompt: 'two' } }, { json: { prompt: 'three' } }] },
		);
		expect(run.error).toBeUndefined();
		expect(run.output('KIE').map((item) => item.json.state)).toEqual(['success', 'success', 'success']);
		expect(sim.requestsFor('createTask')).toHaveLength(3);
		expect(notIndexedAnswers().length).toBeGreaterThanOrEqual(3);
	});

	it('KIE Get Task "Wait Until Done" with a Market family waits through the window', async () => {
		const submitted = await runNode(sim, 'kieCreateTask', { model: model('gpt-image/1.5-text-to-image'), prompt: 'a fox', completion: 'submit' });
		const taskId = submitted.output('KIE')[0].json.taskId as string;
		const run = await runNode(sim, 'kieGetTask', { taskId, family: 'market', options: { ...FAST, waitUntilDone: true } });
		expect(run.output('KIE')[0].json).toMatchObject({ taskId, state: 'success', family: 'market' });
		expect(notIndexedAnswers().length).toBeGreaterThan(0);
	});

	it('KIE Get Task "Auto" + "Wait Until Done" right after the create: no family knows the task yet, the Market said "recordInfo is null", so it waits there', async () => {
		const submitted = await runNode(sim, 'kieCreateTask', { model: model('gpt-image/1.5-text-to-image'), prompt: 'a fox', completion: 'submit' });
		const taskId = submitted.output('KIE')[0].json.taskId as string;
		const run = await runNode(sim, 'kieGetTask', { taskId, options: { ...FAST, waitUntilDone: true } });
		expect(run.error).toBeUndefined();
		expect(run.output('KIE')[0].json).toMatchObject({ taskId, state: 'success', family: 'market' });
		expect(sim.requestsFor('createTask')).toHaveLength(1);
	});

	it('KIE Get Task without a wait says KIE does not know the task, with its id', async () => {
		const run = await runNode(sim, 'kieGetTask', { taskId: 'task_kie_never_saw', family: 'market' });
		expect(run.error?.message).toBe('Item 1: KIE does not know task task_kie_never_saw (recordInfo is null) — check https://kie.ai/logs');
		expect(run.error?.description).toContain('may not be indexed yet');
	});
});

describe('Real KIE: Get Task "Auto" behind a Market 422 (scenario-auto-find-1)', () => {
	it('finds a 4o task: the Market answers "recordInfo is null", the 4o record knows it', async () => {
		const submitted = await runNode(sim, 'kieCreateTask', { model: model('4o-image'), prompt: 'a cat', completion: 'submit' });
		const taskId = submitted.output('KIE')[0].json.taskId as string;
		sim.requests.length = 0;
		const run = await runNode(sim, 'kieGetTask', { taskId, options: { ...FAST, waitUntilDone: true } });
		expect(run.error).toBeUndefined();
		expect(run.output('KIE')[0].json).toMatchObject({ taskId, family: '4o', state: 'success' });
		expect(gets()[0]).toBe('/api/v1/jobs/recordInfo');
		expect(gets()[1]).toBe('/api/v1/gpt4o-image/record-info');
		expect(new Set(gets().slice(1))).toEqual(new Set(['/api/v1/gpt4o-image/record-info']));
		expect(notIndexedAnswers()).toHaveLength(1);
	});

	it('names every API it tried when none knows the task', async () => {
		const run = await runNode(sim, 'kieGetTask', { taskId: 'task_nobody_knows' });
		expect(run.error?.message).toBe('Item 1: no KIE API knows task task_nobody_knows');
		expect(run.error?.description).toContain('Market Jobs (Most Models) answered "recordInfo is null"');
	});
});

describe('Real KIE: maintenance answers code 500 (error-envelope-2)', () => {
	it('a create answered "being maintained" is described as maintenance, and not sent again', async () => {
		sim.fault('createTask', 'maintenance');
		const run = await runNode(sim, 'kieCreateTask', { model: model('gpt-image/1.5-text-to-image'), prompt: 'a fox', completion: 'poll', options: FAST });
		expect(run.error?.message).toBe('Item 1: KIE is under maintenance (code 500): The server is currently being maintained, please try again later~');
		expect(run.error?.description).toContain('Wait a few minutes');
		expect(sim.requestsFor('createTask')).toHaveLength(1);
	});

	it('another 500 is a server error, not maintenance', async () => {
		sim.fault('createTask', 'code500', { msg: 'Internal Error' });
		const run = await runNode(sim, 'kieCreateTask', { model: model('gpt-image/1.5-text-to-image'), prompt: 'a fox', completion: 'poll', options: FAST });
		expect(run.error?.message).toBe('Item 1: KIE had a server error (code 500): Internal Error');
		expect(sim.requestsFor('createTask')).toHaveLength(1);
	});

	it('a status read answered "being maintained" is read again, and the task is collected', async () => {
		sim.fault('recordInfo', 'maintenance', { count: 1 });
		const run = await runNode(sim, 'kieCreateTask', { model: model('gpt-image/1.5-text-to-image'), prompt: 'a fox', completion: 'poll', options: FAST });
		expect(run.output('KIE')[0].json.state).toBe('success');
		expect(sim.requestsFor('createTask')).toHaveLength(1);
	});
});

describe('Real KIE: "Wait for Callback" reads of a task in the 422 window', () => {
	it('a callback while another task of the batch is not listed yet is answered 200 (that task is pending), not 503; a later nudge settles the batch', async () => {
		sim.nextTask({ genMs: 100 }).nextTask({ genMs: 3_000 });
		const waiting = await runWorkflow({
			nodeTypes: [KieCreateTask, KieGetTask],
			credentials: credentialsFor(sim),
			webhookBaseUrl: `${receiver.baseUrl}/`,
			nodes: [{ name: 'KIE', type: 'kieCreateTask', parameters: { model: model('gpt-image/1.5-text-to-image'), prompt: '={{ $json.prompt }}', completion: 'callback' } }],
			input: [{ json: { prompt: 'fast' } }, { json: { prompt: 'slow' } }],
		});
		expect(waiting.status).toBe('waiting');
		const [, slow] = sim.requestsFor('createTask');
		const callbacks = await receiver.waitFor(1, 10_000);
		const readsBefore = sim.requestsFor('recordInfo').length;
		const [answer] = await deliverCallbacks(waiting, callbacks);
		// Unsigned (no key): the callback is only a signal; its round read the newest task, still running and
		// not listed yet ("recordInfo is null": pending), where it used to fail the round (503).
		expect(Date.now() - sim.tasks.get(slow.taskId!)!.createdAt).toBeLessThan(NOT_INDEXED_MS + 3_000);
		const roundReads = sim.requestsFor('recordInfo').slice(readsBefore).filter((request) => request.query.taskId === slow.taskId);
		expect(roundReads.length).toBeGreaterThan(0);
		expect(roundReads[0].answerCode).toBe(422);
		expect(answer.statusCode).toBe(200);
		expect(answer.resumed).toBe(false);

		// After the window (and the batch's pause between rounds of reads), a nudge reads the result.
		let resumed = false;
		for (let attempt = 0; attempt < 20 && !resumed; attempt++) {
			await sleep(500);
			const nudge = await resumeExecution(waiting, { body: {}, headers: {}, url: waiting.resumeUrl });
			if (nudge.resumed) {
				resumed = true;
				expect(nudge.run!.output('KIE').map((item) => item.json.state)).toEqual(['success', 'success']);
			}
		}
		expect(resumed).toBe(true);
		expect(sim.requestsFor('createTask')).toHaveLength(2);
	});
});
