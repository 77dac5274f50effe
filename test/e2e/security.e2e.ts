import { sleep } from 'n8n-workflow';

import waitBatchExample from '../../examples/callback-wait-batch.json';
import { signCallback } from '../../simulator';
import { startEchoServer, type EchoServer } from '../support/echo-server';
import { HMAC_KEY, N8N3_DEFAULTS, PROFILE, PUBLIC_NAME_ON_LOOPBACK, SIM_KEY, SSRF_PROTECTION, report, startE2E, type E2E } from './env';
import { waitFor } from './wait';

/**
 * The attacks of the Trust issue, in a real n8n (2.40.7, or 1.123.81 with N8N_VERSION; with
 * KIE_E2E_SSRF=1, n8n's SSRF protection on): a captured signature re-spelled with a forged body, result
 * URLs that spell a private address, a credential test redirected to another origin, and a hostile live
 * schema. Each probe says what reached where.
 */

/** The Wait for Callback example with two prompts. */
const WAIT_2 = 'e2e-security-wait-2.json';
const wait2 = JSON.parse(JSON.stringify(waitBatchExample)) as typeof waitBatchExample;
wait2.id = 'kieE2ESecurityWait2';
wait2.name = 'KIE: wait for callbacks (2 items, security)';
(wait2.nodes.find((node) => node.name === 'Prompts')!.parameters as { jsonOutput: string }).jsonOutput = JSON.stringify({
	rows: [
		{ id: 'item-1', prompt: 'Task A' },
		{ id: 'item-2', prompt: 'Task B' },
	],
});

/** A published KIE Trigger on a credential that names KIE's public API (routed to the simulator), downloading results. */
const TRIGGER_WEBHOOK_ID = 'b2e5c0de-0000-4000-8000-00000000d0a1';
const TRIGGER_DOWNLOAD = 'e2e-security-trigger-download.json';
const triggerDownload = {
	id: 'kieE2ESecurityTrigger',
	name: 'KIE: callbacks with downloads (public KIE name)',
	active: true,
	nodes: [
		{
			parameters: { events: 'all', options: { downloadResults: 'both' } },
			id: 'b2e5c0de-0000-4000-8000-000000000001',
			name: 'KIE Trigger',
			type: 'n8n-nodes-kie-ai.kieTrigger',
			typeVersion: 1,
			position: [0, 0],
			credentials: { kieApi: { id: 'kieE2EPublicName', name: 'KIE API (public name)' } },
			webhookId: TRIGGER_WEBHOOK_ID,
		},
	],
	connections: {},
	settings: { executionOrder: 'v1' },
};

let e2e: E2E;
/** Stands for a service on this machine that must never be reached (127.0.0.1). */
let loopbackService: EchoServer;
/** The same, on 127.0.0.2, under a public-looking name (only a resolver can tell). */
let namedLoopbackService: EchoServer;

beforeAll(async () => {
	loopbackService = await startEchoServer();
	namedLoopbackService = await startEchoServer({ host: '127.0.0.2' });
	e2e = await startE2E({
		withExamples: true,
		extraWorkflows: [
			{ file: WAIT_2, workflow: wait2 },
			{ file: TRIGGER_DOWNLOAD, workflow: triggerDownload },
		],
		extraCredentials: (simulatorUrl) => [
			{
				id: 'kieE2EPublicName',
				name: 'KIE API (public name)',
				type: 'kieApi',
				data: { apiKey: SIM_KEY, baseUrl: `http://api.kie.ai:${new URL(simulatorUrl).port}`, uploadBaseUrl: simulatorUrl, webhookHmacKey: HMAC_KEY },
			},
		],
	});
	await e2e.startServer();
	await e2e.waitForPublished(e2e.workflowId('callback-receive.json'));
	await e2e.waitForPublished(e2e.workflowId(TRIGGER_DOWNLOAD));
});
afterAll(async () => {
	await e2e?.stop();
	await loopbackService?.close();
	await namedLoopbackService?.close();
});

type RunItems = Array<{ json: Record<string, unknown>; binary?: Record<string, { id?: string; fileName?: string; mimeType?: string }> }>;
const nodeItems = (run: { data: { resultData: { runData: Record<string, Array<{ data?: { main: RunItems[] } }>> } } }, node: string): RunItems =>
	run.data.resultData.runData[node]?.[0]?.data?.main[0] ?? [];


/** The same MAC as the base64 signature, in upper-case hex. */
const upperHex = (base64: string) => Buffer.from(base64, 'base64').toString('hex').toUpperCase();

function postCallback(url: string, body: unknown, headers: Record<string, string>): Promise<Response> {
	return fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
}

/** A Market callback body for a task that succeeded with `urls`. */
const successBody = (taskId: string, urls: string[]) => ({
	code: 200,
	msg: 'success',
	data: { taskId, model: 'gpt-image/1.5-text-to-image', state: 'success', resultJson: JSON.stringify({ resultUrls: urls }) },
});

describe(`a captured signature cannot change a result (${PROFILE})`, () => {
	it('Wait for Callback: task A\'s real signature, re-sent as upper-case hex with a forged result, is refused, and the batch resumes with A\'s real result', async () => {
		e2e.sim.reset();
		e2e.sim.nextTask({ genMs: 300 });
		e2e.sim.nextTask({ genMs: 8_000 });
		const executionId = await e2e.runInServer(e2e.workflowId(WAIT_2), 'Start');
		await e2e.waitForExecution(executionId, ['waiting']);
		const [first] = e2e.sim.requestsFor('createTask');
		const taskA = first.taskId!;
		const delivered = await waitFor(async () => e2e.sim.callbacks.find((delivery) => delivery.taskId === taskA && delivery.status === 200));
		const resumeUrl = delivered.url;
		const headers = Object.fromEntries(Object.entries(delivered.headers!).map(([name, value]) => [name.toLowerCase(), value]));
		const signature = headers['x-webhook-signature'];
		expect(signature).toMatch(/^[A-Za-z0-9+/]+=*$/);

		const forged = await postCallback(resumeUrl, successBody(taskA, ['https://forged.example/a.png']), {
			'x-webhook-timestamp': headers['x-webhook-timestamp'],
			'x-webhook-signature': upperHex(signature),
		});
		expect(forged.status).toBe(401);
		// The same callback in another spelling, with KIE's own body: a redelivery, which changes nothing either.
		const again = await postCallback(resumeUrl, delivered.payload, {
			'x-webhook-timestamp': headers['x-webhook-timestamp'],
			'x-webhook-signature': upperHex(signature).toLowerCase(),
		});
		expect(again.status).toBe(200);
		expect(((await again.json()) as { msg: string }).msg).toMatch(/duplicate/);

		const done = await e2e.waitForExecution(executionId, ['success', 'error'], 60_000);
		expect(done.status).toBe('success');
		const items = nodeItems(done, 'KIE Create Task');
		expect(JSON.stringify(items)).not.toContain('forged.example');
		expect(items.find((item) => item.json.taskId === taskA)!.json.resultUrls).toEqual(e2e.sim.tasks.get(taskA)!.resultUrls);
	});

	it('KIE Trigger: the same replay with a forged body starts nothing', async () => {
		const triggerWebhookId = (e2e.imported.find((entry) => entry.file === 'callback-receive.json')!.workflow as unknown as {
			nodes: Array<{ name: string; webhookId?: string }>;
		}).nodes.find((node) => node.name === 'KIE Trigger')!.webhookId;
		const url = `${e2e.baseUrl}/webhook/${triggerWebhookId}/callback?rowId=row-7`;
		const executions = async () => await e2e.listExecutions(e2e.workflowId('callback-receive.json'));
		const before = (await executions()).length;
		const now = String(Math.floor(Date.now() / 1000));
		const signature = signCallback(HMAC_KEY, 'task_e2e_replayed', now);
		const real = await postCallback(url, successBody('task_e2e_replayed', ['https://example.com/real.png']), { 'x-webhook-timestamp': now, 'x-webhook-signature': signature });
		expect(real.status).toBe(200);
		await waitFor(async () => ((await executions()).length > before ? true : undefined));

		for (const spelling of [upperHex(signature), upperHex(signature).toLowerCase(), signature.replace(/=+$/, '')]) {
			const replay = await postCallback(url, successBody('task_e2e_replayed', ['https://forged.example/t.png']), { 'x-webhook-timestamp': now, 'x-webhook-signature': spelling });
			expect(replay.status).toBe(401);
		}
		await sleep(1_500);
		const after = await executions();
		expect(after.length).toBe(before + 1);
		const run = await e2e.waitForExecution(after[0].id, ['success']);
		expect(JSON.stringify(run.data.resultData.runData)).not.toContain('forged.example');
	});
});

describe(`no request reaches a private address (${PROFILE}${SSRF_PROTECTION ? ', SSRF protection on' : ''})`, () => {
	const triggerUrl = () => `${e2e.baseUrl}/webhook/${TRIGGER_WEBHOOK_ID}/callback`;
	const port = () => loopbackService.port;
	/**
	 * Ways to write this machine's address that a host check must see through. Only spellings that reach
	 * loopback if they were fetched: the metadata, NAT64, 6to4, IPv4-compatible and reserved forms are
	 * unit-tested (test/unit/transport), never sent off this machine.
	 */
	const spellings = () => [
		`http://[::ffff:127.0.0.1]:${port()}/a.png`,
		`http://[::ffff:7f00:1]:${port()}/b.png`,
		`http://[0:0:0:0:0:ffff:127.0.0.1]:${port()}/c.png`,
		`http://2130706433:${port()}/d.png`,
		`http://0x7f000001:${port()}/e.png`,
		`http://0177.0.0.1:${port()}/f.png`,
		`http://127.1:${port()}/g.png`,
		`http://localhost.:${port()}/h.png`,
		`http://LOCALHOST:${port()}/i.png`,
		`http://sub.localhost:${port()}/j.png`,
		`http://127.0.0.1.:${port()}/k.png`,
		`http://[::1]:${port()}/l.png`,
	];

	/** Sends a signed callback for a new task whose result is `url`; resolves with the item's JSON. */
	async function deliver(taskId: string, url: string): Promise<Record<string, unknown>> {
		return (await deliverItem(taskId, url)).json;
	}
	/** Sends a signed callback for a new task whose result is `url`; resolves with the item of the execution it started. */
	async function deliverItem(taskId: string, url: string): Promise<RunItems[number]> {
		const executions = async () => await e2e.listExecutions(e2e.workflowId(TRIGGER_DOWNLOAD));
		const before = (await executions()).length;
		const now = String(Math.floor(Date.now() / 1000));
		const answer = await postCallback(triggerUrl(), successBody(taskId, [url]), { 'x-webhook-timestamp': now, 'x-webhook-signature': signCallback(HMAC_KEY, taskId, now) });
		expect(answer.status).toBe(200);
		const list = await waitFor(async () => {
			const current = await executions();
			return current.length > before ? current : undefined;
		});
		const run = await e2e.waitForExecution(list[0].id, ['success', 'error'], 30_000);
		return nodeItems(run, 'KIE Trigger')[0] ?? { json: {} };
	}

	it('a signed callback whose result URL spells this machine\'s address in another way downloads nothing', async () => {
		loopbackService.requests.length = 0;
		for (const [index, url] of spellings().entries()) {
			const item = await deliver(`task_e2e_private_${index}`, url);
			expect({ url, files: item.files }).toEqual({ url, files: undefined });
			expect(String(item.error)).toMatch(/was not downloaded/);
		}
		expect(loopbackService.requests).toEqual([]);
		report(`private spellings refused: ${spellings().length}, requests that reached the loopback service: ${loopbackService.requests.length}`);
	});

	it(`a result on KIE's host (the simulator, which n8n's settings allow) is downloaded into n8n's binary data store${N8N3_DEFAULTS ? ' (the file system, as n8n 3 has no in-memory mode)' : ''}`, async () => {
		// A task the simulator knows, so that it serves the result file.
		const created = await fetch(`${e2e.sim.url}/api/v1/jobs/createTask`, {
			method: 'POST',
			headers: { authorization: `Bearer ${SIM_KEY}`, 'content-type': 'application/json' },
			body: JSON.stringify({ model: 'gpt-image/1.5-text-to-image', input: { prompt: 'a downloaded result', aspect_ratio: '1:1', quality: 'medium' } }),
		});
		const taskId = ((await created.json()) as { data: { taskId: string } }).data.taskId;
		// KIE serves the file once the task has ended, as KIE's callback says.
		const task = e2e.sim.tasks.get(taskId)!;
		await sleep(Math.max(0, task.createdAt + task.genMs + 100 - Date.now()));
		// Under KIE's public name (it resolves to the simulator in this n8n), as a real result's host is public.
		const url = task.resultUrls[0].replace(new URL(e2e.sim.url).hostname, 'api.kie.ai');
		const item = await deliverItem(taskId, url);
		expect({ error: item.json.error, files: item.json.files }).toEqual({ error: undefined, files: [expect.objectContaining({ property: 'data', mimeType: 'image/png' })] });
		expect(item.binary?.data).toMatchObject({ mimeType: 'image/png' });
		// Under n8n 3's defaults the file is kept on the file system (N8N_STORAGE_PATH), not in the execution.
		if (N8N3_DEFAULTS) expect(item.binary?.data.id).toMatch(/^filesystem/);
	});

	it(`a public-looking name that resolves to this machine is ${SSRF_PROTECTION ? 'stopped by n8n\'s SSRF protection' : 'fetched (only a resolver can tell; n8n\'s SSRF protection is what stops it)'}`, async () => {
		namedLoopbackService.requests.length = 0;
		const item = await deliver('task_e2e_named_loopback', `http://${PUBLIC_NAME_ON_LOOPBACK}:${namedLoopbackService.port}/bytes?size=64`);
		if (e2e.ssrf) {
			expect(namedLoopbackService.requests).toEqual([]);
			expect(item.files).toBeUndefined();
			expect(String(item.error)).toMatch(/could not download/i);
		} else {
			expect(namedLoopbackService.requests.map((request) => request.path)).toEqual(['/bytes']);
			// (n8n 1.123 reports no size for a streamed file: fileSize is null there.)
			expect(item.files).toEqual([expect.objectContaining({ property: 'data', fileName: 'bytes.png', mimeType: 'image/png' })]);
		}
	});
});

describe(`the credential test never carries the API key to another origin (${PROFILE})`, () => {
	it('KIE answering 307 to another origin fails the test, and nothing reaches that origin', async () => {
		e2e.sim.reset();
		e2e.sim.otherOrigin.requests.length = 0;
		const data = { apiKey: SIM_KEY, baseUrl: e2e.sim.url, uploadBaseUrl: e2e.sim.url, webhookHmacKey: '' };
		const created = await e2e.rest.request<{ id: string }>('POST', '/rest/credentials', { name: 'KIE API (redirect probe)', type: 'kieApi', data });
		e2e.sim.fault('credit', 'redirect', { count: 5 });
		const result = await e2e.rest.request<{ status: string; message: string }>('POST', '/rest/credentials/test', {
			credentials: { id: created.id, name: 'KIE API (redirect probe)', type: 'kieApi', data },
		});
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(/redirect/i);
		expect(JSON.stringify(result)).not.toContain(SIM_KEY);
		expect(e2e.sim.otherOrigin.requests).toEqual([]);
	});
});

describe(`a hostile live schema cannot stall n8n (${PROFILE})`, () => {
	/** 8 levels of `oneOf` with 8 `$ref`s each to the next level, and a `oneOf` that refers to itself. */
	function hostileSchema(): Record<string, unknown> {
		const schemas: Record<string, unknown> = {
			Loop: { oneOf: [{ $ref: '#/components/schemas/Loop' }, { $ref: '#/components/schemas/L0' }] },
			L8: { type: 'object', properties: { prompt: { type: 'string' } } },
		};
		for (let level = 0; level < 8; level++) schemas[`L${level}`] = { oneOf: Array.from({ length: 8 }, () => ({ $ref: `#/components/schemas/L${level + 1}` })) };
		return {
			openapi: '3.1.0',
			paths: {
				'/api/v1/jobs/createTask': {
					post: {
						requestBody: {
							content: {
								'application/json': {
									schema: { type: 'object', properties: { model: { type: 'string' }, input: { oneOf: [{ $ref: '#/components/schemas/Loop' }, { $ref: '#/components/schemas/L0' }] } } },
								},
							},
						},
					},
				},
			},
			components: { schemas },
		};
	}

	it('the Model Input request answers within two seconds with a notice, while /healthz stays fast', async () => {
		e2e.sim.reset();
		e2e.sim.setModelSchema('acme/pixel-forge-3', hostileSchema());
		let polling = true;
		let slowestHealthMs = 0;
		const health = (async () => {
			while (polling) {
				const started = Date.now();
				await fetch(`${e2e.baseUrl}/healthz`);
				slowestHealthMs = Math.max(slowestHealthMs, Date.now() - started);
				await sleep(50);
			}
		})();
		const started = Date.now();
		const answer = await e2e.rest.request<{ fields: unknown[]; emptyFieldsNotice?: string }>('POST', '/rest/dynamic-node-parameters/resource-mapper-fields', {
			nodeTypeAndVersion: { name: 'n8n-nodes-kie-ai.kieCreateTask', version: 1 },
			path: 'parameters.modelInput',
			methodName: 'getModelInputFields',
			currentNodeParameters: {
				model: { __rl: true, mode: 'list', value: 'acme/pixel-forge-3', cachedResultName: 'Acme Pixel Forge 3 (live)' },
				modelInput: { mappingMode: 'defineBelow', value: null },
				completion: 'poll',
			},
			credentials: { kieApi: { id: 'kieE2ECredential', name: 'KIE API (simulator)' } },
		});
		const tookMs = Date.now() - started;
		polling = false;
		await health;
		report(`hostile schema: Model Input answered in ${tookMs} ms; slowest /healthz meanwhile ${slowestHealthMs} ms`);
		expect(tookMs).toBeLessThan(2_000);
		expect(slowestHealthMs).toBeLessThan(1_000);
		expect(answer.fields).toEqual([]);
		expect(answer.emptyFieldsNotice).toMatch(/schema/i);
	});
});
