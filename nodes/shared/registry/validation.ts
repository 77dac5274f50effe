import { z } from 'zod';

import { fieldDisplayName, paramName } from './index';
import { ADDITIONAL_FIELDS_PARAM, effectiveDefault, isAdditionalField, MODEL_DEFAULT_OPTION } from './properties';
import { matchEnumValue } from './settings';
import type { ModelDefinition, ModelField } from './types';

export interface ValidationIssue {
	/** The KIE key, e.g. `aspect_ratio`. */
	field: string;
	/** The n8n parameter, e.g. `aspectRatio`. */
	param: string;
	displayName: string;
	message: string;
}

/** Splits a comma- or newline-separated list, or takes an array from an expression. */
export function parseList(value: unknown): string[] {
	const parts = Array.isArray(value) ? value : typeof value === 'string' ? value.split(/[\n,]+/) : [value];
	return parts
		.filter((part) => part !== undefined && part !== null)
		.map((part) => String(part).trim())
		.filter((part) => part.length > 0);
}

function isHttpUrl(value: string): boolean {
	try {
		const url = new URL(value);
		return url.protocol === 'http:' || url.protocol === 'https:';
	} catch {
		return false;
	}
}

const list = (values: unknown[]) => values.map((value) => String(value)).join(', ');

function fieldSchema(field: ModelField): z.ZodTypeAny {
	const typeName = field.type === 'array' ? 'a list' : field.type === 'integer' ? 'a whole number' : `a ${field.type}`;
	const invalid = { invalid_type_error: `must be ${typeName}`, required_error: 'is required' };
	if (field.enum) {
		const allowed = field.enum;
		return z.any().refine((value) => allowed.includes(value as never), {
			message: `must be one of ${list(allowed)}`,
		});
	}
	switch (field.type) {
		case 'string': {
			let schema = z.string(invalid);
			if (field.maxLength !== undefined) {
				schema = schema.max(field.maxLength, `must be at most ${field.maxLength} characters`);
			}
			if (field.format === 'uri') {
				return schema.refine(isHttpUrl, { message: 'must be an http(s) URL' });
			}
			return schema;
		}
		case 'integer':
		case 'number': {
			let schema = z.number(invalid);
			if (field.type === 'integer') schema = schema.int('must be a whole number');
			if (field.min !== undefined) schema = schema.min(field.min, `must be at least ${field.min}`);
			if (field.max !== undefined) schema = schema.max(field.max, `must be at most ${field.max}`);
			return schema;
		}
		case 'boolean':
			return z.boolean(invalid);
		case 'array': {
			let item: z.ZodTypeAny =
				field.itemsType === 'number' || field.itemsType === 'integer'
					? z.number()
					: field.itemsType === 'object'
						? z.record(z.unknown())
						: z.string();
			if (field.format === 'uri') {
				item = z.string().refine(isHttpUrl, { message: 'must hold only http(s) URLs' });
			}
			let schema = z.array(item, invalid);
			if (field.minItems !== undefined) {
				schema = schema.min(field.minItems, `needs at least ${field.minItems} item${field.minItems === 1 ? '' : 's'}`);
			}
			if (field.maxItems !== undefined) {
				schema = schema.max(field.maxItems, `takes at most ${field.maxItems} item${field.maxItems === 1 ? '' : 's'}`);
			}
			return schema;
		}
		default:
			return z.record(z.unknown(), invalid);
	}
}

/**
 * A key's own value, never one of Object.prototype's (`constructor`, `toString`…): field names come from
 * KIE's live schema, so any name is possible.
 */
export function ownValue(object: object | null | undefined, key: string): unknown {
	return object && Object.prototype.hasOwnProperty.call(object, key) ? (object as Record<string, unknown>)[key] : undefined;
}

/** Sets `key` as an own property, even `__proto__` (an assignment would call its setter instead). */
function setOwn<T>(object: Record<string, T>, key: string, value: T): void {
	Object.defineProperty(object, key, { value, enumerable: true, writable: true, configurable: true });
}

const schemaCache = new WeakMap<ModelDefinition, z.ZodTypeAny>();

/** The zod schema of a model's `input`, built from its registry definition. Unknown keys pass through. */
function inputSchema(model: ModelDefinition): z.ZodTypeAny {
	const cached = schemaCache.get(model);
	if (cached) return cached;
	const shape: Record<string, z.ZodTypeAny> = {};
	for (const field of model.fields) {
		const schema = fieldSchema(field);
		setOwn(shape, field.name, field.required ? schema : schema.optional());
	}
	const groups = model.requireOneOf ?? [];
	const schema = z
		.object(shape)
		.passthrough()
		.superRefine((input, ctx) => {
			for (const group of groups) {
				if (!group.some((key) => input[key] !== undefined)) {
					const others = group.slice(1).map((key) => {
						const field = model.fields.find((candidate) => candidate.name === key);
						return field ? `"${fieldDisplayName(model, field)}" (sent as "${key}")` : `"${key}"`;
					});
					ctx.addIssue({ code: z.ZodIssueCode.custom, path: [group[0]], message: `is required unless ${others.join(' or ')} is set` });
				}
			}
		});
	schemaCache.set(model, schema);
	return schema;
}

/** The fields that apply given the other parameter values (`showWhen`). */
function activeFields(model: ModelDefinition, getParam: (param: string) => unknown): ModelField[] {
	return model.fields.filter((field) =>
		Object.entries(field.showWhen ?? {}).every(([param, values]) => values.includes(getParam(param) as never)),
	);
}

/**
 * Reads a model's parameters into a KIE `input` object: lists are split, "Model Default" and empty
 * values are left out. Returns the input and any parse issues (such as invalid JSON).
 */
export function collectModelInput(
	model: ModelDefinition,
	getParam: (param: string) => unknown,
): { input: Record<string, unknown>; issues: ValidationIssue[] } {
	const input: Record<string, unknown> = {};
	const issues: ValidationIssue[] = [];
	let additional: Record<string, unknown> | undefined;
	const read = (field: ModelField) => {
		if (!isAdditionalField(field)) return getParam(paramName(model, field));
		additional ??= (getParam(ADDITIONAL_FIELDS_PARAM) as Record<string, unknown> | null) ?? {};
		return ownValue(additional, paramName(model, field));
	};
	for (const field of activeFields(model, getParam)) {
		let value = read(field);
		if (value === undefined || value === null) continue;
		if (value === MODEL_DEFAULT_OPTION && (field.enum || field.type === 'number' || field.type === 'integer')) {
			// "Default" (or an empty number): the model's own default, or nothing when KIE chooses.
			value = effectiveDefault(field);
			if (value === undefined) continue;
		}
		if (field.enum) {
			// A value kept from another model, in that model's spelling ("4K" for "4k", "5" for 5).
			value = matchEnumValue(field, value);
		} else if ((field.type === 'number' || field.type === 'integer') && typeof value === 'string' && /^\s*-?\d+(\.\d+)?\s*$/.test(value)) {
			value = Number(value);
		}
		if (field.type === 'array' && field.itemsType !== 'object') {
			value = parseList(value);
			if ((value as string[]).length === 0) continue;
		} else if (field.type === 'object' || field.type === 'array') {
			if (typeof value === 'string') {
				if (value.trim() === '') continue;
				try {
					value = JSON.parse(value);
				} catch {
					issues.push(issueFor(model, field, 'must be valid JSON'));
					continue;
				}
			}
			// An empty optional list or object is the editor's placeholder, not a value.
			if (!field.required && isEmptyJson(value)) continue;
		} else if (field.type === 'string' && field.name === model.imageField) {
			// The shared "Input URLs" parameter may hold a list; this model takes exactly one URL.
			const urls = parseList(value);
			if (urls.length === 0) continue;
			if (urls.length > 1) {
				issues.push(issueFor(model, field, `takes one URL (got ${urls.length})`));
				continue;
			}
			value = urls[0];
		} else if (typeof value === 'string' && field.type === 'string' && value.trim() === '') {
			continue;
		}
		setOwn(input, field.name, value);
	}
	return { input, issues };
}

function isEmptyJson(value: unknown): boolean {
	if (Array.isArray(value)) return value.length === 0;
	return value !== null && typeof value === 'object' && Object.keys(value).length === 0;
}

function issueFor(model: ModelDefinition, field: ModelField, message: string): ValidationIssue {
	return { field: field.name, param: paramName(model, field), displayName: fieldDisplayName(model, field), message };
}

/** Checks an input object against the model. An empty list means it is valid. */
export function validateModelInput(model: ModelDefinition, input: Record<string, unknown>): ValidationIssue[] {
	// Without a prototype: zod reads every field by name, and `constructor` must not find Object's.
	const result = inputSchema(model).safeParse(Object.assign(Object.create(null) as Record<string, unknown>, input));
	if (result.success) return [];
	return result.error.issues.map((issue) => {
		const key = String(issue.path[0] ?? '');
		const field = model.fields.find((candidate) => candidate.name === key);
		if (!field) return { field: key, param: key, displayName: key, message: issue.message };
		const value = ownValue(input, key);
		if (value === undefined) return issueFor(model, field, issue.message.startsWith('is required') ? issue.message : 'is required');
		let message = issue.message;
		if (Array.isArray(value) && field.maxItems !== undefined && value.length > field.maxItems) {
			message += ` (got ${value.length})`;
		} else if (Array.isArray(value) && issue.path.length > 1) {
			// One item of a list: repeat it.
			message += ` (got ${shown(value[Number(issue.path[1])])})`;
		} else if (!Array.isArray(value)) {
			message += ` (got ${shown(value)})`;
		}
		return issueFor(model, field, message);
	});
}

/** A rejected value as the error repeats it: JSON, cut to 100 characters. */
function shown(value: unknown): string {
	const text = JSON.stringify(value) ?? String(value);
	return text.length > 100 ? `${text.slice(0, 100)}…` : text;
}

export function formatIssue(issue: ValidationIssue): string {
	const kieKey = issue.param === issue.field ? '' : `, sent as "${issue.field}"`;
	return `"${issue.displayName}" (parameter "${issue.param}"${kieKey}) ${issue.message}`;
}
