import type { IDataObject } from 'n8n-workflow';

import { callbackResult, creditsOf, extractResultUrls, parseRecord, taskResult, toIsoTime, toStringOrNull } from './result';
import { dataTaskId, flagResult, flatBody, urls } from './ownApi';
import type { ApiFamily } from './types';

/**
 * Veo 3.1: `POST /api/v1/veo/generate` (extend and get-4k-video are registry operations with their own
 * create path), `GET /api/v1/veo/record-info` for all of them; `successFlag` 0 generating, 1 success,
 * 2/3 failed; videos in `response.resultUrls` (`fullResultUrls`, often `null` in real answers, `originUrls`,
 * `hasAudioList`, `seeds` and `response.taskId` stay in `raw`).
 */
export const VEO: ApiFamily = {
	name: 'veo',
	displayName: 'Veo 3.1',
	createPath: '/api/v1/veo/generate',
	recordPath: '/api/v1/veo/record-info',
	buildCreateBody(_model, input, callBackUrl) {
		return flatBody(input, callBackUrl);
	},
	taskIdFromCreate: dataTaskId,
	normalize(record, fallback) {
		const response = (record.response ?? {}) as IDataObject;
		const result = flagResult(record, fallback, { model: 'veo3.1', resultUrls: urls(response.resultUrls) });
		return { ...result, createTime: toIsoTime(record.createTime), completeTime: toIsoTime(record.completeTime) };
	},
	// {code, msg, data: {taskId, promptJson, info: {resultUrls, originUrls, resolution}, fallbackFlag}}, and the
	// 4K callback {taskId, info: {resultUrls, imageUrls}}. Failures leave `info` out: {taskId, fallbackFlag}
	// (content policy 400, the 422 "use our other fallback channels"), and the 4K failure is {taskId} alone
	// with a message about the 4K version.
	callback: {
		matches(data, body) {
			// `fallbackFlag` is Veo's alone.
			if ('fallbackFlag' in data) return 2;
			if ('info' in data) {
				const info = data.info as IDataObject | null;
				return 'promptJson' in data || (info && typeof info === 'object' && 'resultUrls' in info) ? 2 : 0;
			}
			// Only a task id: nothing but the message tells the family (the 4K failure names the 4K video).
			const keys = Object.keys(data);
			const onlyTaskId = keys.length > 0 && keys.every((key) => key === 'taskId');
			return onlyTaskId && /\b4K\b/i.test(String(body?.msg ?? body?.message ?? '')) ? 1 : 0;
		},
		normalize(data, envelope) {
			const result = callbackResult(envelope.taskId, 'veo3', envelope.code === 200 ? 'success' : 'failed', envelope, parseRecord(data));
			result.resultUrls = result.state === 'success' ? extractResultUrls(data.info) : [];
			result.creditsConsumed = creditsOf(data);
			return { result };
		},
	},
};

/** Separates the video index from a 1080p "task id" (`<taskId>` or `<taskId>#<index>`). */
function splitVeoIndex(id: string): { taskId: string; index: number } {
	const match = id.match(/^(.*)#(\d+)$/);
	return match ? { taskId: match[1], index: Number(match[2]) } : { taskId: id, index: 0 };
}

/**
 * Veo 3.1 1080p: `GET /api/v1/veo/get-1080p-video?taskId=&index=` answers `data.resultUrl` once KIE has
 * rendered it (1–3 min after the video). There is no new task and no callback: the "task id" is the
 * video's task id (plus `#index` for index > 0), and reading it asks the same endpoint again.
 */
export const VEO_1080P: ApiFamily = {
	name: 'veo-1080p',
	displayName: 'Veo 3.1 1080p Video',
	createPath: '/api/v1/veo/get-1080p-video',
	createMethod: 'GET',
	recordPath: '/api/v1/veo/get-1080p-video',
	noCallbacks: true,
	buildCreateBody(_model, input) {
		return { ...(input as IDataObject) };
	},
	taskIdFromCreate(_data, body) {
		const taskId = toStringOrNull(body?.taskId);
		if (!taskId) return undefined;
		const index = Number(body?.index ?? 0);
		return index > 0 ? `${taskId}#${index}` : taskId;
	},
	recordQuery(id) {
		const { taskId, index } = splitVeoIndex(id);
		return { taskId, index };
	},
	normalize(record, fallback) {
		const resultUrls = urls(record.resultUrl);
		return taskResult({
			taskId: fallback.taskId,
			model: fallback.model ?? 'veo3.1/1080p',
			state: resultUrls.length ? 'success' : 'pending',
			resultUrls,
			raw: { ...record },
		});
	},
};
