import type { INodeProperties } from 'n8n-workflow';

import { paramName } from '../../nodes/shared/registry';
import { sampleValue } from '../../nodes/shared/families/examples';
import { type ModelDefinition, type ModelField } from '../../nodes/shared/registry/types';
import { ADDITIONAL_FIELDS_PARAM, buildModelProperties, isAdditionalField } from '../../nodes/shared/registry/properties';
import { collectModelInput } from '../../nodes/shared/registry/validation';

// Sample parameter values for any registered model, generated from its definition: what a user who
// fills in only the required fields would send. Shared by the registry, simulator and node tests.

export { SAMPLE_URL, sampleValue } from '../../nodes/shared/families/examples';

let cachedProperties: INodeProperties[] | undefined;
const properties = () => (cachedProperties ??= buildModelProperties());

/**
 * Whether the editor shows a generated property for a model: its `show` lists the model, or its `hide`
 * does not (`key`: "model", or "/model" inside a collection).
 */
export function shownFor(property: INodeProperties, modelId: string, key = 'model'): boolean {
	const show = property.displayOptions?.show?.[key] as string[] | undefined;
	const hide = property.displayOptions?.hide?.[key] as string[] | undefined;
	if (show) return show.includes(modelId);
	if (hide) return !hide.includes(modelId);
	return false;
}

/** The property `name` of a model (not the notice that keeps the value of another model's setting). */
export function modelProperty(name: string, modelId: string): INodeProperties | undefined {
	return properties().find(
		(property) => property.name === name && property.type !== 'notice' && property.type !== 'hidden' && shownFor(property, modelId),
	);
}

/** Parameter values as the editor holds them for a model: every property of the model at its default. */
export function editorDefaults(modelId: string): Record<string, unknown> {
	const values: Record<string, unknown> = {};
	for (const property of properties()) {
		if (property.type === 'notice' || property.type === 'hidden' || !shownFor(property, modelId)) continue;
		values[property.name] = property.name === ADDITIONAL_FIELDS_PARAM ? {} : property.default;
	}
	return values;
}

/** The parameter value that makes the node send `value` for the field. */
export function asParameter(field: ModelField, value: unknown): unknown {
	if (field.type === 'object' || (field.type === 'array' && field.itemsType === 'object')) return JSON.stringify(value);
	if (field.type === 'array' && Array.isArray(value)) return value.join('\n');
	return value;
}

/**
 * The editor's values for a model with a prompt and every required field filled in (defaults where the
 * model has them, sample values otherwise), plus `overrides`.
 */
export function requiredValues(model: ModelDefinition, overrides: Record<string, unknown> = {}): Record<string, unknown> {
	const values = editorDefaults(model.id);
	const additional: Record<string, unknown> = { ...((values[ADDITIONAL_FIELDS_PARAM] as object | undefined) ?? {}) };
	for (const field of model.fields) {
		const param = paramName(model, field);
		if (param === 'prompt' && field.type === 'string') {
			values[param] = 'a red fox in the snow';
			continue;
		}
		if (!field.required) continue;
		const current = values[param];
		if (current !== undefined && current !== '' && current !== null && !(field.type === 'array' && current === '[]')) continue;
		const value = asParameter(field, sampleValue(field));
		if (isAdditionalField(field)) additional[param] = value;
		else values[param] = value;
	}
	// A rule "at least one of" (MiniMax H3 image-to-video: a first or last frame) is met with the first field.
	for (const group of model.requireOneOf ?? []) {
		const fields = group.map((key) => model.fields.find((field) => field.name === key)).filter((field): field is ModelField => field !== undefined);
		const set = (field: ModelField) => ![undefined, '', null].includes(values[paramName(model, field)] as never);
		if (fields.length && !fields.some(set)) values[paramName(model, fields[0])] = asParameter(fields[0], sampleValue(fields[0]));
	}
	if (Object.keys(additional).length) values[ADDITIONAL_FIELDS_PARAM] = additional;
	return { ...values, ...overrides };
}

/** The KIE input the node sends for the editor values. */
export function inputFrom(model: ModelDefinition, values: Record<string, unknown>) {
	return collectModelInput(model, (param) => values[param] ?? null);
}
