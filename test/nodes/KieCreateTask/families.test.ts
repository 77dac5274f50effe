import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { KieCreateTask } from '../../../nodes/KieCreateTask/KieCreateTask.node';
import { UNUSED_CALLBACK_PATH } from '../../../nodes/KieCreateTask/actions/prepare';
import { KieGetTask } from '../../../nodes/KieGetTask/KieGetTask.node';
import { parseBatch, type BatchRecord } from '../../../nodes/KieCreateTask/actions/batch';
import { FAMILIES, normalizeCallback } from '../../../nodes/shared/families';
import { getModel } from '../../../nodes/shared/registry';
import { type ApiStyleName } from '../../../nodes/shared/registry/types';
import { getTaskProperties } from '../../../nodes/KieGetTask/description';
import { startCallbackReceiver, startSimulator, type CallbackReceiver, type Simulator } from '../../../simulator';
import { sleep } from 'n8n-workflow';

import { runWorkflow, type RunResult } from '../../support/harness';
import { SIM_ACCOUNT, FAST, credentialsFor, deliverCallbacks, model, runNode } from '../setup';

/**
 * KIE's own-API families (reference/kie-api.md §4, §9) end to end in-process: Create Task against the
 * strict simulator over real HTTP (the exact request body from its log, the normalized result), Get
 * Task with each family's details endpoint, each family's documented callback payload through
 * normalizeCallback, and the Wait-for-Callback path.
 */
let sim: Simulator;
let receiver: CallbackReceiver;
beforeAll(async () => {
	sim = await startSimulator({ apiKey: SIM_ACCOUNT, genMs: 200, callbackRetries: 0 });
	receiver = await startCallbackReceiver();
});
afterAll(async () => {
	await receiver.close();
	await sim.close();
});
beforeEach(() => {
	sim.reset();
	receiver.clear();
});

const UNUSED = `http://localhost:5678/${UNUSED_CALLBACK_PATH}`;
const creates = (path: string) => sim.requests.filter((request) => request.path === path && request.method === 'POST');

/** Runs Create Task with the raw KIE record in the output, to compare it with what was sent. */
async function create(parameters: INodeParameters): Promise<{ run: RunResult; json: IDataObject }> {
	const options = { ...FAST, includeRaw: true, ...((parameters.options as IDataObject | undefined) ?? {}) };
	const run = await runNode(sim, 'kieCreateTask', { ...parameters, options });
	expect(run.error).toBeUndefined();
	return { run, json: run.output('KIE')[0].json };
}

/** A task created directly on the simulator. */
async function submitRaw(path: string, body: IDataObject): Promise<string> {
	const answer = await fetch(`${sim.url}${path}`, {
		method: 'POST',
		headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${SIM_ACCOUNT}` },
		body: JSON.stringify(body),
	});
	const { data } = (await answer.json()) as { data: { taskId: string } };
	return data.taskId;
}

/** A finished task of a family (for operations that need one). */
async function finishedTask(path: string, body: IDataObject): Promise<string> {
	const taskId = await submitRaw(path, body);
	await sim.waitForTask(taskId);
	return taskId;
}

describe('own-API families: Create Task (poll) sends the documented body and normalizes the record', () => {
	it('Flux Kontext Max: model in the body, inputImage from Input URLs, result from response.resultImageUrl', async () => {
		const { run, json } = await create({
			model: model('flux-kontext-max'),
			prompt: 'Make the sky purple',
			inputUrls: 'https://example.com/photo.jpg',
			safetyTolerance: 1,
			options: { ...FAST, downloadResults: true },
		});
		const [request] = creates('/api/v1/flux/kontext/generate');
		expect(request.body).toEqual({
			prompt: 'Make the sky purple',
			inputImage: 'https://example.com/photo.jpg',
			aspectRatio: '16:9',
			outputFormat: 'jpeg',
			enableTranslation: true,
			promptUpsampling: false,
			safetyTolerance: 1,
			model: 'flux-kontext-max',
		});
		const record = sim.taskRecord(request.taskId!) as unknown as { response: { resultImageUrl: string } };
		expect(json).toMatchObject({ taskId: request.taskId, model: 'flux-kontext-max', state: 'success', resultUrls: [record.response.resultImageUrl] });
		expect(json.createTime).toMatch(/Z$/);
		expect((json.raw as IDataObject).paramJson).toEqual(request.body);
		expect(run.output('KIE')[0].binary?.data.mimeType).toBe('image/png');
		expect(sim.requests.some((r) => r.path === '/api/v1/flux/kontext/record-info')).toBe(true);
	});

	it('Veo 3.1: generate, then extend, 4K and 1080p of that video', async () => {
		const { json } = await create({ model: model('veo3.1'), prompt: 'A dog runs on the beach', inputUrls: 'https://example.com/a.png' });
		const [generate] = creates('/api/v1/veo/generate');
		expect(generate.body).toEqual({
			prompt: 'A dog runs on the beach',
			imageUrls: ['https://example.com/a.png'],
			model: 'veo3_fast',
			aspectRatio: '16:9',
			resolution: '720p',
			duration: 8,
			enableFallback: false,
			enableTranslation: true,
		});
		expect(json).toMatchObject({ state: 'success', model: 'veo3.1', resultUrls: [expect.stringMatching(/\.mp4$/)] });
		const videoId = json.taskId as string;

		const extend = await create({ model: model('veo3.1/extend'), taskId: videoId, prompt: 'The dog jumps', modelVersion: 'quality' });
		expect(creates('/api/v1/veo/extend')[0].body).toEqual({ taskId: videoId, prompt: 'The dog jumps', model: 'quality' });
		expect(extend.json).toMatchObject({ state: 'success', model: 'veo3.1/extend' });
		expect(extend.json.taskId).not.toBe(videoId);

		const fourK = await create({ model: model('veo3.1/4k'), taskId: videoId });
		expect(creates('/api/v1/veo/get-4k-video')[0].body).toEqual({ taskId: videoId, index: 0 });
		expect(fourK.json).toMatchObject({ state: 'success', model: 'veo3.1/4k', resultUrls: [expect.stringMatching(/\.mp4$/)] });
		expect(((fourK.json.raw as IDataObject).response as IDataObject).resolution).toBe('4k');

		const hd = await create({ model: model('veo3.1/1080p'), taskId: videoId });
		const hdRequests = sim.requests.filter((request) => request.path === '/api/v1/veo/get-1080p-video');
		expect(hdRequests[0]).toMatchObject({ method: 'GET', query: { taskId: videoId, index: '0' } });
		expect(hdRequests.length).toBeGreaterThan(1); // not ready at once: read again until data.resultUrl is set
		expect(hd.json).toMatchObject({ taskId: videoId, state: 'success', resultUrls: [hdRequests.at(-1)!.response!.data && (hdRequests.at(-1)!.response!.data as IDataObject).resultUrl] });
	});

	it('Runway: generate and extend; the video and its cover; callBackUrl supplied because the docs require it', async () => {
		const { json } = await create({ model: model('runway'), prompt: 'A cat dances', quality: '720p', duration: 10 });
		const [generate] = creates('/api/v1/runway/generate');
		expect(generate.body).toEqual({ prompt: 'A cat dances', duration: 10, quality: '720p', aspectRatio: '16:9', callBackUrl: UNUSED });
		// The cover image is its own field, not a second result (issue 21).
		expect(json).toMatchObject({ state: 'success', model: 'runway', resultUrls: [expect.stringMatching(/0\.mp4$/)], coverUrl: expect.stringMatching(/1\.png$/) });
		expect(json.completeTime).toMatch(/Z$/);

		const extend = await create({ model: model('runway/extend'), taskId: json.taskId as string, prompt: 'It bows' });
		expect(creates('/api/v1/runway/extend')[0].body).toEqual({ taskId: json.taskId, prompt: 'It bows', quality: '720p', callBackUrl: UNUSED });
		expect((extend.json.raw as IDataObject).parentTaskId).toBe(json.taskId);
	});

	it('Runway Aleph and Luma modify: the video URL from Input URLs', async () => {
		const aleph = await create({ model: model('runway/aleph'), prompt: 'Watercolor style', inputUrls: 'https://example.com/in.mp4' });
		expect(creates('/api/v1/aleph/generate')[0].body).toEqual({ prompt: 'Watercolor style', videoUrl: 'https://example.com/in.mp4' });
		expect(aleph.json).toMatchObject({ state: 'success', model: 'runway/aleph', resultUrls: [expect.stringMatching(/\.mp4$/)], coverUrl: expect.stringMatching(/\.png$/) });

		const luma = await create({ model: model('luma/modify'), prompt: 'Make it night', inputUrls: 'https://example.com/in.mp4', watermark: 'demo' });
		expect(creates('/api/v1/modify/generate')[0].body).toEqual({ prompt: 'Make it night', videoUrl: 'https://example.com/in.mp4', watermark: 'demo' });
		expect(luma.json).toMatchObject({ state: 'success', model: 'luma/modify', resultUrls: [expect.stringMatching(/\.mp4$/)] });
	});

	it('Suno: generate with the unused callback URL, then extend a track; lyrics come out as text', async () => {
		const { json } = await create({ model: model('suno/generate'), prompt: 'A calm piano piece about rain', options: { ...FAST, downloadResults: true } });
		const [generate] = creates('/api/v1/generate');
		expect(generate.body).toEqual({
			prompt: 'A calm piano piece about rain',
			customMode: false,
			instrumental: false,
			model: 'V5',
			callBackUrl: UNUSED,
		});
		expect(json).toMatchObject({ state: 'success', model: 'suno/generate', resultUrls: [expect.stringMatching(/0\.mp3$/), expect.stringMatching(/1\.mp3$/)] });
		const tracks = ((json.raw as IDataObject).response as IDataObject).sunoData as IDataObject[];
		expect(tracks).toHaveLength(2);
		// The sink answers nothing: the simulator's callbacks to it failed, and the result came from polling.
		await sim.settle();
		expect(sim.callbacks.every((delivery) => delivery.url === UNUSED && !delivery.delivered)).toBe(true);

		await create({
			model: model('suno/extend'),
			audioId: tracks[0].id as string,
			defaultParamFlag: true,
			prompt: 'More rain',
			style: 'Classical',
			title: 'Rain II',
			continueAt: 30,
		});
		expect(creates('/api/v1/generate/extend')[0].body).toEqual({
			audioId: tracks[0].id,
			defaultParamFlag: true,
			model: 'V5',
			prompt: 'More rain',
			style: 'Classical',
			title: 'Rain II',
			continueAt: 30,
			callBackUrl: UNUSED,
		});

		const lyrics = await create({ model: model('suno/lyrics'), prompt: 'A song about a quiet night in the city' });
		expect(creates('/api/v1/lyrics')[0].body).toEqual({ prompt: 'A song about a quiet night in the city', callBackUrl: UNUSED });
		expect(lyrics.json).toMatchObject({ state: 'success', resultUrls: [], lyrics: [expect.objectContaining({ title: 'Night Song' }), expect.anything()] });
	});

	it('Suno: the other create paths, with the Callback URL option and its context', async () => {
		const options = { ...FAST, callBackUrl: 'https://n8n.example.com/webhook/kie', callbackContext: { values: [{ key: 'row', value: '7' }] } };
		const callBackUrl = 'https://n8n.example.com/webhook/kie?row=7';
		const cases: Array<[string, string, INodeParameters, IDataObject]> = [
			['suno/upload-cover', '/api/v1/generate/upload-cover', { inputUrls: 'https://example.com/a.mp3', prompt: 'jazz cover' }, { uploadUrl: 'https://example.com/a.mp3', prompt: 'jazz cover', customMode: false, instrumental: false, model: 'V5' }],
			['suno/upload-extend', '/api/v1/generate/upload-extend', { inputUrls: 'https://example.com/a.mp3' }, { uploadUrl: 'https://example.com/a.mp3', defaultParamFlag: false, instrumental: false, model: 'V5' }],
			['suno/add-instrumental', '/api/v1/generate/add-instrumental', { inputUrls: 'https://example.com/v.mp3', title: 'Song', tags: 'piano', negativeTags: 'metal' }, { uploadUrl: 'https://example.com/v.mp3', title: 'Song', tags: 'piano', negativeTags: 'metal', model: 'V4_5PLUS' }],
			['suno/add-vocals', '/api/v1/generate/add-vocals', { inputUrls: 'https://example.com/i.mp3', prompt: 'la la', title: 'Song', style: 'pop', negativeTags: 'metal', vocalGender: 'f' }, { uploadUrl: 'https://example.com/i.mp3', prompt: 'la la', title: 'Song', style: 'pop', negativeTags: 'metal', model: 'V4_5PLUS', vocalGender: 'f' }],
		];
		for (const [id, path, parameters, body] of cases) {
			const { json } = await create({ model: model(id), ...parameters, options });
			expect(creates(path)[0].body).toEqual({ ...body, callBackUrl });
			expect(json).toMatchObject({ state: 'success', model: id });
			expect(json.resultUrls).toHaveLength(2);
		}
	});

	it('a failed task names its task id and the family\'s error code', async () => {
		sim.failNextTask({ failCode: 400, failMsg: 'Your prompt was flagged' });
		const run = await runNode(sim, 'kieCreateTask', { model: model('veo3.1'), prompt: 'x', options: FAST }, { continueOnFail: true });
		expect(run.output('KIE')[0].json).toMatchObject({ state: 'failed', failCode: '400', failMsg: 'Your prompt was flagged' });
		expect(run.output('KIE')[0].json.error).toContain('failed at KIE');
	});

	it('the simulator rejects what KIE rejects, and the node validates before sending', async () => {
		const noCallback = await fetch(`${sim.url}/api/v1/generate`, {
			method: 'POST',
			headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${SIM_ACCOUNT}` },
			body: JSON.stringify({ prompt: 'x', customMode: false, instrumental: false, model: 'V5' }),
		});
		expect(await noCallback.json()).toEqual({ code: 422, msg: 'Please enter callBackUrl.', data: null });
		const bad = await runNode(sim, 'kieCreateTask', { model: model('runway'), prompt: 'x', quality: '4k' });
		expect(bad.error?.message).toContain('"Quality" (parameter "quality") must be one of 720p, 1080p');
		const rejected = await runNode(sim, 'kieCreateTask', { model: model('runway'), prompt: 'x', quality: '1080p', duration: 10, options: FAST });
		expect(rejected.error?.message).toContain('1080p is not available for 10-second videos');
	});
});

describe('own-API families: Get Task', () => {
	const cases: Array<[ApiStyleName, string, IDataObject, number]> = [
		['flux-kontext', '/api/v1/flux/kontext/generate', { prompt: 'a fox' }, 1],
		['veo', '/api/v1/veo/generate', { prompt: 'a fox' }, 1],
		// Runway and Aleph: the video; the cover image is `coverUrl`, not a result.
		['runway', '/api/v1/runway/generate', { prompt: 'a fox', duration: 5, quality: '720p', aspectRatio: '1:1', callBackUrl: UNUSED }, 1],
		['aleph', '/api/v1/aleph/generate', { prompt: 'a fox', videoUrl: 'https://example.com/v.mp4' }, 1],
		['luma', '/api/v1/modify/generate', { prompt: 'a fox', videoUrl: 'https://example.com/v.mp4' }, 1],
		['suno', '/api/v1/generate', { prompt: 'a fox', customMode: false, instrumental: true, model: 'V4_5', callBackUrl: UNUSED }, 2],
	];

	it('lists every family in the Family selector', () => {
		const family = getTaskProperties.find((property) => property.name === 'family')!;
		// Suno's synchronous calls have no task to read.
		expect((family.options as Array<{ value: string }>).map((option) => option.value)).toEqual(['auto', ...Object.keys(FAMILIES).filter((name) => name !== 'suno-sync')]);
		expect(family.default).toBe('auto');
		expect(Object.keys(FAMILIES)).toEqual(['market', '4o', 'flux-kontext', 'veo', 'veo-1080p', 'runway', 'aleph', 'luma', 'suno', 'suno-lyrics', 'suno-wav', 'suno-stems', 'suno-midi', 'suno-mp4', 'suno-cover', 'suno-sync']);
	});

	it.each(cases)('%s: reads the task from its details endpoint', async (family, path, body, files) => {
		const taskId = await finishedTask(path, body);
		const run = await runNode(sim, 'kieGetTask', { taskId, family });
		expect(sim.requests.at(-1)).toMatchObject({ path: FAMILIES[family].recordPath, query: { taskId } });
		const [item] = run.output('KIE');
		expect(item.json).toMatchObject({ taskId, state: 'success' });
		// A successful task has no failure fields, and the raw record is opt-in.
		expect(item.json).not.toHaveProperty('failCode');
		expect(item.json).not.toHaveProperty('raw');
		expect(item.json.resultUrls).toHaveLength(files);
	});

	it('suno-lyrics and veo-1080p: lyrics text; the 1080p video by task id and index', async () => {
		const lyricsId = await finishedTask('/api/v1/lyrics', { prompt: 'rain', callBackUrl: UNUSED });
		const lyrics = await runNode(sim, 'kieGetTask', { taskId: lyricsId, family: 'suno-lyrics' });
		expect(lyrics.output('KIE')[0].json).toMatchObject({ state: 'success', lyrics: [{ title: 'Night Song', text: expect.stringContaining('rain') }, expect.anything()] });

		const videoId = await finishedTask('/api/v1/veo/generate', { prompt: 'a fox' });
		const hd = await runNode(sim, 'kieGetTask', { taskId: videoId, family: 'veo-1080p', options: { ...FAST, waitUntilDone: true } });
		expect(hd.output('KIE')[0].json).toMatchObject({ taskId: videoId, state: 'success', resultUrls: [expect.stringMatching(/\.mp4$/)] });
		expect(sim.requests.at(-1)?.query).toEqual({ taskId: videoId, index: '0' });
	});

	it('a running Suno task with its first track is pending; a task read with the wrong family is a 404', async () => {
		sim.nextTask({ genMs: 1_000 });
		const taskId = await submitRaw('/api/v1/generate', { prompt: 'x', customMode: false, instrumental: false, model: 'V5', callBackUrl: UNUSED });
		await sleep(700);
		const now = await runNode(sim, 'kieGetTask', { taskId, family: 'suno', options: { includeRaw: true } });
		expect(now.output('KIE')[0].json).toMatchObject({ state: 'pending', raw: { status: 'FIRST_SUCCESS' } });
		expect(now.output('KIE')[0].json.resultUrls).toHaveLength(1);
		const missing = await runNode(sim, 'kieGetTask', { taskId, family: 'runway' });
		expect(missing.error?.message).toContain('code 404');
	});
});

// Callback payloads as the KIE docs show them (reference/kie-api.md §4; Chinese edition 048, 109, 186).
const FLUX_OK = { code: 200, msg: 'BFL image generated successfully.', data: { taskId: 'task12345', info: { originImageUrl: 'https://example.com/original.jpg', resultImageUrl: 'https://example.com/result.jpg' } } };
const FLUX_FAIL = { code: 400, msg: 'Your prompt was flagged by Website as violating content policies', data: { taskId: 'task12345', info: { originImageUrl: '', resultImageUrl: '' } } };
const ALEPH_OK = { code: 200, msg: 'success', data: { result_video_url: 'https://file.com/k/xxxxxxx.mp4', result_image_url: 'https://file.com/m/xxxxxxxx.png' }, taskId: 'ee603959-debb-48d1-98c4-a6d1c717eba6' };
const ALEPH_RECORD_STYLE = { code: 200, msg: 'success', data: { taskId: 'al_2', successFlag: 1, response: { resultVideoUrl: 'https://file.com/a.mp4', resultImageUrl: 'https://file.com/a.png' } } };
const LYRICS_OK = {
	code: 200,
	msg: 'All generated successfully.',
	data: { callbackType: 'complete', task_id: '3b66882fde0a5d398bd269cab6d9542b', data: [{ error_message: '', status: 'complete', text: '[Verse]\nMoonlight on the window…', title: 'Starry Night' }] },
};
const VEO_FAIL = { code: 422, msg: 'Your request was rejected by Flow. You may consider using our other fallback channels', data: { taskId: 'veo_9', promptJson: '{}', info: null, fallbackFlag: false } };

describe('own-API families: callbacks', () => {
	it('Flux Kontext: result from info.resultImageUrl, failures with the envelope code', () => {
		expect(normalizeCallback(FLUX_OK)).toMatchObject({ family: 'flux-kontext', result: { taskId: 'task12345', state: 'success', resultUrls: ['https://example.com/result.jpg'] } });
		expect(normalizeCallback(FLUX_FAIL)).toMatchObject({ family: 'flux-kontext', result: { state: 'failed', failCode: '400', resultUrls: [] } });
	});

	it('Aleph: the callback page shape (top-level taskId) and the record-style shape', () => {
		expect(normalizeCallback(ALEPH_OK)).toMatchObject({
			family: 'aleph',
			result: { taskId: 'ee603959-debb-48d1-98c4-a6d1c717eba6', state: 'success', resultUrls: ['https://file.com/k/xxxxxxx.mp4'], coverUrl: 'https://file.com/m/xxxxxxxx.png' },
		});
		expect(normalizeCallback(ALEPH_RECORD_STYLE).result).toMatchObject({ taskId: 'al_2', state: 'success', resultUrls: ['https://file.com/a.mp4'], coverUrl: 'https://file.com/a.png' });
		expect(normalizeCallback({ ...ALEPH_OK, code: 400, msg: 'flagged', data: { result_video_url: '', result_image_url: '' } }).result).toMatchObject({ state: 'failed', failCode: '400' });
	});

	it('Suno lyrics: the text variants; Veo 422 rejection is a failure', () => {
		const lyrics = normalizeCallback(LYRICS_OK);
		expect(lyrics).toMatchObject({ family: 'suno', stage: 'complete', result: { state: 'success', model: 'suno/lyrics', lyrics: [{ title: 'Starry Night', text: '[Verse]\nMoonlight on the window…' }] } });
		expect(normalizeCallback(VEO_FAIL)).toMatchObject({ family: 'veo', result: { state: 'failed', failCode: '422' } });
	});

	it('every family the simulator calls back for maps to its callback family and final state', async () => {
		const expected: Array<[string, IDataObject, string, string]> = [
			['/api/v1/flux/kontext/generate', { prompt: 'x' }, 'flux-kontext', 'success'],
			['/api/v1/veo/generate', { prompt: 'x' }, 'veo', 'success'],
			['/api/v1/runway/generate', { prompt: 'x', duration: 5, quality: '720p', aspectRatio: '1:1' }, 'runway', 'success'],
			['/api/v1/aleph/generate', { prompt: 'x', videoUrl: 'https://example.com/v.mp4' }, 'aleph', 'success'],
			['/api/v1/modify/generate', { prompt: 'x', videoUrl: 'https://example.com/v.mp4' }, 'luma', 'success'],
			['/api/v1/generate', { prompt: 'x', customMode: false, instrumental: false, model: 'V5' }, 'suno', 'success'],
			['/api/v1/lyrics', { prompt: 'x' }, 'suno', 'success'],
		];
		for (const [path, body] of expected) await finishedTask(path, { ...body, callBackUrl: receiver.url });
		await sim.settle();
		const finals = receiver.received.filter((callback) => {
			const data = (callback.body as IDataObject).data as IDataObject;
			return data.callbackType === undefined || data.callbackType === 'complete';
		});
		expect(finals.map((callback) => normalizeCallback(callback.body as IDataObject).family)).toEqual(expected.map(([, , family]) => family));
		expect(finals.every((callback) => normalizeCallback(callback.body as IDataObject).result.state === 'success')).toBe(true);
		// Suno's staged callbacks: text and first are pending.
		const stages = receiver.received.map((callback) => normalizeCallback(callback.body as IDataObject)).filter((callback) => callback.family === 'suno' && callback.result.model !== 'suno/lyrics');
		expect(stages.map((callback) => [callback.stage, callback.result.state])).toEqual([
			['text', 'pending'],
			['first', 'pending'],
			['complete', 'success'],
		]);
	});

	it('the Wait-for-Callback batch keeps every family', () => {
		const tasks = Object.keys(FAMILIES).map((family, item) => ({ item, taskId: `task-${item}`, family: family as ApiStyleName, model: `model-${item}` }));
		const record: BatchRecord = { v: 2, resumeUrl: 'http://localhost/w/1', since: '2026-11-30T00:00:00.000Z', items: tasks.length, download: { output: 'url', maxSizeMB: 200 }, includeRaw: false, tasks, unsubmitted: [], settled: [] };
		expect(parseBatch(JSON.stringify(record))?.tasks).toEqual(tasks);
	});
});

describe('own-API families: Wait for Callback', () => {
	async function waitBatch(parameters: INodeParameters, count: number): Promise<RunResult> {
		return await runWorkflow({
			nodeTypes: [KieCreateTask, KieGetTask],
			credentials: credentialsFor(sim),
			webhookBaseUrl: `${receiver.baseUrl}/`,
			nodes: [{ name: 'KIE', type: 'kieCreateTask', parameters: { ...parameters, completion: 'callback' } }],
			input: Array.from({ length: count }, (_, index) => ({ json: { index } })),
		});
	}
	it.each([
		['flux-kontext-pro', { prompt: 'a fox' }, 1],
		['veo3.1', { prompt: 'a fox' }, 1],
		['runway', { prompt: 'a fox' }, 1],
		['runway/aleph', { prompt: 'a fox', inputUrls: 'https://example.com/v.mp4' }, 1],
		['luma/modify', { prompt: 'a fox', inputUrls: 'https://example.com/v.mp4' }, 1],
	] as Array<[string, INodeParameters, number]>)('%s: resumes once with the result', async (id, parameters) => {
		sim.nextTask({ genMs: 100 }).nextTask({ genMs: 1_500 });
		const waiting = await waitBatch({ model: model(id), ...parameters }, 2);
		expect(waiting.status).toBe('waiting');
		const [first] = sim.requests.filter((request) => request.taskId);
		expect((first.body as IDataObject).callBackUrl).toBe(waiting.resumeUrl);
		// The first callback arrives while the second task still runs: it is handed over at once.
		const answers = await deliverCallbacks(waiting, await receiver.waitFor(1, 10_000));
		answers.push(...(await deliverCallbacks(waiting, (await receiver.waitFor(2, 10_000)).slice(1))));
		expect(answers.map((answer) => answer.resumed)).toEqual([false, true]);
		const items = answers[1].run!.output('KIE');
		expect(items.map((item) => item.json.state)).toEqual(['success', 'success']);
		for (const item of items) {
			const family = FAMILIES[getModel(id)!.api];
			expect(item.json.resultUrls).toEqual(family.normalize(sim.taskRecord(item.json.taskId as string) as never, { taskId: '' }).resultUrls);
		}
	});

	it('Suno: the text and first stages do not resume; complete does', async () => {
		// Stages come at 30 %, 60 % and 100 % of the generation time: 3.6 s apart, more than the 3 s between two
		// rounds of reads that unsigned callbacks may cause, so each stage is read while the task still runs.
		sim.nextTask({ genMs: 12_000 });
		const waiting = await waitBatch({ model: model('suno/generate'), prompt: 'a song' }, 1);
		// Each stage is handed over as it arrives, while KIE still reports the task as running.
		const answers = [];
		for (const count of [1, 2, 3]) answers.push(...(await deliverCallbacks(waiting, (await receiver.waitFor(count, 10_000)).slice(count - 1))));
		expect(receiver.received.map((callback) => ((callback.body as IDataObject).data as IDataObject).callbackType)).toEqual(['text', 'first', 'complete']);
		expect(answers.map((answer) => answer.resumed)).toEqual([false, false, true]);
		const [item] = answers[2].run!.output('KIE');
		expect(item.json).toMatchObject({ state: 'success', resultUrls: [expect.stringMatching(/\.mp3$/), expect.stringMatching(/\.mp3$/)] });
	}, 60_000);

	it('Veo 1080p has no callback: the batch is polled instead', async () => {
		const videoId = await finishedTask('/api/v1/veo/generate', { prompt: 'x' });
		const run = await waitBatch({ model: model('veo3.1/1080p'), taskId: videoId, options: FAST }, 1);
		expect(run.status).toBe('success');
		expect(run.output('KIE')[0].json).toMatchObject({ taskId: videoId, state: 'success' });
	});
});
