import { createHash } from 'crypto';
import type { IDataObject, INodeExecutionData, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import { callbackTaskId, normalizeCallback } from '../../shared/families';
import { CREDENTIAL_NAME } from '../../shared/transport';
import { addResultFiles, downloadSettings } from '../../shared/output/download';
import { taskJson } from '../../shared/output/items';
import { SIGNATURE_FAILURES, verifyKieSignature } from '../../shared/webhook/signature';
import { DEFAULT_TIMESTAMP_WINDOW_S } from '../description';

interface TriggerOptions {
	downloadResults?: boolean;
	downloadOutput?: string;
	includeRaw?: boolean;
	includeStages?: boolean;
	maxDownloadSizeMB?: number;
	timestampWindow?: number;
}

/** Bookkeeping kept in the node's static data: recent signatures (replays) and deliveries (duplicates). */
interface TriggerState extends IDataObject {
	signatures?: Record<string, number>;
	deliveries?: string[];
}

const MAX_DELIVERIES = 1000;

function reject(ctx: IWebhookFunctions, reason: string): IWebhookResponseData {
	ctx.getResponseObject().status(401).json({ code: 401, msg: `Rejected: ${reason}` });
	return { noWebhookResponse: true };
}

/**
 * Receives one KIE callback: checks its signature, drops duplicates and filtered events, and starts the
 * workflow with the normalized result plus `context` (the query parameters of the URL KIE called).
 * KIE waits at most 15 s, so it is answered before any download.
 */
export async function receiveTriggerCallback(this: IWebhookFunctions): Promise<IWebhookResponseData> {
	const body = (this.getBodyData() ?? {}) as IDataObject;
	const headers = this.getHeaderData();
	const options = this.getNodeParameter('options', {}) as TriggerOptions;
	const events = this.getNodeParameter('events', 'all') as 'all' | 'success' | 'failure';
	const state = this.getWorkflowStaticData('node') as TriggerState;
	const nowMs = Date.now();
	const windowS = options.timestampWindow ?? DEFAULT_TIMESTAMP_WINDOW_S;
	const taskId = callbackTaskId(body);

	const credentials = await this.getCredentials<{ webhookHmacKey?: string }>(CREDENTIAL_NAME);
	const key = credentials.webhookHmacKey?.trim();
	if (key) {
		const signatures = (state.signatures ??= {});
		for (const [signature, expires] of Object.entries(signatures)) if (expires < nowMs) delete signatures[signature];
		const signature = headers['x-webhook-signature'] as string | undefined;
		// KIE signs only the task id and the timestamp, so two different callbacks of one task within a
		// second (Suno stages) share a signature: a replay is the same signature with the same body.
		const replayKey = createHash('sha256').update(`${signature}\n${JSON.stringify(body)}`).digest('base64').slice(0, 24);
		const check = verifyKieSignature({
			key,
			taskId,
			timestamp: headers['x-webhook-timestamp'] as string | undefined,
			signature,
			windowS,
			nowMs,
			seen: () => replayKey in signatures,
		});
		if (!check.ok) return reject(this, SIGNATURE_FAILURES[check.reason]);
		signatures[replayKey] = nowMs + 2 * windowS * 1000;
	} else if (this.getNodeParameter('allowUnsigned', false) !== true) {
		return reject(this, 'the KIE API credential has no Webhook HMAC Key, and "Allow Unsigned Callbacks" is off');
	}

	const callback = normalizeCallback(body);
	const { result } = callback;
	const answer = (msg: string): IWebhookResponseData => ({ webhookResponse: { code: 200, msg } });
	if (result.state === 'pending' && !options.includeStages) return answer('stage ignored');
	if ((events === 'success' && result.state !== 'success') || (events === 'failure' && result.state !== 'failed')) {
		return answer('filtered');
	}
	const delivery = `${result.taskId}|${result.state}|${callback.stage ?? ''}`;
	const deliveries = (state.deliveries ??= []);
	if (deliveries.includes(delivery)) return answer('duplicate');
	deliveries.push(delivery);
	if (deliveries.length > MAX_DELIVERIES) deliveries.splice(0, deliveries.length - MAX_DELIVERIES);

	const item: INodeExecutionData = {
		json: taskJson(result, {
			includeRaw: options.includeRaw === true,
			extra: {
				family: callback.family,
				...(callback.stage !== null ? { stage: callback.stage } : {}),
				code: callback.code,
				msg: callback.msg,
				context: { ...(this.getQueryData() as IDataObject) },
				signatureVerified: key !== undefined && key !== '',
			},
		}),
	};
	this.getResponseObject().status(200).json({ code: 200, msg: 'received' });
	try {
		await addResultFiles.call(this, item, result, downloadSettings(options), 0);
	} catch (error) {
		item.json.error = (error as Error).message;
	}
	return { noWebhookResponse: true, workflowData: [[item]] };
}
