import { createHmac } from 'crypto';
import type {
	IDataObject,
	IHookFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

/** Test-only trigger exercising `runWebhook`: signature check, static data, binary, query. */
export class HarnessTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Harness Trigger',
		name: 'harnessTrigger',
		icon: { light: 'file:../../../icons/kie.svg', dark: 'file:../../../icons/kie.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: 'Receives test calls',
		description: 'Receives calls in harness tests',
		defaults: { name: 'Harness Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'kieApi', required: true }],
		webhooks: [
			{
				name: 'default',
				httpMethod: 'POST',
				responseMode: 'onReceived',
				path: '={{$parameter["path"]}}',
			},
		],
		properties: [
			{
				displayName: 'Path',
				name: 'path',
				type: 'string',
				default: 'harness',
			},
			{
				displayName: 'Attach Raw Body',
				name: 'attachRawBody',
				type: 'boolean',
				default: false,
				description: 'Whether to attach the raw request body as binary data',
			},
		],
	};

	webhookMethods = {
		default: {
			async checkExists(this: IHookFunctions): Promise<boolean> {
				return this.getWorkflowStaticData('node').registered === true;
			},
			async create(this: IHookFunctions): Promise<boolean> {
				this.getWorkflowStaticData('node').registered = true;
				return true;
			},
			async delete(this: IHookFunctions): Promise<boolean> {
				delete this.getWorkflowStaticData('node').registered;
				return true;
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const credentials = await this.getCredentials<{ webhookHmacKey?: string }>('kieApi');
		const req = this.getRequestObject();
		const key = credentials.webhookHmacKey;
		if (key) {
			const expected = createHmac('sha256', key).update(req.rawBody).digest('hex');
			if (this.getHeaderData()['x-signature'] !== expected) {
				this.getResponseObject().status(401).send('Unauthorized').end();
				return { noWebhookResponse: true };
			}
		}
		const staticData = this.getWorkflowStaticData('node');
		staticData.calls = ((staticData.calls as number | undefined) ?? 0) + 1;
		const body = this.getBodyData();
		if (body.duplicate === true) return { webhookResponse: 'duplicate' };

		const item: INodeExecutionData = {
			json: {
				body,
				query: this.getQueryData() as IDataObject,
				calls: staticData.calls,
				webhookUrl: this.getNodeWebhookUrl('default') ?? null,
			},
		};
		if (this.getNodeParameter('attachRawBody') as boolean) {
			item.binary = { data: await this.helpers.prepareBinaryData(req.rawBody, 'body.json') };
		}
		return { workflowData: [[item]] };
	}
}
