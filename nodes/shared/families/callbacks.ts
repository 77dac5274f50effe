import type { IDataObject } from 'n8n-workflow';

import {
	accountingFields,
	extractResultUrls,
	parseRecord,
	type TaskResult,
	type TaskState,
	toNumberOrNull,
	toStringOrNull,
} from '../helpers/normalize';
import { FOUR_O_MODEL_ID } from './fourOImage';
import { MARKET, marketState } from './market';

export type CallbackFamily = 'market' | '4o' | 'veo' | 'runway' | 'suno' | 'unknown';

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
		if ('promptJson' in data || 'fallbackFlag' in data || (info && 'resultUrls' in info)) return 'veo';
		return '4o';
	}
	if ('video_url' in data || 'video_id' in data || 'image_url' in data) return 'runway';
	if ('state' in data || 'resultJson' in data || 'param' in data) return 'market';
	return 'unknown';
}

function base(taskId: string, model: string, state: TaskState, code: number | null, msg: string | null, raw: IDataObject): TaskResult {
	const failed = state === 'failed';
	return {
		taskId,
		model,
		state,
		resultUrls: [],
		failCode: failed && code !== null ? String(code) : null,
		failMsg: failed ? msg : null,
		creditsConsumed: null,
		costTime: null,
		createTime: null,
		completeTime: null,
		raw,
	};
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
			const model = toStringOrNull(tracks[0]?.model_name) ?? 'suno';
			const result = base(taskId, model, state, code, msg, { ...data });
			result.resultUrls = tracks.map((track) => toStringOrNull(track.audio_url)).filter((url): url is string => !!url);
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
