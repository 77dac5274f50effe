import { getDownloadUrl } from '../../shared/api/account';
import { itemError } from '../../shared/transport/errors';
import type { AccountAction } from './types';

/**
 * POST /api/v1/common/download-url `{url}`, or for a 4o Image result (a task id is given)
 * POST /api/v1/gpt4o-image/download-url `{taskId, url}` → `{url, downloadUrl, expiresAt}`.
 */
export const getDownloadUrlAction: AccountAction = async function (itemIndex) {
	const url = String(this.getNodeParameter('url', itemIndex, '')).trim();
	const taskId = String(this.getNodeParameter('taskId', itemIndex, '')).trim();
	if (!/^https?:\/\/\S+$/i.test(url)) {
		throw itemError(
			this,
			itemIndex,
			`"File URL" must be an http(s) URL (got "${url}")`,
			'Give a result URL from KIE Create Task / Get Task, or an upload\'s download URL.',
		);
	}
	const link = await getDownloadUrl.call(this, url, { taskId, itemIndex });
	return [{ ...link }];
};
