// The queue-mode environment of `npm run test:queue`: the KIE simulator and a real n8n 2.x in queue mode
// (scripts/lib/queue-n8n.js), with the queue workflows below imported and published. Plain JS so that
// it may use child processes, PostgreSQL and Redis.
const { startQueue } = require('../../scripts/lib/queue-n8n');
const { startSimulator } = require('../../simulator');

const SIM_KEY = 'sim-key';
const HMAC_KEY = 'queue-webhook-hmac-key';
const KIE = 'n8n-nodes-kie-ai';

let uuid = 0;
const id = (workflow, index) => `${workflow}-0000-4000-8000-${String(++uuid).padStart(12, '0')}`.slice(-36);
const MODEL = { __rl: true, mode: 'list', value: 'gpt-image/1.5-text-to-image' };
const credentials = { kieApi: { id: 'kieQueueCredential', name: 'KIE API (simulator)' } };

/** Webhook (POST {prompts: [...]}) → one item per prompt → KIE Create Task with `completion`. */
function webhookWorkflow(workflowId, path, completion, responseMode) {
	const prefix = workflowId === 'kieQueuePoll' ? 'a1000000' : 'b1000000';
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
				parameters: { model: MODEL, prompt: '={{ $json.prompt }}', aspectRatio: '1:1', quality: 'medium', completion, options: { pollInterval: 1 } },
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

/**
 * `packageRoot`: the built tree to install (default this one; the pacing benchmark passes a baseline).
 * `realKie`: the simulator answers as real KIE does (the 422 "recordInfo is null" window after a create
 * included); the pacing benchmark turns it off, so that a baseline tree from before it is measured fairly.
 */
async function startQueueEnv({ packageRoot, genMs = 400, realKie = true } = {}) {
	const sim = await startSimulator({ port: 0, apiKey: SIM_KEY, genMs, hmacKey: HMAC_KEY, ...(realKie ? { realKie: true, notIndexedMs: 1200 } : {}) });
	const receive = require('../../examples/callback-receive.json');
	let queue;
	try {
		queue = await startQueue({
			credential: { id: 'kieQueueCredential', name: 'KIE API (simulator)', type: 'kieApi', data: { apiKey: SIM_KEY, baseUrl: sim.url, uploadBaseUrl: sim.url, webhookHmacKey: HMAC_KEY } },
			workflows: [
				{ file: 'queue-poll.json', workflow: webhookWorkflow('kieQueuePoll', 'kie-queue-poll', 'poll', 'lastNode') },
				{ file: 'queue-wait.json', workflow: webhookWorkflow('kieQueueWait', 'kie-queue-wait', 'callback', 'onReceived') },
				{ file: 'callback-receive.json', workflow: receive },
			],
			logDir: process.env.KIE_QUEUE_LOGS || undefined,
			packageRoot,
		});
	} catch (error) {
		await sim.close();
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
		/** Stops everything; resolves with what is left of this run (databases, Redis keys, processes). */
		async stop() {
			const left = await queue.stop();
			await sim.close();
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

module.exports = { startQueueEnv, reach, HMAC_KEY };
