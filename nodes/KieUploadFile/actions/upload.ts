import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { errorItem } from '../../shared/output/items';
import { itemError, toNodeError } from '../../shared/transport/errors';
import type { UploadResult } from '../../shared/api/upload';
import { uploadBase64, uploadBinary, uploadFromUrl } from '../../shared/api/upload';

type Source = 'binary' | 'url' | 'base64';

interface UploadFileOptions {
	keepBinary?: boolean;
}

async function uploadOne(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData> {
	const source = this.getNodeParameter('source', itemIndex, 'binary') as Source;
	const uploadPath = String(this.getNodeParameter('uploadPath', itemIndex, '') ?? '');
	const fileName = String(this.getNodeParameter('fileName', itemIndex, '') ?? '').trim();
	const options = this.getNodeParameter('options', itemIndex, {}) as UploadFileOptions;
	const item = this.getInputData()[itemIndex];

	let result: UploadResult;
	if (source === 'binary') {
		const property = String(this.getNodeParameter('binaryPropertyName', itemIndex, 'data')).trim();
		// Default name: the binary's own file name (KIE would pick a random one).
		const name = fileName || item.binary?.[property]?.fileName || undefined;
		result = await uploadBinary.call(this, itemIndex, property, { uploadPath, fileName: name });
	} else if (source === 'url') {
		const fileUrl = String(this.getNodeParameter('fileUrl', itemIndex, ''));
		result = await uploadFromUrl.call(this, itemIndex, fileUrl, { uploadPath, fileName });
	} else if (source === 'base64') {
		const base64Data = String(this.getNodeParameter('base64Data', itemIndex, ''));
		result = await uploadBase64.call(this, itemIndex, base64Data, { uploadPath, fileName });
	} else {
		throw itemError(this, itemIndex, `"Source" has an unknown value "${String(source)}"`, 'Allowed values: binary, url, base64.');
	}

	const output: INodeExecutionData = { json: { ...result } as unknown as IDataObject, pairedItem: { item: itemIndex } };
	if (options.keepBinary && item.binary) output.binary = item.binary;
	return output;
}

/** Upload File: one upload per item, in input order, each output item paired to its input. */
export async function uploadFiles(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const items = this.getInputData();
	const output: INodeExecutionData[] = [];
	for (let i = 0; i < items.length; i++) {
		try {
			output.push(await uploadOne.call(this, i));
		} catch (error) {
			if (!this.continueOnFail()) throw toNodeError(this, error, i);
			output.push(errorItem(i, error as Error));
		}
	}
	return output;
}
