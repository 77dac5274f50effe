import type { IDataObject } from 'n8n-workflow';

import { getModelSchema } from '../../shared/api/catalogue';
import { liveModelInfo, modelFromLiveSchema } from '../../shared/registry/liveSchema';
import { toolDescriptionFor } from '../../shared/registry/tool';
import type { ModelField } from '../../shared/registry/types';
import { modelIdParam, type AccountAction } from './types';

/** A field as the output shows it: what KIE Create Task makes of it (name, type, limits), nothing internal. */
function fieldJson(field: ModelField): IDataObject {
	const json: IDataObject = { name: field.name, type: field.type, required: field.required === true };
	const keys = ['enum', 'default', 'min', 'max', 'maxLength', 'minItems', 'maxItems', 'itemsType', 'itemProperties', 'format', 'accept', 'maxFileSizeMB', 'description'] as const;
	for (const key of keys) if (field[key] !== undefined && field[key] !== '') json[key] = field[key] as IDataObject[string];
	return json;
}

/**
 * GET /api/v1/models/{model}/schema → `{model, openapi, synced, fields, toolDescription}`: openapi is null
 * until KIE synced it; `fields` are the model's input fields as KIE Create Task reads them from the document
 * (the same reader, with its budgets), or `fieldsNote` says why there are none; `toolDescription` is what an
 * AI agent is told about the model as KIE Create Task Tool, from those fields (its inputs with their allowed
 * values), for a live model's tool Description: `{{ $('KIE Account').first().json.toolDescription }}`.
 */
export const getModelSchemaAction: AccountAction = async function (itemIndex, pacer) {
	const modelId = modelIdParam(this, itemIndex);
	const { model, openapi } = await getModelSchema.call(this, modelId, { itemIndex, pacer });
	const id = model || modelId;
	const parsed = modelFromLiveSchema(id, openapi, liveModelInfo(id, openapi));
	return [
		{
			model,
			openapi,
			synced: openapi !== null,
			...('model' in parsed
				? { fields: parsed.model.fields.map(fieldJson), toolDescription: toolDescriptionFor(parsed.model) }
				: { fields: [], fieldsNote: parsed.reason }),
		},
	];
};
