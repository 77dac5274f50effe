import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError, sleep } from 'n8n-workflow';

import { getFamily, type ApiFamily } from '../families';
import { kieApiRequest, type KieContext } from '../transport';
import { describeKieCode, KIE_LOGS_URL, itemError, itemLabel, toNodeError } from '../transport/errors';
import type { ApiStyleName, ModelMedia } from '../registry/types';
import type { TaskResult } from '../families/result';
import type { RequestPacer } from '../transport/pacer';

/** Poll Interval and Timeout without the options: KIE's guidance for the first checks, and 15 minutes. */
export const DEFAULT_POLL_INTERVAL_S = 3;
export const DEFAULT_POLL_TIMEOUT_S = 900;

/** Submits a create request once (see the transport's retry rules) and returns the task id. */
export async function submitTask(
	this: IExecuteFunctions,
	family: ApiFamily,
	body: IDataObject,
	itemIndex: number,
	timeoutMs?: number,
	pacer?: RequestPacer,
): Promise<string> {
	const get = family.createMethod === 'GET';
	const data = await kieApiRequest.call(this, {
		method: get ? 'GET' : 'POST',
		path: family.createPath,
		...(get ? { qs: body } : { body }),
		kind: 'create',
		itemIndex,
		timeoutMs,
		label: 'Create task',
		pacer,
	});
	const taskId = family.taskIdFromCreate(data, body);
	if (!taskId) {
		throw new NodeOperationError(this.getNode(), `${itemLabel(itemIndex)}: KIE accepted the request but returned no task id`, {
			description: `The answer was ${JSON.stringify(data)}. The task may still run: check ${KIE_LOGS_URL}.`,
		});
	}
	return taskId;
}

/** Reads a task's record from its family's details endpoint, as KIE returns it (`data`). */
async function readRecord(
	ctx: KieContext,
	family: ApiFamily,
	taskId: string,
	itemIndex: number | undefined,
	pacer?: RequestPacer,
	signal?: AbortSignal,
): Promise<unknown> {
	return await kieApiRequest.call(ctx, {
		method: 'GET',
		path: family.recordPath,
		qs: family.recordQuery?.(taskId) ?? { taskId },
		kind: 'read',
		itemIndex,
		label: `Get task ${taskId}`,
		pacer,
		signal,
	});
}

/**
 * Reads a task's details once and normalizes them: the one status read, for polling, Get Task and the
 * resume webhook of "Wait for Callback".
 */
export async function fetchTask(
	this: KieContext,
	family: ApiFamily,
	taskId: string,
	itemIndex?: number,
	model?: string,
	pacer?: RequestPacer,
): Promise<TaskResult> {
	const data = await readRecord(this, family, taskId, itemIndex, pacer);
	return family.normalize((data ?? {}) as IDataObject, { taskId, model });
}

/** The families "Auto" tries, most used first. Veo 1080p links are not tasks of their own. */
const AUTO_FAMILY_ORDER: ApiStyleName[] = ['market', '4o', 'veo', 'flux-kontext', 'runway', 'aleph', 'luma', 'suno', 'suno-lyrics'];

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The order in which "Auto" reads a task id's possible families: the hints first (the family of the
 * previous item, the family of the input item's model), then Runway for a UUID (the shape of Runway's
 * documented ids), then the rest, most used first. A `<taskId>#<index>` id is a Veo 1080p link.
 */
function familyCandidates(taskId: string, hints: Array<ApiStyleName | undefined> = []): ApiStyleName[] {
	if (/#\d+$/.test(taskId)) return ['veo-1080p'];
	const shaped: ApiStyleName[] = UUID.test(taskId) ? ['runway', 'aleph'] : [];
	const known = (name: ApiStyleName | undefined): name is ApiStyleName => name !== undefined && AUTO_FAMILY_ORDER.includes(name);
	return [...new Set([...hints.filter(known), ...shaped, ...AUTO_FAMILY_ORDER])];
}

/** KIE's answer for a task id its family does not know: code 404, or no record at all. */
function isNotFound(error: unknown): boolean {
	return String((error as { httpCode?: unknown })?.httpCode ?? '') === '404';
}

/** No family of KIE knows a task id (see findTask). */
export class TaskNotFoundError extends NodeOperationError {}

/**
 * Finds the family of a task id by reading it (Get Task's "Auto"): one read per candidate, in the order
 * of `familyCandidates`, until a family knows it. Returns the family and the task, read once.
 */
export async function findTask(
	this: KieContext,
	taskId: string,
	itemIndex: number,
	hints: Array<ApiStyleName | undefined> = [],
	options: { pacer?: RequestPacer; signal?: AbortSignal } = {},
): Promise<{ family: ApiFamily; result: TaskResult; reads: number }> {
	const candidates = familyCandidates(taskId, hints);
	let reads = 0;
	for (const name of candidates) {
		const family = getFamily(name);
		let data: unknown;
		reads++;
		try {
			data = await readRecord(this, family, taskId, itemIndex, options.pacer, options.signal);
		} catch (error) {
			if (isNotFound(error)) continue;
			throw toNodeError(this, error, itemIndex);
		}
		const empty = !data || typeof data !== 'object' || Object.keys(data).length === 0;
		if (empty && name !== 'veo-1080p') continue;
		return { family, result: family.normalize((data ?? {}) as IDataObject, { taskId }), reads };
	}
	throw new TaskNotFoundError(this.getNode(), `${itemLabel(itemIndex)}: no KIE API knows task ${taskId}`, {
		description: `Tried ${candidates.map((name) => getFamily(name).displayName).join(', ')}. Check the task id (KIE keeps task records for 2 months), or pick its Family.`,
	});
}

/**
 * KIE's guidance: poll every 2–3 s for the first 30 s, then every 5–10 s, then every 15–30 s after
 * two minutes. `baseMs` is the user's interval; later phases never poll faster than their floor.
 */
export function pollDelayMs(elapsedMs: number, baseMs: number): number {
	if (elapsedMs < 30_000) return baseMs;
	if (elapsedMs < 120_000) return Math.max(baseMs, Math.min(10_000, baseMs * 2), 5_000);
	return Math.max(baseMs, Math.min(30_000, baseMs * 5), 15_000);
}

/**
 * The first interval of the schedule when the user set no Poll Interval: images take seconds to a
 * minute, video and audio take minutes, so they are read less often (KIE asks for 2–3 s at first at
 * the most, 15–30 s after two minutes).
 */
const DEFAULT_POLL_INTERVAL_MS: Record<ModelMedia, number> = {
	image: 3_000,
	video: 10_000,
	audio: 10_000,
};

export function defaultPollIntervalMs(media: ModelMedia | undefined): number {
	return DEFAULT_POLL_INTERVAL_MS[media ?? 'image'] ?? DEFAULT_POLL_INTERVAL_MS.image;
}

interface WaitOptions {
	intervalMs: number;
	timeoutMs: number;
	model?: string;
	/** The execution's pacer: every status read waits for a slot of its poll budget. */
	pacer?: RequestPacer;
	/** Wait one interval before the first read (a task just submitted is never done at once). */
	delayFirstPoll?: boolean;
	/** Clock, for tests of the schedule. */
	now?: () => number;
}

/** Polls until the task ends or the timeout passes; honours the execution's cancel signal. */
export async function waitForTask(
	this: IExecuteFunctions,
	family: ApiFamily,
	taskId: string,
	itemIndex: number,
	options: WaitOptions,
): Promise<TaskResult> {
	const now = options.now ?? Date.now;
	const signal = this.getExecutionCancelSignal();
	const started = now();
	if (options.delayFirstPoll) await sleep(Math.min(options.intervalMs, options.timeoutMs), signal);
	for (;;) {
		signal?.throwIfAborted();
		const result = await fetchTask.call(this, family, taskId, itemIndex, options.model, options.pacer);
		if (result.state !== 'pending') return result;
		const elapsed = now() - started;
		if (elapsed >= options.timeoutMs) {
			throw itemError(
				this,
				itemIndex,
				`Task ${taskId} did not finish within ${Math.round(options.timeoutMs / 1000)} s`,
				`KIE still reports it as running (${String(result.raw.state ?? result.raw.status ?? result.raw.successFlag ?? 'pending')}). ` +
					`It keeps running and will be billed: collect it later with KIE Get Task (task id ${taskId}), or raise the timeout in Options.`,
			);
		}
		const delay = Math.min(pollDelayMs(elapsed, options.intervalMs), Math.max(0, options.timeoutMs - elapsed));
		await sleep(delay, signal);
	}
}

/** The error for a task that ended in failure; it always names the task id. */
export function taskFailedError(ctx: IExecuteFunctions, result: TaskResult, itemIndex: number): NodeOperationError {
	const code = result.failCode ? Number(result.failCode) : NaN;
	const next = Number.isNaN(code) ? `Check ${KIE_LOGS_URL} for details.` : describeKieCode(code).nextStep;
	const reason = result.failMsg ?? 'no reason given';
	return itemError(ctx, itemIndex, `Task ${result.taskId} failed at KIE: ${reason}`, `Model ${result.model || 'unknown'}, fail code ${result.failCode ?? 'none'}. ${next}`);
}

/** A task that KIE calls successful but that has no result to hand over. */
export function emptyResultError(ctx: IExecuteFunctions, result: TaskResult, itemIndex: number): NodeOperationError {
	return itemError(
		ctx,
		itemIndex,
		`Task ${result.taskId} finished but KIE returned no result URLs`,
		`The record's result was ${JSON.stringify(result.raw.resultJson ?? result.raw.response ?? null)}. Open the task at ${KIE_LOGS_URL}, or read it again later with KIE Get Task.`,
	);
}

/** True when a successful task carries something the user can use. */
export function hasResult(result: TaskResult): boolean {
	if (result.resultUrls.length > 0) return true;
	if (Array.isArray(result.lyrics) && result.lyrics.length > 0) return true;
	const parsed = result.raw.resultJson as IDataObject | undefined;
	return typeof parsed === 'object' && parsed !== null && parsed.resultObject !== undefined;
}
