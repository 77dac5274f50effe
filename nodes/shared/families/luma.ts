import type { IDataObject } from 'n8n-workflow';

import { dataTaskId, flagResult, flatBody, urls } from './ownApi';
import { parseRecord, toIsoTime } from './result';
import type { ApiFamily } from './types';

/**
 * Luma modify (video to video): `POST /api/v1/modify/generate`, `GET /api/v1/modify/record-info`;
 * `successFlag` 0 generating, 1 success, 2 create failed, 3 generate failed, 4 callback failed. The
 * reference does not show the record's result field: `response.resultUrls` (as Veo) is read, and any
 * other documented result key as a fallback.
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
};
