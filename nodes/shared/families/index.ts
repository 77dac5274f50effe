import type { ApiStyleName } from '../registry/types';
import { FLUX_KONTEXT } from './fluxKontext';
import { FOUR_O_IMAGE } from './fourOImage';
import { MARKET } from './market';
import { ALEPH, LUMA, RUNWAY } from './runway';
import { SUNO, SUNO_LYRICS } from './suno';
import type { ApiFamily } from './types';
import { VEO, VEO_1080P } from './veo';

export type { ApiFamily } from './types';

/** Every KIE API family, in the order KIE Get Task lists them. */
export const FAMILIES: Record<ApiStyleName, ApiFamily> = {
	market: MARKET,
	'4o': FOUR_O_IMAGE,
	'flux-kontext': FLUX_KONTEXT,
	veo: VEO,
	'veo-1080p': VEO_1080P,
	runway: RUNWAY,
	aleph: ALEPH,
	luma: LUMA,
	suno: SUNO,
	'suno-lyrics': SUNO_LYRICS,
};

export function getFamily(name: ApiStyleName): ApiFamily {
	return FAMILIES[name];
}

/** A family whose create call goes to another path (an operation such as Veo extend); reads are unchanged. */
export function withCreatePath(family: ApiFamily, createPath?: string): ApiFamily {
	return createPath && createPath !== family.createPath ? { ...family, createPath } : family;
}
