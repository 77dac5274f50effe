import { detectCallbackFamily, FAMILIES, normalizeCallback } from '../../../nodes/shared/families';
import { SUNO, SUNO_LYRICS } from '../../../nodes/shared/families/suno';
import { stemsOf, SUNO_COVER, SUNO_MIDI, SUNO_MP4, SUNO_STEMS, SUNO_SYNC, SUNO_WAV } from '../../../nodes/shared/families/sunoTools';

// Records and callbacks as KIE's Suno pages show them (docs/research/suno-toolbox.md §1–§7).
const WAV_RECORD = {
	taskId: '988e****c8d3',
	musicId: 'e231****-****-****-****-****8cadc7dc',
	callbackUrl: 'https://api.example.com/callback',
	musicIndex: 0,
	completeTime: '2025-01-01 00:10:00',
	response: { audioWavUrl: 'https://example.com/s/04e6****e727.wav' },
	successFlag: 'SUCCESS',
	createTime: '2025-01-01 00:00:00',
	errorCode: null,
	errorMessage: null,
};

const STEMS_RECORD = {
	taskId: '3e63b4cc88d52611159371f6af5571e7',
	musicId: '376c687e-d439-42c1-b1e4-bcb43b095ec2',
	callbackUrl: 'https://example.com/cb',
	musicIndex: 0,
	completeTime: 1753782937000,
	response: {
		id: null,
		originUrl: null,
		originData: [
			{ duration: 245.6, audio_url: 'https://file.aiquickdraw.com/s/a_Vocals.mp3', stem_type_group_name: 'Vocals', id: '3d7021c9-1' },
			{ duration: 245.6, audio_url: 'https://file.aiquickdraw.com/s/a_Instrumental.mp3', stem_type_group_name: 'Instrumental', id: '3d7021c9-2' },
		],
		instrumentalUrl: 'https://file.aiquickdraw.com/s/a_Instrumental.mp3',
		vocalUrl: 'https://file.aiquickdraw.com/s/a_Vocals.mp3',
		backingVocalsUrl: null,
		drumsUrl: null,
		bassUrl: null,
		guitarUrl: null,
		pianoUrl: null,
		keyboardUrl: null,
		percussionUrl: null,
		stringsUrl: null,
		synthUrl: null,
		fxUrl: null,
		brassUrl: null,
		woodwindsUrl: null,
	},
	successFlag: 'SUCCESS',
	createTime: 1753782854000,
	errorCode: null,
	errorMessage: null,
};

const MIDI_RECORD = {
	taskId: '5c79****be8e',
	recordTaskId: -1,
	audioId: 'e231****-****-****-****-****8cadc7dc',
	callbackUrl: 'https://example.callback',
	completeTime: 1760335255000,
	midiData: {
		state: 'complete',
		instruments: [
			{ name: 'Drums', notes: [{ pitch: 73, start: 0.036458333333333336, end: 0.18229166666666666, velocity: 1 }] },
			{ name: 'Electric Bass (finger)', notes: [{ pitch: 44, start: 7.6875, end: 7.911458333333333, velocity: 1 }] },
		],
	},
	successFlag: 1,
	createTime: 1760335251000,
	errorCode: null,
	errorMessage: null,
};

const COVER_RECORD = {
	taskId: '21aee3c3c2a01fa5e030b3799fa4dd56',
	parentTaskId: '73d6128b3523a0079df10da9471017c8',
	callbackUrl: 'https://api.example.com/callback',
	completeTime: '2025-01-15T10:35:27.000Z',
	response: { images: ['https://tempfile.aiquickdraw.com/s/1.png', 'https://tempfile.aiquickdraw.com/s/2.png'] },
	successFlag: 1,
	createTime: '2025-01-15T10:33:01.000Z',
	errorCode: 200,
	errorMessage: '',
};

const MP4_RECORD = { ...WAV_RECORD, response: { videoUrl: 'https://example.com/s/04e6****e727.mp4' } };

describe('Suno toolbox records', () => {
	it('WAV: string successFlag, response.audioWavUrl, "YYYY-MM-DD HH:mm:ss" times', () => {
		expect(SUNO_WAV.normalize(WAV_RECORD, { taskId: 'x' })).toMatchObject({
			taskId: '988e****c8d3',
			model: 'suno/convert-to-wav',
			state: 'success',
			resultUrls: ['https://example.com/s/04e6****e727.wav'],
			createTime: '2025-01-01T00:00:00.000Z',
			completeTime: '2025-01-01T00:10:00.000Z',
		});
		// The spellings clients read besides (audio_wav_url, wavUrl, wav_url).
		for (const key of ['audio_wav_url', 'wavUrl', 'wav_url']) {
			expect(SUNO_WAV.normalize({ ...WAV_RECORD, response: { [key]: 'https://e.com/a.wav' } }, { taskId: 'x' }).resultUrls).toEqual(['https://e.com/a.wav']);
		}
		expect(SUNO_WAV.normalize({ ...WAV_RECORD, successFlag: 'PENDING', response: null }, { taskId: 'x' })).toMatchObject({ state: 'pending', resultUrls: [], completeTime: null });
		expect(SUNO_WAV.normalize({ ...WAV_RECORD, successFlag: 'GENERATE_WAV_FAILED', response: null, errorCode: 500, errorMessage: 'boom' }, { taskId: 'x' })).toMatchObject({
			taskId: '988e****c8d3',
			state: 'failed',
			failCode: '500',
			failMsg: 'boom',
		});
		// No errorCode / errorMessage: the flag names the failure; the task id is the one asked for when the record has none.
		expect(SUNO_WAV.normalize({ successFlag: 'CALLBACK_EXCEPTION' }, { taskId: 'asked' })).toMatchObject({ taskId: 'asked', state: 'failed', failCode: 'CALLBACK_EXCEPTION', failMsg: 'CALLBACK_EXCEPTION' });
	});

	it('stems: every stem URL by name (epoch-ms times, null stems left out), stemIds from originData', () => {
		const result = SUNO_STEMS.normalize(STEMS_RECORD, { taskId: 'x' });
		expect(result).toMatchObject({
			state: 'success',
			stems: { vocals: 'https://file.aiquickdraw.com/s/a_Vocals.mp3', instrumental: 'https://file.aiquickdraw.com/s/a_Instrumental.mp3' },
			resultUrls: ['https://file.aiquickdraw.com/s/a_Vocals.mp3', 'https://file.aiquickdraw.com/s/a_Instrumental.mp3'],
			stemIds: { vocals: '3d7021c9-1', instrumental: '3d7021c9-2' },
			createTime: '2025-07-29T09:54:14.000Z',
		});
		// split_stem, with the record's own pianoUrl (the callback has none).
		const split = SUNO_STEMS.normalize(
			{ ...STEMS_RECORD, response: { ...STEMS_RECORD.response, instrumentalUrl: null, drumsUrl: 'https://e.com/d.mp3', pianoUrl: 'https://e.com/p.mp3', fxUrl: 'https://e.com/fx.mp3' } },
			{ taskId: 'x' },
		);
		expect(Object.keys(split.stems as object)).toEqual(['vocals', 'drums', 'piano', 'fx']);
		expect(SUNO_STEMS.normalize({ ...STEMS_RECORD, successFlag: 'PENDING', response: null }, { taskId: 'x' })).toMatchObject({ state: 'pending', resultUrls: [] });
		expect(SUNO_STEMS.normalize({ ...STEMS_RECORD, successFlag: 'GENERATE_AUDIO_FAILED', response: null, errorCode: 500, errorMessage: 'Vocal separation failed' }, { taskId: 'x' })).toMatchObject({
			state: 'failed',
			failCode: '500',
			failMsg: 'Vocal separation failed',
		});
		expect(SUNO_STEMS.normalize({ ...STEMS_RECORD, successFlag: 'GENERATE_AUDIO_FAILED' }, { taskId: 'x' }).stems).toBeUndefined();
	});

	it('MIDI: integer successFlag (0, 1, 2 create failed, 3 failed), midiData as midi, no files', () => {
		expect(SUNO_MIDI.normalize(MIDI_RECORD, { taskId: 'x' })).toMatchObject({ state: 'success', resultUrls: [], midi: MIDI_RECORD.midiData });
		expect(SUNO_MIDI.normalize({ ...MIDI_RECORD, successFlag: 0, midiData: null }, { taskId: 'x' }).state).toBe('pending');
		expect(SUNO_MIDI.normalize({ ...MIDI_RECORD, successFlag: 2, midiData: null, errorCode: 'E1', errorMessage: 'create failed' }, { taskId: 'x' })).toMatchObject({ state: 'failed', failCode: 'E1', failMsg: 'create failed' });
		expect(SUNO_MIDI.normalize({ ...MIDI_RECORD, successFlag: 3, midiData: null }, { taskId: 'x' })).toMatchObject({ state: 'failed', failCode: '3' });
	});

	it('cover image: integer successFlag where 2 fails only with an error named (the docs disagree on 2); ISO times', () => {
		expect(SUNO_COVER.normalize(COVER_RECORD, { taskId: 'x' })).toMatchObject({ state: 'success', resultUrls: COVER_RECORD.response.images, completeTime: '2025-01-15T10:35:27.000Z' });
		expect(SUNO_COVER.normalize({ ...COVER_RECORD, successFlag: 2, response: null }, { taskId: 'x' }).state).toBe('pending');
		expect(SUNO_COVER.normalize({ ...COVER_RECORD, successFlag: 2, response: null, errorCode: 500, errorMessage: 'create failed' }, { taskId: 'x' })).toMatchObject({ state: 'failed', failMsg: 'create failed' });
		expect(SUNO_COVER.normalize({ ...COVER_RECORD, successFlag: 3, response: null, errorCode: 501, errorMessage: 'Cover generation failed' }, { taskId: 'x' })).toMatchObject({ state: 'failed', failCode: '501' });
		expect(SUNO_COVER.normalize({ ...COVER_RECORD, successFlag: 0, response: null }, { taskId: 'x' }).state).toBe('pending');
	});

	it('music video: string successFlag, response.videoUrl; GENERATE_MP4_FAILED fails', () => {
		expect(SUNO_MP4.normalize(MP4_RECORD, { taskId: 'x' })).toMatchObject({ state: 'success', model: 'suno/music-video', resultUrls: ['https://example.com/s/04e6****e727.mp4'] });
		expect(SUNO_MP4.normalize({ ...MP4_RECORD, successFlag: 'GENERATE_MP4_FAILED', response: null }, { taskId: 'x' }).state).toBe('failed');
	});

	it('synchronous answers: the data is the result; Boost Style\'s "2" fails and its text is style', () => {
		const style = SUNO_SYNC.normalize(
			{ taskId: 't1', param: '{"content":"Pop"}', result: 'Pop, dreamy', creditsConsumed: 0.4, creditsRemaining: 99.6, successFlag: '1', errorCode: null, errorMessage: null, createTime: '2025-01-01 00:00:00' },
			{ taskId: '', model: 'suno/boost-style' },
		);
		expect(style).toMatchObject({ taskId: 't1', model: 'suno/boost-style', state: 'success', style: 'Pop, dreamy', creditsConsumed: 0.4, remainedCredits: 99.6 });
		expect(style.result).toBeUndefined();
		expect(SUNO_SYNC.normalize({ taskId: 't1', successFlag: '2', errorCode: 400, errorMessage: 'bad style' }, { taskId: '', model: 'suno/boost-style' })).toMatchObject({ state: 'failed', failCode: '400', failMsg: 'bad style' });
		expect(SUNO_SYNC.normalize({ personaId: 'p1', name: 'n', description: 'd' }, { taskId: '', model: 'suno/persona' })).toMatchObject({ state: 'success', personaId: 'p1', name: 'n' });
		expect(FAMILIES['suno-sync'].synchronous).toBe(true);
	});

	it('a synchronous answer cannot replace the result\'s own fields: state, URLs, model and record stay the node\'s', () => {
		const hostile = JSON.parse('{"personaId":"p1","state":"success","resultUrls":"https://evil.example/x","model":"other","raw":{"a":1},"failMsg":"x","__proto__":{"polluted":true}}');
		const result = SUNO_SYNC.normalize(hostile, { taskId: '', model: 'suno/persona' });
		expect(result).toMatchObject({ state: 'success', personaId: 'p1', model: 'suno/persona', resultUrls: [], failMsg: null });
		expect(result.raw).not.toEqual({ a: 1 });
		expect(({} as Record<string, unknown>).polluted).toBeUndefined();
		expect(Object.getPrototypeOf(result)).toBe(Object.prototype);
	});
});

describe('Suno music output: the tracks for the toolbox ids', () => {
	it('record and complete callback give tracks [{id, audioUrl, title, duration}]; lyrics and a running task none', () => {
		const record = { taskId: 't', status: 'SUCCESS', response: { sunoData: [{ id: 'a1', audioUrl: 'https://e.com/1.mp3', title: 'T', duration: 198.44, modelName: 'chirp-v4-5' }] } };
		expect(SUNO.normalize(record, { taskId: 't' }).tracks).toEqual([{ id: 'a1', audioUrl: 'https://e.com/1.mp3', title: 'T', duration: 198.44 }]);
		expect(SUNO.normalize({ taskId: 't', status: 'PENDING', response: { sunoData: [] } }, { taskId: 't' }).tracks).toBeUndefined();
		const callback = normalizeCallback({ code: 200, msg: 'All generated successfully.', data: { callbackType: 'complete', task_id: 't', data: [{ id: 'a1', audio_url: 'https://e.com/1.mp3', title: 'T', duration: 198.44 }] } });
		expect(callback.result.tracks).toEqual([{ id: 'a1', audioUrl: 'https://e.com/1.mp3', title: 'T', duration: 198.44 }]);
		expect(SUNO_LYRICS.normalize({ taskId: 'l', status: 'SUCCESS', response: { data: [{ text: 'x', title: 'y', status: 'complete' }] } }, { taskId: 'l' }).tracks).toBeUndefined();
	});
});

describe('Suno toolbox callbacks', () => {
	it('WAV {task_id, audioWavUrl} (mixed casing); failure audioWavUrl null', () => {
		const ok = { code: 200, msg: 'success', data: { audioWavUrl: 'https://example.com/s/a.wav', task_id: '988e****c8d3' } };
		expect(normalizeCallback(ok)).toMatchObject({ family: 'suno-wav', result: { taskId: '988e****c8d3', state: 'success', resultUrls: ['https://example.com/s/a.wav'] } });
		const failed = { code: 500, msg: 'Internal Error - Please try again later', data: { audioWavUrl: null, task_id: '988e****c8d3' } };
		expect(normalizeCallback(failed)).toMatchObject({ family: 'suno-wav', result: { taskId: '988e****c8d3', state: 'failed', failCode: '500', failMsg: 'Internal Error - Please try again later', resultUrls: [] } });
	});

	it('stems {task_id, vocal_separation_info} for both types; failure info null ("Vocal" and "Instrument separation failed")', () => {
		const vocal = { code: 200, msg: 'vocal separation generated successfully.', data: { task_id: 's1', vocal_separation_info: { instrumental_url: 'https://e.com/i.mp3', origin_url: '', vocal_url: 'https://e.com/v.mp3' } } };
		expect(normalizeCallback(vocal)).toMatchObject({ family: 'suno-stems', result: { taskId: 's1', state: 'success', stems: { vocals: 'https://e.com/v.mp3', instrumental: 'https://e.com/i.mp3' } } });
		const info = Object.fromEntries(['origin', 'vocal', 'backing_vocals', 'drums', 'bass', 'guitar', 'keyboard', 'percussion', 'strings', 'synth', 'fx', 'brass', 'woodwinds'].map((stem) => [`${stem}_url`, `https://e.com/${stem}.mp3`]));
		const split = normalizeCallback({ code: 200, msg: 'ok', data: { task_id: 's2', vocal_separation_info: info } });
		expect(Object.keys(split.result.stems as object)).toEqual(['vocals', 'backing_vocals', 'drums', 'bass', 'guitar', 'keyboard', 'percussion', 'strings', 'synth', 'fx', 'brass', 'woodwinds']);
		expect(split.result.resultUrls).not.toContain('https://e.com/origin.mp3');
		for (const msg of ['Vocal separation failed', 'Instrument separation failed']) {
			expect(normalizeCallback({ code: 500, msg, data: { task_id: 's3', vocal_separation_info: null } })).toMatchObject({ family: 'suno-stems', result: { taskId: 's3', state: 'failed', failCode: '500', failMsg: msg } });
		}
		expect(stemsOf(null)).toEqual({});
	});

	it('MIDI {taskId, state, instruments} without a midiData wrapper, start/end as strings; failure {taskId} named by its message', () => {
		const ok = { code: 200, msg: 'success', data: { taskId: 'm1', state: 'complete', instruments: [{ name: 'Drums', notes: [{ pitch: 73, start: '0.036458333333333336', end: '0.18229166666666666', velocity: 1 }] }] } };
		expect(normalizeCallback(ok)).toMatchObject({
			family: 'suno-midi',
			result: { taskId: 'm1', state: 'success', midi: { state: 'complete', instruments: [{ name: 'Drums', notes: [{ pitch: 73, start: 0.036458333333333336, end: 0.18229166666666666, velocity: 1 }] }] } },
		});
		expect(normalizeCallback({ code: 500, msg: 'MIDI generation failed', data: { taskId: 'm2' } })).toMatchObject({ family: 'suno-midi', result: { taskId: 'm2', state: 'failed', failCode: '500' } });
	});

	it('music video {task_id, video_url} (code 200, and 0 as the YAML says); failure video_url null', () => {
		expect(normalizeCallback({ code: 200, msg: 'success', data: { task_id: 'v1', video_url: 'https://e.com/v.mp4' } })).toMatchObject({ family: 'suno-mp4', result: { state: 'success', resultUrls: ['https://e.com/v.mp4'] } });
		expect(normalizeCallback({ code: 0, msg: '', data: { task_id: 'v1', video_url: 'https://e.com/v.mp4' } }).result.state).toBe('success');
		expect(normalizeCallback({ code: 500, msg: 'Internal Error - Please try again later', data: { task_id: 'v2', video_url: null } })).toMatchObject({ family: 'suno-mp4', result: { state: 'failed', taskId: 'v2' } });
	});

	it('cover image {taskId, images} (camelCase); failure 501 images null', () => {
		expect(normalizeCallback({ code: 200, data: { images: ['https://e.com/1.png', 'https://e.com/2.png'], taskId: 'c1' }, msg: 'success' })).toMatchObject({ family: 'suno-cover', result: { taskId: 'c1', state: 'success', resultUrls: ['https://e.com/1.png', 'https://e.com/2.png'] } });
		expect(normalizeCallback({ code: 501, msg: 'Cover generation failed', data: { taskId: 'c2', images: null } })).toMatchObject({ family: 'suno-cover', result: { state: 'failed', failCode: '501', failMsg: 'Cover generation failed' } });
	});

	it('replace section: complete in the staged Suno shape; its failure {callbackType: error, error} is a failure', () => {
		const failed = normalizeCallback({ code: 501, msg: 'Audio generation failed.', data: { callbackType: 'error', task_id: 'r1', error: 'Generation failed due to technical issues' } });
		expect(failed).toMatchObject({ family: 'suno', stage: 'error', result: { taskId: 'r1', state: 'failed', failCode: '501', failMsg: 'Audio generation failed.' } });
	});

	it('steals no other family\'s callback: Runway, Veo 4K failure, Market, 4o keep theirs', () => {
		expect(detectCallbackFamily({ code: 200, msg: 'All generated successfully.', data: { task_id: 'rw', video_id: 'v', video_url: 'https://f.com/a.mp4', image_url: 'https://f.com/a.png' } })).toBe('runway');
		expect(detectCallbackFamily({ code: 500, msg: 'The 4K version of this video is unavailable.', data: { taskId: 'veo' } })).toBe('veo');
		expect(detectCallbackFamily({ code: 200, msg: 'ok', data: { taskId: 'mk', state: 'success', resultJson: '{}' } })).toBe('market');
		expect(detectCallbackFamily({ code: 200, msg: 'ok', data: { taskId: '4o', info: { result_urls: ['https://e.com/a.png'] } } })).toBe('4o');
		// A bare {taskId} without a word about MIDI tells no family.
		expect(detectCallbackFamily({ code: 500, msg: 'failed', data: { taskId: 'x' } })).toBe('unknown');
	});
});
