import type { IDataObject } from 'n8n-workflow';

import { costTimeSeconds, creditsOf, parseRecord, splitCover, type TaskResult, type TaskState, toNumberOrNull, toStringOrNull } from './result';

/** `successFlag` families (Flux Kontext, Veo, Aleph, Luma): 0 running, 1 success, 2 and above failed. */
export function successFlagState(flag: unknown): TaskState {
	const value = toNumberOrNull(flag);
	if (value === 1) return 'success';
	if (value !== null && value >= 2) return 'failed';
	return 'pending';
}

/** The `data.taskId` of a create answer. */
export function dataTaskId(data: unknown): string | undefined {
	return toStringOrNull((data as IDataObject | undefined)?.taskId) ?? undefined;
}

/** The flat camelCase body of the own-API families: the input plus `callBackUrl`. */
export function flatBody(input: Record<string, unknown>, callBackUrl?: string): IDataObject {
	return { ...(input as IDataObject), ...(callBackUrl ? { callBackUrl } : {}) };
}

/** The request parameters a record echoes (`paramJson` or `param`, parsed). */
export function recordParams(raw: IDataObject): IDataObject {
	const value = raw.paramJson ?? raw.param ?? raw.generateParam;
	return value && typeof value === 'object' && !Array.isArray(value) ? (value as IDataObject) : {};
}

export function urls(...values: unknown[]): string[] {
	const out: string[] = [];
	for (const value of values.flat()) {
		if (typeof value === 'string' && /^https?:\/\//.test(value) && !out.includes(value)) out.push(value);
	}
	return out;
}

/**
 * The common shape of a `successFlag` record: `errorCode` / `errorMessage` on failure, times from
 * `createTime` / `completeTime`.
 */
export function flagResult(
	record: IDataObject,
	fallback: { taskId: string; model?: string },
	defaults: { model: string; resultUrls: string[] },
): TaskResult {
	const raw = parseRecord(record);
	const state = successFlagState(record.successFlag);
	const failed = state === 'failed';
	return {
		taskId: toStringOrNull(record.taskId) ?? fallback.taskId,
		model: fallback.model ?? toStringOrNull(recordParams(raw).model) ?? defaults.model,
		state,
		resultUrls: state === 'success' ? defaults.resultUrls : [],
		failCode: failed ? (toStringOrNull(record.errorCode) ?? toStringOrNull(record.successFlag)) : null,
		failMsg: failed ? (toStringOrNull(record.errorMessage) ?? 'Generation failed') : null,
		creditsConsumed: creditsOf(record),
		costTime: costTimeSeconds(record),
		createTime: null,
		completeTime: null,
		raw,
	};
}

/**
 * A video and its cover image (Runway, Aleph): the video URLs are the results; the cover is its own
 * field, from the family's cover key or, failing that, an image among the video URLs (see splitCover).
 */
export function videoAndCover(videos: unknown[], cover: unknown): { resultUrls: string[]; coverUrl?: string } {
	const split = splitCover(urls(...videos));
	const coverUrl = urls(cover)[0] ?? split.coverUrl;
	return { resultUrls: split.resultUrls.filter((url) => url !== coverUrl), ...(coverUrl ? { coverUrl } : {}) };
}
