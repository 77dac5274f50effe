/**
 * Reuse Results under n8n's real engine (n8n-core's WorkflowExecute): what a production execution
 * remembers reaches the next one through workflow static data, a Retry of a failed execution (from the
 * executions list) reuses what the failed one created through the execution's own data, and Retry On Fail
 * reuses within the execution.
 *
 * The harness's runWorkflow builds an inactive workflow (as n8n does for a copy), and the store writes static
 * data only for an active one (see staticDataWritable), so this file drives WorkflowExecute itself, with the
 * harness's additional data and node types, and saves static data the way n8n's lifecycle hook does
 * (hookFunctionsSave: after the run, unless manual, when the engine reports it changed).
 */
import 'reflect-metadata';

import { ExecutionLifecycleHooks, WorkflowExecute } from 'n8n-core';
import type {
	IDataObject,
	IExecuteFunctions,
	INode,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	IRun,
	IRunExecutionData,
	IWorkflowBase,
	WorkflowExecuteMode,
} from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError, Workflow, createRunExecutionData, jsonStringify } from 'n8n-workflow';

import { openReuse, resetProcessReuse, reuseKey, REUSE_FIELD } from '../../nodes/shared/reuse';
import {
	buildAdditionalData,
	HarnessCredentialsHelper,
	HarnessCredentialTypes,
	HarnessNodeTypes,
	internals,
} from '../support/harness';
import { HARNESS_START_TYPE, HarnessStart } from '../support/nodes/HarnessStart.node';

const MODEL = 'gpt-image/1.5-text-to-image';
const NODE = 'Create';
const WORKFLOW_ID = 'reuse-workflow';

/** Tasks "created" (paid) by the probe, in order; and the item index at which the next run fails once. */
let created: string[] = [];
let failAt: number | undefined;

/** A stand-in for KIE Create Task: one create per item unless the store has its task. */
class ReuseProbe implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Reuse Probe',
		name: 'reuseProbe',
		group: ['transform'],
		version: 1,
		description: 'Creates a fake task per item, reusing remembered ones',
		defaults: { name: 'Reuse Probe' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		properties: [{ displayName: 'Share Within Run', name: 'shareWithinRun', type: 'boolean', default: false }],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		const store = openReuse(this, { shareWithinRun: this.getNodeParameter('shareWithinRun', 0, false) === true });
		const slots = items.map((item) => store.slot(reuseKey({ modelId: MODEL, input: { prompt: item.json.prompt } })));
		const out: INodeExecutionData[] = [];
		for (let i = 0; i < items.length; i++) {
			const found = store.find(slots[i]);
			if (found) {
				out.push({ json: { taskId: found.taskId, reused: true, source: found.source }, pairedItem: { item: i } });
				continue;
			}
			if (failAt === i) {
				failAt = undefined;
				throw new NodeOperationError(this.getNode(), `KIE refused item ${i + 1}`, { itemIndex: i });
			}
			const taskId = `task_${created.length + 1}`;
			created.push(taskId);
			store.remember(slots[i], { taskId, model: MODEL, family: 'market' });
			out.push({ json: { taskId, reused: false, persists: store.persistsInWorkflow }, pairedItem: { item: i } });
		}
		return [out];
	}
}

/** The workflow's row in n8n's database: its static data. */
interface Database {
	staticData: IDataObject;
}

interface RunSpec {
	db: Database;
	mode: WorkflowExecuteMode;
	/** n8n builds an active workflow for trigger/webhook executions in regular mode. */
	active: boolean;
	/** Whether n8n loaded the static data from the database for this execution (default yes). */
	loadStaticData?: boolean;
	prompts?: string[];
	/** Continue this execution data (a retry) instead of starting at the start node. */
	runExecutionData?: IRunExecutionData;
	node?: Partial<INode>;
	parameters?: IDataObject;
}

let executionCounter = 0;

async function run(spec: RunSpec): Promise<IRun> {
	internals.ensureContainer();
	await internals.useBinaryMode('default');
	const executionId = `reuse-${++executionCounter}`;
	const nodeTypes = new HarnessNodeTypes([new HarnessStart(), new ReuseProbe()]);
	const nodes: INode[] = [
		{ id: 'start', name: 'Start', type: HARNESS_START_TYPE, typeVersion: 1, position: [0, 0], parameters: {} },
		{ id: 'probe', name: NODE, type: 'reuseProbe', typeVersion: 1, position: [200, 0], parameters: spec.parameters ?? {}, ...spec.node } as INode,
	];
	const connections = { Start: { main: [[{ node: NODE, type: NodeConnectionTypes.Main, index: 0 }]] } };
	const loaded = spec.loadStaticData === false ? undefined : (JSON.parse(JSON.stringify(spec.db.staticData)) as IDataObject);
	const workflow = new Workflow({
		id: WORKFLOW_ID,
		name: 'Reuse',
		nodes,
		connections,
		active: spec.active,
		nodeTypes,
		staticData: loaded,
		settings: { executionOrder: 'v1' },
	});
	const workflowData = { id: WORKFLOW_ID, name: 'Reuse', nodes, connections, settings: {}, active: spec.active } as unknown as IWorkflowBase;
	const hooks = new ExecutionLifecycleHooks(spec.mode, executionId, workflowData);
	let done!: (run: IRun) => void;
	const finished = new Promise<IRun>((resolve) => (done = resolve));
	hooks.addHandler('workflowExecuteAfter', (fullRun, newStaticData) => {
		// n8n's hookFunctionsSave / hookFunctionsSaveWorker: the whole object replaces the stored one.
		if (spec.mode !== 'manual' && newStaticData) spec.db.staticData = JSON.parse(JSON.stringify(newStaticData)) as IDataObject;
		done(fullRun);
	});
	const additionalData = buildAdditionalData({
		credentialsHelper: new HarnessCredentialsHelper(new HarnessCredentialTypes([])),
		executionId,
		workflowId: WORKFLOW_ID,
		webhookBaseUrl: 'http://localhost:5678/',
		hooks,
	});
	const items = (spec.prompts ?? []).map((prompt) => ({ json: { prompt } }));
	const data =
		spec.runExecutionData ??
		createRunExecutionData({
			executionData: { nodeExecutionStack: [{ node: workflow.nodes.Start, data: { main: [items] }, source: null }] },
		});
	void new WorkflowExecute(additionalData, spec.mode, data).processRunExecutionData(workflow);
	return await finished;
}

/** What n8n's ExecutionService.retry starts from: the failed execution's stored data, its failed run dropped. */
function retryData(failed: IRun): IRunExecutionData {
	const data = JSON.parse(jsonStringify(failed.data, { replaceCircularRefs: true })) as IRunExecutionData;
	delete data.resultData.error;
	const last = data.resultData.lastNodeExecuted!;
	const runs = data.resultData.runData[last];
	if (runs?.length && runs[runs.length - 1].error !== undefined) runs.pop();
	return data;
}

const output = (result: IRun) => (result.data.resultData.runData[NODE]?.at(-1)?.data?.main?.[0] ?? []).map((item) => item.json);
const prompts = (n: number) => Array.from({ length: n }, (_, i) => `prompt ${i + 1}`);

beforeEach(() => {
	created = [];
	failAt = undefined;
	resetProcessReuse();
});

describe('Reuse Results in n8n executions', () => {
	it('a second production run (another process) reuses what the first remembered, through static data', async () => {
		const db: Database = { staticData: { 'node:Other Trigger': { cursor: 'keep me' } } };
		const first = await run({ db, mode: 'trigger', active: true, prompts: prompts(3) });
		expect(first.status).toBe('success');
		expect(created).toEqual(['task_1', 'task_2', 'task_3']);
		expect((db.staticData[`node:${NODE}`] as IDataObject)[REUSE_FIELD]).toBeDefined();
		expect(db.staticData['node:Other Trigger']).toEqual({ cursor: 'keep me' });

		resetProcessReuse(); // a restart, or another main process
		const second = await run({ db, mode: 'webhook', active: true, prompts: [...prompts(3), 'prompt 4'] });
		expect(output(second).map((json) => [json.taskId, json.reused])).toEqual([
			['task_1', true],
			['task_2', true],
			['task_3', true],
			['task_4', false],
		]);
		expect(output(second).slice(0, 3).every((json) => json.source === 'workflow')).toBe(true);
		expect(created).toHaveLength(4);
	});

	it('static data is saved when the production run fails too, so the next run reuses what it created', async () => {
		const db: Database = { staticData: {} };
		failAt = 2;
		const failed = await run({ db, mode: 'trigger', active: true, prompts: prompts(4) });
		expect(failed.status).toBe('error');
		expect(created).toEqual(['task_1', 'task_2']);
		resetProcessReuse();
		const next = await run({ db, mode: 'trigger', active: true, prompts: prompts(4) });
		expect(output(next).map((json) => json.reused)).toEqual([true, true, false, false]);
		expect(created).toHaveLength(4);
	});

	it('a Retry of a failed 20-item execution (original workflow: no static data, inactive) reuses 19 tasks and creates 1', async () => {
		const db: Database = { staticData: { 'node:Other Trigger': { cursor: 'keep me' } } };
		failAt = 19;
		const failed = await run({ db, mode: 'trigger', active: true, prompts: prompts(20) });
		expect(failed.status).toBe('error');
		expect(created).toHaveLength(19);
		const savedAfterFailure = JSON.parse(JSON.stringify(db.staticData)) as IDataObject;

		resetProcessReuse(); // n8n restarted before the retry, or a queue worker runs it
		const retried = await run({ db, mode: 'retry', active: false, loadStaticData: false, runExecutionData: retryData(failed) });
		expect(retried.status).toBe('success');
		expect(output(retried)).toHaveLength(20);
		expect(output(retried).filter((json) => json.reused === true)).toHaveLength(19);
		expect(output(retried).slice(0, 19).every((json) => json.source === 'execution')).toBe(true);
		expect(created).toHaveLength(20);
		// The retry did not write static data it had not loaded: the workflow's static data is intact.
		expect(db.staticData).toEqual(savedAfterFailure);
		expect(db.staticData['node:Other Trigger']).toEqual({ cursor: 'keep me' });
	});

	it('a Retry with the currently saved workflow (static data loaded) reuses and keeps remembering in static data', async () => {
		const db: Database = { staticData: {} };
		failAt = 1;
		const failed = await run({ db, mode: 'webhook', active: true, prompts: prompts(3) });
		resetProcessReuse();
		const retried = await run({ db, mode: 'retry', active: true, runExecutionData: retryData(failed) });
		expect(output(retried).map((json) => json.reused)).toEqual([true, false, false]);
		expect(output(retried)[1].persists).toBe(true);
		resetProcessReuse();
		const later = await run({ db, mode: 'trigger', active: true, prompts: prompts(3) });
		expect(output(later).every((json) => json.reused === true)).toBe(true);
		expect(created).toHaveLength(3);
	});

	it('Retry On Fail runs the node again in the same execution and reuses what the failed try created', async () => {
		const db: Database = { staticData: {} };
		failAt = 3;
		const result = await run({ db, mode: 'trigger', active: true, prompts: prompts(5), node: { retryOnFail: true, maxTries: 2, waitBetweenTries: 0 } });
		expect(result.status).toBe('success');
		expect(output(result).map((json) => json.reused)).toEqual([true, true, true, false, false]);
		expect(created).toHaveLength(5);
	});

	it('manual executions remember in this process only: n8n does not save their static data', async () => {
		const db: Database = { staticData: {} };
		await run({ db, mode: 'manual', active: false, prompts: prompts(2) });
		expect(db.staticData).toEqual({});
		const again = await run({ db, mode: 'manual', active: false, prompts: prompts(2) });
		expect(output(again).map((json) => [json.reused, json.source])).toEqual([
			[true, 'process'],
			[true, 'process'],
		]);
		resetProcessReuse();
		const afterRestart = await run({ db, mode: 'manual', active: false, prompts: prompts(2) });
		expect(output(afterRestart).map((json) => json.reused)).toEqual([false, false]);
	});

	it('identical rows make one task each unless Reuse Within Run is on', async () => {
		const db: Database = { staticData: {} };
		const first = await run({ db, mode: 'trigger', active: true, prompts: ['same', 'same', 'same'] });
		expect(output(first).map((json) => json.taskId)).toEqual(['task_1', 'task_2', 'task_3']);
		created = [];
		resetProcessReuse();
		const shared = await run({ db: { staticData: {} }, mode: 'trigger', active: true, prompts: ['same', 'same', 'same'], parameters: { shareWithinRun: true } });
		expect(output(shared).map((json) => json.taskId)).toEqual(['task_1', 'task_1', 'task_1']);
		expect(created).toHaveLength(1);
	});

	it('neither static data nor the execution data holds a prompt', async () => {
		const db: Database = { staticData: {} };
		const result = await run({ db, mode: 'trigger', active: true, prompts: ['SECRET-PROMPT of a private photo'] });
		expect(JSON.stringify(db.staticData)).not.toContain('SECRET');
		expect(JSON.stringify(result.data.executionData?.contextData ?? {})).not.toContain('SECRET');
		expect(JSON.stringify(result.data.executionData?.contextData ?? {})).toContain(REUSE_FIELD);
	});
});
