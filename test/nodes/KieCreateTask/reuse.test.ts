import type { IDataObject, INodeParameters, ResourceMapperValue } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import { KieCreateTask } from '../../../nodes/KieCreateTask/KieCreateTask.node';
import { KieGetTask } from '../../../nodes/KieGetTask/KieGetTask.node';
import { REUSE_FIELD, resetProcessReuse } from '../../../nodes/shared/reuse';
import { makePng, startSimulator, type Simulator } from '../../../simulator';
import { retryExecution, runWorkflow, type InputItem, type NodeSpec, type RunResult } from '../../support/harness';
import { runResourceMapping } from '../../support/loadOptions';
import { credentialsFor, FAST, infoHintsOf, model, SIM_ACCOUNT } from '../setup';

/**
 * Options → Reuse Results in KIE Create Task, on n8n's engine against the simulator: a retried execution,
 * Retry On Fail, a second process (through workflow static data) and a second manual run reuse the tasks
 * created before instead of paying for them again; what is kept holds hashes and task ids only.
 */
let sim: Simulator;
beforeAll(async () => {
	sim = await startSimulator({ apiKey: SIM_ACCOUNT, genMs: 80 });
});
afterAll(async () => await sim.close());
beforeEach(() => sim.reset());

const GPT = 'gpt-image/1.5-text-to-image';
const rows = (count: number, prefix = 'prompt') => Array.from({ length: count }, (_, i) => ({ json: { p: `${prefix} ${i + 1}`, row: i + 1 } }));
const REUSE = { reuseResults: true };

interface Run {
	parameters?: INodeParameters;
	options?: IDataObject;
	input?: InputItem[];
	mode?: 'manual' | 'webhook' | 'trigger';
	active?: boolean;
	staticData?: IDataObject;
	node?: Partial<NodeSpec>;
}

async function run({ parameters = {}, options = {}, input = rows(1), mode = 'manual', active, staticData, node = {} }: Run = {}): Promise<RunResult> {
	return await runWorkflow({
		nodeTypes: [KieCreateTask, KieGetTask],
		credentials: credentialsFor(sim),
		nodes: [
			{
				name: 'KIE',
				type: 'kieCreateTask',
				credentials: { kieApi: { id: 'cred-1', name: 'KIE account' } },
				parameters: { model: model(GPT), prompt: '={{ $json.p }}', ...parameters, options: { ...FAST, ...REUSE, ...options } },
				...node,
			},
		],
		input,
		mode,
		active,
		staticData,
		workflowId: 'reuse-wf',
	});
}

const creates = () => sim.requestsFor('createTask').length;
const accepted = () => sim.tasks.size;
const jsonOf = (result: RunResult) => result.output('KIE').map((item) => item.json);

describe('KIE Create Task: Reuse Results', () => {
	it('a retried execution (failed at item 20 of 20) reuses the 19 tasks created and creates 1', async () => {
		sim.fault('createTask', 'dailyLimit', { skip: 19 });
		const failed = await run({ input: rows(20), mode: 'webhook', active: true, staticData: {} });
		expect(failed.status).toBe('error');
		expect(accepted()).toBe(19);
		const first = [...sim.tasks.keys()];

		// n8n restarted in between: nothing in this process's memory; the retry starts from the failed execution's data.
		resetProcessReuse();
		const retried = await retryExecution(failed);
		expect(retried.status).toBe('success');
		expect(accepted()).toBe(20);
		// 20 create requests in the failed run (the 20th refused), 1 in the retry.
		expect(creates()).toBe(21);
		const items = jsonOf(retried);
		expect(items).toHaveLength(20);
		expect(items.slice(0, 19).map((json) => json.taskId)).toEqual(first);
		expect(items.slice(0, 19).every((json) => json.reused === true && json.state === 'success')).toBe(true);
		expect(items[19]).toMatchObject({ state: 'success' });
		expect(items[19].reused).toBeUndefined();
		expect(items.map((_, i) => retried.output('KIE')[i].pairedItem)).toEqual(Array.from({ length: 20 }, (_, item) => ({ item })));
		// The prompt of the one new create is item 20's.
		expect((sim.requestsFor('createTask').at(-1)!.body as { input: { prompt: string } }).input.prompt).toBe('prompt 20');
		expect(infoHintsOf(retried).join(' ')).toMatch(/Reuse Results: 19 items reused a task created earlier/);
		// A retry runs without the workflow's static data: said, as a fallback.
		expect(infoHintsOf(retried).join(' ')).toContain('the tasks of this execution are remembered in the execution and in this n8n process only');
		expect(infoHintsOf(failed).join(' ')).not.toContain('in this n8n process only');
		// The run's credits count the one new task; the 19 were paid for by the failed execution.
		expect(infoHintsOf(retried).join(' ')).toMatch(/This run: 4 credits for 1 task.*19 tasks reused from earlier runs, paid for then and not counted/);
	});

	it('without Reuse Results the same retry creates all 20 again', async () => {
		sim.fault('createTask', 'dailyLimit', { skip: 19 });
		const failed = await run({ input: rows(20), options: { reuseResults: false } });
		expect(failed.status).toBe('error');
		const retried = await retryExecution(failed);
		expect(retried.status).toBe('success');
		expect(accepted()).toBe(39);
		expect(jsonOf(retried).some((json) => json.reused)).toBe(false);
	});

	it('Retry On Fail reuses within the execution: 20 items, a refused create at item 5, 20 tasks in all', async () => {
		sim.fault('createTask', 'dailyLimit', { skip: 4 });
		const result = await run({ input: rows(20), node: { retryOnFail: true, maxTries: 2, waitBetweenTries: 0 } });
		expect(result.status).toBe('success');
		expect(accepted()).toBe(20);
		const items = jsonOf(result);
		// The first try created items 1–4 and those whose creates were already on their way when item 5 was
		// refused; the second try reused every one of them: 20 tasks for 20 items, none paid twice.
		expect(items.filter((json) => json.reused === true).length).toBeGreaterThanOrEqual(4);
		expect(new Set(items.map((json) => json.taskId)).size).toBe(20);
		expect(items.every((json) => json.state === 'success')).toBe(true);
	});

	it('reuses across two processes through static data (production executions); the key, prompt and API key are never stored', async () => {
		const staticData: IDataObject = {};
		const first = await run({ input: rows(5), mode: 'webhook', active: true, staticData, options: { reuseKey: '={{ "row-" + $json.row }}' } });
		expect(first.status).toBe('success');
		expect(accepted()).toBe(5);
		resetProcessReuse(); // another process (a restart, another main)
		const second = await run({ input: rows(5), mode: 'webhook', active: true, staticData, options: { reuseKey: '={{ "row-" + $json.row }}' } });
		expect(accepted()).toBe(5);
		expect(jsonOf(second).map((json) => json.taskId)).toEqual(jsonOf(first).map((json) => json.taskId));
		expect(jsonOf(second).every((json) => json.reused === true)).toBe(true);
		expect(infoHintsOf(second).join(' ')).not.toContain('in this n8n process only');
		// A production execution that is not of an active workflow (as a queue worker runs it) says it keeps its tasks in this process only.
		const worker = await run({ input: rows(1, 'worker'), mode: 'webhook', active: false, staticData });
		expect(infoHintsOf(worker)).toContain(
			'Reuse Results: the tasks of this execution are remembered in the execution and in this n8n process only (n8n gives a queue worker, or a retry, no workflow static data that it saves safely): a retry of this execution reuses them anywhere, a later execution only in this process.',
		);
		expect(JSON.stringify(staticData)).not.toContain(String(jsonOf(worker)[0].taskId));

		const stored = JSON.stringify(staticData);
		const record = (Object.values(staticData)[0] as IDataObject)[REUSE_FIELD] as { e: Array<Record<string, unknown>> };
		expect(record.e).toHaveLength(5);
		for (const entry of record.e) {
			expect(Object.keys(entry).sort()).toEqual(['c', 'f', 'k', 'm', 't']);
			expect(entry.k).toMatch(/^[0-9a-f]{64}$/);
		}
		for (const secret of [SIM_ACCOUNT, 'row-1', 'prompt 1', sim.url, 'http']) expect(stored).not.toContain(secret);
		// Nor in the executions' own records (their node context, saved with each execution): the second run
		// keeps the tasks it reused there too, for its own retry.
		const context = JSON.stringify([first, second].map((result) => result.run.data.executionData?.contextData ?? {}));
		expect(JSON.stringify(second.run.data.executionData?.contextData)).toContain(String(jsonOf(first)[4].taskId));
		expect(context).toContain(REUSE_FIELD);
		for (const secret of [SIM_ACCOUNT, 'row-1', 'prompt 1', sim.url]) expect(context).not.toContain(secret);
	});

	it('a manual run reuses what an earlier manual run of this process created, never static data', async () => {
		const staticData: IDataObject = {};
		await run({ input: rows(3), staticData });
		const again = await run({ input: rows(3), staticData });
		expect(accepted()).toBe(3);
		expect(jsonOf(again).every((json) => json.reused === true)).toBe(true);
		expect(JSON.stringify(staticData)).not.toContain(REUSE_FIELD);
		resetProcessReuse();
		await run({ input: rows(3), staticData });
		expect(accepted()).toBe(6);
	});

	it('the key is the model and the whole input: another prompt or setting makes a new task', async () => {
		await run({ input: rows(2) });
		await run({ input: rows(2), parameters: { aspectRatio: '3:2' } });
		await run({ input: rows(2, 'other') });
		expect(accepted()).toBe(6);
		// The same prompt typed with surrounding spaces is another request (KIE receives it as it is).
		await run({ input: [{ json: { p: 'prompt 1 ' } }] });
		expect(accepted()).toBe(7);
		// The same input and settings again: reused.
		const again = await run({ input: rows(2), parameters: { aspectRatio: '3:2' } });
		expect(accepted()).toBe(7);
		expect(jsonOf(again).every((json) => json.reused === true)).toBe(true);
	});

	it('Reuse Key replaces the input: a changed prompt with the same row id is reused, a new row id is not', async () => {
		await run({ input: rows(2), options: { reuseKey: '={{ $json.row }}' } });
		const edited = await run({ input: rows(2, 'edited'), options: { reuseKey: '={{ $json.row }}' } });
		expect(accepted()).toBe(2);
		expect(jsonOf(edited).every((json) => json.reused === true)).toBe(true);
		await run({ input: [{ json: { p: 'prompt 1', row: 3 } }], options: { reuseKey: '={{ $json.row }}' } });
		expect(accepted()).toBe(3);
	});

	it('a Reuse Key is the same whatever its spelling: the number 1, the text "1" and " 1 " are one request; "01" is another', async () => {
		await run({ input: [{ json: { p: 'a', row: 1 } }], options: { reuseKey: '={{ $json.row }}' } });
		for (const key of ['1', ' 1 ', '={{ String($json.row) }}']) {
			const again = await run({ input: [{ json: { p: 'b', row: 1 } }], options: { reuseKey: key } });
			expect(jsonOf(again)[0].reused).toBe(true);
		}
		expect(accepted()).toBe(1);
		const other = await run({ input: [{ json: { p: 'a', row: 1 } }], options: { reuseKey: '01' } });
		expect(jsonOf(other)[0].reused).toBeUndefined();
		expect(accepted()).toBe(2);
	});

	it('a live model (Model Input) is reused by its validated input: the same fields again reuse, another value creates', async () => {
		const LIVE = 'acme/pixel-forge-3';
		const { fields } = await runResourceMapping(KieCreateTask, 'getModelInputFields', { credentials: credentialsFor(sim), parameters: { model: model(LIVE) } });
		const input = (value: IDataObject): ResourceMapperValue => ({
			mappingMode: 'defineBelow',
			value: value as ResourceMapperValue['value'],
			matchingColumns: [],
			schema: fields,
			attemptToConvertTypes: false,
			convertFieldsToString: false,
		});
		const live = (value: IDataObject) => ({ model: model(LIVE), prompt: undefined, modelInput: input(value) });
		await run({ parameters: live({ prompt: 'a fox', aspect_ratio: '16:9' }) });
		const again = await run({ parameters: live({ prompt: 'a fox', aspect_ratio: '16:9' }) });
		expect(jsonOf(again)[0]).toMatchObject({ reused: true, model: LIVE });
		expect(accepted()).toBe(1);
		const other = await run({ parameters: live({ prompt: 'a fox', aspect_ratio: '9:16' }) });
		expect(jsonOf(other)[0].reused).toBeUndefined();
		expect(accepted()).toBe(2);
		expect(sim.requestsFor('createTask').map((request) => (request.body as IDataObject).model)).toEqual([LIVE, LIVE]);
	});

	it('a huge or structured Reuse Key is only hashed: 1 MB of text or an object, the same value twice is one request', async () => {
		const staticData: IDataObject = {};
		const huge = '={{ "k".repeat(1000000) + $json.row }}';
		await run({ input: rows(2), mode: 'webhook', active: true, staticData, options: { reuseKey: huge } });
		const again = await run({ input: rows(2, 'other'), mode: 'webhook', active: true, staticData, options: { reuseKey: huge } });
		expect(jsonOf(again).every((json) => json.reused === true)).toBe(true);
		expect(JSON.stringify(staticData).length).toBeLessThan(2000);
		const object = '={{ { sheet: "Q4", row: $json.row } }}';
		await run({ input: rows(1), options: { reuseKey: object } });
		const sameObject = await run({ input: rows(1, 'edited'), options: { reuseKey: object } });
		expect(jsonOf(sameObject)[0].reused).toBe(true);
		expect(accepted()).toBe(3);
	});

	it('identical rows of one run make one task each, and a later run reuses each of them', async () => {
		const same = [{ json: { p: 'a fox' } }, { json: { p: 'a fox' } }, { json: { p: 'a fox' } }];
		const first = await run({ input: same });
		expect(accepted()).toBe(3);
		expect(new Set(jsonOf(first).map((json) => json.taskId)).size).toBe(3);
		const again = await run({ input: same });
		expect(accepted()).toBe(3);
		expect(jsonOf(again).map((json) => json.taskId)).toEqual(jsonOf(first).map((json) => json.taskId));
		// One more identical row than before: one new task.
		await run({ input: [...same, { json: { p: 'a fox' } }] });
		expect(accepted()).toBe(4);
	});

	it('a window of 0 hours reuses nothing', async () => {
		await run({ input: rows(2) });
		const again = await run({ input: rows(2), options: { reuseWindow: 0 } });
		expect(accepted()).toBe(4);
		expect(jsonOf(again).some((json) => json.reused)).toBe(false);
	});

	it('a task that failed at KIE is not reused: its item gets a new task (said in a hint when the failure is learnt on reuse)', async () => {
		// Polled: the failure is seen in the run, and the task forgotten at once.
		sim.nextTask({});
		sim.failNextTask({ failCode: '501', failMsg: 'content policy' });
		const first = await run({ input: rows(3), node: { onError: 'continueRegularOutput' } });
		expect(jsonOf(first)[1]).toMatchObject({ state: 'failed', error: expect.stringContaining('content policy') });
		const again = await run({ input: rows(3), node: { onError: 'continueRegularOutput' } });
		expect(accepted()).toBe(4);
		expect(jsonOf(again).map((json) => json.reused === true)).toEqual([true, false, true]);
		expect(jsonOf(again).every((json) => json.state === 'success')).toBe(true);

		// Submitted only: the failure is learnt when the next run reads the task.
		resetProcessReuse();
		sim.reset();
		sim.nextTask({});
		sim.failNextTask({ failCode: '501', failMsg: 'content policy' });
		const submitted = await run({ input: rows(3), parameters: { completion: 'submit' } });
		const failedId = jsonOf(submitted)[1].taskId;
		await sleep(400);
		const polled = await run({ input: rows(3) });
		expect(accepted()).toBe(4);
		expect(jsonOf(polled).map((json) => json.reused === true)).toEqual([true, false, true]);
		expect(infoHintsOf(polled).join(' ')).toContain(`new tasks were created for item 2 (task ${String(failedId)}: it failed at KIE (content policy))`);
	});

	it('a task KIE no longer knows is replaced; one that cannot be read now fails its item with the task id and creates nothing', async () => {
		const staticData: IDataObject = {};
		const first = await run({ input: rows(2), mode: 'webhook', active: true, staticData });
		const ids = jsonOf(first).map((json) => json.taskId);
		resetProcessReuse();

		// KIE answers 401 to the reads: the run fails, naming the task, with no new create.
		sim.fault('recordInfo', 'code', { code: 401, msg: 'You do not have access permissions', count: 10 });
		const unreadable = await run({ input: rows(2), mode: 'webhook', active: true, staticData });
		expect(unreadable.status).toBe('error');
		expect(unreadable.error?.message).toMatch(new RegExp(`Reuse Results: task (${ids.join('|')}), created for this item earlier, could not be read`));
		expect(accepted()).toBe(2);
		sim.reset();

		// The tasks are gone at KIE (created over a minute ago: past KIE's indexing delay): new tasks.
		const record = (Object.values(staticData)[0] as IDataObject)[REUSE_FIELD] as { e: Array<{ c: number }> };
		for (const entry of record.e) entry.c -= 120_000;
		const replaced = await run({ input: rows(2), mode: 'webhook', active: true, staticData });
		expect(replaced.error?.message).toBeUndefined();
		expect(replaced.status).toBe('success');
		expect(accepted()).toBe(2);
		expect(jsonOf(replaced).some((json) => json.reused)).toBe(false);
		expect(infoHintsOf(replaced).join(' ')).toContain('KIE no longer knows it');
	});

	it('reused tasks cost nothing against Max Credits per Run', async () => {
		await run({ input: rows(3) });
		const budgeted = await run({ input: rows(4), options: { maxCreditsPerRun: 4 } });
		expect(jsonOf(budgeted).map((json) => json.state)).toEqual(['success', 'success', 'success', 'success']);
		expect(jsonOf(budgeted).filter((json) => json.reused === true)).toHaveLength(3);
		expect(accepted()).toBe(4);
	});

	it('Submit Only outputs a reused task as it is now; Wait for Callback waits for a running one by polling and resumes nothing', async () => {
		sim.nextTask({ genMs: 1500 });
		sim.nextTask({ genMs: 1500 });
		const submitted = await run({ input: rows(2), parameters: { completion: 'submit' } });
		const ids = jsonOf(submitted).map((json) => json.taskId);
		const again = await run({ input: rows(2), parameters: { completion: 'submit' } });
		expect(jsonOf(again)).toEqual(ids.map((taskId) => ({ taskId, model: GPT, state: 'pending', reused: true })));

		const waited = await run({ input: rows(2), parameters: { completion: 'callback' } });
		expect(waited.status).toBe('success');
		expect(jsonOf(waited).map((json) => [json.taskId, json.state, json.reused])).toEqual(ids.map((taskId) => [taskId, 'success', true]));
		expect(accepted()).toBe(2);
	});

	it('files from binary count by content: the same bytes under another name are reused, other bytes are not', async () => {
		const png = (seed: string, fileName: string) => ({ buffer: makePng({ width: 8, height: 8, seed }), fileName, mimeType: 'image/png' });
		const withFile = (file: ReturnType<typeof png>) => ({
			input: [{ json: { p: 'edit' }, binary: { data: file } }],
			parameters: { model: model('gpt-image/1.5-image-to-image') },
			options: { inputImagesFromBinary: 'data' },
		});
		await run(withFile(png('a', 'a.png')));
		const renamed = await run(withFile(png('a', 'renamed.png')));
		expect(jsonOf(renamed)[0].reused).toBe(true);
		await run(withFile(png('b', 'a.png')));
		expect(accepted()).toBe(2);
		// The reused item uploaded nothing.
		expect(sim.requestsFor('uploadStream')).toHaveLength(2);
	});
});
