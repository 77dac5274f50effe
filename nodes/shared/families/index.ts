import type { IDataObject } from 'n8n-workflow';

import type { ApiStyleName } from '../registry/types';
import { FLUX_KONTEXT } from './fluxKontext';
import { FOUR_O_IMAGE } from './fourOImage';
import { MARKET } from './market';
import { accountingFields, callbackResult, creditsOf, extractResultUrls, type TaskResult, type TaskState, toNumberOrNull, toStringOrNull } from './result';
import { LUMA } from './luma';
import { ALEPH, RUNWAY } from './runway';
import { SUNO, SUNO_LYRICS } from './suno';
import { SUNO_COVER, SUNO_MIDI, SUNO_MP4, SUNO_STEMS, SUNO_SYNC, SUNO_WAV } from './sunoTools';
import type { ApiFamily, NormalizedCallback } from './types';
import { VEO, VEO_1080P } from './veo';

export type { ApiFamily, NormalizedCallback } from './types';

/** Every KIE API family, in the order KIE Get Task lists them. A new family adds one line here. */
const FAMILY_LIST: readonly ApiFamily[] = [
	MARKET,
	FOUR_O_IMAGE,
	FLUX_KONTEXT,
	VEO,
	VEO_1080P,
	RUNWAY,
	ALEPH,
	LUMA,
	SUNO,
	SUNO_LYRICS,
	SUNO_WAV,
	SUNO_STEMS,
	SUNO_MIDI,
	SUNO_MP4,
	SUNO_COVER,
	SUNO_SYNC,
];

export const FAMILIES: Readonly<Record<ApiStyleName, ApiFamily>> = Object.fromEntries(FAMILY_LIST.map((family) => [family.name, family]));

export function getFamily(name: ApiStyleName): ApiFamily {
	const family = FAMILIES[name];
	if (!family) throw new Error(`"${name}" is not a KIE API family of this package (${Object.keys(FAMILIES).join(', ')})`);
	return family;
}

/** A family whose create call goes to another path (an operation such as Veo extend); reads are unchanged. */
export function withCreatePath(family: ApiFamily, createPath?: string): ApiFamily {
	return createPath && createPath !== family.createPath ? { ...family, createPath } : family;
}

/**
 * Every task id a callback names, in the order they are read (data.task_id, data.taskId, taskId),
 * without repeats. A callback of KIE names one; more than one means the body was tampered with.
 */
export function callbackTaskIds(body: IDataObject): string[] {
	const data = ((body?.data ?? {}) as IDataObject) || {};
	const ids = [data.task_id, data.taskId, body?.taskId].map(toStringOrNull).filter((id): id is string => id !== null && id !== '');
	return [...new Set(ids)];
}

/** The task id of a callback, wherever the family puts it: data.task_id, data.taskId, or taskId. */
export function callbackTaskId(body: IDataObject): string | undefined {
	return callbackTaskIds(body)[0];
}

/** The family whose callback shape fits the body best (the highest `matches` score). */
function callbackFamily(body: IDataObject): ApiFamily | undefined {
	const data = ((body?.data ?? {}) as IDataObject) || {};
	let best: ApiFamily | undefined;
	let bestScore = 0;
	for (const family of FAMILY_LIST) {
		const score = family.callback?.matches(data, body) ?? 0;
		if (score > bestScore) [best, bestScore] = [family, score];
	}
	return best;
}

/** The name of the family a callback body comes from, or `unknown`. */
export function detectCallbackFamily(body: IDataObject): string {
	return callbackFamily(body)?.name ?? 'unknown';
}

/** Turns any documented KIE callback into the same result shape as Create Task and Get Task. */
export function normalizeCallback(body: IDataObject): NormalizedCallback {
	const code = toNumberOrNull(body?.code);
	const msg = toStringOrNull(body?.msg ?? body?.message);
	const data = ((body?.data ?? {}) as IDataObject) || {};
	const envelope = { taskId: callbackTaskId(body) ?? '', code, msg };
	const family = callbackFamily(body);
	if (family?.callback) {
		const { stage, result } = family.callback.normalize(data, envelope);
		// The credits, whichever family: KIE puts `creditsConsumed` (or, in older docs, `consumeCredits`) in data.
		if (result.creditsConsumed === null || result.creditsConsumed === undefined) result.creditsConsumed = creditsOf(data);
		withCreditsLeft(result, data);
		return { family: family.name, stage: stage ?? null, code, msg, result };
	}
	// A shape no family documents: the envelope code is the outcome, and result URLs are looked for anywhere.
	const state: TaskState = code === 200 ? 'success' : code === null ? 'pending' : 'failed';
	const result = { ...callbackResult(envelope.taskId, toStringOrNull(data.model) ?? '', state, envelope, { ...data }), ...accountingFields(data) };
	result.resultUrls = extractResultUrls(data, data.response, data.resultJson);
	withCreditsLeft(result, data);
	return { family: 'unknown', stage: toStringOrNull(data.callbackType), code, msg, result };
}

/** The account's credits left, where a callback says (`remainedCredits`): a number, never a guess. */
function withCreditsLeft(result: TaskResult, data: IDataObject): void {
	const left = toNumberOrNull(data?.remainedCredits);
	if (left !== null && Number.isFinite(left) && left >= 0) result.remainedCredits = left;
	else delete result.remainedCredits;
}
