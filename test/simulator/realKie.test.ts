/**
 * The simulator's real-KIE behaviours (option `realKie`, and `notIndexedMs` for the window after create),
 * each against the shape of the corpus sample it comes from (../shared/kie-corpus, see simulator/README.md).
 * Where the corpus folder is present, key sets are compared with the recorded answers themselves.
 */
import { sleep } from 'n8n-workflow';

import {
	REAL_KIE_USER_ID,
	startCallbackReceiver,
	startSimulator,
	type CallbackReceiver,
	type Simulator,
} from '../../simulator';
import { corpusBody } from './corpus-sample';

interface Envelope<T = Record<string, unknown>> {
	code: number;
	msg: string;
	data?: T;
	success?: boolean;
}

const KEY = 'sim-key';
const AUTH = { Authorization: `Bearer ${KEY}` };
const JSON_HEADERS = { ...AUTH, 'Content-Type': 'application/json' };
const T2I = 'gpt-image/1.5-text-to-image';
const VIDEO_IN = 'https://static.aiquickdraw.com/tools/example/input.mp4';

/** The body of a corpus sample, or undefined when the corpus is not on this machine. */
const sample = corpusBody;

/** Keys of an object, sorted. */
const keys = (value: unknown) => Object.keys((value ?? {}) as object).sort();

/** When the corpus is here: the keys of `value` are those of the sample's `pick(body)`. */
function expectSameKeys(value: unknown, id: string, pick: (body: Record<string, unknown>) => unknown) {
	const body = sample(id);
	if (body) expect(keys(value)).toEqual(keys(pick(body)));
}

const dataOf = (body: Record<string, unknown>) => body.data;
const responseOf = (body: Record<string, unknown>) => (body.data as Record<string, unknown>).response;

async function call(sim: Simulator, method: 'GET' | 'POST', route: string, body?: unknown): Promise<Envelope> {
	const res = await fetch(`${sim.url}${route}`, { method, headers: JSON_HEADERS, body: body === undefined ? undefined : JSON.stringify(body) });
	expect(res.status).toBe(200);
	return (await res.json()) as Envelope;
}

async function create(sim: Simulator, route: string, body: unknown): Promise<string> {
	const answer = await call(sim, 'POST', route, body);
	expect(answer.code).toBe(200);
	return String(answer.data?.taskId);
}

describe('simulator: real KIE (realKie, notIndexedMs)', () => {
	let sim: Simulator;
	let receiver: CallbackReceiver;

	beforeAll(async () => {
		receiver = await startCallbackReceiver();
		sim = await startSimulator({ genMs: 60, realKie: true, callbackRetryDelayMs: 20 });
	});

	afterAll(async () => {
		await sim.close();
		await receiver.close();
	});

	beforeEach(() => {
		sim.reset();
		receiver.clear();
	});

	afterEach(async () => {
		await sim.settle();
	});

	describe('the 422 window after create (error-envelope-5, scenario-poll-1)', () => {
		it('is off by default: a fresh task answers its record at once', async () => {
			const plain = await startSimulator({ genMs: 60 });
			try {
				const taskId = await create(plain, '/api/v1/jobs/createTask', { model: T2I, input: { prompt: 'p', aspect_ratio: '1:1', quality: 'medium' } });
				const answer = await call(plain, 'GET', `/api/v1/jobs/recordInfo?taskId=${taskId}`);
				expect(answer.code).toBe(200);
				expect(plain.options.notIndexedMs).toBe(0);
				expect(plain.options.realKie).toBe(false);
			} finally {
				await plain.close();
			}
		});

		it('answers HTTP 200 {code:422, msg:"recordInfo is null", data:null} within notIndexedMs, then the record', async () => {
			const windowed = await startSimulator({ genMs: 50, notIndexedMs: 300 });
			try {
				const taskId = await create(windowed, '/api/v1/jobs/createTask', { model: T2I, input: { prompt: 'p', aspect_ratio: '1:1', quality: 'medium' } });
				const res = await fetch(`${windowed.url}/api/v1/jobs/recordInfo?taskId=${taskId}`, { headers: AUTH });
				expect(res.status).toBe(200);
				const early = (await res.json()) as Envelope;
				expect(early).toEqual({ code: 422, msg: 'recordInfo is null', data: null });
				expect(early).toEqual(sample('error-envelope-5') ?? early);
				await sleep(320);
				const later = await call(windowed, 'GET', `/api/v1/jobs/recordInfo?taskId=${taskId}`);
				expect(later.code).toBe(200);
				expect(later.data).toMatchObject({ taskId, state: 'success' });
				// the task went on (and was billed) while it was not indexed
				expect(windowed.tasks.get(taskId)?.creditsConsumed).toBeGreaterThan(0);
				expect(windowed.requestsFor('recordInfo').map((r) => r.answerCode)).toEqual([422, 200]);
			} finally {
				await windowed.close();
			}
		});

		it('covers only the Market endpoint (4o and the family endpoints answer at once)', async () => {
			const windowed = await startSimulator({ genMs: 50, notIndexedMs: 5000 });
			try {
				const fourO = await create(windowed, '/api/v1/gpt4o-image/generate', { prompt: 'p', size: '1:1' });
				expect((await call(windowed, 'GET', `/api/v1/gpt4o-image/record-info?taskId=${fourO}`)).code).toBe(200);
				const veo = await create(windowed, '/api/v1/veo/generate', { prompt: 'p' });
				expect((await call(windowed, 'GET', `/api/v1/veo/record-info?taskId=${veo}`)).code).toBe(200);
			} finally {
				await windowed.close();
			}
		});

		it('with realKie, a Market task id KIE does not know answers the same 422 (not 404)', async () => {
			expect(await call(sim, 'GET', '/api/v1/jobs/recordInfo?taskId=no-such-task')).toEqual({ code: 422, msg: 'recordInfo is null', data: null });
			// the 4o endpoint is unchanged
			expect((await call(sim, 'GET', '/api/v1/gpt4o-image/record-info?taskId=no-such-task')).code).toBe(404);
		});
	});

	describe('Market records and callbacks', () => {
		it('records: operationType and paramJson, no updateTime, null fail fields, costTime in seconds (market-record-1/2/3)', async () => {
			sim.nextTask({ genMs: 60_000 });
			const taskId = await create(sim, '/api/v1/jobs/createTask', { model: T2I, input: { prompt: 'p', aspect_ratio: '1:1', quality: 'medium' } });
			const running = (await call(sim, 'GET', `/api/v1/jobs/recordInfo?taskId=${taskId}`)).data as Record<string, unknown>;
			expect(running).toMatchObject({ state: 'waiting', failCode: null, failMsg: null, costTime: null, completeTime: null, resultJson: '' });
			// the task ran for 2.6 s: costTime 3 (seconds)
			sim.tasks.get(taskId)!.createdAt -= 2600;
			sim.completeTask(taskId);
			const done = (await call(sim, 'GET', `/api/v1/jobs/recordInfo?taskId=${taskId}`)).data as Record<string, unknown>;
			expect(done).toMatchObject({ state: 'success', failCode: null, failMsg: null, operationType: T2I, successFlag: 1 });
			expect(done).not.toHaveProperty('updateTime');
			expect(done.paramJson).toBe(done.param);
			// `input` is a JSON string inside `param`, as KIE echoes it
			const param = JSON.parse(String(done.param)) as { input: string; model: string };
			expect(param.model).toBe(T2I);
			expect(JSON.parse(param.input)).toEqual({ prompt: 'p', aspect_ratio: '1:1', quality: 'medium' });
			// seconds: whatever genMs the task ran, the figure is genMs / 1000 rounded
			expect(done.costTime).toBe(3);
			expect(sim.options.costTimeUnit).toBe('s');
			const base = sample('market-record-2');
			if (base) for (const key of keys(dataOf(base))) expect(done).toHaveProperty(key);
		});

		it('without realKie, the record keeps its documented shape, plus operationType and paramJson', async () => {
			const plain = await startSimulator({ genMs: 0 });
			try {
				const taskId = await create(plain, '/api/v1/jobs/createTask', { model: T2I, input: { prompt: 'p', aspect_ratio: '1:1', quality: 'medium' } });
				const rec = (await call(plain, 'GET', `/api/v1/jobs/recordInfo?taskId=${taskId}`)).data as Record<string, unknown>;
				expect(rec).toMatchObject({ failCode: '', failMsg: '', operationType: T2I, paramJson: rec.param });
				expect(rec).toHaveProperty('updateTime');
			} finally {
				await plain.close();
			}
		});

		it('callbacks: creditsConsumed, okhttp user agent, charset, no signature headers without a key (market-callback-1)', async () => {
			const taskId = await create(sim, '/api/v1/jobs/createTask', { model: T2I, callBackUrl: receiver.url, input: { prompt: 'p', aspect_ratio: '1:1', quality: 'medium' } });
			const [got] = await receiver.waitFor(1);
			expect(got.headers['user-agent']).toBe('okhttp/3.14.9');
			expect(got.headers['content-type']).toBe('application/json; charset=utf-8');
			expect(got.headers).not.toHaveProperty('x-webhook-signature');
			expect(got.headers).not.toHaveProperty('x-webhook-timestamp');
			const body = got.body as Envelope;
			expect(body).toMatchObject({ code: 200, msg: 'Playground task completed successfully.' });
			expect(body.data).toMatchObject({ taskId, state: 'success', creditsConsumed: 4 });
			expect(body.data).not.toHaveProperty('consumeCredits');
			expect(body.data).not.toHaveProperty('remainedCredits');
			expect(JSON.parse(String(body.data?.param))).toMatchObject({ callBackUrl: receiver.url, model: T2I });
			expect(keys(body.data)).toEqual(['completeTime', 'costTime', 'createTime', 'creditsConsumed', 'model', 'param', 'resultJson', 'state', 'taskId', 'updateTime']);
			expectSameKeys(body.data, 'market-callback-1', dataOf);
		});

		it('a failed Market callback carries failCode / failMsg and code 501', async () => {
			sim.failNextTask({ failCode: '500', failMsg: 'Internal server error' });
			await create(sim, '/api/v1/jobs/createTask', { model: T2I, callBackUrl: receiver.url, input: { prompt: 'p', aspect_ratio: '1:1', quality: 'medium' } });
			const [got] = await receiver.waitFor(1);
			expect(got.body).toMatchObject({ code: 501, data: { state: 'fail', failCode: '500', failMsg: 'Internal server error', creditsConsumed: 0 } });
		});

		it('with a key, the okhttp callback is still signed', async () => {
			const signedSim = await startSimulator({ genMs: 20, realKie: true, hmacKey: 'k' });
			try {
				await create(signedSim, '/api/v1/jobs/createTask', { model: T2I, callBackUrl: receiver.url, input: { prompt: 'p', aspect_ratio: '1:1', quality: 'medium' } });
				const [got] = await receiver.waitFor(1);
				expect(got.headers['user-agent']).toBe('okhttp/3.14.9');
				expect(got.headers['x-webhook-signature']).toEqual(expect.any(String));
				await signedSim.settle();
			} finally {
				await signedSim.close();
			}
		});
	});

	describe('Veo', () => {
		it('records: response.taskId, hasAudioList, seeds, fullResultUrls null, epoch-ms times (veo-record-1)', async () => {
			const taskId = await create(sim, '/api/v1/veo/generate', { prompt: 'a cat' });
			await sim.waitForTask(taskId);
			const rec = (await call(sim, 'GET', `/api/v1/veo/record-info?taskId=${taskId}`)).data as Record<string, unknown>;
			const response = rec.response as Record<string, unknown>;
			expect(response).toMatchObject({ taskId, originUrls: null, fullResultUrls: null, hasAudioList: [true], resolution: '720p' });
			expect(response.seeds).toEqual([expect.any(Number)]);
			expect((response.seeds as number[])[0]).toBeGreaterThanOrEqual(10000);
			expect((response.seeds as number[])[0]).toBeLessThan(100000);
			expect(rec).toMatchObject({ successFlag: 1, errorCode: null, errorMessage: null, fallbackFlag: false });
			expect(typeof rec.createTime).toBe('number');
			expect(typeof rec.completeTime).toBe('number');
			expectSameKeys(rec, 'veo-record-1', dataOf);
			expectSameKeys(response, 'veo-record-1', responseOf);
		});

		it('hasAudioList and seeds are there without realKie too (extra fields)', async () => {
			const plain = await startSimulator({ genMs: 0 });
			try {
				const taskId = await create(plain, '/api/v1/veo/generate', { prompt: 'a cat' });
				const rec = (await call(plain, 'GET', `/api/v1/veo/record-info?taskId=${taskId}`)).data as Record<string, unknown>;
				expect(rec.response).toMatchObject({ hasAudioList: [true], seeds: [expect.any(Number)], fullResultUrls: [expect.any(String)] });
			} finally {
				await plain.close();
			}
		});

		it.each([
			['content policy 400 (veo-callback-2)', 400, 'Your prompt was flagged by Website as violating content policies.', 'veo-callback-2'],
			['422 "fallback channels" (veo-callback-3)', 422, 'Your request was rejected by Flow(Your prompt was flagged by Website as violating content policies). You may consider using our other fallback channels, which are likely to succeed. Please refer to the documentation.', 'veo-callback-3'],
		])('a failure callback has no info: %s', async (_name, failCode, failMsg, id) => {
			sim.failNextTask({ failCode, failMsg });
			const taskId = await create(sim, '/api/v1/veo/generate', { prompt: 'a cat', callBackUrl: receiver.url });
			const [got] = await receiver.waitFor(1);
			expect(got.body).toEqual({ code: failCode, msg: failMsg, data: { taskId, fallbackFlag: false } });
			const body = sample(id);
			if (body) expect({ ...(got.body as object), data: { ...((got.body as Envelope).data ?? {}), taskId: 'x' } }).toEqual({ ...body, data: { ...(body.data as object), taskId: 'x' } });
		});

		it('the 4K failure callback is data: {taskId} only (veo-callback-6)', async () => {
			const parent = await create(sim, '/api/v1/veo/generate', { prompt: 'a cat' });
			await sim.waitForTask(parent);
			sim.failNextTask({ failCode: 500, failMsg: 'The 4K version of this video is unavailable. Please try a different video.' });
			const taskId = await create(sim, '/api/v1/veo/get-4k-video', { taskId: parent, callBackUrl: receiver.url });
			const [got] = await receiver.waitFor(1);
			expect(got.body).toEqual({ code: 500, msg: 'The 4K version of this video is unavailable. Please try a different video.', data: { taskId } });
		});
	});

	describe('Luma', () => {
		it('records: response.resultUrls and originUrls (the input video), epoch-ms times (luma-record-1)', async () => {
			const taskId = await create(sim, '/api/v1/modify/generate', { prompt: 'a city', videoUrl: VIDEO_IN });
			await sim.waitForTask(taskId);
			const rec = (await call(sim, 'GET', `/api/v1/modify/record-info?taskId=${taskId}`)).data as Record<string, unknown>;
			expect(rec.response).toEqual({ taskId, originUrls: [VIDEO_IN], resultUrls: [expect.stringMatching(/\.mp4$/)] });
			expect(typeof rec.completeTime).toBe('number');
			expectSameKeys(rec, 'luma-record-1', dataOf);
		});

		it('modify callbacks are data: {taskId, promptJson, resultUrls} (luma-callback-1)', async () => {
			const taskId = await create(sim, '/api/v1/modify/generate', { prompt: 'a city', videoUrl: VIDEO_IN, callBackUrl: receiver.url });
			const [got] = await receiver.waitFor(1);
			const body = got.body as Envelope;
			expect(body).toMatchObject({ code: 200, msg: 'Modify record generated successfully.' });
			expect(body.data).toEqual({ taskId, promptJson: expect.any(String), resultUrls: [expect.stringMatching(/\.mp4$/)] });
			expect(JSON.parse(String(body.data?.promptJson))).toMatchObject({ prompt: 'a city', videoUrl: VIDEO_IN, callBackUrl: receiver.url });
			expectSameKeys(body.data, 'luma-callback-1', dataOf);
		});
	});

	describe('Runway and Aleph: the cover image where KIE puts it', () => {
		it('the Runway callback has image_url beside video_url (runway-callback-1)', async () => {
			await create(sim, '/api/v1/runway/generate', { prompt: 'a cat', duration: 5, quality: '720p', aspectRatio: '16:9', callBackUrl: receiver.url });
			const [got] = await receiver.waitFor(1);
			const data = (got.body as Envelope).data!;
			expect(data).toMatchObject({ video_url: expect.stringMatching(/\.mp4$/), image_url: expect.stringMatching(/\.png$/) });
			expectSameKeys(data, 'runway-callback-1', dataOf);
		});

		it('the Aleph record has response.resultImageUrl beside resultVideoUrl (aleph-record-1)', async () => {
			const taskId = await create(sim, '/api/v1/aleph/generate', { prompt: 'an eagle', videoUrl: VIDEO_IN });
			await sim.waitForTask(taskId);
			const rec = (await call(sim, 'GET', `/api/v1/aleph/record-info?taskId=${taskId}`)).data as Record<string, unknown>;
			expect(rec.response).toEqual({ taskId, resultVideoUrl: expect.stringMatching(/\.mp4$/), resultImageUrl: expect.stringMatching(/\.png$/) });
			expect(rec).toMatchObject({ successFlag: 1, errorCode: 0, errorMessage: '' });
			expectSameKeys(rec, 'aleph-record-1', dataOf);
			expectSameKeys(rec.response, 'aleph-record-1', responseOf);
		});
	});

	describe('Suno', () => {
		const SUNO = { customMode: false, instrumental: false, model: 'V4_5', prompt: 'a calm song' };

		it('records: tracks with source URLs and epoch-ms createTime; type, operationType, parentMusicId (suno-record-1/2)', async () => {
			const taskId = await create(sim, '/api/v1/generate', { ...SUNO, callBackUrl: receiver.url });
			await sim.waitForTask(taskId);
			const rec = (await call(sim, 'GET', `/api/v1/generate/record-info?taskId=${taskId}`)).data as Record<string, unknown>;
			expect(rec).toMatchObject({ status: 'SUCCESS', type: 'chirp-v4-5', operationType: 'generate', parentMusicId: '', errorCode: null, errorMessage: null });
			expect(typeof rec.createTime).toBe('number');
			const tracks = (rec.response as { sunoData: Array<Record<string, unknown>> }).sunoData;
			expect(tracks).toHaveLength(2);
			for (const track of tracks) {
				expect(track).toMatchObject({ sourceAudioUrl: track.audioUrl, sourceStreamAudioUrl: expect.any(String), sourceImageUrl: track.imageUrl });
				expect(typeof track.createTime).toBe('number');
				expect(track.createTime as number).toBeGreaterThan(1e12);
			}
			expectSameKeys(rec, 'suno-record-1', dataOf);
			expectSameKeys(tracks[0], 'suno-record-1', (body) => ((body.data as { response: { sunoData: unknown[] } }).response.sunoData[0]));
			// the source files are served
			expect((await fetch(String(tracks[0].sourceAudioUrl))).status).toBe(200);
		});

		it('without realKie, tracks carry the source URLs too (extra fields)', async () => {
			const plain = await startSimulator({ genMs: 0 });
			try {
				const taskId = await create(plain, '/api/v1/generate', { ...SUNO, callBackUrl: receiver.url });
				const rec = (await call(plain, 'GET', `/api/v1/generate/record-info?taskId=${taskId}`)).data as Record<string, unknown>;
				const [track] = (rec.response as { sunoData: Array<Record<string, unknown>> }).sunoData;
				expect(track).toMatchObject({ sourceAudioUrl: expect.any(String), sourceStreamAudioUrl: expect.any(String), sourceImageUrl: expect.any(String) });
				expect(rec.type).toBe('GENERATE');
				await plain.settle();
			} finally {
				await plain.close();
			}
		});

		it('lyrics callbacks: items with status "complete" and error_message (suno-lyrics-callback-1)', async () => {
			const taskId = await create(sim, '/api/v1/lyrics', { prompt: 'the night', callBackUrl: receiver.url });
			const [got] = await receiver.waitFor(1);
			const body = got.body as Envelope<{ callbackType: string; task_id: string; data: Array<Record<string, unknown>> }>;
			expect(body).toMatchObject({ code: 200, data: { callbackType: 'complete', task_id: taskId } });
			for (const item of body.data!.data) {
				expect(item).toMatchObject({ status: 'complete', error_message: '' });
				expectSameKeys(item, 'suno-lyrics-callback-1', (b) => ((b.data as { data: unknown[] }).data[0]));
			}
		});

		it('lyrics records: type "LYRICS", items with status and errorMessage (suno-lyrics-record-1)', async () => {
			const taskId = await create(sim, '/api/v1/lyrics', { prompt: 'the night', callBackUrl: receiver.url });
			await sim.waitForTask(taskId);
			const rec = (await call(sim, 'GET', `/api/v1/lyrics/record-info?taskId=${taskId}`)).data as Record<string, unknown>;
			expect(rec).toMatchObject({ taskId, status: 'SUCCESS', type: 'LYRICS', errorCode: null, errorMessage: null });
			const items = (rec.response as { data: Array<Record<string, unknown>> }).data;
			expect(items[0]).toMatchObject({ status: 'complete', errorMessage: '' });
			expectSameKeys(rec, 'suno-lyrics-record-1', dataOf);
			expectSameKeys(items[0], 'suno-lyrics-record-1', (b) => ((b.data as { response: { data: unknown[] } }).response.data[0]));
		});

		it('the lyrics 400 callback: callbackType "complete", data null (suno-lyrics-callback-2)', async () => {
			sim.failNextTask({ failCode: 400, failMsg: 'Song Description flagged for moderation' });
			const taskId = await create(sim, '/api/v1/lyrics', { prompt: 'the night', callBackUrl: receiver.url });
			const [got] = await receiver.waitFor(1);
			expect(got.body).toEqual({ code: 400, msg: 'Song Description flagged for moderation', data: { callbackType: 'complete', task_id: taskId, data: null } });
		});
	});

	describe('uploads (upload-stream-1/2)', () => {
		it('a second success flag inside data; filePath under kieai/<userId>/; the file is served there', async () => {
			const answer = await call(sim, 'POST', '/api/file-base64-upload', { base64Data: Buffer.from('hello').toString('base64'), uploadPath: 'images/user-uploads', fileName: 'a.txt' });
			expect(answer).toMatchObject({ success: true, code: 200, msg: 'File uploaded successfully' });
			expect(answer.data).toMatchObject({ success: true, fileName: 'a.txt', filePath: `kieai/${REAL_KIE_USER_ID}/images/user-uploads/a.txt` });
			expect(String(answer.data?.downloadUrl)).toBe(`${sim.url}/files/uploads/kieai/${REAL_KIE_USER_ID}/images/user-uploads/a.txt`);
			const back = await fetch(String(answer.data?.downloadUrl));
			expect(await back.text()).toBe('hello');
			expectSameKeys(answer.data, 'upload-stream-1', dataOf);
		});

		it('without realKie: data.success is there too, the path is the one asked for', async () => {
			const plain = await startSimulator({ genMs: 0 });
			try {
				const answer = await call(plain, 'POST', '/api/file-base64-upload', { base64Data: Buffer.from('hi').toString('base64'), uploadPath: 'docs', fileName: 'b.txt' });
				expect(answer.data).toMatchObject({ success: true, filePath: 'docs/b.txt' });
			} finally {
				await plain.close();
			}
		});
	});

	describe('error answers', () => {
		it('the maintenance fault: code 500 "The server is currently being maintained…", no data (error-envelope-2)', async () => {
			sim.fault('createTask', 'maintenance');
			const answer = await call(sim, 'POST', '/api/v1/jobs/createTask', { model: T2I, input: { prompt: 'p', aspect_ratio: '1:1', quality: 'medium' } });
			expect(answer).toEqual({ code: 500, msg: 'The server is currently being maintained, please try again later~' });
			expect(answer).toEqual(sample('error-envelope-2') ?? answer);
			expect(sim.tasks.size).toBe(0);
		});

		it('the maintenance fault has no data without realKie either', async () => {
			const plain = await startSimulator({ genMs: 0 });
			try {
				plain.fault('recordInfo', 'maintenance');
				expect(await call(plain, 'GET', '/api/v1/jobs/recordInfo?taskId=x')).toEqual({ code: 500, msg: 'The server is currently being maintained, please try again later~' });
			} finally {
				await plain.close();
			}
		});

		it('the dailyLimit fault: 433 "…points used by apiKey has exceeded the daily limit", data null (error-envelope-1)', async () => {
			sim.fault('createTask', 'dailyLimit');
			const answer = await call(sim, 'POST', '/api/v1/jobs/createTask', { model: T2I, input: { prompt: 'p', aspect_ratio: '1:1', quality: 'medium' } });
			expect(answer).toEqual({ code: 433, msg: 'The current number of points used by apiKey has exceeded the daily limit', data: null });
			expect(answer).toEqual(sample('error-envelope-1') ?? answer);
		});

		it('error bodies have no data key (error-envelope-3/4/6/7, upload-error-1)', async () => {
			const noCallback = await call(sim, 'POST', '/api/v1/generate', { customMode: false, instrumental: false, model: 'V4_5', prompt: 'x' });
			expect(noCallback).toEqual({ code: 422, msg: 'Please enter callBackUrl.' });
			expect(noCallback).toEqual(sample('error-envelope-3') ?? noCallback);
			expect(await call(sim, 'GET', '/api/v1/veo/record-info?taskId=nope')).toEqual({ code: 404, msg: 'Task not found' });
			sim.fault('credit', 'code429');
			expect(await call(sim, 'GET', '/api/v1/chat/credit')).toEqual({ code: 429, msg: 'Rate limit exceeded' });
			const denied = await fetch(`${sim.url}/api/v1/chat/credit`, { headers: { Authorization: 'Bearer wrong' } });
			expect(await denied.json()).toEqual({ code: 401, msg: 'You do not have access permissions' });
			const upload = await fetch(`${sim.url}/api/file-base64-upload`, { method: 'POST', headers: { Authorization: 'Bearer wrong', 'Content-Type': 'application/json' }, body: '{}' });
			expect(await upload.json()).toEqual({ success: false, code: 401, msg: 'You do not have access permissions' });
			// success answers keep data
			expect(await call(sim, 'GET', '/api/v1/chat/credit')).toEqual({ code: 200, msg: 'success', data: 1000 });
		});

		it('without realKie, error bodies keep data: null', async () => {
			const plain = await startSimulator({ genMs: 0 });
			try {
				expect(await call(plain, 'GET', '/api/v1/jobs/recordInfo?taskId=nope')).toEqual({ code: 404, msg: 'Task not found', data: null });
			} finally {
				await plain.close();
			}
		});
	});
});
