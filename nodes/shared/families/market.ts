import type { IDataObject } from 'n8n-workflow';

import {
	accountingFields,
	extractResultUrls,
	parseRecord,
	type TaskResult,
	type TaskState,
	toNumberOrNull,
	toStringOrNull,
} from './result';
import type { ApiFamily } from './types';

const RUNNING = new Set(['waiting', 'queuing', 'generating', 'pending', 'running']);

function marketState(record: IDataObject): TaskState {
	const state = typeof record.state === 'string' ? record.state.toLowerCase() : undefined;
	if (state === 'success') return 'success';
	if (state === 'fail' || state === 'failed') return 'failed';
	if (state && RUNNING.has(state)) return 'pending';
	// successFlag: 0 running, 1 success, 2/3 failed (live samples and callbacks).
	const flag = toNumberOrNull(record.successFlag);
	if (flag === 1) return 'success';
	if (flag !== null && flag >= 2) return 'failed';
	return 'pending';
}

/** The Market jobs API: one create endpoint and one details endpoint for most models. */
export const MARKET: ApiFamily = {
	name: 'market',
	displayName: 'Market Jobs (Most Models)',
	createPath: '/api/v1/jobs/createTask',
	recordPath: '/api/v1/jobs/recordInfo',
	buildCreateBody(model, input, callBackUrl) {
		return { model: model.id, ...(callBackUrl ? { callBackUrl } : {}), input: input as IDataObject };
	},
	taskIdFromCreate(data) {
		return toStringOrNull((data as IDataObject | undefined)?.taskId) ?? undefined;
	},
	normalize: normalizeRecord,
	// A Market callback is the task record in the envelope (code 200, or 501 on failure).
	callback: {
		matches: (data) => ('state' in data || 'resultJson' in data || 'param' in data ? 1 : 0),
		normalize(data, { taskId, code, msg }) {
			const result = normalizeRecord(data, { taskId });
			// A failure callback (code 501) may leave `state` out.
			if (!('state' in data) && !('successFlag' in data)) result.state = code === 200 ? 'success' : 'failed';
			if (result.state === 'failed') {
				result.failCode = result.failCode ?? (code !== null ? String(code) : null);
				result.failMsg = result.failMsg ?? msg;
			}
			return { result };
		},
	},
};

function normalizeRecord(record: IDataObject, fallback: { taskId: string; model?: string }): TaskResult {
	return {
		taskId: toStringOrNull(record.taskId) ?? fallback.taskId,
		model: toStringOrNull(record.model) ?? fallback.model ?? '',
		state: marketState(record),
		resultUrls: extractResultUrls(record.response, record.resultJson),
		failCode: toStringOrNull(record.failCode),
		failMsg: toStringOrNull(record.failMsg),
		...accountingFields(record),
		raw: parseRecord(record),
	};
}
