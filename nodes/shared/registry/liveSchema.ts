import { LIVE_ONLY } from './availability';
import { getModel, labelOf } from './index';
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

/**
 * How much of a live schema is read. KIE's documents are a few KB; a document over a budget gives a
 * reason (the editor shows it, the user gives the input in Additional Input) instead of a stall: the
 * reader runs on n8n's event loop when the editor loads the fields and on every run.
 */
export interface LiveSchemaBudgets {
	/** The longest document read, in characters of its JSON text (see jsonTextLength). */
	maxDocumentChars: number;
	/** The most schema nodes visited: each schema, `$ref` step, property, variant, required name and enum value read counts one. */
	maxNodes: number;
	/** The most input fields (and the most properties of any one object schema). */
	maxFields: number;
	/** The deepest nesting followed: `allOf` / `oneOf` / `anyOf` levels, and the links of one `$ref` chain. */
	maxDepth: number;
}

export const LIVE_SCHEMA_BUDGETS: Readonly<LiveSchemaBudgets> = Object.freeze({
	maxDocumentChars: 1024 * 1024,
	maxNodes: 20_000,
	maxFields: 500,
	maxDepth: 32,
});

/** The longest description kept for a field (the editor repeats it in every allowed value). */
const MAX_DESCRIPTION_CHARS = 1000;

// Built-ins held in module constants: the hot loops below then read no global (slow where globals are
// looked up through an interceptor, as in a vm context).
const isArray = Array.isArray;
const hasOwn = Object.prototype.hasOwnProperty;
const ownKeys = Object.keys;
const isInteger = Number.isInteger;
const isFiniteNumber = Number.isFinite;
const toText = String;

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !isArray(value);

/** An own property only: a schema keyword or key is never read from a prototype (`constructor`, `__proto__`…). */
const own = (object: Json, key: string): unknown => (hasOwn.call(object, key) ? object[key] : undefined);

const thousands = (count: number): string => String(count).replace(/\B(?=(\d{3})+$)/g, ',');

/** A budget the document is over, named for the user: "1 MB of JSON", "20,000 schema nodes". */
class OverBudget extends Error {
	constructor(readonly budget: string) {
		super(`over the budget of ${budget}`);
	}
}

/** The JSON length of a number: digits counted for integers, as JSON.stringify writes it otherwise. */
function numberLength(value: number): number {
	if (isInteger(value) && value > -1e15 && value < 1e15) {
		let length = value < 0 ? 2 : 1;
		for (let rest = value < 0 ? -value : value; rest >= 10; rest = (rest - (rest % 10)) / 10) length++;
		return length;
	}
	return isFiniteNumber(value) ? toText(value).length : 4;
}

/** What a value adds to JSON text when it is not an object or array: its length, -1 for an object or array, -2 when JSON.stringify leaves it out. */
function scalarLength(value: unknown): number {
	switch (typeof value) {
		case 'string':
			return value.length + 2;
		case 'number':
			return numberLength(value);
		case 'boolean':
			return value ? 4 : 5;
		case 'object':
			return value === null ? 4 : -1;
		default:
			return -2;
	}
}

/**
 * About the length of `JSON.stringify(value)` (exact for what JSON.parse gives, but for escaped characters
 * in strings), counted without building the text and without recursion. Counting stops as soon as it passes
 * `limit` (the answer is then some number over it), so a huge or cyclic value costs about `limit` steps at
 * most. Never throws on parsed JSON (a getter that throws still throws).
 */
export function jsonTextLength(value: unknown, limit = Number.POSITIVE_INFINITY): number {
	const first = scalarLength(value);
	if (first !== -1) return Math.max(first, 0);
	let total = 0;
	const stack: object[] = [value as object];
	while (stack.length > 0) {
		const next = stack.pop() as object;
		if (isArray(next)) {
			// Brackets and commas; undefined and functions are written as null.
			total += 1 + (next.length || 1);
			for (let index = 0; index < next.length && total <= limit; index++) {
				const item: unknown = next[index];
				const length = scalarLength(item);
				if (length >= 0) total += length;
				else if (length === -1) stack.push(item as object);
				else total += 4;
			}
		} else {
			let written = 0;
			for (const key in next) {
				if (!hasOwn.call(next, key)) continue;
				const item: unknown = (next as Json)[key];
				const length = scalarLength(item);
				if (length === -2) continue;
				// "key": and a comma.
				total += key.length + 4;
				written++;
				if (length >= 0) total += length;
				else stack.push(item as object);
				if (total > limit) break;
			}
			total += written ? 1 : 2;
		}
		if (total > limit) return total;
	}
	return total;
}

/** A component key or JSON-pointer segment as compared: unescaped, percent-decoded (when valid), trimmed. */
function normalKey(raw: string): string {
	if (raw.indexOf('~') < 0 && raw.indexOf('%') < 0) return raw.trim();
	const unescaped = raw.replace(/~1/g, '/').replace(/~0/g, '~');
	try {
		return decodeURIComponent(unescaped).trim();
	} catch {
		return unescaped.trim();
	}
}

interface ObjectShape {
	properties: Map<string, unknown>;
	required: Set<string>;
}

/**
 * One read of one document, within the budgets: every `$ref` resolved once (memoised), every schema's
 * `$ref` chain followed once, cycles stopped (an `allOf` / `oneOf` / `anyOf` / type lookup that comes back
 * to a schema it is inside of stops there), and an OverBudget thrown past a budget.
 */
class SchemaReader {
	private steps = 0;
	/** Each `$ref` string's target (null: dangling). */
	private readonly pointers = new Map<string, Json | null>();
	/** Each schema object with its `$ref` chain resolved (null: dangling or circular). */
	private readonly resolved = new Map<object, Json | null>();
	/** Each object's keys by their normal form (first key wins), built once when a `$ref` needs it. */
	private readonly normalKeys = new Map<object, Map<string, string>>();
	/** The schemas whose shape, or whose type, is being read: a schema met again inside itself is a cycle. */
	private readonly shaping = new Set<object>();
	private readonly typing = new Set<object>();

	constructor(
		private readonly doc: Json,
		private readonly budgets: LiveSchemaBudgets,
	) {}

	/** Counts `count` nodes against the budget. */
	step(count = 1): void {
		this.steps += count;
		if (this.steps > this.budgets.maxNodes) throw new OverBudget(`${thousands(this.budgets.maxNodes)} schema nodes`);
	}

	private deeper(depth: number): void {
		if (depth > this.budgets.maxDepth) throw new OverBudget(`${thousands(this.budgets.maxDepth)} levels of nesting`);
	}

	private fields(count: number): void {
		if (count > this.budgets.maxFields) throw new OverBudget(`${thousands(this.budgets.maxFields)} fields`);
	}

	/** Follows a local `$ref` (`#/components/schemas/…`), matching keys the quirk-tolerant way. */
	private pointer(ref: string): Json | undefined {
		const known = this.pointers.get(ref);
		if (known !== undefined) return known ?? undefined;
		let target: Json | undefined;
		if (ref.startsWith('#/')) {
			const segments = ref.slice(2).split('/', this.budgets.maxDepth + 1);
			if (segments.length > this.budgets.maxDepth) this.deeper(segments.length);
			this.step(segments.length);
			let node: unknown = this.doc;
			for (const segment of segments.map(normalKey)) {
				if (!isObject(node)) {
					node = undefined;
					break;
				}
				if (hasOwn.call(node, segment)) {
					node = node[segment];
					continue;
				}
				const key = this.keysOf(node).get(segment);
				node = key === undefined ? undefined : node[key];
			}
			target = isObject(node) ? node : undefined;
		}
		this.pointers.set(ref, target ?? null);
		return target;
	}

	private keysOf(node: Json): Map<string, string> {
		let keys = this.normalKeys.get(node);
		if (!keys) {
			const raw = ownKeys(node);
			this.step(raw.length);
			keys = new Map();
			for (const key of raw) {
				const normal = normalKey(key);
				if (!keys.has(normal)) keys.set(normal, key);
			}
			this.normalKeys.set(node, keys);
		}
		return keys;
	}

	/** A schema with its `$ref` chain resolved (keywords beside the `$ref` win); undefined on a cycle or a dangling ref. */
	deref(schema: unknown): Json | undefined {
		if (!isObject(schema)) return undefined;
		if (typeof own(schema, '$ref') !== 'string') return schema;
		const known = this.resolved.get(schema);
		if (known !== undefined) return known ?? undefined;
		const seen = new Set<string>();
		let current: Json | undefined = schema;
		while (current && typeof own(current, '$ref') === 'string') {
			const ref = current.$ref as string;
			this.step();
			if (seen.has(ref)) {
				current = undefined;
				break;
			}
			seen.add(ref);
			this.deeper(seen.size);
			const target = this.pointer(ref);
			if (!target) {
				current = undefined;
				break;
			}
			const siblings = ownKeys(current).filter((key) => key !== '$ref');
			if (siblings.length === 0) {
				current = target;
			} else {
				this.step(siblings.length + ownKeys(target).length);
				const merged: Json = { ...target };
				for (const key of siblings) Object.defineProperty(merged, key, { value: current[key], enumerable: true, writable: true, configurable: true });
				current = merged;
			}
		}
		this.resolved.set(schema, current ?? null);
		return current;
	}

	/**
	 * The properties of an object schema, with `allOf` merged, and `oneOf` / `anyOf` variants united: every
	 * property of any variant is a field, required only when every variant requires it.
	 */
	objectShape(schema: unknown, depth = 0): ObjectShape | undefined {
		this.step();
		const resolved = this.deref(schema);
		if (!resolved || this.shaping.has(resolved)) return undefined;
		this.deeper(depth);
		this.shaping.add(resolved);
		try {
			return this.shapeOf(resolved, depth);
		} finally {
			this.shaping.delete(resolved);
		}
	}

	private shapeOf(resolved: Json, depth: number): ObjectShape {
		const shape: ObjectShape = { properties: new Map(), required: new Set() };
		const addProperties = (from: ObjectShape) => {
			this.step(from.properties.size);
			for (const [name, property] of from.properties) if (!shape.properties.has(name)) shape.properties.set(name, property);
			this.fields(shape.properties.size);
		};
		const addRequired = (names: Iterable<string>, count: number) => {
			this.step(count);
			for (const name of names) shape.required.add(name);
		};
		const properties = own(resolved, 'properties');
		if (isObject(properties)) {
			const names = ownKeys(properties);
			this.fields(names.length);
			this.step(names.length);
			for (const name of names) shape.properties.set(name, properties[name]);
		}
		const required = own(resolved, 'required');
		if (isArray(required)) addRequired(required.filter((name): name is string => typeof name === 'string'), required.length);
		const allOf = own(resolved, 'allOf');
		for (const part of isArray(allOf) ? allOf : []) {
			const sub = this.objectShape(part, depth + 1);
			if (!sub) continue;
			addProperties(sub);
			addRequired(sub.required, sub.required.size);
		}
		const oneOf = own(resolved, 'oneOf');
		const anyOf = own(resolved, 'anyOf');
		const variants: ObjectShape[] = [];
		for (const variant of isArray(oneOf) ? oneOf : isArray(anyOf) ? anyOf : []) {
			const sub = this.objectShape(variant, depth + 1);
			if (sub && sub.properties.size > 0) variants.push(sub);
		}
		if (variants.length) {
			for (const variant of variants) addProperties(variant);
			this.step(variants[0].required.size * variants.length);
			const everyVariant = [...variants[0].required].filter((name) => variants.every((variant) => variant.required.has(name)));
			addRequired(everyVariant, everyVariant.length);
		}
		return shape;
	}

	/** The first POST operation's JSON request schema: `createTask` when present. */
	requestSchema(): Json | undefined {
		const paths = own(this.doc, 'paths');
		if (!isObject(paths)) return undefined;
		const names = ownKeys(paths);
		this.step(names.length);
		const operations: Array<{ path: string; post: Json }> = [];
		for (const path of names) {
			const item = paths[path];
			const post = isObject(item) ? this.deref(own(item, 'post')) : undefined;
			if (post && own(post, 'requestBody') !== undefined) operations.push({ path, post });
		}
		const operation = operations.find((entry) => entry.path.endsWith('/jobs/createTask')) ?? operations[0];
		if (!operation) return undefined;
		const body = this.deref(own(operation.post, 'requestBody'));
		const content = body ? own(body, 'content') : undefined;
		if (!isObject(content)) return undefined;
		const media = own(content, 'application/json') ?? Object.values(content)[0];
		return isObject(media) ? this.deref(own(media, 'schema')) : undefined;
	}

	/** The JSON types of a schema (3.1 type lists without "null", then its variants', then its enum's). */
	typesOf(schema: Json, depth = 0): string[] {
		this.step();
		const type = own(schema, 'type');
		const declared = isArray(type) ? type : type !== undefined ? [type] : [];
		this.step(declared.length);
		const types = declared.filter((entry): entry is string => typeof entry === 'string' && entry !== 'null');
		if (types.length) return types;
		// A variant that leads back to this schema says nothing about its type.
		if (this.typing.has(schema)) return [];
		this.deeper(depth);
		this.typing.add(schema);
		try {
			const oneOf = own(schema, 'oneOf');
			const anyOf = own(schema, 'anyOf');
			for (const variant of [...(isArray(oneOf) ? oneOf : []), ...(isArray(anyOf) ? anyOf : [])]) {
				const resolved = this.deref(variant);
				if (resolved) {
					const inner = this.typesOf(resolved, depth + 1);
					if (inner.length) return inner;
				}
			}
		} finally {
			this.typing.delete(schema);
		}
		const values = own(schema, 'enum');
		const sample = isArray(values) ? values.find((value) => value !== null) : own(schema, 'const');
		if (typeof sample === 'number') return [Number.isInteger(sample) ? 'integer' : 'number'];
		if (typeof sample === 'boolean') return ['boolean'];
		return ['string'];
	}

	fieldFrom(name: string, property: unknown, required: boolean): ModelField {
		this.step();
		const schema = this.deref(property) ?? {};
		const declared = this.typesOf(schema)[0];
		const type: FieldType = TYPES.includes(declared as FieldType) ? (declared as FieldType) : 'string';
		const enumValues = own(schema, 'enum');
		const constValue = own(schema, 'const');
		const values = isArray(enumValues) ? enumValues : constValue !== undefined ? [constValue] : undefined;
		if (values) this.step(values.length);
		const description = own(schema, 'description');
		const title = own(schema, 'title');
		const text = typeof description === 'string' ? description : typeof title === 'string' ? title : '';
		const field: ModelField = {
			name,
			// The resource mapper's field id is the KIE key; errors name it as the parameter.
			param: name,
			label: labelOf(name),
			type,
			description: text.length > MAX_DESCRIPTION_CHARS ? `${text.slice(0, MAX_DESCRIPTION_CHARS - 1)}…` : text,
		};
		if (required) field.required = true;
		const allowed = values?.filter(isFieldValue);
		if (allowed?.length) field.enum = allowed;
		const fallback = own(schema, 'default');
		if (isFieldValue(fallback)) field.default = fallback;
		const min = numberOf(own(schema, 'minimum')) ?? numberOf(own(schema, 'exclusiveMinimum'));
		const max = numberOf(own(schema, 'maximum')) ?? numberOf(own(schema, 'exclusiveMaximum'));
		if (min !== undefined) field.min = min;
		if (max !== undefined) field.max = max;
		const maxLength = numberOf(own(schema, 'maxLength'));
		const minItems = numberOf(own(schema, 'minItems'));
		const maxItems = numberOf(own(schema, 'maxItems'));
		if (maxLength !== undefined) field.maxLength = maxLength;
		if (minItems !== undefined) field.minItems = minItems;
		if (maxItems !== undefined) field.maxItems = maxItems;
		const isUri = (format: unknown) => format === 'uri' || format === 'url' || format === 'uri-reference';
		if (type === 'array') {
			const items = this.deref(own(schema, 'items'));
			if (items) {
				const itemType = this.typesOf(items)[0];
				field.itemsType = itemType === 'number' || itemType === 'integer' || itemType === 'object' ? itemType : 'string';
				if (isUri(own(items, 'format'))) field.format = 'uri';
				const itemProperties = own(items, 'properties');
				if (field.itemsType === 'object' && isObject(itemProperties)) {
					const keys = ownKeys(itemProperties);
					this.step(keys.length);
					this.fields(keys.length);
					field.itemProperties = keys;
				}
			} else {
				field.itemsType = 'string';
			}
		} else if (type === 'string' && isUri(own(schema, 'format'))) {
			field.format = 'uri';
		}
		return field;
	}
}

const TYPES: FieldType[] = ['string', 'number', 'integer', 'boolean', 'array', 'object'];

const isFieldValue = (value: unknown): value is FieldValue =>
	typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';

const numberOf = (value: unknown): number | undefined => (typeof value === 'number' && Number.isFinite(value) ? value : undefined);

const TOO_LARGE = 'KIE\'s schema for this model is too large or too deeply nested to read';

function budgetsOf(budgets: Partial<LiveSchemaBudgets>): LiveSchemaBudgets {
	const limits = { ...LIVE_SCHEMA_BUDGETS };
	for (const key of ownKeys(LIVE_SCHEMA_BUDGETS) as Array<keyof LiveSchemaBudgets>) {
		const value = budgets[key];
		if (typeof value === 'number' && value >= 0) limits[key] = value;
	}
	return limits;
}

function readModel(modelId: string, openapi: Json, info: LiveModelInfo, budgets: LiveSchemaBudgets): LiveSchemaResult {
	if (jsonTextLength(openapi, budgets.maxDocumentChars) > budgets.maxDocumentChars) {
		const size = budgets.maxDocumentChars % (1024 * 1024) === 0 ? `${budgets.maxDocumentChars / (1024 * 1024)} MB` : `${thousands(budgets.maxDocumentChars)} characters`;
		throw new OverBudget(`${size} of JSON`);
	}
	const reader = new SchemaReader(openapi, budgets);
	const request = reader.requestSchema();
	if (!request) return { reason: 'KIE\'s schema for this model has no request body to read its input from' };
	const requestShape = reader.objectShape(request);
	const inputSchema = requestShape?.properties.get('input');
	const input = inputSchema === undefined ? undefined : reader.objectShape(inputSchema);
	if (!input || input.properties.size === 0) return { reason: 'KIE\'s schema for this model lists no input fields' };
	const fields = [...input.properties].map(([name, property]) => reader.fieldFrom(name, property, input.required.has(name)));
	const model = liveModelDefinition(modelId, fields, info);
	// Only from KIE's schema (not from the editor's stored fields, which lose URL formats and lists).
	const imageField = liveImageField(fields);
	return { model: imageField ? { ...model, imageField: imageField.name } : model };
}

// -------------------------------------------------------------------------------------------------
// The fields of a live model that take files (KIE Create Task's "Input Images From Binary", "Mask From Binary")
// -------------------------------------------------------------------------------------------------

/** Image fields by name, most specific first: the order the catalogue adapter (models/market.ts) picks in. */
const IMAGE_FIELD_ORDER = ['input_urls', 'image_urls', 'image_url', 'image_input', 'reference_image_urls', 'image', 'first_frame_url', 'first_frame', 'reference_image'];

/** Names that hold a file's URL although they do not end in "url" (as in models/market.ts), and a mask's. */
const URL_NAMES = new Set(['image', 'image_input', 'first_frame', 'reference_image', 'mask', 'mask_image']);

/**
 * A field that takes the URL of a hosted file, or a list of them: KIE's schema says `format: uri` (on the
 * field or on its items), or its name says so (`…_url`, `…_urls`, `…Url`, `…Urls`, `image`, `first_frame`…)
 * and it is a string or a list of strings. Never a callback or webhook URL.
 */
export function isFileUrlField(field: ModelField): boolean {
	if (/call_?back|webhook/i.test(field.name)) return false;
	const strings = field.type === 'string' || (field.type === 'array' && (field.itemsType ?? 'string') === 'string');
	if (!strings) return false;
	return field.format === 'uri' || /urls?$/i.test(field.name) || URL_NAMES.has(field.name.toLowerCase());
}

const isMaskName = (name: string) => /mask/i.test(name);

/** The first required candidate, else the first (the catalogue adapter's rule for built-in models). */
const firstRequired = (candidates: ModelField[]): ModelField | undefined => candidates.find((field) => field.required) ?? candidates[0];

/**
 * The field of a live model that takes input images, chosen the same way every time: among the file-URL
 * fields (isFileUrlField) that are not a mask, those named like an image (the names of IMAGE_FIELD_ORDER
 * first, in that order, then any other whose name says image, frame or photo, or starts with "input", in
 * the schema's order), then those whose name names no other medium (no video, audio, voice, music, sound,
 * file or link); of these, the first required one, else the first. None for a model whose only file
 * fields take videos or audio.
 */
export function liveImageField(fields: ModelField[]): ModelField | undefined {
	const files = fields.filter((field) => isFileUrlField(field) && !isMaskName(field.name));
	const known = (field: ModelField) => IMAGE_FIELD_ORDER.indexOf(field.name.toLowerCase());
	const named = files.filter((field) => known(field) >= 0 || /image|frame|photo|^input/i.test(field.name));
	named.sort((a, b) => (known(a) < 0 ? IMAGE_FIELD_ORDER.length : known(a)) - (known(b) < 0 ? IMAGE_FIELD_ORDER.length : known(b)));
	if (named.length) return firstRequired(named);
	return firstRequired(files.filter((field) => !/video|audio|voice|music|sound|file|link/i.test(field.name)));
}

/** The field of a live model that takes a mask: a file-URL field whose name says mask (the first required one, else the first). */
export function liveMaskField(fields: ModelField[]): ModelField | undefined {
	return firstRequired(fields.filter((field) => isFileUrlField(field) && isMaskName(field.name)));
}

const VIDEO_WORDS = /\bvideos?\b|[-_/]video\b|\bvideo[-_]/i;
const AUDIO_WORDS = /\b(audio|speech|voice|music|sound|song|lyrics|tts)\b|[-_/]tts\b/i;

/**
 * What is known of a live model besides its schema: its name, media and kind from the registry (a built-in
 * model read live) or LIVE_ONLY, else its name from the document's title and its media guessed from the id,
 * title and description (video, audio, else image). For what an AI agent is told about it (tool.ts).
 */
export function liveModelInfo(modelId: string, openapi: unknown): LiveModelInfo {
	const known = getModel(modelId) ?? LIVE_ONLY.find((entry) => entry.id === modelId);
	if (known) return { displayName: known.displayName, media: known.media, kind: known.kind };
	const info = isObject(openapi) ? own(openapi, 'info') : undefined;
	const title = isObject(info) && typeof own(info, 'title') === 'string' ? (own(info, 'title') as string).trim().slice(0, 200) : '';
	const description = isObject(info) && typeof own(info, 'description') === 'string' ? (own(info, 'description') as string).slice(0, 1000) : '';
	const text = `${modelId} ${title} ${description}`;
	const media: ModelMedia = VIDEO_WORDS.test(text) ? 'video' : AUDIO_WORDS.test(text) ? 'audio' : 'image';
	return { ...(title ? { displayName: title } : {}), media };
}

/**
 * The model definition KIE's live schema gives (`openapi` as `GET …/schema` answered it), or why there is
 * none: `null` (not synced yet), no request body, no `input` fields, a document over one of the budgets
 * (LIVE_SCHEMA_BUDGETS, or smaller ones given here). Never throws, and returns within the budgets (a few
 * ms): whatever goes wrong is a reason.
 */
export function modelFromLiveSchema(modelId: string, openapi: unknown, info: LiveModelInfo = {}, budgets: Partial<LiveSchemaBudgets> = {}): LiveSchemaResult {
	try {
		if (openapi === null || openapi === undefined) return { reason: 'KIE has not published a schema for this model yet (its schema is null)' };
		if (!isObject(openapi)) return { reason: 'KIE\'s schema for this model is not an OpenAPI document' };
		return readModel(modelId, openapi, info, budgetsOf(budgets));
	} catch (error) {
		if (error instanceof OverBudget) return { reason: `${TOO_LARGE} (${error.message})` };
		let message = 'an unexpected error';
		try {
			message = String((error as Error)?.message ?? error).slice(0, 200);
		} catch {
			// A message that cannot be read: the generic one.
		}
		return { reason: `KIE's schema for this model could not be read (${message})` };
	}
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
		const value = own(input, field.name);
		if (field.required && !known.has(field.name) && value === undefined) {
			notes.push(`KIE's schema now requires "${field.name}", which this node does not know: set it in Options → Additional Input (JSON) if KIE refuses the task`);
		}
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
