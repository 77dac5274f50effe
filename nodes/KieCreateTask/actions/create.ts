import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { errorItem, pendingResult, toNodeError, withSubmittedTasks } from '../../shared/helpers/items';
import { finishTask } from '../../shared/helpers/output';
import { submitTask, waitForTask } from '../../shared/helpers/tasks';
import { prepareTask, type TaskPlan } from './prepare';

type NodeError = Error & { description?: string | null };

/**
 * Create Task: validate every item first (so bad input costs nothing), submit each task once, then
 * wait for all of them together and output one item per input item, in input order.
 */
export async function createTasks(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const items = this.getInputData();
	const continueOnFail = this.continueOnFail();
	const output: Array<INodeExecutionData | undefined> = new Array(items.length);

	const plans: TaskPlan[] = [];
	for (let i = 0; i < items.length; i++) {
		try {
			plans.push(prepareTask.call(this, i));
		} catch (error) {
			if (!continueOnFail) throw toNodeError(this, error, i);
			output[i] = errorItem(i, error as NodeError);
		}
	}

	const submitted: Array<{ itemIndex: number; taskId: string; plan: TaskPlan }> = [];
	for (const plan of plans) {
		try {
			const taskId = await submitTask.call(this, plan.family, plan.body, plan.itemIndex, plan.requestTimeoutMs);
			submitted.push({ itemIndex: plan.itemIndex, taskId, plan });
		} catch (error) {
			if (!continueOnFail) throw withSubmittedTasks(error as NodeError, submitted);
			output[plan.itemIndex] = errorItem(plan.itemIndex, error as NodeError, { model: plan.modelId });
		}
	}

	const settled = await Promise.allSettled(
		submitted.map(async ({ plan, taskId }) => {
			if (plan.completion === 'submit') {
				return { json: pendingResult(taskId, plan.modelId), pairedItem: { item: plan.itemIndex } };
			}
			const result = await waitForTask.call(this, plan.family, taskId, plan.itemIndex, {
				intervalMs: plan.pollIntervalMs,
				timeoutMs: plan.pollTimeoutMs,
				model: plan.modelId,
			});
			return await finishTask.call(this, result, plan.itemIndex, { download: plan.downloadResults, failOnError: true });
		}),
	);

	for (const [index, outcome] of settled.entries()) {
		const { plan, taskId } = submitted[index];
		if (outcome.status === 'fulfilled') {
			output[plan.itemIndex] = outcome.value;
			continue;
		}
		const error = outcome.reason as NodeError & { result?: object };
		if (!continueOnFail) {
			throw withSubmittedTasks(error, submitted.filter((entry) => entry.taskId !== taskId));
		}
		output[plan.itemIndex] = errorItem(plan.itemIndex, error, {
			...(error.result ?? pendingResult(taskId, plan.modelId)),
		});
	}
	return output.filter((item): item is INodeExecutionData => item !== undefined);
}
