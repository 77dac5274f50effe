import { getModelSchema } from '../../shared/api/catalogue';
import { modelIdParam, type AccountAction } from './types';

/** GET /api/v1/models/{model}/schema → `{model, openapi, synced}` (openapi is null until KIE synced it). */
export const getModelSchemaAction: AccountAction = async function (itemIndex, pacer) {
	const modelId = modelIdParam(this, itemIndex);
	const { model, openapi } = await getModelSchema.call(this, modelId, { itemIndex, pacer });
	return [{ model, openapi, synced: openapi !== null }];
};
