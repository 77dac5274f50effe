import type { IDataObject } from 'n8n-workflow';

import { getFamily, withCreatePath } from './index';
import { paramName } from '../registry';
import { isAdditionalField } from '../registry/properties';
import type { ModelDefinition, ModelField } from '../registry/types';

/**
 * Example requests of the registry's models, for docs/models.md and the tests that send each one to the
 * simulator: what KIE Create Task sends for a model when the user fills in only what is required (a sample
 * value for each required field, each field's default where it has one), in the model's family's body.
 */

export const SAMPLE_URL = 'https://example.com/sample.png';
export const SAMPLE_PROMPT = 'a red fox in the snow';
/** What the node puts in `callBackUrl` for a family that requires one (its own webhook URL). */
export const SAMPLE_CALLBACK_URL = 'https://your-n8n.example.com/webhook/…';

/** A valid sample value for one field, as the KIE input holds it (an expression default is not a value). */
export function sampleValue(field: ModelField): unknown {
	if (field.default !== undefined && !(typeof field.default === 'string' && field.default.startsWith('='))) return field.default;
	if (field.enum) return field.enum[0];
	switch (field.type) {
		case 'string': {
			if (field.format === 'uri') return SAMPLE_URL;
			const text = field.name.toLowerCase().includes('prompt') ? SAMPLE_PROMPT : 'sample';
			return field.maxLength !== undefined ? text.slice(0, field.maxLength) : text;
		}
		case 'number':
		case 'integer': {
			const value = field.min ?? Math.min(1, field.max ?? 1);
			return field.type === 'integer' ? Math.ceil(value) : value;
		}
		case 'boolean':
			return false;
		case 'object':
			return { key: 'sample' };
		case 'array': {
			const count = Math.max(1, field.minItems ?? 1);
			const item = (index: number): unknown => {
				if (field.itemsType === 'object') {
					return Object.fromEntries((field.itemProperties ?? ['key']).map((key) => [key, `sample ${index}`]));
				}
				if (field.itemsType === 'number' || field.itemsType === 'integer') return index + 1;
				return field.format === 'uri' ? `https://example.com/sample-${index}.png` : `sample-${index}`;
			};
			return Array.from({ length: count }, (_, index) => item(index));
		}
	}
}

/** The example input of a model (KIE keys): required fields and fields with a default, shown ones only. */
export function exampleInput(model: ModelDefinition): Record<string, unknown> {
	const byParam: Record<string, unknown> = {};
	const wanted = (field: ModelField) =>
		!isAdditionalField(field) &&
		(field.required || (field.default !== undefined && !(typeof field.default === 'string' && field.default.startsWith('='))) || paramName(model, field) === 'prompt');
	for (const field of model.fields) if (wanted(field)) byParam[paramName(model, field)] = sampleValue(field);
	const input: Record<string, unknown> = {};
	for (const field of model.fields) {
		const param = paramName(model, field);
		if (!(param in byParam)) continue;
		const shown = Object.entries(field.showWhen ?? {}).every(([other, values]) => values.includes(byParam[other] as never));
		if (shown) input[field.name] = byParam[param];
	}
	// A rule "at least one of" is met with the first field of the group.
	for (const group of model.requireOneOf ?? []) {
		if (group.some((key) => input[key] !== undefined)) continue;
		const field = model.fields.find((candidate) => candidate.name === group[0]);
		if (field) input[field.name] = sampleValue(field);
	}
	// In the model's field order, as the node sends them.
	return Object.fromEntries(model.fields.filter((field) => field.name in input).map((field) => [field.name, input[field.name]]));
}

/** The request KIE receives for the example input: method, path and body. */
export function exampleRequest(model: ModelDefinition): { method: string; path: string; body: IDataObject } {
	const family = withCreatePath(getFamily(model.api), model.createPath);
	const callBackUrl = family.requiresCallBackUrl ? SAMPLE_CALLBACK_URL : undefined;
	return { method: family.createMethod ?? 'POST', path: family.createPath, body: family.buildCreateBody(model, exampleInput(model), callBackUrl) };
}
