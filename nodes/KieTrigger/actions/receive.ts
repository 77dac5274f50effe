import { createHash } from 'crypto';
import type { IDataObject, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import { AUTO_FAMILY_COUNT, findTask, TaskNotFoundError } from '../../shared/api/tasks';
import type { TaskResult } from '../../shared/families/result';
import { downloadSettings } from '../../shared/output/download';
import { taskJson } from '../../shared/output/items';
import { accountPacer } from '../../shared/transport';
import { toNodeError } from '../../shared/transport/errors';
import type { RequestPacer } from '../../shared/transport/pacer';
import type { ApiStyleName } from '../../shared/registry/types';
import { receiveKieCallback, type ReceivedCallback, type Settlement } from '../../shared/webhook/receiver';
import { firstDelivery } from '../../shared/webhook/replay';
import { BoundedMap, RateLimiter } from '../../shared/webhook/store';

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
 * "Allow Unsigned Callbacks" (no Webhook HMAC Key): anyone who knows the Trigger's URL can make it read
 * KIE, so its reads are bounded per Trigger (workflow and node) in this process: a token bucket of
 * UNSIGNED_READS_PER_S reads per second, bursts of UNSIGNED_READ_BURST (every read of a lookup counts: an
 * unknown task id costs one per API family). A task id KIE did not know is remembered for
 * UNKNOWN_TASK_MS, so that sending it again reads nothing. Both stores are bounded.
 */
const UNSIGNED_READS_PER_S = 2;
// One unknown task id fits in a burst: a read per family Auto tries (14 with Suno's toolbox), and one more.
const UNSIGNED_READ_BURST = AUTO_FAMILY_COUNT + 1;
const UNKNOWN_TASK_MS = 5 * 60_000;
/** KIE's task ids are short; a longer one is no task of KIE's and is refused without a read. */
const MAX_TASK_ID_LENGTH = 200;
const UNSIGNED_READS = new RateLimiter(UNSIGNED_READS_PER_S, UNSIGNED_READ_BURST, 1000);
const UNKNOWN_TASKS = new BoundedMap<string, true>(10_000, UNKNOWN_TASK_MS);

/** The negative cache's key: the Trigger and a digest of the task id (a caller chooses its length). */
function unknownKey(scope: string, taskId: string): string {
	return `${scope}\n${createHash('sha256').update(taskId, 'utf8').digest('base64url')}`;
}

class TriggerBusyError extends Error {}

/**
 * The task an unsigned callback names, read from KIE (through the account's shared pacer, and the
 * Trigger's bucket of unsigned reads): nothing in the body is taken as true. `unknown` when KIE knows no
 * such task; `notIndexed` when a family answered "recordInfo is null" (maybe not indexed yet); `busy` when
 * the Trigger's bucket is empty.
 */
async function readFromKie(
	ctx: IWebhookFunctions,
	callback: ReceivedCallback,
	scope: string,
): Promise<{ result: TaskResult; family: string } | 'unknown' | 'notIndexed' | 'busy'> {
	const deadline = new AbortController();
	const timer = sleep(READ_WITHIN_MS, deadline.signal).then(
		() => deadline.abort(new Error(`KIE did not answer within ${READ_WITHIN_MS / 1000} s`)),
		() => undefined,
	);
	const account = await accountPacer.call(ctx);
	let busy = false;
	// Each read takes a token of the Trigger's bucket before its slot of the account's pacer.
	const pacer: RequestPacer = {
		acquire: async (lane, signal) => {
			if (!UNSIGNED_READS.take(scope)) {
				busy = true;
				throw new TriggerBusyError('busy');
			}
			return await account.acquire(lane, signal);
		},
	};
	try {
		const hint = callback.callback.family === 'unknown' ? undefined : (callback.callback.family as ApiStyleName);
		const found = await findTask.call(ctx, callback.taskId!, 0, [hint], { pacer, signal: deadline.signal });
		return { result: found.result, family: found.family.name };
	} catch (error) {
		if (busy) return 'busy';
		// A family that answered "recordInfo is null" may know the task in a moment (KIE answers that for a task
		// it has not indexed yet): not remembered as unknown, KIE is asked to send the callback again.
		if (error instanceof TaskNotFoundError) return error.notIndexedBy.length > 0 ? 'notIndexed' : 'unknown';
		throw toNodeError(ctx, error);
	} finally {
		deadline.abort();
		await timer;
	}
}

/**
 * The KIE Trigger's step of the receiver: a signed callback's body is the result; an unsigned one (only
 * with "Allow Unsigned Callbacks") is re-read from KIE, within the Trigger's bounds on unsigned reads.
 * Then the event filter, then the delivery record: a task and state that already started the workflow
 * start nothing again (a signature re-sent in another spelling is the same callback to the replay record,
 * so it cannot pass this either). Answers name no value of the request and no error text of KIE.
 */
async function settleTrigger(ctx: IWebhookFunctions, callback: ReceivedCallback, state: IDataObject): Promise<Settlement> {
	const options = ctx.getNodeParameter('options', {}) as TriggerOptions;
	const events = ctx.getNodeParameter('events', 'all') as 'all' | 'success' | 'failure';
	if (callback.redelivery) return { status: 200, msg: 'duplicate' };
	if (!callback.taskId) return { status: 400, msg: 'Rejected: the body names no task id (data.task_id, data.taskId or taskId)' };
	const scope = triggerScope(ctx);

	let result = callback.callback.result;
	let family = callback.callback.family;
	let stage = callback.callback.stage;
	if (!callback.signed) {
		const unknown = unknownKey(scope, callback.taskId);
		if (callback.taskId.length > MAX_TASK_ID_LENGTH || UNKNOWN_TASKS.has(unknown)) return { status: 404, msg: 'Rejected: unknown task' };
		let read: Awaited<ReturnType<typeof readFromKie>>;
		try {
			read = await readFromKie(ctx, callback, scope);
		} catch {
			// KIE retries a callback that is not answered 200: the task is read again then.
			return { status: 503, msg: 'could not check the callback now: please send it again' };
		}
		if (read === 'busy') return { status: 503, msg: 'busy: please send this callback again later' };
		if (read === 'notIndexed') return { status: 503, msg: 'could not check the callback now: please send it again' };
		if (read === 'unknown') {
			UNKNOWN_TASKS.set(unknown, true);
			return { status: 404, msg: 'Rejected: unknown task' };
		}
		({ result, family } = read);
		// The stage was the body's word; the record read from KIE tells the state only.
		stage = null;
	}

	if (result.state === 'pending' && !options.includeStages) return { status: 200, msg: 'stage ignored' };
	if ((events === 'success' && result.state !== 'success') || (events === 'failure' && result.state !== 'failed')) {
		return { status: 200, msg: 'filtered' };
	}
	if (!firstDelivery(scope, `${result.taskId}|${result.state}|${stage ?? ''}`, state)) return { status: 200, msg: 'duplicate' };

	const item = {
		json: taskJson(result, {
			includeRaw: options.includeRaw === true,
			extra: {
				family,
				...(stage !== null ? { stage } : {}),
				...(callback.signed ? { code: callback.callback.code, msg: callback.callback.msg } : {}),
				context: { ...(ctx.getQueryData() as IDataObject) },
				// `context` is the query of the URL that was called. KIE signs neither it nor the body (only the task
				// id and the timestamp), so whoever calls the URL chooses it. `contextVerified` is true when it came
				// with a valid KIE signature used for the first time in this n8n process (the replay record is one
				// for every webhook): then it is exactly as trustworthy as the result taken from the same body (a
				// re-send of that signature, in any spelling, here or at another webhook, with another body is
				// refused; with the same body it starts nothing, whatever its query). It is not a MAC over the
				// context: a callback intercepted before it arrived could carry another context, as it could carry
				// another body (hence an https WEBHOOK_URL). Unsigned (Allow Unsigned Callbacks): false, as anyone
				// could have sent it; the result was read from KIE, the context cannot be.
				contextVerified: callback.signed,
				signatureVerified: callback.signed,
				...(callback.signed ? {} : { readFromKie: true }),
			},
		}),
	};
	return { status: 200, msg: 'received', items: [{ item, result, itemIndex: 0 }], download: downloadSettings(options) };
}

/** The Trigger's scope in the delivery and read records: its workflow and node. */
function triggerScope(ctx: IWebhookFunctions): string {
	return `trigger:${ctx.getWorkflow().id ?? ''}:${ctx.getNode().name}`;
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
		windowS: options.timestampWindow,
		unsigned: allowUnsigned
			? 'signal'
			: { refuse: 'the KIE API credential has no Webhook HMAC Key, and "Allow Unsigned Callbacks" is off' },
		mirror: state,
		settle: async (callback) => await settleTrigger(this, callback, state),
	});
}
