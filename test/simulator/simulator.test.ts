import { sleep } from 'n8n-workflow';

import {
	makePng,
	sha256Hex,
	signCallback,
	startCallbackReceiver,
	startSimulator,
	type CallbackReceiver,
	type FourORecord,
	type MarketRecord,
	type Simulator,
} from '../../simulator';
import { pollUntilDone } from '../support/sim-records';

interface Envelope<T = unknown> {
	code: number;
	msg: string;
	data: T;
	success?: boolean;
}

const KEY = 'sim-key';
const AUTH = { Authorization: `Bearer ${KEY}` };
const JSON_HEADERS = { ...AUTH, 'Content-Type': 'application/json' };

const T2I = 'gpt-image/1.5-text-to-image';
const I2I = 'gpt-image/1.5-image-to-image';
const IMG = 'https://static.aiquickdraw.com/tools/example/1765962794374_GhtqB9oX.webp';

function t2iBody(input: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) {
	return { model: T2I, input: { prompt: 'a lighthouse', aspect_ratio: '3:2', quality: 'medium', ...input }, ...extra };
}

function i2iBody(input: Record<string, unknown> = {}) {
	return { model: I2I, input: { input_urls: [IMG], prompt: 'make it blue', aspect_ratio: '1:1', quality: 'high', ...input } };
}

async function call<T = unknown>(
	sim: Simulator,
	method: 'GET' | 'POST',
	path: string,
	body?: unknown,
	headers: Record<string, string> = JSON_HEADERS,
): Promise<{ status: number; body: Envelope<T> }> {
	const res = await fetch(`${sim.url}${path}`, {
		method,
		headers,
		body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
	});
	return { status: res.status, body: (await res.json()) as Envelope<T> };
}

const post = <T = unknown>(sim: Simulator, path: string, body: unknown, headers?: Record<string, string>) =>
	call<T>(sim, 'POST', path, body, headers);
const get = <T = unknown>(sim: Simulator, path: string, headers?: Record<string, string>) =>
	call<T>(sim, 'GET', path, undefined, headers);

async function createTask(sim: Simulator, body: unknown): Promise<string> {
	const r = await post<{ taskId: string; recordId: string }>(sim, '/api/v1/jobs/createTask', body);
	expect(r.body.code).toBe(200);
	return r.body.data.taskId;
}

async function record(sim: Simulator, taskId: string): Promise<MarketRecord> {
	const r = await get<MarketRecord>(sim, `/api/v1/jobs/recordInfo?taskId=${encodeURIComponent(taskId)}`);
	expect(r.body.code).toBe(200);
	return r.body.data;
}


async function fetchBytes(url: string): Promise<{ status: number; type: string | null; length: string | null; bytes: Uint8Array }> {
	const res = await fetch(url);
	const bytes = new Uint8Array(await res.arrayBuffer());
	return { status: res.status, type: res.headers.get('content-type'), length: res.headers.get('content-length'), bytes };
}

const PNG_MAGIC = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

function pngSize(bytes: Uint8Array): { width: number; height: number } {
	const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
	return { width: dv.getUint32(16), height: dv.getUint32(20) };
}

describe('KIE simulator', () => {
	let sim: Simulator;

	beforeAll(async () => {
		sim = await startSimulator({ apiKey: KEY, genMs: 80, callbackRetryDelayMs: 20 });
	});

	afterAll(async () => {
		await sim.close();
	});

	beforeEach(() => {
		sim.reset();
	});

	describe('auth and account', () => {
		it('answers 401 inside HTTP 200 without or with a wrong key', async () => {
			const none = await get(sim, '/api/v1/chat/credit', {});
			expect(none.status).toBe(200);
			expect(none.body).toEqual({ code: 401, msg: 'You do not have access permissions', data: null });

			const wrong = await post(sim, '/api/v1/jobs/createTask', t2iBody(), {
				Authorization: 'Bearer nope',
				'Content-Type': 'application/json',
			});
			expect(wrong.status).toBe(200);
			expect(wrong.body.code).toBe(401);
			expect(sim.tasks.size).toBe(0);

			const upload = await post(sim, '/api/file-base64-upload', { base64Data: 'AAAA', uploadPath: 'x' }, {
				'Content-Type': 'application/json',
			});
			expect(upload.body).toMatchObject({ success: false, code: 401 });
		});

		it('returns the credits as a bare number and masks the key in the log', async () => {
			const r = await get<number>(sim, '/api/v1/chat/credit', AUTH);
			expect(r.body).toEqual({ code: 200, msg: 'success', data: 1000 });
			const [logged] = sim.requestsFor('credit');
			expect(logged.headers.authorization).toBe('Bearer ***');
			expect(logged.answerCode).toBe(200);
		});

		it('rejects non-JSON content types and invalid JSON with code 400', async () => {
			const ct = await post(sim, '/api/v1/jobs/createTask', JSON.stringify(t2iBody()), {
				...AUTH,
				'Content-Type': 'text/plain',
			});
			expect(ct.body.code).toBe(400);
			const bad = await post(sim, '/api/v1/jobs/createTask', '{"model":', JSON_HEADERS);
			expect(bad.body.code).toBe(400);
		});
	});

	describe('Market createTask / recordInfo', () => {
		it('creates a GPT Image 1.5 text-to-image task that progresses to success with a real PNG', async () => {
			sim.nextTask({ genMs: 400 });
			const taskId = await createTask(sim, t2iBody());
			expect(taskId).toMatch(/^task_gpt-image_\d{4}[0-9a-f]{8}$/);

			const first = await record(sim, taskId);
			expect(['waiting', 'queuing', 'generating']).toContain(first.state);
			expect(first.resultJson).toBe('');
			expect(first.successFlag).toBe(0);
			expect(JSON.parse(first.param)).toEqual(t2iBody());

			const seen = new Set<string>([first.state]);
			let done = first;
			while (done.state !== 'success' && done.state !== 'fail') {
				await sleep(15);
				done = await record(sim, taskId);
				seen.add(done.state);
			}
			expect(seen.has('generating')).toBe(true);
			expect(done).toMatchObject({ taskId, model: T2I, state: 'success', failCode: '', failMsg: '', successFlag: 1 });
			for (const k of ['costTime', 'createTime', 'updateTime', 'completeTime', 'creditsConsumed'] as const) {
				expect(typeof done[k]).toBe('number');
			}
			const { resultUrls } = JSON.parse(done.resultJson) as { resultUrls: string[] };
			expect(resultUrls).toHaveLength(1);
			expect(resultUrls[0].startsWith(`${sim.url}/files/${taskId}/`)).toBe(true);

			const file = await fetchBytes(resultUrls[0]);
			expect(file.status).toBe(200);
			expect(file.type).toBe('image/png');
			expect(Number(file.length)).toBe(file.bytes.length);
			expect(Array.from(file.bytes.subarray(0, 8))).toEqual(PNG_MAGIC);
			expect(pngSize(file.bytes)).toEqual({ width: 384, height: 256 });

			const credit = await get<number>(sim, '/api/v1/chat/credit', AUTH);
			expect(credit.body.data).toBe(1000 - done.creditsConsumed);
		});

		it('creates a GPT Image 1.5 image-to-image task', async () => {
			const r = await post<{ taskId: string; recordId: string }>(sim, '/api/v1/jobs/createTask', i2iBody());
			expect(r.body.code).toBe(200);
			expect(typeof r.body.data.recordId).toBe('string');
			const done = await pollUntilDone(sim, r.body.data.taskId, KEY);
			expect(done.state).toBe('success');
			const url = (JSON.parse(done.resultJson) as { resultUrls: string[] }).resultUrls[0];
			const file = await fetchBytes(url);
			expect(Array.from(file.bytes.subarray(0, 8))).toEqual(PNG_MAGIC);
			expect(pngSize(file.bytes)).toEqual({ width: 384, height: 384 });
		});

		it.each([
			['wrong aspect ratio', t2iBody({ aspect_ratio: '16:9' }), 'input.aspect_ratio must be one of 1:1, 2:3, 3:2'],
			['17 input_urls', i2iBody({ input_urls: Array(17).fill(IMG) }), 'input.input_urls must contain at most 16 items'],
			['missing prompt', { model: T2I, input: { aspect_ratio: '1:1', quality: 'medium' } }, 'input.prompt is required'],
			['unknown model', { model: 'gpt-image/9-imaginary', input: { prompt: 'x' } }, 'gpt-image/9-imaginary'],
			['unknown input key', t2iBody({ seed: 3 }), 'input.seed is not a supported parameter'],
			['unknown top-level key', t2iBody({}, { replyUrl: 'https://x.test/cb' }), 'replyUrl is not a supported parameter'],
			['missing input', { model: T2I }, 'input is required'],
			['missing model', { input: { prompt: 'x' } }, 'model is required'],
			['non-URL input_urls', i2iBody({ input_urls: ['data:image/png;base64,AAAA'] }), 'input.input_urls[0] must be a valid http(s) URL'],
			['missing input_urls', { model: I2I, input: { prompt: 'x', aspect_ratio: '1:1', quality: 'medium' } }, 'input.input_urls is required'],
			['bad quality', t2iBody({ quality: 'low' }), 'input.quality must be one of medium, high'],
			['bad callBackUrl', t2iBody({}, { callBackUrl: 'ftp://x.test/cb' }), 'callBackUrl must be a valid http(s) URL'],
			['number for a string enum', { model: 'kling-3.0/video', input: { prompt: 'x', duration: 5 } }, 'input.duration must be a string'],
		])('rejects %s with code 422', async (_name, body, msg) => {
			const r = await post(sim, '/api/v1/jobs/createTask', body);
			expect(r.status).toBe(200);
			expect(r.body.code).toBe(422);
			expect(r.body.msg).toContain(msg);
			expect(sim.tasks.size).toBe(0);
		});

		it('does not enforce conditionally required catalogue fields', async () => {
			const r = await post(sim, '/api/v1/jobs/createTask', { model: 'kling-3.0/video', input: { prompt: 'a cat' } });
			expect(r.body.code).toBe(200);
		});

		it('accepts unknown input keys only with allowUnknownInput', async () => {
			const loose = await startSimulator({ allowUnknownInput: true, genMs: 10 });
			try {
				const r = await post(loose, '/api/v1/jobs/createTask', t2iBody({ seed: 3 }));
				expect(r.body.code).toBe(200);
			} finally {
				await loose.close();
			}
		});

		it('serves video models with an MP4 ftyp result', async () => {
			const taskId = await createTask(sim, { model: 'kling-3.0/video', input: { prompt: 'waves' } });
			const done = await pollUntilDone(sim, taskId, KEY);
			const url = (JSON.parse(done.resultJson) as { resultUrls: string[] }).resultUrls[0];
			expect(url.endsWith('.mp4')).toBe(true);
			const file = await fetchBytes(url);
			expect(file.type).toBe('video/mp4');
			expect(new TextDecoder().decode(file.bytes.subarray(4, 8))).toBe('ftyp');
		});

		it('answers 400 without taskId and 404 for an unknown task', async () => {
			const missing = await get(sim, '/api/v1/jobs/recordInfo', AUTH);
			expect(missing.body).toEqual({ code: 400, msg: 'taskId parameter is required', data: null });
			const unknown = await get(sim, '/api/v1/jobs/recordInfo?taskId=task_nope', AUTH);
			expect(unknown.body).toEqual({ code: 404, msg: 'Task not found', data: null });
		});

		it('streams a large result (resultBytes) with an exact Content-Length', async () => {
			sim.nextTask({ resultBytes: 3_000_000, genMs: 0 });
			const taskId = await createTask(sim, t2iBody());
			const done = await record(sim, taskId);
			expect(done.state).toBe('success');
			const file = await fetchBytes((JSON.parse(done.resultJson) as { resultUrls: string[] }).resultUrls[0]);
			expect(file.length).toBe('3000000');
			expect(file.bytes.length).toBe(3_000_000);
			expect(Array.from(file.bytes.subarray(0, 8))).toEqual(PNG_MAGIC);
		});
	});

	describe('4o Image', () => {
		it('creates and reports with resultUrls (default) and nVariants URLs', async () => {
			sim.nextTask({ genMs: 300 });
			const r = await post<{ taskId: string }>(sim, '/api/v1/gpt4o-image/generate', {
				prompt: 'a cat',
				size: '2:3',
				nVariants: 2,
			});
			expect(r.body.code).toBe(200);
			const { taskId } = r.body.data;
			const running = await get<FourORecord>(sim, `/api/v1/gpt4o-image/record-info?taskId=${taskId}`, AUTH);
			expect(running.body.data).toMatchObject({ taskId, successFlag: 0, status: 'GENERATING', response: null });
			expect(typeof running.body.data.createTime).toBe('number');
			await sim.waitForTask(taskId);
			const done = await get<FourORecord>(sim, `/api/v1/gpt4o-image/record-info?taskId=${taskId}`, AUTH);
			expect(done.body.data).toMatchObject({ successFlag: 1, status: 'SUCCESS', progress: '1.00', errorCode: null });
			expect(JSON.parse(done.body.data.paramJson)).toEqual({ prompt: 'a cat', size: '2:3', nVariants: 2 });
			const urls = done.body.data.response?.resultUrls ?? [];
			expect(urls).toHaveLength(2);
			const file = await fetchBytes(urls[0]);
			expect(pngSize(file.bytes)).toEqual({ width: 256, height: 384 });
		});

		it('uses result_urls and string times when configured', async () => {
			const quick = await startSimulator({ genMs: 10, fourOResultKey: 'result_urls', fourOTimeFormat: 'string' });
			try {
				const r = await post<{ taskId: string }>(quick, '/api/v1/gpt4o-image/generate', {
					filesUrl: [IMG],
					size: '1:1',
				});
				await quick.waitForTask(r.body.data.taskId);
				const done = await get<FourORecord>(quick, `/api/v1/gpt4o-image/record-info?taskId=${r.body.data.taskId}`, AUTH);
				expect(done.body.data.response).toEqual({ result_urls: [expect.stringContaining('/files/')] });
				expect(done.body.data.createTime).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
				expect(done.body.data.completeTime).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
			} finally {
				await quick.close();
			}
		});

		it.each([
			['missing size', { prompt: 'x' }, 'size is required'],
			['bad size', { prompt: 'x', size: '16:9' }, 'size must be one of 1:1, 3:2, 2:3'],
			['neither prompt nor files', { size: '1:1' }, 'prompt or filesUrl'],
			['six files', { size: '1:1', filesUrl: Array(6).fill(IMG) }, 'filesUrl must contain at most 5 items'],
			['nVariants 3', { size: '1:1', prompt: 'x', nVariants: 3 }, 'nVariants must be one of 1, 2, 4'],
			['string boolean', { size: '1:1', prompt: 'x', isEnhance: 'true' }, 'isEnhance must be a boolean'],
			['bad fallback', { size: '1:1', prompt: 'x', fallbackModel: 'DALLE' }, 'fallbackModel must be one of'],
			['unknown key', { size: '1:1', prompt: 'x', model: 'gpt-4o' }, 'model is not a supported parameter'],
		])('rejects %s with 422', async (_name, body, msg) => {
			const r = await post(sim, '/api/v1/gpt4o-image/generate', body);
			expect(r.body.code).toBe(422);
			expect(r.body.msg).toContain(msg);
		});

		it('gives a presigned download URL only for successful tasks', async () => {
			sim.nextTask({ genMs: 300 });
			const r = await post<{ taskId: string }>(sim, '/api/v1/gpt4o-image/generate', { prompt: 'x', size: '1:1' });
			const { taskId } = r.body.data;
			const early = await post(sim, '/api/v1/gpt4o-image/download-url', { taskId, url: `${sim.url}/files/${taskId}/0.png` });
			expect(early.body.code).toBe(422);
			await sim.waitForTask(taskId);
			const rec = (await get<FourORecord>(sim, `/api/v1/gpt4o-image/record-info?taskId=${taskId}`, AUTH)).body.data;
			const url = rec.response?.resultUrls?.[0] as string;
			const dl = await post<string>(sim, '/api/v1/gpt4o-image/download-url', { taskId, url });
			expect(dl.body.code).toBe(200);
			expect(dl.body.data).toContain('X-Amz-Signature=');
			const file = await fetchBytes(dl.body.data);
			expect(file.status).toBe(200);
			expect(Array.from(file.bytes.subarray(0, 8))).toEqual(PNG_MAGIC);
			const unknown = await post(sim, '/api/v1/gpt4o-image/download-url', { taskId: 'task_4o_nope', url });
			expect(unknown.body.code).toBe(422);
		});
	});

	describe('common download-url', () => {
		it('signs simulator URLs, rejects foreign URLs and tampered/expired links', async () => {
			sim.nextTask({ genMs: 0 });
			const taskId = await createTask(sim, t2iBody());
			const url = (JSON.parse((await record(sim, taskId)).resultJson) as { resultUrls: string[] }).resultUrls[0];
			const ok = await post<string>(sim, '/api/v1/common/download-url', { url });
			expect(ok.body.code).toBe(200);
			expect((await fetchBytes(ok.body.data)).status).toBe(200);

			const tampered = ok.body.data.replace(/X-Amz-Signature=([0-9a-f])/, (_m, c: string) => `X-Amz-Signature=${c === 'a' ? 'b' : 'a'}`);
			expect((await fetchBytes(tampered)).status).toBe(403);

			const foreign = await post(sim, '/api/v1/common/download-url', { url: 'https://example.com/a.png' });
			expect(foreign.body.code).toBe(422);

			const short = await startSimulator({ genMs: 0, downloadUrlTtlSec: -1 });
			try {
				const id = await createTask(short, t2iBody());
				const rec = (await get<MarketRecord>(short, `/api/v1/jobs/recordInfo?taskId=${id}`, AUTH)).body.data;
				const link = await post<string>(short, '/api/v1/common/download-url', {
					url: (JSON.parse(rec.resultJson) as { resultUrls: string[] }).resultUrls[0],
				});
				expect((await fetchBytes(link.body.data)).status).toBe(403);
			} finally {
				await short.close();
			}
		});
	});

	describe('faults', () => {
		it('code429 answers HTTP 200 with code 429 and does not create a task', async () => {
			sim.fault('createTask', 'code429');
			const r = await post(sim, '/api/v1/jobs/createTask', t2iBody());
			expect(r.status).toBe(200);
			expect(r.body.code).toBe(429);
			expect(sim.tasks.size).toBe(0);
			expect((await post(sim, '/api/v1/jobs/createTask', t2iBody())).body.code).toBe(200);
		});

		it('http429 / code455 / http500 / code', async () => {
			sim.fault('recordInfo', 'http429', { retryAfter: 2 });
			sim.fault('credit', 'code455');
			sim.fault('credit', 'http500');
			sim.fault('credit', 'code', { code: 505, msg: 'Feature disabled' });
			const r429 = await fetch(`${sim.url}/api/v1/jobs/recordInfo?taskId=x`, { headers: AUTH });
			expect(r429.status).toBe(429);
			expect(r429.headers.get('retry-after')).toBe('2');
			expect(((await r429.json()) as Envelope).code).toBe(429);
			expect((await get(sim, '/api/v1/chat/credit', AUTH)).body.code).toBe(455);
			const h500 = await get(sim, '/api/v1/chat/credit', AUTH);
			expect([h500.status, h500.body.code]).toEqual([500, 500]);
			expect((await get(sim, '/api/v1/chat/credit', AUTH)).body).toEqual({ code: 505, msg: 'Feature disabled', data: null });
			expect((await get(sim, '/api/v1/chat/credit', AUTH)).body.code).toBe(200);
		});

		it('drop creates the task but never answers', async () => {
			sim.fault('createTask', 'drop');
			await expect(post(sim, '/api/v1/jobs/createTask', t2iBody())).rejects.toThrow();
			expect(sim.tasks.size).toBe(1);
			const [logged] = sim.requestsFor('createTask');
			expect(logged.dropped).toBe(true);
			expect(logged.answerCode).toBeNull();
		});

		it('slow creates the task before the delayed answer', async () => {
			sim.fault('createTask', 'slow', { ms: 250 });
			const started = Date.now();
			const pending = post<{ taskId: string }>(sim, '/api/v1/jobs/createTask', t2iBody());
			await sleep(100);
			expect(sim.tasks.size).toBe(1);
			const r = await pending;
			expect(r.body.code).toBe(200);
			expect(Date.now() - started).toBeGreaterThanOrEqual(240);
			expect(sim.tasks.has(r.body.data.taskId)).toBe(true);
		});

		it('malformedResultJson keeps the URL text but is not valid JSON', async () => {
			sim.fault('createTask', 'malformedResultJson');
			const taskId = await createTask(sim, t2iBody());
			const done = await pollUntilDone(sim, taskId, KEY);
			expect(done.state).toBe('success');
			expect(() => JSON.parse(done.resultJson)).toThrow();
			expect(done.resultJson).toContain(`${sim.url}/files/${taskId}/0.png`);
		});

		it('failNextTask ends the next task in failure', async () => {
			sim.failNextTask({ failCode: '422', failMsg: 'Invalid prompt: prompt contains prohibited content' });
			const taskId = await createTask(sim, t2iBody());
			const done = await pollUntilDone(sim, taskId, KEY);
			expect(done).toMatchObject({
				state: 'fail',
				resultJson: '',
				failCode: '422',
				failMsg: 'Invalid prompt: prompt contains prohibited content',
				successFlag: 3,
				creditsConsumed: 0,
			});
			const url = `${sim.url}/files/${taskId}/0.png`;
			expect((await fetchBytes(url)).status).toBe(404);
			const next = await pollUntilDone(sim, await createTask(sim, t2iBody()), KEY);
			expect(next.state).toBe('success');
		});

		it('rejects creates and polls over the rate limit with code 429', async () => {
			const limited = await startSimulator({
				genMs: 10,
				rateLimit: { createsPerWindow: 2, windowMs: 10_000, pollsPerSecond: 2 },
			});
			try {
				const codes: number[] = [];
				for (let i = 0; i < 3; i++) codes.push((await post(limited, '/api/v1/jobs/createTask', t2iBody())).body.code);
				expect(codes).toEqual([200, 200, 429]);
				expect(limited.tasks.size).toBe(2);
				const polls: number[] = [];
				for (let i = 0; i < 3; i++) polls.push((await get(limited, '/api/v1/jobs/recordInfo?taskId=x', AUTH)).body.code);
				expect(polls).toEqual([404, 404, 429]);
				expect(limited.stats).toMatchObject({ creates: 3, accepted: 2, rejected429: 2, createRejected429: 1, pollRejected429: 1 });
			} finally {
				await limited.close();
			}
		});

		it('admin API queues faults and exposes the log for out-of-process tests', async () => {
			const f = await fetch(`${sim.url}/__sim/fault`, {
				method: 'POST',
				headers: { 'Content-Type': 'application/json' },
				body: JSON.stringify({ route: 'credit', kind: 'code', code: 433, msg: 'Sub-key limit' }),
			});
			expect(f.status).toBe(200);
			expect((await get(sim, '/api/v1/chat/credit', AUTH)).body.code).toBe(433);
			await fetch(`${sim.url}/__sim/fail-next`, {
				method: 'POST',
				headers: { 'Content-Type': 'application/json' },
				body: JSON.stringify({ failCode: '500', failMsg: 'boom' }),
			});
			const taskId = await createTask(sim, t2iBody());
			const tasks = (await (await fetch(`${sim.url}/__sim/tasks`)).json()) as Array<{ taskId: string; outcome: string }>;
			expect(tasks).toEqual([expect.objectContaining({ taskId, outcome: 'fail' })]);
			const log = (await (await fetch(`${sim.url}/__sim/requests?route=credit`)).json()) as Array<{ answerCode: number }>;
			expect(log.map((l) => l.answerCode)).toEqual([433]);
			await fetch(`${sim.url}/__sim/reset`, { method: 'POST' });
			expect(sim.tasks.size).toBe(0);
		});
	});

	describe('uploads', () => {
		it('stream upload parses multipart and keeps the bytes exactly', async () => {
			const bytes = makePng({ width: 64, height: 48, seed: 'upload' });
			const form = new FormData();
			form.append('uploadPath', 'images/user-uploads');
			form.append('fileName', 'cat.png');
			form.append('file', new Blob([new Uint8Array(bytes)], { type: 'image/png' }), 'original.png');
			const res = await fetch(`${sim.url}/api/file-stream-upload`, { method: 'POST', headers: AUTH, body: form });
			const body = (await res.json()) as Envelope<{
				fileName: string;
				filePath: string;
				downloadUrl: string;
				fileSize: number;
				mimeType: string;
				uploadedAt: string;
			}>;
			expect(body).toMatchObject({ success: true, code: 200, msg: 'File uploaded successfully' });
			expect(body.data).toMatchObject({
				fileName: 'cat.png',
				filePath: 'images/user-uploads/cat.png',
				fileSize: bytes.length,
				mimeType: 'image/png',
			});
			const [logged] = sim.requestsFor('uploadStream');
			expect(logged.body).toEqual({
				fields: { uploadPath: 'images/user-uploads', fileName: 'cat.png' },
				file: { name: 'original.png', size: bytes.length, sha256: sha256Hex(bytes), mimeType: 'image/png' },
			});
			const back = await fetchBytes(body.data.downloadUrl);
			expect(back.type).toBe('image/png');
			expect(sha256Hex(back.bytes)).toBe(sha256Hex(bytes));
		});

		it('stream upload: file before fields, larger than one chunk', async () => {
			const big = new Uint8Array(3 * 1024 * 1024 + 17);
			for (let i = 0; i < big.length; i++) big[i] = (i * 31 + (i >> 9)) & 0xff;
			const form = new FormData();
			form.append('file', new Blob([big], { type: 'application/octet-stream' }), 'blob.bin');
			form.append('uploadPath', 'big');
			const res = await fetch(`${sim.url}/api/file-stream-upload`, { method: 'POST', headers: AUTH, body: form });
			const body = (await res.json()) as Envelope<{ fileName: string; fileSize: number }>;
			expect(body.code).toBe(200);
			expect(body.data.fileSize).toBe(big.length);
			expect(body.data.fileName).toMatch(/\.bin$/);
			const logged = sim.requestsFor('uploadStream')[0].body as { file: { sha256: string } };
			expect(logged.file.sha256).toBe(sha256Hex(big));
		});

		it('base64 upload accepts plain base64 and data URLs', async () => {
			const bytes = makePng({ width: 8, height: 8 });
			const b64 = Buffer.from(bytes).toString('base64');
			const plain = await post<{ fileName: string; mimeType: string; downloadUrl: string }>(sim, '/api/file-base64-upload', {
				base64Data: b64,
				uploadPath: 'b64',
				fileName: 'a.png',
			});
			expect(plain.body).toMatchObject({ success: true, code: 200 });
			expect(plain.body.data.mimeType).toBe('image/png');
			const dataUrl = await post<{ fileName: string; mimeType: string; downloadUrl: string }>(sim, '/api/file-base64-upload', {
				base64Data: `data:image/png;base64,${b64}`,
				uploadPath: 'b64',
			});
			expect(dataUrl.body.code).toBe(200);
			expect(dataUrl.body.data.fileName).toMatch(/\.png$/);
			expect(sha256Hex((await fetchBytes(dataUrl.body.data.downloadUrl)).bytes)).toBe(sha256Hex(bytes));
			const bad = await post(sim, '/api/file-base64-upload', { base64Data: '@@@not base64', uploadPath: 'b64' });
			expect(bad.body).toMatchObject({ success: false, code: 400 });
		});

		it('url upload downloads the file', async () => {
			sim.nextTask({ genMs: 0 });
			const taskId = await createTask(sim, t2iBody());
			const src = (JSON.parse((await record(sim, taskId)).resultJson) as { resultUrls: string[] }).resultUrls[0];
			const r = await post<{ fileName: string; fileSize: number; downloadUrl: string; mimeType: string }>(
				sim,
				'/api/file-url-upload',
				{ fileUrl: src, uploadPath: 'from-url', fileName: 'copy.png' },
			);
			expect(r.body).toMatchObject({ success: true, code: 200 });
			const original = await fetchBytes(src);
			const copy = await fetchBytes(r.body.data.downloadUrl);
			expect(r.body.data.fileSize).toBe(original.bytes.length);
			expect(sha256Hex(copy.bytes)).toBe(sha256Hex(original.bytes));
			const bad = await post(sim, '/api/file-url-upload', { fileUrl: 'file:///etc/passwd', uploadPath: 'x' });
			expect(bad.body.code).toBe(400);
		});

		it('requires uploadPath without slashes at the ends, and a User-Agent', async () => {
			const missing = await post(sim, '/api/file-base64-upload', { base64Data: 'AAAA' });
			expect(missing.body).toEqual({ success: false, code: 400, msg: 'Missing required parameter: uploadPath', data: null });
			const slash = await post(sim, '/api/file-base64-upload', { base64Data: 'AAAA', uploadPath: '/images/' });
			expect(slash.body.code).toBe(400);
			const noUa = await fetch(`${sim.url}/api/file-base64-upload`, {
				method: 'POST',
				headers: { ...JSON_HEADERS, 'User-Agent': '' },
				body: JSON.stringify({ base64Data: 'AAAA', uploadPath: 'x' }),
			});
			expect(noUa.status).toBe(403);
			expect(await noUa.text()).toBe('error code: 1010');
		});
	});

	describe('callbacks', () => {
		let receiver: CallbackReceiver;
		let signed: Simulator;
		const HMAC = 'whsec-test';

		beforeAll(async () => {
			receiver = await startCallbackReceiver({ hmacKey: HMAC });
			signed = await startSimulator({ genMs: 40, hmacKey: HMAC, callbackRetryDelayMs: 20 });
		});

		afterAll(async () => {
			await signed.close();
			await receiver.close();
		});

		beforeEach(() => {
			signed.reset();
			receiver.clear();
			receiver.respondWith([]);
		});

		afterEach(async () => {
			await signed.settle();
		});

		it('POSTs a signed Market callback when the task ends', async () => {
			const taskId = await createTask(signed, t2iBody({}, { callBackUrl: receiver.url }));
			const [cb] = await receiver.waitFor(1);
			expect(cb.signatureValid).toBe(true);
			const ts = cb.headers['x-webhook-timestamp'] as string;
			expect(cb.headers['x-webhook-signature']).toBe(signCallback(HMAC, taskId, ts));
			expect(Math.abs(Number(ts) - Date.now() / 1000)).toBeLessThan(5);
			const body = cb.body as Envelope<MarketRecord & { consumeCredits: number; remainedCredits: number }>;
			expect(body.code).toBe(200);
			expect(body.data).toMatchObject({ taskId, state: 'success', model: T2I });
			expect(JSON.parse(body.data.resultJson)).toEqual({ resultUrls: [expect.stringContaining(taskId)] });
			expect(typeof body.data.remainedCredits).toBe('number');
			await signed.waitForCallbacks(1);
			expect(signed.callbacks[0]).toMatchObject({ taskId, url: receiver.url, status: 200, attempts: 1, delivered: true });
		});

		it('sends code 501 for failed tasks and retries on non-200 answers', async () => {
			receiver.respondWith([500, 503]);
			signed.failNextTask({ failCode: '500', failMsg: 'Internal server error' });
			const taskId = await createTask(signed, t2iBody({}, { callBackUrl: receiver.url }));
			const calls = await receiver.waitFor(3);
			expect(calls.map((c) => c.answeredStatus)).toEqual([500, 503, 200]);
			expect((calls[2].body as Envelope<{ state: string }>).code).toBe(501);
			expect((calls[2].body as Envelope<{ state: string }>).data.state).toBe('fail');
			await signed.waitForCallbacks(1);
			expect(signed.callbacks[0]).toMatchObject({ taskId, attempts: 3, delivered: true, statuses: [500, 503, 200] });
		});

		it('stops after 3 retries', async () => {
			receiver.respondWith([500, 500, 500, 500]);
			await createTask(signed, t2iBody({}, { callBackUrl: receiver.url }));
			await signed.waitForCallbacks(1, 3000);
			expect(signed.callbacks[0]).toMatchObject({ attempts: 4, delivered: false, status: 500 });
		});

		it('4o callbacks carry data.info.result_urls', async () => {
			const r = await post<{ taskId: string }>(signed, '/api/v1/gpt4o-image/generate', {
				prompt: 'x',
				size: '3:2',
				callBackUrl: receiver.url,
			});
			const [cb] = await receiver.waitFor(1);
			expect(cb.signatureValid).toBe(true);
			expect(cb.body).toEqual({
				code: 200,
				msg: 'Gpt4o-image generated successfully.',
				data: { taskId: r.body.data.taskId, info: { result_urls: [expect.stringContaining(r.body.data.taskId)] } },
			});
		});

		it('callback faults: forged signature, duplicate, stale timestamp, before create response', async () => {
			signed.fault('callback', 'forgedSignature');
			await createTask(signed, t2iBody({}, { callBackUrl: receiver.url }));
			expect((await receiver.waitFor(1))[0].signatureValid).toBe(false);

			receiver.clear();
			signed.fault('callback', 'duplicate');
			const dupId = await createTask(signed, t2iBody({}, { callBackUrl: receiver.url }));
			const dups = await receiver.waitFor(2);
			expect(dups.map((d) => (d.body as Envelope<{ taskId: string }>).data.taskId)).toEqual([dupId, dupId]);

			receiver.clear();
			signed.fault('callback', 'redeliver', { gapMs: 1100 });
			const againId = await createTask(signed, t2iBody({}, { callBackUrl: receiver.url }));
			const again = await receiver.waitFor(2, 10_000);
			expect(again.map((d) => (d.body as Envelope<{ taskId: string }>).data.taskId)).toEqual([againId, againId]);
			// The very same headers, a second later: KIE retrying, not a new callback.
			expect(again[1].headers['x-webhook-signature']).toBe(again[0].headers['x-webhook-signature']);
			expect(again[1].headers['x-webhook-timestamp']).toBe(again[0].headers['x-webhook-timestamp']);
			expect(again[1].at - again[0].at).toBeGreaterThanOrEqual(1000);

			receiver.clear();
			signed.fault('callback', 'staleTimestamp', { ageSec: 600 });
			await createTask(signed, t2iBody({}, { callBackUrl: receiver.url }));
			const [stale] = await receiver.waitFor(1);
			expect(stale.signatureValid).toBe(true);
			expect(Date.now() / 1000 - Number(stale.headers['x-webhook-timestamp'])).toBeGreaterThan(590);

			receiver.clear();
			signed.fault('callback', 'beforeCreateResponse');
			await createTask(signed, t2iBody({}, { callBackUrl: receiver.url }));
			expect(receiver.received).toHaveLength(1);
		});
	});
});
