'use strict';

/**
 * Suno's toolbox on an existing track, for the simulator (KIE's Suno API pages, summed up with their
 * sources in docs/research/suno-toolbox.md): Convert to WAV, Separate Vocals / Split Stems, Generate MIDI,
 * Create Music Video, Generate Cover Image (async, each with its own record and callback shape), Replace
 * Section, Generate Sounds and Generate Mashup (music tasks, read with /api/v1/generate/record-info), and
 * the synchronous Timestamped Lyrics, Generate Persona and Boost Style.
 *
 * Every request is validated strictly (required fields, types, lengths, enums, the documented rules) and
 * refused as KIE does: HTTP 200 with the error `code` in the body. The task and audio ids must name a
 * finished Suno music task of this simulator and one of its tracks (404 otherwise); MIDI takes a finished
 * separation task. Records progress over time; result files are real (WAV, MP3 stems, MP4, PNG).
 *
 * Decisions where the docs are silent or disagree (kept in one place):
 * - Record times: WAV and video "YYYY-MM-DD HH:mm:ss", stems and MIDI epoch ms, cover image ISO (as each
 *   page's example). A record has `response: null` (`midiData: null`) until the task succeeded.
 * - The cover image's `successFlag` is 0 while running, 1 done, 3 failed (2 is never sent: the docs
 *   disagree on it). A second cover of the same music task answers 400 "Cover already generated for this
 *   task" with the existing task id in `data`.
 * - A second persona of the same track answers 409 "Persona already exists for this music".
 * - Replace Section's `fullLyrics` is optional (the page's prose) and its callback comes only when
 *   complete; its failure callback is `{callbackType: "error", task_id, error}` (no `data.data`).
 * - Separate Vocals' `type` defaults to separate_vocal (the schema; the prose calls it required).
 * - The WAV page's 409 ("WAV record already exists") is not simulated: what it answers is undocumented.
 */

const crypto = require('crypto');

const { validateSchema, isPlainObject } = require('./validate');
const families = require('./families');

const { addRoutes, readRecord, hookFamilies, newFamilyTask, progress, spaced, iso, uuid, obj, sunoCommon, SUNO_VERSIONS } = families;

const ROUTES = {
	'/api/v1/wav/generate': { method: 'POST', route: 'wavGenerate' },
	'/api/v1/wav/record-info': { method: 'GET', route: 'wavRecordInfo' },
	'/api/v1/vocal-removal/generate': { method: 'POST', route: 'stemsGenerate' },
	'/api/v1/vocal-removal/record-info': { method: 'GET', route: 'stemsRecordInfo' },
	'/api/v1/midi/generate': { method: 'POST', route: 'midiGenerate' },
	'/api/v1/midi/record-info': { method: 'GET', route: 'midiRecordInfo' },
	'/api/v1/mp4/generate': { method: 'POST', route: 'mp4Generate' },
	'/api/v1/mp4/record-info': { method: 'GET', route: 'mp4RecordInfo' },
	'/api/v1/suno/cover/generate': { method: 'POST', route: 'coverGenerate' },
	'/api/v1/suno/cover/record-info': { method: 'GET', route: 'coverRecordInfo' },
	'/api/v1/generate/replace-section': { method: 'POST', route: 'sunoReplaceSection' },
	'/api/v1/generate/sounds': { method: 'POST', route: 'sunoSounds' },
	'/api/v1/generate/mashup': { method: 'POST', route: 'sunoMashup' },
	'/api/v1/generate/get-timestamped-lyrics': { method: 'POST', route: 'timestampedLyrics' },
	'/api/v1/generate/generate-persona': { method: 'POST', route: 'generatePersona' },
	'/api/v1/style/generate': { method: 'POST', route: 'boostStyle' },
};

const uri = { type: 'string', format: 'uri' };
const id = { type: 'string', 'x-notEmpty': true };
const str = { type: 'string' };
const bool = { type: 'boolean' };
const SOUND_KEYS = ['Any', 'Cm', 'C#m', 'Dm', 'D#m', 'Em', 'Fm', 'F#m', 'Gm', 'G#m', 'Am', 'A#m', 'Bm', 'C', 'C#', 'D', 'D#', 'E', 'F', 'F#', 'G', 'G#', 'A', 'A#', 'B'];

const SCHEMAS = {
	wavGenerate: obj(['taskId', 'audioId', 'callBackUrl'], { taskId: id, audioId: id, callBackUrl: uri }),
	stemsGenerate: obj(['taskId', 'audioId', 'callBackUrl'], {
		taskId: id,
		audioId: id,
		type: { type: 'string', enum: ['separate_vocal', 'split_stem'] },
		callBackUrl: uri,
	}),
	midiGenerate: obj(['taskId', 'callBackUrl'], { taskId: id, audioId: id, callBackUrl: uri }),
	mp4Generate: obj(['taskId', 'audioId', 'callBackUrl'], {
		taskId: id,
		audioId: id,
		author: { type: 'string', maxLength: 50 },
		domainName: { type: 'string', maxLength: 50 },
		callBackUrl: uri,
	}),
	coverGenerate: obj(['taskId', 'callBackUrl'], { taskId: id, callBackUrl: uri }),
	sunoReplaceSection: obj(['taskId', 'audioId', 'prompt', 'tags', 'title', 'infillStartS', 'infillEndS'], {
		taskId: id,
		audioId: id,
		prompt: { ...str, 'x-notEmpty': true },
		tags: { ...str, 'x-notEmpty': true },
		title: { ...str, 'x-notEmpty': true, maxLength: 100 },
		infillStartS: { type: 'number', minimum: 0 },
		infillEndS: { type: 'number', minimum: 0 },
		fullLyrics: str,
		negativeTags: str,
		callBackUrl: uri,
	}),
	sunoSounds: obj(['prompt', 'model'], {
		prompt: { ...str, 'x-notEmpty': true, maxLength: 500 },
		model: { type: 'string', enum: ['V5', 'V5_5'] },
		soundLoop: bool,
		soundTempo: { type: 'integer', minimum: 1, maximum: 300 },
		soundKey: { type: 'string', enum: SOUND_KEYS },
		grabLyrics: bool,
		callBackUrl: uri,
	}),
	sunoMashup: obj(['uploadUrlList', 'customMode', 'model', 'callBackUrl'], {
		...sunoCommon,
		uploadUrlList: { type: 'array', minItems: 2, maxItems: 2, items: uri },
		customMode: bool,
		instrumental: bool,
		model: { type: 'string', enum: SUNO_VERSIONS },
		title: { type: 'string', maxLength: 80 },
	}),
	timestampedLyrics: obj(['taskId', 'audioId'], { taskId: id, audioId: id }),
	generatePersona: obj(['taskId', 'audioId', 'name', 'description'], {
		taskId: id,
		audioId: id,
		name: { ...str, 'x-notEmpty': true },
		description: { ...str, 'x-notEmpty': true },
		vocalStart: { type: 'number', minimum: 0 },
		vocalEnd: { type: 'number', minimum: 0 },
		style: str,
	}),
	boostStyle: obj(['content'], { content: { ...str, 'x-notEmpty': true } }),
};

/** What each async create makes: family, files, the music record `type` of the music ones. */
const CREATES = {
	wavGenerate: { family: 'suno-wav', files: ['wav'] },
	stemsGenerate: { family: 'suno-stems', files: [] },
	midiGenerate: { family: 'suno-midi', files: [] },
	mp4Generate: { family: 'suno-mp4', files: ['video'] },
	coverGenerate: { family: 'suno-cover', files: ['image', 'image'] },
	sunoReplaceSection: { family: 'suno', files: ['audio', 'audio', 'image', 'image'], type: 'REPLACE_SECTION', completeOnly: true },
	sunoSounds: { family: 'suno', files: ['audio', 'audio', 'image', 'image'], type: 'SOUNDS' },
	sunoMashup: { family: 'suno', files: ['audio', 'audio', 'image', 'image'], type: 'MASHUP' },
};
const RECORDS = {
	wavRecordInfo: 'suno-wav',
	stemsRecordInfo: 'suno-stems',
	midiRecordInfo: 'suno-midi',
	mp4RecordInfo: 'suno-mp4',
	coverRecordInfo: 'suno-cover',
};
const SYNC = new Set(['timestampedLyrics', 'generatePersona', 'boostStyle']);
const FAMILY_NAMES = new Set(Object.values(RECORDS));

/** The stems of each separation type, as the callback names them (`<stem>_url`). */
const STEMS = {
	separate_vocal: ['vocal', 'instrumental'],
	split_stem: ['vocal', 'backing_vocals', 'drums', 'bass', 'guitar', 'keyboard', 'percussion', 'strings', 'synth', 'fx', 'brass', 'woodwinds'],
};
/** The record's keys (camelCase), every one present (null when the type has no such stem); `piano` is the record's alone. */
const RECORD_STEMS = ['instrumental', 'vocal', 'backing_vocals', 'drums', 'bass', 'guitar', 'piano', 'keyboard', 'percussion', 'strings', 'synth', 'fx', 'brass', 'woodwinds'];
const camel = (snake) => snake.replace(/_([a-z])/g, (_, c) => c.toUpperCase());
const GROUP_NAMES = { vocal: 'Vocals', instrumental: 'Instrumental', backing_vocals: 'Backing Vocals', fx: 'FX' };
const groupName = (stem) => GROUP_NAMES[stem] || stem.charAt(0).toUpperCase() + stem.slice(1);

/** The tracks that have a persona (one persona per track). */
function personas(sim) {
	if (!sim._personas) sim._personas = new Map();
	return sim._personas;
}

function invalid(code, msg) {
	return { ok: false, code, msg };
}

/** A finished Suno music task of this simulator and, with `audioId`, one of its tracks. */
function musicTrack(sim, taskId, audioId) {
	const task = sim.tasks.get(taskId);
	if (!task || task.family !== 'suno') return invalid(404, `Music task ${taskId} not found`);
	if (!sim._isTerminal(task) || task.outcome !== 'success') return invalid(422, 'The music task has not completed successfully');
	if (audioId === undefined) return { ok: true, task };
	const track = task.tracks.find((t) => t.id === audioId);
	if (!track) return invalid(404, `audioId ${audioId} is not a track of task ${taskId}`);
	return { ok: true, task, track };
}

/** The documented rules beyond the schema; `{ok, task, track}` of the source when there is one. */
function rules(sim, route, body) {
	switch (route) {
		case 'wavGenerate':
		case 'stemsGenerate':
		case 'mp4Generate':
		case 'timestampedLyrics':
			return musicTrack(sim, body.taskId, body.audioId);
		case 'coverGenerate':
			return musicTrack(sim, body.taskId);
		case 'midiGenerate': {
			const task = sim.tasks.get(body.taskId);
			if (!task || task.family !== 'suno-stems') return invalid(404, `Vocal separation task ${body.taskId} not found`);
			if (!sim._isTerminal(task) || task.outcome !== 'success') return invalid(422, 'The vocal separation task has not completed successfully');
			if (body.audioId !== undefined && !task.stems.some((stem) => stem.id === body.audioId)) {
				return invalid(404, `audioId ${body.audioId} is not a stem of task ${body.taskId}`);
			}
			return { ok: true, task };
		}
		case 'sunoReplaceSection': {
			const source = musicTrack(sim, body.taskId, body.audioId);
			if (!source.ok) return source;
			const span = body.infillEndS - body.infillStartS;
			if (!(body.infillStartS < body.infillEndS)) return invalid(422, 'infillStartS must be less than infillEndS');
			if (span < 6 || span > 60) return invalid(422, 'The section to replace must be 6 to 60 seconds long');
			if (span > source.track.duration / 2) return invalid(422, 'The section to replace must not exceed 50% of the track duration');
			if (body.infillEndS > source.track.duration) return invalid(422, 'infillEndS is beyond the end of the track');
			return source;
		}
		case 'sunoMashup':
			if (body.customMode && (!body.style || !body.title)) return invalid(422, 'style and title are required when customMode is true');
			if (!body.customMode && body.prompt && body.prompt.length > 500) return invalid(422, 'prompt must be at most 500 characters when customMode is false');
			return { ok: true };
		case 'generatePersona': {
			const source = musicTrack(sim, body.taskId, body.audioId);
			if (!source.ok) return source;
			const start = body.vocalStart === undefined ? 0 : body.vocalStart;
			const end = body.vocalEnd === undefined ? 30 : body.vocalEnd;
			if (!(start < end)) return invalid(422, 'vocalStart must be less than vocalEnd');
			if (end - start < 10 || end - start > 30) return invalid(422, 'vocalEnd - vocalStart must be between 10 and 30 seconds');
			if (personas(sim).has(body.audioId)) return invalid(409, 'Persona already exists for this music');
			return source;
		}
		default:
			return { ok: true };
	}
}

function validate(sim, route, body) {
	if (!isPlainObject(body)) return invalid(422, 'Request body must be a JSON object');
	const required = SCHEMAS[route].required;
	if (required.includes('callBackUrl') && (body.callBackUrl === undefined || body.callBackUrl === null || body.callBackUrl === '')) {
		return invalid(422, 'Please enter callBackUrl.');
	}
	const errors = [];
	validateSchema(body, SCHEMAS[route], '', errors, { allowUnknown: sim.options.allowUnknownInput });
	if (errors.length) return invalid(422, errors[0]);
	return rules(sim, route, body);
}

// ---------------------------------------------------------------------------------------------
// records

function stringFlag(sim, task, failed) {
	const p = progress(sim, task);
	return p === 1 ? 'SUCCESS' : p === -1 ? failed : 'PENDING';
}

function errors(sim, task) {
	const failed = progress(sim, task) === -1;
	return { errorCode: failed ? Number(task.failCode) || 500 : null, errorMessage: failed ? task.failMsg : null };
}

function stemRecordResponse(task) {
	const response = { id: null, originUrl: null, originData: task.stems.map((s) => ({ duration: s.duration, audio_url: s.url, stem_type_group_name: groupName(s.stem), id: s.id })) };
	for (const stem of RECORD_STEMS) {
		const found = task.stems.find((s) => s.stem === stem);
		response[`${camel(stem)}Url`] = found ? found.url : null;
	}
	return response;
}

function midiData(task) {
	return {
		state: 'complete',
		instruments: [
			{ name: 'Drums', notes: [{ pitch: 36, start: 0.036458333333333336, end: 0.18229166666666666, velocity: 1 }] },
			{ name: 'Electric Bass (finger)', notes: [{ pitch: 44, start: 7.6875, end: 7.911458333333333, velocity: 0.8 }] },
		].slice(0, task.body.audioId ? 1 : 2),
	};
}

function record(sim, task) {
	const p = progress(sim, task);
	const success = p === 1;
	const terminal = p === 1 || p === -1;
	switch (task.family) {
		case 'suno-wav':
		case 'suno-mp4': {
			const wav = task.family === 'suno-wav';
			return {
				taskId: task.taskId,
				musicId: task.body.audioId,
				callbackUrl: task.callBackUrl || null,
				musicIndex: task.musicIndex,
				completeTime: terminal ? spaced(task.completedAt) : null,
				response: success ? (wav ? { audioWavUrl: task.resultUrls[0] } : { videoUrl: task.resultUrls[0] }) : null,
				successFlag: stringFlag(sim, task, wav ? 'GENERATE_WAV_FAILED' : 'GENERATE_MP4_FAILED'),
				createTime: spaced(task.createdAt),
				...errors(sim, task),
			};
		}
		case 'suno-stems':
			return {
				taskId: task.taskId,
				musicId: task.body.audioId,
				callbackUrl: task.callBackUrl || null,
				musicIndex: task.musicIndex,
				completeTime: terminal ? task.completedAt : null,
				response: success ? stemRecordResponse(task) : null,
				successFlag: stringFlag(sim, task, 'GENERATE_AUDIO_FAILED'),
				createTime: task.createdAt,
				...errors(sim, task),
			};
		case 'suno-midi':
			return {
				taskId: task.taskId,
				recordTaskId: -1,
				audioId: task.body.audioId || null,
				callbackUrl: task.callBackUrl || null,
				completeTime: terminal ? task.completedAt : null,
				midiData: success ? midiData(task) : null,
				successFlag: p === 1 ? 1 : p === -1 ? 3 : 0,
				createTime: task.createdAt,
				errorCode: p === -1 ? String(task.failCode || '500') : null,
				errorMessage: p === -1 ? task.failMsg : null,
			};
		case 'suno-cover':
			return {
				taskId: task.taskId,
				parentTaskId: task.parentTaskId,
				callbackUrl: task.callBackUrl || null,
				completeTime: terminal ? new Date(task.completedAt).toISOString() : null,
				response: success ? { images: task.resultUrls } : null,
				successFlag: p === 1 ? 1 : p === -1 ? 3 : 0,
				createTime: new Date(task.createdAt).toISOString(),
				errorCode: p === -1 ? Number(task.failCode) || 500 : 200,
				errorMessage: p === -1 ? task.failMsg : '',
			};
		default:
			return undefined;
	}
}

// ---------------------------------------------------------------------------------------------
// callbacks (each page's example)

function callbackPayload(sim, task) {
	const ok = task.outcome === 'success';
	const code = ok ? 200 : Number(task.failCode) || 500;
	switch (task.family) {
		case 'suno-wav':
			return { code, msg: ok ? 'success' : task.failMsg, data: { audioWavUrl: ok ? task.resultUrls[0] : null, task_id: task.taskId } };
		case 'suno-stems': {
			const split = task.body.type === 'split_stem';
			if (!ok) return { code, msg: task.failMsg || (split ? 'Instrument separation failed' : 'Vocal separation failed'), data: { task_id: task.taskId, vocal_separation_info: null } };
			const info = { origin_url: '' };
			for (const stem of STEMS[split ? 'split_stem' : 'separate_vocal']) info[`${stem}_url`] = task.stems.find((s) => s.stem === stem).url;
			return { code, msg: 'vocal separation generated successfully.', data: { task_id: task.taskId, vocal_separation_info: info } };
		}
		case 'suno-midi': {
			if (!ok) return { code, msg: task.failMsg || 'MIDI generation failed', data: { taskId: task.taskId } };
			// The callback may send start/end as strings (its page types them "number | string").
			const data = midiData(task);
			data.instruments = data.instruments.map((i) => ({ ...i, notes: i.notes.map((n) => ({ ...n, start: String(n.start), end: String(n.end) })) }));
			return { code, msg: 'success', data: { taskId: task.taskId, ...data } };
		}
		case 'suno-mp4':
			return { code, msg: ok ? 'success' : task.failMsg, data: { task_id: task.taskId, video_url: ok ? task.resultUrls[0] : null } };
		case 'suno-cover':
			return ok
				? { code, data: { images: task.resultUrls, taskId: task.taskId }, msg: 'success' }
				: { code: Number(task.failCode) || 501, msg: task.failMsg || 'Cover generation failed', data: { taskId: task.taskId, images: null } };
		default:
			return undefined;
	}
}

// ---------------------------------------------------------------------------------------------
// routes

function syncAnswer(sim, route, body, source) {
	switch (route) {
		case 'timestampedLyrics': {
			const instrumental = source.task.body.instrumental === true;
			const words = instrumental ? [] : String(source.track.prompt || 'la la la').split(/\s+/).filter(Boolean).slice(0, 8);
			return {
				alignedWords: words.map((word, i) => ({ word: i === 0 ? `[Verse]\n${word}` : word, success: true, startS: 1.36 + i * 0.5, endS: 1.79 + i * 0.5, palign: 0 })),
				waveformData: [0, 1, 0.5, 0.75],
				hootCer: instrumental ? 0 : 0.3803191489361702,
				isStreamed: false,
			};
		}
		case 'generatePersona': {
			const personaId = crypto.randomBytes(16).toString('hex');
			personas(sim).set(body.audioId, personaId);
			return { personaId, name: body.name, description: body.description };
		}
		case 'boostStyle': {
			const cost = 0.4;
			sim.credits = Math.round((sim.credits - cost) * 100) / 100;
			return {
				taskId: crypto.randomBytes(16).toString('hex'),
				param: JSON.stringify(body),
				result: `${body.content}, atmospheric synth layers, driving bassline, airy female vocals, 110 BPM`,
				creditsConsumed: cost,
				creditsRemaining: sim.credits,
				successFlag: '1',
				errorCode: null,
				errorMessage: null,
				createTime: spaced(Date.now()),
			};
		}
		default:
			return {};
	}
}

function handles(route) {
	return route in CREATES || route in RECORDS || SYNC.has(route);
}

async function answer(sim, ctx, route, body) {
	if (route in RECORDS) return readRecord(sim, ctx, RECORDS[route], record);
	const v = validate(sim, route, body);
	if (!v.ok) return { code: v.code, msg: v.msg, data: null };
	if (SYNC.has(route)) return { code: 200, msg: 'success', data: syncAnswer(sim, route, body, v) };
	if (route === 'coverGenerate') {
		// One cover per music task: "duplicate requests will return the existing taskId" (with code 400).
		const existing = [...sim.tasks.values()].find((t) => t.family === 'suno-cover' && t.parentTaskId === body.taskId);
		if (existing) return { code: 400, msg: 'Cover already generated for this task', data: { taskId: existing.taskId } };
	}
	const spec = CREATES[route];
	const extra = {};
	let files = spec.files;
	if (route === 'stemsGenerate') {
		files = STEMS[body.type === 'split_stem' ? 'split_stem' : 'separate_vocal'].map(() => 'audio');
		extra.cost = body.type === 'split_stem' ? 50 : 10;
	}
	if (files !== spec.files) extra.files = files;
	if (route === 'coverGenerate' || route === 'midiGenerate') extra.parentTaskId = body.taskId;
	const cost = extra.cost !== undefined ? extra.cost : sim._cost(spec.family, files[0] === 'video' ? 'video' : 'audio', body);
	if (sim.credits < cost) return { code: 402, msg: 'The current credits are insufficient. Please top up.' };
	extra.cost = cost;
	const task = newFamilyTask(sim, route, body, spec, extra);
	if (v.track) task.musicIndex = v.task.tracks.indexOf(v.track);
	if (route === 'stemsGenerate') {
		const names = STEMS[body.type === 'split_stem' ? 'split_stem' : 'separate_vocal'];
		task.stems = names.map((stem, i) => ({ stem, id: uuid(), url: task.resultUrls[i], duration: v.track.duration }));
	}
	ctx.entry.taskId = task.taskId;
	await sim._beforeCreateResponse(task);
	return { code: 200, msg: 'success', data: { taskId: task.taskId } };
}

/** Adds the routes to index.js's route tables. */
function registerRoutes(tables) {
	addRoutes(tables, ROUTES, [...Object.keys(CREATES), ...SYNC], Object.keys(RECORDS));
}

/** The replace-section failure callback: `error` is a string, there is no data.data. */
function replaceSectionFailure(task) {
	return { code: Number(task.failCode) || 501, msg: 'Audio generation failed.', data: { callbackType: 'error', task_id: task.taskId, error: task.failMsg || 'Generation failed due to technical issues' } };
}

/** Hooks into the Simulator class (after families.install): records, callbacks and summaries of the toolbox tasks. */
function install(Simulator) {
	const reset = Simulator.prototype.reset;
	Simulator.prototype.reset = function (...args) {
		this._personas = new Map();
		return reset.apply(this, args);
	};
	hookFamilies(Simulator, FAMILY_NAMES, record, (sim, task) => {
		if (FAMILY_NAMES.has(task.family)) return callbackPayload(sim, task);
		if (task.route === 'sunoReplaceSection' && task.outcome !== 'success') return replaceSectionFailure(task);
		return undefined;
	});
}

module.exports = { ROUTES, registerRoutes, handles, answer, install, record, callbackPayload, iso };
