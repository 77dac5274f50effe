import type { FieldType as MapperFieldType, ResourceMapperField } from 'n8n-workflow';

import { liveMaskField, liveModelDefinition } from './liveSchema';
import { carriedValue, settingForKey } from './settings';
import type { FieldType, FieldValue, ModelDefinition, ModelField } from './types';

/**
 * Between a model's fields and n8n's resource mapper (the "Model Input" parameter of a model that is not
 * built in): one mapper field per KIE input key.
 */

/** The n8n parameter that holds a live model's input. */
export const MODEL_INPUT_PARAM = 'modelInput';

function mapperType(field: ModelField): MapperFieldType {
	if (field.enum) return 'options';
	switch (field.type) {
		case 'number':
		case 'integer':
			return 'number';
		case 'boolean':
			return 'boolean';
		case 'object':
			return 'object';
		case 'array':
			// A list of strings or URLs is typed comma- or newline-separated, like "Input URLs"; a list of
			// objects is JSON.
			return field.itemsType === 'object' ? 'array' : 'string';
		default:
			return 'string';
	}
}

/** At most this many characters of description over all of a field's options. */
const OPTION_DESCRIPTION_CHARS = 100_000;

/**
 * The mapper's fields for a model: type, allowed values as options (string enums stay strings), default,
 * required marker (not on the fields for input images and the mask, which KIE Create Task's files from
 * binary may fill). An optional field without a default starts removed (the user adds it), so nothing is
 * sent that the user did not choose (n8n would otherwise fill an optional boolean with false).
 */
export function mapperFields(model: ModelDefinition): ResourceMapperField[] {
	const fromBinary = new Set([model.imageField, liveMaskField(model.fields)?.name]);
	return model.fields.map((field) => {
		const type = mapperType(field);
		const mapped: ResourceMapperField = {
			id: field.name,
			displayName: field.label ?? field.name,
			// These may come from "Input Images From Binary" / "Mask From Binary" instead (required still when the
			// node runs, as a built-in model's "Input URLs"): n8n must not refuse the workflow without them.
			required: field.required === true && !fromBinary.has(field.name),
			defaultMatch: false,
			canBeUsedToMatch: false,
			display: true,
			type,
		};
		if (field.enum) {
			// Each option repeats the field's description (the mapper shows no other): not when that multiplies into a large answer.
			const description = field.description && field.description.length * field.enum.length <= OPTION_DESCRIPTION_CHARS ? field.description : undefined;
			mapped.options = field.enum.map((value) => ({ name: String(value), value, description }));
		}
		if (field.default !== undefined && !(type === 'string' && field.type === 'array')) mapped.defaultValue = field.default;
		if (!field.required && field.default === undefined) mapped.removed = true;
		return mapped;
	});
}

/**
 * What the user set for another model flows into a live model's fields: each field whose KIE key is a
 * shared setting of the built-in models (prompt, aspect ratio, resolution, duration, input URLs, seed…)
 * starts with that setting's kept value, when the field takes it (`read` gives the node's parameter).
 * n8n's editor fills Model Input with these values when the model is picked.
 */
export function carrySettings(fields: ResourceMapperField[], read: (param: string) => unknown): ResourceMapperField[] {
	for (const field of fields) {
		const param = settingForKey(field.id);
		if (!param) continue;
		let value: unknown;
		try {
			value = read(param);
		} catch {
			continue;
		}
		const carried = carriedValue(field, value);
		if (carried === undefined) continue;
		field.defaultValue = carried;
		field.removed = false;
	}
	return fields;
}

/** A Map, not an object: a stored field's type comes from the workflow (`constructor` must not find Object's). */
const TYPES = new Map<unknown, FieldType>([
	['number', 'number'],
	['boolean', 'boolean'],
	['object', 'object'],
	['array', 'array'],
]);

/**
 * A model definition from the fields the editor stored with the parameter (what it last loaded), for
 * when KIE's schema cannot be read at run time: types, allowed values and required markers still hold.
 */
export function modelFromMapperFields(modelId: string, fields: ResourceMapperField[] | undefined): ModelDefinition | undefined {
	if (!Array.isArray(fields) || fields.length === 0) return undefined;
	return liveModelDefinition(
		modelId,
		fields
			.filter((field) => typeof field?.id === 'string' && field.id !== '')
			.map((field): ModelField => {
				const values = field.options?.map((option) => option.value).filter((value): value is FieldValue => ['string', 'number', 'boolean'].includes(typeof value));
				return {
					name: field.id,
					param: field.id,
					label: field.displayName || field.id,
					type: TYPES.get(field.type) ?? 'string',
					...(field.required ? { required: true } : {}),
					...(values?.length ? { enum: values } : {}),
					...(field.type === 'array' ? { itemsType: 'object' as const } : {}),
					description: '',
				};
			}),
	);
}
