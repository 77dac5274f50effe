import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { WAIT_INDEFINITELY } from 'n8n-workflow';

import { errorItem, withSubmittedTasks, submittedJson, taskJson, toolResult } from '../../shared/output/items';
import { itemError, toNodeError } from '../../shared/transport/errors';
import { accountPacer } from '../../shared/transport';
import { type TaskResult } from '../../shared/families/result';
import { addOutputHint, runsAsTool } from '../../shared/host';
import { getModel } from '../../shared/registry';
import { getFamily } from '../../shared/families';
import { finishTask } from '../../shared/output/finish';
import { addResultFiles } from '../../shared/output/download';
import { runCreditsHint } from '../../shared/output/credits';
import { isPrivateUrl, kieIsLocal } from '../../shared/transport/addresses';
import { batchingSettings, Pacer, PacerStoppedError } from '../../shared/transport/pacer';
import { fetchTask, isPausedAnswer, pausedModelError, submitTask, waitForTask } from '../../shared/api/tasks';
import { uploadBinaryInputs } from './binaryInputs';
import { batchNudgeToken, saveBatch, showBatch, type BatchRecord, type BatchTask } from './batch';
import { batchItems, readNewestFirst, resultJson } from './settle';
import { checkCreditsFirst } from './credits';
import { notSubmittedJson } from './budget';
import { runBudget } from './runBudget';
import { openRunReuse, reuseHint, type FoundTask } from './reuse';
import { readLiveCatalogue, warnOfDrift } from './liveModels';
import { createBody, modelChoice, prepareTask, type CreateOptions, type TaskPlan } from './prepare';
import { runSynchronous } from './synchronous';

type NodeError = Error & { description?: string | null; result?: TaskResult };
/** A task of the run: created now, or reused (`reused`: its record once it ended, in "Wait for Callback"). */
type Submitted = { itemIndex: number; taskId: string; plan: TaskPlan; reused?: TaskResult };

function wantsCallback(ctx: IExecuteFunctions, count: number): boolean {
	if (runsAsTool(ctx)) return false;
	for (let i = 0; i < count; i++) {
		if (ctx.getNodeParameter('completion', i, 'poll') === 'callback') return true;
	}
	return false;
}

/** The resume URL without n8n's token (kept in the batch record and shown; the token stays in the execution). */
function withoutToken(url: string): string {
	try {
		const parsed = new URL(url);
		parsed.searchParams.delete('signature');
		return parsed.toString();
	} catch {
		return url.split('?')[0];
	}
}

/**
 * Why "Wait for Callback" polls instead, decided before any paid request; undefined when it can wait.
 * KIE cannot reach a resume URL on this machine or a private network (a local n8n without a public
 * WEBHOOK_URL) unless the credential points at a local KIE (the simulator); and KIE never calls back for
 * some operations (Veo 1080p).
 */
async function callbackFallback(ctx: IExecuteFunctions, resumeUrl: string, count: number): Promise<string | undefined> {
	for (let i = 0; i < count; i++) {
		const model = getModel(modelChoice(ctx, i).id);
		if (model && getFamily(model.api).noCallbacks) return `KIE never calls back for ${model.displayName ?? model.id} (item ${i + 1})`;
	}
	if (isPrivateUrl(resumeUrl) && !(await kieIsLocal(ctx))) {
		return `this execution's resume URL (${new URL(resumeUrl).host}) is on this machine or a private network, where KIE cannot reach it. Set n8n's WEBHOOK_URL to a public address to wait for callbacks`;
	}
	return undefined;
}

/**
 * Create Task: validate every item first (so bad input costs nothing), then run the items concurrently
 * under one pacer per execution (Options → Batching): creates spaced under KIE's create limit, in input
 * order, each sent once; status reads under the poll budget; at most "Concurrent Tasks" tasks waited on
 * at once. The output has one item per input item, in input order, paired.
 * With "Wait for Callback" the execution is put to wait; the node's webhook resumes it (callback.ts).
 */
export async function createTasks(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const items = this.getInputData();
	// As a tool, every outcome goes back to the agent as a result, errors included: n8n 1.123 would stop
	// the whole execution on a tool's error, and the agent can correct a refused value.
	const asTool = runsAsTool(this);
	const continueOnFail = this.continueOnFail() || asTool;
	const output: Array<INodeExecutionData | undefined> = new Array(items.length);
	let resumeUrl = wantsCallback(this, items.length)
		? String(this.evaluateExpression('{{ $execution.resumeUrl }}', 0))
		: undefined;
	// Decided before anything is sent: "Wait for Callback" polls when KIE could not call back.
	const fallback = resumeUrl ? await callbackFallback(this, resumeUrl, items.length) : undefined;
	if (fallback) {
		resumeUrl = undefined;
		addOutputHint(this, `Polled instead of waiting for a callback: ${fallback}.`);
	}
	// The account's pacer of this process (shared with every execution that uses the account and the same
	// Batching option, from the first item), with this execution's cap on tasks waited on at once.
	const options = (items.length ? this.getNodeParameter('options', 0, {}) : {}) as CreateOptions;
	const settings = batchingSettings(options.batching ?? {});
	const pacer = new Pacer(settings, await accountPacer.call(this, settings));
	// Models not built in: KIE's live list and their schemas, read before validation (liveModels.ts).
	const { liveModels, liveSchemas } = await readLiveCatalogue(this, items.length, pacer);

	const plans: TaskPlan[] = [];
	for (let i = 0; i < items.length; i++) {
		try {
			const plan = prepareTask.call(this, i, { resumeUrl, isTool: asTool, liveModels, liveSchemas, pollInstead: fallback !== undefined });
			if (resumeUrl && plan.completion !== 'callback') {
				throw itemError(
					this,
					i,
					'"Completion" must be "Wait for Callback" for every item',
					'One execution resumes once, so all its items wait for callbacks together. Nothing was sent to KIE.',
				);
			}
			plans.push(plan);
		} catch (error) {
			if (!continueOnFail) throw toNodeError(this, error, i);
			output[i] = errorItem(i, error as NodeError);
		}
	}

	// A value the item's completion mode does not use is said, never silently ignored.
	for (const note of new Set(plans.flatMap((plan) => plan.unusedOptions))) addOutputHint(this, `${note}.`);

	// The drift guard: built-in Market models against KIE's live schemas and list (never blocking).
	await warnOfDrift(this, plans, pacer, { liveModels, liveSchemas });

	// Options → Reuse Results: items that asked for the same before get that task, read now (reuse.ts).
	// A synchronous call (Suno's timestamped lyrics, persona, boost style) has no task to reuse.
	const reuse = await openRunReuse(this, plans.filter((plan) => !plan.family.synchronous), options, pacer);
	const reuseNote = reuse && reuseHint(reuse);
	if (reuseNote) addOutputHint(this, reuseNote, 'info');
	const toCreate = plans.filter((plan) => !reuse?.found.has(plan.itemIndex) && !reuse?.unreadable.has(plan.itemIndex));

	// Options → Max Credits per Run: the items go in input order while the budget covers them (budget.ts).
	// A reused task costs nothing more and is not counted.
	const budget = toCreate.length ? await runBudget(this, toCreate, options, pacer) : undefined;

	// Options → Check Credits First: one balance read per execution, before anything is submitted; with a
	// price known, a run the account cannot pay one task of is refused too.
	if (toCreate.length) await checkCreditsFirst.call(this, toCreate.map((plan) => plan.itemIndex), budget?.cheapest);

	const signal = this.getExecutionCancelSignal();
	const submitted: Submitted[] = [];
	let firstFailure: { error: NodeError; taskId?: string } | undefined;

	/** A failed item: an error item with Continue On Fail; otherwise the batch stops submitting. */
	const fail = (plan: TaskPlan, error: NodeError, taskId?: string) => {
		if (error instanceof PacerStoppedError) return;
		if (!continueOnFail) {
			if (!firstFailure) {
				firstFailure = { error, taskId };
				// Nothing more is submitted: the run stops with this error, so new tasks would be paid for
				// nothing. Tasks already submitted are still waited on, and listed in the error.
				pacer.stopCreates();
			}
			return;
		}
		output[plan.itemIndex] = errorItem(
			plan.itemIndex,
			error,
			taskId
				? error.result
					? taskJson(error.result, { includeRaw: plan.includeRaw })
					: submittedJson(taskId, plan.modelId)
				: { model: plan.modelId },
		);
	};

	const poll = async (plan: TaskPlan, taskId: string): Promise<INodeExecutionData> => {
		const result = await waitForTask.call(this, plan.family, taskId, plan.itemIndex, {
			intervalMs: plan.pollIntervalMs,
			timeoutMs: plan.pollTimeoutMs,
			model: plan.modelId,
			pacer,
			delayFirstPoll: true,
		});
		return await finishTask.call(this, result, plan.itemIndex, {
			download: plan.download,
			includeRaw: plan.includeRaw,
			failOnError: true,
			extra: fallback ? { fallback: `Polled instead of waiting for a callback: ${fallback}` } : undefined,
		});
	};

	/**
	 * An item that reuses an earlier task (Options → Reuse Results): Submit Only outputs it as it is now;
	 * otherwise it is waited on by polling (its callback goes to the execution that created it), and in
	 * "Wait for Callback" it joins the batch as a task that has ended.
	 */
	const runReused = async (plan: TaskPlan, { task, result }: FoundTask) => {
		const item = plan.itemIndex;
		let release: (() => void) | undefined;
		try {
			if (plan.completion === 'submit') {
				const json = result.state === 'pending' ? submittedJson(task.taskId, plan.modelId) : resultJson(result, plan.includeRaw);
				output[item] = { json: { ...json, reused: true }, pairedItem: { item } };
				return;
			}
			let ended = result;
			if (ended.state === 'pending') {
				release = await pacer.tasks.acquire(signal);
				ended = await waitForTask.call(this, plan.family, task.taskId, item, {
					intervalMs: plan.pollIntervalMs,
					timeoutMs: plan.pollTimeoutMs,
					model: plan.modelId,
					pacer,
					createdAt: task.createdAt,
				});
			}
			if (ended.state === 'failed') reuse!.store.forget(reuse!.slots.get(item)!);
			if (plan.completion === 'callback') {
				submitted.push({ itemIndex: item, taskId: task.taskId, plan, reused: ended });
				return;
			}
			output[item] = await finishTask.call(this, ended, item, {
				download: plan.download,
				includeRaw: plan.includeRaw,
				failOnError: true,
				extra: { reused: true },
			});
		} catch (error) {
			fail(plan, error as NodeError, task.taskId);
		} finally {
			release?.();
		}
	};

	const runItem = async (plan: TaskPlan) => {
		const found = reuse?.found.get(plan.itemIndex);
		if (found) return await runReused(plan, found);
		const unreadable = reuse?.unreadable.get(plan.itemIndex);
		if (unreadable) return fail(plan, unreadable.error as NodeError, unreadable.taskId);
		// Only tasks this run waits on take a slot of "Concurrent Tasks".
		const waits = plan.completion === 'poll';
		const slot = reuse?.slots.get(plan.itemIndex);
		let taskId: string | undefined;
		let release: (() => void) | undefined;
		// Decided in input order, before anything is paid for (the first statement: items queue in order).
		const admission = budget ? await budget.gate.admit(budget.item(plan), signal) : { admitted: true as const };
		if (!admission.admitted) {
			output[plan.itemIndex] = { json: notSubmittedJson(plan.modelId, admission.reason), pairedItem: { item: plan.itemIndex } };
			return;
		}
		if (plan.family.synchronous) {
			try {
				output[plan.itemIndex] = await runSynchronous(this, plan, pacer);
				budget?.gate.ended(plan.itemIndex, output[plan.itemIndex]!.json.creditsConsumed as number | undefined, true);
			} catch (error) {
				budget?.gate.ended(plan.itemIndex, (error as NodeError).result?.creditsConsumed, false);
				fail(plan, error as NodeError);
			}
			return;
		}
		try {
			if (waits) release = await pacer.tasks.acquire(signal);
			// Uploads are free; they run after every item was validated and just before the create.
			const input = plan.binaryInputs
				? await uploadBinaryInputs.call(this, plan.itemIndex, plan.binaryInputs, plan.input)
				: plan.input;
			taskId = await submitTask.call(this, plan.family, createBody(plan, input), plan.itemIndex, plan.requestTimeoutMs, pacer);
			// Remembered at once: should the run fail later, its retry finds this task.
			if (slot) reuse!.store.remember(slot, { taskId, model: plan.modelId, family: plan.family.name });
			submitted.push({ itemIndex: plan.itemIndex, taskId, plan });
			output[plan.itemIndex] = waits
				? await poll(plan, taskId)
				: { json: submittedJson(taskId, plan.modelId), pairedItem: { item: plan.itemIndex } };
			if (waits) budget?.gate.ended(plan.itemIndex, output[plan.itemIndex]!.json.creditsConsumed as number | undefined, output[plan.itemIndex]!.json.state === 'success');
		} catch (error) {
			// A task KIE took counts at what it reported (or its estimate); one refused before KIE took it, nothing.
			if (error instanceof PacerStoppedError) budget?.gate.notSubmitted(plan.itemIndex);
			else budget?.gate.ended(plan.itemIndex, (error as NodeError).result?.creditsConsumed, false);
			// A task that failed at KIE is not reused: a retry creates a new one.
			if (slot && (error as NodeError).result?.state === 'failed') reuse!.store.forget(slot);
			// KIE paused the model: the error names it and what to use instead.
			const failure = taskId === undefined && isPausedAnswer(error) ? pausedModelError(this, plan.itemIndex, plan.modelId, error) : error;
			fail(plan, failure as NodeError, taskId);
		} finally {
			release?.();
		}
	};

	await Promise.all(plans.map(runItem));
	budget?.save();

	const stopIfFailed = () => {
		if (!firstFailure) return;
		const others = submitted
			.filter((entry) => entry.taskId !== firstFailure!.taskId)
			.sort((a, b) => a.itemIndex - b.itemIndex);
		throw withSubmittedTasks(firstFailure.error, others);
	};
	stopIfFailed();

	if (resumeUrl !== undefined && submitted.length > 0) {
		const waited = await waitForCallbacks(this, { resumeUrl, submitted, output, pacer, itemCount: items.length });
		if (waited) return withCreditsHint(this, waited);
	}
	const done = withCreditsHint(this, output.filter((item): item is INodeExecutionData => item !== undefined));
	return asTool ? done.map(toolResult) : done;
}

/** The run's credits as KIE reported them, in an execution hint (see runCreditsHint); the items as they are. */
function withCreditsHint(ctx: IExecuteFunctions, items: INodeExecutionData[]): INodeExecutionData[] {
	const hint = runCreditsHint(items.map((item) => item.json));
	if (hint) addOutputHint(ctx, hint, 'info');
	return items;
}

/** Said by each item whose task had not ended when "Limit Wait Time" passed. */
export const WAIT_LIMIT_NOTE =
	'Limit Wait Time passed before KIE called back for this task. It may still finish at KIE: read it later with KIE Get Task and this task ID.';

/**
 * What the node outputs if "Limit Wait Time" passes first: n8n then resumes the execution without running
 * the node again and passes on the input it had when it started to wait. So that input (this run's own
 * copy, not the previous node's output) becomes one item per input item: `state: "waiting"` with the task
 * ID and model for a task still running, the result for one that had ended, the error of one that was not
 * submitted. A workflow can branch on `state`. A callback or nudge that resumes the execution replaces it
 * with the results, as before.
 */
function outputIfWaitLimitPasses(ctx: IExecuteFunctions, record: BatchRecord, settled: Map<string, TaskResult>): void {
	const input = ctx.getExecuteData?.()?.data;
	if (!input?.main) return;
	const waiting = (task: BatchTask): IDataObject => ({ taskId: task.taskId, model: task.model, state: 'waiting', note: WAIT_LIMIT_NOTE });
	input.main[0] = batchItems(record, settled, waiting).map(({ item }) => item);
}

/**
 * "Wait for Callback" after the submissions: reads the batch once, newest first, until a task still runs
 * (callbacks KIE sent while the node was submitting were refused by n8n). When every task has ended
 * already, the results go out now. Otherwise the batch is saved with the execution (the node's context),
 * shown in its custom data, and the execution waits, without a time limit unless *Limit Wait Time* says
 * otherwise. Returns undefined when the output is what the node returns anyway (the pending tasks).
 */
async function waitForCallbacks(
	ctx: IExecuteFunctions,
	batch: { resumeUrl: string; submitted: Submitted[]; output: Array<INodeExecutionData | undefined>; pacer: Pacer; itemCount: number },
): Promise<INodeExecutionData[] | undefined> {
	const { submitted, output, pacer } = batch;
	const first = submitted[0].plan;
	const settings = submitted.find(({ plan }) => plan.download.output !== 'url')?.plan.download ?? first.download;
	const record: BatchRecord = {
		v: 2,
		resumeUrl: withoutToken(batch.resumeUrl),
		since: new Date().toISOString(),
		items: batch.itemCount,
		// One execution resumes once, with one download setting: the first that downloads (options are
		// rarely set per item).
		download: settings,
		includeRaw: submitted.some(({ plan }) => plan.includeRaw),
		tasks: submitted.map(({ itemIndex, taskId, plan, reused }) => ({
			item: itemIndex,
			taskId,
			family: plan.family.name,
			model: plan.modelId,
			...(reused ? { reused: true as const } : {}),
		})),
		unsubmitted: output.flatMap((item, index) =>
			item && !submitted.some(({ itemIndex }) => itemIndex === index) ? [{ item: index, json: item.json }] : [],
		),
		settled: [],
		nudgeToken: await batchNudgeToken(ctx),
	};
	// Reused tasks joined the batch once they had ended (their callbacks went to an earlier execution).
	const settled = new Map<string, TaskResult>(submitted.flatMap(({ taskId, reused }) => (reused ? [[taskId, reused] as const] : [])));
	try {
		await readNewestFirst(record.tasks, settled, async (task) =>
			await fetchTask.call(ctx, getFamily(task.family), task.taskId, task.item, task.model, pacer),
		);
	} catch {
		// Not read now: the callbacks and later reads settle the batch.
	}
	if (settled.size === record.tasks.length) {
		const items: INodeExecutionData[] = [];
		for (const { item, result, itemIndex } of batchItems(record, settled)) {
			try {
				await addResultFiles.call(ctx, item, result, record.download, itemIndex);
			} catch (error) {
				item.json.error = (error as Error).message;
			}
			items.push(item);
		}
		return items;
	}
	record.settled = [...settled.values()];
	saveBatch(ctx, record);
	showBatch(ctx, record);
	const limitMs = Math.max(...submitted.map(({ plan }) => plan.limitWaitMs));
	if (limitMs > 0) outputIfWaitLimitPasses(ctx, record, settled);
	await ctx.putExecutionToWait(limitMs > 0 ? new Date(Date.now() + limitMs) : WAIT_INDEFINITELY);
	return undefined;
}
