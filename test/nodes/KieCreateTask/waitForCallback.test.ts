import { sleep, type IDataObject } from 'n8n-workflow';

import { KieCreateTask } from '../../../nodes/KieCreateTask/KieCreateTask.node';
import { KieGetTask } from '../../../nodes/KieGetTask/KieGetTask.node';
import { parseBatch, type BatchRecord } from '../../../nodes/KieCreateTask/actions/batch';
import { kieNudgeToken } from '../../../nodes/shared/webhook/signature';
import { signCallback, startCallbackReceiver, startSimulator, type CallbackReceiver, type ReceivedCallback, type Simulator } from '../../../simulator';
import { routeHost } from '../../support/kie-dns';
import { resumeAfterTimeout, resumeExecution, runWorkflow, type ResumeResult, type RunResult } from '../../support/harness';
import { WAIT_LIMIT_NOTE } from '../../../nodes/KieCreateTask/actions/create';
import { SIM_ACCOUNT, credentialsFor, deliverCallbacks, model, warningsOf } from '../setup';

/**
 * "Wait for Callback" in-process: the simulator POSTs each callback to the execution's resume URL,
 * which points at a receiver; the test hands the received callbacks to the waiting execution the way
 * n8n's waiting-webhook endpoint does (harness.resumeExecution). Callbacks that reach the receiver
 * before the execution waits are dropped, as n8n refuses them.
 */
const HMAC = 'whk_wait_for_callback_key';
let sim: Simulator;
let signedSim: Simulator;
let receiver: CallbackReceiver;
beforeAll(async () => {
	sim = await startSimulator({ apiKey: SIM_ACCOUNT, genMs: 200, callbackRetries: 0 });
	signedSim = await startSimulator({ apiKey: SIM_ACCOUNT, genMs: 200, callbackRetries: 0, hmacKey: HMAC });
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

const signedCredentials = () => ({ kieApi: { ...credentialsFor(signedSim).kieApi, webhookHmacKey: HMAC } });

async function submitBatch(
	prompts: string[],
	options: Record<string, unknown> = {},
	setup: { on?: Simulator; credentials?: ReturnType<typeof credentialsFor>; webhookBaseUrl?: string } = {},
): Promise<RunResult> {
	return await runWorkflow({
		nodeTypes: [KieCreateTask, KieGetTask],
		credentials: setup.credentials ?? credentialsFor(setup.on ?? sim),
		webhookBaseUrl: setup.webhookBaseUrl ?? `${receiver.baseUrl}/`,
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

const reads = (on: Simulator = sim) => on.requestsFor('recordInfo').length;
const taskIdOf = (callback: ReceivedCallback) => (callback.body as { data: { taskId: string } }).data.taskId;
const nudge = async (waiting: RunResult) => await resumeExecution(waiting, { body: {}, headers: {}, url: waiting.resumeUrl });
/** The batch record the waiting node saved in its context (what n8n's API shows of the execution). */
const savedBatch = (run: RunResult): BatchRecord => {
	const context = (run.run.data.executionData?.contextData ?? {}) as Record<string, { kieBatch?: string }>;
	return parseBatch(context['node:KIE']?.kieBatch)!;
};
const customData = (run: RunResult) => (run.run.data.resultData.metadata ?? {}) as Record<string, string>;

/**
 * Hands each callback that reaches the receiver to the waiting execution at once, concurrently, as n8n
 * does, until one resumes it (or `timeoutMs` passes). Callbacks received before `since` are dropped.
 */
async function deliverAsTheyArrive(waiting: RunResult, since: number, timeoutMs = 60_000): Promise<ResumeResult[]> {
	const answers: Array<Promise<ResumeResult>> = [];
	const handed = new Set<ReceivedCallback>();
	const started = Date.now();
	let resumed = false;
	while (!resumed && Date.now() - started < timeoutMs) {
		for (const callback of receiver.received) {
			if (handed.has(callback)) continue;
			handed.add(callback);
			if (callback.at < since) continue;
			answers.push(
				resumeExecution(waiting, { body: callback.body as never, headers: callback.headers as never, url: callback.path }).then((answer) => {
					if (answer.resumed) resumed = true;
					return answer;
				}),
			);
		}
		await sleep(20);
	}
	return await Promise.all(answers);
}

describe('KIE Create Task: Wait for Callback', () => {
	it('waits without a time limit, shows the batch in custom data, and resumes with the result', async () => {
		sim.nextTask({ genMs: 500 });
		const waiting = await submitBatch(['a red fox']);
		expect(waiting.status).toBe('waiting');
		const [create] = sim.requestsFor('createTask');
		expect((create.body as { callBackUrl: string }).callBackUrl).toBe(waiting.resumeUrl);
		expect(waiting.waitTill!.toISOString()).toBe('3000-01-01T00:00:00.000Z'); // n8n's "wait indefinitely"
		expect(reads()).toBe(1); // one read after submitting; none while waiting
		expect(customData(waiting)).toEqual({
			kie_batch: expect.stringMatching(/^1 task waiting for KIE callbacks since \d{4}-\d\d-\d\dT/),
			kie_tasks_1: create.taskId,
		});

		const callbacks = await receiver.waitFor(1, 10_000);
		const [answer] = await deliverCallbacks(waiting, callbacks);
		expect(answer.statusCode).toBe(200);
		expect(answer.resumed).toBe(true);
		const [item] = answer.run!.output('KIE');
		expect(item.json).toMatchObject({ taskId: create.taskId, state: 'success', resultUrls: sim.tasks.get(create.taskId!)!.resultUrls });
		expect(item.pairedItem).toEqual({ item: 0 });
		// Without a webhook HMAC key the callback was only a signal: the task was read from KIE.
		expect(reads()).toBe(2);
	});

	it('Limit Wait Time bounds the wait', async () => {
		sim.nextTask({ genMs: 2000 });
		const waiting = await submitBatch(['x'], { limitWait: 120 });
		expect(waiting.waitTill!.getTime()).toBeGreaterThan(Date.now() + 100_000);
		expect(waiting.waitTill!.getTime()).toBeLessThan(Date.now() + 125_000);
	});

	it('when Limit Wait Time passes first, each item says "waiting" with its task id, and the input node\'s output is untouched', async () => {
		sim.nextTask({ genMs: 60_000 });
		sim.nextTask({ genMs: 60_000 });
		const waiting = await submitBatch(['one', 'two'], { limitWait: 120 });
		expect(waiting.status).toBe('waiting');
		const taskIds = sim.requestsFor('createTask').map((request) => request.taskId!);

		// n8n's WaitTracker: the node does not run again; it passes on the input it had when it started to wait.
		const run = await resumeAfterTimeout(waiting);
		expect(run.status).toBe('success');
		const items = run.output('KIE');
		expect(items.map((item) => item.json)).toEqual([
			{ taskId: taskIds[0], model: 'gpt-image/1.5-text-to-image', state: 'waiting', note: WAIT_LIMIT_NOTE },
			{ taskId: taskIds[1], model: 'gpt-image/1.5-text-to-image', state: 'waiting', note: WAIT_LIMIT_NOTE },
		]);
		expect(items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		// The items that came in are still what the previous node output.
		expect(run.output('Start').map((item) => item.json)).toEqual([{ prompt: 'one' }, { prompt: 'two' }]);
		// Nothing was created again.
		expect(sim.requestsFor('createTask')).toHaveLength(2);
	});

	it('when Limit Wait Time passes, a task that had ended already comes out with its result, the others "waiting"', async () => {
		// The batch is read newest first when it starts to wait: the second task has ended by then.
		sim.nextTask({ genMs: 60_000 });
		sim.nextTask({ genMs: 1 });
		const waiting = await submitBatch(['slow', 'fast'], { limitWait: 60 });
		expect(waiting.status).toBe('waiting');
		const taskIds = sim.requestsFor('createTask').map((request) => request.taskId!).reverse();
		const run = await resumeAfterTimeout(waiting);
		const [slow, fast] = run.output('KIE').map((item) => item.json);
		expect(fast).toMatchObject({ taskId: taskIds[0], state: 'success', resultUrls: sim.tasks.get(taskIds[0])!.resultUrls });
		expect(slow).toMatchObject({ taskId: taskIds[1], state: 'waiting' });
	});

	it('without Limit Wait Time, the input is left as it came (nothing to pass on: the wait never times out)', async () => {
		sim.nextTask({ genMs: 60_000 });
		const waiting = await submitBatch(['x']);
		expect(waiting.status).toBe('waiting');
		const run = await resumeAfterTimeout(waiting);
		expect(run.output('KIE').map((item) => item.json)).toEqual([{ prompt: 'x' }]);
	});

	it('resumes a batch of 5 once, with 5 paired items, when callbacks arrive out of order and one is lost', async () => {
		const prompts = ['one', 'two', 'three', 'four', 'five'];
		for (const genMs of [300, 900, 500, 1100, 700]) sim.nextTask({ genMs });
		sim.fault('callback', 'lost', { count: 1 }); // the first task's callback never arrives
		const waiting = await submitBatch(prompts);
		expect(waiting.status).toBe('waiting');
		const taskIds = sim.requestsFor('createTask').map((request) => request.taskId!);

		// Handed over one at a time until one resumes the execution. The callbacks are unsigned (no key), so
		// their rounds of reads are paced: a later callback may find every task ended already.
		const answers: ResumeResult[] = [];
		for (let count = 1; count <= 4 && !answers.some((answer) => answer.resumed); count++) {
			const received = await receiver.waitFor(count, 10_000);
			answers.push(...(await deliverCallbacks(waiting, [received[count - 1]])));
		}
		await receiver.waitFor(4, 10_000);
		expect(receiver.received.map(taskIdOf)).toEqual([taskIds[2], taskIds[4], taskIds[1], taskIds[3]]);
		expect(answers.filter((answer) => answer.resumed)).toHaveLength(1);
		expect(answers[answers.length - 1].resumed).toBe(true);
		expect(answers.every((answer) => answer.statusCode === 200)).toBe(true);

		const items = answers[answers.length - 1].run!.output('KIE');
		expect(items.map((item) => item.json.taskId)).toEqual(taskIds);
		expect(items.map((item) => item.pairedItem)).toEqual([0, 1, 2, 3, 4].map((item) => ({ item })));
		expect(items.map((item) => item.json.state)).toEqual(Array(5).fill('success'));
		// The lost callback was reconciled by reading the task from KIE.
		expect(sim.requestsFor('recordInfo').map((request) => request.query.taskId)).toContain(taskIds[0]);
		expect(items[0].json.resultUrls).toEqual(sim.tasks.get(taskIds[0])!.resultUrls);
	});

	it('outputs a failed task as an item with its task id and error', async () => {
		sim.failNextTask({ failCode: '500', failMsg: 'Internal server error' });
		sim.nextTask({ genMs: 500 });
		const waiting = await submitBatch(['x']);
		const answers = await deliverCallbacks(waiting, await receiver.waitFor(1, 10_000));
		const [item] = answers[0].run!.output('KIE');
		expect(item.json).toMatchObject({ state: 'failed', failCode: '500', failMsg: 'Internal server error' });
		expect(item.json.error).toBe(`Task ${item.json.taskId} failed at KIE: Internal server error`);
	});

	it('does not wait when every task ended while the node was submitting (their callbacks were refused)', async () => {
		sim.nextTask({ genMs: 0 });
		sim.nextTask({ genMs: 0 });
		const run = await submitBatch(['a', 'b']);
		expect(run.status).toBe('success');
		expect(run.waitTill).toBeUndefined();
		const items = run.output('KIE');
		expect(items.map((item) => item.json.state)).toEqual(['success', 'success']);
		expect(items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		expect(reads()).toBe(2);
	});

	it('a Callback URL left from another mode is not offered with Wait for Callback, and n8n drops it: the batch sends its own resume URL', async () => {
		sim.nextTask({ genMs: 60_000 });
		const run = await submitBatch(['x'], { callBackUrl: 'https://example.com/hook' });
		expect(run.status).toBe('waiting');
		const [create] = sim.requestsFor('createTask');
		expect(String((create.body as { callBackUrl?: string }).callBackUrl)).toContain(receiver.baseUrl);
		expect(String((create.body as { callBackUrl?: string }).callBackUrl)).not.toContain('example.com');
	});
});

describe('KIE Create Task: Wait for Callback trusts nothing unverified', () => {
	it('without a key, a forged callback changes nothing: its task is read from KIE', async () => {
		sim.nextTask({ genMs: 1500 });
		const waiting = await submitBatch(['a red fox']);
		const [create] = sim.requestsFor('createTask');
		const forged = { code: 200, msg: 'ok', data: { taskId: create.taskId, state: 'success', resultJson: '{"resultUrls":["https://evil.example/x.png"]}' } };
		const answer = await resumeExecution(waiting, { body: forged, headers: {}, url: waiting.resumeUrl });
		expect(answer.resumed).toBe(false);
		expect(answer.statusCode).toBe(200);
		// Without a key anybody may have sent it: the answer tells nothing about the batch.
		expect(answer.body).toEqual({ code: 200, msg: 'received' });

		const [real] = await deliverCallbacks(waiting, await receiver.waitFor(1, 10_000));
		expect(real.resumed).toBe(true);
		const [item] = real.run!.output('KIE');
		expect(item.json.resultUrls).toEqual(sim.tasks.get(create.taskId!)!.resultUrls);
		expect(JSON.stringify(item.json)).not.toContain('evil.example');
	});

	it('with a key: refuses an unsigned callback, settles a signed one without a read, refuses a replayed signature with another body, acknowledges a redelivery', async () => {
		signedSim.nextTask({ genMs: 300 });
		signedSim.nextTask({ genMs: 2000 });
		signedSim.fault('callback', 'redeliver', { gapMs: 100 });
		const waiting = await submitBatch(['one', 'two'], {}, { on: signedSim, credentials: signedCredentials() });
		const [first, second] = signedSim.requestsFor('createTask').map((request) => request.taskId!);
		const [callback, redelivered] = await receiver.waitFor(2, 10_000);
		expect(taskIdOf(redelivered)).toBe(first);

		const unsigned = await resumeExecution(waiting, { body: callback.body as never, headers: {}, url: callback.path });
		expect(unsigned.statusCode).toBe(401);
		expect(JSON.stringify(unsigned.body)).toContain('X-Webhook-Signature header is missing');

		const before = reads(signedSim);
		const accepted = await resumeExecution(waiting, { body: callback.body as never, headers: callback.headers as never, url: callback.path });
		expect(accepted).toMatchObject({ statusCode: 200, resumed: false, body: { code: 200, msg: 'received; 1 of 2 tasks still running' } });
		// Its own task came from the signed body; one read showed the newest task still running.
		expect(signedSim.requestsFor('recordInfo').slice(before).map((request) => request.query.taskId)).toEqual([second]);

		const other = { ...(callback.body as IDataObject), data: { ...(callback.body as { data: IDataObject }).data, resultJson: '{"resultUrls":["https://evil.example/x.png"]}' } };
		const replay = await resumeExecution(waiting, { body: other, headers: callback.headers as never, url: callback.path });
		expect(replay.statusCode).toBe(401);
		expect(JSON.stringify(replay.body)).toContain('already used with another body (replay)');

		const again = await resumeExecution(waiting, { body: redelivered.body as never, headers: redelivered.headers as never, url: redelivered.path });
		expect(again).toMatchObject({ statusCode: 200, resumed: false });

		const [last] = await receiver.waitFor(3, 10_000).then((all) => all.slice(2));
		const readsBefore = reads(signedSim);
		const resumed = await resumeExecution(waiting, { body: last.body as never, headers: last.headers as never, url: last.path });
		expect(resumed.resumed).toBe(true);
		expect(reads(signedSim)).toBe(readsBefore); // both tasks settled by signed callbacks
		expect(resumed.run!.output('KIE').map((item) => item.json.taskId)).toEqual([first, second]);
		// Market callbacks say what the account has left: each item keeps it, after its credits.
		const [one, two] = resumed.run!.output('KIE').map((item) => item.json);
		expect(one).toMatchObject({ creditsConsumed: 4, remainedCredits: expect.any(Number) });
		expect(two.remainedCredits).toBe(signedSim.credits);
		expect(Object.keys(two).indexOf('remainedCredits')).toBe(Object.keys(two).indexOf('creditsConsumed') + 1);
	});
});

describe('KIE Create Task: Wait for Callback: a captured signature cannot change a result', () => {
	it('a signature re-spelled as upper-case hex with a forged body is a replay (401, no change); the same body re-spelled is a duplicate; a fresh signed callback for a settled task changes nothing', async () => {
		signedSim.nextTask({ genMs: 300 });
		signedSim.nextTask({ genMs: 2500 });
		const waiting = await submitBatch(['one', 'two'], {}, { on: signedSim, credentials: signedCredentials() });
		expect(waiting.status).toBe('waiting');
		const [first] = signedSim.requestsFor('createTask').map((request) => request.taskId!);
		const [callback] = await receiver.waitFor(1, 10_000);
		expect(taskIdOf(callback)).toBe(first);
		const headers = callback.headers as Record<string, string>;

		const accepted = await resumeExecution(waiting, { body: callback.body as never, headers, url: callback.path });
		expect(accepted).toMatchObject({ statusCode: 200, resumed: false, body: { code: 200, msg: 'received; 1 of 2 tasks still running' } });

		const hex = Buffer.from(headers['x-webhook-signature'], 'base64').toString('hex');
		const forged = { ...(callback.body as IDataObject), data: { ...(callback.body as { data: IDataObject }).data, resultJson: '{"resultUrls":["https://evil.example/x.png"]}' } };
		const replay = await resumeExecution(waiting, { body: forged, headers: { ...headers, 'x-webhook-signature': hex.toUpperCase() }, url: callback.path });
		expect(replay).toMatchObject({ statusCode: 401, resumed: false });
		const unpadded = await resumeExecution(waiting, { body: forged, headers: { ...headers, 'x-webhook-signature': headers['x-webhook-signature'].replace(/=$/, '') }, url: callback.path });
		expect(unpadded).toMatchObject({ statusCode: 401, resumed: false });

		const respelled = await resumeExecution(waiting, { body: callback.body as never, headers: { ...headers, 'x-webhook-signature': hex }, url: callback.path });
		expect(respelled).toMatchObject({ statusCode: 200, resumed: false, body: { code: 200, msg: 'duplicate' } });

		// A valid signature of its own (another timestamp) for the settled task, with another result.
		const at = String(Number(headers['x-webhook-timestamp']) - 1);
		const later = await resumeExecution(waiting, {
			body: forged,
			headers: { 'x-webhook-timestamp': at, 'x-webhook-signature': signCallback(HMAC, first, at), 'content-type': 'application/json' },
			url: callback.path,
		});
		expect(later).toMatchObject({ statusCode: 200, resumed: false, body: { code: 200, msg: 'duplicate' } });

		const [, last] = await receiver.waitFor(2, 10_000);
		const resumed = await resumeExecution(waiting, { body: last.body as never, headers: last.headers as never, url: last.path });
		expect(resumed.resumed).toBe(true);
		const items = resumed.run!.output('KIE');
		expect(items[0].json.taskId).toBe(first);
		expect(items[0].json.resultUrls).toEqual(signedSim.tasks.get(first)!.resultUrls);
		expect(JSON.stringify(items)).not.toContain('evil.example');
	});
});

describe('KIE Create Task: Wait for Callback: a captured callback cannot spend the read budget', () => {
	it('with a key, a signed callback for another task, or one already settled, sent again and again, causes at most one round of reads per 3 s', async () => {
		signedSim.nextTask({ genMs: 300 });
		signedSim.nextTask({ genMs: 15_000 });
		const waiting = await submitBatch(['one', 'two'], {}, { on: signedSim, credentials: signedCredentials() });
		expect(waiting.status).toBe('waiting');
		const [callback] = await receiver.waitFor(1, 10_000);
		const settled = await resumeExecution(waiting, { body: callback.body as never, headers: callback.headers as never, url: callback.path });
		expect(settled).toMatchObject({ statusCode: 200, resumed: false });

		// Somebody holds a real signed callback of another batch's task (and this resume URL).
		const at = String(Math.floor(Date.now() / 1000));
		const captured = { code: 200, msg: 'success', data: { taskId: 'task_of_another_batch', state: 'success', resultJson: '{"resultUrls":["https://e.com/x.png"]}' } };
		const headers = { 'x-webhook-timestamp': at, 'x-webhook-signature': signCallback(HMAC, 'task_of_another_batch', at), 'content-type': 'application/json' };
		const before = reads(signedSim);
		const started = Date.now();
		const answers = await Promise.all(
			Array.from({ length: 10 }, async (_, index) => {
				await sleep(index * 150);
				const which = index % 2 === 0 ? { body: captured, headers } : { body: callback.body as never, headers: callback.headers as never };
				return await resumeExecution(waiting, { ...which, url: callback.path });
			}),
		);
		expect(answers.every((answer) => answer.statusCode === 200 && !answer.resumed)).toBe(true);
		// Within about 1.5 s of sending: the rounds they cause are paced like unsigned ones (the old code read once per send).
		const rounds = Math.ceil((Date.now() - started) / 3_000) + 1;
		expect(reads(signedSim) - before).toBeLessThanOrEqual(rounds);
		expect(reads(signedSim) - before).toBeLessThanOrEqual(3);
	}, 30_000);
});

describe('KIE Create Task: Wait for Callback is never stuck', () => {
	it('with a key, a nudge needs the batch\'s X-Kie-Nudge-Token: unsigned or wrongly tokened POSTs are refused and read nothing; the right token settles a batch whose callbacks were all lost', async () => {
		signedSim.fault('callback', 'lost', { count: 3 });
		for (const genMs of [300, 500, 400]) signedSim.nextTask({ genMs });
		const waiting = await submitBatch(['a', 'b', 'c'], {}, { on: signedSim, credentials: signedCredentials() });
		expect(waiting.status).toBe('waiting');
		const taskIds = signedSim.requestsFor('createTask').map((request) => request.taskId!);
		for (const taskId of taskIds) await signedSim.waitForTask(taskId, 10_000);
		const token = savedBatch(waiting).nudgeToken;
		expect(token).toBe(kieNudgeToken(HMAC, waiting.executionId, 'KIE'));

		const before = reads(signedSim);
		const unsigned = await nudge(waiting);
		expect(unsigned).toMatchObject({ statusCode: 401, resumed: false });
		const wrong = await resumeExecution(waiting, { body: {}, headers: { 'X-Kie-Nudge-Token': kieNudgeToken(HMAC, `${waiting.executionId}0`, 'KIE') }, url: waiting.resumeUrl });
		expect(wrong).toMatchObject({ statusCode: 401, resumed: false });
		const otherKey = await resumeExecution(waiting, { body: {}, headers: { 'X-Kie-Nudge-Token': kieNudgeToken('not the key', waiting.executionId, 'KIE') }, url: waiting.resumeUrl });
		expect(otherKey.statusCode).toBe(401);
		// An unsigned callback that names a task is refused too.
		const named = await resumeExecution(waiting, { body: { data: { taskId: taskIds[0] } }, headers: {}, url: waiting.resumeUrl });
		expect(named.statusCode).toBe(401);
		expect(reads(signedSim)).toBe(before);
		for (const answer of [unsigned, wrong, otherKey, named]) expect(JSON.stringify(answer.body)).not.toContain(waiting.executionId);

		const answer = await resumeExecution(waiting, { body: {}, headers: { 'X-Kie-Nudge-Token': token! }, url: waiting.resumeUrl });
		expect(answer.statusCode).toBe(200);
		expect(answer.resumed).toBe(true);
		expect(reads(signedSim) - before).toBe(3); // each task read once
		expect(answer.run!.output('KIE').map((item) => item.json.taskId)).toEqual(taskIds);
	});

	it('without a key, a nudge needs no token, and a flood of nudges is coalesced: 20 within a second cost at most two rounds of reads, and the batch resumes once', async () => {
		for (const genMs of [1200, 1500]) sim.nextTask({ genMs });
		sim.fault('callback', 'lost', { count: 2 });
		const waiting = await submitBatch(['a', 'b']);
		expect(waiting.status).toBe('waiting');
		expect(savedBatch(waiting).nudgeToken).toBeUndefined();
		const before = reads();
		const answers: Array<Promise<ResumeResult>> = [];
		for (let i = 0; i < 20; i++) {
			answers.push(nudge(waiting));
			await sleep(50);
		}
		const all = await Promise.all(answers);
		expect(all.filter((answer) => answer.resumed)).toHaveLength(1);
		// Round 1 (the first nudge) read the newest task, still running; round 2 (three seconds later, for
		// every other nudge) read both, ended.
		expect(reads() - before).toBeLessThanOrEqual(3);
		const resumed = all.find((answer) => answer.resumed)!;
		expect(resumed.run!.output('KIE').map((item) => item.json.state)).toEqual(['success', 'success']);
		// The others were answered (200) or found the execution resumed (n8n's 409).
		expect(all.every((answer) => answer.statusCode === 200 || answer.statusCode === 409)).toBe(true);
	});

	it('a nudge while tasks still run reads only up to the newest running one', async () => {
		for (const genMs of [100, 100, 5000]) sim.nextTask({ genMs });
		sim.fault('callback', 'lost', { count: 3 });
		const waiting = await submitBatch(['a', 'b', 'c']);
		await sleep(400);
		const before = reads();
		const answer = await nudge(waiting);
		expect(answer).toMatchObject({ statusCode: 200, resumed: false, body: { code: 200, msg: 'received' } });
		expect(reads() - before).toBe(1);
	});

	it('a 429 on a read does not strand the batch; a failed pass is answered 503 and the next POST settles it', async () => {
		sim.nextTask({ genMs: 300 });
		const waiting = await submitBatch(['a']);
		const [callback] = await receiver.waitFor(1, 10_000);
		sim.fault('recordInfo', 'code429', { count: 2 });
		const limited = await resumeExecution(waiting, { body: callback.body as never, headers: callback.headers as never, url: callback.path });
		expect(limited.resumed).toBe(true);
		expect(sim.requestsFor('recordInfo').filter((request) => request.answerCode === 429)).toHaveLength(2);

		// Long enough to be still running when the node starts waiting (the 429s above paused the reads).
		sim.nextTask({ genMs: 2_000 });
		const second = await submitBatch(['b']);
		expect(second.status).toBe('waiting');
		const [next] = await receiver.waitFor(2, 10_000).then((all) => all.slice(1));
		sim.fault('recordInfo', 'http500', { count: 4 });
		const failed = await resumeExecution(second, { body: next.body as never, headers: next.headers as never, url: next.path });
		expect(failed.resumed).toBe(false);
		expect(failed.statusCode).toBe(503);
		expect(JSON.stringify(failed.body)).toContain('please send this callback again');
		const retried = await resumeExecution(second, { body: next.body as never, headers: next.headers as never, url: next.path });
		expect(retried.resumed).toBe(true);
	}, 60_000);

	it('a callback that arrives while the execution resumes reads nothing', async () => {
		sim.nextTask({ genMs: 300 });
		sim.fault('callback', 'duplicate', { times: 2 });
		const waiting = await submitBatch(['a']);
		const copies = await receiver.waitFor(2, 10_000);
		const before = reads();
		const answers = await Promise.all(copies.map(async (copy) => await resumeExecution(waiting, { body: copy.body as never, headers: copy.headers as never, url: copy.path })));
		expect(answers.filter((answer) => answer.resumed)).toHaveLength(1);
		expect(answers.find((answer) => !answer.resumed)?.body).toEqual({ code: 200, msg: 'received' });
		expect(reads() - before).toBe(1); // one pass for both
		// Once resumed, n8n answers later callbacks itself (409) and the node reads nothing.
		const late = await resumeExecution(waiting, { body: copies[0].body as never, headers: copies[0].headers as never, url: copies[0].path });
		expect(late.statusCode).toBe(409);
		expect(reads() - before).toBe(1);
	});
});

describe('KIE Create Task: Wait for Callback settles a batch with O(N) reads', () => {
	it('40 tasks, KIE\'s limits enforced, callbacks handed over concurrently: at most 2N + 10 reads, no 429', async () => {
		sim.setRateLimit(true);
		try {
			for (let i = 0; i < 40; i++) sim.nextTask({ genMs: 1500 + (i % 8) * 250 });
			const prompts = Array.from({ length: 40 }, (_, i) => `prompt ${i + 1}`);
			const waiting = await submitBatch(prompts);
			const since = Date.now();
			expect(waiting.status).toBe('waiting');
			const answers = await deliverAsTheyArrive(waiting, since);
			const resumed = answers.filter((answer) => answer.resumed);
			expect(resumed).toHaveLength(1);
			const items = resumed[0].run!.output('KIE');
			expect(items).toHaveLength(40);
			expect(items.map((item) => item.json.state)).toEqual(Array(40).fill('success'));
			expect(items.map((item) => item.pairedItem)).toEqual(prompts.map((_, item) => ({ item })));
			expect(reads()).toBeLessThanOrEqual(2 * 40 + 10);
			expect(sim.stats.rejected429).toBe(0);
		} finally {
			sim.setRateLimit(null);
		}
	}, 120_000);
});

describe('KIE Create Task: Wait for Callback on a local n8n', () => {
	it('polls instead when the resume URL is local and the credential is KIE\'s public API, before any paid request, and says so', async () => {
		// api.kie.ai resolves to the simulator in this test only.
		const restore = routeHost('api.kie.ai');
		try {
			const base = `http://api.kie.ai:${sim.port}`;
			const run = await submitBatch(['a', 'b'], { pollInterval: 0.1 }, {
				credentials: { kieApi: { apiKey: SIM_ACCOUNT, baseUrl: base, uploadBaseUrl: base, webhookHmacKey: '' } },
				webhookBaseUrl: 'http://localhost:5678/',
			});
			expect(run.status).toBe('success');
			const creates = sim.requestsFor('createTask');
			expect(creates.map((request) => (request.body as IDataObject).callBackUrl)).toEqual([undefined, undefined]);
			const items = run.output('KIE');
			expect(items.map((item) => item.json.state)).toEqual(['success', 'success']);
			for (const item of items) {
				expect(item.json.fallback).toBe(
					"Polled instead of waiting for a callback: this execution's resume URL (localhost:5678) is on this machine or a private network, where KIE cannot reach it. Set n8n's WEBHOOK_URL to a public address to wait for callbacks",
				);
			}
			expect(warningsOf(run)).toEqual([expect.stringContaining('Polled instead of waiting for a callback')]);
		} finally {
			restore();
		}
	});

	it('waits when the credential points at a local KIE (the simulator), whatever the resume URL', async () => {
		sim.nextTask({ genMs: 2000 });
		const run = await submitBatch(['a'], {}, { webhookBaseUrl: 'http://localhost:5678/' });
		expect(run.status).toBe('waiting');
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

describe('KIE Create Task: Wait for Callback with Reuse Results', () => {
	it('a batch of reused and new tasks waits only for the new ones, and resumes with every item in place, reused ones marked', async () => {
		const first = await submitBatch(['one', 'two'], { reuseResults: true });
		const firstAnswers = await deliverCallbacks(first, await receiver.waitFor(2, 10_000));
		expect(firstAnswers.some((answer) => answer.resumed)).toBe(true);
		const reusedIds = sim.requestsFor('createTask').map((request) => request.taskId);
		receiver.clear();

		// The same two rows and a new one in between: only the new one is created and waited for.
		const waiting = await submitBatch(['one', 'three', 'two'], { reuseResults: true });
		expect(waiting.status).toBe('waiting');
		expect(sim.requestsFor('createTask')).toHaveLength(3);
		const [answer] = await deliverCallbacks(waiting, await receiver.waitFor(1, 10_000));
		expect(answer.resumed).toBe(true);
		const items = answer.run!.output('KIE').map((item) => item.json);
		expect(items.map((json) => [json.state, json.reused])).toEqual([
			['success', true],
			['success', undefined],
			['success', true],
		]);
		expect([items[0].taskId, items[2].taskId]).toEqual(reusedIds);
		expect(answer.run!.output('KIE').map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
	});
});
