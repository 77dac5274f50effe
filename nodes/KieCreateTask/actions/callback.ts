import type { IDataObject, INodeExecutionData, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import { callbackTaskId, getFamily, normalizeCallback } from '../../shared/families';
import { CREDENTIAL_NAME } from '../../shared/transport';
import { addResultFiles, NO_DOWNLOAD, type DownloadSettings } from '../../shared/output/download';
import { type TaskResult } from '../../shared/families/result';
import { taskJson } from '../../shared/output/items';
import { SIGNATURE_FAILURES, verifyKieSignature } from '../../shared/webhook/signature';
import { fetchTask, hasResult } from '../../shared/api/tasks';
import { decodeBatch } from './batch';

const SIGNATURE_WINDOW_S = 300;

function respond(ctx: IWebhookFunctions, status: number, body: IDataObject): void {
	ctx.getResponseObject().status(status).json(body);
}

/** A finished task as an output item: failures and empty results carry an error with the task id. */
export function resultJson(result: TaskResult, includeRaw = false): IDataObject {
	const json = taskJson(result, { includeRaw });
	if (result.state === 'failed') {
		return { ...json, error: `Task ${result.taskId} failed at KIE: ${result.failMsg ?? 'no reason given'}` };
	}
	if (!hasResult(result)) {
		return { ...json, error: `Task ${result.taskId} finished but KIE returned no result URLs` };
	}
	return json;
}

/**
 * The resume webhook of "Wait for Callback". KIE POSTs one callback per task to the execution's resume
 * URL. n8n resumes an execution only once, so each callback checks the whole batch: the task it reports,
 * plus one read from KIE for each other task, in item order, stopping at the first that still runs.
 * That read also picks up tasks whose callbacks were lost. When every task has ended, the results go out
 * in input order and the execution continues. KIE is answered first, so the reads never run into its
 * 15 s limit.
 */
export async function receiveCallback(this: IWebhookFunctions): Promise<IWebhookResponseData> {
	const body = (this.getBodyData() ?? {}) as IDataObject;
	const headers = this.getHeaderData();
	const taskId = callbackTaskId(body);
	const credentials = await this.getCredentials<{ webhookHmacKey?: string }>(CREDENTIAL_NAME);
	const key = credentials.webhookHmacKey?.trim();
	if (key) {
		const check = verifyKieSignature({
			key,
			taskId,
			timestamp: headers['x-webhook-timestamp'] as string | undefined,
			signature: headers['x-webhook-signature'] as string | undefined,
			windowS: SIGNATURE_WINDOW_S,
			nowMs: Date.now(),
		});
		if (!check.ok) {
			respond(this, 401, { code: 401, msg: `Rejected: ${SIGNATURE_FAILURES[check.reason]}` });
			return { noWebhookResponse: true };
		}
	}
	respond(this, 200, { code: 200, msg: 'received' });

	const batch = decodeBatch(this.customData.getAll());
	if (!batch) return { noWebhookResponse: true };
	const callback = normalizeCallback(body);
	const download: DownloadSettings = batch.download
		? { output: batch.binaryOnly ? 'binary' : 'both', maxSizeMB: batch.maxSizeMB ?? 0 }
		: NO_DOWNLOAD;
	const output: INodeExecutionData[] = [];
	for (const entry of batch.entries) {
		const pairedItem = { item: entry.item };
		if (entry.error !== undefined || !entry.taskId || !entry.family) {
			output.push({ json: { error: entry.error ?? 'not submitted' }, pairedItem });
			continue;
		}
		let result: TaskResult;
		try {
			// A payload of a documented shape settles its own task; any other is settled by reading KIE.
			const own = entry.taskId === taskId && callback.family !== 'unknown';
			result = own ? callback.result : await fetchTask.call(this, getFamily(entry.family), entry.taskId, entry.item);
		} catch {
			// KIE could not be read now: a later callback settles the batch.
			return { noWebhookResponse: true };
		}
		if (result.state === 'pending') return { noWebhookResponse: true };
		const item: INodeExecutionData = { json: resultJson(result, batch.includeRaw === true), pairedItem };
		try {
			await addResultFiles.call(this, item, result, download, entry.item);
		} catch (error) {
			item.json.error = (error as Error).message;
		}
		output.push(item);
	}
	return { noWebhookResponse: true, workflowData: [output] };
}
