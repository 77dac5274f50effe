import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { errorItem, withSubmittedTasks, submittedJson, taskJson, toolResult } from '../../shared/output/items';
import { itemError, toNodeError } from '../../shared/transport/errors';
import { type TaskResult } from '../../shared/families/result';
import { cachedLiveModels } from '../../shared/api/catalogue';
import { runsAsTool } from '../../shared/host';
import { getModel } from '../../shared/registry';
import { finishTask } from '../../shared/output/finish';
import { batchingSettings, Pacer, PacerStoppedError } from '../../shared/transport/pacer';
import { submitTask, waitForTask } from '../../shared/api/tasks';
import { uploadBinaryInputs } from './binaryInputs';
import { BATCH_KEY_PREFIX, CUSTOM_DATA_KEYS, encodeBatch, type BatchEntry } from './batch';
import { checkCreditsFirst } from './credits';
import { createBody, modelChoice, prepareTask, type CreateOptions, type TaskPlan } from './prepare';

type NodeError = Error & { description?: string | null; result?: TaskResult };
type Submitted = { itemIndex: number; taskId: string; plan: TaskPlan };

function wantsCallback(ctx: IExecuteFunctions, count: number): boolean {
	if (runsAsTool(ctx)) return false;
	for (let i = 0; i < count; i++) {
		if (ctx.getNodeParameter('completion', i, 'poll') === 'callback') return true;
	}
	return false;
}

/**
 * Records the batch in the execution's custom data for the resume webhook (see batch.ts). Returns
 * false when it does not fit there; the tasks are then polled instead of waited for.
 */
function recordBatch(ctx: IExecuteFunctions, submitted: Submitted[], output: Array<INodeExecutionData | undefined>): boolean {
	const entries: BatchEntry[] = [];
	for (let item = 0; item < output.length; item++) {
		const task = submitted.find((entry) => entry.itemIndex === item);
		if (task) entries.push({ item, taskId: task.taskId, family: task.plan.family.name });
		else if (output[item]) entries.push({ item, error: String(output[item]!.json.error ?? 'not submitted') });
	}
	const usedKeys = Object.keys(ctx.customData.getAll()).filter((key) => !key.startsWith(BATCH_KEY_PREFIX)).length;
	// One execution resumes once, with one download setting: the first item's (the options are rarely
	// set per item).
	const settings = submitted.find(({ plan }) => plan.download.output !== 'url')?.plan.download;
	const values = encodeBatch(
		{
			download: settings !== undefined,
			binaryOnly: settings?.output === 'binary',
			maxSizeMB: settings?.maxSizeMB,
			includeRaw: submitted.some(({ plan }) => plan.includeRaw),
			entries,
		},
		CUSTOM_DATA_KEYS - usedKeys,
	);
	if (!values) return false;
	ctx.customData.setAll(values);
	return true;
}

/**
 * The ids of KIE's live catalogue, read (once per process and 10 minutes, see cachedLiveModels) only when
 * an item picked "From List" a model that is not built in. Undefined when it could not be read.
 */
async function liveModelsIfNeeded(ctx: IExecuteFunctions, count: number, pacer: Pacer): Promise<ReadonlySet<string> | undefined> {
	let needed = false;
	for (let i = 0; i < count && !needed; i++) {
		const { id, fromList } = modelChoice(ctx, i);
		needed = fromList && id !== '' && getModel(id) === undefined;
	}
	if (!needed) return undefined;
	const live = await cachedLiveModels.call(ctx, '', { pacer });
	return live ? new Set(live.map((model) => model.model)) : undefined;
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
	const resumeUrl = wantsCallback(this, items.length)
		? String(this.evaluateExpression('{{ $execution.resumeUrl }}', 0))
		: undefined;
	// One pacer per execution, with the first item's Batching option (the limits are the account's).
	const options = (items.length ? this.getNodeParameter('options', 0, {}) : {}) as CreateOptions;
	const pacer = new Pacer(batchingSettings(options.batching ?? {}));
	const liveModels = await liveModelsIfNeeded(this, items.length, pacer);

	const plans: TaskPlan[] = [];
	for (let i = 0; i < items.length; i++) {
		try {
			const plan = prepareTask.call(this, i, { resumeUrl, isTool: asTool, liveModels });
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

	// Options → Check Credits First: one balance read per execution, before anything is submitted.
	if (plans.length) await checkCreditsFirst.call(this, plans.map((plan) => plan.itemIndex));

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
				pacer.creates.stop();
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
		});
	};

	const runItem = async (plan: TaskPlan) => {
		// Only tasks this run waits on take a slot of "Concurrent Tasks".
		const waits = plan.completion === 'poll';
		let taskId: string | undefined;
		let release: (() => void) | undefined;
		try {
			if (waits) release = await pacer.tasks.acquire(signal);
			// Uploads are free; they run after every item was validated and just before the create.
			const input = plan.binaryInputs
				? await uploadBinaryInputs.call(this, plan.itemIndex, plan.binaryInputs, plan.input)
				: plan.input;
			taskId = await submitTask.call(this, plan.family, createBody(plan, input), plan.itemIndex, plan.requestTimeoutMs, pacer);
			submitted.push({ itemIndex: plan.itemIndex, taskId, plan });
			output[plan.itemIndex] = waits
				? await poll(plan, taskId)
				: { json: submittedJson(taskId, plan.modelId), pairedItem: { item: plan.itemIndex } };
		} catch (error) {
			fail(plan, error as NodeError, taskId);
		} finally {
			release?.();
		}
	};

	await Promise.all(plans.map(runItem));

	const stopIfFailed = () => {
		if (!firstFailure) return;
		const others = submitted
			.filter((entry) => entry.taskId !== firstFailure!.taskId)
			.sort((a, b) => a.itemIndex - b.itemIndex);
		throw withSubmittedTasks(firstFailure.error, others);
	};
	stopIfFailed();

	// A batch too large for the execution's custom data is polled instead (the callbacks KIE still
	// sends to the resume URL are then answered 409 by n8n and dropped).
	// So is a batch with an operation KIE never calls back for (Veo 1080p).
	const waitForCallback =
		resumeUrl !== undefined &&
		submitted.length > 0 &&
		submitted.every(({ plan }) => !plan.family.noCallbacks) &&
		recordBatch(this, submitted, output);

	if (resumeUrl !== undefined && !waitForCallback) {
		await Promise.all(
			submitted.map(async ({ plan, taskId }) => {
				let release: (() => void) | undefined;
				try {
					release = await pacer.tasks.acquire(signal);
					output[plan.itemIndex] = await poll(plan, taskId);
				} catch (error) {
					fail(plan, error as NodeError, taskId);
				} finally {
					release?.();
				}
			}),
		);
		stopIfFailed();
	}

	if (waitForCallback) {
		// While it waits, the execution shows the pending tasks; the resume webhook replaces this output.
		const limitMs = Math.max(...submitted.map(({ plan }) => plan.limitWaitMs));
		await this.putExecutionToWait(new Date(Date.now() + limitMs));
	}
	const done = output.filter((item): item is INodeExecutionData => item !== undefined);
	return asTool ? done.map(toolResult) : done;
}
