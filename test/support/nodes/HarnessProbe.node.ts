import type {
	IDataObject,
	IExecuteFunctions,
	IHttpRequestOptions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	IWebhookDescription,
	IWebhookFunctions,
	IWebhookResponseData,
	JsonObject,
} from 'n8n-workflow';
import { NodeApiError, NodeConnectionTypes, sleep } from 'n8n-workflow';

const RESUME_WEBHOOKS: IWebhookDescription[] = [
	{
		name: 'default',
		httpMethod: 'POST',
		responseMode: 'onReceived',
		path: '',
		restartWebhook: true,
	},
];

/**
 * Test-only node exercising the harness: authenticated HTTP through the kieApi credential,
 * binary output, cancellation, continueOnFail and wait/resume.
 */
export class HarnessProbe implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Harness Probe',
		name: 'harnessProbe',
		icon: { light: 'file:../../../icons/kie.svg', dark: 'file:../../../icons/kie.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"]}}',
		description: 'Exercises the test harness',
		defaults: { name: 'Probe' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		usableAsTool: true,
		credentials: [{ name: 'kieApi', required: true }],
		webhooks: RESUME_WEBHOOKS,
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [{ name: 'Probe', value: 'probe' }],
				default: 'probe',
			},
			{
				displayName: 'Operation',
				name: 'operation',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'Echo', value: 'echo', action: 'Echo the request' },
					{ name: 'Bytes', value: 'bytes', action: 'Download bytes' },
					{ name: 'Slow', value: 'slow', action: 'Call a slow endpoint' },
					{ name: 'Sleep', value: 'sleep', action: 'Sleep with the cancel signal' },
					{ name: 'Status', value: 'status', action: 'Get an HTTP status' },
					{ name: 'Wait', value: 'wait', action: 'Wait for a callback' },
					{ name: 'Credentials', value: 'credentials', action: 'Show the credential hosts' },
				],
				default: 'echo',
			},
			{
				displayName: 'Size',
				name: 'size',
				type: 'number',
				default: 16,
				description: 'Number of bytes to download',
			},
			{
				displayName: 'Stream',
				name: 'stream',
				type: 'boolean',
				default: false,
				description: 'Whether to download as a stream',
			},
			{
				displayName: 'Milliseconds',
				name: 'ms',
				type: 'number',
				default: 5000,
				description: 'Delay of the slow endpoint or the sleep',
			},
			{
				displayName: 'Status Code',
				name: 'statusCode',
				type: 'number',
				default: 500,
				description: 'HTTP status the server answers',
			},
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		const out: INodeExecutionData[] = [];
		const credentials = await this.getCredentials<{ baseUrl: string; uploadBaseUrl: string }>(
			'kieApi',
		);
		const baseUrl = credentials.baseUrl.replace(/\/+$/, '');
		const request = async (options: IHttpRequestOptions) =>
			await this.helpers.httpRequestWithAuthentication.call(this, 'kieApi', options);

		for (let i = 0; i < items.length; i++) {
			try {
				const operation = this.getNodeParameter('operation', i) as string;
				if (operation === 'echo') {
					const json = (await request({
						method: 'POST',
						url: `${baseUrl}/echo`,
						body: { item: i, input: items[i].json },
						json: true,
					})) as IDataObject;
					out.push({ json, pairedItem: { item: i } });
				} else if (operation === 'bytes') {
					const size = this.getNodeParameter('size', i) as number;
					const stream = this.getNodeParameter('stream', i) as boolean;
					const response = (await request({
						url: `${baseUrl}/bytes?size=${size}`,
						encoding: stream ? 'stream' : 'arraybuffer',
						returnFullResponse: true,
					})) as { body: Buffer };
					const data = await this.helpers.prepareBinaryData(
						response.body,
						'probe.png',
						'image/png',
					);
					out.push({ json: { size }, binary: { data }, pairedItem: { item: i } });
				} else if (operation === 'slow') {
					const ms = this.getNodeParameter('ms', i) as number;
					const json = (await request({
						url: `${baseUrl}/slow?ms=${ms}`,
						json: true,
					})) as IDataObject;
					out.push({ json, pairedItem: { item: i } });
				} else if (operation === 'sleep') {
					const ms = this.getNodeParameter('ms', i) as number;
					await sleep(ms, this.getExecutionCancelSignal());
					out.push({ json: { slept: ms }, pairedItem: { item: i } });
				} else if (operation === 'status') {
					const statusCode = this.getNodeParameter('statusCode', i) as number;
					const json = (await request({
						url: `${baseUrl}/status/${statusCode}`,
						json: true,
					})) as IDataObject;
					out.push({ json, pairedItem: { item: i } });
				} else if (operation === 'credentials') {
					const { uploadBaseUrl } = credentials;
					out.push({
						json: { baseUrl: credentials.baseUrl, uploadBaseUrl },
						pairedItem: { item: i },
					});
				} else {
					const resumeUrl = this.evaluateExpression('{{ $execution.resumeUrl }}', i) as string;
					await this.putExecutionToWait(new Date(Date.now() + 60 * 60 * 1000));
					out.push({ json: { ...items[i].json, resumeUrl }, pairedItem: { item: i } });
				}
			} catch (error) {
				if (this.continueOnFail()) {
					out.push({ json: { error: (error as Error).message }, pairedItem: { item: i } });
					continue;
				}
				throw error instanceof NodeApiError
					? error
					: new NodeApiError(this.getNode(), error as JsonObject, { itemIndex: i });
			}
		}
		return [out];
	}

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const body = this.getBodyData();
		if (body.ignore === true) return { webhookResponse: { ignored: true } };
		if (body.reject === true) {
			this.getResponseObject().status(401).send('Unauthorized').end();
			return { noWebhookResponse: true };
		}
		return {
			workflowData: [
				this.helpers.returnJsonArray({
					callback: body,
					query: this.getQueryData() as IDataObject,
					operation: this.getNodeParameter('operation') as string,
				}),
			],
		};
	}
}
