import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { callSynchronous, taskFailedError } from '../../shared/api/tasks';
import { addOutputHint } from '../../shared/host';
import { taskJson } from '../../shared/output/items';
import { getModel } from '../../shared/registry';
import type { Pacer } from '../../shared/transport/pacer';
import { createBody, type Completion, type TaskPlan } from './prepare';

const COMPLETION_NAMES: Record<Completion, string> = { poll: 'Wait Until Done (Poll)', callback: 'Wait for Callback', submit: 'Submit Only' };

/**
 * A synchronous Suno call (timestamped lyrics, persona, boost style): KIE's answer is the result, output at
 * once whatever the Completion mode (a hint says when the mode did not apply); a failed answer is the item's
 * error.
 */
export async function runSynchronous(ctx: IExecuteFunctions, plan: TaskPlan, pacer: Pacer): Promise<INodeExecutionData> {
	const result = await callSynchronous.call(ctx, plan.family, createBody(plan, plan.input), plan.itemIndex, plan.modelId, plan.requestTimeoutMs, pacer);
	const name = getModel(plan.modelId)?.displayName ?? plan.modelId;
	if (plan.completion !== 'poll') {
		addOutputHint(ctx, `${name} answers at once, with no task to wait for: Completion "${COMPLETION_NAMES[plan.completion]}" did not apply, the result is in the output.`, 'info');
	}
	if (result.state === 'failed') throw Object.assign(taskFailedError(ctx, result, plan.itemIndex), { result });
	const json = taskJson(result, { includeRaw: plan.includeRaw });
	// No task: the answer has no task id (Boost Style's has one, kept).
	if (!json.taskId) delete json.taskId;
	return { json, pairedItem: { item: plan.itemIndex } };
}

