import type { IDataObject } from 'n8n-workflow';

import { callbackResult, parseRecord, toIsoTime } from './result';
import { dataTaskId, flagResult, flatBody, urls } from './ownApi';
import type { ApiFamily } from './types';

/**
 * Flux Kontext (pro, max): `POST /api/v1/flux/kontext/generate` with the registry id as `model`,
 * `GET /api/v1/flux/kontext/record-info`; `successFlag` 0 generating, 1 success, 2 create failed,
 * 3 generate failed; the result in `response.resultImageUrl` (14 days; `originImageUrl` lasts 10 min).
 */
export const FLUX_KONTEXT: ApiFamily = {
	name: 'flux-kontext',
	displayName: 'Flux Kontext',
	createPath: '/api/v1/flux/kontext/generate',
	recordPath: '/api/v1/flux/kontext/record-info',
	buildCreateBody(model, input, callBackUrl) {
		return { ...flatBody(input, callBackUrl), model: model.id };
	},
	taskIdFromCreate: dataTaskId,
	normalize(record, fallback) {
		const response = (record.response ?? {}) as IDataObject;
		const result = flagResult(record, fallback, { model: 'flux-kontext-pro', resultUrls: urls(response.resultImageUrl) });
		return { ...result, createTime: toIsoTime(record.createTime), completeTime: toIsoTime(record.completeTime) };
	},
	// {code, msg, data: {taskId, info: {originImageUrl, resultImageUrl}}}.
	callback: {
		matches(data) {
			const info = data.info as IDataObject | null | undefined;
			return info && typeof info === 'object' && ('resultImageUrl' in info || 'originImageUrl' in info) ? 2 : 0;
		},
		normalize(data, envelope) {
			const resultUrls = urls(((data.info ?? {}) as IDataObject).resultImageUrl);
			const ok = envelope.code === 200 && resultUrls.length > 0;
			const result = callbackResult(envelope.taskId, 'flux-kontext', ok ? 'success' : 'failed', envelope, parseRecord(data));
			result.resultUrls = ok ? resultUrls : [];
			return { result };
		},
	},
};
