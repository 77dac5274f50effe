import type { IExecuteFunctions, NodeOperationError } from 'n8n-workflow';

import { fetchTask, isNotFound, TaskNotIndexedError } from '../../shared/api/tasks';
import type { TaskResult } from '../../shared/families/result';
import { itemBinaryHash, openReuse, reuseKey, type ReusedTask, type ReuseStore } from '../../shared/reuse';
import { CREDENTIAL_NAME } from '../../shared/transport';
import { itemError } from '../../shared/transport/errors';
import type { Pacer } from '../../shared/transport/pacer';
import type { CreateOptions, TaskPlan } from './prepare';

/**
 * Options → Reuse Results in KIE Create Task: before anything is paid for, each valid item's request key
 * (model + input after defaults, files from binary by content, or the item's Reuse Key; see
 * nodes/shared/reuse) is looked up in the node's records of tasks it created; a task found there, created
 * within the Reuse Window, is read once from KIE. One that runs or succeeded is the item's task (no create,
 * no budget); one that failed at KIE, or that KIE no longer knows, is forgotten and a new task is created.
 * Every new task is remembered as soon as KIE accepted it, so that a run that fails later (or a crash)
 * leaves its record for the retry.
 */

const HOUR_MS = 3_600_000;

export interface FoundTask {
	task: ReusedTask;
	/** The task's record as read now (running or succeeded). */
	result: TaskResult;
}

export interface RunReuse {
	store: ReuseStore;
	/** Each valid item's slot in the records, by item index. */
	slots: Map<number, string>;
	/** Items that reuse an earlier task. */
	found: Map<number, FoundTask>;
	/** Items whose earlier task could not be read now: they fail (with its task id) rather than pay twice. */
	unreadable: Map<number, { error: NodeOperationError; taskId: string }>;
	/** Why earlier tasks were not reused (their items get new tasks), for the execution hint. */
	replaced: Array<{ itemIndex: number; taskId: string; why: string }>;
	/**
	 * A production execution whose tasks cannot be kept in the workflow's static data (n8n gives a queue
	 * worker or a retry none that it saves safely): said in the hint, as a fallback.
	 */
	processOnly: boolean;
}

/** The content hashes of an item's files from binary, by the KIE field that takes them. */
async function binaryHashes(ctx: IExecuteFunctions, plan: TaskPlan): Promise<Record<string, string[]> | undefined> {
	const files = plan.binaryInputs;
	if (!files) return undefined;
	const hashes: Record<string, string[]> = {};
	if (files.properties.length) {
		hashes[files.field] = [];
		for (const property of files.properties) hashes[files.field].push(await itemBinaryHash(ctx, plan.itemIndex, property));
	}
	if (files.maskField && files.maskProperty) hashes[files.maskField] = [await itemBinaryHash(ctx, plan.itemIndex, files.maskProperty)];
	return hashes;
}

/**
 * Opens the run's reuse (Options → Reuse Results of the first item; undefined when off), finds each
 * item's earlier task and reads it from KIE (through the pacer's status lane, all items at once).
 */
export async function openRunReuse(ctx: IExecuteFunctions, plans: TaskPlan[], options: CreateOptions, pacer: Pacer): Promise<RunReuse | undefined> {
	if (options.reuseResults !== true || plans.length === 0) return undefined;
	const hours = Number(options.reuseWindow ?? 24);
	// Identical items of one run make one task each (the n-th item with a key gets the n-th task created
	// for it): 3 identical rows are 3 variations, and their retry reuses all 3.
	const store = openReuse(ctx, { windowMs: (Number.isFinite(hours) ? hours : 24) * HOUR_MS });
	// A task of another KIE account cannot be read with this one: the credential (its id, never its key)
	// is part of every key.
	const credential = ctx.getNode().credentials?.[CREDENTIAL_NAME];
	const scope = String(credential?.id ?? credential?.name ?? '');
	const run: RunReuse = { store, slots: new Map(), found: new Map(), unreadable: new Map(), replaced: [], processOnly: ctx.getMode() !== 'manual' && !store.persistsInWorkflow };
	const candidates: Array<{ plan: TaskPlan; slot: string; task: ReusedTask }> = [];
	for (const plan of plans) {
		const own = ctx.getNodeParameter('options', plan.itemIndex, {}) as CreateOptions;
		const explicitKey = own.reuseKey === undefined || own.reuseKey === '' ? undefined : own.reuseKey;
		const hashes = explicitKey === undefined ? await binaryHashes(ctx, plan) : undefined;
		let key: string;
		try {
			key = reuseKey({ modelId: plan.modelId, input: plan.input, binaryHashes: hashes, explicitKey, scope });
		} catch (error) {
			throw itemError(ctx, plan.itemIndex, `Options → "Reuse Key" could not be used: ${(error as Error).message}`, 'Give a text or a number, e.g. {{ $json.row_id }}. Nothing was sent to KIE.');
		}
		const slot = store.slot(key);
		run.slots.set(plan.itemIndex, slot);
		const task = store.find(slot);
		if (task) candidates.push({ plan, slot, task });
	}
	await Promise.all(
		candidates.map(async ({ plan, slot, task }) => {
			let result: TaskResult;
			try {
				// KIE may not list a task in its first seconds: pending then, unknown a minute after its create.
				result = await fetchTask.call(ctx, plan.family, task.taskId, plan.itemIndex, plan.modelId, pacer, { since: task.createdAt });
			} catch (error) {
				if (error instanceof TaskNotIndexedError || isNotFound(error)) {
					store.forget(slot);
					run.replaced.push({ itemIndex: plan.itemIndex, taskId: task.taskId, why: 'KIE no longer knows it' });
					return;
				}
				run.unreadable.set(plan.itemIndex, {
					taskId: task.taskId,
					error: itemError(
						ctx,
						plan.itemIndex,
						`Reuse Results: task ${task.taskId}, created for this item earlier, could not be read`,
						`${(error as Error).message}. No new task was created, so that this item is not paid for twice. Run again once KIE answers, or turn Options → Reuse Results off to create a new task.`,
					),
				});
				return;
			}
			if (result.state === 'failed') {
				store.forget(slot);
				run.replaced.push({ itemIndex: plan.itemIndex, taskId: task.taskId, why: `it failed at KIE (${result.failMsg ?? 'no reason given'})` });
				return;
			}
			run.found.set(plan.itemIndex, { task, result });
			// Kept in this execution's own record too (with its first create time), so that a retry of this
			// execution finds it where the workflow's static data is not loaded (queue workers, retries).
			store.remember(slot, { taskId: task.taskId, model: task.model || plan.modelId, family: task.family || plan.family.name, createdAt: task.createdAt });
		}),
	);
	return run;
}

/** The execution hint of the run's reuse: how many items reused a task, and which earlier tasks were replaced. */
export function reuseHint(run: RunReuse): string | undefined {
	const parts: string[] = [];
	const reused = run.found.size;
	if (reused > 0) parts.push(`Reuse Results: ${reused} item${reused === 1 ? '' : 's'} reused a task created earlier (no new task, nothing paid again; "reused": true)`);
	const replaced = [...run.replaced].sort((a, b) => a.itemIndex - b.itemIndex);
	if (replaced.length) {
		const listed = replaced.slice(0, 5).map(({ itemIndex, taskId, why }) => `item ${itemIndex + 1} (task ${taskId}: ${why})`);
		const more = replaced.length > 5 ? ` and ${replaced.length - 5} more` : '';
		parts.push(`${reused > 0 ? 'new' : 'Reuse Results: new'} tasks were created for ${listed.join(', ')}${more}`);
	}
	if (run.processOnly) {
		parts.push(
			`${parts.length ? 'the' : 'Reuse Results: the'} tasks of this execution are remembered in the execution and in this n8n process only (n8n gives a queue worker, or a retry, no workflow static data that it saves safely): a retry of this execution reuses them anywhere, a later execution only in this process`,
		);
	}
	return parts.length ? `${parts.join('; ')}.` : undefined;
}
