import type { IBinaryKeyData, IDataObject, IExecuteFunctions, INodeExecutionData, IWebhookFunctions, JsonObject } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import type { TaskResult } from '../families/result';
import { addressPolicy, refusedUrl } from '../transport/addresses';
import { itemLabel } from '../transport/errors';
import { orderedJson } from './order';

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

const MB = 1024 * 1024;

/**
 * How a finished task's files are handed over: `url` (the URLs only, no download), `both` (the URLs
 * and the files as binary) or `binary` (the files; `resultUrls` is left out of the JSON, since the
 * links expire).
 */
type ResultOutput = 'url' | 'binary' | 'both';

export interface DownloadSettings {
	output: ResultOutput;
	/** The largest file downloaded, in MB; 0 means no limit. */
	maxSizeMB: number;
}

export const NO_DOWNLOAD: DownloadSettings = { output: 'url', maxSizeMB: 0 };

/** The largest result file downloaded when "Download Size Limit (MB)" is not set. */
export const DEFAULT_DOWNLOAD_LIMIT_MB = 200;

/**
 * Reads the download options of Create Task, Get Task and the Trigger. "Download Results" was a plain
 * boolean before the output modes existed: `true` (a saved workflow) still means URLs and files.
 */
export function downloadSettings(options: {
	downloadResults?: unknown;
	downloadOutput?: unknown;
	maxDownloadSizeMB?: unknown;
}): DownloadSettings {
	const flag = options.downloadResults;
	let output: ResultOutput = 'url';
	if (flag === true || flag === 'true') output = options.downloadOutput === 'binary' ? 'binary' : 'both';
	else if (flag === 'binary' || flag === 'both') output = flag;
	const limit = options.maxDownloadSizeMB;
	const maxSizeMB = limit === undefined || limit === null || limit === '' ? DEFAULT_DOWNLOAD_LIMIT_MB : Number(limit);
	// 0 (or a negative number) means no limit; an unreadable value keeps the default.
	return { output, maxSizeMB: Number.isFinite(maxSizeMB) ? Math.max(0, maxSizeMB) : DEFAULT_DOWNLOAD_LIMIT_MB };
}

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

function formatMB(bytes: number): string {
	return `${(bytes / MB).toFixed(1).replace(/\.0$/, '')} MB`;
}

type ResponseStream = NodeJS.ReadableStream & {
	destroy?: (error?: Error) => void;
};

/**
 * Counts the bytes of a response body as it is consumed and destroys the stream with `tooLarge()`
 * once it passes `maxBytes`. Every chunk a consumer gets is emitted as 'data', whichever way it reads
 * (pipe, 'data' listeners, read() or async iteration), so the count wraps `emit` and leaves the
 * stream's flowing state alone.
 */
function capStream(body: ResponseStream, maxBytes: number, tooLarge: () => Error): { exceeded: () => boolean } {
	let bytes = 0;
	let exceeded = false;
	const emit = body.emit.bind(body) as (event: string | symbol, ...args: unknown[]) => boolean;
	body.emit = ((event: string | symbol, ...args: unknown[]) => {
		if (event === 'data') {
			if (exceeded) return false;
			bytes += (args[0] as { length: number }).length;
			if (bytes > maxBytes) {
				exceeded = true;
				body.destroy?.(tooLarge());
				return false;
			}
		}
		return emit(event, ...args);
	}) as typeof body.emit;
	return { exceeded: () => exceeded };
}

const MAX_DOWNLOAD_REDIRECTS = 5;

/**
 * Downloads each result URL as a stream into n8n binary data (`data`, `data_1`, … in result order).
 * Only http(s) URLs are fetched, and a loopback or private address only on the origin of the credential's
 * own Base URL or Upload Base URL when that is private (the simulator, a proxy on the same network: see
 * transport/addresses.ts); each redirect is checked by the same rules before it is followed. With
 * `maxSizeMB` (200 unless set; 0 = no limit), a larger file fails the item: its Content-Length is checked
 * first, and the bytes are counted while they stream.
 */
export async function downloadResults(
	this: IExecuteFunctions | IWebhookFunctions,
	urls: string[],
	taskId: string,
	itemIndex: number,
	settings: Pick<DownloadSettings, 'maxSizeMB'> = { maxSizeMB: DEFAULT_DOWNLOAD_LIMIT_MB },
	names: Array<string | undefined> = [],
): Promise<IBinaryKeyData> {
	const policy = await addressPolicy(this);
	const refuse = (index: number, url: string, reason: string) =>
		new NodeOperationError(this.getNode(), `${itemLabel(itemIndex)}: result ${index} of task ${taskId} was not downloaded: ${reason}`, {
			description: `The URL was ${url.slice(0, 100)}. Nothing was fetched from it.`,
		});
	for (const [index, url] of urls.entries()) {
		const reason = refusedUrl(url, policy);
		if (reason) throw refuse(index, url, reason);
	}
	const maxBytes = settings.maxSizeMB > 0 ? settings.maxSizeMB * MB : Infinity;
	const tooLarge = (index: number, size: string) =>
		new NodeOperationError(this.getNode(), `${itemLabel(itemIndex)}: result ${index} of task ${taskId} is larger than the download limit of ${formatMB(maxBytes)}`, {
			description: `The file has ${size}. Raise Options → "Download Size Limit (MB)" (0 = no limit), or use the result URL instead.`,
		});
	const binary: IBinaryKeyData = {};
	for (const [index, url] of urls.entries()) {
		let response: { body: ResponseStream; headers: Record<string, string | undefined>; statusCode: number };
		let current = url;
		for (let hops = 0; ; hops++) {
			try {
				response = (await this.helpers.httpRequest({
					method: 'GET',
					url: current,
					encoding: 'stream',
					returnFullResponse: true,
					ignoreHttpStatusErrors: true,
					disableFollowRedirect: true,
					timeout: 300_000,
				})) as typeof response;
			} catch (error) {
				throw new NodeApiError(this.getNode(), error as JsonObject, {
					message: `${itemLabel(itemIndex)}: could not download result ${index} of task ${taskId}`,
					description: `${url} did not answer with the file. Result links expire (KIE keeps results 14 days); read a fresh link with KIE Get Task.`,
				});
			}
			const location = response.statusCode >= 300 && response.statusCode < 400 ? response.headers.location : undefined;
			if (!location) break;
			response.body.destroy?.();
			let next: string;
			try {
				next = new URL(location, current).toString();
			} catch {
				throw refuse(index, url, `it redirects to ${String(location).slice(0, 100)}, which is not a URL`);
			}
			const reason = hops >= MAX_DOWNLOAD_REDIRECTS ? `more than ${MAX_DOWNLOAD_REDIRECTS} redirects` : refusedUrl(next, policy);
			if (reason) throw refuse(index, url, `it redirects to ${next.slice(0, 100)}, and ${reason}`);
			current = next;
		}
		if (response.statusCode >= 400) {
			response.body.destroy?.();
			throw new NodeOperationError(this.getNode(), `${itemLabel(itemIndex)}: could not download result ${index} of task ${taskId} (HTTP ${response.statusCode})`, {
				description: `${url} did not answer with the file. Result links expire (KIE keeps results 14 days); read a fresh link with KIE Get Task.`,
			});
		}
		const declared = Number(response.headers['content-length']);
		if (Number.isFinite(declared) && declared > maxBytes) {
			response.body.destroy?.();
			throw tooLarge(index, formatMB(declared));
		}
		const cap = Number.isFinite(maxBytes)
			? capStream(response.body, maxBytes, () => tooLarge(index, `more than ${formatMB(maxBytes)}`))
			: undefined;
		const mimeType = response.headers['content-type']?.split(';')[0].trim() || undefined;
		const fileName = names[index] ? resultFileName(`file:///${names[index]}`, mimeType, taskId, index) : resultFileName(url, mimeType, taskId, index);
		try {
			binary[binaryPropertyName(index)] = await this.helpers.prepareBinaryData(
				response.body as never,
				fileName,
				mimeType,
			);
		} catch (error) {
			if (cap?.exceeded()) throw tooLarge(index, `more than ${formatMB(maxBytes)}`);
			throw new NodeOperationError(this.getNode(), `${itemLabel(itemIndex)}: could not store result ${index} of task ${taskId}`, {
				description: (error as Error).message,
			});
		}
		if (cap?.exceeded()) throw tooLarge(index, `more than ${formatMB(maxBytes)}`);
	}
	return binary;
}

/**
 * A file name per result of a Suno separation: its stem (`vocals`, `drums`…, from `stems`, name → URL),
 * the extension from the file's type (`vocals.mp3`). Other results keep their URL's name.
 */
function stemNames(result: { resultUrls: string[]; stems?: unknown }): Array<string | undefined> {
	const stems = result.stems;
	if (!stems || typeof stems !== 'object') return [];
	const byUrl = new Map(Object.entries(stems as Record<string, unknown>).map(([name, url]) => [url, name]));
	return result.resultUrls.map((url) => {
		const name = byUrl.get(url);
		return typeof name === 'string' ? `${name}.mp3` : undefined;
	});
}

/** The `files` list added to an item's JSON when its results were downloaded. */
function describeFiles(binary: IBinaryKeyData): IDataObject[] {
	return Object.entries(binary).map(([property, data]) => ({
		property,
		fileName: data.fileName ?? null,
		mimeType: data.mimeType,
		fileSize: data.bytes ?? null,
	}));
}

/**
 * The item's JSON for a result handed over as files: `resultUrls` is left out in `binary` mode, and
 * `files` is added last. The other keys keep their order (`taskId`, `model`, `state`, `resultUrls` first:
 * see orderedJson).
 */
function withFiles(json: IDataObject, binary: IBinaryKeyData, output: ResultOutput): IDataObject {
	const base: IDataObject = { ...json };
	if (output === 'binary') delete base.resultUrls;
	return orderedJson({ ...base, files: describeFiles(binary) });
}

/**
 * The one download path: a finished task's files into its output item, as the download settings say
 * (binary `data`, `data_1`…, and `files` in the JSON; without `resultUrls` in "Files Only"). Nothing is
 * downloaded for "URLs only", a task that did not succeed, or one without result URLs. Either way the
 * JSON leaves in the order of orderedJson: this is the last step of every item of a task (Create Task,
 * Get Task, the resumed "Wait for Callback", the Trigger).
 */
export async function addResultFiles(
	this: IExecuteFunctions | IWebhookFunctions,
	item: INodeExecutionData,
	result: Pick<TaskResult, 'state' | 'resultUrls' | 'taskId'> & { stems?: unknown },
	settings: DownloadSettings,
	itemIndex: number,
): Promise<void> {
	if (settings.output === 'url' || result.state !== 'success' || result.resultUrls.length === 0) {
		item.json = orderedJson(item.json);
		return;
	}
	const binary = await downloadResults.call(this, result.resultUrls, result.taskId, itemIndex, settings, stemNames(result));
	item.binary = binary;
	item.json = withFiles(item.json, binary, settings.output);
}
