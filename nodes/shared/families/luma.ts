import type { IDataObject } from 'n8n-workflow';

import { dataTaskId, flagResult, flatBody, successFlagState, urls } from './ownApi';
import { callbackResult, creditsOf, parseRecord, type TaskState, toIsoTime } from './result';
import type { ApiFamily } from './types';

/**
 * Luma modify (video to video): `POST /api/v1/modify/generate`, `GET /api/v1/modify/record-info`;
 * `successFlag` 0 generating, 1 success, 2 create failed, 3 generate failed, 4 callback failed. The
 * record's result is `response.resultUrls` (as Veo; any other documented result key as a fallback);
 * `response.originUrls` is the input video, not a result.
 */
export const LUMA: ApiFamily = {
	name: 'luma',
	displayName: 'Luma Modify',
	createPath: '/api/v1/modify/generate',
	recordPath: '/api/v1/modify/record-info',
	buildCreateBody(_model, input, callBackUrl) {
		return flatBody(input, callBackUrl);
	},
	taskIdFromCreate: dataTaskId,
	normalize(record, fallback) {
		const raw = parseRecord(record);
		const response = (raw.response ?? {}) as IDataObject;
		const result = flagResult(record, fallback, {
			model: 'luma-modify',
			resultUrls: urls(response.resultUrls, response.resultVideoUrl, response.resultUrl),
		});
		return { ...result, createTime: toIsoTime(record.createTime), completeTime: toIsoTime(record.completeTime) };
	},
	// {code, msg, data: {taskId, promptJson, resultUrls}} (the docs' callback page); a failure is code 500 with
	// {taskId, promptJson} and no `resultUrls`. Veo's callbacks also carry `promptJson`, but always with `info`
	// or `fallbackFlag`. A record-shaped body ({successFlag, response: {resultUrls}}) is read as well.
	callback: {
		matches(data) {
			if ('info' in data || 'fallbackFlag' in data) return 0;
			if ('resultUrls' in data || 'promptJson' in data) return 2;
			const response = data.response as IDataObject | null | undefined;
			return 'successFlag' in data && 'paramJson' in data && response && typeof response === 'object' && 'resultUrls' in response ? 1 : 0;
		},
		normalize(data, envelope) {
			const response = (data.response ?? {}) as IDataObject;
			const resultUrls = urls(data.resultUrls, response.resultUrls);
			const flagged = 'successFlag' in data ? successFlagState(data.successFlag) : null;
			const state: TaskState = flagged ?? (envelope.code === 200 && resultUrls.length > 0 ? 'success' : 'failed');
			const result = callbackResult(envelope.taskId, 'luma/modify', state, envelope, parseRecord(data));
			result.resultUrls = state === 'success' ? resultUrls : [];
			result.creditsConsumed = creditsOf(data);
			return { result };
		},
	},
};
