import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { CREDENTIAL_NAME } from '../shared/helpers/constants';
import { searchModelList } from '../shared/methods/listSearch';
import { createTasks } from './actions/create';
import { createTaskProperties } from './description';

export class KieCreateTask implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'KIE Create Task',
		name: 'kieCreateTask',
		icon: { light: 'file:../../icons/kie.svg', dark: 'file:../../icons/kie.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["model"].cachedResultName || $parameter["model"].value || $parameter["model"]}}',
		description: 'Generate images, video and audio with KIE.AI models (GPT Image, 4o Image and more)',
		defaults: { name: 'KIE Create Task' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: CREDENTIAL_NAME, required: true }],
		properties: createTaskProperties,
	};

	methods = {
		listSearch: { searchModelList },
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return [await createTasks.call(this)];
	}
}
