import type { IDataObject, IExecuteFunctions, IWebhookFunctions } from 'n8n-workflow';

import type { TaskResult } from '../../shared/families/result';
import { executionCustomData } from '../../shared/host';
import { CREDENTIAL_NAME } from '../../shared/transport';
import { kieNudgeToken } from '../../shared/webhook/signature';
import type { DownloadSettings } from '../../shared/output/download';
import type { ApiStyleName } from '../../shared/registry/types';

/**
 * The batch of a "Wait for Callback" execution. n8n drops the waiting node's output before it calls the
 * resume webhook, so the batch is kept in the node's context, which n8n saves with the waiting execution
 * (in the database, so any process reads it: queue mode included) and which the webhook reads back with
 * `$("<node>").context`. The execution's custom data shows the task ids as far as they fit.
 */

/** A submitted task of the batch. */
export interface BatchTask {
	/** Its input item. */
	item: number;
	taskId: string;
	family: ApiStyleName;
	model: string;
	/** Reused from an earlier run (Options → Reuse Results): it had ended before the batch waited. */
	reused?: true;
}

export interface BatchRecord {
	v: 2;
	/** The resume URL KIE calls back, without n8n's token: where a nudge goes (the token is in the execution). */
	resumeUrl: string;
	/** When the node started waiting (ISO). */
	since: string;
	/** How many input items the node had. */
	items: number;
	download: DownloadSettings;
	includeRaw: boolean;
	/** The submitted tasks, in the order they were submitted (the newest last). */
	tasks: BatchTask[];
	/** The output of items that were not submitted ("Continue On Fail"). */
	unsubmitted: Array<{ item: number; json: IDataObject }>;
	/** Tasks that had already ended when the node started waiting. */
	settled: TaskResult[];
	/**
	 * With a Webhook HMAC Key in the credential: the token a nudge of this batch sends in X-Kie-Nudge-Token
	 * (see kieNudgeToken; the webhook recomputes it from the key). Absent without a key (a nudge then needs
	 * none) and in records saved before it existed.
	 */
	nudgeToken?: string;
}

const CONTEXT_KEY = 'kieBatch';

/**
 * The nudge token of the batch this execution's node starts waiting for (see kieNudgeToken), when the
 * credential has a Webhook HMAC Key; undefined without one.
 */
export async function batchNudgeToken(ctx: IExecuteFunctions): Promise<string | undefined> {
	const credentials = await ctx.getCredentials<{ webhookHmacKey?: string }>(CREDENTIAL_NAME);
	const key = credentials.webhookHmacKey?.trim();
	return key ? kieNudgeToken(key, ctx.getExecutionId(), ctx.getNode().name) : undefined;
}

/** Keeps the batch in the node's context (saved with the waiting execution). */
export function saveBatch(ctx: IExecuteFunctions, record: BatchRecord): void {
	ctx.getContext('node')[CONTEXT_KEY] = JSON.stringify(record);
}

/** Reads a batch back; undefined for anything that is not one. */
export function parseBatch(text: unknown): BatchRecord | undefined {
	if (typeof text !== 'string' || text === '') return undefined;
	try {
		const record = JSON.parse(text) as BatchRecord;
		return record?.v === 2 && Array.isArray(record.tasks) ? record : undefined;
	} catch {
		return undefined;
	}
}

/**
 * The batch of the waiting execution, read in the resume webhook from the waiting node's context (the
 * webhook has no getContext of its own, so through an expression).
 */
export function readBatch(ctx: IWebhookFunctions): BatchRecord | undefined {
	// The node's name as a string literal; braces escaped so that they cannot end the expression.
	const name = JSON.stringify(ctx.getNode().name).replace(/[{}]/g, (brace) => `\\u${brace.charCodeAt(0).toString(16).padStart(4, '0')}`);
	try {
		return parseBatch(ctx.evaluateExpression(`{{ $(${name}).context[${JSON.stringify(CONTEXT_KEY)}] }}`, 0));
	} catch {
		return undefined;
	}
}

/**
 * n8n keeps at most 10 custom-data values per execution. It keeps values up to 512 characters but logs
 * an error for any over 255, so values stay within 255.
 */
const CUSTOM_DATA_KEYS = 10;
const CUSTOM_DATA_VALUE_LENGTH = 255;
export const CUSTOM_DATA_PREFIX = 'kie_';

/**
 * Shows the batch in the execution's custom data (the executions list, n8n's API): `kie_batch` (how many
 * tasks, since when), then `kie_tasks_1`, `kie_tasks_2`… with the task ids in submission order, in the
 * keys the workflow's own custom data leaves free. Nothing when the host has no custom data (n8n 1.x).
 */
export function showBatch(ctx: IExecuteFunctions, record: BatchRecord): void {
	const customData = executionCustomData(ctx);
	if (!customData) return;
	const own = Object.keys(customData.getAll()).filter((key) => !key.startsWith(CUSTOM_DATA_PREFIX));
	const free = CUSTOM_DATA_KEYS - own.length;
	if (free < 1) return;
	const values: string[] = [];
	let current = '';
	for (const { taskId } of record.tasks) {
		const next = current ? `${current},${taskId}` : taskId;
		if (next.length <= CUSTOM_DATA_VALUE_LENGTH) {
			current = next;
			continue;
		}
		values.push(current);
		current = taskId;
	}
	if (current) values.push(current);
	const listed = values.slice(0, free - 1);
	const shown = listed.join(',').split(',').filter(Boolean).length;
	const summary = `${record.tasks.length} task${record.tasks.length === 1 ? '' : 's'} waiting for KIE callbacks since ${record.since}${
		shown < record.tasks.length ? ` (${shown} ids listed; all are in the node's context)` : ''
	}`;
	customData.setAll({
		[`${CUSTOM_DATA_PREFIX}batch`]: summary.slice(0, CUSTOM_DATA_VALUE_LENGTH),
		...Object.fromEntries(listed.map((value, index) => [`${CUSTOM_DATA_PREFIX}tasks_${index + 1}`, value])),
	});
}
