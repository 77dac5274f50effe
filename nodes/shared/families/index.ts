import type { ApiStyleName } from '../registry/types';
import { FOUR_O_IMAGE } from './fourOImage';
import { MARKET } from './market';
import type { ApiFamily } from './types';

export type { ApiFamily } from './types';

export const FAMILIES: Record<ApiStyleName, ApiFamily> = {
	market: MARKET,
	'4o': FOUR_O_IMAGE,
};

export function getFamily(name: ApiStyleName): ApiFamily {
	return FAMILIES[name];
}
