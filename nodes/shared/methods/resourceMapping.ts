import type { ILoadOptionsFunctions, ResourceMapperFields } from 'n8n-workflow';

import { cachedModelSchema } from '../api/catalogue';
import { getModel } from '../registry';
import { carrySettings, mapperFields } from '../registry/mapper';
import { modelFromLiveSchema } from '../registry/liveSchema';
import { currentModelId } from './loadOptions';

/** Says why there are no fields, and what to do instead (shown by the editor in place of the fields). */
function notice(reason: string): ResourceMapperFields {
	return { fields: [], emptyFieldsNotice: `${reason}. Give the model's input in Options → Additional Input (JSON) instead.` };
}

/**
 * The fields of "Model Input" for a model that is not built in: one per input property of KIE's live
 * schema of the model (read through the per-process schema cache, an hour), with its type, allowed values,
 * default and required marker; a field of the same name as a setting set for another model starts with its
 * value (carrySettings). Never throws: a schema that is null or cannot be read gives no fields and a
 * notice saying why.
 */
export async function getModelInputFields(this: ILoadOptionsFunctions): Promise<ResourceMapperFields> {
	const id = currentModelId(this);
	if (!id) return notice('Pick a model first (an expression is only known when the workflow runs)');
	if (getModel(id)) return notice(`${id} is built into this node: its fields are the node's own parameters`);
	try {
		const answer = await cachedModelSchema.call(this, id);
		if ('error' in answer) return notice(`KIE's schema of ${id} could not be read (${answer.error})`);
		// Bounded (LIVE_SCHEMA_BUDGETS): a document too large or too deeply nested is a reason, not a stall.
		const live = modelFromLiveSchema(id, answer.openapi);
		if ('reason' in live) return notice(`${live.reason} (${id})`);
		// The settings typed for a built-in model (kept by their notices) fill the fields of the same name.
		return { fields: carrySettings(mapperFields(live.model), (param) => this.getCurrentNodeParameter(param)) };
	} catch (error) {
		// Not expected (the cache and the reader never throw): the editor still gets a notice, not an HTTP 500.
		return notice(`KIE's schema of ${id} could not be read (${String((error as Error)?.message ?? error).slice(0, 200)})`);
	}
}
