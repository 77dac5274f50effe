import { getModelSuccessRate } from '../../shared/api/catalogue';
import { modelIdParam, type AccountAction } from './types';

/**
 * GET /api/v1/models/{model}/success-rate → `{model, buckets, latest, averageSuccessRate, isNormal}`:
 * the 10-minute buckets of the last 24 hours, the newest one, the mean success rate and whether the
 * newest bucket is normal.
 */
export const getModelSuccessRateAction: AccountAction = async function (itemIndex, pacer) {
	const modelId = modelIdParam(this, itemIndex);
	const { model, buckets } = await getModelSuccessRate.call(this, modelId, { itemIndex, pacer });
	const rates = buckets.map((bucket) => bucket.successRate).filter((rate) => Number.isFinite(rate));
	const latest = buckets.length ? buckets[buckets.length - 1] : null;
	const averageSuccessRate = rates.length
		? Math.round((rates.reduce((sum, rate) => sum + rate, 0) / rates.length) * 1000) / 1000
		: null;
	return [{ model, buckets: buckets.map((bucket) => ({ ...bucket })), latest: latest ? { ...latest } : null, averageSuccessRate, isNormal: latest?.isNormal ?? null }];
};
