import type { IDataObject, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import { findTask, TaskNotFoundError } from '../../shared/api/tasks';
import type { TaskResult } from '../../shared/families/result';
import { downloadSettings } from '../../shared/output/download';
import { taskJson } from '../../shared/output/items';
import { accountPacer } from '../../shared/transport';
import { toNodeError } from '../../shared/transport/errors';
import type { ApiStyleName } from '../../shared/registry/types';
import { receiveKieCallback, type ReceivedCallback, type Settlement } from '../../shared/webhook/receiver';
import { firstDelivery } from '../../shared/webhook/replay';

interface TriggerOptions {
	downloadResults?: boolean | string;
	downloadOutput?: string;
	includeRaw?: boolean;
	includeStages?: boolean;
	maxDownloadSizeMB?: number;
	timestampWindow?: unknown;
}

/** How long an unsigned callback's read from KIE may take: KIE waits 15 s for the answer. */
const READ_WITHIN_MS = 12_000;

/**
 * The task an unsigned callback names, read from KIE (through the account's shared pacer): nothing in the
 * body is taken as true. Undefined when KIE knows no such task.
 */
async function readFromKie(ctx: IWebhookFunctions, callback: ReceivedCallback): Promise<{ result: TaskResult; family: string } | undefined> {
	const deadline = new AbortController();
	const timer = sleep(READ_WITHIN_MS, deadline.signal).then(
		() => deadline.abort(new Error(`KIE did not answer within ${READ_WITHIN_MS / 1000} s`)),
		() => undefined,
	);
	try {
		const hint = callback.callback.family === 'unknown' ? undefined : (callback.callback.family as ApiStyleName);
		const found = await findTask.call(ctx, callback.taskId!, 0, [hint], { pacer: await accountPacer.call(ctx), signal: deadline.signal });
		return { result: found.result, family: found.family.name };
	} catch (error) {
		if (error instanceof TaskNotFoundError) return undefined;
		throw toNodeError(ctx, error);
	} finally {
		deadline.abort();
		await timer;
	}
}

/**
 * The KIE Trigger's step of the receiver: a signed callback's body is the result; an unsigned one (only
 * with "Allow Unsigned Callbacks") is re-read from KIE. Then the event filter, then the delivery record:
 * a task and state that already started the workflow start nothing again.
 */
async function settleTrigger(ctx: IWebhookFunctions, callback: ReceivedCallback, state: IDataObject): Promise<Settlement> {
	const options = ctx.getNodeParameter('options', {}) as TriggerOptions;
	const events = ctx.getNodeParameter('events', 'all') as 'all' | 'success' | 'failure';
	if (callback.redelivery) return { status: 200, msg: 'duplicate' };
	if (!callback.taskId) return { status: 400, msg: 'Rejected: the body names no task id (data.task_id, data.taskId or taskId)' };

	let result = callback.callback.result;
	let family = callback.callback.family;
	let stage = callback.callback.stage;
	if (!callback.signed) {
		let read: Awaited<ReturnType<typeof readFromKie>>;
		try {
			read = await readFromKie(ctx, callback);
		} catch (error) {
			// KIE retries a callback that is not answered 200: the task is read again then.
			return { status: 503, msg: `could not read task ${callback.taskId} from KIE to check it: ${(error as Error).message}` };
		}
		if (!read) return { status: 404, msg: `Rejected: KIE knows no task ${callback.taskId}` };
		({ result, family } = read);
		// The stage was the body's word; the record read from KIE tells the state only.
		stage = null;
	}

	if (result.state === 'pending' && !options.includeStages) return { status: 200, msg: 'stage ignored' };
	if ((events === 'success' && result.state !== 'success') || (events === 'failure' && result.state !== 'failed')) {
		return { status: 200, msg: 'filtered' };
	}
	const scope = `trigger:${ctx.getWorkflow().id ?? ''}:${ctx.getNode().name}`;
	if (!firstDelivery(scope, `${result.taskId}|${result.state}|${stage ?? ''}`, state)) return { status: 200, msg: 'duplicate' };

	const item = {
		json: taskJson(result, {
			includeRaw: options.includeRaw === true,
			extra: {
				family,
				...(stage !== null ? { stage } : {}),
				...(callback.signed ? { code: callback.callback.code, msg: callback.callback.msg } : {}),
				context: { ...(ctx.getQueryData() as IDataObject) },
				signatureVerified: callback.signed,
				...(callback.signed ? {} : { readFromKie: true }),
			},
		}),
	};
	return { status: 200, msg: 'received', items: [{ item, result, itemIndex: 0 }], download: downloadSettings(options) };
}

/**
 * Receives one KIE callback for the Trigger (see receiver.ts) and starts the workflow with the normalized
 * result plus `context` (the query parameters of the URL KIE called).
 */
export async function receiveTriggerCallback(this: IWebhookFunctions): Promise<IWebhookResponseData> {
	const options = this.getNodeParameter('options', {}) as TriggerOptions;
	const state = this.getWorkflowStaticData('node');
	const allowUnsigned = this.getNodeParameter('allowUnsigned', false) === true;
	return await receiveKieCallback.call(this, {
		scope: `trigger:${this.getWorkflow().id ?? ''}:${this.getNode().name}`,
		windowS: options.timestampWindow,
		unsigned: allowUnsigned
			? 'signal'
			: { refuse: 'the KIE API credential has no Webhook HMAC Key, and "Allow Unsigned Callbacks" is off' },
		mirror: state,
		settle: async (callback) => await settleTrigger(this, callback, state),
	});
}
