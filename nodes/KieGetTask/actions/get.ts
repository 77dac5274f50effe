import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { FAMILIES, getFamily } from '../../shared/families';
import { DEFAULT_POLL_INTERVAL_S, DEFAULT_POLL_TIMEOUT_S } from '../../shared/helpers/constants';
import { downloadSettings } from '../../shared/helpers/download';
import { errorItem, toNodeError } from '../../shared/helpers/items';
import { finishTask } from '../../shared/helpers/output';
import { fetchTask, waitForTask } from '../../shared/helpers/tasks';
import type { ApiStyleName } from '../../shared/registry';

interface GetOptions {
	downloadResults?: boolean;
	downloadOutput?: string;
	includeRaw?: boolean;
	maxDownloadSizeMB?: number;
	pollInterval?: number;
	timeout?: number;
	waitUntilDone?: boolean;
}

async function getOne(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData> {
	const taskId = String(this.getNodeParameter('taskId', itemIndex, '')).trim();
	const familyName = this.getNodeParameter('family', itemIndex, 'market') as ApiStyleName;
	const options = this.getNodeParameter('options', itemIndex, {}) as GetOptions;
	if (!taskId) {
		throw new NodeOperationError(this.getNode(), `Item ${itemIndex}: "Task ID" is empty`, {
			itemIndex,
			description: 'Map the taskId output of KIE Create Task, or paste a task id.',
		});
	}
	if (!(familyName in FAMILIES)) {
		throw new NodeOperationError(this.getNode(), `Item ${itemIndex}: "Family" has an unknown value "${familyName}"`, {
			itemIndex,
			description: `Allowed values: ${Object.keys(FAMILIES).join(', ')}.`,
		});
	}
	const family = getFamily(familyName);
	const result = options.waitUntilDone
		? await waitForTask.call(this, family, taskId, itemIndex, {
				intervalMs: Math.max(100, (options.pollInterval ?? DEFAULT_POLL_INTERVAL_S) * 1000),
				timeoutMs: (options.timeout ?? DEFAULT_POLL_TIMEOUT_S) * 1000,
			})
		: await fetchTask.call(this, family, taskId, itemIndex);
	return await finishTask.call(this, result, itemIndex, {
		download: downloadSettings(options),
		includeRaw: options.includeRaw === true,
		failOnError: false,
	});
}

/** Get Task: one lookup per item; a failed task is reported as `state: "failed"`, not as an error. */
export async function getTasks(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const items = this.getInputData();
	const output: INodeExecutionData[] = [];
	for (let i = 0; i < items.length; i++) {
		try {
			output.push(await getOne.call(this, i));
		} catch (error) {
			if (!this.continueOnFail()) throw toNodeError(this, error, i);
			output.push(errorItem(i, error as Error, { taskId: this.getNodeParameter('taskId', i, '') as string }));
		}
	}
	return output;
}
