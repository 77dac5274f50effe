import example from '../../../examples/recover-stalled-callbacks.json';
import { runCodeNode } from './code-node';

/**
 * The recovery example (examples/recover-stalled-callbacks.json) without n8n: its structure, and its Code
 * nodes run on the outputs n8n's API and the Nudge node would give, the way n8n's Code node runs them
 * ("Run Once for All Items": `$input`, `$()` and `$execution`). The real run is in test/e2e/examples.e2e.ts.
 */
interface Node {
	name: string;
	type: string;
	typeVersion: number;
	position: [number, number];
	parameters: { jsCode?: string };
}
interface Item {
	json: Record<string, unknown>;
	error?: { message: string };
	pairedItem?: { item: number };
}
const workflow = example as unknown as {
	nodes: Node[];
	connections: Record<string, { main: Array<Array<{ node: string }>> }>;
	settings: Record<string, unknown>;
	pinData: unknown;
};
const node = (name: string) => workflow.nodes.find((entry) => entry.name === name)!;

/** Runs a Code node's JS with the outputs of the nodes that ran (`outputs`) and its input items. */
function runCode(name: string, input: Item[], outputs: Record<string, Item[]>, executionId = '100'): Item[] {
	const $ = (nodeName: string) => {
		expect(workflow.nodes.map((entry) => entry.name)).toContain(nodeName);
		const ran = Object.hasOwn(outputs, nodeName);
		return {
			isExecuted: ran,
			all: () => {
				if (!ran) throw new Error(`Node '${nodeName}' hasn't been executed`);
				return outputs[nodeName];
			},
		};
	};
	return runCodeNode(node(name).parameters.jsCode!, { $input: { all: () => input }, $, $execution: { id: executionId } }) as Item[];
}

/** A waiting execution as "Execution details" outputs it: with a KIE batch in a node's context, or none. */
const waitingExecution = (id: string, batch?: object): Item => ({
	json: {
		id,
		status: 'waiting',
		workflowId: 'wf1',
		data: {
			resumeToken: 'secret-resume-token',
			executionData: { contextData: batch ? { 'node:KIE Create Task': { kieBatch: JSON.stringify(batch) } } : { 'node:Wait': {} } },
		},
	},
});
const batch = {
	v: 2,
	resumeUrl: 'http://localhost:5678/webhook-waiting/97',
	since: '2026-01-01T00:00:00.000Z',
	tasks: [{ item: 0, taskId: 't1' }, { item: 1, taskId: 't2' }],
	nudgeToken: 'secret-nudge-token',
};

/** The run as n8n would make it, node by node, down to the one Summary item; `nudge` answers each POST. */
function simulate(listed: Item[], details: (executionId: string) => Item, nudge = () => ({ statusCode: 200, body: { msg: 'received; every task ended, resuming' } })) {
	const outputs: Record<string, Item[]> = { Executions: listed };
	const candidates = runCode('Waiting or unlisted', listed, outputs);
	outputs['Waiting or unlisted'] = candidates;
	if (candidates.length) {
		outputs['Execution details'] = candidates.map((candidate) => details(String(candidate.json.executionId)));
		const batches = runCode('KIE batches waiting', outputs['Execution details'], outputs);
		outputs['KIE batches waiting'] = batches;
		if (batches.length) {
			outputs.Nudge = batches.map(() => ({ json: nudge() }));
			outputs.Report = runCode('Report', outputs.Nudge, outputs);
		}
	}
	const summary = runCode('Summary', listed, outputs);
	return { outputs, summary };
}

describe('recover-stalled-callbacks.json', () => {
	it('is an importable workflow: pinData {}, the nodes it had, and Summary last', () => {
		expect(workflow.pinData).toEqual({});
		expect(workflow.settings.executionOrder).toBe('v1');
		expect(workflow.nodes.map((entry) => [entry.name, entry.type, entry.typeVersion])).toEqual([
			['Every 30 minutes', 'n8n-nodes-base.scheduleTrigger', 1.2],
			['Run now', 'n8n-nodes-base.manualTrigger', 1],
			['Executions', 'n8n-nodes-base.n8n', 1],
			['Waiting or unlisted', 'n8n-nodes-base.code', 2],
			['Execution details', 'n8n-nodes-base.n8n', 1],
			['KIE batches waiting', 'n8n-nodes-base.code', 2],
			['Nudge', 'n8n-nodes-base.httpRequest', 4.2],
			['Report', 'n8n-nodes-base.code', 2],
			['Summary', 'n8n-nodes-base.code', 2],
		]);
		// Every connection names a node of the workflow; Summary has no children.
		for (const [from, { main }] of Object.entries(workflow.connections)) {
			expect(node(from)).toBeDefined();
			for (const target of main.flat()) expect(node(target.node)).toBeDefined();
		}
		expect(workflow.connections.Summary).toBeUndefined();
		// Summary hangs off Executions (which always outputs an item) below the main branch: with execution
		// order v1 n8n runs the branches top to bottom, so it runs once, after Report or where the run stopped.
		expect(workflow.connections.Executions.main[0].map((target) => target.node)).toEqual(['Waiting or unlisted', 'Summary']);
		expect(node('Summary').position[1]).toBeGreaterThan(node('Waiting or unlisted').position[1]);
		expect(node('Summary').position[0]).toBeGreaterThan(node('Report').position[0]);
	});

	it('ends with one item, "nothing to nudge", when nothing is listed as waiting and there is no gap', () => {
		const listed = [98, 99].map((id) => ({ json: { id: String(id), status: 'success' } }));
		const { outputs, summary } = simulate(listed, () => {
			throw new Error('nothing is read');
		});
		expect(outputs['Waiting or unlisted']).toEqual([]);
		expect(summary).toEqual([
			{ json: { summary: 'Nothing to nudge: no execution waits for KIE callbacks.', nudged: 0, skipped: 0, nudgedExecutions: [], skippedExecutions: [] } },
		]);
	});

	it('ends with one item when n8n lists no execution at all (Executions outputs an empty item)', () => {
		const { summary } = simulate([{ json: {} }], () => ({ json: {}, error: { message: 'The resource you are requesting could not be found' } }), undefined);
		expect(summary).toHaveLength(1);
		expect(summary[0].json).toMatchObject({ nudged: 0, skipped: 99 });
		expect(summary[0].json.summary).toBe('Nothing to nudge: no execution waits for KIE callbacks. 99 skipped: 99 not found (deleted, or a run n8n did not save).');
	});

	it('reports the skipped executions and why when none waits for KIE callbacks', () => {
		const listed = [
			{ json: { id: '95', status: 'success' } },
			{ json: { id: '96', status: 'waiting' } },
			{ json: { id: '99', status: 'success' } },
		];
		const details = (id: string): Item =>
			id === '96'
				? waitingExecution('96')
				: id === '97'
					? { json: { id: '97', status: 'success', data: {} } }
					: { json: {}, error: { message: 'The resource you are requesting could not be found' } };
		const { summary } = simulate(listed, details);
		expect(summary).toHaveLength(1);
		expect(summary[0].json).toEqual({
			summary:
				'Nothing to nudge: no execution waits for KIE callbacks. 3 skipped: 1 not found (deleted, or a run n8n did not save); 1 not waiting (status success); 1 waiting for something else (no KIE Create Task batch in its data).',
			nudged: 0,
			skipped: 3,
			nudgedExecutions: [],
			// Newest first, as they were read.
			skippedExecutions: [
				{ executionId: '98', reason: 'not found (deleted, or a run n8n did not save)' },
				{ executionId: '97', reason: 'not waiting (status success)' },
				{ executionId: '96', reason: 'waiting for something else (no KIE Create Task batch in its data)' },
			],
		});
	});

	it('reports one nudged execution with the answer, the skipped ones with why, and no URL or token', () => {
		const listed = [{ json: { id: '95', status: 'success' } }, { json: { id: '99', status: 'success' } }];
		const details = (id: string): Item =>
			id === '97'
				? waitingExecution('97', batch)
				: id === '98'
					? { json: {}, error: { message: 'Authorization failed - please check your credentials' } }
					: { json: { id, status: 'running', data: {} } };
		const { outputs, summary } = simulate(listed, details);
		expect(outputs.Report).toHaveLength(1);
		expect(summary).toHaveLength(1);
		expect(summary[0].json).toEqual({
			summary:
				'1 nudged, 2 skipped: 1 could not be read (Authorization failed - please check your credentials); 1 not waiting (status running).',
			nudged: 1,
			skipped: 2,
			nudgedExecutions: [
				{ executionId: '97', workflowId: 'wf1', node: 'KIE Create Task', tasks: 2, waitingSince: batch.since, status: 200, answer: 'received; every task ended, resuming' },
			],
			skippedExecutions: [
				{ executionId: '98', reason: 'could not be read (Authorization failed - please check your credentials)' },
				{ executionId: '96', reason: 'not waiting (status running)' },
			],
		});
		const text = JSON.stringify(summary);
		for (const secret of ['secret-resume-token', 'secret-nudge-token', 'webhook-waiting', 'signature=']) expect(text).not.toContain(secret);
	});

	it('counts every nudged batch and names no skip when all waited', () => {
		const listed = [97, 98, 99].map((id) => ({ json: { id: String(id), status: 'waiting' } }));
		const { summary } = simulate(listed, (id) => waitingExecution(id, batch), () => ({ statusCode: 200, body: { msg: 'received; 1 of 2 tasks still running' } }));
		expect(summary[0].json).toMatchObject({ summary: '3 nudged, 0 skipped.', nudged: 3, skipped: 0, skippedExecutions: [] });
		expect((summary[0].json.nudgedExecutions as Array<{ executionId: string }>).map((row) => row.executionId)).toEqual(['99', '98', '97']);
	});
});
