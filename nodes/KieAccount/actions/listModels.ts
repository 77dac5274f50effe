import { listLiveModels, type CatalogueFilters } from '../../shared/api/catalogue';
import { getModel } from '../../shared/registry';
import type { AccountAction } from './types';

/**
 * GET /api/v1/models with the filters → one item per model, with `builtIn` telling whether
 * KIE Create Task knows its fields (otherwise use "By ID" and Additional Input JSON).
 */
export const listModelsAction: AccountAction = async function (itemIndex, pacer) {
	const filters = this.getNodeParameter('filters', itemIndex, {}) as CatalogueFilters;
	const { total, models } = await listLiveModels.call(this, filters, { itemIndex, pacer });
	return models.map((model) => ({ ...model, builtIn: getModel(model.model) !== undefined, total }));
};
