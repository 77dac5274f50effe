import agentExample from '../../examples/ai-agent-tool.json';
import { sleep } from 'n8n-workflow';

import { makePng } from '../../simulator';
import { startFakeOpenAi, type FakeOpenAi } from '../support/fake-openai';
import { N8N3_DEFAULTS, PROFILE, latestAgentVersion, startE2E, type E2E } from './env';

/**
 * Every way KIE Create Task completes, on the n8n line under test (2.40.7, or 1.123.81 with
 * N8N_VERSION=1.123.81): poll, submit only, Wait for Callback, and as an AI agent's tool (the agent's
 * model is a stand-in for OpenAI on loopback); and the other action nodes (Upload File, Get Task, Account). Each test checks that every task KIE was asked to create
 * (and would bill) ends in the output of an execution that succeeded, created exactly once: no mode
 * fails after a paid create because the host lacks something (n8n 1.123 has no tool-execution flag, no
 * execution custom data, and stops a run on a tool's error).
 */
const KIE_CREDENTIAL = { id: 'kieE2ECredential', name: 'KIE API (simulator)' };
const OPENAI_CREDENTIAL = { id: 'openAiE2EFake', name: 'OpenAI (stand-in on loopback)' };
const MODEL = { __rl: true, mode: 'list', value: 'gpt-image/1.5-text-to-image' };

const node = (index: number, name: string, type: string, typeVersion: number, parameters: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
	id: `e2e00000-0000-4000-8000-${String(index).padStart(12, '0')}`,
	name,
	type,
	typeVersion,
	position: [index * 220, 0],
	parameters,
	...extra,
});
const kieNode = (index: number, name: string, completion: string, prompt: string) =>
	node(index, name, 'n8n-nodes-kie-ai.kieCreateTask', 1, { model: MODEL, prompt, aspectRatio: '3:2', completion, options: {} }, { credentials: { kieApi: KIE_CREDENTIAL } });
const chain = (names: string[]) =>
	Object.fromEntries(names.slice(0, -1).map((name, index) => [name, { main: [[{ node: names[index + 1], type: 'main', index: 0 }]] }]));

/** Manual trigger → poll → submit only → Wait for Callback, one task each. */
const MODES = {
	file: 'e2e-every-mode.json',
	workflow: {
		id: 'kieE2EEveryMode',
		name: 'KIE: every completion mode',
		active: false,
		nodes: [
			node(0, 'Start', 'n8n-nodes-base.manualTrigger', 1, {}),
			kieNode(1, 'Poll', 'poll', 'mode: poll'),
			kieNode(2, 'Submit only', 'submit', 'mode: submit only'),
			kieNode(3, 'Wait for Callback', 'callback', 'mode: wait for callback'),
		],
		connections: chain(['Start', 'Poll', 'Submit only', 'Wait for Callback']),
		settings: { executionOrder: 'v1' },
	},
};

/** Manual trigger → KIE Upload File (base64) → KIE Create Task (submit only) → KIE Get Task (wait) → KIE Account. */
const PNG = makePng({ width: 8, height: 8, seed: 'e2e-every-node' });
const OTHER_NODES = {
	file: 'e2e-every-node.json',
	workflow: {
		id: 'kieE2EEveryNode',
		name: 'KIE: upload, submit, get, credits',
		active: false,
		nodes: [
			node(20, 'Start', 'n8n-nodes-base.manualTrigger', 1, {}),
			node(21, 'Upload File', 'n8n-nodes-kie-ai.kieUploadFile', 1, { source: 'base64', base64Data: PNG.toString('base64'), fileName: 'e2e-every-node.png', options: {} }, { credentials: { kieApi: KIE_CREDENTIAL } }),
			node(22, 'Create Task', 'n8n-nodes-kie-ai.kieCreateTask', 1, { model: MODEL, prompt: 'mode: every node', aspectRatio: '3:2', completion: 'submit', options: {} }, { credentials: { kieApi: KIE_CREDENTIAL } }),
			node(23, 'Get Task', 'n8n-nodes-kie-ai.kieGetTask', 1, { taskId: '={{ $json.taskId }}', options: { waitUntilDone: true } }, { credentials: { kieApi: KIE_CREDENTIAL } }),
			node(24, 'Account', 'n8n-nodes-kie-ai.kieAccount', 1, { operation: 'getCredits' }, { credentials: { kieApi: KIE_CREDENTIAL } }),
		],
		connections: chain(['Start', 'Upload File', 'Create Task', 'Get Task', 'Account']),
		settings: { executionOrder: 'v1' },
	},
};

/**
 * Reuse Results in production: a published workflow whose webhook (POST {prompts}) makes one item per
 * prompt for KIE Create Task (poll, Reuse Results on).
 */
const REUSE_PATH = 'kie-e2e-reuse';
const REUSE = {
	file: 'e2e-reuse-results.json',
	workflow: {
		id: 'kieE2EReuseResults',
		name: 'KIE: production batch with Reuse Results',
		active: true,
		nodes: [
			node(30, 'Webhook', 'n8n-nodes-base.webhook', 2, { httpMethod: 'POST', path: REUSE_PATH, responseMode: 'onReceived', options: {} }, { webhookId: 'e2e00000-0000-4000-8000-0000000000c1' }),
			node(31, 'One item per prompt', 'n8n-nodes-base.splitOut', 1, { fieldToSplitOut: 'body.prompts', options: {} }),
			node(
				32,
				'KIE Create Task',
				'n8n-nodes-kie-ai.kieCreateTask',
				1,
				{ model: MODEL, prompt: '={{ $json.prompt }}', aspectRatio: '3:2', completion: 'poll', options: { pollInterval: 1, reuseResults: true } },
				{ credentials: { kieApi: KIE_CREDENTIAL } },
			),
		],
		connections: chain(['Webhook', 'One item per prompt', 'KIE Create Task']),
		settings: { executionOrder: 'v1' },
	},
};

/** The tool description of the agent runs: the price of a call from the run's Estimate Cost. */
const TOOL_DESCRIPTION =
	"={{ 'Creates an image with GPT Image 1.5 (KIE.AI) and returns JSON {taskId, state, resultUrls, creditsConsumed, error}. Each call is a paid task: about ' + $('Estimate Cost').first().json.creditsPerTask + ' credits.' }}";

/**
 * The AI agent example, started by hand with a chat message instead of the chat window, at an agent
 * version (3.1 as in the example: tools run as nodes; 1.7, which n8n 3 removes, as saved workflows still have
 * it: tools run through n8n's tool wrapper).
 */
function agentWorkflow(id: string, agentVersion: number) {
	type Node = Record<string, unknown> & { name: string };
	const workflow = JSON.parse(JSON.stringify(agentExample)) as Omit<typeof agentExample, 'nodes'> & { nodes: Node[] };
	workflow.id = id;
	workflow.name = `KIE: AI agent (version ${agentVersion}) with the KIE image tool`;
	const nodes = workflow.nodes.filter((entry) => entry.name !== 'When chat message received');
	const agent = nodes.find((entry) => entry.name === 'AI Agent')!;
	agent.typeVersion = agentVersion;
	nodes.find((entry) => entry.name === 'OpenAI Chat Model')!.credentials = { openAiApi: OPENAI_CREDENTIAL };
	// The price of a call in the tool's description, from KIE Account's Estimate Cost earlier in the run (as the
	// README shows it).
	(nodes.find((entry) => entry.name === 'KIE image tool')!.parameters as Record<string, unknown>).toolDescription = TOOL_DESCRIPTION;
	workflow.nodes = [
		node(10, 'Start', 'n8n-nodes-base.manualTrigger', 1, {}),
		node(12, 'Estimate Cost', 'n8n-nodes-kie-ai.kieAccount', 1, { operation: 'estimateCost', model: MODEL, count: 1, input: '{}' }, { credentials: { kieApi: KIE_CREDENTIAL } }),
		node(11, 'Chat message', 'n8n-nodes-base.set', 3.4, {
			assignments: { assignments: [{ id: 'e2e-chat-input', name: 'chatInput', value: 'Draw a red fox in the snow', type: 'string' }] },
			options: {},
		}),
		...nodes,
	];
	const connections = workflow.connections as Record<string, unknown>;
	delete connections['When chat message received'];
	Object.assign(connections, chain(['Start', 'Estimate Cost', 'Chat message', 'AI Agent']));
	return { file: `e2e-${id}.json`, workflow };
}
/**
 * The agent versions the tool is run with. On the pinned lines: the example's (3, the newest on every supported
 * line; 1.123 has no 3.1) and 1.7, which saved workflows still have. Under n8n 3's defaults: only the newest
 * version this n8n has (read from its install when the suite starts), as n8n 3 removes every agent below 2.
 */
const EXAMPLE_AGENT_VERSION = agentExample.nodes.find((entry) => entry.name === 'AI Agent')!.typeVersion;
const AGENTS = (N8N3_DEFAULTS ? ['the newest'] : [`${EXAMPLE_AGENT_VERSION}, the example's`, '1.7']).map((label, index) => ({
	label,
	...agentWorkflow(`kieE2EAgent${index}`, label === '1.7' ? 1.7 : EXAMPLE_AGENT_VERSION),
}));
const TOOL_PROMPT = 'A red fox in fresh snow, golden hour, telephoto';

let e2e: E2E;
let openAi: FakeOpenAi;
beforeAll(async () => {
	openAi = await startFakeOpenAi({ toolArguments: { prompt: TOOL_PROMPT, aspect_ratio: '3:2' } });
	if (N8N3_DEFAULTS) {
		const newest = await latestAgentVersion();
		for (const agent of AGENTS) agent.workflow.nodes.find((entry) => entry.name === 'AI Agent')!.typeVersion = newest;
	}
	e2e = await startE2E({
		withExamples: false,
		extraWorkflows: [MODES, OTHER_NODES, REUSE, ...AGENTS],
		extraCredentials: () => [{ ...OPENAI_CREDENTIAL, type: 'openAiApi', data: { apiKey: 'sk-e2e-fake', url: openAi.url } }],
	});
	await e2e.startServer();
});
afterAll(async () => {
	await e2e?.stop();
	await openAi?.close();
});

type RunData = Record<string, Array<{ data?: { main: Array<Array<{ json: Record<string, unknown> }>> }; error?: { message: string } }>>;
const json = (runData: RunData, name: string) => runData[name]?.[0]?.data?.main[0]?.map((item) => item.json) ?? [];
/**
 * Runs an imported workflow in the server from its "Start" node until it ends, and checks that it
 * succeeded (with the execution error in the failure message otherwise).
 */
async function runToSuccess(file: string): Promise<{ executionId: string; runData: RunData }> {
	const executionId = await e2e.runInServer(e2e.workflowId(file), 'Start');
	const done = await e2e.waitForExecution(executionId, ['success', 'error', 'crashed'], 90_000);
	expect({ status: done.status, error: (done.data.resultData as { error?: { message: string } }).error?.message }).toEqual({ status: 'success', error: undefined });
	return { executionId, runData: done.data.resultData.runData as RunData };
}
/** What the model was told by the tool (the tool messages of every request), in order. */
const toolMessages = () => openAi.requests.flatMap((request) => request.messages.filter((message) => message.role === 'tool'));
/** The prompts KIE was asked to create tasks for, in order. */
const createdPrompts = () => e2e.sim.requestsFor('createTask').map((request) => (request.body as { input: { prompt: string } }).input.prompt);

describe(`every completion mode on ${PROFILE}: nothing fails after KIE accepted a task`, () => {
	it('poll, submit only and Wait for Callback each create their task once, and the run ends with every task id in the output', async () => {
		e2e.sim.reset();
		const { executionId, runData } = await runToSuccess(MODES.file);
		expect(createdPrompts()).toEqual(['mode: poll', 'mode: submit only', 'mode: wait for callback']);

		const created = e2e.sim.requestsFor('createTask').map((request) => request.taskId);
		const [poll] = json(runData, 'Poll');
		const [submitted] = json(runData, 'Submit only');
		const [waited] = json(runData, 'Wait for Callback');
		expect([poll.taskId, submitted.taskId, waited.taskId]).toEqual(created);
		expect(poll).toMatchObject({ state: 'success', resultUrls: e2e.sim.tasks.get(created[0]!)!.resultUrls });
		expect(submitted).toMatchObject({ state: 'pending' });
		expect(waited).toMatchObject({ state: 'success', resultUrls: e2e.sim.tasks.get(created[2]!)!.resultUrls });
		// Waited for its callback: KIE called the resume URL, which resumed the run.
		expect(e2e.sim.callbacks.filter((delivery) => delivery.url.includes(`/webhook-waiting/${executionId}`)).map((delivery) => delivery.status)).toEqual([200]);
	});

	it('KIE Upload File, Get Task and Account run too: the upload reaches KIE, the submitted task is read until it ends, the credits come back', async () => {
		e2e.sim.reset();
		const { runData } = await runToSuccess(OTHER_NODES.file);
		const [upload] = json(runData, 'Upload File');
		expect(upload.fileName).toBe('e2e-every-node.png');
		expect([...e2e.sim.uploads.values()].map((record) => record.size)).toEqual([PNG.length]);
		expect(String(upload.downloadUrl)).toMatch(/^http/);
		expect(createdPrompts()).toEqual(['mode: every node']);
		const [created] = e2e.sim.requestsFor('createTask');
		expect(json(runData, 'Get Task')[0]).toMatchObject({ taskId: created.taskId, state: 'success', resultUrls: e2e.sim.tasks.get(created.taskId!)!.resultUrls });
		expect(json(runData, 'Account')[0]).toEqual({ credits: e2e.sim.credits });
	});

	for (const agent of AGENTS) {
		describe(`as the tool of an AI agent (version ${agent.label})`, () => {
			it('creates one task from the arguments the model chose, and gives the agent the result URL', async () => {
				e2e.sim.reset();
				openAi.requests.length = 0;
				const { runData } = await runToSuccess(agent.file);

				expect(createdPrompts()).toEqual([TOOL_PROMPT]);
				const [create] = e2e.sim.requestsFor('createTask');
				expect((create.body as { input: Record<string, unknown> }).input).toMatchObject({ prompt: TOOL_PROMPT, aspect_ratio: '3:2' });
				const resultUrl = e2e.sim.tasks.get(create.taskId!)!.resultUrls[0];
				// The model saw the tool's result (task id and URL), and the agent answered with it.
				expect(toolMessages()).toHaveLength(1);
				expect(JSON.stringify(toolMessages()[0].content)).toContain(create.taskId!);
				expect(String(json(runData, 'AI Agent')[0]?.output)).toContain(resultUrl);
				// The model was told what a call costs (KIE's price data, through Estimate Cost), and the answer
				// says what this one cost.
				expect(json(runData, 'Estimate Cost')[0]).toMatchObject({ creditsPerTask: 4, sure: true });
				const described = openAi.requests[0].tools?.map((tool) => tool.function.description) ?? [];
				// n8n 1.123 hands a tool's Description to the model as typed (it resolves no expression there).
				expect(described).toEqual([e2e.n8nMajor >= 2 ? expect.stringContaining('Each call is a paid task: about 4 credits.') : TOOL_DESCRIPTION]);
				expect(JSON.stringify(toolMessages()[0].content)).toContain('creditsConsumed');
			});

			it('a task KIE fails goes back to the agent as a result naming the task, and nothing is created twice', async () => {
				e2e.sim.reset();
				openAi.requests.length = 0;
				e2e.sim.failNextTask({ failCode: '500', failMsg: 'The image could not be generated' });
				// The run succeeds: the failure is the tool's result, not the workflow's error.
				await runToSuccess(agent.file);
				expect(createdPrompts()).toEqual([TOOL_PROMPT]);
				const [create] = e2e.sim.requestsFor('createTask');
				expect(toolMessages()).toHaveLength(1);
				const told = JSON.stringify(toolMessages()[0].content);
				expect(told).toContain(create.taskId!);
				expect(told).toContain('The image could not be generated');
			});
		});
	}
});

describe(`Reuse Results on ${PROFILE}: a retry pays only for what was not created`, () => {
	type Execution = { id: string | number; status: string; retryOf?: string | null };
	const executions = async () => (await e2e.listExecutions(REUSE.workflow.id)) as Execution[];
	const post = async (prompts: string[]) =>
		await fetch(`${e2e.baseUrl}/webhook/${REUSE_PATH}`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ prompts: prompts.map((prompt) => ({ prompt })) }),
		});
	const prompts = Array.from({ length: 10 }, (_, i) => `reuse row ${i + 1}`);

	it('a failed 10-item production execution, retried from the executions list, creates only the items that had not been created', async () => {
		e2e.sim.reset();
		await e2e.waitForPublished(REUSE.workflow.id);
		// KIE refuses the 8th create (its daily limit): the execution fails after 7 paid tasks.
		e2e.sim.fault('createTask', 'dailyLimit', { skip: 7 });
		const before = (await executions()).length;
		expect((await post(prompts)).status).toBe(200);
		let failed: Execution | undefined;
		for (let i = 0; i < 200 && !failed; i++) {
			const list = await executions();
			if (list.length > before && ['error', 'crashed'].includes(list[0].status)) failed = list[0];
			else await sleep(300);
		}
		expect(failed).toBeDefined();
		// Rows 1–7, and any row after 8 whose create was already on its way when KIE refused row 8.
		const firstTasks = e2e.sim.tasks.size;
		expect(firstTasks).toBeGreaterThanOrEqual(7);
		expect(firstTasks).toBeLessThan(10);
		const taskOfPrompt = () => new Map(e2e.sim.requestsFor('createTask').filter((request) => request.answerCode === 200).map((request) => [(request.body as { input: { prompt: string } }).input.prompt, request.taskId]));
		const first = taskOfPrompt();

		// "Retry with original workflow", as the executions list offers it.
		await e2e.rest.request('POST', `/rest/executions/${failed!.id}/retry`, { loadWorkflow: false });
		const retry = (await executions()).find((execution) => String(execution.retryOf ?? '') === String(failed!.id));
		expect(retry).toBeDefined();
		const done = await e2e.waitForExecution(String(retry!.id), ['success', 'error', 'crashed'], 90_000);
		expect(done.status).toBe('success');
		const items = json(done.data.resultData.runData as RunData, 'KIE Create Task');
		expect(items).toHaveLength(10);
		expect(items.every((item) => item.state === 'success')).toBe(true);
		// A row created by the failed execution is reused (its task id), every other row is created now.
		for (const [index, item] of items.entries()) {
			const earlier = first.get(prompts[index]);
			expect([item.taskId, item.reused]).toEqual(earlier ? [earlier, true] : [item.taskId, undefined]);
		}
		// 10 tasks at KIE for 10 rows: each row paid for once.
		expect(e2e.sim.tasks.size).toBe(10);
		expect([...taskOfPrompt().keys()].sort()).toEqual([...prompts].sort());
		expect(e2e.sim.requestsFor('createTask').filter((request) => request.answerCode === 200)).toHaveLength(10);

		// The next production execution with the same rows (this process) pays for nothing.
		await post(prompts);
		const next = await (async () => {
			for (let i = 0; i < 200; i++) {
				const list = await executions();
				const newest = list.find((execution) => !execution.retryOf && String(execution.id) !== String(failed!.id));
				if (newest && ['success', 'error', 'crashed'].includes(newest.status)) return newest;
				await sleep(300);
			}
			return undefined;
		})();
		expect(next?.status).toBe('success');
		const again = json((await e2e.getExecution(String(next!.id))).data.resultData.runData as RunData, 'KIE Create Task');
		expect(again.every((item) => item.reused === true)).toBe(true);
		expect(e2e.sim.tasks.size).toBe(10);
	});
});

