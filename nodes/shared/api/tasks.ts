import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError, sleep } from 'n8n-workflow';

import { getFamily, type ApiFamily } from '../families';
import { kieApiRequest, type KieContext } from '../transport';
import { describeKieCode, isPausedMessage, KIE_LOGS_URL, itemError, itemLabel, toNodeError } from '../transport/errors';
import { getModel } from '../registry';
import type { ApiStyleName, ModelMedia } from '../registry/types';
import { taskResult, type TaskResult } from '../families/result';
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

/**
 * A synchronous call (Suno's timestamped lyrics, persona, boost style): KIE's answer (`data`) is the
 * result, normalized by the family. A code other than 200 is the transport's error, with KIE's message.
 */
export async function callSynchronous(
	this: IExecuteFunctions,
	family: ApiFamily,
	body: IDataObject,
	itemIndex: number,
	model: string,
	timeoutMs?: number,
	pacer?: RequestPacer,
): Promise<TaskResult> {
	const data = await kieApiRequest.call(this, { method: 'POST', path: family.createPath, body, kind: 'create', itemIndex, timeoutMs, label: 'Create task', pacer });
	const answer = (data && typeof data === 'object' ? data : { value: data }) as IDataObject;
	return family.normalize(answer, { taskId: '', model });
}

/** KIE's own message in an error the transport threw (`{code, msg}` of its answer), if any. */
function kieMessageOf(error: unknown): string | undefined {
	const msg = (error as { errorResponse?: { msg?: unknown } } | undefined)?.errorResponse?.msg;
	return typeof msg === 'string' ? msg : undefined;
}

/** True for KIE's answer that a model is paused ("This interface is temporarily paused"). */
export function isPausedAnswer(error: unknown): boolean {
	return isPausedMessage(kieMessageOf(error));
}

/**
 * The error of a create KIE refused because it paused the model: names the model (as the picker does) and
 * its successor, or built-in alternatives, from the registry's availability record.
 */
export function pausedModelError(ctx: IExecuteFunctions, itemIndex: number, modelId: string, error: unknown): NodeOperationError {
	const model = getModel(modelId);
	const name = model ? `${model.displayName} (${modelId})` : modelId;
	const said = kieMessageOf(error) ?? 'paused';
	const availability = model?.availability;
	const nameOf = (id: string) => `${getModel(id)?.displayName ?? id} (${id})`;
	const next = availability?.successor
		? `KIE names ${nameOf(availability.successor)} as its successor: pick it in "Model".`
		: availability?.alternatives?.length
			? `KIE names no successor; ${availability.alternatives.map(nameOf).join(' or ')} make the same kind of result: pick one in "Model", or try again later.`
			: 'Pick another model in "Model", or try again later.';
	return itemError(
		ctx,
		itemIndex,
		`KIE has paused ${name}: "${said}"`,
		`${availability ? `${availability.note} ` : ''}KIE did not accept the task, so nothing was charged. ${next}`,
	);
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
 * How long after its create a task may still be unknown to its record endpoint. KIE's Market
 * `recordInfo` answers a task it has not indexed yet with HTTP 200 `{"code":422,"msg":"recordInfo is
 * null","data":null}` (corpus error-envelope-5, scenario-poll-1), and goes on to run and bill it.
 */
export const NOT_INDEXED_GRACE_MS = 60_000;

/**
 * KIE's words for "no record of this task (yet)" in a 422 of a record read: "recordInfo is null",
 * "record is null/empty", "... not found", "... does not exist". Case-insensitive. Any other 422 (a
 * parameter error) is not matched.
 */
const NOT_INDEXED_MSG = /\brecord\s*(?:info)?\s+is\s+(?:null|empty)\b|\bnot\s+(?:been\s+)?found\b|\b(?:does\s*not|doesn't|not)\s+exists?\b/i;

/** True for KIE's "no record of this task (yet)" answer: body code 422 with a message of NOT_INDEXED_MSG. */
export function isNotIndexedAnswer(code: unknown, msg: unknown): boolean {
	return String(code) === '422' && typeof msg === 'string' && NOT_INDEXED_MSG.test(msg);
}

/** The same, for the error a record read threw (the transport's NodeApiError keeps `{code, msg}`). */
export function isNotIndexedError(error: unknown): boolean {
	const failure = error as { httpCode?: unknown; errorResponse?: { code?: unknown; msg?: unknown }; message?: unknown } | undefined;
	const code = failure?.httpCode ?? failure?.errorResponse?.code;
	const msg = failure?.errorResponse?.msg ?? failure?.message;
	return isNotIndexedAnswer(code, msg);
}

/**
 * What a status read makes of KIE's "not indexed yet" 422:
 * - `'pending'` (the default): the task is still pending; for reads that do not know when the task was
 *   created and that a later read or callback settles (the resume webhook of "Wait for Callback");
 * - `'unknown'`: an error saying KIE does not know the task (one read of Get Task);
 * - `{ since }`: pending until `graceMs` (default NOT_INDEXED_GRACE_MS) after `since` (the create, or
 *   the start of a wait), then an error saying KIE does not know the task.
 */
export type NotIndexedPolicy = 'pending' | 'unknown' | { since: number; graceMs?: number; now?: () => number };

/** Pending results made from a "not indexed yet" answer (no record of KIE behind them). */
const notIndexedResults = new WeakSet<TaskResult>();

/** True for a pending result that stands for KIE's "not indexed yet" answer, not for a record. */
export function isNotIndexedResult(result: TaskResult): boolean {
	return notIndexedResults.has(result);
}

/**
 * Reads a task's details once and normalizes them: the one status read, for polling, Get Task and the
 * resume webhook of "Wait for Callback". KIE's "not indexed yet" answer follows `notIndexed`.
 */
export async function fetchTask(
	this: KieContext,
	family: ApiFamily,
	taskId: string,
	itemIndex?: number,
	model?: string,
	pacer?: RequestPacer,
	notIndexed: NotIndexedPolicy = 'pending',
): Promise<TaskResult> {
	let data: unknown;
	try {
		data = await readRecord(this, family, taskId, itemIndex, pacer);
	} catch (error) {
		if (!isNotIndexedError(error)) throw toNodeError(this, error, itemIndex);
		const msg = String((error as { errorResponse?: { msg?: unknown } }).errorResponse?.msg ?? 'recordInfo is null');
		if (notIndexed === 'pending') return notIndexedResult(taskId, model);
		if (notIndexed === 'unknown') throw taskNotIndexedError(this, family, taskId, itemIndex, msg);
		const graceMs = notIndexed.graceMs ?? NOT_INDEXED_GRACE_MS;
		if ((notIndexed.now ?? Date.now)() - notIndexed.since < graceMs) return notIndexedResult(taskId, model);
		throw taskNotIndexedError(this, family, taskId, itemIndex, msg, graceMs);
	}
	return family.normalize((data ?? {}) as IDataObject, { taskId, model });
}

function notIndexedResult(taskId: string, model: string | undefined): TaskResult {
	const result = taskResult({ taskId, model: model ?? '', state: 'pending' });
	notIndexedResults.add(result);
	return result;
}

/**
 * The families "Auto" tries, most used first. Veo 1080p links are not tasks of their own; Suno's
 * synchronous calls have no task.
 */
const AUTO_FAMILY_ORDER: ApiStyleName[] = [
	'market',
	'4o',
	'veo',
	'flux-kontext',
	'runway',
	'aleph',
	'luma',
	'suno',
	'suno-lyrics',
	'suno-wav',
	'suno-stems',
	'suno-midi',
	'suno-mp4',
	'suno-cover',
];

/** How many reads "Auto" makes at most for a task id no family knows (one per family). */
export const AUTO_FAMILY_COUNT = AUTO_FAMILY_ORDER.length;

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

/**
 * KIE's answer for a task id its family does not know: code 404, or the 422 "recordInfo is null" of the
 * Market (see isNotIndexedAnswer), or no record at all.
 */
/** KIE does not know the task: HTTP or body code 404, or its "not indexed" 422 (see isNotIndexedError). */
export function isNotFound(error: unknown): boolean {
	return String((error as { httpCode?: unknown })?.httpCode ?? '') === '404' || isNotIndexedError(error);
}

/** No family of KIE knows a task id (see findTask). */
export class TaskNotFoundError extends NodeOperationError {
	/**
	 * The families that answered "not indexed yet" (422 "recordInfo is null") rather than 404: a task
	 * just created there may still appear (Get Task's "Wait Until Done" waits for it, see get.ts).
	 */
	notIndexedBy: ApiStyleName[] = [];
}

/** KIE's record endpoint still does not know a task (see NotIndexedPolicy); the message names the task id. */
export class TaskNotIndexedError extends TaskNotFoundError {}

function taskNotIndexedError(
	ctx: KieContext,
	family: ApiFamily,
	taskId: string,
	itemIndex: number | undefined,
	msg: string,
	graceMs?: number,
): TaskNotIndexedError {
	const prefix = itemIndex === undefined ? '' : `${itemLabel(itemIndex)}: `;
	const answer = `KIE's ${family.displayName} record endpoint answered code 422 "${msg}"`;
	const error =
		graceMs === undefined
			? new TaskNotIndexedError(ctx.getNode(), `${prefix}KIE does not know task ${taskId} (${msg}) — check ${KIE_LOGS_URL}`, {
				description:
					`${answer}. A task created less than a minute ago may not be indexed yet: read it again, or turn on "Wait Until Done". ` +
					`Otherwise check the task id and its Family (KIE keeps task records for 2 months), and look for the task at ${KIE_LOGS_URL}.`,
			})
			: new TaskNotIndexedError(
				ctx.getNode(),
				`${prefix}KIE does not know task ${taskId} (${msg} for ${Math.round(graceMs / 1000)} s after it was created) — check ${KIE_LOGS_URL}`,
				{
					description:
						`${answer} to every read since the task was created. KIE may still run and bill it: look for task ${taskId} at ${KIE_LOGS_URL}, ` +
						'and read it later with KIE Get Task before creating it again.',
				},
			);
	error.notIndexedBy = [family.name];
	return error;
}

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
	const notIndexedBy: ApiStyleName[] = [];
	let reads = 0;
	for (const name of candidates) {
		const family = getFamily(name);
		let data: unknown;
		reads++;
		try {
			data = await readRecord(this, family, taskId, itemIndex, options.pacer, options.signal);
		} catch (error) {
			// "recordInfo is null" (422) is "not found" here: the next family may know the task
			// (corpus scenario-auto-find-1: the Market answers 422, the 4o record has the task).
			if (isNotIndexedError(error)) notIndexedBy.push(name);
			if (isNotFound(error)) continue;
			throw toNodeError(this, error, itemIndex);
		}
		const empty = !data || typeof data !== 'object' || Object.keys(data).length === 0;
		if (empty && name !== 'veo-1080p') continue;
		return { family, result: family.normalize((data ?? {}) as IDataObject, { taskId }), reads };
	}
	const notFound = new TaskNotFoundError(this.getNode(), `${itemLabel(itemIndex)}: no KIE API knows task ${taskId}`, {
		description:
			`Tried ${candidates.map((name) => getFamily(name).displayName).join(', ')}. Check the task id (KIE keeps task records for 2 months), or pick its Family.` +
			(notIndexedBy.length > 0
				? ` ${notIndexedBy.map((name) => getFamily(name).displayName).join(', ')} answered "recordInfo is null", which KIE also answers for a task created moments ago: turn on "Wait Until Done" to wait for it, or look for it at ${KIE_LOGS_URL}.`
				: ''),
	});
	notFound.notIndexedBy = notIndexedBy;
	throw notFound;
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
	/**
	 * When the task was created (epoch ms); default: when the wait starts. KIE's "not indexed yet" answer
	 * (422 "recordInfo is null") counts as pending until `notIndexedGraceMs` after it.
	 */
	createdAt?: number;
	/** Default NOT_INDEXED_GRACE_MS. */
	notIndexedGraceMs?: number;
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
	const notIndexed: NotIndexedPolicy = { since: options.createdAt ?? started, graceMs: options.notIndexedGraceMs, now };
	if (options.delayFirstPoll) await sleep(Math.min(options.intervalMs, options.timeoutMs), signal);
	for (;;) {
		signal?.throwIfAborted();
		const result = await fetchTask.call(this, family, taskId, itemIndex, options.model, options.pacer, notIndexed);
		if (result.state !== 'pending') return result;
		const elapsed = now() - started;
		if (elapsed >= options.timeoutMs) {
			const status = isNotIndexedResult(result)
				? `KIE does not list it yet: its record endpoint still answers "recordInfo is null". Look for it at ${KIE_LOGS_URL}.`
				: `KIE still reports it as running (${String(result.raw.state ?? result.raw.status ?? result.raw.successFlag ?? 'pending')}).`;
			throw itemError(
				this,
				itemIndex,
				`Task ${taskId} did not finish within ${Math.round(options.timeoutMs / 1000)} s`,
				`${status} ` +
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
	// Suno's MIDI is data, not files.
	if (result.midi && typeof result.midi === 'object') return true;
	const parsed = result.raw.resultJson as IDataObject | undefined;
	return typeof parsed === 'object' && parsed !== null && parsed.resultObject !== undefined;
}
