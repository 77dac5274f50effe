import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { CREDENTIAL_NAME } from '../shared/transport';
import { searchModelList } from '../shared/methods/listSearch';
import { runAccountOperation } from './actions';
import { accountProperties } from './description';

export class KieAccount implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'KIE Account',
		name: 'kieAccount',
		icon: { light: 'file:../../icons/kie.svg', dark: 'file:../../icons/kie.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"]}}',
		description: 'Read KIE.AI credits, the live model catalogue (schemas, prices, success rates) and download links, and estimate what tasks cost',
		defaults: { name: 'KIE Account' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: CREDENTIAL_NAME, required: true }],
		properties: accountProperties,
	};

	methods = {
		listSearch: { searchModelList },
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return [await runAccountOperation.call(this)];
	}
}
