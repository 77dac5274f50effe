import type { IDataObject, INodeExecutionData, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import { callbackTaskIds, normalizeCallback, type NormalizedCallback } from '../families';
import type { TaskResult } from '../families/result';
import { addResultFiles, NO_DOWNLOAD, type DownloadSettings } from '../output/download';
import { CREDENTIAL_NAME } from '../transport';
import { bodyDigest, recordSignature } from './replay';
import { MAX_SIGNATURE_WINDOW_S, NUDGE_TOKEN_HEADER, sameSecret, SIGNATURE_FAILURES, signatureWindowS, verifyKieSignature } from './signature';

/**
 * The one receiver of KIE callbacks, for the KIE Trigger and for the resume webhook of "Wait for
 * Callback": verify, normalize, settle (each webhook's own step, which also drops duplicates), answer KIE,
 * then download. KIE waits at most 15 s for the answer, so downloads come after it.
 */

/** A callback that passed verification. */
export interface ReceivedCallback {
	/**
	 * The task the callback names; undefined for a nudge (see ReceiverSpec.nudges: a POST that names no task
	 * and carries no signature, and with a Webhook HMAC Key the batch's nudge token).
	 */
	taskId?: string;
	/**
	 * The callback carried a valid KIE signature, so its body is KIE's word. Otherwise the body is only a
	 * signal to read the task from KIE; nothing in it is taken as a result.
	 */
	signed: boolean;
	/** KIE sent this signed callback again, same signature and same body (it missed an earlier answer). */
	redelivery: boolean;
	/**
	 * Who sent it is known: a signed callback, or a nudge with the batch's token. Otherwise (no Webhook HMAC
	 * Key) anybody may have: answers then tell nothing about the batch.
	 */
	authentic: boolean;
	/** The body in the shape every node outputs. Its `result` counts only when `signed`. */
	callback: NormalizedCallback;
}

/** The answer to KIE, sent once: by the settle step early (a deadline), or by the receiver after it. */
export interface Reply {
	send(status: number, msg: string): void;
	readonly sent: boolean;
}

/** An item to start (or resume) the workflow with; its result files are downloaded after the answer. */
export interface SettledItem {
	item: INodeExecutionData;
	result: Pick<TaskResult, 'state' | 'resultUrls' | 'taskId'>;
	itemIndex: number;
}

/** What a settle step decided: the answer to KIE and, to run the workflow, its items. */
export interface Settlement {
	status: number;
	msg: string;
	items?: SettledItem[];
	download?: DownloadSettings;
}

export interface ReceiverSpec {
	/** The Signature Window setting (see signatureWindowS); the default when unset. */
	windowS?: unknown;
	/**
	 * A callback without a signature when the credential has no Webhook HMAC Key: refused (with the
	 * reason), or taken as a signal to read the task from KIE.
	 */
	unsigned: { refuse: string } | 'signal';
	/**
	 * Whether a POST that carries no signature may be a nudge (the resume webhook): without a Webhook HMAC
	 * Key, one that names no task; with a key, only one whose X-Kie-Nudge-Token header is `nudgeToken(key)`
	 * (compared in constant time; its body is ignored). With a key, every other unsigned POST is refused.
	 */
	nudges?: boolean;
	/** The nudge token expected with `key` (recomputed from the key, never read from stored data). */
	nudgeToken?: (key: string) => string;
	/** The Trigger's static data: the replay record also lives there (bounded), to outlive a restart. */
	mirror?: IDataObject;
	settle(callback: ReceivedCallback, reply: Reply): Promise<Settlement>;
}

function header(headers: IDataObject, name: string): string | undefined {
	const value = headers[name];
	const text = Array.isArray(value) ? value[0] : value;
	return text === undefined || text === null || text === '' ? undefined : String(text);
}

type Verification = ReceivedCallback | { refused: string; status: number };

/** How long a verified callback is remembered: twice the longest signature window (a timestamp older than the window is refused anyway). */
const REPLAY_KEEP_MS = 2 * MAX_SIGNATURE_WINDOW_S * 1000;

/**
 * Checks a callback. With a Webhook HMAC Key in the credential every callback must be signed: a valid
 * signature within the window, over the one task id the body names, never used before with another body
 * (the replay record is keyed on the MAC's bytes, the timestamp and the task id: see replayKey); the only
 * unsigned POST that acts is a nudge with the batch's token. Without a key, the spec says whether unsigned
 * callbacks are refused or only a signal. Refusals name no value of the request.
 */
async function verify(ctx: IWebhookFunctions, spec: ReceiverSpec): Promise<Verification> {
	const body = (ctx.getBodyData() ?? {}) as IDataObject;
	const headers = ctx.getHeaderData() as IDataObject;
	const credentials = await ctx.getCredentials<{ webhookHmacKey?: string }>(CREDENTIAL_NAME);
	const key = credentials.webhookHmacKey?.trim();
	const timestamp = header(headers, 'x-webhook-timestamp');
	const signature = header(headers, 'x-webhook-signature');
	const nudgeToken = header(headers, NUDGE_TOKEN_HEADER.toLowerCase());
	const callback = normalizeCallback(body);
	if (key && spec.nudges && nudgeToken !== undefined && !timestamp && !signature) {
		if (spec.nudgeToken && sameSecret(nudgeToken, spec.nudgeToken(key))) return { taskId: undefined, signed: false, redelivery: false, authentic: true, callback };
		return { refused: `the ${NUDGE_TOKEN_HEADER} header is not valid for this batch`, status: 401 };
	}
	const ids = callbackTaskIds(body);
	if (ids.length > 1) return { refused: 'the body names more than one task id; a KIE callback names one', status: key ? 401 : 400 };
	const [taskId] = ids;
	if (key) {
		const windowS = signatureWindowS(spec.windowS);
		const check = verifyKieSignature({ key, taskId, timestamp, signature, windowS, nowMs: Date.now() });
		if (!check.ok) return { refused: SIGNATURE_FAILURES[check.reason], status: 401 };
		// Kept as long as the longest window any webhook of the process may have: the record is shared, and a
		// callback first seen where the window is short must still be known where it is long.
		const verdict = recordSignature(check.replayKey, bodyDigest(body), REPLAY_KEEP_MS, { mirror: spec.mirror });
		if (verdict === 'replay') return { refused: 'this signature was already used with another body (replay)', status: 401 };
		return { taskId, signed: true, redelivery: verdict === 'redelivery', authentic: true, callback };
	}
	if (spec.nudges && !taskId && !timestamp && !signature) return { taskId: undefined, signed: false, redelivery: false, authentic: false, callback };
	if (spec.unsigned !== 'signal') return { refused: spec.unsigned.refuse, status: 401 };
	return { taskId, signed: false, redelivery: false, authentic: false, callback };
}

/** Receives one callback (see the top of this file). */
export async function receiveKieCallback(this: IWebhookFunctions, spec: ReceiverSpec): Promise<IWebhookResponseData> {
	const response = this.getResponseObject();
	let sent = false;
	const reply: Reply = {
		send(status, msg) {
			if (sent) return;
			sent = true;
			response.status(status).json({ code: status, msg });
		},
		get sent() {
			return sent;
		},
	};
	const verified = await verify(this, spec);
	if ('refused' in verified) {
		reply.send(verified.status, `Rejected: ${verified.refused}`);
		return { noWebhookResponse: true };
	}
	const settlement = await spec.settle(verified, reply);
	reply.send(settlement.status, settlement.msg);
	if (!settlement.items) return { noWebhookResponse: true };
	const items: INodeExecutionData[] = [];
	for (const { item, result, itemIndex } of settlement.items) {
		try {
			await addResultFiles.call(this, item, result, settlement.download ?? NO_DOWNLOAD, itemIndex);
		} catch (error) {
			item.json.error = (error as Error).message;
		}
		items.push(item);
	}
	return { noWebhookResponse: true, workflowData: [items] };
}
