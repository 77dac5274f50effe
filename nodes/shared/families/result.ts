import type { IDataObject } from 'n8n-workflow';

export type TaskState = 'pending' | 'success' | 'failed';

/** One shape for every task, whatever family produced it. */
export interface TaskResult extends IDataObject {
	taskId: string;
	model: string;
	state: TaskState;
	resultUrls: string[];
	failCode: string | null;
	failMsg: string | null;
	/** The credits KIE charged (`creditsConsumed` of records and Market callbacks, `consumeCredits` of older callbacks). */
	creditsConsumed: number | null;
	/** The account's credits left after the task, where KIE says (`remainedCredits` of Market callbacks). */
	remainedCredits?: number;
	/**
	 * How long KIE worked on the task, in **seconds**. Real KIE answers send seconds (274 for a 273.9 s task)
	 * where the docs say milliseconds; a value that can only be milliseconds (more than the task's own wall
	 * time in seconds, e.g. the docs' 15000 for a 32 s task) is converted. See `costTimeSeconds`.
	 */
	costTime: number | null;
	createTime: string | null;
	completeTime: string | null;
	/**
	 * The cover image KIE makes beside a video (Runway's `image_url`/`videoInfo.imageUrl`, Aleph's
	 * `result_image_url`/`resultImageUrl`): its own field, not a result (it is not downloaded as one).
	 */
	coverUrl?: string;
	raw: IDataObject;
}

/** A result with every field the shape requires; the fields a family does not report stay null. */
export function taskResult(fields: Pick<TaskResult, 'taskId' | 'model' | 'state'> & Partial<TaskResult>): TaskResult {
	return {
		resultUrls: [],
		failCode: null,
		failMsg: null,
		creditsConsumed: null,
		costTime: null,
		createTime: null,
		completeTime: null,
		raw: {},
		...fields,
	};
}

/** Parses a JSON string, returning the input unchanged when it is not JSON. */
function parseMaybeJson(value: unknown): unknown {
	if (typeof value !== 'string') return value;
	const trimmed = value.trim();
	if (!trimmed.startsWith('{') && !trimmed.startsWith('[')) return value;
	try {
		return JSON.parse(trimmed);
	} catch {
		return value;
	}
}

/** Epoch milliseconds, epoch seconds or "YYYY-MM-DD HH:mm:ss" (read as UTC) to an ISO string. */
export function toIsoTime(value: unknown): string | null {
	if (value === null || value === undefined || value === '' || value === 0) return null;
	if (typeof value === 'number' || (typeof value === 'string' && /^\d+$/.test(value))) {
		const n = Number(value);
		const ms = n < 1e11 ? n * 1000 : n;
		const date = new Date(ms);
		return Number.isNaN(date.getTime()) ? null : date.toISOString();
	}
	if (typeof value === 'string') {
		const match = value.match(/^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2})$/);
		const date = new Date(match ? `${match[1]}T${match[2]}Z` : value);
		return Number.isNaN(date.getTime()) ? null : date.toISOString();
	}
	return null;
}

export function toNumberOrNull(value: unknown): number | null {
	if (value === null || value === undefined || value === '') return null;
	const n = Number(value);
	return Number.isFinite(n) ? n : null;
}

export function toStringOrNull(value: unknown): string | null {
	if (value === null || value === undefined || value === '') return null;
	return String(value);
}

const URL_IN_TEXT = /https?:\/\/[^\s"'\\,\]}]+/g;

/**
 * Result URLs from any of the documented places: `resultUrls`, `result_urls`, `resultImageUrl`,
 * `images`/`videos` arrays. When `resultJson` is not valid JSON, URLs are recovered from its text so that
 * finished (and paid) work is never dropped.
 */
export function extractResultUrls(...sources: unknown[]): string[] {
	const urls: string[] = [];
	const add = (value: unknown) => {
		if (typeof value === 'string' && /^https?:\/\//.test(value) && !urls.includes(value)) urls.push(value);
		if (Array.isArray(value)) value.forEach(add);
	};
	for (const source of sources) {
		if (!source) continue;
		if (typeof source === 'string') {
			const parsed = parseMaybeJson(source);
			if (typeof parsed === 'string') {
				(parsed.match(URL_IN_TEXT) ?? []).forEach(add);
				continue;
			}
			extractFrom(parsed, add);
		} else {
			extractFrom(source, add);
		}
	}
	return urls;
}

const RESULT_KEYS = ['resultUrls', 'result_urls', 'resultImageUrl', 'resultVideoUrl', 'resultUrl', 'images', 'videos'];

function extractFrom(value: unknown, add: (value: unknown) => void): void {
	if (!value || typeof value !== 'object') return;
	const record = value as IDataObject;
	for (const key of RESULT_KEYS) {
		const entry = record[key];
		if (Array.isArray(entry)) {
			entry.forEach((item) => add(typeof item === 'object' && item !== null ? (item as IDataObject).url : item));
		} else {
			add(entry);
		}
	}
}

/** Returns a copy of a KIE record with its JSON-string fields (`param`, `resultJson`, `paramJson`) parsed. */
export function parseRecord(record: IDataObject): IDataObject {
	const raw: IDataObject = { ...record };
	for (const key of ['param', 'paramJson', 'resultJson']) {
		if (typeof raw[key] === 'string' && raw[key] !== '') {
			const parsed = parseMaybeJson(raw[key]);
			if (parsed && typeof parsed === 'object') {
				if (key !== 'resultJson' && typeof (parsed as IDataObject).input === 'string') {
					(parsed as IDataObject).input = parseMaybeJson((parsed as IDataObject).input) as IDataObject;
				}
				raw[key] = parsed as IDataObject;
			}
		}
	}
	return raw;
}

/**
 * The credits of a record or a callback's `data`, in every shape KIE sends them: `creditsConsumed`
 * (records, Market callbacks as KIE sends them today) or `consumeCredits` (the older callback docs).
 */
export function creditsOf(record: IDataObject | null | undefined): number | null {
	if (!record || typeof record !== 'object') return null;
	return toNumberOrNull(record.creditsConsumed ?? record.consumeCredits);
}

/**
 * `costTime` in seconds. KIE's docs say milliseconds, but every real answer is in seconds (274 for a task
 * whose `completeTime - createTime` is 273.9 s). A cost time in seconds cannot be longer than the task's
 * wall time, so a value clearly longer (more than 10 % and 5 s over) is read as milliseconds (the docs'
 * example: 15000 for a 32 s task → 15). Without both times the value is taken as seconds.
 */
export function costTimeSeconds(record: IDataObject): number | null {
	const value = toNumberOrNull(record.costTime);
	if (value === null) return null;
	const created = toIsoTime(record.createTime);
	const completed = toIsoTime(record.completeTime);
	if (!created || !completed) return value;
	const wallSeconds = (Date.parse(completed) - Date.parse(created)) / 1000;
	if (!(wallSeconds >= 0)) return value;
	return value > wallSeconds * 1.1 + 5 ? Math.round(value / 1000) : value;
}

/** The fields every family reports the same way: credits, cost time (seconds) and timestamps. */
export function accountingFields(
	record: IDataObject,
): Pick<TaskResult, 'creditsConsumed' | 'costTime' | 'createTime' | 'completeTime'> {
	return {
		creditsConsumed: creditsOf(record),
		costTime: costTimeSeconds(record),
		createTime: toIsoTime(record.createTime),
		completeTime: toIsoTime(record.completeTime),
	};
}

const IMAGE_URL = /\.(?:png|jpe?g|webp|gif|bmp|avif)(?:[?#].*)?$/i;

/**
 * A video family's URLs (the video first) split into the results and the cover image: the first URL
 * after the first one that is an image is the cover (Runway and Aleph send a cover frame beside the
 * video), not a result.
 */
export function splitCover(list: string[]): { resultUrls: string[]; coverUrl?: string } {
	const index = list.findIndex((url, i) => i > 0 && IMAGE_URL.test(url));
	if (index < 0) return { resultUrls: [...list] };
	return { resultUrls: list.filter((_url, i) => i !== index), coverUrl: list[index] };
}

/**
 * The result of a callback whose outcome is its envelope `code` (200: success): a failure carries the
 * code as `failCode` and the message as `failMsg`.
 */
export function callbackResult(
	taskId: string,
	model: string,
	state: TaskState,
	envelope: { code: number | null; msg: string | null },
	raw: IDataObject,
): TaskResult {
	const failed = state === 'failed';
	return taskResult({
		taskId,
		model,
		state,
		failCode: failed && envelope.code !== null ? String(envelope.code) : null,
		failMsg: failed ? envelope.msg : null,
		raw,
	});
}
