import { labelOf } from './index';
import type { FieldType, FieldValue, ModelDefinition, ModelField, ModelKind, ModelMedia } from './types';

/**
 * A model's input fields from KIE's live schema (`GET /api/v1/models/{model}/schema`, an OpenAPI 3.1
 * document; kie-api.md §7): the `input` object of the `createTask` request body. Tolerates what KIE's
 * documents do: `$ref`s that are not inlined, component keys percent-encoded or padded with spaces,
 * `oneOf` / `anyOf` / `allOf` variants, OpenAPI 3.1 type lists (`["string", "null"]`), and string enums
 * of numbers (kept as strings: KIE wants `"5"`, not `5`).
 */

type Json = Record<string, unknown>;

/** The live model, or why its schema gives no fields (said to the user, who then uses Additional Input). */
export type LiveSchemaResult = { model: ModelDefinition } | { reason: string };

export interface LiveModelInfo {
	displayName?: string;
	provider?: string;
	kind?: ModelKind;
	media?: ModelMedia;
}

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

/** A component key or JSON-pointer segment as compared: unescaped, percent-decoded (when valid), trimmed. */
function normalKey(raw: string): string {
	const unescaped = raw.replace(/~1/g, '/').replace(/~0/g, '~');
	try {
		return decodeURIComponent(unescaped).trim();
	} catch {
		return unescaped.trim();
	}
}

/** Follows a local `$ref` (`#/components/schemas/…`), matching keys the quirk-tolerant way. */
function resolvePointer(doc: Json, ref: string): Json | undefined {
	if (!ref.startsWith('#/')) return undefined;
	let node: unknown = doc;
	for (const segment of ref.slice(2).split('/').map(normalKey)) {
		if (!isObject(node)) return undefined;
		if (Object.prototype.hasOwnProperty.call(node, segment)) {
			node = node[segment];
			continue;
		}
		const key = Object.keys(node).find((candidate) => normalKey(candidate) === segment);
		if (key === undefined) return undefined;
		node = node[key];
	}
	return isObject(node) ? node : undefined;
}

/** A schema with its `$ref` chain resolved (keywords beside the `$ref` win); undefined on a cycle or a dangling ref. */
function deref(doc: Json, schema: unknown, seen: Set<string> = new Set()): Json | undefined {
	let current: unknown = schema;
	while (isObject(current) && typeof current.$ref === 'string') {
		const ref = current.$ref;
		if (seen.has(ref) || seen.size > 32) return undefined;
		seen.add(ref);
		const target = resolvePointer(doc, ref);
		if (!target) return undefined;
		const siblings = Object.fromEntries(Object.entries(current).filter(([key]) => key !== '$ref'));
		current = { ...target, ...siblings };
	}
	return isObject(current) ? current : undefined;
}

interface ObjectShape {
	properties: Map<string, unknown>;
	required: Set<string>;
}

/**
 * The properties of an object schema, with `allOf` merged, and `oneOf` / `anyOf` variants united: every
 * property of any variant is a field, required only when every variant requires it.
 */
function objectShape(doc: Json, schema: unknown, depth = 0): ObjectShape | undefined {
	const resolved = deref(doc, schema);
	if (!resolved || depth > 8) return undefined;
	const shape: ObjectShape = { properties: new Map(), required: new Set() };
	const addProperties = (from: ObjectShape) => {
		for (const [name, property] of from.properties) if (!shape.properties.has(name)) shape.properties.set(name, property);
	};
	if (isObject(resolved.properties)) for (const [name, property] of Object.entries(resolved.properties)) shape.properties.set(name, property);
	if (Array.isArray(resolved.required)) for (const name of resolved.required) if (typeof name === 'string') shape.required.add(name);
	for (const part of Array.isArray(resolved.allOf) ? resolved.allOf : []) {
		const sub = objectShape(doc, part, depth + 1);
		if (!sub) continue;
		addProperties(sub);
		for (const name of sub.required) shape.required.add(name);
	}
	const variants = (Array.isArray(resolved.oneOf) ? resolved.oneOf : Array.isArray(resolved.anyOf) ? resolved.anyOf : [])
		.map((variant) => objectShape(doc, variant, depth + 1))
		.filter((variant): variant is ObjectShape => variant !== undefined && variant.properties.size > 0);
	if (variants.length) {
		for (const variant of variants) addProperties(variant);
		const everyVariant = [...variants[0].required].filter((name) => variants.every((variant) => variant.required.has(name)));
		for (const name of everyVariant) shape.required.add(name);
	}
	return shape;
}

/** The first POST operation's JSON request schema: `createTask` when present. */
function requestSchema(doc: Json): Json | undefined {
	const paths = isObject(doc.paths) ? doc.paths : {};
	const operations = Object.entries(paths)
		.map(([path, item]) => ({ path, post: isObject(item) ? deref(doc, item.post) : undefined }))
		.filter((entry): entry is { path: string; post: Json } => entry.post !== undefined && entry.post.requestBody !== undefined);
	const operation = operations.find((entry) => entry.path.endsWith('/jobs/createTask')) ?? operations[0];
	if (!operation) return undefined;
	const body = deref(doc, operation.post.requestBody);
	const content = body && isObject(body.content) ? body.content : undefined;
	if (!content) return undefined;
	const media = content['application/json'] ?? Object.values(content)[0];
	return isObject(media) ? deref(doc, media.schema) : undefined;
}

const TYPES: FieldType[] = ['string', 'number', 'integer', 'boolean', 'array', 'object'];

function typesOf(doc: Json, schema: Json): string[] {
	const declared = Array.isArray(schema.type) ? schema.type : schema.type !== undefined ? [schema.type] : [];
	const types = declared.filter((type): type is string => typeof type === 'string' && type !== 'null');
	if (types.length) return types;
	for (const variant of [...(Array.isArray(schema.oneOf) ? schema.oneOf : []), ...(Array.isArray(schema.anyOf) ? schema.anyOf : [])]) {
		const resolved = deref(doc, variant);
		if (resolved) {
			const inner = typesOf(doc, resolved);
			if (inner.length) return inner;
		}
	}
	const sample = Array.isArray(schema.enum) ? schema.enum.find((value) => value !== null) : schema.const;
	if (typeof sample === 'number') return [Number.isInteger(sample) ? 'integer' : 'number'];
	if (typeof sample === 'boolean') return ['boolean'];
	return ['string'];
}

const isFieldValue = (value: unknown): value is FieldValue =>
	typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';

const numberOf = (value: unknown): number | undefined => (typeof value === 'number' && Number.isFinite(value) ? value : undefined);

function fieldFrom(doc: Json, name: string, property: unknown, required: boolean): ModelField {
	const schema = deref(doc, property) ?? {};
	const declared = typesOf(doc, schema)[0];
	const type: FieldType = TYPES.includes(declared as FieldType) ? (declared as FieldType) : 'string';
	const values = Array.isArray(schema.enum) ? schema.enum : schema.const !== undefined ? [schema.const] : undefined;
	const field: ModelField = {
		name,
		// The resource mapper's field id is the KIE key; errors name it as the parameter.
		param: name,
		label: labelOf(name),
		type,
		description: typeof schema.description === 'string' ? schema.description : typeof schema.title === 'string' ? schema.title : '',
	};
	if (required) field.required = true;
	const allowed = values?.filter(isFieldValue);
	if (allowed?.length) field.enum = allowed;
	if (isFieldValue(schema.default)) field.default = schema.default;
	const min = numberOf(schema.minimum) ?? numberOf(schema.exclusiveMinimum);
	const max = numberOf(schema.maximum) ?? numberOf(schema.exclusiveMaximum);
	if (min !== undefined) field.min = min;
	if (max !== undefined) field.max = max;
	if (numberOf(schema.maxLength) !== undefined) field.maxLength = schema.maxLength as number;
	if (numberOf(schema.minItems) !== undefined) field.minItems = schema.minItems as number;
	if (numberOf(schema.maxItems) !== undefined) field.maxItems = schema.maxItems as number;
	const isUri = (format: unknown) => format === 'uri' || format === 'url' || format === 'uri-reference';
	if (type === 'array') {
		const items = deref(doc, schema.items);
		if (items) {
			const itemType = typesOf(doc, items)[0];
			field.itemsType = itemType === 'number' || itemType === 'integer' || itemType === 'object' ? itemType : 'string';
			if (isUri(items.format)) field.format = 'uri';
			if (field.itemsType === 'object' && isObject(items.properties)) field.itemProperties = Object.keys(items.properties);
		} else {
			field.itemsType = 'string';
		}
	} else if (type === 'string' && isUri(schema.format)) {
		field.format = 'uri';
	}
	return field;
}

/**
 * The model definition KIE's live schema gives (`openapi` as `GET …/schema` answered it), or why there is
 * none: `null` (not synced yet), no request body, no `input` fields.
 */
export function modelFromLiveSchema(modelId: string, openapi: unknown, info: LiveModelInfo = {}): LiveSchemaResult {
	if (openapi === null || openapi === undefined) return { reason: 'KIE has not published a schema for this model yet (its schema is null)' };
	if (!isObject(openapi)) return { reason: 'KIE\'s schema for this model is not an OpenAPI document' };
	const request = requestSchema(openapi);
	if (!request) return { reason: 'KIE\'s schema for this model has no request body to read its input from' };
	const requestShape = objectShape(openapi, request);
	const inputSchema = requestShape?.properties.get('input');
	const input = inputSchema === undefined ? undefined : objectShape(openapi, inputSchema);
	if (!input || input.properties.size === 0) return { reason: 'KIE\'s schema for this model lists no input fields' };
	const fields = [...input.properties].map(([name, property]) => fieldFrom(openapi, name, property, input.required.has(name)));
	return { model: liveModelDefinition(modelId, fields, info) };
}

/** A Market model that is not built in, with `fields` (from KIE's live schema, or from the editor's stored fields). */
export function liveModelDefinition(modelId: string, fields: ModelField[], info: LiveModelInfo = {}): ModelDefinition {
	return {
		id: modelId,
		displayName: info.displayName ?? modelId,
		family: 'Live',
		provider: info.provider ?? modelId.split('/')[0],
		kind: info.kind ?? 'other',
		media: info.media ?? 'image',
		api: 'market',
		fields,
	};
}

/**
 * What KIE's live schema says against a built-in model, for the values an item sends (`input`): a field KIE
 * requires that the registry does not know, or a chosen value KIE's enum no longer lists. Never a reason to
 * refuse a request the registry considers valid: the caller shows these as a warning.
 */
export function schemaDrift(builtIn: ModelDefinition, live: ModelDefinition, input: Record<string, unknown>): string[] {
	const notes: string[] = [];
	const known = new Set(builtIn.fields.map((field) => field.name));
	for (const field of live.fields) {
		if (field.required && !known.has(field.name) && input[field.name] === undefined) {
			notes.push(`KIE's schema now requires "${field.name}", which this node does not know: set it in Options → Additional Input (JSON) if KIE refuses the task`);
		}
		const value = input[field.name];
		if (field.enum && value !== undefined && isFieldValue(value) && !field.enum.includes(value)) {
			notes.push(`KIE's schema no longer lists ${JSON.stringify(value)} for "${field.name}" (it lists ${field.enum.map((entry) => JSON.stringify(entry)).join(', ')})`);
		}
	}
	return notes;
}

/**
 * Every difference between a built-in model and KIE's live schema of it, for maintainers updating the
 * registry (scripts/diff-live-schemas.mjs): fields only one side has, and, for fields both have, the
 * required marker, type and allowed values.
 */
export function registryDiff(builtIn: ModelDefinition, live: ModelDefinition): string[] {
	const differences: string[] = [];
	const ours = new Map(builtIn.fields.map((field) => [field.name, field]));
	const theirs = new Map(live.fields.map((field) => [field.name, field]));
	const list = (values: FieldValue[] | undefined) => (values ?? []).map((value) => JSON.stringify(value)).join(', ');
	for (const [name, field] of theirs) {
		const own = ours.get(name);
		if (!own) {
			differences.push(`KIE has ${field.required ? 'required ' : ''}field "${name}" (${field.type}${field.enum ? `: ${list(field.enum)}` : ''}), the registry does not`);
			continue;
		}
		if ((own.required === true) !== (field.required === true)) differences.push(`"${name}": KIE ${field.required ? 'requires it' : 'does not require it'}, the registry ${own.required ? 'does' : 'does not'}`);
		const sameType = own.type === field.type || (['number', 'integer'].includes(own.type) && ['number', 'integer'].includes(field.type));
		if (!sameType) differences.push(`"${name}": KIE's type is ${field.type}, the registry's ${own.type}`);
		const added = (field.enum ?? []).filter((value) => own.enum && !own.enum.includes(value));
		const removed = (own.enum ?? []).filter((value) => field.enum && !field.enum.includes(value));
		if (added.length) differences.push(`"${name}": KIE also allows ${list(added)}`);
		if (removed.length) differences.push(`"${name}": KIE no longer allows ${list(removed)}`);
	}
	for (const name of ours.keys()) if (!theirs.has(name)) differences.push(`the registry has field "${name}", KIE's schema does not`);
	return differences;
}
