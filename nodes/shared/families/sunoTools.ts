import type { IDataObject } from 'n8n-workflow';

import { callbackResult, parseRecord, taskResult, type TaskResult, type TaskState, toIsoTime, toNumberOrNull, toStringOrNull } from './result';
import { dataTaskId, flatBody, successFlagState, urls } from './ownApi';
import type { ApiFamily } from './types';

/**
 * Suno's toolbox on an existing track (KIE's Suno API pages; docs/research/suno-toolbox.md): WAV, vocal
 * and stem separation, MIDI, music video, cover image, and the synchronous calls (timestamped lyrics,
 * persona, boost style). Each has its own record and callback shape, and its status field differs:
 * a string `successFlag` (WAV, stems, video), an integer one (MIDI, cover image).
 */

/** The string `successFlag` of WAV, stems and video: SUCCESS; PENDING runs; *_FAILED / *_EXCEPTION fail. */
function stringFlagState(flag: unknown): TaskState {
	const value = typeof flag === 'string' ? flag.toUpperCase() : '';
	if (value === 'SUCCESS') return 'success';
	if (/FAIL|ERROR|EXCEPTION/.test(value)) return 'failed';
	// A numeric flag (a record in another edition of the docs) reads as the integer families do.
	return typeof flag === 'number' ? successFlagState(flag) : 'pending';
}

/**
 * The cover image's integer `successFlag`: 1 success, 3 failed; the docs disagree on 2 ("Generating" in
 * the schema, "create failed" in the prose), so 2 fails only when the record names an error.
 */
function coverFlagState(record: IDataObject): TaskState {
	const flag = toNumberOrNull(record.successFlag);
	if (flag === 1) return 'success';
	if (flag !== null && flag >= 3) return 'failed';
	const code = toNumberOrNull(record.errorCode);
	if (flag === 2 && ((code !== null && code !== 200 && code !== 0) || toStringOrNull(record.errorMessage) !== null)) return 'failed';
	return 'pending';
}

/** A toolbox record as a result: the state, failure (errorCode / errorMessage, else the flag), times. */
function toolboxResult(
	record: IDataObject,
	fallback: { taskId: string; model?: string },
	model: string,
	state: TaskState,
	fields: Partial<TaskResult> = {},
): TaskResult {
	const failed = state === 'failed';
	return taskResult({
		taskId: toStringOrNull(record.taskId) ?? fallback.taskId,
		model: fallback.model ?? model,
		state,
		failCode: failed ? (toStringOrNull(record.errorCode) ?? toStringOrNull(record.successFlag)) : null,
		failMsg: failed ? (toStringOrNull(record.errorMessage) ?? `${toStringOrNull(record.successFlag) ?? 'failed'}`) : null,
		createTime: toIsoTime(record.createTime),
		completeTime: state === 'pending' ? null : toIsoTime(record.completeTime),
		raw: parseRecord(record),
		...(state === 'success' ? fields : {}),
	});
}

/** The result of a toolbox callback: the envelope code says the outcome (200; KIE's YAML also says 0). */
function toolboxCallback(envelope: { taskId: string; code: number | null; msg: string | null }, model: string, data: IDataObject, found: boolean): TaskResult {
	const ok = (envelope.code === 200 || envelope.code === 0) && found;
	const result = callbackResult(envelope.taskId, model, ok ? 'success' : 'failed', envelope, { ...data });
	// A success code without the result is a failure too: nothing to hand over.
	if (!ok && result.failCode === null) result.failCode = envelope.code === null ? null : String(envelope.code);
	if (!ok && !result.failMsg) result.failMsg = 'KIE called back without a result';
	return result;
}

const has = (data: IDataObject, key: string) => Object.prototype.hasOwnProperty.call(data, key);

/** How one toolbox operation differs from the others: its paths' base, its record and its callback. */
interface ToolSpec {
	name: string;
	displayName: string;
	/** `<base>/generate` creates, `<base>/record-info` reads. */
	base: string;
	/** The registry model a record or callback of this family belongs to. */
	model: string;
	/** The record's state and, on success, its result fields. */
	read(record: IDataObject): { state: TaskState; fields: Partial<TaskResult> };
	matches(data: IDataObject, body: IDataObject): number;
	/** The callback's result fields, or undefined when it carries none (a failure). */
	called(data: IDataObject): Partial<TaskResult> | undefined;
}

/** A toolbox family: a flat camelCase body with `callBackUrl` (required), `data.taskId` back, its record and callback. */
function toolFamily(spec: ToolSpec): ApiFamily {
	return {
		name: spec.name,
		displayName: spec.displayName,
		createPath: `${spec.base}/generate`,
		recordPath: `${spec.base}/record-info`,
		requiresCallBackUrl: true,
		buildCreateBody: (_model, input, callBackUrl) => flatBody(input, callBackUrl),
		taskIdFromCreate: dataTaskId,
		normalize(record, fallback) {
			const { state, fields } = spec.read(record);
			return toolboxResult(record, fallback, spec.model, state, fields);
		},
		callback: {
			matches: spec.matches,
			normalize(data, envelope) {
				const fields = spec.called(data);
				const result = toolboxCallback(envelope, spec.model, data, fields !== undefined);
				if (result.state === 'success') Object.assign(result, fields);
				return { result };
			},
		},
	};
}

/** Result fields of one file URL, or undefined without one. */
function fileFields(...values: unknown[]): Partial<TaskResult> | undefined {
	const resultUrls = urls(...values);
	return resultUrls.length ? { resultUrls } : undefined;
}

/**
 * Convert to WAV: `POST /api/v1/wav/generate` {taskId, audioId, callBackUrl}, `GET /api/v1/wav/record-info`;
 * string `successFlag`, the file in `response.audioWavUrl` (clients also read `audio_wav_url`, `wavUrl`,
 * `wav_url`). Callback `{task_id, audioWavUrl}` (null on failure).
 */
export const SUNO_WAV = toolFamily({
	name: 'suno-wav',
	displayName: 'Suno WAV',
	base: '/api/v1/wav',
	model: 'suno/convert-to-wav',
	read(record) {
		const response = (record.response ?? {}) as IDataObject;
		return { state: stringFlagState(record.successFlag), fields: fileFields(response.audioWavUrl, response.audio_wav_url, response.wavUrl, response.wav_url) ?? {} };
	},
	matches: (data) => (has(data, 'audioWavUrl') || has(data, 'audio_wav_url') ? 4 : 0),
	called: (data) => fileFields(data.audioWavUrl, data.audio_wav_url),
});

/** The stems of a separation record (camelCase `…Url`) or callback (snake_case `…_url`), by stem name. */
const STEMS = [
	'vocal',
	'instrumental',
	'backing_vocals',
	'drums',
	'bass',
	'guitar',
	'piano',
	'keyboard',
	'percussion',
	'strings',
	'synth',
	'fx',
	'brass',
	'woodwinds',
] as const;

const camel = (snake: string) => snake.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

/** Stem name → URL, in KIE's order; `vocal_url` is the "vocals" stem. The source track (`origin_url`) is not a stem. */
export function stemsOf(info: IDataObject | null | undefined): Record<string, string> {
	const stems: Record<string, string> = {};
	if (!info || typeof info !== 'object') return stems;
	for (const stem of STEMS) {
		const url = urls(info[`${stem}_url`], info[`${camel(stem)}Url`])[0];
		if (url) stems[stem === 'vocal' ? 'vocals' : stem] = url;
	}
	return stems;
}

/** `stems` (name → URL) and every stem URL as a result, or undefined without any. */
function stemFields(stems: Record<string, string>): Partial<TaskResult> | undefined {
	return Object.keys(stems).length ? { resultUrls: Object.values(stems), stems } : undefined;
}

/**
 * Separate Vocals / Split Stems: `POST /api/v1/vocal-removal/generate` {taskId, audioId, type, callBackUrl},
 * `GET /api/v1/vocal-removal/record-info`; string `successFlag`; the stems in `response.<stem>Url`
 * (`originData[]` holds each stem's id, which Generate MIDI takes as `audioId`: output as `stemIds`).
 * Callback `{task_id, vocal_separation_info: {<stem>_url…}}`, `vocal_separation_info: null` on failure.
 */
export const SUNO_STEMS = toolFamily({
	name: 'suno-stems',
	displayName: 'Suno Vocal/Stem Separation',
	base: '/api/v1/vocal-removal',
	model: 'suno/separate-vocals',
	read(record) {
		const response = (record.response ?? {}) as IDataObject;
		const origin = (Array.isArray(response.originData) ? response.originData : []) as IDataObject[];
		const stemIds: IDataObject = {};
		for (const entry of origin) {
			const name = toStringOrNull(entry?.stem_type_group_name);
			const id = toStringOrNull(entry?.id);
			if (name && id) stemIds[name.toLowerCase().replace(/[^a-z0-9]+/g, '_')] = id;
		}
		const fields = { ...stemFields(stemsOf(response)), ...(Object.keys(stemIds).length ? { stemIds } : {}) };
		return { state: stringFlagState(record.successFlag), fields };
	},
	matches: (data) => (has(data, 'vocal_separation_info') ? 4 : 0),
	called: (data) => stemFields(stemsOf(data.vocal_separation_info as IDataObject | null)),
});

/** MIDI notes as numbers: the callback may send `start`/`end` as strings. */
function midiOf(source: IDataObject): IDataObject {
	const instruments = (Array.isArray(source.instruments) ? source.instruments : []) as IDataObject[];
	return {
		state: toStringOrNull(source.state),
		instruments: instruments.map((instrument) => ({
			name: toStringOrNull(instrument?.name) ?? '',
			notes: ((Array.isArray(instrument?.notes) ? instrument.notes : []) as IDataObject[]).map((note) => ({
				pitch: toNumberOrNull(note.pitch),
				start: toNumberOrNull(note.start),
				end: toNumberOrNull(note.end),
				velocity: toNumberOrNull(note.velocity),
			})),
		})),
	};
}

/**
 * Generate MIDI (from a separation task): `POST /api/v1/midi/generate` {taskId, audioId?, callBackUrl},
 * `GET /api/v1/midi/record-info`; integer `successFlag` (0 running, 1 success, 2 create failed, 3 failed);
 * the result is data, not files: `midiData: {state, instruments: [{name, notes: [{pitch, start, end,
 * velocity}]}]}`, output as `midi`. Callback `{taskId, state, instruments}` (no `midiData` wrapper).
 */
export const SUNO_MIDI = toolFamily({
	name: 'suno-midi',
	displayName: 'Suno MIDI',
	base: '/api/v1/midi',
	model: 'suno/generate-midi',
	read: (record) => ({ state: successFlagState(record.successFlag), fields: { midi: midiOf((record.midiData ?? {}) as IDataObject) } }),
	matches(data, body) {
		if (Array.isArray(data.instruments)) return 4;
		// A failure is `{taskId}` alone: only the message tells the family.
		return /\bmidi\b/i.test(String(body?.msg ?? '')) ? 3 : 0;
	},
	called: (data) => (Array.isArray(data.instruments) ? { midi: midiOf(data) } : undefined),
});

/**
 * Create Music Video: `POST /api/v1/mp4/generate` {taskId, audioId, author?, domainName?, callBackUrl},
 * `GET /api/v1/mp4/record-info`; string `successFlag`; the video in `response.videoUrl`. Callback
 * `{task_id, video_url}` (Runway's has `video_id` and `image_url` besides).
 */
export const SUNO_MP4 = toolFamily({
	name: 'suno-mp4',
	displayName: 'Suno Music Video',
	base: '/api/v1/mp4',
	model: 'suno/music-video',
	read(record) {
		const response = (record.response ?? {}) as IDataObject;
		return { state: stringFlagState(record.successFlag), fields: fileFields(response.videoUrl, response.video_url) ?? {} };
	},
	matches: (data) => (has(data, 'video_url') && has(data, 'task_id') && !has(data, 'video_id') && !has(data, 'image_url') ? 4 : 0),
	called: (data) => fileFields(data.video_url),
});

/**
 * Generate Cover Image (cover art of a music task, not an audio cover): `POST /api/v1/suno/cover/generate`
 * {taskId, callBackUrl}, `GET /api/v1/suno/cover/record-info`; integer `successFlag` (see coverFlagState);
 * the images in `response.images`. Callback `{taskId, images}` (`images: null` on failure).
 */
export const SUNO_COVER = toolFamily({
	name: 'suno-cover',
	displayName: 'Suno Cover Image',
	base: '/api/v1/suno/cover',
	model: 'suno/cover-image',
	read: (record) => ({ state: coverFlagState(record), fields: fileFields(((record.response ?? {}) as IDataObject).images) ?? {} }),
	matches: (data) => (has(data, 'images') && (has(data, 'taskId') || has(data, 'task_id')) && !has(data, 'info') ? 4 : 0),
	called: (data) => fileFields(data.images),
});

/** Bookkeeping keys of a synchronous answer, not part of its result. */
const SYNC_BOOKKEEPING = new Set(['taskId', 'param', 'successFlag', 'errorCode', 'errorMessage', 'createTime', 'creditsConsumed', 'creditsRemaining']);
/**
 * Keys of the normalized result itself: an answer that carries one (no documented answer does) cannot
 * replace the result's state, URLs or record; it stays in `raw`.
 */
const RESULT_KEYS = new Set(['model', 'state', 'resultUrls', 'failCode', 'failMsg', 'remainedCredits', 'costTime', 'completeTime', 'coverUrl', 'raw', '__proto__', 'constructor', 'prototype']);

/**
 * The synchronous Suno calls (timestamped lyrics, persona, boost style): the create answer's `data` is
 * the result, there is no task to read or wait for. Boost Style's `successFlag` is "0"/"1"/"2" (2 failed)
 * and its text is `result`, output as `style`.
 */
export const SUNO_SYNC: ApiFamily = {
	name: 'suno-sync',
	displayName: 'Suno (Synchronous)',
	createPath: '/api/v1/generate/get-timestamped-lyrics',
	recordPath: '',
	synchronous: true,
	buildCreateBody: (_model, input) => flatBody(input),
	taskIdFromCreate: dataTaskId,
	normalize(record, fallback) {
		const flag = toNumberOrNull(record.successFlag);
		const state: TaskState = flag !== null && flag >= 2 ? 'failed' : flag === 0 ? 'pending' : 'success';
		const fields: IDataObject = {};
		for (const [key, value] of Object.entries(record)) {
			if (!SYNC_BOOKKEEPING.has(key) && !RESULT_KEYS.has(key)) fields[key === 'result' ? 'style' : key] = value;
		}
		const result = toolboxResult(record, { taskId: fallback.taskId, model: fallback.model }, 'suno', state, fields);
		result.creditsConsumed = toNumberOrNull(record.creditsConsumed);
		const left = toNumberOrNull(record.creditsRemaining);
		if (left !== null && left >= 0) result.remainedCredits = left;
		return result;
	},
};
