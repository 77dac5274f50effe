import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { CREDENTIAL_NAME } from '../shared/transport';
import { getTasks } from './actions/get';
import { getTaskProperties } from './description';

export class KieGetTask implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'KIE Get Task',
		name: 'kieGetTask',
		icon: { light: 'file:../../icons/kie.svg', dark: 'file:../../icons/kie.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["taskId"]}}',
		description: 'Get the status and result of a KIE.AI task',
		defaults: { name: 'KIE Get Task' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: CREDENTIAL_NAME, required: true }],
		properties: getTaskProperties,
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return [await getTasks.call(this)];
	}
}
