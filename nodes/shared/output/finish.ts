import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { addResultFiles, type DownloadSettings } from './download';
import { type TaskResult } from '../families/result';
import { taskJson } from './items';
import { orderedItem } from './order';
import { emptyResultError, hasResult, taskFailedError } from '../api/tasks';

interface FinishOptions {
	download: DownloadSettings;
	/** Options → Include Raw Record. */
	includeRaw?: boolean;
	/** Fields added after the task's own (e.g. the family Get Task found). */
	extra?: IDataObject;
	/** Turn a failed or empty task into an error (Create Task) instead of an output item (Get Task). */
	failOnError: boolean;
}

/**
 * Turns a task result into the node's output item: errors for failed tasks when asked (the error
 * carries the result, so "Continue On Fail" keeps the task id), and binary files when asked. The JSON
 * starts with `taskId`, `model`, `state`, `resultUrls` (orderedJson), whatever the download step did.
 */
export async function finishTask(
	this: IExecuteFunctions,
	result: TaskResult,
	itemIndex: number,
	options: FinishOptions,
): Promise<INodeExecutionData> {
	if (options.failOnError && result.state === 'failed') {
		throw Object.assign(taskFailedError(this, result, itemIndex), { result });
	}
	if (options.failOnError && result.state === 'success' && !hasResult(result)) {
		throw Object.assign(emptyResultError(this, result, itemIndex), { result });
	}
	const item: INodeExecutionData = { json: taskJson(result, { includeRaw: options.includeRaw, extra: options.extra }), pairedItem: { item: itemIndex } };
	await addResultFiles.call(this, item, result, options.download, itemIndex);
	return orderedItem(item);
}
