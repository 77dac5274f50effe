import { getCredits } from '../../shared/api/account';
import type { AccountAction } from './types';

/** GET /api/v1/chat/credit → `{credits}`. Free; not part of the catalogue's rate limit. */
export const getCreditsAction: AccountAction = async function (itemIndex) {
	return [{ credits: await getCredits.call(this, itemIndex) }];
};
