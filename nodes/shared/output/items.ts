import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import type { TaskResult } from '../families/result';
import { itemLabel } from '../transport/errors';
import { orderedJson } from './order';

/** The row a failed item becomes under "Continue On Fail": the error, and the task id when there is one. */
export function errorItem(
	itemIndex: number,
	error: Error & { description?: string | null },
	extra: IDataObject = {},
): INodeExecutionData {
	return {
		json: orderedJson({ ...extra, error: error.message, ...(error.description ? { errorDescription: error.description } : {}) }),
		pairedItem: { item: itemIndex },
	};
}

/** Adds to an error the tasks already submitted in this run, so their ids are not lost when it stops. */
export function withSubmittedTasks<E extends Error & { description?: string | null }>(
	error: E,
	submitted: Array<{ itemIndex: number; taskId: string }>,
): E {
	const others = submitted.filter((entry) => !error.message.includes(entry.taskId));
	if (others.length === 0) return error;
	const list = others.map((entry) => `${itemLabel(entry.itemIndex)} → ${entry.taskId}`).join(', ');
	error.description = `${error.description ? `${error.description} ` : ''}Tasks already submitted in this run (collect them with KIE Get Task): ${list}.`;
	return error;
}

interface TaskJsonOptions {
	/** Add the KIE record (`raw`), with its JSON-string fields parsed. Off by default: it is large. */
	includeRaw?: boolean;
	/** Fields of the caller (a callback's family, stage, context…), after the task's own fields. */
	extra?: IDataObject;
}

/**
 * The JSON of an output item for a task: `taskId`, `model`, `state` and `resultUrls` first, then the
 * failure (only for a failed task), the task's other fields, and the times and credits KIE reported.
 * Fields KIE did not report are left out; the raw KIE record only when asked.
 */
export function taskJson(result: TaskResult, options: TaskJsonOptions = {}): IDataObject {
	const { taskId, model, state, resultUrls, failCode, failMsg, creditsConsumed, remainedCredits, costTime, createTime, completeTime, raw, ...extra } =
		result;
	const json: IDataObject = { taskId, model, state, resultUrls };
	if (state === 'failed') Object.assign(json, { failCode, failMsg });
	Object.assign(json, extra, options.extra);
	const accounting: IDataObject = { creditsConsumed, remainedCredits, costTime, createTime, completeTime };
	for (const [key, value] of Object.entries(accounting)) if (value !== null && value !== undefined) json[key] = value;
	if (options.includeRaw) json.raw = raw;
	return orderedJson(json);
}

/** A task that was submitted and not read back ("Submit Only"): nothing else is known yet. */
export function submittedJson(taskId: string, model: string): IDataObject {
	return orderedJson({ taskId, model, state: 'pending' });
}

/** The fields an agent gets back from a tool call: what it needs, without the raw record or any URL of n8n. */
const TOOL_RESULT_KEYS = [
	'taskId',
	'model',
	'state',
	'resultUrls',
	'lyrics',
	// Suno: the tracks (their ids feed the toolbox), stems, MIDI and the synchronous calls' answers.
	'tracks',
	'stems',
	'stemIds',
	'midi',
	'alignedWords',
	'personaId',
	'style',
	'creditsConsumed',
	'reused',
	'reason',
	'error',
	'errorDescription',
];

/** An output item reduced to what an AI agent needs (each key costs tokens). */
export function toolResult(item: INodeExecutionData): INodeExecutionData {
	const json: IDataObject = {};
	for (const key of TOOL_RESULT_KEYS) if (item.json[key] !== undefined) json[key] = item.json[key];
	return { ...item, json: orderedJson(json) };
}
