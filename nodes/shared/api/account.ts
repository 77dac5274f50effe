import type { IDataObject } from 'n8n-workflow';

import { kieApiRequest, type KieContext } from '../transport';

/** KIE's Common API account reads (kie-api.md §7): remaining credits and download links. */

const CREDIT_PATH = '/api/v1/chat/credit';
const DOWNLOAD_URL_PATH = '/api/v1/common/download-url';
const FOUR_O_DOWNLOAD_URL_PATH = '/api/v1/gpt4o-image/download-url';

/** Download links from both endpoints are valid for 20 minutes. */
const DOWNLOAD_URL_TTL_MS = 20 * 60 * 1000;

interface DownloadLink {
	url: string;
	downloadUrl: string;
	/** When the link stops working (now + 20 minutes), ISO. */
	expiresAt: string;
	/** Set for a 4o Image result link. */
	taskId?: string;
}

/** `GET /api/v1/chat/credit`: the account's remaining credits (a bare number, e.g. 60.62). */
export async function getCredits(this: KieContext, itemIndex?: number): Promise<number> {
	const data = await kieApiRequest.call(this, {
		method: 'GET',
		path: CREDIT_PATH,
		kind: 'read',
		itemIndex,
		label: 'Get credits',
	});
	const credits = typeof data === 'number' ? data : Number((data as IDataObject | null)?.credits ?? data);
	if (!Number.isFinite(credits)) throw new Error(`KIE answered the credit request with ${JSON.stringify(data)}, not a number`);
	return credits;
}

/**
 * A fresh 20-minute link for a KIE-generated file. With a 4o Image task id it uses
 * `POST /api/v1/gpt4o-image/download-url {taskId, url}`; otherwise `POST /api/v1/common/download-url {url}`.
 */
export async function getDownloadUrl(
	this: KieContext,
	url: string,
	options: { taskId?: string; itemIndex?: number; now?: number } = {},
): Promise<DownloadLink> {
	const taskId = (options.taskId ?? '').trim();
	const now = options.now ?? Date.now();
	const data = await kieApiRequest.call(this, {
		method: 'POST',
		path: taskId ? FOUR_O_DOWNLOAD_URL_PATH : DOWNLOAD_URL_PATH,
		kind: 'read',
		body: taskId ? { taskId, url } : { url },
		itemIndex: options.itemIndex,
		label: taskId ? `Get a download URL for 4o Image task ${taskId}` : 'Get a download URL',
	});
	const downloadUrl =
		typeof data === 'string' ? data : String((data as IDataObject | null)?.downloadUrl ?? (data as IDataObject | null)?.url ?? '');
	return {
		url,
		downloadUrl,
		expiresAt: new Date(now + DOWNLOAD_URL_TTL_MS).toISOString(),
		...(taskId ? { taskId } : {}),
	};
}
