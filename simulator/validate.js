'use strict';

/** A key's own value (a body key named `constructor` or `toString` is not Object.prototype's). */
const own = (object, key) => (Object.prototype.hasOwnProperty.call(object, key) ? object[key] : undefined);

/**
 * Request validation for the simulator: a small JSON-Schema subset validator, the catalogue →
 * schema conversion (nodes/shared/registry/catalogue/kie-models.json) and the fixed schemas (GPT Image 1.5 from the seeds, 4o Image).
 */

// The package's own copy of the catalogue, which the model registry is built from: one source for both.
const catalogue = require('../nodes/shared/registry/catalogue/kie-models.json');
const seedSchemas = require('./seed-schemas');

const catalogueById = new Map(catalogue.map((m) => [m.id, m]));

function isPlainObject(v) {
	return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function isHttpUrl(v) {
	if (typeof v !== 'string' || v.length === 0 || v.trim() !== v) return false;
	let u;
	try {
		u = new URL(v);
	} catch {
		return false;
	}
	return (u.protocol === 'http:' || u.protocol === 'https:') && u.hostname.length > 0;
}

function typeName(t) {
	switch (t) {
		case 'integer':
			return 'an integer';
		case 'array':
			return 'an array';
		case 'object':
			return 'an object';
		default:
			return `a ${t}`;
	}
}

function checkType(value, type) {
	switch (type) {
		case 'string':
			return typeof value === 'string';
		case 'number':
			return typeof value === 'number' && Number.isFinite(value);
		case 'integer':
			return typeof value === 'number' && Number.isInteger(value);
		case 'boolean':
			return typeof value === 'boolean';
		case 'array':
			return Array.isArray(value);
		case 'object':
			return isPlainObject(value);
		default:
			return true;
	}
}

/**
 * Validate `value` against a JSON-Schema subset: type, enum, format 'uri' (http/https only),
 * minimum, maximum, maxLength, minItems, maxItems, items, properties, required,
 * additionalProperties (false = reject unknown keys), x-notEmpty (required string must not be '').
 * Pushes messages to `errors`, each naming the field path.
 */
function validateSchema(value, schema, path, errors, opts) {
	if (!schema) return;
	if (schema.type && !checkType(value, schema.type)) {
		errors.push(`${path} must be ${typeName(schema.type)}`);
		return;
	}
	if (schema.enum) {
		const allowEmpty = schema['x-allowEmpty'] && value === '';
		if (!allowEmpty && !schema.enum.some((e) => e === value)) {
			errors.push(`${path} must be one of ${schema.enum.join(', ')}`);
			return;
		}
	}
	if (typeof value === 'string') {
		if (schema['x-notEmpty'] && value.length === 0) {
			errors.push(`${path} cannot be empty`);
			return;
		}
		if (schema.maxLength !== undefined && value.length > schema.maxLength) {
			errors.push(`${path} must be at most ${schema.maxLength} characters (got ${value.length})`);
		}
		if (schema.format === 'uri' && !isHttpUrl(value)) {
			errors.push(`${path} must be a valid http(s) URL`);
		}
	}
	if (typeof value === 'number') {
		if (schema.minimum !== undefined && value < schema.minimum) {
			errors.push(`${path} must be >= ${schema.minimum}`);
		}
		if (schema.maximum !== undefined && value > schema.maximum) {
			errors.push(`${path} must be <= ${schema.maximum}`);
		}
	}
	if (Array.isArray(value)) {
		if (schema.minItems !== undefined && value.length < schema.minItems) {
			errors.push(`${path} must contain at least ${schema.minItems} items (got ${value.length})`);
		}
		if (schema.maxItems !== undefined && value.length > schema.maxItems) {
			errors.push(`${path} must contain at most ${schema.maxItems} items (got ${value.length})`);
		}
		if (schema.items) {
			value.forEach((item, i) => validateSchema(item, schema.items, `${path}[${i}]`, errors, opts));
		}
	}
	if (isPlainObject(value) && (schema.properties || schema.required)) {
		const props = schema.properties || {};
		for (const key of schema.required || []) {
			if (own(value, key) === undefined) errors.push(`${path ? path + '.' : ''}${key} is required`);
		}
		// Groups of keys of which at least one must be set (a catalogue entry's `requireOneOf`).
		for (const group of schema['x-requireOneOf'] || []) {
			if (!group.some((key) => own(value, key) !== undefined)) {
				errors.push(`${path ? path + '.' : ''}${group.join(' or ')} is required`);
			}
		}
		for (const key of Object.keys(props)) {
			if (own(value, key) !== undefined) {
				validateSchema(value[key], props[key], `${path ? path + '.' : ''}${key}`, errors, opts);
			}
		}
		if (schema.additionalProperties === false && !(opts && opts.allowUnknown)) {
			for (const key of Object.keys(value)) {
				if (!Object.prototype.hasOwnProperty.call(props, key)) {
					const where = schema['x-unknownSuffix'] || '';
					errors.push(`${path ? path + '.' : ''}${key} is not a supported parameter${where}`);
				}
			}
		}
	}
}

const CONDITIONAL_NOTE =
	/conditional|only (applies|required|needed|when|if)|not always|test before enforcing|requiredness|even though/i;

/**
 * A catalogue field is only conditionally required (and must not be enforced) when its `note`
 * says so, when the model's `notes` talks about required-ness and names the field, or when the
 * field's own description starts with "Optional" although the schema marks it required.
 */
function isConditionallyRequired(entry, field) {
	if (field.note && CONDITIONAL_NOTE.test(field.note)) return true;
	if (entry.notes && /required/i.test(entry.notes)) {
		const re = new RegExp(`(^|[^a-z0-9_])${field.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}([^a-z0-9_]|$)`, 'i');
		if (re.test(entry.notes)) return true;
	}
	if (field.description && /^optional\b/i.test(field.description.trim())) return true;
	return false;
}

function isUrlField(field) {
	return Boolean(field.accept) || /url/i.test(field.name);
}

function fieldSchema(field) {
	const s = { description: field.description };
	switch (field.type) {
		case 'string':
			s.type = 'string';
			if (field.enum) s.enum = field.enum;
			if (field.maxLength !== undefined) s.maxLength = field.maxLength;
			if (isUrlField(field)) s.format = 'uri';
			if (field.enum && !field.required && /empty/i.test(field.description || '')) s['x-allowEmpty'] = true;
			break;
		case 'number':
		case 'integer':
			s.type = field.type;
			if (field.enum) s.enum = field.enum;
			if (field.min !== undefined) s.minimum = field.min;
			if (field.max !== undefined) s.maximum = field.max;
			break;
		case 'boolean':
			s.type = 'boolean';
			break;
		case 'array': {
			s.type = 'array';
			if (field.minItems !== undefined) s.minItems = field.minItems;
			if (field.maxItems !== undefined) s.maxItems = field.maxItems;
			const it = field.itemsType || 'string';
			s.items = { type: it };
			if (it === 'string' && isUrlField(field)) s.items.format = 'uri';
			break;
		}
		case 'object':
			s.type = 'object';
			break;
		default:
			break;
	}
	return s;
}

const schemaCache = new Map();

/** JSON schema of the whole createTask body for a catalogue model (input object included). */
function catalogueRequestSchema(entry) {
	if (schemaCache.has(entry.id)) return schemaCache.get(entry.id);
	const properties = {};
	const required = [];
	for (const f of entry.input) {
		properties[f.name] = fieldSchema(f);
		if (f.required && !isConditionallyRequired(entry, f)) {
			required.push(f.name);
			if (f.type === 'string') properties[f.name]['x-notEmpty'] = true;
		}
	}
	const schema = {
		type: 'object',
		required: ['model', 'input'],
		properties: {
			model: { type: 'string' },
			callBackUrl: { type: 'string', format: 'uri' },
			input: {
				type: 'object',
				properties,
				required,
				additionalProperties: false,
				'x-unknownSuffix': ` for model ${entry.id}`,
				...(entry.requireOneOf ? { 'x-requireOneOf': entry.requireOneOf } : {}),
			},
		},
		additionalProperties: false,
	};
	if (entry.family === 'Sora2' || /progressCallBackUrl/.test(entry.notes || '')) {
		schema.properties.progressCallBackUrl = { type: 'string', format: 'uri' };
	}
	schemaCache.set(entry.id, schema);
	return schema;
}

/** Request schema of a seed model (GPT Image 1.5), with input required and unknown keys rejected. */
function seedRequestSchema(id) {
	const key = `seed:${id}`;
	if (schemaCache.has(key)) return schemaCache.get(key);
	const seed = seedSchemas[id];
	const inputSeed = seed.properties.input;
	const inputProps = {};
	for (const [k, v] of Object.entries(inputSeed.properties)) {
		inputProps[k] = { ...v };
		if (inputSeed.required.includes(k) && v.type === 'string') inputProps[k]['x-notEmpty'] = true;
	}
	const schema = {
		type: 'object',
		required: Array.from(new Set([...seed.required, 'input'])),
		properties: {
			model: { type: 'string' },
			callBackUrl: seed.properties.callBackUrl,
			input: {
				type: 'object',
				properties: inputProps,
				required: inputSeed.required,
				additionalProperties: false,
				'x-unknownSuffix': ` for model ${id}`,
			},
		},
		additionalProperties: false,
	};
	schemaCache.set(key, schema);
	return schema;
}

function requestSchemaFor(modelId) {
	if (seedSchemas[modelId]) return seedRequestSchema(modelId);
	const entry = catalogueById.get(modelId);
	return entry ? catalogueRequestSchema(entry) : null;
}

// ---------------------------------------------------------------------------------------------
// OpenAPI 3.1 documents of the live catalogue (GET /api/v1/models/{model}/schema)

const CREATE_TASK_PATH = '/api/v1/jobs/createTask';

/** A component key or ref segment as KIE means it: percent-decoded (when it decodes) and trimmed. */
function normalizeKey(key) {
	let text = String(key);
	try {
		text = decodeURIComponent(text);
	} catch {
		// not percent-encoded after all: compare as is
	}
	return text.trim();
}

/**
 * Resolve a local `$ref` ("#/components/schemas/Pixel%20Forge%20Input") in `doc`, tolerant of KIE's
 * quirks: each segment is looked up as written, then by comparing keys after decodeURIComponent and
 * trim (so the ref finds the key "Pixel Forge Input "). JSON-pointer escapes (~1, ~0) are honoured.
 * Returns undefined when the ref is not local or leads nowhere.
 */
function resolveRef(doc, ref) {
	if (typeof ref !== 'string' || !ref.startsWith('#')) return undefined;
	const pointer = ref.slice(1);
	if (pointer === '') return doc;
	if (!pointer.startsWith('/')) return undefined;
	let node = doc;
	for (const raw of pointer.slice(1).split('/')) {
		if (node === null || typeof node !== 'object') return undefined;
		const segment = raw.replace(/~1/g, '/').replace(/~0/g, '~');
		if (Object.prototype.hasOwnProperty.call(node, segment)) {
			node = node[segment];
			continue;
		}
		const wanted = normalizeKey(segment);
		const key = Object.keys(node).find((k) => normalizeKey(k) === wanted);
		if (key === undefined) return undefined;
		node = node[key];
	}
	return node;
}

/**
 * The request-body schema of POST /api/v1/jobs/createTask in a model's OpenAPI document (often a
 * `$ref`, left unresolved), or undefined when the document does not declare it.
 */
function openapiRequestSchema(doc) {
	if (!isPlainObject(doc) || !isPlainObject(doc.paths)) return undefined;
	const pathKey = Object.keys(doc.paths).find((k) => normalizeKey(k).replace(/\/+$/, '') === CREATE_TASK_PATH);
	const op = pathKey && isPlainObject(doc.paths[pathKey]) ? doc.paths[pathKey].post : undefined;
	let requestBody = isPlainObject(op) ? op.requestBody : undefined;
	if (isPlainObject(requestBody) && typeof requestBody.$ref === 'string') requestBody = resolveRef(doc, requestBody.$ref);
	const content = isPlainObject(requestBody) && isPlainObject(requestBody.content) ? requestBody.content : undefined;
	if (!content) return undefined;
	const type = Object.keys(content).find((k) => /^application\/json\b/i.test(k.trim()));
	const media = type ? content[type] : undefined;
	return isPlainObject(media) && isPlainObject(media.schema) ? media.schema : undefined;
}

function sameJson(a, b) {
	if (a === b) return true;
	if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
	return JSON.stringify(a) === JSON.stringify(b);
}

function typeNames(types) {
	return types.map((t) => (t === 'null' ? 'null' : typeName(t))).join(' or ');
}

function childPath(path, key) {
	return path ? `${path}.${key}` : key;
}

const MAX_REF_DEPTH = 64;

/**
 * Validate `value` against a schema of an OpenAPI 3.1 document `doc` (JSON Schema 2020-12 subset):
 * $ref (quirk-tolerant, siblings applied too), type (a name or an array of names, "null" included;
 * `nullable: true` of OpenAPI 3.0), enum and const (strict: the number 5 is not the string "5"),
 * allOf, anyOf and oneOf (valid when at least one variant is), minLength, maxLength, pattern,
 * format uri (http/https), minimum, maximum, exclusiveMinimum, exclusiveMaximum, multipleOf,
 * minItems, maxItems, uniqueItems, items, required, properties. Unknown properties are accepted
 * (lenient like KIE), whatever `additionalProperties` says. Messages name the field path like
 * validateSchema's ("input.prompt is required").
 */
function validateOpenapi(value, schema, doc, path, errors, depth = 0) {
	const label = path || 'body';
	if (schema === false) {
		errors.push(`${label} is not allowed`);
		return;
	}
	if (!isPlainObject(schema) || depth > MAX_REF_DEPTH) return;
	if (typeof schema.$ref === 'string') {
		const target = resolveRef(doc, schema.$ref);
		// A ref that leads nowhere cannot be checked: KIE's documents are not its validator.
		if (target !== undefined) {
			const before = errors.length;
			validateOpenapi(value, target, doc, path, errors, depth + 1);
			if (errors.length > before) return;
		}
	}
	if (schema.type !== undefined) {
		const types = Array.isArray(schema.type) ? schema.type : [schema.type];
		const ok =
			types.some((t) => (t === 'null' ? value === null : checkType(value, t))) || (value === null && schema.nullable === true);
		if (!ok) {
			errors.push(`${label} must be ${typeNames(schema.nullable === true ? [...types, 'null'] : types)}`);
			return;
		}
	}
	if (Array.isArray(schema.enum) && !schema.enum.some((e) => sameJson(e, value))) {
		if (!(value === null && schema.nullable === true)) {
			errors.push(`${label} must be one of ${schema.enum.map((e) => (typeof e === 'string' ? e : JSON.stringify(e))).join(', ')}`);
			return;
		}
	}
	if (schema.const !== undefined && !sameJson(schema.const, value)) {
		errors.push(`${label} must be ${JSON.stringify(schema.const)}`);
		return;
	}
	if (Array.isArray(schema.allOf)) {
		for (const part of schema.allOf) validateOpenapi(value, part, doc, path, errors, depth + 1);
	}
	for (const keyword of ['oneOf', 'anyOf']) {
		const variants = schema[keyword];
		if (!Array.isArray(variants) || variants.length === 0) continue;
		const results = variants.map((variant) => {
			const errs = [];
			validateOpenapi(value, variant, doc, path, errs, depth + 1);
			return errs;
		});
		if (results.some((errs) => errs.length === 0)) continue;
		const why = results
			.map((errs, i) => {
				const v = variants[i];
				const target = isPlainObject(v) && typeof v.$ref === 'string' ? resolveRef(doc, v.$ref) : v;
				const name = isPlainObject(target) && typeof target.title === 'string' ? target.title : `variant ${i + 1}`;
				return `${name}: ${errs[0]}`;
			})
			.join('; ');
		errors.push(`${label} matches none of its ${variants.length} variants (${keyword}): ${why}`);
		return;
	}
	if (typeof value === 'string') {
		if (schema.minLength !== undefined && value.length < schema.minLength) {
			errors.push(
				schema.minLength === 1 ? `${label} cannot be empty` : `${label} must be at least ${schema.minLength} characters (got ${value.length})`,
			);
		}
		if (schema.maxLength !== undefined && value.length > schema.maxLength) {
			errors.push(`${label} must be at most ${schema.maxLength} characters (got ${value.length})`);
		}
		if (typeof schema.pattern === 'string') {
			let re = null;
			try {
				re = new RegExp(schema.pattern, 'u');
			} catch {
				re = null;
			}
			if (re && !re.test(value)) errors.push(`${label} must match the pattern ${schema.pattern}`);
		}
		if ((schema.format === 'uri' || schema.format === 'url') && !isHttpUrl(value)) {
			errors.push(`${label} must be a valid http(s) URL`);
		}
	}
	if (typeof value === 'number') {
		if (typeof schema.minimum === 'number') {
			const exclusive = schema.exclusiveMinimum === true;
			if (exclusive ? value <= schema.minimum : value < schema.minimum) {
				errors.push(`${label} must be ${exclusive ? '>' : '>='} ${schema.minimum}`);
			}
		}
		if (typeof schema.maximum === 'number') {
			const exclusive = schema.exclusiveMaximum === true;
			if (exclusive ? value >= schema.maximum : value > schema.maximum) {
				errors.push(`${label} must be ${exclusive ? '<' : '<='} ${schema.maximum}`);
			}
		}
		if (typeof schema.exclusiveMinimum === 'number' && value <= schema.exclusiveMinimum) {
			errors.push(`${label} must be > ${schema.exclusiveMinimum}`);
		}
		if (typeof schema.exclusiveMaximum === 'number' && value >= schema.exclusiveMaximum) {
			errors.push(`${label} must be < ${schema.exclusiveMaximum}`);
		}
		if (typeof schema.multipleOf === 'number' && schema.multipleOf > 0) {
			const q = value / schema.multipleOf;
			if (Math.abs(q - Math.round(q)) > 1e-9) errors.push(`${label} must be a multiple of ${schema.multipleOf}`);
		}
	}
	if (Array.isArray(value)) {
		if (schema.minItems !== undefined && value.length < schema.minItems) {
			errors.push(`${label} must contain at least ${schema.minItems} items (got ${value.length})`);
		}
		if (schema.maxItems !== undefined && value.length > schema.maxItems) {
			errors.push(`${label} must contain at most ${schema.maxItems} items (got ${value.length})`);
		}
		if (schema.uniqueItems === true && new Set(value.map((v) => JSON.stringify(v))).size !== value.length) {
			errors.push(`${label} must not contain duplicates`);
		}
		if (isPlainObject(schema.items) || schema.items === false) {
			value.forEach((item, i) => validateOpenapi(item, schema.items, doc, `${label}[${i}]`, errors, depth + 1));
		}
	}
	if (isPlainObject(value)) {
		if (Array.isArray(schema.required)) {
			for (const key of schema.required) {
				if (own(value, key) === undefined) errors.push(`${childPath(path, key)} is required`);
			}
		}
		if (isPlainObject(schema.properties)) {
			for (const [key, propSchema] of Object.entries(schema.properties)) {
				if (own(value, key) !== undefined) validateOpenapi(value[key], propSchema, doc, childPath(path, key), errors, depth + 1);
			}
		}
	}
}

/**
 * Validate a createTask body against a model's OpenAPI document (a live, not built-in model): the
 * request schema of POST /api/v1/jobs/createTask with its `$ref`s resolved. A document that does not
 * declare that request only gets `input` checked to be an object.
 * Returns { ok: true } or { ok: false, code: 422, msg, errors }.
 */
function validateOpenapiCreateTask(body, doc) {
	if (!isPlainObject(body)) return { ok: false, code: 422, msg: 'Request body must be a JSON object', errors: [] };
	const errors = [];
	const request = openapiRequestSchema(doc);
	if (request) validateOpenapi(body, request, doc, '', errors);
	else if (!isPlainObject(body.input)) errors.push('input must be an object');
	if (errors.length) return { ok: false, code: 422, msg: errors[0], errors };
	return { ok: true };
}

/**
 * Validate a Market createTask body. Returns { ok: true, entry } or { ok: false, code, msg, errors }.
 * A model that is not in the catalogue is looked up with `opts.liveModel(id)`: when that returns a
 * model with an OpenAPI document, the body is validated against the document (validateOpenapiCreateTask)
 * and `entry` is `{ id, media, kind, live: true }`; otherwise the model is not supported (422).
 */
function validateCreateTask(body, opts) {
	const allowUnknown = Boolean(opts && opts.allowUnknownInput);
	if (!isPlainObject(body)) return { ok: false, code: 422, msg: 'Request body must be a JSON object', errors: [] };
	if (body.model === undefined || body.model === null || body.model === '') {
		return { ok: false, code: 422, msg: 'model is required', errors: ['model is required'] };
	}
	if (typeof body.model !== 'string') {
		return { ok: false, code: 422, msg: 'model must be a string', errors: ['model must be a string'] };
	}
	const entry = catalogueById.get(body.model);
	const live = !entry && opts && typeof opts.liveModel === 'function' ? opts.liveModel(body.model) : undefined;
	if (!entry && !(live && isPlainObject(live.openapi))) {
		const msg = `model ${body.model} is not supported (unknown model id)`;
		return { ok: false, code: 422, msg, errors: [msg] };
	}
	if (body.input === undefined || body.input === null) {
		return { ok: false, code: 422, msg: 'input is required', errors: ['input is required'] };
	}
	if (!entry) {
		const v = validateOpenapiCreateTask(body, live.openapi);
		if (!v.ok) return v;
		return { ok: true, entry: { id: body.model, media: live.media || 'image', kind: live.kind, live: true } };
	}
	const schema = requestSchemaFor(body.model);
	const errors = [];
	validateSchema(body, schema, '', errors, { allowUnknown });
	if (errors.length) return { ok: false, code: 422, msg: errors[0], errors };
	return { ok: true, entry };
}

/** 4o Image generate body (kie-api.md §8, seed 003). */
const fourOSchema = {
	type: 'object',
	required: ['size'],
	properties: {
		size: { type: 'string', enum: ['1:1', '3:2', '2:3'] },
		prompt: { type: 'string' },
		filesUrl: { type: 'array', maxItems: 5, items: { type: 'string', format: 'uri' } },
		fileUrl: { type: 'string', format: 'uri' },
		maskUrl: { type: 'string', format: 'uri' },
		nVariants: { type: 'integer', enum: [1, 2, 4] },
		isEnhance: { type: 'boolean' },
		uploadCn: { type: 'boolean' },
		enableFallback: { type: 'boolean' },
		fallbackModel: { type: 'string', enum: ['GPT_IMAGE_1', 'FLUX_MAX'] },
		callBackUrl: { type: 'string', format: 'uri' },
	},
	additionalProperties: false,
};

function validate4o(body, opts) {
	const allowUnknown = Boolean(opts && opts.allowUnknownInput);
	if (!isPlainObject(body)) return { ok: false, code: 422, msg: 'Request body must be a JSON object', errors: [] };
	const errors = [];
	validateSchema(body, fourOSchema, '', errors, { allowUnknown });
	const hasPrompt = typeof body.prompt === 'string' && body.prompt.trim().length > 0;
	const hasFiles = (Array.isArray(body.filesUrl) && body.filesUrl.length > 0) || typeof body.fileUrl === 'string';
	if (opts && opts.fourORequirePrompt) {
		if (!hasPrompt) errors.unshift('prompt is required');
	} else if (!hasPrompt && !hasFiles) {
		errors.unshift('prompt or filesUrl is required (at least one of them)');
	}
	if (errors.length) return { ok: false, code: 422, msg: errors[0], errors };
	return { ok: true };
}

module.exports = {
	catalogue,
	catalogueById,
	seedSchemas,
	fourOSchema,
	isHttpUrl,
	isPlainObject,
	isConditionallyRequired,
	requestSchemaFor,
	validateSchema,
	validateCreateTask,
	CREATE_TASK_PATH,
	normalizeKey,
	resolveRef,
	openapiRequestSchema,
	validateOpenapi,
	validateOpenapiCreateTask,
	validate4o,
};
