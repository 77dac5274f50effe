// The queue-mode environment of `npm run test:queue`: the KIE simulator and a real n8n 2.x in queue mode
// (scripts/lib/queue-n8n.js), with the queue workflows below imported and published. Plain JS so that
// it may use child processes, PostgreSQL and Redis.
const { startQueue } = require('../../scripts/lib/queue-n8n');
const local = require('../../scripts/lib/local-n8n');
const { startSimulator } = require('../../simulator');
const { startFakeOpenAi } = require('../support/fake-openai');

const SIM_KEY = 'sim-key';
const HMAC_KEY = 'queue-webhook-hmac-key';
const KIE = 'n8n-nodes-kie-ai';

let uuid = 0;
const id = (workflow, index) => `${workflow}-0000-4000-8000-${String(++uuid).padStart(12, '0')}`.slice(-36);
const MODEL = { __rl: true, mode: 'list', value: 'gpt-image/1.5-text-to-image' };
const credentials = { kieApi: { id: 'kieQueueCredential', name: 'KIE API (simulator)' } };

/** Webhook (POST {prompts: [...]}) → one item per prompt → KIE Create Task with `completion` (and `options`). */
function webhookWorkflow(workflowId, path, completion, responseMode, options = {}) {
	const prefix = { kieQueuePoll: 'a1000000', kieQueueWait: 'b1000000' }[workflowId] ?? 'd1000000';
	return {
		id: workflowId,
		name: `KIE queue: ${completion}`,
		active: true,
		nodes: [
			{ id: id(prefix), name: 'Webhook', type: 'n8n-nodes-base.webhook', typeVersion: 2, position: [0, 0], webhookId: id(prefix), parameters: { httpMethod: 'POST', path, responseMode, ...(responseMode === 'lastNode' ? { responseData: 'allEntries' } : {}), options: {} } },
			{ id: id(prefix), name: 'One item per prompt', type: 'n8n-nodes-base.splitOut', typeVersion: 1, position: [220, 0], parameters: { fieldToSplitOut: 'body.prompts', options: {} } },
			{
				id: id(prefix),
				name: 'KIE Create Task',
				type: `${KIE}.kieCreateTask`,
				typeVersion: 1,
				position: [440, 0],
				credentials,
				parameters: { model: MODEL, prompt: '={{ $json.prompt }}', aspectRatio: '1:1', quality: 'medium', completion, options: { pollInterval: 1, ...options } },
			},
		],
		connections: {
			Webhook: { main: [[{ node: 'One item per prompt', type: 'main', index: 0 }]] },
			'One item per prompt': { main: [[{ node: 'KIE Create Task', type: 'main', index: 0 }]] },
		},
		settings: { executionOrder: 'v1' },
		pinData: {},
	};
}

const PNG_BASE64 = require('../../simulator').makePng({ width: 8, height: 8, seed: 'queue-manual' }).toString('base64');
const node = (workflowId, index, name, type, typeVersion, parameters, extra = {}) => ({
	id: `${workflowId.slice(-8).toLowerCase().replace(/[^0-9a-f]/g, 'a')}-0000-4000-8000-${String(index).padStart(12, '0')}`,
	name,
	type,
	typeVersion,
	position: [index * 220, 0],
	parameters,
	...extra,
});
const chain = (names) => Object.fromEntries(names.slice(0, -1).map((name, index) => [name, { main: [[{ node: names[index + 1], type: 'main', index: 0 }]] }]));
const kie = (workflowId, index, name, completion, prompt) =>
	node(workflowId, index, name, `${KIE}.kieCreateTask`, 1, { model: MODEL, prompt, aspectRatio: '1:1', quality: 'medium', completion, options: { pollInterval: 1 } }, { credentials });

/**
 * The workflows a user runs from the editor ("Execute workflow", "Execute step"): in queue mode with manual
 * executions on workers (n8n 3 always does this) they run on a worker, and a wait resumes through the webhook
 * processor.
 */
const MANUAL = {
	/** Start → poll → Wait for Callback. */
	modes: {
		id: 'kieQueueManualModes',
		name: 'KIE queue: manual poll and Wait for Callback',
		active: false,
		nodes: [
			node('kieQueueManualModes', 0, 'Start', 'n8n-nodes-base.manualTrigger', 1, {}),
			kie('kieQueueManualModes', 1, 'Poll', 'poll', 'manual: poll'),
			kie('kieQueueManualModes', 2, 'Wait for Callback', 'callback', 'manual: wait for callback'),
		],
		connections: chain(['Start', 'Poll', 'Wait for Callback']),
		settings: { executionOrder: 'v1' },
		// As the editor saves a workflow (n8n 2.41's partial execution fails on a workflow whose pinData is null).
		pinData: {},
	},
	/** Start → a PNG made in the editor (Convert to File) → KIE Upload File from that binary. */
	editorUpload: {
		id: 'kieQueueManualUpload',
		name: 'KIE queue: upload a file made in the editor',
		active: false,
		nodes: [
			node('kieQueueManualUpload', 0, 'Start', 'n8n-nodes-base.manualTrigger', 1, {}),
			node('kieQueueManualUpload', 1, 'File contents', 'n8n-nodes-base.set', 3.4, { mode: 'raw', jsonOutput: JSON.stringify({ png: PNG_BASE64 }), options: {} }),
			node('kieQueueManualUpload', 2, 'Make file', 'n8n-nodes-base.convertToFile', 1.1, { operation: 'toBinary', sourceProperty: 'png', binaryPropertyName: 'data', options: { fileName: 'editor.png', mimeType: 'image/png' } }),
			node('kieQueueManualUpload', 3, 'Upload File', `${KIE}.kieUploadFile`, 1, { source: 'binary', binaryPropertyName: 'data', options: {} }, { credentials }),
		],
		connections: chain(['Start', 'File contents', 'Make file', 'Upload File']),
		settings: { executionOrder: 'v1' },
		// As the editor saves a workflow (n8n 2.41's partial execution fails on a workflow whose pinData is null).
		pinData: {},
	},
	/** A form with a file field (its test URL, as "Execute workflow" opens it) → KIE Upload File. */
	formUpload: {
		id: 'kieQueueManualForm',
		name: 'KIE queue: upload a file from a form',
		active: false,
		nodes: [
			node('kieQueueManualForm', 0, 'Form', 'n8n-nodes-base.formTrigger', 2.3, {
				formTitle: 'Upload',
				formFields: { values: [{ fieldLabel: 'Image', fieldType: 'file', multipleFiles: false, requiredField: true }] },
				options: { path: 'kie-queue-manual-form' },
			}, { webhookId: 'c1000000-0000-4000-8000-00000000f0a1' }),
			node('kieQueueManualForm', 1, 'Upload File', `${KIE}.kieUploadFile`, 1, { source: 'binary', binaryPropertyName: 'Image', options: {} }, { credentials }),
		],
		connections: chain(['Form', 'Upload File']),
		settings: { executionOrder: 'v1' },
		// As the editor saves a workflow (n8n 2.41's partial execution fails on a workflow whose pinData is null).
		pinData: {},
	},
};
/**
 * The AI agent example, started from a manual trigger with a chat message; under n8n 3's defaults with the newest
 * agent version this n8n has (`agentVersion`).
 */
function manualAgent(agentVersion) {
	const workflow = JSON.parse(JSON.stringify(require('../../examples/ai-agent-tool.json')));
	workflow.id = 'kieQueueManualAgent';
	workflow.name = 'KIE queue: AI agent with the KIE tool';
	workflow.active = false;
	workflow.pinData = {};
	const nodes = workflow.nodes.filter((entry) => entry.name !== 'When chat message received');
	for (const entry of nodes) {
		if (entry.name === 'OpenAI Chat Model') entry.credentials = { openAiApi: { id: 'openAiQueueFake', name: 'OpenAI (stand-in on loopback)' } };
		if (entry.credentials?.kieApi) entry.credentials.kieApi = credentials.kieApi;
		if (entry.name === 'AI Agent' && agentVersion) entry.typeVersion = agentVersion;
	}
	workflow.nodes = [
		node('kieQueueManualAgent', 90, 'Start', 'n8n-nodes-base.manualTrigger', 1, {}),
		node('kieQueueManualAgent', 91, 'Chat message', 'n8n-nodes-base.set', 3.4, {
			assignments: { assignments: [{ id: 'queue-chat-input', name: 'chatInput', value: 'Draw a red fox in the snow', type: 'string' }] },
			options: {},
		}),
		...nodes,
	];
	delete workflow.connections['When chat message received'];
	Object.assign(workflow.connections, chain(['Start', 'Chat message', 'AI Agent']));
	return workflow;
}
const AGENT_TOOL_PROMPT = 'A red fox in fresh snow, golden hour, telephoto';

/**
 * `packageRoot`: the built tree to install (default this one; the pacing benchmark passes a baseline).
 * `realKie`: the simulator answers as real KIE does (the 422 "recordInfo is null" window after a create
 * included); the pacing benchmark turns it off, so that a baseline tree from before it is measured fairly.
 */
async function startQueueEnv({ packageRoot, genMs = 400, realKie = true } = {}) {
	const sim = await startSimulator({ port: 0, apiKey: SIM_KEY, genMs, hmacKey: HMAC_KEY, ...(realKie ? { realKie: true, notIndexedMs: 1200 } : {}) });
	const openAi = await startFakeOpenAi({ toolArguments: { prompt: AGENT_TOOL_PROMPT, aspect_ratio: '1:1' } });
	const receive = require('../../examples/callback-receive.json');
	let queue;
	try {
		queue = await startQueue({
			credential: { id: 'kieQueueCredential', name: 'KIE API (simulator)', type: 'kieApi', data: { apiKey: SIM_KEY, baseUrl: sim.url, uploadBaseUrl: sim.url, webhookHmacKey: HMAC_KEY } },
			extraCredentials: [{ id: 'openAiQueueFake', name: 'OpenAI (stand-in on loopback)', type: 'openAiApi', data: { apiKey: 'sk-queue-fake', url: openAi.url } }],
			workflows: [
				{ file: 'queue-poll.json', workflow: webhookWorkflow('kieQueuePoll', 'kie-queue-poll', 'poll', 'lastNode') },
				{ file: 'queue-wait.json', workflow: webhookWorkflow('kieQueueWait', 'kie-queue-wait', 'callback', 'onReceived') },
				{ file: 'queue-reuse.json', workflow: webhookWorkflow('kieQueueReuse', 'kie-queue-reuse', 'poll', 'onReceived', { reuseResults: true }) },
				{ file: 'callback-receive.json', workflow: receive },
				...Object.values(MANUAL).map((workflow) => ({ file: `queue-${workflow.id}.json`, workflow })),
				{ file: 'queue-manual-agent.json', workflow: manualAgent(local.N8N3_DEFAULTS ? await local.latestAgentVersion() : undefined) },
			],
			logDir: process.env.KIE_QUEUE_LOGS || undefined,
			packageRoot,
		});
	} catch (error) {
		await sim.close();
		await openAi.close();
		throw error;
	}
	await queue.rest.ensureOwner({ email: 'queue@kie.local', password: 'KieQueue-2026', firstName: 'Queue', lastName: 'Test' });
	const triggerWebhookId = receive.nodes.find((node) => node.name === 'KIE Trigger').webhookId;
	return {
		sim,
		queue,
		triggerUrl: `${queue.webhookUrl}/webhook/${triggerWebhookId}/callback`,
		/** POSTs `{prompts}` to a production webhook (on the webhook processor). */
		async post(path, prompts) {
			const res = await fetch(`${queue.webhookUrl}/webhook/${path}`, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify({ prompts: prompts.map((prompt) => ({ prompt })) }),
			});
			const text = await res.text();
			let body;
			try {
				body = JSON.parse(text);
			} catch {
				body = text;
			}
			return { status: res.status, body };
		},
		executions: (workflowId) => queue.rest.listExecutions(workflowId),
		execution: (executionId) => queue.rest.getExecution(executionId),
		waitForExecution: (executionId, statuses, timeoutMs = 120000) => queue.rest.waitForExecution(executionId, statuses, timeoutMs, () => `\n${queue.logs()}`),
		/** KIE_QUEUE_TIMELINE=1: also print when each create went out and which were answered 429. */
		timeline: Boolean(process.env.KIE_QUEUE_TIMELINE),
		report(line) {
			process.stdout.write(`[queue] ${line}\n`);
		},
		openAi,
		n8nMajor: local.N8N_MAJOR,
		agentToolPrompt: AGENT_TOOL_PROMPT,
		uploadedPng: Buffer.from(PNG_BASE64, 'base64'),
		/**
		 * Runs a workflow from the editor, as n8n 2.x's editor asks for it: "Execute workflow" (`{ trigger }`),
		 * "Execute step" on a node never run (`{ step }`), or "Execute step" after a run (`{ step, runData }`:
		 * only that step runs again, on the earlier run's data). Resolves with the execution id, or
		 * `waitingForWebhook` (a form or webhook trigger waits for its test call).
		 */
		async runManually(workflowId, { trigger, step, runData }) {
			const body = trigger
				? { triggerToStartFrom: { name: trigger } }
				: { destinationNode: { nodeName: step, mode: 'inclusive' }, ...(runData ? { runData, dirtyNodeNames: [step] } : {}) };
			// n8n 1.x's editor sends the workflow itself along.
			if (local.N8N_MAJOR < 2) body.workflowData = await queue.rest.request('GET', `/rest/workflows/${workflowId}`);
			const result = await queue.rest.request('POST', `/rest/workflows/${workflowId}/run`, body);
			return result.waitingForWebhook ? 'waitingForWebhook' : String(result.executionId);
		},
		/** Stops everything; resolves with what is left of this run (databases, Redis keys, processes). */
		async stop() {
			const left = await queue.stop();
			await sim.close();
			await openAi.close();
			return left;
		},
	};
}

/** Tries PostgreSQL and Redis at the given places; rejects with the message the suite gives. */
async function reach({ pg, redis }) {
	const queue = require('../../scripts/lib/queue-n8n');
	const { pg: pgModule, Redis } = queue.clients();
	if (pg) await (await queue.adminDb(pgModule, { ...queue.PG, ...pg })).end();
	if (redis) (await queue.redisClient(Redis, { ...queue.REDIS, ...redis })).disconnect();
}

module.exports = { startQueueEnv, reach, HMAC_KEY, MANUAL_WORKFLOWS: { modes: MANUAL.modes.id, editorUpload: MANUAL.editorUpload.id, formUpload: MANUAL.formUpload.id, agent: 'kieQueueManualAgent' } };
