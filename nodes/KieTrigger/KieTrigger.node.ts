import type {
	IHookFunctions,
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { signatureState } from '../shared/methods/signatureState';
import { CREDENTIAL_NAME } from '../shared/transport';
import { receiveTriggerCallback } from './actions/receive';
import { TRIGGER_PANEL, triggerProperties } from './description';

export class KieTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'KIE Trigger',
		name: 'kieTrigger',
		icon: { light: 'file:../../icons/kie.svg', dark: 'file:../../icons/kie.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{"On " + $parameter["events"] + " results"}}',
		description: 'Starts the workflow when KIE.AI calls back with the result of a task',
		defaults: { name: 'KIE Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: CREDENTIAL_NAME, required: true }],
		triggerPanel: TRIGGER_PANEL,
		webhooks: [
			{
				name: 'default',
				httpMethod: 'POST',
				responseMode: 'onReceived',
				path: 'callback',
			},
		],
		properties: triggerProperties,
	};

	// "Signature Check" (signatureState): what the picked credential means for callbacks, in the editor only.
	methods = {
		loadOptions: { signatureState },
	};

	// KIE has no webhook registration API: the callback URL is given per task. These methods only keep
	// the URL this workflow was activated with in static data, so n8n's lifecycle stays consistent.
	webhookMethods = {
		default: {
			async checkExists(this: IHookFunctions): Promise<boolean> {
				const state = this.getWorkflowStaticData('node');
				return state.callbackUrl === this.getNodeWebhookUrl('default');
			},
			async create(this: IHookFunctions): Promise<boolean> {
				const state = this.getWorkflowStaticData('node');
				state.callbackUrl = this.getNodeWebhookUrl('default');
				state.activatedAt = new Date().toISOString();
				return true;
			},
			async delete(this: IHookFunctions): Promise<boolean> {
				const state = this.getWorkflowStaticData('node');
				delete state.callbackUrl;
				delete state.activatedAt;
				return true;
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return await receiveTriggerCallback.call(this);
	}
}
