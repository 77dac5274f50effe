import type { IBinaryData, IDataObject, INodeParameters } from 'n8n-workflow';

import { KieCreateTask } from '../../../nodes/KieCreateTask/KieCreateTask.node';
import { UNUSED_CALLBACK_PATH } from '../../../nodes/KieCreateTask/actions/prepare';
import { KieGetTask } from '../../../nodes/KieGetTask/KieGetTask.node';
import { KieTrigger } from '../../../nodes/KieTrigger/KieTrigger.node';
import { normalizeCallback } from '../../../nodes/shared/families';
import { signCallback, startCallbackReceiver, startSimulator, type CallbackReceiver, type Simulator } from '../../../simulator';

import { readBinary, runWebhook, runWorkflow } from '../../support/harness';
import { SIM_ACCOUNT, FAST, credentialsFor, deliverCallbacks, infoHintsOf, model, runNode } from '../setup';

/**
 * Suno's toolbox through KIE Create Task against the strict simulator over real HTTP: the exact request
 * body of each operation, the ids taken from an earlier Suno task's output by default, the chains
 * (generate → WAV, generate → separation → MIDI), stems as one file per stem, Wait for Callback, the
 * synchronous calls, and the checks made before anything is paid.
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
const posts = (path: string) => sim.requests.filter((request) => request.path === path && request.method === 'POST');

/** A finished Suno music task, as the output item of KIE Create Task (taskId and tracks). */
async function music(prompt = 'A calm piano piece about rain'): Promise<IDataObject> {
	const run = await runNode(sim, 'kieCreateTask', { model: model('suno/generate'), prompt, options: FAST });
	expect(run.error).toBeUndefined();
	return run.output('KIE')[0].json;
}

/** Runs Create Task on one input item (the earlier task's output). */
async function tool(parameters: INodeParameters, input: IDataObject, extra: { continueOnFail?: boolean } = {}) {
	const options = { ...FAST, ...((parameters.options as INodeParameters | undefined) ?? {}) } as INodeParameters;
	return await runNode(sim, 'kieCreateTask', { ...parameters, options }, { input: [{ json: input }], ...extra });
}

describe('Suno generate: the output carries the tracks, so the toolbox ids need no raw record', () => {
	it('tracks [{id, audioUrl, title, duration}] in the order of sunoData', async () => {
		const json = await music();
		const tracks = json.tracks as IDataObject[];
		expect(tracks).toHaveLength(2);
		const record = sim.taskRecord(json.taskId as string) as IDataObject;
		const sunoData = (record.response as IDataObject).sunoData as IDataObject[];
		expect(tracks).toEqual(sunoData.map((track) => ({ id: track.id, audioUrl: track.audioUrl, title: track.title, duration: track.duration })));
		expect(json.raw).toBeUndefined();
	});
});

describe('the exact request body of each operation, with the ids from the input item by default', () => {
	it('Convert to WAV: {taskId, audioId, callBackUrl}; the WAV file downloads', async () => {
		const source = await music();
		const run = await tool({ model: model('suno/convert-to-wav'), options: { downloadResults: true } }, source);
		expect(run.error).toBeUndefined();
		const [request] = posts('/api/v1/wav/generate');
		const firstTrack = (source.tracks as IDataObject[])[0].id;
		expect(request.body).toEqual({ taskId: source.taskId, audioId: firstTrack, callBackUrl: UNUSED });
		const item = run.output('KIE')[0];
		expect(item.json).toMatchObject({ model: 'suno/convert-to-wav', state: 'success', resultUrls: [expect.stringMatching(/\.wav$/)] });
		const file = item.binary!.data as IBinaryData;
		expect(file).toMatchObject({ mimeType: 'audio/wav', fileName: expect.stringMatching(/\.wav$/) });
		const bytes = await readBinary(file);
		expect(bytes.subarray(0, 4).toString('ascii')).toBe('RIFF');
		expect(bytes.subarray(8, 12).toString('ascii')).toBe('WAVE');
	});

	it.each([
		['separate_vocal', ['vocals', 'instrumental']],
		['split_stem', ['vocals', 'backing_vocals', 'drums', 'bass', 'guitar', 'keyboard', 'percussion', 'strings', 'synth', 'fx', 'brass', 'woodwinds']],
	])('Separate Vocals (%s): every stem as a URL, in stems and as one binary file per stem named by its stem', async (type, names) => {
		const source = await music();
		const run = await tool({ model: model('suno/separate-vocals'), separationType: type, options: { downloadResults: true } }, source);
		expect(run.error).toBeUndefined();
		const [request] = posts('/api/v1/vocal-removal/generate');
		expect(request.body).toEqual({ taskId: source.taskId, audioId: (source.tracks as IDataObject[])[0].id, type, callBackUrl: UNUSED });
		const item = run.output('KIE')[0];
		const stems = item.json.stems as Record<string, string>;
		expect(Object.keys(stems)).toEqual(names);
		expect(item.json.resultUrls).toEqual(Object.values(stems));
		expect(Object.keys(item.json.stemIds as IDataObject)).toHaveLength(names.length);
		expect(Object.values(item.binary!).map((file) => file.fileName)).toEqual(names.map((name) => `${name}.mp3`));
		expect(item.json.files).toEqual(names.map((name, i) => expect.objectContaining({ property: i === 0 ? 'data' : `data_${i}`, fileName: `${name}.mp3`, mimeType: 'audio/mpeg' })));
	});

	it('Create Music Video: author and domainName; Generate Cover Image: taskId only, two images', async () => {
		const source = await music();
		const video = await tool({ model: model('suno/music-video'), author: 'The Rain Band', domainName: 'example.com' }, source);
		expect(video.error).toBeUndefined();
		expect(posts('/api/v1/mp4/generate')[0].body).toEqual({
			taskId: source.taskId,
			audioId: (source.tracks as IDataObject[])[0].id,
			author: 'The Rain Band',
			domainName: 'example.com',
			callBackUrl: UNUSED,
		});
		expect(video.output('KIE')[0].json).toMatchObject({ model: 'suno/music-video', state: 'success', resultUrls: [expect.stringMatching(/\.mp4$/)] });
		const cover = await tool({ model: model('suno/cover-image') }, source);
		expect(cover.error).toBeUndefined();
		expect(posts('/api/v1/suno/cover/generate')[0].body).toEqual({ taskId: source.taskId, callBackUrl: UNUSED });
		expect(cover.output('KIE')[0].json).toMatchObject({ state: 'success', resultUrls: [expect.stringMatching(/\.png$/), expect.stringMatching(/\.png$/)] });
	});

	it('Replace Section: the body, polled with the music record; the new tracks in the output', async () => {
		const source = await music();
		const run = await tool(
			{ model: model('suno/replace-section'), prompt: 'New words here', tags: 'piano', title: 'Rain (edit)', infillStartS: 10.5, infillEndS: 30, fullLyrics: 'All the words' },
			source,
		);
		expect(run.error).toBeUndefined();
		expect(posts('/api/v1/generate/replace-section')[0].body).toEqual({
			taskId: source.taskId,
			audioId: (source.tracks as IDataObject[])[0].id,
			prompt: 'New words here',
			tags: 'piano',
			title: 'Rain (edit)',
			infillStartS: 10.5,
			infillEndS: 30,
			fullLyrics: 'All the words',
			callBackUrl: UNUSED,
		});
		expect(sim.requests.some((request) => request.path === '/api/v1/generate/record-info')).toBe(true);
		expect(run.output('KIE')[0].json).toMatchObject({ model: 'suno/replace-section', state: 'success', tracks: [expect.anything(), expect.anything()] });
	});

	it('Generate Sounds and Generate Mashup (exactly 2 URLs)', async () => {
		const sounds = await runNode(sim, 'kieCreateTask', { model: model('suno/sounds'), prompt: 'rain on a tin roof', soundKey: 'Am', additionalFields: { soundTempo: 90 }, options: FAST });
		expect(sounds.error).toBeUndefined();
		expect(posts('/api/v1/generate/sounds')[0].body).toEqual({ prompt: 'rain on a tin roof', model: 'V5', soundLoop: false, soundTempo: 90, soundKey: 'Am', grabLyrics: false, callBackUrl: UNUSED });
		const mashup = await runNode(sim, 'kieCreateTask', { model: model('suno/mashup'), inputUrls: 'https://example.com/a.mp3, https://example.com/b.mp3', options: FAST });
		expect(mashup.error).toBeUndefined();
		expect(posts('/api/v1/generate/mashup')[0].body).toEqual({
			uploadUrlList: ['https://example.com/a.mp3', 'https://example.com/b.mp3'],
			customMode: false,
			model: 'V5',
			instrumental: false,
			callBackUrl: UNUSED,
		});
		expect(mashup.output('KIE')[0].json).toMatchObject({ state: 'success', model: 'suno/mashup' });
	});
});

describe('chains', () => {
	it('generate → WAV in one workflow: Convert to WAV reads the task and first track of the item before it', async () => {
		const run = await runWorkflow({
			nodeTypes: [KieCreateTask, KieGetTask],
			credentials: credentialsFor(sim),
			nodes: [
				{ name: 'Music', type: 'kieCreateTask', parameters: { model: model('suno/generate'), prompt: 'a song', options: FAST } },
				{ name: 'WAV', type: 'kieCreateTask', parameters: { model: model('suno/convert-to-wav'), options: FAST } },
			],
		});
		expect(run.error).toBeUndefined();
		const source = run.output('Music')[0].json;
		expect(posts('/api/v1/wav/generate')[0].body).toMatchObject({ taskId: source.taskId, audioId: (source.tracks as IDataObject[])[0].id });
		expect(run.output('WAV')[0].json).toMatchObject({ state: 'success', model: 'suno/convert-to-wav' });
	});

	it('generate → separation → MIDI: MIDI takes the separation task id by default; the result is data, no files', async () => {
		const source = await music();
		const separation = (await tool({ model: model('suno/separate-vocals') }, source)).output('KIE')[0].json;
		const all = await tool({ model: model('suno/generate-midi'), options: { downloadResults: true } }, separation);
		expect(all.error).toBeUndefined();
		expect(posts('/api/v1/midi/generate')[0].body).toEqual({ taskId: separation.taskId, callBackUrl: UNUSED });
		const item = all.output('KIE')[0];
		expect(item.json).toMatchObject({ model: 'suno/generate-midi', state: 'success', resultUrls: [] });
		expect((item.json.midi as IDataObject).instruments).toEqual([
			{ name: 'Drums', notes: [{ pitch: 36, start: 0.036458333333333336, end: 0.18229166666666666, velocity: 1 }] },
			{ name: 'Electric Bass (finger)', notes: [{ pitch: 44, start: 7.6875, end: 7.911458333333333, velocity: 0.8 }] },
		]);
		expect(item.binary).toBeUndefined();
		// One stem, by its id from the separation's stemIds.
		const stemId = (separation.stemIds as IDataObject).vocals as string;
		const one = await tool({ model: model('suno/generate-midi'), stemId }, separation);
		expect(posts('/api/v1/midi/generate')[1].body).toEqual({ taskId: separation.taskId, audioId: stemId, callBackUrl: UNUSED });
		expect(((one.output('KIE')[0].json.midi as IDataObject).instruments as IDataObject[]).length).toBe(1);
	});

	it('KIE Get Task finds each toolbox task with Auto, and reads it with its family', async () => {
		const source = await music();
		const wav = (await tool({ model: model('suno/convert-to-wav') }, source)).output('KIE')[0].json;
		const auto = await runNode(sim, 'kieGetTask', { taskId: wav.taskId as string });
		expect(auto.output('KIE')[0].json).toMatchObject({ taskId: wav.taskId, family: 'suno-wav', state: 'success', resultUrls: wav.resultUrls });
		const picked = await runNode(sim, 'kieGetTask', { taskId: wav.taskId as string, family: 'suno-wav' });
		expect(picked.output('KIE')[0].json).toMatchObject({ family: 'suno-wav', state: 'success' });
	});
});

describe('synchronous calls: the answer is the result, whatever the Completion mode', () => {
	it('Timestamped Lyrics, Generate Persona and Boost Style: the bodies and the answers; Submit Only says Completion did not apply', async () => {
		const source = await music();
		const audioId = (source.tracks as IDataObject[])[0].id;
		const lyrics = await tool({ model: model('suno/timestamped-lyrics'), completion: 'submit' }, source);
		expect(lyrics.error).toBeUndefined();
		expect(posts('/api/v1/generate/get-timestamped-lyrics')[0].body).toEqual({ taskId: source.taskId, audioId });
		expect(lyrics.output('KIE')[0].json).toMatchObject({ model: 'suno/timestamped-lyrics', state: 'success', alignedWords: expect.any(Array), hootCer: expect.any(Number) });
		expect(lyrics.output('KIE')[0].json.taskId).toBeUndefined();
		expect(infoHintsOf(lyrics).join(' ')).toMatch(/answers at once.*Completion "Submit Only" did not apply/);

		const persona = await tool({ model: model('suno/persona'), personaName: 'Rainy', personaDescription: 'Soft, breathy alto', vocalStart: 5, vocalEnd: 25 }, source);
		expect(persona.error).toBeUndefined();
		expect(posts('/api/v1/generate/generate-persona')[0].body).toEqual({ taskId: source.taskId, audioId, name: 'Rainy', description: 'Soft, breathy alto', vocalStart: 5, vocalEnd: 25 });
		expect(persona.output('KIE')[0].json).toMatchObject({ state: 'success', personaId: expect.any(String), name: 'Rainy' });
		// KIE makes one persona per track: its 409 is the item's error, with KIE's message.
		const again = await tool({ model: model('suno/persona'), personaName: 'Rainy', personaDescription: 'Soft' }, source, { continueOnFail: true });
		expect(again.output('KIE')[0].json.error).toMatch(/Persona already exists/);

		const style = await runNode(sim, 'kieCreateTask', { model: model('suno/boost-style'), content: 'Pop, Mysterious', completion: 'callback' });
		expect(style.error).toBeUndefined();
		expect(style.status).toBe('success');
		expect(posts('/api/v1/style/generate')[0].body).toEqual({ content: 'Pop, Mysterious' });
		expect(style.output('KIE')[0].json).toMatchObject({ model: 'suno/boost-style', state: 'success', style: expect.stringMatching(/^Pop, Mysterious/), creditsConsumed: 0.4 });
		expect(infoHintsOf(style).join(' ')).toMatch(/Completion "Wait for Callback" did not apply/);
	});
});

describe('synchronous calls: no task to reuse or to read later', () => {
	it('Reuse Results asks KIE again (there is no task to reuse); KIE Get Task offers no family for them', async () => {
		for (let i = 0; i < 2; i++) {
			const run = await runNode(sim, 'kieCreateTask', { model: model('suno/boost-style'), content: 'Pop, Mysterious', options: { ...FAST, reuseResults: true } });
			expect(run.status).toBe('success');
			expect(run.output('KIE')[0].json.reused).toBeUndefined();
		}
		expect(posts('/api/v1/style/generate')).toHaveLength(2);
		const family = new KieGetTask().description.properties.find((property) => property.name === 'family')!;
		const values = (family.options as Array<{ value: string }>).map((option) => option.value);
		expect(values).toEqual(expect.arrayContaining(['suno', 'suno-wav', 'suno-stems', 'suno-midi', 'suno-mp4', 'suno-cover']));
		expect(values).not.toContain('suno-sync');
	});
});

describe('checked before anything is paid', () => {
	const paid = () => sim.requests.filter((request) => request.method === 'POST');

	it.each([
		['suno/convert-to-wav', {}, {}, /"Task ID" \(parameter "taskId"\) is empty/, /KIE Create Task of a Suno music model/],
		['suno/separate-vocals', {}, { taskId: 'x' }, /"Audio ID" \(parameter "audioId"\) is empty/, /first track|Suno music model/],
		['suno/generate-midi', {}, {}, /"Task ID" \(parameter "taskId"\) is empty/, /Separate Vocals \/ Split Stems/],
		['suno/replace-section', { prompt: 'x', tags: 'y', title: 'z', infillStartS: 10, infillEndS: 12 }, { taskId: 't', tracks: [{ id: 'a' }] }, /spans 2 s; Suno · Replace Section takes 6–60 s/, /Nothing was sent/],
		['suno/replace-section', { prompt: 'x', tags: 'y', title: 'z', infillStartS: 30, infillEndS: 20 }, { taskId: 't', tracks: [{ id: 'a' }] }, /"Start \(Seconds\)" \(30\) must be less than "End \(Seconds\)" \(20\)/, /Nothing was sent/],
		['suno/replace-section', { prompt: 'x', tags: 'y', title: 'z', infillStartS: 0, infillEndS: 61 }, { taskId: 't', tracks: [{ id: 'a' }] }, /spans 61 s/, /Nothing was sent/],
		['suno/replace-section', { prompt: 'x', tags: 'y', title: 'z', infillStartS: 20, infillEndS: 70 }, { taskId: 't', tracks: [{ id: 'a', duration: 90 }] }, /spans 50 s, more than 50 % of the 90 s track/, /Nothing was sent/],
		['suno/replace-section', { prompt: 'x', tags: 'y', title: 'z', infillStartS: 80, infillEndS: 100 }, { taskId: 't', tracks: [{ id: 'a', duration: 90 }] }, /"End \(Seconds\)" \(100\) is after the end of the track \(90 s\)/, /Nothing was sent/],
		['suno/persona', { personaName: 'n', personaDescription: 'd', vocalStart: 0, vocalEnd: 40 }, { taskId: 't', tracks: [{ id: 'a' }] }, /spans 40 s; Suno · Generate Persona takes 10–30 s/, /Nothing was sent/],
		['suno/music-video', { author: 'x'.repeat(51) }, { taskId: 't', tracks: [{ id: 'a' }] }, /"Author".*at most 50 characters/, /Nothing was sent/],
		['suno/mashup', { inputUrls: 'https://example.com/a.mp3' }, {}, /"Audio URLs".*needs at least 2 items/, /Nothing was sent/],
	])('%s %j with input %j', async (id, parameters, input, message, description) => {
		const run = await tool({ model: model(id), ...parameters }, input);
		expect(run.error?.message).toMatch(message);
		expect((run.error as { description?: string }).description).toMatch(description);
		expect(paid()).toHaveLength(0);
	});

	it('an unknown task or track id is KIE\'s 404 (the simulator as KIE)', async () => {
		const source = await music();
		const run = await tool({ model: model('suno/convert-to-wav'), audioId: 'not-a-track' }, source, { continueOnFail: true });
		expect(run.output('KIE')[0].json.error).toMatch(/could not find|not a track/i);
	});
});

describe('Wait for Callback', () => {
	/** Runs Create Task with "Wait for Callback" on the input item, up to the wait. */
	async function waitFor(parameters: INodeParameters, input: IDataObject) {
		const run = await runWorkflow({
			nodeTypes: [KieCreateTask],
			credentials: credentialsFor(sim),
			nodes: [{ name: 'KIE', type: 'kieCreateTask', parameters: { ...parameters, completion: 'callback', options: { downloadResults: true } } }],
			input: [{ json: input }],
			webhookBaseUrl: `${receiver.baseUrl}/`,
		});
		expect(run.status).toBe('waiting');
		return run;
	}

	it('WAV: the callback {task_id, audioWavUrl} resumes the execution; the same callback twice resumes once', async () => {
		const source = await music();
		sim.nextTask({ genMs: 600 });
		const waiting = await waitFor({ model: model('suno/convert-to-wav') }, source);
		const [callback] = await receiver.waitFor(1, 10_000);
		expect(normalizeCallback(callback.body as IDataObject)).toMatchObject({ family: 'suno-wav', result: { state: 'success' } });
		const [first] = await deliverCallbacks(waiting, [callback]);
		expect(first.resumed).toBe(true);
		const [item] = first.run!.output('KIE');
		expect(item.json).toMatchObject({ model: 'suno/convert-to-wav', state: 'success', resultUrls: [expect.stringMatching(/\.wav$/)] });
		expect(item.binary!.data.mimeType).toBe('audio/wav');
		const [second] = await deliverCallbacks(waiting, [callback]);
		expect(second.resumed).toBe(false);
	});

	it('split stems: the callback {task_id, vocal_separation_info} resumes it with one file per stem', async () => {
		const source = await music();
		sim.nextTask({ genMs: 600 });
		const waiting = await waitFor({ model: model('suno/separate-vocals'), separationType: 'split_stem' }, source);
		const [callback] = await receiver.waitFor(1, 10_000);
		expect(((callback.body as IDataObject).data as IDataObject).vocal_separation_info).toBeTruthy();
		const [answer] = await deliverCallbacks(waiting, [callback]);
		expect(answer.resumed).toBe(true);
		const [item] = answer.run!.output('KIE');
		expect(Object.keys(item.json.stems as IDataObject)).toHaveLength(12);
		expect(Object.values(item.binary!).map((file) => file.fileName)).toContain('drums.mp3');
	});

	it('a failed separation: the failure callback resumes it with the task\'s error', async () => {
		const source = await music();
		sim.nextTask({ genMs: 600, fail: { failCode: '500', failMsg: 'Vocal separation failed' } });
		const waiting = await waitFor({ model: model('suno/separate-vocals') }, source);
		const [callback] = await receiver.waitFor(1, 10_000);
		expect(callback.body).toMatchObject({ code: 500, data: { vocal_separation_info: null } });
		const [answer] = await deliverCallbacks(waiting, [callback]);
		expect(answer.resumed).toBe(true);
		expect(answer.run!.output('KIE')[0].json).toMatchObject({ state: 'failed', error: expect.stringMatching(/failed at KIE/) });
	});
});

describe('KIE Trigger', () => {
	it('Submit Only to a KIE Trigger: the stems callback becomes the stems and one file per stem', async () => {
		const HMAC = 'whk_suno_tools_key';
		const source = await music();
		const submitted = await tool({ model: model('suno/separate-vocals'), completion: 'submit', options: { callBackUrl: receiver.url } }, source);
		const taskId = submitted.output('KIE')[0].json.taskId as string;
		expect(submitted.output('KIE')[0].json).toMatchObject({ model: 'suno/separate-vocals', state: 'pending' });
		const [callback] = await receiver.waitFor(1, 10_000);
		const at = Math.floor(Date.now() / 1000);
		const trigger = await runWebhook(
			KieTrigger,
			{ options: { downloadResults: true } } as never,
			{ kieApi: { apiKey: SIM_ACCOUNT, baseUrl: sim.url, uploadBaseUrl: sim.url, webhookHmacKey: HMAC } },
			{
				method: 'POST',
				body: callback.body as IDataObject,
				headers: { 'x-webhook-timestamp': String(at), 'x-webhook-signature': signCallback(HMAC, taskId, at), 'content-type': 'application/json' },
			},
			{ staticData: {}, workflowId: 'suno-tools-trigger' },
		);
		const [item] = trigger.workflowData![0];
		expect(item.json).toMatchObject({ taskId, state: 'success', family: 'suno-stems', stems: { vocals: expect.any(String), instrumental: expect.any(String) } });
		expect(Object.values(item.binary!).map((file) => file.fileName)).toEqual(['vocals.mp3', 'instrumental.mp3']);
	});
});
