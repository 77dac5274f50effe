import { sleep } from 'n8n-workflow';

import { sha256Hex, signCallback, type LoggedRequest } from '../../simulator';
import { HMAC_KEY, MANUAL_WORKFLOWS, reach, startQueueEnv, type QueueEnv, type QueueExecution } from './env';

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

	it('Reuse Results across workers: a retry on the other worker creates only what was not created, and a new execution there reuses every task', async () => {
		env.sim.reset();
		const prompts = ['reuse one', 'reuse two', 'reuse three', 'reuse four', 'reuse five'];
		type Listed = { id: string | number; status: string; retryOf?: string | null };
		const listed = async () => (await env.executions('kieQueueReuse')) as Listed[];
		const ended = async (known: Set<string>) =>
			await waitFor(async () => (await listed()).find((execution) => !known.has(String(execution.id)) && ['success', 'error', 'crashed'].includes(execution.status)));
		const known = new Set((await listed()).map((execution) => String(execution.id)));
		const stopWorkerOf = async (executionId: string) => {
			const worker = env.queue.workers.find((candidate) => env.queue.executionsOn(candidate).includes(executionId))!;
			expect(worker).toBeDefined();
			await worker.server.stop();
			env.queue.workers.splice(env.queue.workers.indexOf(worker), 1);
			return env.queue.workers[0];
		};

		// The 4th create is refused: the execution fails after 3 paid tasks.
		env.sim.fault('createTask', 'dailyLimit', { skip: 3 });
		expect((await env.post('kie-queue-reuse', prompts)).status).toBe(200);
		const failed = await ended(known);
		known.add(String(failed.id));
		expect(failed.status).toBe('error');
		// 3 or 4 tasks: the creates go out in input order, paced, and the 4th to reach KIE is refused.
		const firstTasks = env.sim.tasks.size;
		expect(firstTasks).toBeGreaterThanOrEqual(3);
		expect(firstTasks).toBeLessThan(5);

		// Its worker stops: the retry runs on the other one, which never saw these tasks.
		const other = await stopWorkerOf(String(failed.id));
		await env.queue.rest.request('POST', `/rest/executions/${failed.id}/retry`, { loadWorkflow: false });
		const retry = await ended(known);
		known.add(String(retry.id));
		expect(String(retry.retryOf)).toBe(String(failed.id));
		expect(retry.status).toBe('success');
		expect(env.queue.executionsOn(other)).toContain(String(retry.id));
		const items = (await env.execution(String(retry.id))).data.resultData.runData['KIE Create Task'][0].data!.main[0];
		// The rows the failed execution created are reused (the refused one may be row 4 or 5: their creates
		// went out together), the others created.
		const createdFirst = new Set(
			env.sim.requestsFor('createTask').filter((request) => request.answerCode === 200).slice(0, firstTasks).map((request) => request.taskId),
		);
		expect(items.filter((item) => item.json.reused === true).map((item) => item.json.taskId).sort()).toEqual([...createdFirst].sort());
		expect(items.every((item) => item.json.state === 'success')).toBe(true);
		// One task per row at KIE: nothing paid twice.
		expect(env.sim.tasks.size).toBe(5);

		// A new production execution with the same rows, on that worker (the only one running): it reuses all 5
		// from its memory. n8n gives a worker no static data of the workflow for a new execution (its stored
		// snapshot has none), so a worker that never saw the tasks would not know them (README, Cost).
		expect((await env.post('kie-queue-reuse', prompts)).status).toBe(200);
		const next = await ended(known);
		expect(next.status).toBe('success');
		expect(env.queue.executionsOn(other)).toContain(String(next.id));
		const again = (await env.execution(String(next.id))).data.resultData.runData['KIE Create Task'][0].data!.main[0];
		expect(again.map((item) => item.json.reused)).toEqual([true, true, true, true, true]);
		expect(env.sim.tasks.size).toBe(5);
		env.report(`Reuse Results across workers: the retry on the other worker reused ${firstTasks} of 5 and created ${5 - firstTasks}; a new execution there reused 5 of 5`);
		// Two workers again for the next tests.
		await env.queue.startWorker(5);
	});
});

/**
 * What a user does in the editor, in queue mode with manual executions on workers (OFFLOAD_MANUAL_EXECUTIONS_TO_WORKERS,
 * which n8n 3 makes the only way): every run below is executed by a worker, and a wait resumes through the
 * webhook processor.
 */
describe('manual executions from the editor run on workers', () => {
	const ranOnWorker = (executionId: string) => env.queue.workers.some((worker) => env.queue.executionsOn(worker).includes(executionId));
	const items = (execution: QueueExecution, name: string) => execution.data.resultData.runData[name]?.[0]?.data?.main[0]?.map((item) => item.json) ?? [];
	const createdPrompts = () => env.sim.requestsFor('createTask').map(promptOf);
	const uploadedSizes = () => [...env.sim.uploads.values()].map((record) => record.size);
	async function succeeded(executionId: string): Promise<QueueExecution> {
		const done = await env.waitForExecution(executionId, ['success', 'error', 'crashed'], 120_000);
		expect({ status: done.status, error: done.data.resultData.error?.message, mode: done.mode }).toEqual({ status: 'success', error: undefined, mode: 'manual' });
		expect(ranOnWorker(executionId)).toBe(true);
		return done;
	}
	/** KIE's callbacks for this execution went to the webhook processor's resume URL and were taken (200). */
	const resumedThroughWebhookProcessor = (executionId: string) =>
		env.sim.callbacks.filter((delivery) => delivery.url.startsWith(`${env.queue.webhookUrl}/webhook-waiting/${executionId}`)).map((delivery) => delivery.status);

	it('Execute workflow: poll and Wait for Callback run on a worker, and the wait resumes through the webhook processor', async () => {
		env.sim.reset();
		const executionId = await env.runManually(MANUAL_WORKFLOWS.modes, { trigger: 'Start' });
		const done = await succeeded(executionId);
		expect(createdPrompts()).toEqual(['manual: poll', 'manual: wait for callback']);
		const [poll] = items(done, 'Poll');
		const [waited] = items(done, 'Wait for Callback');
		expect(poll).toMatchObject({ state: 'success', resultUrls: env.sim.tasks.get(poll.taskId as string)!.resultUrls });
		expect(waited).toMatchObject({ state: 'success', resultUrls: env.sim.tasks.get(waited.taskId as string)!.resultUrls });
		expect(resumedThroughWebhookProcessor(executionId)).toEqual([200]);
	});

	it('Execute step on Poll runs the workflow up to it on a worker: one task, nothing after it', async () => {
		env.sim.reset();
		const done = await succeeded(await env.runManually(MANUAL_WORKFLOWS.modes, { step: 'Poll' }));
		expect(createdPrompts()).toEqual(['manual: poll']);
		expect(items(done, 'Poll')[0]).toMatchObject({ state: 'success' });
		expect(done.data.resultData.runData['Wait for Callback']).toBeUndefined();
	});

	it('Execute step on Wait for Callback after a run: only that step runs again, on a worker, and resumes through the webhook processor', async () => {
		env.sim.reset();
		const first = await succeeded(await env.runManually(MANUAL_WORKFLOWS.modes, { step: 'Poll' }));
		env.sim.reset();
		const executionId = await env.runManually(MANUAL_WORKFLOWS.modes, { step: 'Wait for Callback', runData: first.data.resultData.runData });
		const done = await succeeded(executionId);
		// Poll is not run (and paid) again: its output comes from the earlier run.
		expect(createdPrompts()).toEqual(['manual: wait for callback']);
		expect(items(done, 'Wait for Callback')[0]).toMatchObject({ state: 'success' });
		expect(resumedThroughWebhookProcessor(executionId)).toEqual([200]);
	});

	it('KIE Upload File takes a file made in the editor, and Execute step uploads it again from the stored binary of the earlier run', async () => {
		env.sim.reset();
		const first = await succeeded(await env.runManually(MANUAL_WORKFLOWS.editorUpload, { trigger: 'Start' }));
		expect(items(first, 'Upload File')[0]).toMatchObject({ fileName: 'editor.png' });
		expect(uploadedSizes()).toEqual([env.uploadedPng.length]);
		// n8n 2.x stores the binary of "Make file" in the database (queue mode's binary data mode), not in the run
		// data; n8n 1.123 has no database mode and keeps it in the run data.
		const made = first.data.resultData.runData['Make file'][0].data!.main[0][0].binary!.data;
		if (env.n8nMajor >= 2) expect(made.id).toMatch(/^database:/);
		else expect(made.id).toBeUndefined();
		const before = Object.fromEntries(Object.entries(first.data.resultData.runData).filter(([name]) => name !== 'Upload File'));
		const again = await succeeded(await env.runManually(MANUAL_WORKFLOWS.editorUpload, { step: 'Upload File', runData: before }));
		expect(items(again, 'Upload File')[0]).toMatchObject({ fileName: 'editor.png' });
		// Uploaded a second time, byte for byte the same file (to the same path, so KIE keeps one record).
		expect(env.sim.stats.uploads).toBe(2);
		expect([...env.sim.uploads.values()].map((record) => record.sha256)).toEqual([sha256Hex(env.uploadedPng)]);
	});

	it('KIE Upload File takes the file of a form opened from the editor (its test URL)', async () => {
		env.sim.reset();
		expect(await env.runManually(MANUAL_WORKFLOWS.formUpload, { trigger: 'Form' })).toBe('waitingForWebhook');
		const before = new Set((await env.executions(MANUAL_WORKFLOWS.formUpload)).map((execution) => execution.id));
		const png = env.uploadedPng;
		// The test form is registered by main; it may take a moment after "Execute workflow".
		const answer = await waitFor(async () => {
			const body = new FormData();
			body.append('field-0', new Blob([new Uint8Array(png)], { type: 'image/png' }), 'from-form.png');
			const res = await fetch(`${env.queue.mainUrl}/form-test/kie-queue-manual-form`, { method: 'POST', body });
			return res.status === 404 ? undefined : res;
		}, 20_000);
		expect(answer.status).toBe(200);
		const execution = await waitFor(async () => (await env.executions(MANUAL_WORKFLOWS.formUpload)).find((entry) => !before.has(entry.id)));
		const done = await succeeded(String(execution.id));
		expect(items(done, 'Upload File')[0]).toMatchObject({ fileName: 'from-form.png' });
		expect(uploadedSizes()).toEqual([png.length]);
	});

	it('the AI agent example (its latest version) calls KIE Create Task as a tool on a worker', async () => {
		env.sim.reset();
		env.openAi.requests.length = 0;
		const done = await succeeded(await env.runManually(MANUAL_WORKFLOWS.agent, { trigger: 'Start' }));
		expect(createdPrompts()).toEqual([env.agentToolPrompt]);
		const [create] = env.sim.requestsFor('createTask');
		expect(String(items(done, 'AI Agent')[0]?.output)).toContain(env.sim.tasks.get(create.taskId!)!.resultUrls[0]);
	});
});

describe('queue mode: the end', () => {
	it('cleans up: its processes, its database and its Redis keys are gone', async () => {
		const left = await env.stop();
		expect(left).toEqual({ databases: 0, keys: 0, processes: 0 });
	});
});
