// A test-only loopback server (the rule is for the package's nodes, which never import http).
// eslint-disable-next-line @n8n/community-nodes/no-restricted-imports
import { createServer, type Server } from 'http';
// eslint-disable-next-line @n8n/community-nodes/no-restricted-imports
import type { AddressInfo } from 'net';
import type { IDataObject } from 'n8n-workflow';

import { KieTrigger } from '../../../nodes/KieTrigger/KieTrigger.node';
import { signCallback, startCallbackReceiver, startSimulator, type CallbackReceiver, type Simulator } from '../../../simulator';
import { runWebhook } from '../../support/harness';
import { SIM_ACCOUNT } from '../setup';

/**
 * The Trigger with "Download Results" on fetches the result URLs of a signed callback: URLs that KIE (or
 * whoever holds the HMAC key) chose. A loopback or private address is fetched only on the origin of the
 * credential's own private Base URL or Upload Base URL, in whatever spelling the URL names it, and each
 * redirect is checked the same way before it is followed.
 */

const HMAC = 'whk_private_addresses_key';

interface Recorder {
	url: string;
	port: number;
	hits: string[];
	close(): Promise<void>;
}

/** A loopback server that records every request; `redirectTo` answers 302 to it, anything else a small PNG. */
async function startRecorder(redirectTo?: () => string): Promise<Recorder> {
	const hits: string[] = [];
	const server: Server = createServer((req, res) => {
		hits.push(req.url ?? '');
		if (redirectTo && req.url?.startsWith('/redirect')) {
			res.writeHead(302, { Location: redirectTo(), 'Content-Length': '0' });
			res.end();
			return;
		}
		res.writeHead(200, { 'Content-Type': 'image/png', 'Content-Length': '4' });
		res.end(Buffer.from([0x89, 0x50, 0x4e, 0x47]));
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${port}`,
		port,
		hits,
		close: async () => await new Promise<void>((resolve) => server.close(() => resolve())),
	};
}

let sim: Simulator;
let receiver: CallbackReceiver;
let loopback: Recorder;
let redirector: Recorder;
let redirectTarget = '';
beforeAll(async () => {
	sim = await startSimulator({ apiKey: SIM_ACCOUNT, genMs: 50, hmacKey: HMAC, callbackRetries: 0 });
	receiver = await startCallbackReceiver();
	loopback = await startRecorder();
	redirector = await startRecorder(() => redirectTarget);
});
afterAll(async () => {
	await redirector.close();
	await loopback.close();
	await receiver.close();
	await sim.close();
});
beforeEach(() => {
	loopback.hits.length = 0;
	redirector.hits.length = 0;
});

const callbackBody = (taskId: string, urls: string[]): IDataObject => ({
	code: 200,
	msg: 'ok',
	data: { taskId, model: 'gpt-image/1.5-text-to-image', state: 'success', resultJson: JSON.stringify({ resultUrls: urls }) },
});

let workflows = 0;
/** A signed callback with `urls` as its results, to a Trigger with Download Results on. */
async function deliver(baseUrl: string, taskId: string, urls: string[], uploadBaseUrl = 'https://kie-upload.example.com', body = callbackBody(taskId, urls)) {
	const at = Math.floor(Date.now() / 1000);
	const result = await runWebhook(
		KieTrigger,
		{ options: { downloadResults: true } } as never,
		// KIE's hosts by name (nothing is read from them: a signed callback's body is the result).
		{ kieApi: { apiKey: SIM_ACCOUNT, baseUrl, uploadBaseUrl, webhookHmacKey: HMAC } },
		{
			method: 'POST',
			body,
			headers: { 'x-webhook-timestamp': String(at), 'x-webhook-signature': signCallback(HMAC, taskId, at), 'content-type': 'application/json' },
		},
		{ staticData: {}, workflowId: `private-addresses-${++workflows}`, binaryMode: 'filesystem' },
	);
	return { result, item: result.workflowData![0][0] };
}

describe('KIE Trigger downloads: private addresses', () => {
	const PUBLIC_KIE = 'https://kie-api.example.com';

	it.each([
		['IPv4-mapped IPv6, as written', (port: number) => `http://[::ffff:127.0.0.1]:${port}/r.png`],
		['IPv4-mapped IPv6, in hex', (port: number) => `http://[::ffff:7f00:1]:${port}/r.png`],
		['decimal', (port: number) => `http://2130706433:${port}/r.png`],
		['octal', (port: number) => `http://0177.0.0.1:${port}/r.png`],
		['hex, short', (port: number) => `http://0x7f.1:${port}/r.png`],
		['short', (port: number) => `http://127.1:${port}/r.png`],
		['trailing dot', (port: number) => `http://127.0.0.1.:${port}/r.png`],
		['localhost with a trailing dot', (port: number) => `http://localhost.:${port}/r.png`],
		['IPv4-compatible IPv6', (port: number) => `http://[::7f00:1]:${port}/r.png`],
		['NAT64', (port: number) => `http://[64:ff9b::7f00:1]:${port}/r.png`],
	])('refuses a loopback result URL spelled %s, and fetches nothing, when KIE is public', async (_name, spell) => {
		const url = spell(loopback.port);
		const { item } = await deliver(PUBLIC_KIE, 'task_spelled_1', [url]);
		expect(item.json.error).toMatch(/^Item 1: result 0 of task task_spelled_1 was not downloaded: .* is a loopback or private address, and the KIE API credential's Base URL is not$/);
		expect(item.binary).toBeUndefined();
		expect(loopback.hits).toEqual([]);
	});

	it('refuses the cloud metadata address as an IPv4-mapped IPv6 literal', async () => {
		const { item } = await deliver(PUBLIC_KIE, 'task_metadata_1', ['http://[::ffff:a9fe:a9fe]/latest/meta-data/']);
		expect(item.json.error).toBe(
			"Item 1: result 0 of task task_metadata_1 was not downloaded: [::ffff:a9fe:a9fe] is a loopback or private address, and the KIE API credential's Base URL is not",
		);
	});

	it('with a private Base URL, downloads from that origin only: another loopback port is refused', async () => {
		// A real task of the simulator: its result is served on the simulator's own origin (the Base URL).
		receiver.clear();
		const created = await fetch(`${sim.url}/api/v1/jobs/createTask`, {
			method: 'POST',
			headers: { authorization: `Bearer ${SIM_ACCOUNT}`, 'content-type': 'application/json' },
			body: JSON.stringify({ model: 'gpt-image/1.5-text-to-image', input: { prompt: 'p', aspect_ratio: '1:1', quality: 'medium' }, callBackUrl: receiver.url }),
		});
		expect((await created.json()).code).toBe(200);
		const [callback] = await receiver.waitFor(1, 10_000);
		const body = callback.body as { data: { taskId: string } };
		const taskId = body.data.taskId;
		const at = Math.floor(Date.now() / 1000);
		const own = await runWebhook(
			KieTrigger,
			{ options: { downloadResults: true } } as never,
			{ kieApi: { apiKey: SIM_ACCOUNT, baseUrl: sim.url, uploadBaseUrl: sim.url, webhookHmacKey: HMAC } },
			{
				method: 'POST',
				body: callback.body as IDataObject,
				headers: { 'x-webhook-timestamp': String(at), 'x-webhook-signature': signCallback(HMAC, taskId, at), 'content-type': 'application/json' },
			},
			{ staticData: {}, workflowId: `private-addresses-${++workflows}`, binaryMode: 'filesystem' },
		);
		const ownItem = own.workflowData![0][0];
		expect(ownItem.json.error).toBeUndefined();
		expect(ownItem.binary?.data.mimeType).toBe('image/png');
		expect(String((ownItem.json.resultUrls as string[])[0]).startsWith(`${sim.url}/`)).toBe(true);

		const { item } = await deliver(sim.url, 'task_other_port_1', [`${loopback.url}/r.png`], sim.url);
		expect(item.json.error).toBe(
			`Item 1: result 0 of task task_other_port_1 was not downloaded: 127.0.0.1:${loopback.port} is a loopback or private address other than the KIE API credential's own (${sim.url})`,
		);
		expect(loopback.hits).toEqual([]);
	});

	it('with a private Base URL, the same host in another spelling is another origin, and refused', async () => {
		const port = new URL(sim.url).port;
		for (const [index, url] of [`http://[::ffff:127.0.0.1]:${port}/files/x.png`, `http://localhost:${port}/files/x.png`].entries()) {
			const { item } = await deliver(sim.url, `task_respelled_${index + 1}`, [url], sim.url);
			expect(item.json.error).toMatch(/is a loopback or private address other than the KIE API credential's own/);
		}
	});

	it.each([
		['another loopback port', () => `${loopback.url}/secret`],
		['an IPv4-mapped spelling of loopback', () => `http://[::ffff:127.0.0.1]:${loopback.port}/secret`],
		['the cloud metadata address', () => 'http://169.254.169.254/latest/meta-data/'],
	])('checks each redirect from the trusted origin: a redirect to %s is not followed', async (_name, target) => {
		redirectTarget = target();
		const { item } = await deliver(redirector.url, 'task_redirect_1', [`${redirector.url}/redirect/r.png`], redirector.url);
		expect(item.json.error).toContain(`Item 1: result 0 of task task_redirect_1 was not downloaded: it redirects to ${new URL(redirectTarget).toString()}, and `);
		expect(item.json.error).toContain(`other than the KIE API credential's own (${redirector.url})`);
		expect(redirector.hits).toEqual(['/redirect/r.png']);
		expect(loopback.hits).toEqual([]);
	});

	it('follows a redirect that stays on the trusted origin', async () => {
		redirectTarget = `${redirector.url}/file.png`;
		const { item, result } = await deliver(redirector.url, 'task_redirect_2', [`${redirector.url}/redirect/r.png`], redirector.url);
		expect(item.json.error).toBeUndefined();
		expect(redirector.hits).toEqual(['/redirect/r.png', '/file.png']);
		expect((await result.binaryBuffer(item, 'data')).length).toBe(4);
	});
});
