import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError, sleep } from 'n8n-workflow';

import type { ApiFamily } from '../families';
import { kieApiRequest } from '../transport';
import { describeKieCode } from '../transport/errors';
import type { ModelMedia } from '../registry/types';
import { KIE_LOGS_URL } from './constants';
import type { TaskResult } from './normalize';
import type { RequestPacer } from './pacer';

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
		label: `Create task (item ${itemIndex})`,
		pacer,
	});
	const taskId = family.taskIdFromCreate(data, body);
	if (!taskId) {
		throw new NodeOperationError(this.getNode(), 'KIE accepted the request but returned no task id', {
			itemIndex,
			description: `The answer was ${JSON.stringify(data)}. The task may still run: check ${KIE_LOGS_URL}.`,
		});
	}
	return taskId;
}

/** Reads a task's details once and normalizes them. */
export async function fetchTask(
	this: IExecuteFunctions,
	family: ApiFamily,
	taskId: string,
	itemIndex: number,
	model?: string,
	pacer?: RequestPacer,
): Promise<TaskResult> {
	const data = await kieApiRequest.call(this, {
		method: 'GET',
		path: family.recordPath,
		qs: family.recordQuery?.(taskId) ?? { taskId },
		kind: 'read',
		itemIndex,
		label: `Get task ${taskId} (item ${itemIndex})`,
		pacer,
	});
	return family.normalize((data ?? {}) as IDataObject, { taskId, model });
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
export const DEFAULT_POLL_INTERVAL_MS: Record<ModelMedia, number> = {
	image: 3_000,
	video: 10_000,
	audio: 10_000,
};

export function defaultPollIntervalMs(media: ModelMedia | undefined): number {
	return DEFAULT_POLL_INTERVAL_MS[media ?? 'image'] ?? DEFAULT_POLL_INTERVAL_MS.image;
}

export interface WaitOptions {
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
			throw new NodeOperationError(
				this.getNode(),
				`Task ${taskId} did not finish within ${Math.round(options.timeoutMs / 1000)} s`,
				{
					itemIndex,
					description:
						`KIE still reports it as running (${String(result.raw.state ?? result.raw.status ?? result.raw.successFlag ?? 'pending')}). ` +
						`It keeps running and will be billed: collect it later with KIE Get Task (task id ${taskId}), or raise the timeout in Options.`,
				},
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
	return new NodeOperationError(ctx.getNode(), `Task ${result.taskId} failed at KIE: ${reason}`, {
		itemIndex,
		description: `Model ${result.model || 'unknown'}, fail code ${result.failCode ?? 'none'}. ${next}`,
	});
}

/** A task that KIE calls successful but that has no result to hand over. */
export function emptyResultError(ctx: IExecuteFunctions, result: TaskResult, itemIndex: number): NodeOperationError {
	return new NodeOperationError(ctx.getNode(), `Task ${result.taskId} finished but KIE returned no result URLs`, {
		itemIndex,
		description: `The record's result was ${JSON.stringify(result.raw.resultJson ?? result.raw.response ?? null)}. Open the task at ${KIE_LOGS_URL}, or read it again later with KIE Get Task.`,
	});
}

/** True when a successful task carries something the user can use. */
export function hasResult(result: TaskResult): boolean {
	if (result.resultUrls.length > 0) return true;
	if (Array.isArray(result.lyrics) && result.lyrics.length > 0) return true;
	const parsed = result.raw.resultJson as IDataObject | undefined;
	return typeof parsed === 'object' && parsed !== null && parsed.resultObject !== undefined;
}
