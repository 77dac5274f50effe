import type { IBinaryKeyData, IExecuteFunctions, IWebhookFunctions, JsonObject } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

const EXTENSIONS: Record<string, string> = {
	'image/png': 'png',
	'image/jpeg': 'jpg',
	'image/webp': 'webp',
	'image/gif': 'gif',
	'video/mp4': 'mp4',
	'video/quicktime': 'mov',
	'video/webm': 'webm',
	'audio/mpeg': 'mp3',
	'audio/wav': 'wav',
	'audio/x-wav': 'wav',
	'application/json': 'json',
};

/** Binary property names in result order: data, data_1, data_2… */
export function binaryPropertyName(index: number, prefix = 'data'): string {
	return index === 0 ? prefix : `${prefix}_${index}`;
}

/** A file name for a result: the URL's last path segment, with an extension matching the MIME type. */
export function resultFileName(url: string, mimeType: string | undefined, taskId: string, index: number): string {
	let base = '';
	try {
		base = decodeURIComponent(new URL(url).pathname.split('/').pop() ?? '');
	} catch {
		base = '';
	}
	base = base.replace(/[^\w.-]+/g, '_');
	const extension = mimeType ? EXTENSIONS[mimeType.split(';')[0].trim().toLowerCase()] : undefined;
	if (!base) base = `${taskId}_${index}`;
	if (extension && !base.toLowerCase().endsWith(`.${extension}`) && !(extension === 'jpg' && /\.jpe?g$/i.test(base))) {
		base = `${base.replace(/\.[a-z0-9]{2,4}$/i, '')}.${extension}`;
	}
	return base;
}

/** Downloads each result URL as a stream into n8n binary data (`data`, `data_1`, … in result order). */
export async function downloadResults(
	this: IExecuteFunctions | IWebhookFunctions,
	urls: string[],
	taskId: string,
	itemIndex: number,
): Promise<IBinaryKeyData> {
	const binary: IBinaryKeyData = {};
	for (const [index, url] of urls.entries()) {
		if (!/^https?:\/\//i.test(url)) {
			throw new NodeOperationError(this.getNode(), `Result ${index} of task ${taskId} is not an http(s) URL`, {
				itemIndex,
				description: `Only http(s) results are downloaded; got ${url.slice(0, 100)}.`,
			});
		}
		let response: { body: NodeJS.ReadableStream; headers: Record<string, string> };
		try {
			response = (await this.helpers.httpRequest({
				method: 'GET',
				url,
				encoding: 'stream',
				returnFullResponse: true,
				timeout: 300_000,
			})) as typeof response;
		} catch (error) {
			throw new NodeApiError(this.getNode(), error as JsonObject, {
				itemIndex,
				message: `Could not download result ${index} of task ${taskId}`,
				description: `${url} did not answer with the file. Result links expire (KIE keeps results 14 days); read a fresh link with KIE Get Task.`,
			});
		}
		const mimeType = response.headers['content-type']?.split(';')[0].trim();
		const fileName = resultFileName(url, mimeType, taskId, index);
		binary[binaryPropertyName(index)] = await this.helpers.prepareBinaryData(
			response.body as never,
			fileName,
			mimeType,
		);
	}
	return binary;
}
