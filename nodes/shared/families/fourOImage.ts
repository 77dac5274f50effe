import type { IDataObject } from 'n8n-workflow';

import {
	accountingFields,
	callbackResult,
	extractResultUrls,
	parseRecord,
	type TaskState,
	toNumberOrNull,
	toStringOrNull,
} from './result';
import type { ApiFamily } from './types';

const FOUR_O_MODEL_ID = '4o-image';

function fourOState(record: IDataObject): TaskState {
	const status = typeof record.status === 'string' ? record.status.toUpperCase() : undefined;
	const flag = toNumberOrNull(record.successFlag);
	if (flag === 1 || status === 'SUCCESS') return 'success';
	if ((flag !== null && flag >= 2) || (status !== undefined && status.includes('FAIL'))) return 'failed';
	return 'pending';
}

/** The 4o Image API (GPT-Image-1): own endpoints, camelCase body, `successFlag` status. */
export const FOUR_O_IMAGE: ApiFamily = {
	name: '4o',
	displayName: '4o Image',
	createPath: '/api/v1/gpt4o-image/generate',
	recordPath: '/api/v1/gpt4o-image/record-info',
	buildCreateBody(_model, input, callBackUrl) {
		return { ...(input as IDataObject), ...(callBackUrl ? { callBackUrl } : {}) };
	},
	taskIdFromCreate(data) {
		return toStringOrNull((data as IDataObject | undefined)?.taskId) ?? undefined;
	},
	normalize(record, fallback) {
		const state = fourOState(record);
		const response = record.response as IDataObject | null | undefined;
		return {
			taskId: toStringOrNull(record.taskId) ?? fallback.taskId,
			model: FOUR_O_MODEL_ID,
			state,
			resultUrls: extractResultUrls(response),
			failCode: state === 'failed' ? toStringOrNull(record.errorCode) : null,
			failMsg: state === 'failed' ? toStringOrNull(record.errorMessage) : null,
			...accountingFields(record),
			raw: parseRecord(record),
		};
	},
	// {code, msg, data: {taskId, info: {result_urls} | null}}: the outcome is the envelope code. Veo and Flux
	// Kontext also use `info`, with more specific keys, so they win over this shape.
	callback: {
		matches: (data) => ('info' in data ? 1 : 0),
		normalize(data, envelope) {
			const result = callbackResult(envelope.taskId, FOUR_O_MODEL_ID, envelope.code === 200 ? 'success' : 'failed', envelope, parseRecord(data));
			result.resultUrls = extractResultUrls(data.info);
			return { result };
		},
	},
};
