import type { IDataObject } from 'n8n-workflow';

import {
	accountingFields,
	extractResultUrls,
	parseRecord,
	taskResult,
	type TaskResult,
	type TaskState,
	toNumberOrNull,
	toStringOrNull,
} from './result';
import { FOUR_O_MODEL_ID } from './fourOImage';
import { MARKET, marketState } from './market';
import { successFlagState, urls } from './ownApi';
import { lyricsOf } from './suno';

export type CallbackFamily = 'market' | '4o' | 'flux-kontext' | 'veo' | 'runway' | 'aleph' | 'suno' | 'unknown';

export interface NormalizedCallback {
	family: CallbackFamily;
	/** Suno's `callbackType` (text, first, complete, error) or another family's stage name. */
	stage: string | null;
	/** The envelope `code` and `msg` of the callback. */
	code: number | null;
	msg: string | null;
	result: TaskResult;
}

const SUNO_STAGES = new Set(['text', 'first', 'complete', 'error']);

/** The task id of a callback, wherever the family puts it: data.task_id, data.taskId, or taskId. */
export function callbackTaskId(body: IDataObject): string | undefined {
	const data = (body?.data ?? {}) as IDataObject;
	return toStringOrNull(data.task_id ?? data.taskId ?? body?.taskId) ?? undefined;
}

export function detectCallbackFamily(body: IDataObject): CallbackFamily {
	const data = (body?.data ?? {}) as IDataObject;
	if (typeof data.callbackType === 'string' && SUNO_STAGES.has(data.callbackType)) return 'suno';
	if ('info' in data) {
		const info = data.info as IDataObject | null;
		if (info && ('resultImageUrl' in info || 'originImageUrl' in info)) return 'flux-kontext';
		if ('promptJson' in data || 'fallbackFlag' in data || (info && 'resultUrls' in info)) return 'veo';
		return '4o';
	}
	// Aleph: the Aleph callback page puts `result_video_url` in data and the task id at the top; the
	// reference also describes a record-style `successFlag` + `response.resultVideoUrl`.
	if ('result_video_url' in data || 'result_image_url' in data) return 'aleph';
	const response = data.response as IDataObject | null | undefined;
	if ('successFlag' in data && response && typeof response === 'object' && 'resultVideoUrl' in response) return 'aleph';
	if ('video_url' in data || 'video_id' in data || 'image_url' in data) return 'runway';
	if ('state' in data || 'resultJson' in data || 'param' in data) return 'market';
	return 'unknown';
}

function base(taskId: string, model: string, state: TaskState, code: number | null, msg: string | null, raw: IDataObject): TaskResult {
	const failed = state === 'failed';
	return taskResult({
		taskId,
		model,
		state,
		failCode: failed && code !== null ? String(code) : null,
		failMsg: failed ? msg : null,
		raw,
	});
}

/** Turns any documented KIE callback into the same result shape as Create Task and Get Task. */
export function normalizeCallback(body: IDataObject): NormalizedCallback {
	const code = toNumberOrNull(body?.code);
	const msg = toStringOrNull(body?.msg ?? body?.message);
	const data = ((body?.data ?? {}) as IDataObject) || {};
	const taskId = callbackTaskId(body) ?? '';
	const family = detectCallbackFamily(body);
	const ok = code === 200;

	switch (family) {
		case 'market': {
			const result = MARKET.normalize(data, { taskId });
			// A failure callback (code 501) may leave `state` out.
			if (!('state' in data) && !('successFlag' in data)) result.state = ok ? marketState({ state: 'success' }) : 'failed';
			if (result.state === 'failed') {
				result.failCode = result.failCode ?? (code !== null ? String(code) : null);
				result.failMsg = result.failMsg ?? msg;
			}
			return { family, stage: null, code, msg, result };
		}
		case '4o':
		case 'veo': {
			const info = (data.info ?? null) as IDataObject | null;
			const model = family === '4o' ? FOUR_O_MODEL_ID : 'veo3';
			const result = base(taskId, model, ok ? 'success' : 'failed', code, msg, parseRecord(data));
			result.resultUrls = extractResultUrls(info);
			return { family, stage: null, code, msg, result };
		}
		case 'flux-kontext': {
			const info = (data.info ?? {}) as IDataObject;
			const resultUrls = urls(info.resultImageUrl);
			const result = base(taskId, 'flux-kontext', ok && resultUrls.length ? 'success' : 'failed', code, msg, parseRecord(data));
			result.resultUrls = ok ? resultUrls : [];
			return { family, stage: null, code, msg, result };
		}
		case 'aleph': {
			const response = (data.response ?? {}) as IDataObject;
			const resultUrls = urls(data.result_video_url, data.result_image_url, response.resultVideoUrl, response.resultImageUrl);
			const flagged = 'successFlag' in data ? successFlagState(data.successFlag) : null;
			const state: TaskState = flagged ?? (ok && resultUrls.length ? 'success' : 'failed');
			const result = base(taskId, 'runway/aleph', state, code, msg, parseRecord(data));
			result.resultUrls = state === 'success' ? resultUrls : [];
			if (state === 'failed' && flagged) {
				result.failCode = toStringOrNull(data.errorCode) ?? result.failCode;
				result.failMsg = toStringOrNull(data.errorMessage) ?? result.failMsg;
			}
			return { family, stage: null, code, msg, result };
		}
		case 'runway': {
			const videoUrl = toStringOrNull(data.video_url);
			const state: TaskState = ok && videoUrl ? 'success' : 'failed';
			const result = base(taskId, 'runway', state, code, msg, { ...data });
			result.resultUrls = [videoUrl, toStringOrNull(data.image_url)].filter((url): url is string => !!url);
			return { family, stage: null, code, msg, result };
		}
		case 'suno': {
			const stage = String(data.callbackType);
			const tracks = (Array.isArray(data.data) ? data.data : []) as IDataObject[];
			const state: TaskState = stage === 'error' || !ok ? 'failed' : stage === 'complete' ? 'success' : 'pending';
			// Lyrics callbacks carry text variants ({text, title, status}) instead of tracks.
			const isLyrics = tracks.length > 0 && tracks.every((track) => 'text' in track && !('audio_url' in track));
			const model = isLyrics ? 'suno/lyrics' : (toStringOrNull(tracks[0]?.model_name) ?? 'suno');
			const result = base(taskId, model, state, code, msg, { ...data });
			result.resultUrls = tracks.map((track) => toStringOrNull(track.audio_url)).filter((url): url is string => !!url);
			if (isLyrics) result.lyrics = lyricsOf(tracks);
			return { family, stage, code, msg, result };
		}
		default: {
			const state: TaskState = ok ? 'success' : code === null ? 'pending' : 'failed';
			const result = { ...base(taskId, toStringOrNull(data.model) ?? '', state, code, msg, { ...data }), ...accountingFields(data) };
			result.resultUrls = extractResultUrls(data, data.response, data.resultJson);
			return { family, stage: toStringOrNull(data.callbackType), code, msg, result };
		}
	}
}
