import type { IDataObject } from 'n8n-workflow';

import { callbackResult, creditsOf, parseRecord, taskResult, type TaskState, toIsoTime, toNumberOrNull, toStringOrNull } from './result';
import { dataTaskId, flatBody, recordParams, urls } from './ownApi';
import type { ApiFamily } from './types';

const SUNO_STAGES = new Set(['text', 'first', 'complete', 'error']);

/** Suno `status`: PENDING, TEXT_SUCCESS, FIRST_SUCCESS run; SUCCESS; every *_FAILED / *_ERROR / *_EXCEPTION fails. */
function sunoState(status: unknown): TaskState {
	const value = typeof status === 'string' ? status.toUpperCase() : '';
	if (value === 'SUCCESS') return 'success';
	if (/FAIL|ERROR|EXCEPTION/.test(value)) return 'failed';
	return 'pending';
}

function failure(record: IDataObject, state: TaskState): { failCode: string | null; failMsg: string | null } {
	if (state !== 'failed') return { failCode: null, failMsg: null };
	return {
		failCode: toStringOrNull(record.errorCode) ?? toStringOrNull(record.status),
		failMsg: toStringOrNull(record.errorMessage) ?? toStringOrNull(record.status),
	};
}

/**
 * Suno music: `POST /api/v1/generate` (extend, upload-cover, upload-extend, add-instrumental, add-vocals,
 * replace-section, sounds and mashup are registry operations with their own create path),
 * `GET /api/v1/generate/record-info`; the tracks are also output as `tracks` (see tracksOf);
 * the tracks in `response.sunoData[]` (`audioUrl`, the result; `streamAudioUrl`, `imageUrl` and real KIE's
 * `sourceAudioUrl`, `sourceStreamAudioUrl`, `sourceImageUrl` stay in `raw`; `createTime` in epoch ms). Records
 * also carry `type`, `operationType` and `parentMusicId` (in `raw`). KIE rejects a create without `callBackUrl`.
 */
export const SUNO: ApiFamily = {
	name: 'suno',
	displayName: 'Suno',
	createPath: '/api/v1/generate',
	recordPath: '/api/v1/generate/record-info',
	requiresCallBackUrl: true,
	buildCreateBody(_model, input, callBackUrl) {
		return flatBody(input, callBackUrl);
	},
	taskIdFromCreate: dataTaskId,
	normalize(record, fallback) {
		const raw = parseRecord(record);
		const state = sunoState(record.status);
		const response = (record.response ?? {}) as IDataObject;
		const tracks = (Array.isArray(response.sunoData) ? response.sunoData : []) as IDataObject[];
		return taskResult({
			taskId: toStringOrNull(record.taskId) ?? fallback.taskId,
			model: fallback.model ?? toStringOrNull(recordParams(raw).model) ?? toStringOrNull(tracks[0]?.modelName) ?? 'suno',
			state,
			resultUrls: urls(tracks.map((track) => track.audioUrl)),
			...tracksOf(tracks, 'audioUrl'),
			...failure(record, state),
			creditsConsumed: creditsOf(record),
			createTime: toIsoTime(record.createTime ?? tracks[0]?.createTime),
			raw,
		});
	},
	// Staged: data.callbackType is text (lyrics ready), first (first track), complete (all tracks) or error;
	// the tracks (or, for lyrics, the text variants `{text, title, status: "complete", error_message}`) are in
	// data.data. The outcome is the envelope code: a lyrics callback rejected by moderation is code 400 with
	// callbackType "complete" and data.data null, a failure.
	callback: {
		matches: (data) => (typeof data.callbackType === 'string' && SUNO_STAGES.has(data.callbackType) ? 3 : 0),
		normalize(data, envelope) {
			const stage = String(data.callbackType);
			const tracks = (Array.isArray(data.data) ? data.data : []) as IDataObject[];
			const state: TaskState = stage === 'error' || envelope.code !== 200 ? 'failed' : stage === 'complete' ? 'success' : 'pending';
			// Lyrics callbacks carry text variants ({text, title, status}) instead of tracks.
			const isLyrics = tracks.length > 0 && tracks.every((track) => 'text' in track && !('audio_url' in track));
			const model = isLyrics ? 'suno/lyrics' : (toStringOrNull(tracks[0]?.model_name) ?? 'suno');
			const result = callbackResult(envelope.taskId, model, state, envelope, { ...data });
			// Tracks may share a URL (the docs' example does): each file once.
			result.resultUrls = urls(tracks.map((track) => track.audio_url));
			result.creditsConsumed = creditsOf(data);
			if (isLyrics) result.lyrics = lyricsOf(tracks);
			else Object.assign(result, tracksOf(tracks, 'audio_url'));
			return { stage, result };
		},
	},
};

/**
 * Suno lyrics: `POST /api/v1/lyrics`, `GET /api/v1/lyrics/record-info`; the result is text, not files:
 * `response.data[]` = `{text, title, status, errorMessage}`, output as `lyrics: [{title, text}]`.
 */
export const SUNO_LYRICS: ApiFamily = {
	name: 'suno-lyrics',
	displayName: 'Suno Lyrics',
	createPath: '/api/v1/lyrics',
	recordPath: '/api/v1/lyrics/record-info',
	requiresCallBackUrl: true,
	// Lyrics callbacks come in Suno's staged shape and are read there.
	buildCreateBody(_model, input, callBackUrl) {
		return flatBody(input, callBackUrl);
	},
	taskIdFromCreate: dataTaskId,
	normalize(record, fallback) {
		const state = sunoState(record.status);
		const response = (record.response ?? {}) as IDataObject;
		const variants = (Array.isArray(response.data) ? response.data : []) as IDataObject[];
		return taskResult({
			taskId: toStringOrNull(record.taskId) ?? fallback.taskId,
			model: fallback.model ?? 'suno/lyrics',
			state,
			resultUrls: [],
			lyrics: lyricsOf(variants),
			...failure(record, state),
			creditsConsumed: creditsOf(record),
			raw: parseRecord(record),
		});
	},
};

/**
 * The tracks of a music record or callback, `[{id, audioUrl, title, duration}]`: the track ids are what
 * the toolbox operations (WAV, stems, video…) take as `audioId`, so they are in the output without the raw
 * record. Left out when there are none (a task still running).
 */
function tracksOf(tracks: IDataObject[], audioKey: 'audioUrl' | 'audio_url'): { tracks?: IDataObject[] } {
	const listed = tracks.filter((track) => toStringOrNull(track?.id) !== null);
	if (listed.length === 0) return {};
	return {
		tracks: listed.map((track) => ({
			id: String(track.id),
			audioUrl: toStringOrNull(track[audioKey]),
			title: toStringOrNull(track.title),
			duration: toNumberOrNull(track.duration),
		})),
	};
}

const FAILED_VARIANT = /fail|error/i;

/**
 * The finished lyric variants of a record or a callback (`text`, `title`): a variant whose `status` says it
 * failed (`failed`, `error`…) or that has no text is left out (`status: "complete"` and an empty
 * `error_message`/`errorMessage` are what a finished one carries).
 */
function lyricsOf(variants: IDataObject[]): IDataObject[] {
	return variants
		.filter((variant) => typeof variant.text === 'string' && variant.text !== '' && !FAILED_VARIANT.test(String(variant.status ?? '')))
		.map((variant) => ({ title: toStringOrNull(variant.title) ?? '', text: String(variant.text) }));
}
