import { sleep } from 'n8n-workflow';

import { signCallback, type LoggedRequest } from '../../simulator';
import { HMAC_KEY, reach, startQueueEnv, type QueueEnv } from './env';

/**
 * The package in a real n8n 2.x in queue mode: one main, two workers and one webhook processor, on
 * PostgreSQL and Redis, with the package installed as a community package in every process. Workflows
 * are started through the webhook processor and run on the workers.
 */
let env: QueueEnv;
beforeAll(async () => {
	env = await startQueueEnv();
});
afterAll(async () => {
	await env?.stop();
});

const promptOf = (request: LoggedRequest) => (request.body as { input: { prompt: string } }).input.prompt;

async function waitFor<T>(probe: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
	const started = Date.now();
	for (;;) {
		const value = await probe();
		if (value !== undefined) return value;
		if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting\n${env.queue.logs()}`);
		await sleep(300);
	}
}

describe('queue mode: the services it needs', () => {
	it('fails, saying what to start, when PostgreSQL or Redis cannot be reached', async () => {
		await expect(reach({ pg: { port: 1 } })).rejects.toThrow(/needs PostgreSQL on 127\.0\.0\.1:1 .*could not reach it.*Start it, e\.g\. `pg_ctlcluster/);
		await expect(reach({ redis: { port: 1 } })).rejects.toThrow(/needs Redis on 127\.0\.0\.1:1 .*could not reach it.*Start it, e\.g\. `redis-server/);
		await expect(reach({ pg: { port: 5432 }, redis: { port: 6379 } })).resolves.toBeUndefined();
	});
});

describe('queue mode', () => {
	it('runs a poll workflow started through the webhook processor on a worker', async () => {
		env.sim.reset();
		const answer = await env.post('kie-queue-poll', ['a red fox', 'a blue bird']);
		expect(answer.status).toBe(200);
		const items = answer.body as Array<{ taskId: string; state: string; resultUrls: string[] }>;
		expect(items.map((item) => item.state)).toEqual(['success', 'success']);
		for (const item of items) expect(item.resultUrls).toEqual(env.sim.tasks.get(item.taskId)!.resultUrls);
		const [execution] = await env.executions('kieQueuePoll');
		expect(env.queue.workers.some((worker) => env.queue.executionsOn(worker).includes(String(execution.id)))).toBe(true);
	});

	it('resumes a Wait for Callback batch on another worker than the one that started it', async () => {
		env.sim.reset();
		for (let i = 0; i < 3; i++) env.sim.nextTask({ genMs: 5_000 });
		const answer = await env.post('kie-queue-wait', ['one', 'two', 'three']);
		expect(answer.status).toBe(200);
		const execution = await waitFor(async () => (await env.executions('kieQueueWait'))[0]);
		await env.waitForExecution(String(execution.id), ['waiting'], 30_000);
		// The worker that started it stops: the resume can only run on the other one.
		const first = env.queue.workers.find((worker) => env.queue.executionsOn(worker).includes(String(execution.id)))!;
		expect(first).toBeDefined();
		await first.server.stop();
		const other = env.queue.workers.find((worker) => worker !== first)!;
		const done = await env.waitForExecution(String(execution.id), ['success', 'error'], 60_000);
		expect(done.status).toBe('success');
		expect(env.queue.executionsOn(other)).toContain(String(execution.id));
		const items = done.data.resultData.runData['KIE Create Task'][0].data!.main[0];
		expect(items.map((item) => item.json.state)).toEqual(['success', 'success', 'success']);
		expect(env.sim.callbacks.every((delivery) => delivery.url.startsWith(env.queue.webhookUrl))).toBe(true);
		// Two workers again for the next tests.
		env.queue.workers.splice(env.queue.workers.indexOf(first), 1);
		await env.queue.startWorker(3);
	});

	it('a published KIE Trigger runs on a signed callback through the webhook processor, once for a redelivery', async () => {
		const before = (await env.executions('kieExampleCbRecv1')).length;
		const body = { code: 200, msg: 'ok', data: { taskId: 'task_queue_signed', model: 'gpt-image/1.5-text-to-image', state: 'success', resultJson: '{"resultUrls":["https://example.com/q.png"]}' } };
		const now = Math.floor(Date.now() / 1000);
		const post = async () =>
			await fetch(`${env.triggerUrl}?rowId=row-q`, {
				method: 'POST',
				headers: { 'content-type': 'application/json', 'x-webhook-timestamp': String(now), 'x-webhook-signature': signCallback(HMAC_KEY, 'task_queue_signed', now) },
				body: JSON.stringify(body),
			});
		expect((await post()).status).toBe(200);
		expect((await post()).status).toBe(200); // KIE's redelivery: answered, starts nothing
		const executions = await waitFor(async () => {
			const list = await env.executions('kieExampleCbRecv1');
			return list.length > before ? list : undefined;
		});
		const run = await env.waitForExecution(String(executions[0].id), ['success']);
		expect(run.data.resultData.runData['Result for the row'][0].data!.main[0][0].json).toMatchObject({ row_id: 'row-q', task_id: 'task_queue_signed', state: 'success' });
		await sleep(2_000);
		expect((await env.executions('kieExampleCbRecv1')).length).toBe(before + 1);
	});

	it('four concurrent executions of 50 items against KIE\'s enforced limits: no duplicates, none lost, at most 10 % 429s, within 1.25 × the floor', async () => {
		env.sim.reset();
		env.sim.setRateLimit(true);
		try {
			const lists = [0, 1, 2, 3].map((run) => Array.from({ length: 50 }, (_, index) => `queue run ${run} row ${index}`));
			const started = Date.now();
			const answers = await Promise.all(lists.map(async (list) => await env.post('kie-queue-poll', list)));
			const seconds = (Date.now() - started) / 1000;
			for (const [index, answer] of answers.entries()) {
				expect(answer.status).toBe(200);
				const items = answer.body as Array<{ state: string; taskId: string }>;
				expect(items.map((item) => item.state)).toEqual(lists[index].map(() => 'success'));
			}
			const creates = env.sim.requestsFor('createTask');
			const accepted = creates.filter((request) => request.answerCode === 200).map(promptOf).sort();
			expect(accepted).toEqual(lists.flat().sort()); // each row accepted exactly once
			const rejected = env.sim.stats.createRejected429;
			if (env.timeline) {
				const t0 = Math.min(...creates.map((request) => request.at));
				const line = (requests: LoggedRequest[]) => requests.map((request) => `${((request.at - t0) / 1000).toFixed(2)}${request.answerCode === 429 ? '!' : ''}`).join(' ');
				env.report(`creates: ${line(creates)}`);
				env.report(`reads answered 429: ${line(env.sim.requestsFor('recordInfo').filter((request) => request.answerCode === 429))}`);
			}
			// The floor set by KIE's limits: 200 creates at 20 per 10 s start over 90 s; the last task then takes
			// its generation time (400 ms).
			const floor = 90.4;
			env.report(
				`4 × 50 items on 2 workers, KIE's limits enforced: ${creates.length} create calls, ${rejected} answered 429 (${((100 * rejected) / creates.length).toFixed(1)} %), ` +
					`${env.sim.stats.pollRejected429} status reads answered 429, ${seconds.toFixed(1)} s = ${(seconds / floor).toFixed(2)} × the floor of ${floor} s`,
			);
			expect(rejected).toBeLessThanOrEqual(0.1 * creates.length);
			expect(seconds).toBeLessThanOrEqual(1.25 * floor);
		} finally {
			env.sim.setRateLimit(null);
		}
	});

	it('cleans up: its processes, its database and its Redis keys are gone', async () => {
		const left = await env.stop();
		expect(left).toEqual({ databases: 0, keys: 0, processes: 0 });
	});
});
