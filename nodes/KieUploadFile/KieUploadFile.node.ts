import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { CREDENTIAL_NAME } from '../shared/transport';
import { uploadFiles } from './actions/upload';
import { uploadFileProperties } from './description';

export class KieUploadFile implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'KIE Upload File',
		name: 'kieUploadFile',
		icon: { light: 'file:../../icons/kie.svg', dark: 'file:../../icons/kie.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{"from " + $parameter["source"]}}',
		description: 'Upload a file to KIE.AI and get a download URL to pass to a model (kept 24 hours)',
		defaults: { name: 'KIE Upload File' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: CREDENTIAL_NAME, required: true }],
		properties: uploadFileProperties,
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return [await uploadFiles.call(this)];
	}
}
