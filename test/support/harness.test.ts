import { createHmac } from 'crypto';
import { NodeApiError, sleep } from 'n8n-workflow';

import { KieApi } from '../../credentials/KieApi.credentials';
import { testCredential } from './credentialTest';
import { startEchoServer, type EchoServer } from './echo-server';
import {
	binaryInput,
	resetWebhookStaticData,
	resumeAfterTimeout,
	resumeExecution,
	runWebhook,
	runWorkflow,
	type NodeSpec,
	type RunOptions,
} from './harness';
import { listFiles } from './node-env';
import { HarnessProbe } from './nodes/HarnessProbe.node';
import { HarnessTrigger } from './nodes/HarnessTrigger.node';
import { startSimulator, type Simulator } from '../../simulator';

const SIM_ACCOUNT = 'harness-key';

let server: EchoServer;

beforeAll(async () => {
	server = await startEchoServer({ apiKey: SIM_ACCOUNT, credits: 42 });
});

afterAll(async () => {
	await server.close();
});

function probe(parameters: NodeSpec['parameters'], extra: Partial<NodeSpec> = {}): NodeSpec {
	return { name: 'Probe', type: 'harnessProbe', parameters, ...extra };
}

function options(overrides: Partial<RunOptions> & Pick<RunOptions, 'nodes'>): RunOptions {
	return {
		nodeTypes: [HarnessProbe],
		credentials: { kieApi: { apiKey: SIM_ACCOUNT, baseUrl: server.url } },
		...overrides,
	};
}

describe('runWorkflow', () => {
	it('sends the Bearer header from the kieApi credential and pairs items', async () => {
		const result = await runWorkflow(
			options({ nodes: [probe({ operation: 'echo' })], input: [{ a: 1 }, { a: 2 }] }),
		);

		expect(result.error).toBeUndefined();
		expect(result.status).toBe('success');
		expect(result.finished).toBe(true);
		expect(result.nodeExecutionOrder).toEqual(['Start', 'Probe']);
		const items = result.output('Probe');
		expect(items).toHaveLength(2);
		expect(items[0].json).toMatchObject({
			method: 'POST',
			path: '/echo',
			headers: { authorization: `Bearer ${SIM_ACCOUNT}` },
			body: { item: 0, input: { a: 1 } },
		});
		expect(items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		expect(result.output('Start')).toHaveLength(2);
	});

	it('fills credential defaults from the credential type', async () => {
		const result = await runWorkflow({
			nodeTypes: [HarnessProbe],
			credentials: { kieApi: { apiKey: SIM_ACCOUNT } },
			nodes: [probe({ operation: 'credentials' })],
		});

		expect(result.output('Probe')[0].json).toEqual({
			baseUrl: 'https://api.kie.ai',
			uploadBaseUrl: 'https://kieai.redpandaai.co',
		});
	});

	it('reports a node error as the execution error (NodeApiError)', async () => {
		const result = await runWorkflow(
			options({ nodes: [probe({ operation: 'status', statusCode: 500 })] }),
		);

		expect(result.status).toBe('error');
		expect(result.error).toBeInstanceOf(NodeApiError);
		expect((result.error as NodeApiError).httpCode).toBe('500');
		expect(result.nodeError('Probe')).toBe(result.error);
		expect(result.output('Probe')).toEqual([]);
	});

	it('turns item errors into error items with continueOnFail', async () => {
		const result = await runWorkflow(
			options({
				nodes: [probe({ operation: 'status', statusCode: 404 }, { continueOnFail: true })],
				input: [{ a: 1 }, { a: 2 }],
			}),
		);

		expect(result.status).toBe('success');
		const items = result.output('Probe');
		expect(items).toHaveLength(2);
		expect(items[0].json.error).toEqual(expect.any(String));
		expect(items[1].pairedItem).toEqual({ item: 1 });
	});

	it('routes errors to the error output with onError continueErrorOutput', async () => {
		const result = await runWorkflow(
			options({
				nodes: [
					probe({ operation: 'status', statusCode: 500 }, { onError: 'continueErrorOutput' }),
				],
			}),
		);

		expect(result.status).toBe('success');
		expect(result.output('Probe', 0)).toEqual([]);
		expect(result.output('Probe', 1)).toHaveLength(1);
	});

	it('chains nodes and follows explicit connections', async () => {
		const result = await runWorkflow(
			options({
				nodes: [
					{ name: 'First', type: 'harnessProbe', parameters: { operation: 'echo' } },
					{
						name: 'Second',
						type: 'n8n-nodes-kie-ai.harnessProbe',
						parameters: { operation: 'echo' },
					},
				],
				connections: [
					['Start', 'Second'],
					['Second', 'First'],
				],
			}),
		);

		expect(result.nodeExecutionOrder).toEqual(['Start', 'Second', 'First']);
		expect(result.output('First')[0].json.body).toMatchObject({
			input: { path: '/echo', method: 'POST' },
		});
	});

	it.each(['default', 'filesystem'] as const)(
		'stores binary output in %s mode and reads it back',
		async (binaryMode) => {
			const result = await runWorkflow(
				options({ nodes: [probe({ operation: 'bytes', size: 3000 })], binaryMode }),
			);

			expect(result.error).toBeUndefined();
			const [item] = result.output('Probe');
			expect(item.binary?.data).toMatchObject({ mimeType: 'image/png', fileName: 'probe.png' });
			const buffer = await result.binaryBuffer(item);
			expect(buffer).toHaveLength(3000);
			expect(buffer[260]).toBe(260 % 251);
			if (binaryMode === 'filesystem') {
				expect(item.binary?.data.id).toMatch(/^filesystem-v2:/);
				expect(item.binary?.data.data).toBe('filesystem-v2');
				expect(listFiles(result.binaryStoragePath!).length).toBeGreaterThan(0);
			} else {
				expect(item.binary?.data.id).toBeUndefined();
				expect(Buffer.from(item.binary!.data.data, 'base64')).toHaveLength(3000);
			}
		},
	);

	it('streams a download into filesystem storage', async () => {
		const result = await runWorkflow(
			options({
				nodes: [probe({ operation: 'bytes', size: 200_000, stream: true })],
				binaryMode: 'filesystem',
			}),
		);

		const [item] = result.output('Probe');
		expect(item.binary?.data.bytes).toBe(200_000);
		expect(await result.binaryBuffer(item)).toHaveLength(200_000);
	});

	it('accepts binary input items', async () => {
		const result = await runWorkflow(
			options({
				nodes: [],
				binaryMode: 'filesystem',
				input: [
					{
						json: { n: 1 },
						binary: { data: binaryInput(Buffer.from('hello'), 'hi.txt', 'text/plain') },
					},
				],
			}),
		);

		const [item] = result.output('Start');
		expect(item.binary?.data).toMatchObject({ fileName: 'hi.txt', mimeType: 'text/plain' });
		expect((await result.binaryBuffer(item)).toString()).toBe('hello');
	});

	it('cancels a running HTTP request (getExecutionCancelSignal)', async () => {
		const before = server.requests.length;
		const started = Date.now();
		const result = await runWorkflow(
			options({ nodes: [probe({ operation: 'slow', ms: 5000 })], abortAfterMs: 300 }),
		);

		expect(result.status).toBe('canceled');
		expect(Date.now() - started).toBeLessThan(3000);
		await sleep(100);
		const slow = server.requests.slice(before).find((r) => r.path === '/slow');
		expect(slow?.aborted).toBe(true);
	});

	it('cancels a sleeping node', async () => {
		const started = Date.now();
		const result = await runWorkflow(
			options({ nodes: [probe({ operation: 'sleep', ms: 10_000 })], abortAfterMs: 200 }),
		);

		expect(result.status).toBe('canceled');
		expect(Date.now() - started).toBeLessThan(3000);
	});
});

describe('waiting and resuming', () => {
	const webhookBaseUrl = 'https://n8n.example.test/';

	async function runWaiting(extra: Partial<RunOptions> = {}) {
		return await runWorkflow(
			options({
				nodes: [
					probe({ operation: 'wait' }),
					{ name: 'After', type: 'harnessProbe', parameters: { operation: 'echo' } },
				],
				input: [{ task: 'abc' }],
				webhookBaseUrl,
				executionId: 'exec-7',
				...extra,
			}),
		);
	}

	it('puts the execution to wait with $execution.resumeUrl', async () => {
		const waiting = await runWaiting();

		expect(waiting.status).toBe('waiting');
		expect(waiting.waitTill).toBeInstanceOf(Date);
		expect(waiting.reportedStatuses).toContain('waiting');
		expect(waiting.resumeUrl).toMatch(
			/^https:\/\/n8n\.example\.test\/webhook-waiting\/exec-7\?signature=[\w-]+$/,
		);
		expect(waiting.output('Probe')[0].json).toEqual({ task: 'abc', resumeUrl: waiting.resumeUrl });
		expect(waiting.output('After')).toEqual([]);
	});

	it('resumes through the webhook and runs to the end', async () => {
		const waiting = await runWaiting();
		const url = new URL(waiting.resumeUrl);

		const resumed = await resumeExecution(waiting, {
			url: url.pathname + url.search,
			body: { taskId: 'abc', state: 'success' },
		});

		expect(resumed.statusCode).toBe(200);
		expect(resumed.body).toEqual({ message: 'Workflow was started' });
		expect(resumed.resumed).toBe(true);
		const run = resumed.run!;
		expect(run.status).toBe('success');
		expect(run.nodeExecutionOrder).toEqual(['Probe', 'After']);
		expect(run.runData.Probe).toHaveLength(1);
		expect(run.output('Probe')[0].json).toMatchObject({
			callback: { taskId: 'abc', state: 'success' },
			operation: 'wait',
		});
		expect(run.output('After')[0].json.body).toMatchObject({
			input: { callback: { taskId: 'abc' } },
		});
		expect(run.output('Start')).toHaveLength(1);

		const again = await resumeExecution(waiting, { url: url.pathname + url.search, body: {} });
		expect(again.statusCode).toBe(409);
	});

	it('rejects a wrong signature or execution id like n8n', async () => {
		const waiting = await runWaiting();

		const badToken = await resumeExecution(waiting, {
			url: '/webhook-waiting/exec-7?signature=nope',
			body: {},
		});
		expect(badToken.statusCode).toBe(401);
		const otherExecution = await resumeExecution(waiting, {
			url: '/webhook-waiting/exec-8?signature=nope',
			body: {},
		});
		expect(otherExecution.statusCode).toBe(404);
		const wrongMethod = await resumeExecution(waiting, { method: 'GET' });
		expect(wrongMethod.statusCode).toBe(404);
	});

	it('keeps waiting when webhook() returns no workflowData', async () => {
		const waiting = await runWaiting();

		const ignored = await resumeExecution(waiting, { body: { ignore: true } });
		expect(ignored).toMatchObject({ statusCode: 200, body: { ignored: true }, resumed: false });
		const rejected = await resumeExecution(waiting, { body: { reject: true } });
		expect(rejected).toMatchObject({ statusCode: 401, resumed: false });
		expect(rejected.response.body).toBe('Unauthorized');

		const resumed = await resumeExecution(waiting, { body: { ok: true } });
		expect(resumed.run?.status).toBe('success');
	});

	it('resumes after the wait times out, passing the original input on', async () => {
		const waiting = await runWaiting();

		const run = await resumeAfterTimeout(waiting);

		expect(run.status).toBe('success');
		expect(run.output('Probe')).toEqual([expect.objectContaining({ json: { task: 'abc' } })]);
		expect(run.output('After')).toHaveLength(1);
	});
});

describe('runWebhook', () => {
	beforeEach(() => resetWebhookStaticData());

	const credentials = { kieApi: { apiKey: SIM_ACCOUNT, webhookHmacKey: 'hmac-secret' } };

	function signed(body: object) {
		const raw = JSON.stringify(body);
		const signature = createHmac('sha256', 'hmac-secret').update(raw).digest('hex');
		return { body: body as never, headers: { 'X-Signature': signature } };
	}

	it('returns workflowData and keeps static data between calls', async () => {
		const first = await runWebhook(HarnessTrigger, { path: 'kie' }, credentials, {
			...signed({ taskId: 't1' }),
			query: { a: '1' },
		});
		expect(first.statusCode).toBe(200);
		expect(first.body).toEqual({ message: 'Workflow was started' });
		expect(first.workflowData?.[0][0].json).toEqual({
			body: { taskId: 't1' },
			query: { a: '1' },
			calls: 1,
			webhookUrl: 'http://localhost:5678/webhook/harness-webhook-id/kie',
		});
		expect(first.staticDataChanged).toBe(true);

		const second = await runWebhook(
			HarnessTrigger,
			{ path: 'kie' },
			credentials,
			signed({ taskId: 't2' }),
		);
		expect(second.workflowData?.[0][0].json.calls).toBe(2);
		expect(second.staticData).toEqual({ 'node:Harness Trigger': { calls: 2 } });
	});

	it('lets the node answer 401 itself', async () => {
		const result = await runWebhook(HarnessTrigger, {}, credentials, {
			body: { taskId: 't1' },
			headers: { 'x-signature': 'forged' },
		});
		expect(result.webhookResult).toEqual({ noWebhookResponse: true });
		expect(result.statusCode).toBe(401);
		expect(result.response).toMatchObject({ statusCode: 401, body: 'Unauthorized', ended: true });
	});

	it('acknowledges without a run via webhookResponse', async () => {
		const result = await runWebhook(HarnessTrigger, {}, credentials, signed({ duplicate: true }));
		expect(result.workflowData).toBeUndefined();
		expect(result).toMatchObject({ statusCode: 200, body: 'duplicate' });
	});

	it('exposes the raw body and binary helpers', async () => {
		const staticData = {};
		const result = await runWebhook(
			HarnessTrigger,
			{ attachRawBody: true },
			credentials,
			signed({ taskId: 'raw' }),
			{ staticData, binaryMode: 'filesystem' },
		);
		const item = result.workflowData![0][0];
		expect((await result.binaryBuffer(item)).toString()).toBe('{"taskId":"raw"}');
		expect(staticData).toEqual({ 'node:Harness Trigger': { calls: 1 } });
	});
});

describe('testCredential', () => {
	it('accepts a good key', async () => {
		await expect(testCredential(KieApi, { apiKey: SIM_ACCOUNT, baseUrl: server.url })).resolves.toEqual(
			{
				status: 'OK',
				message: 'Connection successful!',
			},
		);
		const request = server.requests.at(-1)!;
		expect(request).toMatchObject({
			method: 'GET',
			path: '/api/v1/chat/credit',
			headers: { authorization: `Bearer ${SIM_ACCOUNT}` },
		});
	});

	it('rejects a bad key through the code-401 rule', async () => {
		const result = await testCredential(KieApi, { apiKey: 'wrong', baseUrl: `${server.url}/` });
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(/code 401/);
	});

	it('rejects a base URL that does not answer with a KIE envelope', async () => {
		const result = await testCredential(KieApi, { apiKey: SIM_ACCOUNT, baseUrl: `${server.url}/html` });
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(/KIE envelope/);
	});

	it('reports a connection failure', async () => {
		const result = await testCredential(KieApi, { apiKey: SIM_ACCOUNT, baseUrl: 'http://127.0.0.1:1' });
		expect(result).toEqual({ status: 'Error', message: 'ECONNREFUSED' });
	});
});

describe('testCredential against the KIE simulator', () => {
	let simulator: Simulator;

	beforeAll(async () => {
		simulator = await startSimulator({ port: 0, apiKey: 'sim-key' });
	});

	afterAll(async () => {
		await simulator.close();
	});

	it('accepts the simulator key and rejects another', async () => {
		await expect(
			testCredential(KieApi, { apiKey: 'sim-key', baseUrl: simulator.url }),
		).resolves.toMatchObject({ status: 'OK' });
		await expect(
			testCredential(KieApi, { apiKey: 'bad-key', baseUrl: simulator.url }),
		).resolves.toMatchObject({ status: 'Error', message: expect.stringMatching(/code 401/) });
	});
});
