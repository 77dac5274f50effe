import type { IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import { fetchTask, TaskNotIndexedError } from '../../shared/api/tasks';
import { taskResult } from '../../shared/families/result';
import { getFamily } from '../../shared/families';
import { accountPacer } from '../../shared/transport';
import { toNodeError } from '../../shared/transport/errors';
import { receiveKieCallback, type ReceivedCallback, type Reply, type Settlement } from '../../shared/webhook/receiver';
import { kieNudgeToken } from '../../shared/webhook/signature';
import { readBatch, type BatchRecord } from './batch';
import { batchItems, settlerFor, type BatchSettler } from './settle';

/** KIE waits 15 s for an answer; reads still running then go on, and KIE is asked to send the callback again. */
const ANSWER_WITHIN_MS = 12_000;

/**
 * The resume webhook's step of the receiver (see settle.ts): take the callback's own task (a signed
 * body, or a signal to read it), run or join a round of reads, answer, and resume the execution once every
 * task has ended. A task settled before is never settled again: its later callbacks are answered
 * "duplicate" and read nothing. A failed round (KIE's limit, an outage) is answered 503, so KIE sends the
 * callback again; a nudge gets the same answer. Rounds caused by anything but a signed callback's first
 * delivery for an open task of the batch are paced (at most one per MIN_ROUND_INTERVAL_MS per batch);
 * answers name no value of the request and no error text of KIE, and tell an unauthenticated caller
 * nothing about the batch.
 */
async function settleBatch(ctx: IWebhookFunctions, settler: BatchSettler, callback: ReceivedCallback, reply: Reply): Promise<Settlement> {
	if (settler.claimed) return { status: 200, msg: callback.authentic ? 'already resumed' : 'received' };
	const { taskId } = callback;
	const known = taskId !== undefined && settler.has(taskId);
	if (known && settler.isSettled(taskId) && !settler.done) return { status: 200, msg: callback.authentic ? 'duplicate' : 'received' };
	// Only KIE's first word on one of this batch's open tasks may start a round at once; anything else (a
	// redelivery, another task's callback, anything unsigned) waits for the paced round.
	const fresh = known && callback.signed && !callback.redelivery;
	// A signed callback of a documented shape settles its own task; anything else is read from KIE.
	if (known && callback.signed && callback.callback.family !== 'unknown' && callback.callback.result.state !== 'pending') {
		settler.settle(callback.callback.result);
	} else if (known) {
		settler.signal(taskId);
	}

	if (!settler.done) {
		const pacer = await accountPacer.call(ctx);
		// KIE's "not indexed yet" answer is pending for a grace period after the batch started to wait; a task
		// KIE still does not know then ends as a failed item that says so (the batch is not stuck on it).
		const since = Date.parse(settler.record.since);
		const notIndexed = Number.isFinite(since) ? { since } : 'pending';
		const read = async (task: { family: string; taskId: string; model: string }) => {
			try {
				return await fetchTask.call(ctx, getFamily(task.family), task.taskId, undefined, task.model, pacer, notIndexed);
			} catch (error) {
				if (!(error instanceof TaskNotIndexedError)) throw toNodeError(ctx, error);
				return taskResult({ taskId: task.taskId, model: task.model, state: 'failed', failMsg: error.message });
			}
		};
		const pass = settler.pass(read, { paced: !fresh }).then(
			() => undefined,
			(error: unknown) => error as Error,
		);
		const answered = new AbortController();
		const late = sleep(ANSWER_WITHIN_MS, answered.signal).then(
			() => 'late' as const,
			() => undefined,
		);
		if ((await Promise.race([pass.then(() => 'read' as const), late])) === 'late') {
			reply.send(503, 'still reading the batch from KIE: please send this callback again');
		}
		answered.abort();
		const error = await pass;
		if (error) return { status: 503, msg: 'could not read the batch from KIE now: please send this callback again' };
	}
	// Who may have sent it (no Webhook HMAC Key) learns nothing about the batch.
	const note = callback.authentic && taskId !== undefined && !known ? 'the task is not in this batch; ' : '';
	if (!settler.done) return { status: 200, msg: callback.authentic ? `${note}received; ${settler.open} of ${settler.record.tasks.length} tasks still running` : 'received' };
	if (!settler.claim()) return { status: 200, msg: callback.authentic ? `${note}received; already resumed` : 'received' };
	return {
		status: 200,
		msg: `${note}received; every task ended, resuming`,
		items: batchItems(settler.record, settler.settled),
		download: settler.record.download,
	};
}

/**
 * The resume webhook of "Wait for Callback": KIE POSTs one callback per task to the execution's resume
 * URL, and a nudge there settles the batch from reads: without a Webhook HMAC Key any POST that names no
 * task; with a key only a POST with the batch's X-Kie-Nudge-Token (see kieNudgeToken: the same value
 * as the batch record's `nudgeToken`). n8n resumes an execution once, with the items this returns when
 * every task has ended.
 */
export async function receiveCallback(this: IWebhookFunctions): Promise<IWebhookResponseData> {
	const record: BatchRecord | undefined = readBatch(this);
	if (!record) {
		this.getResponseObject().status(200).json({ code: 200, msg: 'no KIE batch waits here' });
		return { noWebhookResponse: true };
	}
	const executionId = this.getExecutionId();
	const nodeName = this.getNode().name;
	const key = `${executionId}:${nodeName}`;
	const settler = settlerFor(key, record);
	const result = await receiveKieCallback.call(this, {
		unsigned: 'signal',
		nudges: true,
		nudgeToken: (hmacKey) => kieNudgeToken(hmacKey, executionId, nodeName),
		settle: async (callback, reply) => await settleBatch(this, settler, callback, reply),
	});
	return result;
}
