'use strict';

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
			if (value[key] === undefined) errors.push(`${path ? path + '.' : ''}${key} is required`);
		}
		for (const key of Object.keys(props)) {
			if (value[key] !== undefined) {
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

/**
 * Validate a Market createTask body. Returns { ok: true, entry } or { ok: false, code, msg, errors }.
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
	if (!entry) {
		const msg = `model ${body.model} is not supported (unknown model id)`;
		return { ok: false, code: 422, msg, errors: [msg] };
	}
	if (body.input === undefined || body.input === null) {
		return { ok: false, code: 422, msg: 'input is required', errors: ['input is required'] };
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
	validate4o,
};
