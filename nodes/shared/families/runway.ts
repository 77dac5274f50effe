import type { IDataObject } from 'n8n-workflow';

import { callbackResult, costTimeSeconds, creditsOf, parseRecord, taskResult, type TaskState, toIsoTime, toStringOrNull } from './result';
import { dataTaskId, flagResult, flatBody, successFlagState, videoAndCover } from './ownApi';
import type { ApiFamily } from './types';

function runwayState(state: unknown): TaskState {
	const value = typeof state === 'string' ? state.toLowerCase() : '';
	if (value === 'success') return 'success';
	if (value === 'fail' || value === 'failed') return 'failed';
	return 'pending';
}

/**
 * Runway: `POST /api/v1/runway/generate` (extend is a registry operation with its own create path),
 * `GET /api/v1/runway/record-detail`; `state` wait/queueing/generating/success/fail; the video in
 * `videoInfo.videoUrl` (the result) and its cover in `videoInfo.imageUrl` (`coverUrl`, not a result: it
 * is not downloaded as a second file). The docs call `callBackUrl` required.
 */
export const RUNWAY: ApiFamily = {
	name: 'runway',
	displayName: 'Runway',
	createPath: '/api/v1/runway/generate',
	recordPath: '/api/v1/runway/record-detail',
	requiresCallBackUrl: true,
	buildCreateBody(_model, input, callBackUrl) {
		return flatBody(input, callBackUrl);
	},
	taskIdFromCreate: dataTaskId,
	normalize(record, fallback) {
		const state = runwayState(record.state);
		const video = (record.videoInfo ?? {}) as IDataObject;
		const failed = state === 'failed';
		const { resultUrls, coverUrl } = videoAndCover([video.videoUrl], video.imageUrl);
		return taskResult({
			taskId: toStringOrNull(record.taskId) ?? fallback.taskId,
			model: fallback.model ?? (toStringOrNull(record.parentTaskId) ? 'runway/extend' : 'runway'),
			state,
			resultUrls: state === 'success' ? resultUrls : [],
			...(state === 'success' && coverUrl ? { coverUrl } : {}),
			failCode: failed ? toStringOrNull(record.failCode) : null,
			failMsg: failed ? (toStringOrNull(record.failMsg) ?? 'Generation failed') : null,
			creditsConsumed: creditsOf(record),
			costTime: costTimeSeconds(record),
			createTime: toIsoTime(record.createTime),
			completeTime: state === 'pending' ? null : toIsoTime(record.generateTime),
			raw: parseRecord(record),
		});
	},
	// snake_case: {code, msg, data: {task_id, video_id, video_url, image_url}}; `video_url` is empty on failure;
	// `image_url` is the cover (`coverUrl`).
	callback: {
		matches: (data) => ('video_url' in data || 'video_id' in data || 'image_url' in data ? 1 : 0),
		normalize(data, envelope) {
			const videoUrl = toStringOrNull(data.video_url);
			const state: TaskState = envelope.code === 200 && videoUrl ? 'success' : 'failed';
			const result = callbackResult(envelope.taskId, 'runway', state, envelope, { ...data });
			const { resultUrls, coverUrl } = videoAndCover([videoUrl], data.image_url);
			result.resultUrls = state === 'success' ? resultUrls : [];
			if (state === 'success' && coverUrl) result.coverUrl = coverUrl;
			return { result };
		},
	},
};

/**
 * Runway Aleph (video to video): `POST /api/v1/aleph/generate`, `GET /api/v1/aleph/record-info`;
 * `successFlag`; the video in `response.resultVideoUrl`, its cover in `response.resultImageUrl` (`coverUrl`).
 */
export const ALEPH: ApiFamily = {
	name: 'aleph',
	displayName: 'Runway Aleph',
	createPath: '/api/v1/aleph/generate',
	recordPath: '/api/v1/aleph/record-info',
	buildCreateBody(_model, input, callBackUrl) {
		return flatBody(input, callBackUrl);
	},
	taskIdFromCreate: dataTaskId,
	normalize(record, fallback) {
		const response = (record.response ?? {}) as IDataObject;
		const { resultUrls, coverUrl } = videoAndCover([response.resultVideoUrl], response.resultImageUrl);
		const result = flagResult(record, fallback, { model: 'runway-aleph', resultUrls });
		return {
			...result,
			...(result.state === 'success' && coverUrl ? { coverUrl } : {}),
			createTime: toIsoTime(record.createTime),
			completeTime: toIsoTime(record.completeTime),
		};
	},
	// The Aleph callback page puts `result_video_url` in data and the task id at the top; the reference also
	// describes a record-style `successFlag` + `response.resultVideoUrl`. Both are read.
	callback: {
		matches(data) {
			if ('result_video_url' in data || 'result_image_url' in data) return 2;
			const response = data.response as IDataObject | null | undefined;
			return 'successFlag' in data && response && typeof response === 'object' && 'resultVideoUrl' in response ? 2 : 0;
		},
		normalize(data, envelope) {
			const response = (data.response ?? {}) as IDataObject;
			const { resultUrls, coverUrl } = videoAndCover(
				[data.result_video_url, response.resultVideoUrl],
				toStringOrNull(data.result_image_url) ?? response.resultImageUrl,
			);
			const flagged = 'successFlag' in data ? successFlagState(data.successFlag) : null;
			const state: TaskState = flagged ?? (envelope.code === 200 && resultUrls.length ? 'success' : 'failed');
			const result = callbackResult(envelope.taskId, 'runway/aleph', state, envelope, parseRecord(data));
			result.resultUrls = state === 'success' ? resultUrls : [];
			if (state === 'success' && coverUrl) result.coverUrl = coverUrl;
			if (state === 'failed' && flagged) {
				result.failCode = toStringOrNull(data.errorCode) ?? result.failCode;
				result.failMsg = toStringOrNull(data.errorMessage) ?? result.failMsg;
			}
			return { result };
		},
	},
};
