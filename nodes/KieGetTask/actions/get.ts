import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { FAMILIES, getFamily } from '../../shared/families';
import { DEFAULT_POLL_INTERVAL_S, DEFAULT_POLL_TIMEOUT_S, fetchTask, findTask, TaskNotFoundError, waitForTask } from '../../shared/api/tasks';
import { downloadSettings } from '../../shared/output/download';
import { errorItem } from '../../shared/output/items';
import { itemError, toNodeError } from '../../shared/transport/errors';
import { finishTask } from '../../shared/output/finish';
import type { TaskResult } from '../../shared/families/result';
import { getModel } from '../../shared/registry';
import { type ApiStyleName } from '../../shared/registry/types';
import { AUTO } from '../description';

interface GetOptions {
	downloadResults?: boolean;
	downloadOutput?: string;
	includeRaw?: boolean;
	maxDownloadSizeMB?: number;
	pollInterval?: number;
	timeout?: number;
	waitUntilDone?: boolean;
}

/** The family of the input item's task, when the item came from KIE Create Task (its `model`). */
function familyOfInput(ctx: IExecuteFunctions, itemIndex: number, taskId: string): ApiStyleName | undefined {
	const json = ctx.getInputData()[itemIndex]?.json ?? {};
	if (json.taskId !== taskId) return undefined;
	if (typeof json.family === 'string' && json.family in FAMILIES) return json.family as ApiStyleName;
	const api = typeof json.model === 'string' ? getModel(json.model)?.api : undefined;
	return api && !FAMILIES[api]?.synchronous ? api : undefined;
}

/**
 * One item: reads the task once, with the family picked or, with "Auto", the first family that knows
 * the task id (see findTask), then polls it with "Wait Until Done". The output names the family.
 */
async function getOne(this: IExecuteFunctions, itemIndex: number, found: { last?: ApiStyleName }): Promise<INodeExecutionData> {
	const taskId = String(this.getNodeParameter('taskId', itemIndex, '')).trim();
	const familyName = this.getNodeParameter('family', itemIndex, AUTO) as ApiStyleName | typeof AUTO;
	const options = this.getNodeParameter('options', itemIndex, {}) as GetOptions;
	if (!taskId) {
		throw itemError(this, itemIndex, '"Task ID" is empty', 'Map the taskId output of KIE Create Task, or paste a task id.');
	}
	if (familyName !== AUTO && (!(familyName in FAMILIES) || FAMILIES[familyName].synchronous)) {
		throw itemError(this, itemIndex, `"Family" has an unknown value "${familyName}"`, `Allowed values: ${[AUTO, ...Object.values(FAMILIES).filter((family) => !family.synchronous).map((family) => family.name)].join(', ')}. (Suno's synchronous calls have no task to read.)`);
	}
	let family = familyName === AUTO ? undefined : getFamily(familyName);
	let result: TaskResult | undefined;
	if (!family) {
		// Most items of one run belong to one family: the family found last is read first.
		try {
			({ family, result } = await findTask.call(this, taskId, itemIndex, [familyOfInput(this, itemIndex, taskId), found.last]));
			found.last = family.name;
		} catch (error) {
			// No family knows the task, but one answered "recordInfo is null", which KIE also answers for a
			// task created moments ago: "Wait Until Done" waits for it there, within the grace period.
			const notIndexedBy = error instanceof TaskNotFoundError ? error.notIndexedBy : [];
			if (!options.waitUntilDone || notIndexedBy.length === 0) throw toNodeError(this, error, itemIndex);
			family = getFamily(notIndexedBy[0]);
		}
	}
	if (options.waitUntilDone && result?.state !== 'success' && result?.state !== 'failed') {
		result = await waitForTask.call(this, family, taskId, itemIndex, {
			intervalMs: Math.max(100, (options.pollInterval ?? DEFAULT_POLL_INTERVAL_S) * 1000),
			timeoutMs: (options.timeout ?? DEFAULT_POLL_TIMEOUT_S) * 1000,
		});
	}
	// One read: "recordInfo is null" is an error that names the task (no wait, no create time to count from).
	result ??= await fetchTask.call(this, family, taskId, itemIndex, undefined, undefined, 'unknown');
	return await finishTask.call(this, result, itemIndex, {
		download: downloadSettings(options),
		includeRaw: options.includeRaw === true,
		failOnError: false,
		extra: { family: family.name },
	});
}

/** Get Task: one lookup per item; a failed task is reported as `state: "failed"`, not as an error. */
export async function getTasks(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const items = this.getInputData();
	const output: INodeExecutionData[] = [];
	const found: { last?: ApiStyleName } = {};
	for (let i = 0; i < items.length; i++) {
		try {
			output.push(await getOne.call(this, i, found));
		} catch (error) {
			if (!this.continueOnFail()) throw toNodeError(this, error, i);
			output.push(errorItem(i, error as Error, { taskId: this.getNodeParameter('taskId', i, '') as string }));
		}
	}
	return output;
}
