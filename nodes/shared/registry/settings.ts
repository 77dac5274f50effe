import type { INodePropertyOptions } from 'n8n-workflow';

import { fieldDisplayName, MODELS, paramName } from './index';
import type { FieldValue, ModelDefinition, ModelField } from './types';

/**
 * Settings that mean the same across models (aspect ratio, quality, resolution, duration…) share one
 * n8n parameter name, so the editor keeps their value when the user switches models. Two editor rules
 * decide what survives a switch (n8n 2.x and 1.123 alike):
 * - a value whose parameter is hidden for the new model is dropped, and
 * - a value missing from the static options of the new model's property is reset to its default.
 * - the parameter panel also clears the value of a parameter it stops showing (a `hidden` one counts as
 *   not shown).
 * So a setting offered with different values by different models gets its options from the model in
 * the editor (`loadOptions`, which never resets a value: a value the new model does not accept stays and
 * the editor marks it "not supported"), and a setting the new model lacks is kept by a notice of the
 * same name that says so (`keeperProperties`). Every such setting defaults to "Default", which the node
 * replaces with the model's own default when it builds the request.
 */

/** A setting's value as the editor holds it: its spelling is the same for every model. */
function valueKey(value: unknown): string {
	return String(value).trim().toLowerCase();
}

interface ParamUse {
	/** The models that have the parameter on their card, in registry order. */
	ids: string[];
	/** Its fields with a list of allowed values, and their models. */
	enums: Array<{ model: ModelDefinition; field: ModelField }>;
	label: string;
	/** The families of the models in `ids`. */
	families: Set<string>;
}

/**
 * A setting is kept across a model switch when models of at least this many families have it on their
 * card (prompt, aspect ratio, quality, duration…): the ones a user carries from one provider to another.
 * A setting of one or two families' variants is not (each kept setting costs two properties in the
 * description the editor loads; see keeperProperties).
 */
export const KEPT_SETTING_MIN_FAMILIES = 3;

const isKeptSetting = (use: ParamUse | undefined) => (use?.families.size ?? 0) >= KEPT_SETTING_MIN_FAMILIES;

const indexCache = new WeakMap<readonly ModelDefinition[], Map<string, ParamUse>>();

/** Which models have each parameter (fields on the card, not in Additional Fields), in one pass. */
function paramIndex(models: readonly ModelDefinition[], isCardField: (field: ModelField) => boolean): Map<string, ParamUse> {
	const cached = indexCache.get(models);
	if (cached) return cached;
	const index = new Map<string, ParamUse>();
	for (const model of models) {
		for (const field of model.fields) {
			const param = paramName(model, field);
			let use = index.get(param);
			if (!use) {
				use = { ids: [], enums: [], label: fieldDisplayName(model, field), families: new Set() };
				index.set(param, use);
			}
			if (field.enum) use.enums.push({ model, field });
			if (isCardField(field) && !use.ids.includes(model.id)) {
				use.ids.push(model.id);
				use.families.add(model.family);
			}
		}
	}
	indexCache.set(models, index);
	return index;
}

/**
 * The parameters whose allowed values come from the model in the editor: a list of allowed values that
 * more than one model has.
 */
export function sharedEnumParams(
	models: readonly ModelDefinition[],
	isCardField: (field: ModelField) => boolean,
): Set<string> {
	const shared = new Set<string>();
	for (const [param, use] of paramIndex(models, isCardField)) {
		if (use.ids.length > 1 && use.enums.length > 0) shared.add(param);
	}
	return shared;
}

/**
 * One spelling per value across all models (the first seen): "4K" and "4k", or "5" and 5, are one
 * value, and the node sends each model its own spelling. Numbers stay numbers only when every model
 * spells the setting with numbers.
 */
function canonicalValues(param: string, models: readonly ModelDefinition[] = MODELS): Map<string, FieldValue> {
	const fields = paramIndex(models, () => true).get(param)?.enums ?? [];
	const numeric = fields.every(({ field }) => field.enum!.every((value) => typeof value === 'number'));
	const values = new Map<string, FieldValue>();
	for (const { field } of fields) {
		for (const value of field.enum!) {
			const key = valueKey(value);
			if (!values.has(key)) values.set(key, numeric ? value : String(value));
		}
	}
	return values;
}

const canonicalCache = new Map<string, Map<string, FieldValue>>();

/** The value of a shared setting as the editor holds it, whatever model spelled it. */
function canonicalValue(param: string, value: FieldValue): FieldValue {
	let values = canonicalCache.get(param);
	if (!values) {
		values = canonicalValues(param);
		canonicalCache.set(param, values);
	}
	return values.get(valueKey(value)) ?? value;
}

/**
 * The model's own spelling of a value of one of its fields: `"5"` for a field that takes the integer 5,
 * `"4K"` for one that takes `"4k"`. A value the field does not take is returned as it is.
 */
export function matchEnumValue(field: ModelField, value: unknown): unknown {
	if (!field.enum || value === undefined || value === null) return value;
	if (field.enum.includes(value as FieldValue)) return value;
	const key = valueKey(value);
	return field.enum.find((candidate) => valueKey(candidate) === key) ?? value;
}

/**
 * The options of a shared setting for one model: "Default (…)" first, then the values the model
 * accepts, each with the spelling every model shares. With no model (an expression, or an id the node
 * does not know), every value any model accepts.
 */
export function sharedOptions(param: string, model: ModelDefinition | undefined, defaultLabel: (field: ModelField) => string): INodePropertyOptions[] {
	const field = model?.fields.find((candidate) => paramName(model, candidate) === param);
	if (model && field?.enum) {
		return [
			{ name: defaultLabel(field), value: '' },
			...field.enum.map((value) => ({ name: String(value), value: canonicalValue(param, value) as string | number })),
		];
	}
	const all = [...(canonicalCache.get(param) ?? canonicalValues(param)).values()];
	return [{ name: 'Default', value: '' }, ...all.map((value) => ({ name: String(value), value: value as string | number }))];
}

/** The loadOptions method name of a shared setting. */
export function sharedOptionsMethod(param: string): string {
	return `${param}Options`;
}

/**
 * For every setting kept across a model switch (models of KEPT_SETTING_MIN_FAMILIES families have it):
 * the models that have it and those that lack it, with its label. Create Task keeps the value of such a
 * setting for the models that lack it (see properties.ts). The value is never read for those models
 * (only a model's own fields are).
 */
export function keeperProperties(
	models: readonly ModelDefinition[],
	isCardField: (field: ModelField) => boolean,
	modelParam: string,
): Array<{ name: string; label: string; having: string[]; lacking: string[] }> {
	const all = models.map((model) => model.id);
	const keepers: Array<{ name: string; label: string; having: string[]; lacking: string[] }> = [];
	for (const [param, use] of paramIndex(models, isCardField)) {
		if (!isKeptSetting(use) || param === modelParam) continue;
		const having = new Set(use.ids);
		keepers.push({ name: param, label: use.label, having: use.ids, lacking: all.filter((id) => !having.has(id)) });
	}
	return keepers;
}

let settingByKey: Map<string, string> | undefined;

/**
 * The shared setting that holds, for the built-in models, what a live model's input key means: KIE's
 * key as the registry's models name it (`aspect_ratio` → `aspectRatio`, `image_urls` → `inputUrls`), the
 * setting most models with that key use, when it is a kept setting (only those keep their value across a
 * model switch; see KEPT_SETTING_MIN_FAMILIES). Undefined for any other key.
 */
export function settingForKey(key: string, models: readonly ModelDefinition[] = MODELS): string | undefined {
	if (models !== MODELS) return settingsByKey(models).get(key);
	return (settingByKey ??= settingsByKey(models)).get(key);
}

function settingsByKey(models: readonly ModelDefinition[]): Map<string, string> {
	const counts = new Map<string, Map<string, number>>();
	for (const model of models) {
		for (const field of model.fields) {
			const byParam = counts.get(field.name) ?? new Map<string, number>();
			const param = paramName(model, field);
			byParam.set(param, (byParam.get(param) ?? 0) + 1);
			counts.set(field.name, byParam);
		}
	}
	const index = paramIndex(models, () => true);
	const result = new Map<string, string>();
	for (const [key, byParam] of counts) {
		const [param] = [...byParam].sort((a, b) => b[1] - a[1])[0];
		if (isKeptSetting(index.get(param))) result.set(key, param);
	}
	return result;
}

/**
 * The value a live model's input field starts with, from the setting of the same meaning (see
 * settingForKey) that the user set for another model: a value the field takes (one of its options, in
 * its own spelling; a number for a number field), an expression as it is, or undefined (nothing set,
 * "Default", or a value the field does not take).
 */
export function carriedValue(
	field: { type?: string; options?: Array<{ value: unknown }> },
	value: unknown,
): string | number | boolean | undefined {
	if (value === undefined || value === null || value === '') return undefined;
	if (typeof value === 'string' && value.startsWith('=')) return value;
	if (!['string', 'number', 'boolean'].includes(typeof value)) return undefined;
	if (field.options?.length) {
		const key = valueKey(value);
		const option = field.options.find((candidate) => valueKey(candidate.value) === key);
		return option && ['string', 'number', 'boolean'].includes(typeof option.value) ? (option.value as string | number | boolean) : undefined;
	}
	switch (field.type) {
		case 'number': {
			const number = typeof value === 'number' ? value : Number(String(value).trim());
			return String(value).trim() !== '' && Number.isFinite(number) ? number : undefined;
		}
		case 'boolean':
			return typeof value === 'boolean' ? value : undefined;
		case 'string':
		case undefined:
			return typeof value === 'boolean' ? undefined : String(value);
		default:
			return undefined;
	}
}
