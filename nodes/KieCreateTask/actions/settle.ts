import type { IDataObject, INodeExecutionData } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import type { TaskResult } from '../../shared/families/result';
import { hasResult } from '../../shared/api/tasks';
import { taskJson } from '../../shared/output/items';
import { BoundedMap } from '../../shared/webhook/store';
import type { BatchRecord, BatchTask } from './batch';

/**
 * Settling a "Wait for Callback" batch: knowing how every task ended, at a cost that grows with the batch
 * (O(N) status reads), not with its square.
 *
 * A callback settles its own task (a signed body is KIE's word; an unsigned callback is read once), then
 * the tasks not settled yet are read newest submission first, stopping at the first that still runs: the
 * newest tasks end last, so one read usually shows the batch is not done. When the last task ends, the
 * tasks whose callbacks were lost (or refused by n8n while the node was still submitting) are read once
 * each. The state lives in process memory, one entry per waiting execution, bounded.
 *
 * A task is settled once: the first signed callback or read that shows its end wins, and nothing later
 * changes it (a captured signature re-sent with another body cannot replace a result).
 *
 * Reads go in rounds, one at a time per batch. A caller that arrives while a round runs, or while the next
 * one is due, joins the next round (it needs reads made after it arrived). A round caused by anything
 * unsigned (a nudge, an unsigned callback: anyone who knows the resume URL can send those) starts at
 * least MIN_ROUND_INTERVAL_MS after the previous one started, so a flood of them costs one round per
 * interval; a signed callback (KIE's word) starts its round as soon as the running one ends.
 */

export type ReadTask = (task: BatchTask) => Promise<TaskResult>;

/** The least time between the starts of two rounds of reads of one batch, when the later one is unsigned. */
export const MIN_ROUND_INTERVAL_MS = 3_000;

/**
 * Reads the tasks not in `settled`, newest first, until one still runs; records each ended task in
 * `settled` (never replacing what is there: the first result wins). `readNow` holds the reads of the
 * current pass, so that no task is read twice in one pass.
 */
export async function readNewestFirst(
	tasks: BatchTask[],
	settled: Map<string, TaskResult>,
	read: ReadTask,
	readNow: Map<string, TaskResult> = new Map(),
): Promise<void> {
	for (let index = tasks.length - 1; index >= 0; index--) {
		const task = tasks[index];
		if (settled.has(task.taskId)) continue;
		let result = readNow.get(task.taskId);
		if (!result) {
			result = await read(task);
			readNow.set(task.taskId, result);
		}
		if (result.state === 'pending') return;
		if (!settled.has(task.taskId)) settled.set(task.taskId, result);
	}
}

/** How long a claimed resume is believed: a callback that still reaches the webhook later means it failed. */
const RECLAIM_AFTER_MS = 60_000;

/** The round after the running one: who waits for it, and whether a signed callback wants it at once. */
interface NextRound {
	promise: Promise<void>;
	urgent: boolean;
	wake: AbortController;
}

/** The settling state of one waiting execution in this process. */
export class BatchSettler {
	readonly settled = new Map<string, TaskResult>();
	/** Tasks a callback named that are not settled yet: read first in the next round. */
	private readonly signals = new Set<string>();
	private readonly byId: Map<string, BatchTask>;
	private running: Promise<void> | undefined;
	private next: NextRound | undefined;
	private lastRoundAt: number | undefined;
	private claimedAt: number | undefined;
	/** Status reads made for this batch in this process. */
	reads = 0;
	/** Rounds of reads started for this batch in this process. */
	rounds = 0;

	constructor(
		readonly record: BatchRecord,
		private readonly now: () => number = Date.now,
		private readonly minRoundIntervalMs = MIN_ROUND_INTERVAL_MS,
	) {
		this.byId = new Map(record.tasks.map((task) => [task.taskId, task]));
		for (const result of record.settled ?? []) if (this.byId.has(result.taskId)) this.settled.set(result.taskId, result);
	}

	has(taskId: string): boolean {
		return this.byId.has(taskId);
	}

	/** Whether a task of the batch has ended as far as this process knows (then nothing changes it). */
	isSettled(taskId: string): boolean {
		return this.settled.has(taskId);
	}

	get done(): boolean {
		return this.settled.size === this.byId.size;
	}

	/** How many tasks have not ended (as far as this process knows). */
	get open(): number {
		return this.byId.size - this.settled.size;
	}

	/**
	 * A task's end from a signed callback (KIE's word): no read needed. False when it changes nothing: the
	 * task is not in the batch, still runs, or was settled before (the first result wins).
	 */
	settle(result: TaskResult): boolean {
		if (result.state === 'pending' || !this.byId.has(result.taskId) || this.settled.has(result.taskId)) return false;
		this.settled.set(result.taskId, result);
		// Nothing is left to read: whoever waits for the next round need not wait.
		if (this.done) this.next?.wake.abort();
		return true;
	}

	/** An unsigned callback names a task: it is read in the next round. */
	signal(taskId: string): void {
		if (this.byId.has(taskId) && !this.settled.has(taskId)) this.signals.add(taskId);
	}

	/**
	 * Waits for a round of reads that starts after this call: the signalled tasks, then the rest newest
	 * first until one still runs. Starts it at once when none runs (and, when `paced`, the previous one
	 * started MIN_ROUND_INTERVAL_MS ago or more); otherwise joins the next round, which starts when the
	 * running one ended (and, unless a signed callback joined it, the interval passed). A failed read ends the
	 * round with its error for everyone in it; what was read stays settled, and the signals not read stay for
	 * the next round. `paced`: the caller is unsigned (a nudge, an unsigned callback).
	 */
	async pass(read: ReadTask, options: { paced?: boolean } = {}): Promise<void> {
		const paced = options.paced === true;
		if (this.next) {
			if (!paced) {
				this.next.urgent = true;
				this.next.wake.abort();
			}
			return await this.next.promise;
		}
		if (!this.running && (!paced || this.now() >= this.readyAt())) return await this.startRound(read);
		const next: NextRound = { promise: Promise.resolve(), urgent: !paced, wake: new AbortController() };
		next.promise = this.later(next, read);
		this.next = next;
		return await next.promise;
	}

	/** When an unsigned caller may start a round. */
	private readyAt(): number {
		return this.lastRoundAt === undefined ? Number.NEGATIVE_INFINITY : this.lastRoundAt + this.minRoundIntervalMs;
	}

	private async later(next: NextRound, read: ReadTask): Promise<void> {
		try {
			if (this.running) await this.running.catch(() => undefined);
			const wait = this.readyAt() - this.now();
			if (!next.urgent && !this.done && wait > 0) await sleep(wait, next.wake.signal).catch(() => undefined);
		} finally {
			this.next = undefined;
		}
		// Everything ended meanwhile: there is nothing to read.
		if (this.done) return;
		return await this.startRound(read);
	}

	private async startRound(read: ReadTask): Promise<void> {
		this.lastRoundAt = this.now();
		this.rounds++;
		const round = this.round(read).finally(() => {
			if (this.running === round) this.running = undefined;
		});
		this.running = round;
		return await round;
	}

	private async round(read: ReadTask): Promise<void> {
		const counted: ReadTask = async (task) => {
			this.reads++;
			return await read(task);
		};
		const readNow = new Map<string, TaskResult>();
		for (const taskId of [...this.signals]) {
			if (!this.settled.has(taskId)) {
				const result = await counted(this.byId.get(taskId)!);
				readNow.set(taskId, result);
				if (result.state !== 'pending' && !this.settled.has(taskId)) this.settled.set(taskId, result);
			}
			this.signals.delete(taskId);
		}
		await readNewestFirst(this.record.tasks, this.settled, counted, readNow);
	}

	/**
	 * Claims the resume once the batch is done: true for exactly one caller, which returns the results to
	 * n8n. A callback that still reaches the webhook a minute after a claim means that resume did not
	 * happen (n8n refuses callbacks once an execution resumed), so it may claim again.
	 */
	claim(): boolean {
		if (!this.done || this.claimed) return false;
		this.claimedAt = this.now();
		return true;
	}

	get claimed(): boolean {
		return this.claimedAt !== undefined && this.now() - this.claimedAt < RECLAIM_AFTER_MS;
	}

	/** The claimer could not hand the results over. */
	unclaim(): void {
		this.claimedAt = undefined;
	}
}

const SETTLERS = new BoundedMap<string, BatchSettler>(500, 7 * 24 * 3600_000);

/** The settler of one waiting execution's node in this process (created from its batch record). */
export function settlerFor(key: string, record: BatchRecord): BatchSettler {
	let settler = SETTLERS.get(key);
	if (!settler || settler.record.since !== record.since) {
		settler = new BatchSettler(record);
		SETTLERS.set(key, settler);
	}
	return settler;
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

/** A batch task's output once it ended; a reused task says so. */
export function batchTaskJson(task: BatchTask, result: TaskResult, includeRaw = false): IDataObject {
	const json = resultJson(result, includeRaw);
	return task.reused ? { ...json, reused: true } : json;
}

/**
 * The batch's output: one item per input item, in input order, paired. Once every task ended, or with
 * `unsettled` giving the JSON of a task that has not (its result then stands as pending).
 */
export function batchItems(
	record: BatchRecord,
	settled: Map<string, TaskResult>,
	unsettled?: (task: BatchTask) => IDataObject,
): Array<{ item: INodeExecutionData; result: TaskResult; itemIndex: number }> {
	const out: Array<{ item: INodeExecutionData; result: TaskResult; itemIndex: number } | undefined> = new Array(record.items);
	for (const task of record.tasks) {
		const result = settled.get(task.taskId);
		const pending = { state: 'pending', resultUrls: [], taskId: task.taskId } as unknown as TaskResult;
		const json = result ? batchTaskJson(task, result, record.includeRaw) : unsettled?.(task);
		if (json) out[task.item] = { item: { json, pairedItem: { item: task.item } }, result: result ?? pending, itemIndex: task.item };
	}
	for (const { item, json } of record.unsubmitted) {
		const result = { state: 'failed', resultUrls: [], taskId: String(json.taskId ?? '') } as unknown as TaskResult;
		out[item] = { item: { json, pairedItem: { item } }, result, itemIndex: item };
	}
	return out.filter((entry): entry is NonNullable<typeof entry> => entry !== undefined);
}
