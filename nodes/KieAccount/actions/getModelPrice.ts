import { getModelPrice } from '../../shared/api/catalogue';
import { modelIdParam, type AccountAction } from './types';

/** GET /api/v1/models/{model}/price → `{model, pricingDesc}`. */
export const getModelPriceAction: AccountAction = async function (itemIndex, pacer) {
	const modelId = modelIdParam(this, itemIndex);
	return [{ ...(await getModelPrice.call(this, modelId, { itemIndex, pacer })) }];
};
