import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { fieldDisplayName, MODELS, paramName } from './index';
import { keeperProperties, sharedEnumParams, sharedOptionsMethod } from './settings';
import type { FieldValue, ModelDefinition, ModelField } from './types';

/** The resource-locator parameter that selects the model. */
export const MODEL_PARAM = 'model';

/** The Model parameter as seen from inside a collection. */
const ROOT_MODEL_PARAM = `/${MODEL_PARAM}`;

/** Value of an optional enum that tells the node to leave the field out and let KIE choose. */
export const MODEL_DEFAULT_OPTION = '';

/** The collection that holds optional fields KIE documents no default for (sent only when added). */
export const ADDITIONAL_FIELDS_PARAM = 'additionalFields';

/**
 * Optional booleans and numbers without a documented default have no neutral value the node could
 * send, so they live in the "Additional Fields" collection and are sent only when the user adds them.
 */
export function isAdditionalField(field: ModelField): boolean {
	return (
		!field.required &&
		field.default === undefined &&
		!field.enum &&
		!field.showWhen &&
		(field.type === 'boolean' || field.type === 'number' || field.type === 'integer')
	);
}

/**
 * The value a field gets when the user leaves it at "Default": its documented default, or for a required
 * list of allowed values without one, the first value. Undefined: the field is left out and KIE chooses.
 */
export function effectiveDefault(field: ModelField): FieldValue | undefined {
	if (field.default !== undefined) return field.default;
	if (field.enum && field.required) return field.enum[0];
	return undefined;
}

/** The label of the "Default" choice of a field: the value it stands for, when there is one. */
export function defaultOptionName(field: ModelField): string {
	const value = effectiveDefault(field);
	return value === undefined ? 'Model Default' : `Default (${String(value)})`;
}

function enumOptions(field: ModelField): INodePropertyOptions[] {
	const options: INodePropertyOptions[] = (field.enum ?? []).map((value) => ({
		name: String(value),
		value: value as string | number,
	}));
	if (!field.required && field.default === undefined) {
		options.unshift({ name: 'Model Default', value: MODEL_DEFAULT_OPTION });
	}
	return options;
}

function defaultFor(field: ModelField): FieldValue {
	if (field.default !== undefined) return field.default;
	if (field.enum && field.required) return field.enum[0];
	switch (field.type) {
		case 'boolean':
			return false;
		case 'number':
		case 'integer':
			return field.enum ? MODEL_DEFAULT_OPTION : (field.min ?? 0);
		default:
			return '';
	}
}

function describe(field: ModelField): string {
	const limits: string[] = [];
	if (field.min !== undefined || field.max !== undefined) {
		limits.push(`range ${field.min ?? '…'}–${field.max ?? '…'}`);
	}
	if (field.maxLength !== undefined) limits.push(`at most ${field.maxLength} characters`);
	if (field.itemProperties) limits.push(`JSON list of {${field.itemProperties.join(', ')}}`);
	const text = field.description.replace(/\.$/, '');
	return limits.length ? `${text} (${limits.join(', ')})` : text;
}

/**
 * One n8n property for one field of one model (before models sharing it are merged). `shared`: the
 * field is a setting several models offer with their own values (see settings.ts); its options come
 * from the model in the editor and it defaults to "Default".
 */
export function fieldProperty(model: ModelDefinition, field: ModelField, shared = false): INodeProperties {
	const base = {
		displayName: fieldDisplayName(model, field),
		name: paramName(model, field),
		description: describe(field),
		// The input-image field can also be filled from binary (Options → Input Images From Binary), so
		// the editor does not require it; the node still checks it, counting the binary files.
		required: field.required === true && field.default === undefined && field.name !== model.imageField ? true : undefined,
	};
	let property: INodeProperties;
	if (field.enum && shared) {
		// "Default" is always a valid choice, so the editor never flags the field as missing.
		property = {
			...base,
			required: undefined,
			type: 'options',
			typeOptions: { loadOptionsMethod: sharedOptionsMethod(base.name), loadOptionsDependsOn: [`${MODEL_PARAM}.value`] },
			default: MODEL_DEFAULT_OPTION,
		};
	} else if (field.enum) {
		property = { ...base, type: 'options', options: enumOptions(field), default: defaultFor(field) };
	} else if (field.type === 'boolean') {
		property = { ...base, type: 'boolean', default: defaultFor(field) };
	} else if (field.type === 'number' || field.type === 'integer') {
		property = {
			...base,
			type: 'number',
			default: defaultFor(field),
			typeOptions: {
				...(field.min !== undefined ? { minValue: field.min } : {}),
				...(field.max !== undefined ? { maxValue: field.max } : {}),
				...(field.type === 'integer' ? { numberPrecision: 0 } : {}),
			},
		};
	} else if (field.type === 'object' || (field.type === 'array' && field.itemsType === 'object')) {
		property = { ...base, type: 'json', default: field.type === 'array' ? '[]' : '{}' };
	} else {
		const isList = field.type === 'array';
		property = {
			...base,
			type: 'string',
			default: defaultFor(field),
			...(field.multiline || isList ? { typeOptions: { rows: isList ? 2 : 4 } } : {}),
			...(field.format === 'uri'
				? { placeholder: isList ? 'e.g. https://example.com/a.png, https://example.com/b.png' : 'e.g. https://example.com/image.png' }
				: {}),
		};
	}
	if (property.required === undefined) delete property.required;
	const show: Record<string, FieldValue[]> = { ...(field.showWhen ?? {}) };
	property.displayOptions = { show: { ...show, [MODEL_PARAM]: [model.id] } };
	return property;
}

const isCardField = (field: ModelField) => !isAdditionalField(field);

let sharedParamsOfRegistry: Set<string> | undefined;

/** The settings whose options come from the model in the editor (see settings.ts). */
export function sharedSettingParams(models: readonly ModelDefinition[] = MODELS): Set<string> {
	if (models !== MODELS) return sharedEnumParams(models, isCardField);
	return (sharedParamsOfRegistry ??= sharedEnumParams(models, isCardField));
}

/**
 * The notice that keeps a setting's value for a model without that setting. It is true of both kinds of
 * model it is shown for: a built-in model without the setting, and a model from KIE's live list (whose
 * Model Input field of the same name starts with the value).
 */
export function keeperNotice(label: string): string {
	return `"${label}" keeps the value you set for another model. It is sent only to a model that has this setting; a model from KIE's live list gets it in its Model Input field of the same name.`;
}

/**
 * The per-model parameters of Create Task. Models with an identical field share one property, whose
 * `displayOptions` list all of them: this keeps the description small as the catalogue grows. Settings
 * that several models have keep their value across a model switch (see settings.ts).
 */
export function buildModelProperties(models: readonly ModelDefinition[] = MODELS): INodeProperties[] {
	const merged = new Map<string, INodeProperties>();
	const additional = new Map<string, INodeProperties>();
	const shared = sharedSettingParams(models);
	for (const model of models) {
		for (const field of model.fields) {
			const inCollection = isAdditionalField(field);
			const property = fieldProperty(model, field, shared.has(paramName(model, field)));
			const { displayOptions, ...rest } = property;
			const conditions = { ...(displayOptions?.show ?? {}) };
			delete conditions[MODEL_PARAM];
			const key = JSON.stringify([rest, conditions]);
			const target = inCollection ? additional : merged;
			const existing = target.get(key);
			if (existing) {
				(existing.displayOptions!.show![inCollection ? ROOT_MODEL_PARAM : MODEL_PARAM] as string[]).push(model.id);
			} else if (inCollection) {
				// Inside a collection, displayOptions are relative to it: "/model" is the node's Model.
				target.set(key, { ...rest, displayOptions: { show: { ...conditions, [ROOT_MODEL_PARAM]: [model.id] } } });
			} else {
				target.set(key, property);
			}
		}
	}
	const rank = (name: string) => {
		const index = LEADING_PARAMS.indexOf(name);
		return index === -1 ? LEADING_PARAMS.length : index;
	};
	// A stable sort: the card's fields lead, the rest keep their first-seen order.
	const properties = [...merged.values()].sort((a, b) => rank(a.name) - rank(b.name));
	// A value set for one model stays when the user picks a model without that setting, and comes back
	// with the next model that has it. Two properties of the setting's name do it (see settings.ts):
	// a hidden one that holds the value for n8n's parameter logic, and a notice that says the value is
	// kept (shown while one is set), because n8n's panel clears a parameter it stops showing.
	for (const keeper of keeperProperties(models, isCardField, MODEL_PARAM)) {
		// Hidden for the models that have the setting, so shown for every other one: a built-in model
		// without it, and a model from KIE's live list, whose Model Input takes the value (see
		// liveSettingDefaults).
		const forThem = { hide: { [MODEL_PARAM]: keeper.having } };
		properties.push(
			{ displayName: keeper.label, name: keeper.name, type: 'hidden', default: '', displayOptions: forThem },
			{
				displayName: keeperNotice(keeper.label),
				name: keeper.name,
				type: 'notice',
				default: '',
				displayOptions: { ...forThem, show: { [keeper.name]: [{ _cnd: { exists: true } }] } },
			},
		);
	}
	if (additional.size) {
		const options = [...additional.values()].sort(
			(a, b) => a.displayName.localeCompare(b.displayName) || a.name.localeCompare(b.name),
		);
		const modelIds = [...new Set(options.flatMap((option) => option.displayOptions!.show![ROOT_MODEL_PARAM] as string[]))];
		properties.push({
			displayName: 'Additional Fields',
			name: ADDITIONAL_FIELDS_PARAM,
			type: 'collection',
			placeholder: 'Add Field',
			default: {},
			description: 'Optional model settings KIE documents no default for; each is sent only when added here',
			options,
			displayOptions: { show: { [MODEL_PARAM]: models.map((model) => model.id).filter((id) => modelIds.includes(id)) } },
		});
	}
	return properties;
}

/** Parameters shown first for every model, in this order. */
const LEADING_PARAMS = ['prompt', 'inputUrls', 'aspectRatio', 'quality'];
