'use strict';

/**
 * KIE's own-API families for the simulator (kie-api.md §4, §9): Flux Kontext, Veo 3.1 (generate,
 * extend, 1080p, 4K), Runway (generate, extend), Runway Aleph, Luma modify and Suno (generate, extend,
 * upload-cover, upload-extend, add-instrumental, add-vocals, lyrics).
 *
 * Every create is validated strictly (required fields, enums, URL formats, the documented cross-field
 * rules) and answers `{code, msg, data:{taskId}}`. Tasks progress over time in each family's own status
 * scheme, their records have each family's documented shape, their result files are real (MP4, PNG,
 * MP3), and their callbacks carry each family's documented payload (Suno in stages: text, first,
 * complete). index.js hooks this module in with `registerRoutes`, `handles`/`answer` and `install`.
 *
 * Assumptions where the reference is silent (kept in one place):
 * - Luma's record-info result is `response.resultUrls` (like Veo; luma-record-1 confirms it) and its
 *   callback is the record in `data` (like Market callbacks); with `realKie` the callback is KIE's
 *   `{taskId, promptJson, resultUrls}` (luma-callback-1).
 * - Veo get-1080p-video answers `data.resultUrl: null` until the 1080p render is ready.
 * - Veo get-4k-video answers a new task id, read from veo/record-info.
 *
 * With the simulator option `realKie`, records and callbacks take the shapes real KIE sends (corpus
 * samples in ../shared/kie-corpus, listed in README.md): epoch-ms times and `fullResultUrls: null` in Veo
 * records, Veo failure callbacks without `info`, Luma callbacks `{taskId, promptJson, resultUrls}`, Suno
 * records with the model in `type` and a lower-case `operationType`. Assumptions there: a Luma failure
 * callback is `{taskId, promptJson, resultUrls: []}` with code failCode (500 by default); a Suno extend
 * record names its `audioId` in `parentMusicId`; `operationType` of the other Suno operations is the
 * lower-case operation (only "generate" was seen).
 */

const crypto = require('crypto');

const { validateSchema, isPlainObject } = require('./validate');

const ROUTES = {
	'/api/v1/flux/kontext/generate': { method: 'POST', route: 'fluxGenerate' },
	'/api/v1/flux/kontext/record-info': { method: 'GET', route: 'fluxRecordInfo' },
	'/api/v1/veo/generate': { method: 'POST', route: 'veoGenerate' },
	'/api/v1/veo/extend': { method: 'POST', route: 'veoExtend' },
	'/api/v1/veo/get-4k-video': { method: 'POST', route: 'veo4k' },
	'/api/v1/veo/get-1080p-video': { method: 'GET', route: 'veo1080p' },
	'/api/v1/veo/record-info': { method: 'GET', route: 'veoRecordInfo' },
	'/api/v1/runway/generate': { method: 'POST', route: 'runwayGenerate' },
	'/api/v1/runway/extend': { method: 'POST', route: 'runwayExtend' },
	'/api/v1/runway/record-detail': { method: 'GET', route: 'runwayRecordDetail' },
	'/api/v1/aleph/generate': { method: 'POST', route: 'alephGenerate' },
	'/api/v1/aleph/record-info': { method: 'GET', route: 'alephRecordInfo' },
	'/api/v1/modify/generate': { method: 'POST', route: 'lumaGenerate' },
	'/api/v1/modify/record-info': { method: 'GET', route: 'lumaRecordInfo' },
	'/api/v1/generate': { method: 'POST', route: 'sunoGenerate' },
	'/api/v1/generate/extend': { method: 'POST', route: 'sunoExtend' },
	'/api/v1/generate/upload-cover': { method: 'POST', route: 'sunoUploadCover' },
	'/api/v1/generate/upload-extend': { method: 'POST', route: 'sunoUploadExtend' },
	'/api/v1/generate/add-instrumental': { method: 'POST', route: 'sunoAddInstrumental' },
	'/api/v1/generate/add-vocals': { method: 'POST', route: 'sunoAddVocals' },
	'/api/v1/generate/record-info': { method: 'GET', route: 'sunoRecordInfo' },
	'/api/v1/lyrics': { method: 'POST', route: 'lyricsGenerate' },
	'/api/v1/lyrics/record-info': { method: 'GET', route: 'lyricsRecordInfo' },
};

// ---------------------------------------------------------------------------------------------
// request schemas (kie-api.md §9; Chinese edition 049, 110, 112, 114, 157–160, 171–176, 186)

const uri = { type: 'string', format: 'uri' };
const str = { type: 'string' };
const bool = { type: 'boolean' };
const weight = { type: 'number', minimum: 0, maximum: 1 };
const SUNO_VERSIONS = ['V4', 'V4_5', 'V4_5PLUS', 'V4_5ALL', 'V5', 'V5_5'];
const sunoCommon = {
	prompt: str,
	style: str,
	title: str,
	negativeTags: str,
	vocalGender: { type: 'string', enum: ['m', 'f'] },
	styleWeight: weight,
	weirdnessConstraint: weight,
	audioWeight: weight,
	personaId: str,
	personaModel: { type: 'string', enum: ['style_persona', 'voice_persona'] },
	callBackUrl: uri,
};
const obj = (required, properties) => ({ type: 'object', required, properties, additionalProperties: false });

const SCHEMAS = {
	fluxGenerate: obj(['prompt'], {
		prompt: { ...str, 'x-notEmpty': true },
		model: { type: 'string', enum: ['flux-kontext-pro', 'flux-kontext-max'] },
		inputImage: uri,
		aspectRatio: { type: 'string', enum: ['21:9', '16:9', '4:3', '1:1', '3:4', '9:16'] },
		outputFormat: { type: 'string', enum: ['jpeg', 'png'] },
		enableTranslation: bool,
		promptUpsampling: bool,
		safetyTolerance: { type: 'integer', enum: [0, 1, 2, 3, 4, 5, 6] },
		uploadCn: bool,
		watermark: str,
		callBackUrl: uri,
	}),
	veoGenerate: obj(['prompt'], {
		prompt: { ...str, 'x-notEmpty': true },
		imageUrls: { type: 'array', maxItems: 3, items: uri },
		model: { type: 'string', enum: ['veo3', 'veo3_fast', 'veo3_lite'] },
		generationType: { type: 'string', enum: ['TEXT_2_VIDEO', 'FIRST_AND_LAST_FRAMES_2_VIDEO', 'REFERENCE_2_VIDEO'] },
		aspectRatio: { type: 'string', enum: ['16:9', '9:16', 'Auto'] },
		resolution: { type: 'string', enum: ['720p', '1080p', '4k'] },
		duration: { type: 'integer', enum: [4, 6, 8] },
		enableFallback: bool,
		enableTranslation: bool,
		watermark: str,
		callBackUrl: uri,
	}),
	veoExtend: obj(['taskId', 'prompt'], {
		taskId: { ...str, 'x-notEmpty': true },
		prompt: { ...str, 'x-notEmpty': true },
		seeds: { type: 'integer', minimum: 10000, maximum: 99999 },
		model: { type: 'string', enum: ['fast', 'quality', 'lite'] },
		watermark: str,
		callBackUrl: uri,
	}),
	veo4k: obj(['taskId'], { taskId: { ...str, 'x-notEmpty': true }, index: { type: 'integer', minimum: 0 }, callBackUrl: uri }),
	runwayGenerate: obj(['prompt', 'duration', 'quality', 'callBackUrl'], {
		prompt: { ...str, 'x-notEmpty': true, maxLength: 1800 },
		imageUrl: uri,
		duration: { type: 'number', enum: [5, 10] },
		quality: { type: 'string', enum: ['720p', '1080p'] },
		aspectRatio: { type: 'string', enum: ['16:9', '4:3', '1:1', '3:4', '9:16'] },
		waterMark: str,
		callBackUrl: uri,
	}),
	runwayExtend: obj(['taskId', 'prompt', 'quality', 'callBackUrl'], {
		taskId: { ...str, 'x-notEmpty': true },
		prompt: { ...str, 'x-notEmpty': true, maxLength: 1800 },
		quality: { type: 'string', enum: ['720p', '1080p'] },
		waterMark: str,
		callBackUrl: uri,
	}),
	alephGenerate: obj(['prompt', 'videoUrl'], {
		prompt: { ...str, 'x-notEmpty': true },
		videoUrl: uri,
		aspectRatio: { type: 'string', enum: ['16:9', '9:16', '4:3', '3:4', '1:1', '21:9'] },
		seed: { type: 'integer' },
		referenceImage: uri,
		waterMark: str,
		uploadCn: bool,
		callBackUrl: uri,
	}),
	lumaGenerate: obj(['prompt', 'videoUrl'], {
		prompt: { ...str, 'x-notEmpty': true },
		videoUrl: uri,
		watermark: str,
		callBackUrl: uri,
	}),
	sunoGenerate: obj(['customMode', 'instrumental', 'model', 'callBackUrl'], {
		...sunoCommon,
		customMode: bool,
		instrumental: bool,
		model: { type: 'string', enum: SUNO_VERSIONS },
	}),
	sunoExtend: obj(['defaultParamFlag', 'audioId', 'model', 'callBackUrl'], {
		...sunoCommon,
		defaultParamFlag: bool,
		audioId: { ...str, 'x-notEmpty': true },
		continueAt: { type: 'number', minimum: 0 },
		model: { type: 'string', enum: SUNO_VERSIONS },
	}),
	sunoUploadCover: obj(['uploadUrl', 'customMode', 'instrumental', 'model', 'callBackUrl'], {
		...sunoCommon,
		uploadUrl: uri,
		customMode: bool,
		instrumental: bool,
		model: { type: 'string', enum: SUNO_VERSIONS },
	}),
	sunoUploadExtend: obj(['uploadUrl', 'defaultParamFlag', 'model', 'callBackUrl'], {
		...sunoCommon,
		uploadUrl: uri,
		defaultParamFlag: bool,
		instrumental: bool,
		continueAt: { type: 'number', minimum: 0 },
		model: { type: 'string', enum: SUNO_VERSIONS },
	}),
	sunoAddInstrumental: obj(['uploadUrl', 'title', 'negativeTags', 'tags', 'callBackUrl'], {
		uploadUrl: uri,
		title: str,
		negativeTags: str,
		tags: str,
		model: { type: 'string', enum: ['V4_5PLUS', 'V5', 'V5_5'] },
		vocalGender: sunoCommon.vocalGender,
		styleWeight: weight,
		weirdnessConstraint: weight,
		audioWeight: weight,
		callBackUrl: uri,
	}),
	sunoAddVocals: obj(['prompt', 'title', 'negativeTags', 'style', 'uploadUrl', 'callBackUrl'], {
		prompt: str,
		title: str,
		negativeTags: str,
		style: str,
		uploadUrl: uri,
		model: { type: 'string', enum: ['V4_5PLUS', 'V5', 'V5_5'] },
		vocalGender: sunoCommon.vocalGender,
		styleWeight: weight,
		weirdnessConstraint: weight,
		audioWeight: weight,
		callBackUrl: uri,
	}),
	lyricsGenerate: obj(['prompt', 'callBackUrl'], { prompt: { ...str, 'x-notEmpty': true }, callBackUrl: uri }),
};

/** What each create route makes: family, operation, result files and Suno's record `type`. */
const CREATES = {
	fluxGenerate: { family: 'flux-kontext', files: ['image', 'image'] },
	veoGenerate: { family: 'veo', files: ['video'] },
	veoExtend: { family: 'veo', files: ['video'], parent: 'veo' },
	veo4k: { family: 'veo', files: ['video', 'image'], parent: 'veo' },
	runwayGenerate: { family: 'runway', files: ['video', 'image'] },
	runwayExtend: { family: 'runway', files: ['video', 'image'], parent: 'runway' },
	alephGenerate: { family: 'aleph', files: ['video', 'image'] },
	lumaGenerate: { family: 'luma', files: ['video'] },
	sunoGenerate: { family: 'suno', files: ['audio', 'audio', 'image', 'image'], type: 'GENERATE' },
	sunoExtend: { family: 'suno', files: ['audio', 'audio', 'image', 'image'], type: 'EXTEND' },
	sunoUploadCover: { family: 'suno', files: ['audio', 'audio', 'image', 'image'], type: 'UPLOAD_COVER' },
	sunoUploadExtend: { family: 'suno', files: ['audio', 'audio', 'image', 'image'], type: 'UPLOAD_EXTEND' },
	sunoAddInstrumental: { family: 'suno', files: ['audio', 'audio', 'image', 'image'], type: 'ADD_INSTRUMENTAL' },
	sunoAddVocals: { family: 'suno', files: ['audio', 'audio', 'image', 'image'], type: 'ADD_VOCALS' },
	lyricsGenerate: { family: 'suno-lyrics', files: [] },
};
const RECORDS = {
	fluxRecordInfo: 'flux-kontext',
	veoRecordInfo: 'veo',
	runwayRecordDetail: 'runway',
	alephRecordInfo: 'aleph',
	lumaRecordInfo: 'luma',
	sunoRecordInfo: 'suno',
	lyricsRecordInfo: 'suno-lyrics',
};
const FAMILY_NAMES = new Set(['flux-kontext', 'veo', 'veo-1080p', 'runway', 'aleph', 'luma', 'suno', 'suno-lyrics']);
const EXT = { image: 'png', video: 'mp4', audio: 'mp3', wav: 'wav' };

let CALLBACK_FAULTS = [];

/** Adds routes to index.js's route tables: their paths, which create tasks and which read them. */
function addRoutes(tables, routes, createRoutes, pollRoutes) {
	Object.assign(tables.ROUTES, routes);
	for (const { route } of Object.values(routes)) {
		if (!tables.ROUTE_NAMES.includes(route)) tables.ROUTE_NAMES.push(route);
	}
	for (const route of createRoutes) tables.CREATE_ROUTES.add(route);
	for (const route of pollRoutes) tables.POLL_ROUTES.add(route);
}

/** Adds the family routes to index.js's route tables. */
function registerRoutes(tables) {
	addRoutes(tables, ROUTES, Object.keys(CREATES), [...Object.keys(RECORDS), 'veo1080p']);
	CALLBACK_FAULTS = tables.CALLBACK_FAULTS;
}

function handles(route) {
	return route in CREATES || route in RECORDS || route === 'veo1080p';
}

function iso(ms) {
	return ms === null || ms === undefined ? null : new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function pad2(n) {
	return String(n).padStart(2, '0');
}

function spaced(ms) {
	const d = new Date(ms);
	return `${d.getUTCFullYear()}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())} ${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())}`;
}

function uuid() {
	return crypto.randomUUID();
}

/** A stable five-digit Veo seed per task (veo-record-1: `seeds: [61668]`). */
function veoSeed(task) {
	if (Number.isInteger(task.body.seeds)) return task.body.seeds;
	return 10000 + (crypto.createHash('sha256').update(task.taskId).digest().readUInt32BE(0) % 90000);
}

/** Record times: ISO strings (the docs), or epoch ms as real KIE answers (veo-record-1, luma-record-1). */
function recTime(sim, ms) {
	if (ms === null || ms === undefined) return null;
	return sim.options.realKie ? ms : iso(ms);
}

// ---------------------------------------------------------------------------------------------
// validation

function invalid(msg) {
	return { ok: false, code: 422, msg };
}

function validateBody(sim, route, body) {
	if (!isPlainObject(body)) return invalid('Request body must be a JSON object');
	if (route.startsWith('suno') || route === 'lyricsGenerate') {
		if (body.callBackUrl === undefined || body.callBackUrl === null || body.callBackUrl === '') {
			return invalid('Please enter callBackUrl.');
		}
	}
	const errors = [];
	validateSchema(body, SCHEMAS[route], '', errors, { allowUnknown: sim.options.allowUnknownInput });
	if (errors.length) return invalid(errors[0]);
	const rule = crossRules(sim, route, body);
	return rule ? invalid(rule) : { ok: true };
}

function sunoCustomRules(body, flag) {
	if (!body[flag]) return null;
	if (!body.style) return `style is required when ${flag} is true`;
	if (!body.title) return `title is required when ${flag} is true`;
	if (!body.instrumental && !body.prompt) return `prompt is required when ${flag} is true and instrumental is false`;
	const max = body.model === 'V4' || body.model === 'V4_5ALL' ? 80 : 100;
	if (body.title.length > max) return `title must be at most ${max} characters for ${body.model}`;
	return null;
}

function parentTask(sim, family, taskId) {
	const task = sim.tasks.get(taskId);
	if (!task || task.family !== family) return { error: 'The record is empty' };
	if (!sim._isTerminal(task) || task.outcome !== 'success') return { error: 'The record status is not success' };
	return { task };
}

function crossRules(sim, route, body) {
	switch (route) {
		case 'fluxGenerate':
			if (body.inputImage && body.safetyTolerance !== undefined && body.safetyTolerance > 2) {
				return 'safetyTolerance must be between 0 and 2 in edit mode (with inputImage)';
			}
			return null;
		case 'veoGenerate': {
			const images = body.imageUrls || [];
			if (body.generationType === 'FIRST_AND_LAST_FRAMES_2_VIDEO' && (images.length < 1 || images.length > 2)) {
				return 'FIRST_AND_LAST_FRAMES_2_VIDEO needs 1 or 2 imageUrls';
			}
			if (body.generationType === 'REFERENCE_2_VIDEO') {
				if ((body.model || 'veo3_fast') !== 'veo3_fast') return 'REFERENCE_2_VIDEO supports only veo3_fast';
				if (body.aspectRatio === 'Auto') return 'REFERENCE_2_VIDEO supports only 16:9 and 9:16';
				if (body.duration !== undefined && body.duration !== 8) return 'REFERENCE_2_VIDEO supports only duration 8';
				if (images.length < 1) return 'REFERENCE_2_VIDEO needs imageUrls';
			}
			return null;
		}
		case 'veoExtend':
		case 'veo4k':
			return parentTask(sim, 'veo', body.taskId).error || null;
		case 'runwayGenerate':
			if (body.quality === '1080p' && body.duration === 10) return '1080p is not available for 10-second videos';
			if (!body.imageUrl && !body.aspectRatio) return 'aspectRatio is required for text-to-video';
			return null;
		case 'runwayExtend':
			return parentTask(sim, 'runway', body.taskId).error || null;
		case 'sunoGenerate':
		case 'sunoUploadCover':
			if (!body.customMode && !body.prompt) return 'prompt is required when customMode is false';
			if (!body.customMode && body.prompt && body.prompt.length > 500) return 'prompt must be at most 500 characters when customMode is false';
			return sunoCustomRules(body, 'customMode');
		case 'sunoExtend': {
			const known = [...sim.tasks.values()].some(
				(t) => t.family === 'suno' && sim._isTerminal(t) && t.outcome === 'success' && t.tracks.some((track) => track.id === body.audioId),
			);
			if (!known) return 'audioId does not match a finished track';
			return extendRules(body, true);
		}
		case 'sunoUploadExtend':
			return extendRules(body, !body.instrumental);
		default:
			return null;
	}
}

function extendRules(body, needsPrompt) {
	if (!body.defaultParamFlag) return null;
	if (!body.style) return 'style is required when defaultParamFlag is true';
	if (!body.title) return 'title is required when defaultParamFlag is true';
	if (needsPrompt && !body.prompt) return 'prompt is required when defaultParamFlag is true';
	if (!(typeof body.continueAt === 'number' && body.continueAt > 0)) return 'continueAt must be greater than 0 when defaultParamFlag is true';
	return null;
}

// ---------------------------------------------------------------------------------------------
// tasks

function newFamilyTask(sim, route, body, spec, extra = {}) {
	const now = Date.now();
	sim._counter++;
	const slug = spec.family.replace(/[^a-z0-9]+/g, '');
	const taskId = `${slug}_${String(sim._counter).padStart(4, '0')}${crypto.randomBytes(6).toString('hex')}`;
	const next = sim.nextTasks.shift() || {};
	const files = extra.files || spec.files;
	const media = files[0] || 'audio';
	const callBackUrl = typeof body.callBackUrl === 'string' ? body.callBackUrl : undefined;
	const callbackFault = callBackUrl && CALLBACK_FAULTS.length ? sim._takeFault('callback', CALLBACK_FAULTS) : null;
	const genMs = next.genMs !== undefined ? Math.max(0, next.genMs) : sim._resolveGenMs(spec.family, body);
	const task = {
		taskId,
		recordId: taskId,
		family: spec.family,
		route,
		operation: spec.type || route,
		model: extra.model || body.model || spec.family,
		body,
		param: JSON.stringify(body),
		media,
		ext: EXT[media],
		fileMedia: files,
		aspect: typeof body.aspectRatio === 'string' && /^\d+:\d+$/.test(body.aspectRatio) ? body.aspectRatio : undefined,
		createdAt: now,
		genMs: callbackFault && callbackFault.kind === 'beforeCreateResponse' ? 0 : genMs,
		outcome: next.fail ? 'fail' : 'success',
		failCode: next.fail ? String(next.fail.failCode === undefined ? '500' : next.fail.failCode) : '',
		failMsg: next.fail ? next.fail.failMsg || 'Internal server error' : '',
		resultUrls: files.map((kind, i) => `${sim.url}/files/${taskId}/${i}.${EXT[kind]}`),
		resultBytes: next.resultBytes,
		malformedResultJson: false,
		callBackUrl,
		callbackFault,
		cost: extra.cost !== undefined ? extra.cost : sim._cost(spec.family, media === 'image' ? 'image' : media, body),
		finalized: false,
		completedAt: null,
		creditsConsumed: 0,
		remainedCredits: null,
		timer: null,
		files: new Map(),
		callbackPromise: null,
		parentTaskId: extra.parentTaskId || '',
		tracks: [],
	};
	if (spec.family === 'suno') {
		// The `source…` URLs (suno-record-1/2) are extra fields, always on; they point at the same files here.
		task.tracks = [0, 1].map((i) => ({
			id: uuid(),
			audioUrl: task.resultUrls[i],
			sourceAudioUrl: task.resultUrls[i],
			streamAudioUrl: `${task.resultUrls[i]}?stream=1`,
			sourceStreamAudioUrl: task.resultUrls[i],
			imageUrl: task.resultUrls[i + 2],
			sourceImageUrl: task.resultUrls[i + 2],
			prompt: body.prompt || '[Instrumental]',
			modelName: 'chirp-v4-5',
			title: body.title || 'Untitled',
			tags: body.style || body.tags || 'pop',
			// Real KIE: epoch ms (suno-record-1/2); the docs: "YYYY-MM-DD HH:mm:ss".
			createTime: sim.options.realKie ? now + 1000 * i : spaced(now),
			duration: 120 + i * 8.5,
		}));
	}
	sim.tasks.set(taskId, task);
	sim.stats.accepted++;
	sim._scheduleFinalize(task);
	// Replace Section calls back only when complete (its callback page).
	if (callBackUrl && spec.family === 'suno' && !spec.completeOnly) scheduleSunoStages(sim, task);
	return task;
}

/** Suno's `text` and `first` callbacks, before the final `complete` / `error` (sent by _finalize). */
function scheduleSunoStages(sim, task) {
	for (const [stage, at] of [
		['text', 0.3],
		['first', 0.6],
	]) {
		sim._setTimer(() => {
			if (task.finalized || !sim.tasks.has(task.taskId) || task.outcome !== 'success') return;
			sim.callbackDispatcher.deliver({
				taskId: task.taskId,
				url: task.callBackUrl,
				family: 'suno',
				payload: sunoPayload(task, stage),
				fault: null,
			});
		}, Math.round(task.genMs * at));
	}
}

function progress(sim, task) {
	if (sim._isTerminal(task)) return task.outcome === 'success' ? 1 : -1;
	return task.genMs > 0 ? Math.min(0.99, (Date.now() - task.createdAt) / task.genMs) : 0;
}

function flag(sim, task) {
	const p = progress(sim, task);
	return p === 1 ? 1 : p === -1 ? 3 : 0;
}

function sunoStatus(sim, task) {
	const p = progress(sim, task);
	if (p === 1) return 'SUCCESS';
	if (p === -1) return task.failCode === '400' ? 'SENSITIVE_WORD_ERROR' : task.family === 'suno-lyrics' ? 'GENERATE_LYRICS_FAILED' : 'GENERATE_AUDIO_FAILED';
	if (task.family === 'suno-lyrics') return 'PENDING';
	return p < 0.3 ? 'PENDING' : p < 0.6 ? 'TEXT_SUCCESS' : 'FIRST_SUCCESS';
}

function errorFields(sim, task) {
	const failed = progress(sim, task) === -1;
	return { errorCode: failed ? Number(task.failCode) || 500 : null, errorMessage: failed ? task.failMsg : null };
}

function lyricsVariants(task) {
	const subject = String(task.body.prompt || 'the night').slice(0, 40);
	return [
		{ text: `[Verse]\nWe sing about ${subject}\n[Chorus]\nAll night long`, title: 'Night Song', status: 'complete', errorMessage: '' },
		{ text: `[Verse]\nA second take on ${subject}\n[Chorus]\nOne more time`, title: 'Second Take', status: 'complete', errorMessage: '' },
	];
}

/** The record each family's details endpoint answers right now. */
function record(sim, task) {
	const real = sim.options.realKie;
	const p = progress(sim, task);
	const success = p === 1;
	const terminal = p === 1 || p === -1;
	switch (task.family) {
		case 'flux-kontext':
			return {
				taskId: task.taskId,
				paramJson: task.param,
				completeTime: terminal ? iso(task.completedAt) : null,
				response: success ? { originImageUrl: task.resultUrls[1], resultImageUrl: task.resultUrls[0] } : null,
				successFlag: flag(sim, task),
				...errorFields(sim, task),
				createTime: iso(task.createdAt),
			};
		case 'veo': {
			const four = task.route === 'veo4k';
			return {
				taskId: task.taskId,
				paramJson: task.param,
				completeTime: terminal ? recTime(sim, task.completedAt) : null,
				response: success
					? {
							taskId: task.taskId,
							resolution: four ? '4k' : task.body.resolution || '720p',
							// real KIE (veo-record-1): null for a text-to-video, no full result
							originUrls: real ? null : [task.resultUrls[0]],
							resultUrls: [task.resultUrls[0]],
							fullResultUrls: real ? null : [task.resultUrls[0]],
							// extra fields of veo-record-1, always on
							hasAudioList: [true],
							seeds: [veoSeed(task)],
						}
					: null,
				successFlag: flag(sim, task),
				...errorFields(sim, task),
				createTime: recTime(sim, task.createdAt),
				fallbackFlag: false,
			};
		}
		case 'runway': {
			const state = p === 1 ? 'success' : p === -1 ? 'fail' : p < 0.1 ? 'wait' : p < 0.25 ? 'queueing' : 'generating';
			return {
				taskId: task.taskId,
				parentTaskId: task.parentTaskId,
				generateParam: { prompt: task.body.prompt, imageUrl: task.body.imageUrl || '', expandPrompt: false },
				state,
				generateTime: terminal ? spaced(task.completedAt) : '',
				videoInfo: success
					? { videoId: task.recordId, taskId: task.taskId, videoUrl: task.resultUrls[0], imageUrl: task.resultUrls[1] }
					: null,
				failCode: p === -1 ? Number(task.failCode) || 500 : null,
				failMsg: p === -1 ? task.failMsg : '',
				expireFlag: 0,
			};
		}
		case 'aleph':
			return {
				taskId: task.taskId,
				paramJson: task.param,
				response: success
					? { taskId: task.taskId, resultVideoUrl: task.resultUrls[0], resultImageUrl: task.resultUrls[1] }
					: null,
				completeTime: terminal ? iso(task.completedAt) : null,
				createTime: iso(task.createdAt),
				successFlag: flag(sim, task),
				errorCode: p === -1 ? Number(task.failCode) || 500 : 0,
				errorMessage: p === -1 ? task.failMsg : '',
			};
		case 'luma':
			return {
				taskId: task.taskId,
				paramJson: task.param,
				// originUrls is the input video (luma-record-1)
				response: success ? { taskId: task.taskId, originUrls: [task.body.videoUrl], resultUrls: [task.resultUrls[0]] } : null,
				successFlag: flag(sim, task),
				...errorFields(sim, task),
				createTime: recTime(sim, task.createdAt),
				completeTime: terminal ? recTime(sim, task.completedAt) : null,
			};
		case 'suno': {
			const status = sunoStatus(sim, task);
			const shown = status === 'SUCCESS' ? task.tracks : status === 'FIRST_SUCCESS' ? task.tracks.slice(0, 1) : [];
			const rec = {
				taskId: task.taskId,
				parentMusicId: real && task.route === 'sunoExtend' ? task.body.audioId : '',
				param: task.param,
				response: { taskId: task.taskId, sunoData: shown.map((track) => ({ ...track })) },
				status,
				// real KIE (suno-record-1/2): the model in `type`, the operation in lower case
				type: real ? task.tracks[0].modelName : task.operation,
				operationType: real ? task.operation.toLowerCase() : task.operation,
				...errorFields(sim, task),
			};
			if (real) rec.createTime = task.createdAt;
			return rec;
		}
		case 'suno-lyrics':
			return {
				taskId: task.taskId,
				param: task.param,
				response: success ? { taskId: task.taskId, data: lyricsVariants(task) } : null,
				status: sunoStatus(sim, task),
				type: 'LYRICS', // suno-lyrics-record-1 (an extra field, always on)
				...errorFields(sim, task),
			};
		default:
			return undefined;
	}
}

// ---------------------------------------------------------------------------------------------
// callbacks (kie-api.md §4; Chinese edition 048, 107–109, 155–156, 163–168, 186)

function sunoPayload(task, stage) {
	if (stage === 'error') {
		return { code: Number(task.failCode) || 501, msg: task.failMsg, data: { callbackType: 'error', task_id: task.taskId, data: null } };
	}
	const tracks = stage === 'text' ? task.tracks.map((t) => ({ ...t, audioUrl: '' })) : stage === 'first' ? task.tracks.slice(0, 1) : task.tracks;
	return {
		code: 200,
		msg: stage === 'complete' ? 'All generated successfully.' : stage === 'first' ? 'First track generated successfully.' : 'Text generated successfully.',
		data: {
			callbackType: stage,
			task_id: task.taskId,
			data: tracks.map((t) => ({
				id: t.id,
				audio_url: t.audioUrl,
				stream_audio_url: t.streamAudioUrl,
				image_url: t.imageUrl,
				prompt: t.prompt,
				model_name: t.modelName,
				title: t.title,
				tags: t.tags,
				createTime: t.createTime,
				duration: t.duration,
			})),
		},
	};
}

/** The documented callback body of a finished family task. */
function callbackPayload(sim, task) {
	const ok = task.outcome === 'success';
	const code = ok ? 200 : Number(task.failCode) || 500;
	switch (task.family) {
		case 'flux-kontext':
			return {
				code,
				msg: ok ? 'BFL image generated successfully.' : task.failMsg,
				data: {
					taskId: task.taskId,
					info: ok ? { originImageUrl: task.resultUrls[1], resultImageUrl: task.resultUrls[0] } : { originImageUrl: '', resultImageUrl: '' },
				},
			};
		case 'veo':
			if (task.route === 'veo4k') {
				if (ok) {
					return { code, msg: '4K Video generated successfully.', data: { taskId: task.taskId, info: { resultUrls: [task.resultUrls[0]], imageUrls: [task.resultUrls[1]] } } };
				}
				// real KIE: data holds only the task id (veo-callback-6)
				return { code, msg: task.failMsg, data: sim.options.realKie ? { taskId: task.taskId } : { taskId: task.taskId, info: null } };
			}
			if (!ok && sim.options.realKie) {
				// real KIE: no info, no promptJson (veo-callback-2: content policy 400; veo-callback-3: 422 "fallback channels")
				return { code, msg: task.failMsg, data: { taskId: task.taskId, fallbackFlag: false } };
			}
			return {
				code,
				msg: ok ? 'Veo3.1 video generated successfully.' : task.failMsg,
				data: {
					taskId: task.taskId,
					promptJson: task.param,
					info: ok ? { resultUrls: [task.resultUrls[0]], originUrls: [task.resultUrls[0]], resolution: task.body.resolution || '720p' } : null,
					fallbackFlag: false,
				},
			};
		case 'runway':
			return {
				code,
				msg: ok ? 'All generated successfully.' : task.failMsg,
				data: {
					task_id: task.taskId,
					video_id: ok ? task.recordId : '',
					video_url: ok ? task.resultUrls[0] : '',
					image_url: ok ? task.resultUrls[1] : '',
				},
			};
		case 'aleph':
			return {
				code,
				msg: ok ? 'success' : task.failMsg,
				data: { result_video_url: ok ? task.resultUrls[0] : '', result_image_url: ok ? task.resultUrls[1] : '' },
				taskId: task.taskId,
			};
		case 'luma':
			if (sim.options.realKie) {
				// luma-callback-1: the result URLs right in data, no info / response
				return {
					code,
					msg: ok ? 'Modify record generated successfully.' : task.failMsg,
					data: { taskId: task.taskId, promptJson: task.param, resultUrls: ok ? [task.resultUrls[0]] : [] },
				};
			}
			return { code, msg: ok ? 'success' : task.failMsg, data: record(sim, task) };
		case 'suno':
			return sunoPayload(task, ok ? 'complete' : 'error');
		case 'suno-lyrics':
			return {
				code,
				msg: ok ? 'All generated successfully.' : task.failMsg,
				data: {
					callbackType: 'complete',
					task_id: task.taskId,
					data: ok ? lyricsVariants(task).map(({ errorMessage, ...v }) => ({ ...v, error_message: errorMessage })) : null,
				},
			};
		default:
			return { code, msg: task.failMsg || 'success', data: { taskId: task.taskId } };
	}
}

// ---------------------------------------------------------------------------------------------
// routes

/** A details endpoint: the record of `?taskId=` when it is a task of `family`, else 404. */
function readRecord(sim, ctx, family, recordOf) {
	const taskId = ctx.u.searchParams.get('taskId');
	if (!taskId) return { code: 400, msg: 'taskId parameter is required' };
	const task = sim.tasks.get(taskId);
	if (!task || task.family !== family) return { code: 404, msg: 'Task not found' };
	return { code: 200, msg: 'success', data: recordOf(sim, task) };
}

/** Answers one family route ({code, msg, data}). */
async function answer(sim, ctx, route, body) {
	if (route in RECORDS) return readRecord(sim, ctx, RECORDS[route], record);
	if (route === 'veo1080p') return hd1080(sim, ctx);
	const spec = CREATES[route];
	const v = validateBody(sim, route, body);
	if (!v.ok) return { code: v.code, msg: v.msg };
	const extra = {};
	if (spec.parent) extra.parentTaskId = body.taskId;
	if (route === 'veo4k') extra.cost = 40;
	const cost = extra.cost !== undefined ? extra.cost : sim._cost(spec.family, spec.files[0] || 'audio', body);
	if (sim.credits < cost) return { code: 402, msg: 'The current credits are insufficient. Please top up.' };
	const task = newFamilyTask(sim, route, body, spec, extra);
	ctx.entry.taskId = task.taskId;
	await sim._beforeCreateResponse(task);
	if (route === 'veo4k') return { code: 200, msg: 'success', data: { taskId: task.taskId, resultUrls: null, imageUrls: null } };
	return { code: 200, msg: 'success', data: { taskId: task.taskId } };
}

/** GET /api/v1/veo/get-1080p-video: renders once per (task, index), then answers data.resultUrl. */
function hd1080(sim, ctx) {
	const taskId = ctx.u.searchParams.get('taskId');
	if (!taskId) return { code: 422, msg: 'taskId is required' };
	const rawIndex = ctx.u.searchParams.get('index');
	const index = rawIndex === null || rawIndex === '' ? 0 : Number(rawIndex);
	if (!Number.isInteger(index) || index < 0) return { code: 422, msg: 'index must be an integer >= 0' };
	const parent = parentTask(sim, 'veo', taskId);
	if (parent.error) return { code: 422, msg: parent.error };
	if (index >= 1) return { code: 422, msg: 'The record result data is empty' };
	const key = `${taskId}#1080p#${index}`;
	let render = [...sim.tasks.values()].find((t) => t.hdKey === key);
	if (!render) {
		render = newFamilyTask(sim, 'veo1080p', { taskId, index }, { family: 'veo-1080p', files: ['video'] }, { cost: 0, model: 'veo3.1/1080p' });
		render.hdKey = key;
		ctx.entry.taskId = render.taskId;
	}
	const ready = sim._isTerminal(render);
	return { code: 200, msg: ready ? 'success' : '1080P video is being processed', data: { resultUrl: ready ? render.resultUrls[0] : null } };
}

// ---------------------------------------------------------------------------------------------
// hooks into the Simulator class

/**
 * Hooks tasks of the families `names` into the Simulator class: their records (`recordOf(sim, task)`), their
 * callbacks (`payloadOf(sim, task)`, undefined: the next hook's) and their admin summaries.
 */
function hookFamilies(Simulator, names, recordOf, payloadOf) {
	const proto = Simulator.prototype;
	const taskRecord = proto.taskRecord;
	proto.taskRecord = function (taskId) {
		const task = this.tasks.get(taskId);
		if (task && names.has(task.family)) return recordOf(this, task);
		return taskRecord.call(this, taskId);
	};
	const sendCallback = proto._sendCallback;
	proto._sendCallback = function (task) {
		const payload = payloadOf(this, task);
		if (payload === undefined) return sendCallback.call(this, task);
		return this.callbackDispatcher.deliver({ taskId: task.taskId, url: task.callBackUrl, family: task.family, payload, fault: task.callbackFault });
	};
	const taskSummary = proto._taskSummary;
	proto._taskSummary = function (task) {
		if (!names.has(task.family)) return taskSummary.call(this, task);
		const { timer, files, callbackPromise, body, ...rest } = task;
		return { ...rest, finalized: this._isTerminal(task), callbackFault: task.callbackFault ? task.callbackFault.kind : null, record: recordOf(this, task) };
	};
}

function install(Simulator) {
	const proto = Simulator.prototype;
	hookFamilies(Simulator, FAMILY_NAMES, record, (sim, task) => (FAMILY_NAMES.has(task.family) ? callbackPayload(sim, task) : undefined));
	// Family tasks mix media (a video and its cover, tracks and their covers): each file has its own type.
	const resolveFilePath = proto._resolveFilePath;
	proto._resolveFilePath = function (pathname) {
		let p;
		try {
			p = decodeURIComponent(pathname);
		} catch {
			return null;
		}
		const m = /^\/files\/([^/]+)\/(\d+)\.([a-z0-9]+)$/.exec(p);
		const task = m && this.tasks.get(m[1]);
		if (!task || !task.fileMedia) return resolveFilePath.call(this, pathname);
		const index = Number(m[2]);
		const kind = task.fileMedia[index];
		if (!kind || EXT[kind] !== m[3]) return null;
		this._isTerminal(task);
		const view = Object.create(task, { media: { value: kind }, ext: { value: EXT[kind] } });
		return { type: 'result', task: view, index, pathname };
	};
}

module.exports = {
	ROUTES,
	registerRoutes,
	handles,
	answer,
	install,
	record,
	callbackPayload,
	sunoPayload,
	// for suno-tools.js
	addRoutes,
	readRecord,
	hookFamilies,
	newFamilyTask,
	progress,
	recTime,
	spaced,
	iso,
	uuid,
	obj,
	sunoCommon,
	SUNO_VERSIONS,
};
