/**
 * Type declarations for the simulator's model catalogue routes (simulator/catalogue-api.js).
 */

/** One entry of GET /api/v1/models `data.models`. */
export interface ListedModel {
	model: string;
	slug: string;
	title: string;
	provider: string;
	taskType: string[];
	description: string | null;
	pricingDesc: string;
}

/** One 10-minute bucket of GET /api/v1/models/{model}/success-rate. */
export interface SuccessRateBucket {
	start: number;
	end: number;
	successRate: number;
	errorRate: number;
	isNormal: boolean;
}

export const CATALOGUE_ROUTES: ReadonlyArray<'models' | 'modelSchema' | 'modelPrice' | 'modelSuccessRate'>;
/** Listed models that are not in the Market catalogue (nor in the package's registry); their schema is null. */
export const EXTRA_MODELS: ReadonlyArray<Omit<ListedModel, 'slug'>>;
/** Every model GET /api/v1/models lists without filters. */
export function listedModels(): ListedModel[];
export function matchRoute(pathname: string): { method: 'GET'; route: string; modelId?: string } | null;
export function successRateBuckets(modelId: string, now: number): SuccessRateBucket[];
