import type { IDataObject } from 'n8n-workflow';

import { KieTrigger } from '../../../nodes/KieTrigger/KieTrigger.node';
import { forgetCallbacks } from '../../../nodes/shared/webhook/replay';
import { signCallback, startCallbackReceiver, startSimulator, type CallbackReceiver, type Simulator } from '../../../simulator';
import { runWebhook, type WebhookCallResult } from '../../support/harness';
import { SIM_ACCOUNT } from '../setup';

const HMAC = 'whk_trigger_test_key';
let sim: Simulator;
let receiver: CallbackReceiver;
beforeAll(async () => {
	sim = await startSimulator({ apiKey: SIM_ACCOUNT, genMs: 100, hmacKey: HMAC, callbackRetries: 0 });
	receiver = await startCallbackReceiver();
});
afterAll(async () => {
	await receiver.close();
	await sim.close();
});

const credentials = (webhookHmacKey = HMAC) => ({ kieApi: { apiKey: SIM_ACCOUNT, baseUrl: sim.url, uploadBaseUrl: sim.url, webhookHmacKey } });

function signed(body: IDataObject, taskId: string, at = Math.floor(Date.now() / 1000), key = HMAC) {
	return { 'x-webhook-timestamp': String(at), 'x-webhook-signature': signCallback(key, taskId, at), 'content-type': 'application/json' };
}

// Each call without `staticData` is a workflow of its own; a call with the static data of an earlier one
// is that workflow again (the process keeps replay and delivery records per workflow and node).
const workflowIds = new WeakMap<IDataObject, string>();
let workflows = 0;

async function call(
	body: IDataObject,
	headers: Record<string, string>,
	parameters: Record<string, unknown> = {},
	options: { staticData?: IDataObject; key?: string; query?: Record<string, string> } = {},
): Promise<WebhookCallResult> {
	const staticData = options.staticData ?? {};
	const workflowId = workflowIds.get(staticData) ?? `trigger-test-${++workflows}`;
	workflowIds.set(staticData, workflowId);
	return await runWebhook(KieTrigger, parameters as never, credentials(options.key), { method: 'POST', body, headers, query: options.query }, {
		staticData,
		workflowId,
	});
}

/** Creates a real task on the simulator and returns the callback it POSTs, signed by the simulator. */
async function realCallback(path: string, body: IDataObject, fail?: { failCode: string; failMsg: string }) {
	receiver.clear();
	if (fail) sim.failNextTask(fail);
	const res = await fetch(`${sim.url}${path}`, {
		method: 'POST',
		headers: { authorization: `Bearer ${SIM_ACCOUNT}`, 'content-type': 'application/json' },
		body: JSON.stringify({ ...body, callBackUrl: `${receiver.url}?rowId=7` }),
	});
	expect((await res.json()).code).toBe(200);
	const [callback] = await receiver.waitFor(1, 10_000);
	return callback;
}

describe('KIE Trigger: signatures', () => {
	const body = { code: 200, msg: 'ok', data: { taskId: 'task_sig_1', model: 'm', state: 'success', resultJson: '{"resultUrls":["https://e.com/a.png"]}' } };

	it('starts the workflow for a valid signature', async () => {
		const result = await call(body, signed(body, 'task_sig_1'));
		expect(result.statusCode).toBe(200);
		expect(result.workflowData?.[0][0].json).toMatchObject({ taskId: 'task_sig_1', state: 'success', resultUrls: ['https://e.com/a.png'] });
	});

	it.each([
		['forged (another key)', () => signed(body, 'task_sig_1', undefined, 'not the key'), /does not match/],
		['signed for another task', () => signed(body, 'task_other'), /does not match/],
		['stale timestamp', () => signed(body, 'task_sig_1', Math.floor(Date.now() / 1000) - 301), /outside the accepted window/],
		['timestamp in the future', () => signed(body, 'task_sig_1', Math.floor(Date.now() / 1000) + 301), /outside the accepted window/],
		['missing headers', () => ({ 'content-type': 'application/json' }), /header is missing/],
	])('answers 401 and starts nothing for a %s callback', async (_name, headers, message) => {
		const result = await call(body, headers());
		expect(result.statusCode).toBe(401);
		expect(result.workflowData).toBeUndefined();
		expect(JSON.stringify(result.body)).toMatch(message);
	});

	it('refuses a signature already used with another body (replay), and acknowledges KIE\'s redelivery of the same callback', async () => {
		const headers = signed(body, 'task_sig_1');
		const first = await call(body, headers);
		expect(first.statusCode).toBe(200);
		expect(first.workflowData).toBeDefined();
		const other = { ...body, data: { ...body.data, resultJson: '{"resultUrls":["https://evil.example/x.png"]}' } };
		const replay = await call(other, headers, {}, { staticData: first.staticData });
		expect(replay.statusCode).toBe(401);
		expect(JSON.stringify(replay.body)).toContain('already used with another body (replay)');
		expect(replay.workflowData).toBeUndefined();
		const redelivery = await call(body, headers, {}, { staticData: first.staticData });
		expect(redelivery.statusCode).toBe(200);
		expect(redelivery.body).toEqual({ code: 200, msg: 'duplicate' });
		expect(redelivery.workflowData).toBeUndefined();
	});

	it('a captured signature re-spelled (upper-case hex, unpadded base64) with a forged body is a replay: 401, and no execution; with the same body it is a duplicate', async () => {
		const headers = signed(body, 'task_sig_1');
		const first = await call(body, headers);
		expect(first.workflowData).toBeDefined();
		const hex = Buffer.from(headers['x-webhook-signature'], 'base64').toString('hex');
		const forged = { ...body, data: { ...body.data, resultJson: '{"resultUrls":["https://evil.example/x.png"]}' } };
		for (const spelling of [hex.toUpperCase(), hex, headers['x-webhook-signature'].replace(/=$/, ''), Buffer.from(hex, 'hex').toString('base64url')]) {
			const replay = await call(forged, { ...headers, 'x-webhook-signature': spelling }, {}, { staticData: first.staticData });
			expect(replay.statusCode).toBe(401);
			expect(replay.workflowData).toBeUndefined();
			const again = await call(body, { ...headers, 'x-webhook-signature': spelling }, {}, { staticData: first.staticData });
			expect(again).toMatchObject({ statusCode: 200, body: { code: 200, msg: 'duplicate' } });
			expect(again.workflowData).toBeUndefined();
		}
		// The static data holds one record, under the canonical key (not the header's text).
		const signatures = (first.staticData['node:KIE Trigger'] as IDataObject).signatures as object;
		expect(Object.keys(signatures)).toEqual([`${Buffer.from(hex, 'hex').toString('base64url')}.${headers['x-webhook-timestamp']}.task_sig_1`]);
	});

	it('a signature seen by one Trigger is a replay at another (KIE sends a callback to one URL)', async () => {
		const headers = signed(body, 'task_sig_1');
		const first = await call(body, headers);
		expect(first.workflowData).toBeDefined();
		const forged = { ...body, data: { ...body.data, resultJson: '{"resultUrls":["https://evil.example/x.png"]}' } };
		const elsewhere = await call(forged, { ...headers, 'x-webhook-signature': Buffer.from(headers['x-webhook-signature'], 'base64').toString('hex') });
		expect(elsewhere.statusCode).toBe(401);
		expect(elsewhere.workflowData).toBeUndefined();
		const copy = await call(body, headers);
		expect(copy).toMatchObject({ statusCode: 200, body: { msg: 'duplicate' } });
		expect(copy.workflowData).toBeUndefined();
	});

	it('the static-data mirror catches a re-spelled replay after a restart (another process)', async () => {
		const headers = signed(body, 'task_sig_1');
		const first = await call(body, headers);
		expect(first.workflowData).toBeDefined();
		// Only the mirror knows it: a process that starts again remembers no callback.
		forgetCallbacks();
		const restarted = await runWebhook(KieTrigger, {} as never, credentials(), {
			method: 'POST',
			body: { ...body, data: { ...body.data, resultJson: '{"resultUrls":["https://evil.example/x.png"]}' } },
			headers: { ...headers, 'x-webhook-signature': Buffer.from(headers['x-webhook-signature'], 'base64').toString('hex').toUpperCase() },
		}, { staticData: first.staticData, workflowId: `restarted-${Math.random()}` });
		expect(restarted.statusCode).toBe(401);
		expect(restarted.workflowData).toBeUndefined();
	});

	it('keeps the replay record in static data, bounded, so that it outlives the process memory', async () => {
		const first = await call(body, signed(body, 'task_sig_1'));
		const nodeData = (data: IDataObject) => data['node:KIE Trigger'] as IDataObject;
		expect(Object.keys(nodeData(first.staticData).signatures as object)).toHaveLength(1);
		// 600 more signed callbacks of other tasks: the record keeps the newest 500.
		let staticData = first.staticData;
		for (let i = 0; i < 600; i++) {
			const other = { ...body, data: { ...body.data, taskId: `task_many_${i}` } };
			staticData = (await call(other, signed(other, `task_many_${i}`), { events: 'failure' }, { staticData })).staticData;
		}
		expect(Object.keys(nodeData(staticData).signatures as object)).toHaveLength(500);
	});

	it('refuses a body whose task-id fields disagree', async () => {
		const mixed = { code: 200, msg: 'ok', data: { taskId: 'task_sig_1', task_id: 'task_other', state: 'success', resultJson: '{"resultUrls":["https://e.com/a.png"]}' } };
		const result = await call(mixed, signed(mixed, 'task_sig_1'));
		expect(result.statusCode).toBe(401);
		expect(JSON.stringify(result.body)).toContain('more than one task id');
		// The answer names no value of the request.
		expect(JSON.stringify(result.body)).not.toMatch(/task_other|task_sig_1/);
	});

	it.each([
		['text', 'abc', 300],
		['zero', 0, 1],
		['above the maximum', 99_999, 3600],
	])('clamps a signature window set to %s', async (_name, windowS, effective) => {
		const at = (age: number) => signed(body, 'task_sig_1', Math.floor(Date.now() / 1000) - age);
		const inside = Math.max(0, effective - 5);
		const outside = effective + 5;
		expect((await call(body, at(inside), { options: { timestampWindow: windowS } })).statusCode).toBe(200);
		expect((await call(body, at(outside), { options: { timestampWindow: windowS } })).statusCode).toBe(401);
	});

	it('uses a custom signature window', async () => {
		const old = signed(body, 'task_sig_1', Math.floor(Date.now() / 1000) - 500);
		expect((await call(body, old)).statusCode).toBe(401);
		expect((await call(body, old, { options: { timestampWindow: 900 } })).statusCode).toBe(200);
	});

	it('without a key: rejects unsigned callbacks unless "Allow Unsigned Callbacks" is on', async () => {
		const unsigned = { 'content-type': 'application/json' };
		const refused = await call(body, unsigned, {}, { key: '' });
		expect(refused.statusCode).toBe(401);
		expect(JSON.stringify(refused.body)).toContain('no Webhook HMAC Key');
	});

	it('"Allow Unsigned Callbacks" trusts nothing in the body: the task is read from KIE', async () => {
		const callback = await realCallback('/api/v1/jobs/createTask', { model: 'gpt-image/1.5-text-to-image', input: { prompt: 'p', aspect_ratio: '1:1', quality: 'medium' } });
		const taskId = (callback.body as { data: { taskId: string } }).data.taskId;
		// A forged body for a real task: another result, no signature.
		const forged = { code: 200, msg: 'ok', data: { taskId, state: 'success', resultJson: '{"resultUrls":["https://evil.example/x.png"]}' } };
		const reads = sim.requestsFor('recordInfo').length;
		const allowed = await call(forged, { 'content-type': 'application/json' }, { allowUnsigned: true }, { key: '' });
		expect(allowed.statusCode).toBe(200);
		expect(allowed.workflowData?.[0][0].json).toMatchObject({ taskId, resultUrls: sim.tasks.get(taskId)!.resultUrls, signatureVerified: false, readFromKie: true });
		expect(sim.requestsFor('recordInfo').length - reads).toBe(1);
		expect(allowed.workflowData?.[0][0].json).toMatchObject({ contextVerified: false });
		// A task KIE does not know starts nothing, and the answer names neither the task nor KIE's words.
		const unknown = await call(body, { 'content-type': 'application/json' }, { allowUnsigned: true }, { key: '' });
		expect(unknown.statusCode).toBe(404);
		expect(unknown.workflowData).toBeUndefined();
		expect(unknown.body).toEqual({ code: 404, msg: 'Rejected: unknown task' });
	});

	it('with a key: "Allow Unsigned Callbacks" does not let unsigned callbacks through', async () => {
		expect((await call(body, { 'content-type': 'application/json' }, { allowUnsigned: true })).statusCode).toBe(401);
	});
});

describe('KIE Trigger: "Allow Unsigned Callbacks" is bounded', () => {
	const unsignedHeaders = { 'content-type': 'application/json' };
	const readsNow = () => sim.requests.filter((request) => request.method === 'GET').length;
	const unknownBody = (taskId: string) => ({ code: 200, msg: 'ok', data: { taskId, state: 'success', resultJson: '{"resultUrls":["https://e.com/a.png"]}' } });

	it('50 callbacks with random unknown task ids: the reads stay within the Trigger\'s rate limit, and the answers are generic', async () => {
		const staticData: IDataObject = {};
		const before = readsNow();
		const started = Date.now();
		const answers: WebhookCallResult[] = [];
		const ids: string[] = [];
		for (let i = 0; i < 50; i++) {
			const taskId = `unknown_${Math.random().toString(36).slice(2)}`;
			ids.push(taskId);
			answers.push(await call(unknownBody(taskId), unsignedHeaders, { allowUnsigned: true }, { key: '', staticData, query: { rowId: '1' } }));
		}
		const seconds = (Date.now() - started) / 1000;
		const reads = readsNow() - before;
		// A bucket of 15 reads, refilled at 2 per second (one unknown id costs one read per API family Auto tries).
		expect(reads).toBeLessThanOrEqual(15 + Math.ceil(2 * seconds) + 1);
		expect(answers.every((answer) => answer.workflowData === undefined)).toBe(true);
		expect(answers.filter((answer) => answer.statusCode === 503).length).toBeGreaterThan(30);
		for (const answer of answers) {
			expect([404, 503]).toContain(answer.statusCode);
			const text = JSON.stringify(answer.body);
			expect(text).not.toMatch(/unknown_|not found|Not Found|Tried|KIE API knows/);
			expect(answer.body).toEqual(
				answer.statusCode === 404 ? { code: 404, msg: 'Rejected: unknown task' } : { code: 503, msg: 'busy: please send this callback again later' },
			);
		}
		expect(ids.some((id) => JSON.stringify(answers).includes(id))).toBe(false);
	});

	it('the same unknown task id twice is read once', async () => {
		const staticData: IDataObject = {};
		const taskId = `unknown_${Math.random().toString(36).slice(2)}`;
		const before = readsNow();
		const first = await call(unknownBody(taskId), unsignedHeaders, { allowUnsigned: true }, { key: '', staticData });
		expect(first.statusCode).toBe(404);
		const afterFirst = readsNow();
		expect(afterFirst - before).toBeGreaterThan(0);
		const second = await call(unknownBody(taskId), unsignedHeaders, { allowUnsigned: true }, { key: '', staticData });
		expect(second).toMatchObject({ statusCode: 404, body: { code: 404, msg: 'Rejected: unknown task' } });
		expect(readsNow()).toBe(afterFirst);
	});

	it('a task KIE has not indexed yet ("422 recordInfo is null"): KIE is asked to send it again, and the task is not remembered as unknown', async () => {
		const res = await fetch(`${sim.url}/api/v1/jobs/createTask`, {
			method: 'POST',
			headers: { authorization: `Bearer ${SIM_ACCOUNT}`, 'content-type': 'application/json' },
			body: JSON.stringify({ model: 'gpt-image/1.5-text-to-image', input: { prompt: 'a fox', aspect_ratio: '1:1', quality: 'medium' } }),
		});
		const { data } = (await res.json()) as { data: { taskId: string } };
		await sim.waitForTask(data.taskId, 10_000);
		const staticData: IDataObject = {};
		sim.fault('recordInfo', 'code', { code: 422, msg: 'recordInfo is null', data: null });
		const early = await call(unknownBody(data.taskId), unsignedHeaders, { allowUnsigned: true }, { key: '', staticData });
		expect(early).toMatchObject({ statusCode: 503, body: { code: 503, msg: 'could not check the callback now: please send it again' } });
		expect(early.workflowData).toBeUndefined();
		const again = await call(unknownBody(data.taskId), unsignedHeaders, { allowUnsigned: true }, { key: '', staticData });
		expect(again.statusCode).toBe(200);
		expect(again.workflowData?.[0][0].json).toMatchObject({ taskId: data.taskId, state: 'success', signatureVerified: false, readFromKie: true });
	});

	it('a task id longer than any of KIE\'s is refused without a read', async () => {
		const before = readsNow();
		const answer = await call(unknownBody('x'.repeat(5000)), unsignedHeaders, { allowUnsigned: true }, { key: '' });
		expect(answer).toMatchObject({ statusCode: 404, body: { code: 404, msg: 'Rejected: unknown task' } });
		expect(readsNow()).toBe(before);
	});

	it('KIE unreachable: 503 without KIE\'s error text', async () => {
		sim.fault('recordInfo', 'http500', { count: 20 });
		try {
			const answer = await call(unknownBody('task_down_1'), unsignedHeaders, { allowUnsigned: true }, { key: '' });
			expect(answer).toMatchObject({ statusCode: 503, body: { code: 503, msg: 'could not check the callback now: please send it again' } });
		} finally {
			sim.reset();
		}
	});
});

describe('KIE Trigger: families (callbacks sent by the simulator)', () => {
	it('Market: normalized result and the callback URL query as context', async () => {
		const callback = await realCallback('/api/v1/jobs/createTask', { model: 'gpt-image/1.5-text-to-image', input: { prompt: 'p', aspect_ratio: '1:1', quality: 'medium' } });
		const result = await call(callback.body as IDataObject, callback.headers as Record<string, string>, {}, { query: { rowId: '7' } });
		const taskId = (callback.body as { data: { taskId: string } }).data.taskId;
		expect(result.workflowData?.[0][0].json).toMatchObject({
			taskId,
			model: 'gpt-image/1.5-text-to-image',
			state: 'success',
			resultUrls: sim.tasks.get(taskId)!.resultUrls,
			family: 'market',
			context: { rowId: '7' },
			contextVerified: true,
			signatureVerified: true,
		});
		expect(Object.keys(result.workflowData![0][0].json).slice(0, 4)).toEqual(['taskId', 'model', 'state', 'resultUrls']);
		expect(result.workflowData![0][0].json).not.toHaveProperty('raw');
		expect(result.workflowData![0][0].json).not.toHaveProperty('stage');
	});

	it('Market failure (code 501)', async () => {
		const callback = await realCallback('/api/v1/jobs/createTask', { model: 'gpt-image/1.5-text-to-image', input: { prompt: 'p', aspect_ratio: '1:1', quality: 'medium' } }, { failCode: '500', failMsg: 'Internal server error' });
		const result = await call(callback.body as IDataObject, callback.headers as Record<string, string>);
		expect(result.workflowData?.[0][0].json).toMatchObject({ state: 'failed', failCode: '500', failMsg: 'Internal server error', code: 501 });
	});

	it('4o Image (data.info.result_urls)', async () => {
		const callback = await realCallback('/api/v1/gpt4o-image/generate', { prompt: 'p', size: '1:1', nVariants: 2 });
		const result = await call(callback.body as IDataObject, callback.headers as Record<string, string>);
		expect(result.workflowData?.[0][0].json).toMatchObject({ model: '4o-image', state: 'success', family: '4o' });
		expect(result.workflowData?.[0][0].json.resultUrls).toHaveLength(2);
	});

	it.each([
		['Veo', { code: 200, msg: 'ok', data: { taskId: 'veo_1', info: { resultUrls: ['https://e.com/v.mp4'], originUrls: [], resolution: '1080p' }, fallbackFlag: false } }, 'veo_1', ['https://e.com/v.mp4'], {}],
		// Runway's image_url is the cover: its own field, not a second result (issue 21).
		['Runway', { code: 200, msg: 'All generated successfully.', data: { task_id: 'rw_1', video_id: 'v', video_url: 'https://e.com/r.mp4', image_url: 'https://e.com/r.png' } }, 'rw_1', ['https://e.com/r.mp4'], { coverUrl: 'https://e.com/r.png' }],
	])('%s callbacks (docs payload)', async (_family, body, taskId, urls, extra) => {
		const result = await call(body as IDataObject, signed(body as IDataObject, taskId));
		expect(result.workflowData?.[0][0].json).toMatchObject({ taskId, state: 'success', resultUrls: urls, ...extra });
	});

	it('Suno: skips the text and first stages unless asked, starts on complete', async () => {
		const stage = (callbackType: string) => ({
			code: 200,
			msg: 'ok',
			data: { callbackType, task_id: 'suno_1', data: callbackType === 'text' ? [] : [{ id: 'a', audio_url: 'https://e.com/1.mp3', model_name: 'chirp-v4' }] },
		});
		const staticData: IDataObject = {};
		// KIE sends the stages seconds apart, each signed with its own timestamp.
		const now = Math.floor(Date.now() / 1000);
		const text = await call(stage('text'), signed(stage('text'), 'suno_1', now - 20), {}, { staticData });
		expect(text.workflowData).toBeUndefined();
		expect(text.statusCode).toBe(200);
		const complete = await call(stage('complete'), signed(stage('complete'), 'suno_1', now), {}, { staticData: text.staticData });
		expect(complete.workflowData?.[0][0].json).toMatchObject({ stage: 'complete', state: 'success', resultUrls: ['https://e.com/1.mp3'] });
		// KIE's "first" callback was sent at another second than "complete" (one task, one timestamp, one callback).
		const first = await call(stage('first'), signed(stage('first'), 'suno_1', now - 10), { options: { includeStages: true } });
		expect(first.workflowData?.[0][0].json).toMatchObject({ stage: 'first', state: 'pending' });
	});
});

describe('KIE Trigger: duplicates, filters, downloads, lifecycle', () => {
	const success = (taskId: string) => ({ code: 200, msg: 'ok', data: { taskId, state: 'success', resultJson: '{"resultUrls":["https://e.com/a.png"]}' } });
	const failure = (taskId: string) => ({ code: 501, msg: 'failed', data: { taskId, state: 'fail', failCode: '500', failMsg: 'boom' } });

	it('starts once for a duplicate delivery of the same task and state', async () => {
		const first = await call(success('dup_1'), signed(success('dup_1'), 'dup_1', Math.floor(Date.now() / 1000)));
		expect(first.workflowData).toBeDefined();
		const again = await call(success('dup_1'), signed(success('dup_1'), 'dup_1', Math.floor(Date.now() / 1000) - 1), {}, { staticData: first.staticData });
		expect(again.statusCode).toBe(200);
		expect(again.workflowData).toBeUndefined();
	});

	it('starts one execution for simultaneous deliveries of the same callback', async () => {
		const staticData: IDataObject = {};
		const headers = signed(success('sim_1'), 'sim_1');
		const same = await Promise.all([1, 2, 3].map(async () => await call(success('sim_1'), headers, {}, { staticData })));
		expect(same.filter((result) => result.workflowData).length).toBe(1);
		expect(same.map((result) => result.statusCode)).toEqual([200, 200, 200]);
		// Signed a second apart (different signatures), still one execution per task and state.
		const now = Math.floor(Date.now() / 1000);
		const spread = await Promise.all(
			[0, 1, 2].map(async (age) => await call(success('sim_2'), signed(success('sim_2'), 'sim_2', now - age), {}, { staticData })),
		);
		expect(spread.filter((result) => result.workflowData).length).toBe(1);
	});

	it('filters on success or failure', async () => {
		expect((await call(failure('f_1'), signed(failure('f_1'), 'f_1'), { events: 'success' })).workflowData).toBeUndefined();
		expect((await call(failure('f_2'), signed(failure('f_2'), 'f_2'), { events: 'failure' })).workflowData?.[0][0].json).toMatchObject({ state: 'failed', failMsg: 'boom' });
		expect((await call(success('s_1'), signed(success('s_1'), 's_1'), { events: 'failure' })).workflowData).toBeUndefined();
	});

	it('downloads the results as binary', async () => {
		const callback = await realCallback('/api/v1/jobs/createTask', { model: 'gpt-image/1.5-text-to-image', input: { prompt: 'p', aspect_ratio: '1:1', quality: 'medium' } });
		const result = await call(callback.body as IDataObject, callback.headers as Record<string, string>, { options: { downloadResults: true } });
		const [item] = result.workflowData![0];
		expect(item.binary?.data.mimeType).toBe('image/png');
		expect((await result.binaryBuffer(item, 'data')).subarray(1, 4).toString()).toBe('PNG');
	});

	it('keeps the activation bookkeeping in static data', async () => {
		const methods = new KieTrigger().webhookMethods.default;
		const staticData: IDataObject = {};
		const ctx = { getWorkflowStaticData: () => staticData, getNodeWebhookUrl: () => 'https://n8n.example.com/webhook/abc/callback' } as never;
		expect(await methods.checkExists.call(ctx)).toBe(false);
		expect(await methods.create.call(ctx)).toBe(true);
		expect(staticData.callbackUrl).toBe('https://n8n.example.com/webhook/abc/callback');
		expect(await methods.checkExists.call(ctx)).toBe(true);
		expect(await methods.delete.call(ctx)).toBe(true);
		expect(await methods.checkExists.call(ctx)).toBe(false);
	});
});

describe('KIE Trigger: the trigger panel', () => {
	it('says which URL to give KIE, that localhost cannot be reached, and how signatures are checked', () => {
		const { triggerPanel } = new KieTrigger().description;
		const help = (triggerPanel as { executionsHelp: { inactive: string; active: string } }).executionsHelp;
		expect(help.inactive).toContain('Open <i>Webhook URLs</i> at the top of this node\'s parameters, copy the <b>Test URL</b>, and use it as <i>Options → Callback URL</i> of a KIE Create Task node');
		expect(help.inactive).toContain('a <code>localhost</code> or private-network address works only with the local KIE simulator');
		expect(help.inactive).toContain('With a <i>Webhook HMAC Key</i> in the KIE API credential, only callbacks signed by KIE are accepted; others are refused (HTTP 401)');
		expect(help.active).toContain('<b>Production URL</b>');
		expect(JSON.stringify(triggerPanel)).not.toContain('create an event');
		// The choices that matter are on the panel, not inside Options.
		// Signature Check (informational) states what the picked credential means for callbacks.
		expect(new KieTrigger().description.properties.map((property) => property.name)).toEqual(['setupNotice', 'signatureState', 'events', 'allowUnsigned', 'options']);
	});
});
