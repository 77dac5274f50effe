import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { CREDENTIAL_NAME } from '../shared/transport';
import { searchModelList } from '../shared/methods/listSearch';
import { sharedSettingOptions } from '../shared/methods/loadOptions';
import { getModelInputFields } from '../shared/methods/resourceMapping';
import { receiveCallback } from './actions/callback';
import { createTasks } from './actions/create';
import { createTaskProperties, RESUME_WEBHOOKS, SUBTITLE } from './description';

export class KieCreateTask implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'KIE Create Task',
		name: 'kieCreateTask',
		icon: { light: 'file:../../icons/kie.svg', dark: 'file:../../icons/kie.dark.svg' },
		group: ['transform'],
		version: 1,
		// The model's name as the picker shows it, and how the node completes ("As a tool" has no Completion).
		subtitle: SUBTITLE,
		description: 'Generate images, video and audio with KIE.AI models (GPT Image, 4o Image and more)',
		defaults: { name: 'KIE Create Task' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: CREDENTIAL_NAME, required: true }],
		webhooks: RESUME_WEBHOOKS,
		waitingNodeTooltip: 'Waiting for KIE to call back with the results of every item',
		properties: createTaskProperties,
	};

	methods = {
		listSearch: { searchModelList },
		loadOptions: sharedSettingOptions,
		resourceMapping: { getModelInputFields },
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return [await createTasks.call(this)];
	}

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return await receiveCallback.call(this);
	}
}
