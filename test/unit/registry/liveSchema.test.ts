import { getModel, labelOf } from '../../../nodes/shared/registry';
import { jsonTextLength, LIVE_SCHEMA_BUDGETS, modelFromLiveSchema, registryDiff, schemaDrift } from '../../../nodes/shared/registry/liveSchema';
import { mapperFields, modelFromMapperFields } from '../../../nodes/shared/registry/mapper';
import type { ModelDefinition } from '../../../nodes/shared/registry/types';
import { collectModelInput, formatIssue, validateModelInput } from '../../../nodes/shared/registry/validation';

/** An OpenAPI document shaped like KIE's: createTask's body is a $ref, `input` another. */
function kieDoc(input: unknown, components: Record<string, unknown> = {}) {
	return {
		openapi: '3.1.0',
		paths: {
			'/api/v1/jobs/createTask': {
				post: {
					requestBody: { content: { 'application/json': { schema: { $ref: '#/components/schemas/Acme%20Request' } } } },
				},
			},
		},
		components: {
			schemas: {
				'Acme Request ': {
					type: 'object',
					properties: { model: { type: 'string', enum: ['acme/x'] }, callBackUrl: { type: 'string', format: 'uri' }, input },
					required: ['model', 'input'],
				},
				...components,
			},
		},
	};
}

const PIXEL_INPUT = {
	type: 'object',
	properties: {
		prompt: { type: 'string', maxLength: 2000, description: 'What to draw' },
		aspect_ratio: { type: 'string', enum: ['1:1', '16:9', '9:16'], default: '1:1' },
		num_images: { type: 'string', enum: ['1', '2', '4'], default: '1' },
		seed: { type: 'integer', minimum: 0, maximum: 2147483647 },
		enhance_prompt: { type: 'boolean', default: true },
		image_urls: { type: 'array', items: { type: 'string', format: 'uri' }, maxItems: 4 },
		style: { $ref: '#/components/schemas/Style' },
		negative_prompt: { type: ['string', 'null'] },
	},
	required: ['prompt'],
};

function liveModel(doc: unknown): ModelDefinition {
	const result = modelFromLiveSchema('acme/x', doc);
	if (!('model' in result)) throw new Error(result.reason);
	return result.model;
}

describe('modelFromLiveSchema: KIE\'s OpenAPI document → the model\'s fields', () => {
	const model = liveModel(
		kieDoc({ $ref: '#/components/schemas/Pixel%20Forge%20Input' }, {
			'Pixel Forge Input ': PIXEL_INPUT,
			Style: { type: 'string', enum: ['photo', 'illustration', '3d'], default: 'photo' },
		}),
	);
	const field = (name: string) => model.fields.find((candidate) => candidate.name === name)!;

	it('follows percent-encoded $refs to space-padded component keys, for the body and for input', () => {
		expect(model.fields.map((candidate) => candidate.name)).toEqual(['prompt', 'aspect_ratio', 'num_images', 'seed', 'enhance_prompt', 'image_urls', 'style', 'negative_prompt']);
		expect(model).toMatchObject({ id: 'acme/x', api: 'market' });
	});

	it('keeps each field\'s type, limits, default, description and required marker', () => {
		expect(field('prompt')).toMatchObject({ type: 'string', required: true, maxLength: 2000, description: 'What to draw', label: 'Prompt', param: 'prompt' });
		expect(field('seed')).toMatchObject({ type: 'integer', min: 0, max: 2147483647 });
		expect(field('seed').required).toBeUndefined();
		expect(field('enhance_prompt')).toMatchObject({ type: 'boolean', default: true });
		expect(field('image_urls')).toMatchObject({ type: 'array', itemsType: 'string', format: 'uri', maxItems: 4, label: 'Image URLs' });
	});

	it('keeps a string enum of numbers as strings, and resolves a property that is itself a $ref', () => {
		expect(field('num_images')).toMatchObject({ type: 'string', enum: ['1', '2', '4'], default: '1' });
		expect(field('style')).toMatchObject({ type: 'string', enum: ['photo', 'illustration', '3d'], default: 'photo' });
	});

	it('reads an OpenAPI 3.1 type list without its "null"', () => {
		expect(field('negative_prompt').type).toBe('string');
	});

	it('unites oneOf variants: every property is a field, required only where every variant requires it', () => {
		const prompt = { type: 'string', maxLength: 1500 };
		const duration = { type: 'string', enum: ['5', '10'], default: '5' };
		const blended = liveModel(
			kieDoc({
				oneOf: [
					{ type: 'object', properties: { prompt, duration }, required: ['prompt'] },
					{ type: 'object', properties: { prompt, image_url: { type: 'string', format: 'uri' }, duration }, required: ['prompt', 'image_url'] },
				],
			}),
		);
		expect(blended.fields.map((candidate) => [candidate.name, candidate.required === true])).toEqual([
			['prompt', true],
			['duration', false],
			['image_url', false],
		]);
		expect(blended.fields[2]).toMatchObject({ type: 'string', format: 'uri' });
	});

	it('merges allOf parts and inline input schemas', () => {
		const merged = liveModel(kieDoc({ allOf: [{ type: 'object', properties: { prompt: { type: 'string' } }, required: ['prompt'] }, { properties: { seed: { type: 'integer' } } }] }));
		expect(merged.fields.map((candidate) => [candidate.name, candidate.type, candidate.required === true])).toEqual([
			['prompt', 'string', true],
			['seed', 'integer', false],
		]);
	});

	it('says why there are no fields: a null schema, not a document, no request body, no input, a dangling or circular $ref', () => {
		expect(modelFromLiveSchema('acme/x', null)).toEqual({ reason: 'KIE has not published a schema for this model yet (its schema is null)' });
		expect(modelFromLiveSchema('acme/x', 'nope')).toEqual({ reason: 'KIE\'s schema for this model is not an OpenAPI document' });
		expect(modelFromLiveSchema('acme/x', { openapi: '3.1.0', paths: {} })).toEqual({ reason: 'KIE\'s schema for this model has no request body to read its input from' });
		expect(modelFromLiveSchema('acme/x', kieDoc(undefined))).toEqual({ reason: 'KIE\'s schema for this model lists no input fields' });
		expect(modelFromLiveSchema('acme/x', kieDoc({ $ref: '#/components/schemas/Missing' }))).toEqual({ reason: 'KIE\'s schema for this model lists no input fields' });
		expect(modelFromLiveSchema('acme/x', kieDoc({ $ref: '#/components/schemas/A' }, { A: { $ref: '#/components/schemas/B' }, B: { $ref: '#/components/schemas/A' } }))).toEqual({
			reason: 'KIE\'s schema for this model lists no input fields',
		});
	});

	it('labels KIE keys for people', () => {
		expect(labelOf('aspect_ratio')).toBe('Aspect Ratio');
		expect(labelOf('image_urls')).toBe('Image URLs');
		expect(labelOf('referenceId')).toBe('Reference ID');
	});

	it('validates an input the same way as a built-in model, with the same error format', () => {
		expect(validateModelInput(model, { prompt: 'a fox', num_images: '2', style: '3d' })).toEqual([]);
		const issues = validateModelInput(model, { num_images: 2, style: 'oil', image_urls: ['ftp://x'] }).map(formatIssue);
		expect(issues).toEqual([
			'"Prompt" (parameter "prompt") is required',
			'"Num Images" (parameter "num_images") must be one of 1, 2, 4 (got 2)',
			'"Image URLs" (parameter "image_urls") must hold only http(s) URLs (got "ftp://x")',
			'"Style" (parameter "style") must be one of photo, illustration, 3d (got "oil")',
		]);
	});
});

describe('the resource mapper\'s fields of a live model', () => {
	const model = liveModel(
		kieDoc({ $ref: '#/components/schemas/Pixel%20Forge%20Input' }, {
			'Pixel Forge Input ': PIXEL_INPUT,
			Style: { type: 'string', enum: ['photo', 'illustration', '3d'], default: 'photo' },
		}),
	);
	const fields = mapperFields(model);
	const field = (id: string) => fields.find((candidate) => candidate.id === id)!;

	it('one field per input key, typed, with options for enums (string values stay strings) and required markers', () => {
		expect(fields.map((candidate) => candidate.id)).toEqual(model.fields.map((candidate) => candidate.name));
		expect(field('prompt')).toMatchObject({ displayName: 'Prompt', type: 'string', required: true, display: true, defaultMatch: false });
		expect(field('prompt').removed).toBeUndefined();
		expect(field('num_images')).toMatchObject({ type: 'options', defaultValue: '1', required: false });
		expect(field('num_images').options!.map((option) => option.value)).toEqual(['1', '2', '4']);
		expect(field('seed')).toMatchObject({ type: 'number' });
		expect(field('enhance_prompt')).toMatchObject({ type: 'boolean', defaultValue: true });
		// A list of URLs is typed comma-separated, like "Input URLs".
		expect(field('image_urls')).toMatchObject({ type: 'string' });
	});

	it('starts an optional field without a default removed, so nothing the user did not choose is sent', () => {
		expect(fields.filter((candidate) => candidate.removed).map((candidate) => candidate.id)).toEqual(['seed', 'image_urls', 'negative_prompt']);
	});

	it('the stored fields still give types, options and required markers when the schema cannot be read at run time', () => {
		const stored = modelFromMapperFields('acme/x', fields)!;
		expect(stored.fields.find((candidate) => candidate.name === 'num_images')).toMatchObject({ type: 'string', enum: ['1', '2', '4'] });
		expect(stored.fields.find((candidate) => candidate.name === 'prompt')).toMatchObject({ required: true });
		expect(stored.fields.find((candidate) => candidate.name === 'seed')).toMatchObject({ type: 'number' });
		expect(modelFromMapperFields('acme/x', [])).toBeUndefined();
	});
});

describe('schemaDrift: a built-in model against KIE\'s live schema', () => {
	const builtIn = getModel('gpt-image/1.5-text-to-image')!;
	const fieldsOf = (doc: unknown) => liveModel(doc);

	it('finds nothing when the live schema agrees', () => {
		const live = fieldsOf(kieDoc({ type: 'object', properties: { prompt: { type: 'string' }, aspect_ratio: { type: 'string', enum: ['1:1', '2:3', '3:2'] } }, required: ['prompt'] }));
		expect(schemaDrift(builtIn, live, { prompt: 'a fox', aspect_ratio: '3:2' })).toEqual([]);
	});

	it('names a field KIE now requires that the registry lacks, and a chosen value KIE no longer lists', () => {
		const live = fieldsOf(
			kieDoc({
				type: 'object',
				properties: { prompt: { type: 'string' }, aspect_ratio: { type: 'string', enum: ['1:1', '2:3'] }, safety_level: { type: 'string' } },
				required: ['prompt', 'safety_level'],
			}),
		);
		expect(schemaDrift(builtIn, live, { prompt: 'a fox', aspect_ratio: '3:2' })).toEqual([
			'KIE\'s schema no longer lists "3:2" for "aspect_ratio" (it lists "1:1", "2:3")',
			'KIE\'s schema now requires "safety_level", which this node does not know: set it in Options → Additional Input (JSON) if KIE refuses the task',
		]);
		// A required field the item sends anyway (through Additional Input) is no drift.
		expect(schemaDrift(builtIn, live, { prompt: 'a fox', aspect_ratio: '2:3', safety_level: 'high' })).toEqual([]);
	});
});

describe('registryDiff: what a maintainer updates in the registry', () => {
	it('lists fields only one side has, and the required marker, type and values that differ', () => {
		const builtIn = getModel('gpt-image/1.5-text-to-image')!;
		const live = liveModel(
			kieDoc({
				type: 'object',
				properties: { prompt: { type: 'integer' }, aspect_ratio: { type: 'string', enum: ['1:1', '2:3', '4:5'] }, safety_level: { type: 'string', enum: ['low', 'high'] } },
				required: ['safety_level'],
			}),
		);
		expect(registryDiff(builtIn, live)).toEqual([
			'"prompt": KIE does not require it, the registry does',
			'"prompt": KIE\'s type is integer, the registry\'s string',
			'"aspect_ratio": KIE does not require it, the registry does',
			'"aspect_ratio": KIE also allows "4:5"',
			'"aspect_ratio": KIE no longer allows "3:2"',
			'KIE has required field "safety_level" (string: "low", "high"), the registry does not',
			'the registry has field "quality", KIE\'s schema does not',
		]);
	});
});

// -------------------------------------------------------------------------------------------------
// Hostile documents: bounded reading (issue 20, "Trust")
// -------------------------------------------------------------------------------------------------

/** How long `read()` takes, in ms, and what it gave (or the error it threw). */
function timed<T>(read: () => T): { ms: number; result?: T; thrown?: unknown } {
	const started = performance.now();
	try {
		const result = read();
		return { ms: performance.now() - started, result };
	} catch (thrown) {
		return { ms: performance.now() - started, thrown };
	}
}

/**
 * `levels` levels of `oneOf`, each with `width` `$ref`s to the next level's component (width^levels paths
 * for a reader that walks every variant); the last level's object has a field whose type is a `oneOf`
 * that refers to itself, and a component whose `oneOf` refers to itself is one of the variants.
 */
function nestedOneOfDoc(levels: number, width = 8) {
	const schemas: Record<string, unknown> = {
		Loop: { oneOf: [{ $ref: '#/components/schemas/Loop' }, { type: 'string' }] },
		Self: { oneOf: [{ $ref: '#/components/schemas/Self' }, { $ref: '#/components/schemas/L0' }] },
	};
	for (let level = 0; level < levels; level++) {
		schemas[`L${level}`] = {
			oneOf: [
				...Array.from({ length: width }, () => ({ $ref: `#/components/schemas/L${level + 1}` })),
				...(level === 0 ? [{ $ref: '#/components/schemas/Self' }] : []),
			],
		};
	}
	schemas[`L${levels}`] = { type: 'object', properties: { prompt: { type: 'string' }, mode: { $ref: '#/components/schemas/Loop' } }, required: ['prompt'] };
	return kieDoc({ $ref: '#/components/schemas/L0' }, schemas);
}

/** A reason, or a model of at most 500 fields; never a throw; well under a second (50 ms expected, 200 ms asserted). */
function expectBoundedRead(doc: unknown): ReturnType<typeof modelFromLiveSchema> {
	const { ms, result, thrown } = timed(() => modelFromLiveSchema('acme/hostile', doc));
	expect(thrown).toBeUndefined();
	expect(ms).toBeLessThan(200);
	expect(result).toBeDefined();
	if (result && 'model' in result) expect(result.model.fields.length).toBeLessThanOrEqual(LIVE_SCHEMA_BUDGETS.maxFields);
	else expect(typeof result?.reason).toBe('string');
	return result!;
}

describe('modelFromLiveSchema on hostile documents: bounded, never a throw, never a stall', () => {
	const tooLarge = /^KIE's schema for this model is too large or too deeply nested to read \(over the budget of .+\)$/;

	it('8 levels of oneOf with 8 $refs each, and oneOfs that refer to themselves (a 3 KB document)', () => {
		const doc = nestedOneOfDoc(8);
		expect(JSON.stringify(doc).length).toBeLessThan(6_000);
		const result = expectBoundedRead(doc);
		expect(result).toEqual({ reason: expect.stringMatching(tooLarge) });
	});

	it('12 levels of the same', () => {
		expect(expectBoundedRead(nestedOneOfDoc(12))).toEqual({ reason: expect.stringMatching(tooLarge) });
	});

	it('a narrow nesting is still read, with the self-referencing oneOf typed from its other variant', () => {
		const result = expectBoundedRead(nestedOneOfDoc(3, 2));
		expect(result).toEqual({ model: expect.objectContaining({ id: 'acme/hostile' }) });
		const fields = (result as { model: ModelDefinition }).model.fields;
		expect(fields.map((field) => [field.name, field.type, field.required === true])).toEqual([
			['prompt', 'string', true],
			['mode', 'string', false],
		]);
	});

	it('an allOf that includes itself (four times) is merged once', () => {
		const self = { $ref: '#/components/schemas/Input' };
		const doc = kieDoc(self, { Input: { allOf: [self, self, self, self, { type: 'object', properties: { prompt: { type: 'string' } }, required: ['prompt'] }] } });
		const result = expectBoundedRead(doc);
		expect((result as { model: ModelDefinition }).model.fields.map((field) => [field.name, field.required])).toEqual([['prompt', true]]);
	});

	it('a type read through a oneOf that refers to itself (the old reader overflowed its stack)', () => {
		const doc = kieDoc({ type: 'object', properties: { mode: { $ref: '#/components/schemas/Loop' } } }, { Loop: { anyOf: [{ $ref: '#/components/schemas/Loop' }, { type: 'integer' }] } });
		expect((expectBoundedRead(doc) as { model: ModelDefinition }).model.fields).toEqual([expect.objectContaining({ name: 'mode', type: 'integer' })]);
		const only = kieDoc({ type: 'object', properties: { mode: { $ref: '#/components/schemas/Loop' } } }, { Loop: { oneOf: [{ $ref: '#/components/schemas/Loop' }] } });
		expect((expectBoundedRead(only) as { model: ModelDefinition }).model.fields).toEqual([expect.objectContaining({ name: 'mode', type: 'string' })]);
	});

	it('a $ref chain of 10,000 links', () => {
		const schemas: Record<string, unknown> = {};
		for (let link = 0; link < 10_000; link++) schemas[`C${link}`] = { $ref: `#/components/schemas/C${link + 1}` };
		schemas.C10000 = { type: 'object', properties: { prompt: { type: 'string' } } };
		expect(expectBoundedRead(kieDoc({ $ref: '#/components/schemas/C0' }, schemas))).toEqual({ reason: expect.stringMatching(tooLarge) });
	});

	it('a 2 MB document', () => {
		const doc = kieDoc({ type: 'object', properties: { prompt: { type: 'string', description: 'x'.repeat(2 * 1024 * 1024) } } });
		expect(expectBoundedRead(doc)).toEqual({ reason: 'KIE\'s schema for this model is too large or too deeply nested to read (over the budget of 1 MB of JSON)' });
		// Also when the size is in many small parts.
		const parts = kieDoc({ type: 'object', properties: { prompt: { type: 'string', enum: Array.from({ length: 400_000 }, (_, i) => i) } } });
		expect(expectBoundedRead(parts)).toEqual({ reason: 'KIE\'s schema for this model is too large or too deeply nested to read (over the budget of 1 MB of JSON)' });
	});

	it('properties with 10,000 fields', () => {
		const properties = Object.fromEntries(Array.from({ length: 10_000 }, (_, i) => [`field_${i}`, { type: 'string' }]));
		expect(expectBoundedRead(kieDoc({ type: 'object', properties }))).toEqual({
			reason: 'KIE\'s schema for this model is too large or too deeply nested to read (over the budget of 500 fields)',
		});
		// As many spread over oneOf variants.
		const variants = Array.from({ length: 20 }, (_, v) => ({ type: 'object', properties: Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`v${v}_${i}`, { type: 'string' }])) }));
		expect(expectBoundedRead(kieDoc({ oneOf: variants }))).toEqual({ reason: expect.stringMatching(/over the budget of 500 fields/) });
	});

	it('a document nested 100,000 levels deep, a cyclic in-memory object, and odd values never throw', () => {
		let deep: unknown = { type: 'string' };
		for (let level = 0; level < 100_000; level++) deep = { allOf: [deep] };
		expectBoundedRead(kieDoc(deep));
		const cyclic: Record<string, unknown> = { type: 'object' };
		cyclic.properties = { self: cyclic, prompt: { type: 'string' } };
		cyclic.allOf = [cyclic];
		expectBoundedRead(kieDoc(cyclic));
		for (const odd of [[], 42, 'x', true, { paths: [] }, { paths: { '/x': { post: { requestBody: { content: [] } } } } }, Object.create(null)]) {
			expectBoundedRead(odd);
		}
		// An exception from inside the document (a getter) is a reason too.
		const trap = kieDoc({ type: 'object', properties: { prompt: { type: 'string' } } });
		Object.defineProperty(trap.components.schemas['Acme Request '], 'properties', { get: () => { throw new Error('boom'); }, enumerable: true });
		expect(expectBoundedRead(trap)).toEqual({ reason: expect.stringMatching(/^KIE's schema for this model could not be read/) });
	});

	it('honours smaller budgets given by the caller, and says which one was exceeded', () => {
		const doc = kieDoc({ type: 'object', properties: { a: { type: 'string' }, b: { type: 'string' }, c: { type: 'string' } } });
		expect(modelFromLiveSchema('acme/x', doc, {}, { maxFields: 2 })).toEqual({ reason: expect.stringMatching(/over the budget of 2 fields/) });
		expect(modelFromLiveSchema('acme/x', doc, {}, { maxNodes: 5 })).toEqual({ reason: expect.stringMatching(/over the budget of 5 schema nodes/) });
		expect(modelFromLiveSchema('acme/x', doc, {}, { maxDocumentChars: 100 })).toEqual({ reason: expect.stringMatching(/over the budget of 100 characters of JSON/) });
		const nested = kieDoc({ allOf: [{ allOf: [{ allOf: [{ type: 'object', properties: { a: { type: 'string' } } }] }] }] });
		expect(modelFromLiveSchema('acme/x', nested, {}, { maxDepth: 2 })).toEqual({ reason: expect.stringMatching(/over the budget of 2 levels of nesting/) });
		expect('model' in modelFromLiveSchema('acme/x', nested)).toBe(true);
	});

	it('measures a document\'s JSON text as JSON.stringify would, and stops counting past the limit', () => {
		const doc = kieDoc(PIXEL_INPUT, { Style: { type: 'string', enum: ['a', 'b'], default: 'a' }, n: { minimum: -1.5, maximum: 1e21, nullable: null, flag: false } });
		expect(jsonTextLength(doc)).toBe(JSON.stringify(doc).length);
		expect(jsonTextLength([])).toBe(2);
		expect(jsonTextLength({ a: [1, 'b', null, true] })).toBe(JSON.stringify({ a: [1, 'b', null, true] }).length);
		const big = { list: new Array(5_000_000).fill(0) };
		const { ms, result } = timed(() => jsonTextLength(big, 1000));
		expect(result).toBeGreaterThan(1000);
		expect(ms).toBeLessThan(50);
	});
});

describe('field names that are names of Object.prototype', () => {
	const names = ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf'];
	// JSON.parse makes "__proto__" an own key, as the transport's parse of KIE's answer does.
	const properties = JSON.parse(
		`{${names.map((name) => `"${name}": ${name === '__proto__' ? '{"type": "string", "enum": ["a", "b"], "polluted": "yes"}' : '{"type": "string", "enum": ["a", "b"]}'}`).join(', ')}}`,
	) as Record<string, unknown>;
	const doc = JSON.parse(JSON.stringify(kieDoc({ type: 'object', properties, required: ['constructor'] })).replace('"polluted":"yes"', '"polluted":"yes","__proto__":{"polluted":"yes"}'));

	it('are normal fields with normal labels, and pollute nothing', () => {
		const model = liveModel(doc);
		expect(model.fields.map((field) => [field.name, field.label, field.type])).toEqual([
			['constructor', 'Constructor', 'string'],
			['__proto__', 'Proto', 'string'],
			['toString', 'To String', 'string'],
			['hasOwnProperty', 'Has Own Property', 'string'],
			['valueOf', 'Value Of', 'string'],
		]);
		expect(model.fields[0]).toMatchObject({ required: true, enum: ['a', 'b'] });
		expect(labelOf('constructor')).toBe('Constructor');
		expect(labelOf('toString')).toBe('To String');
		expect(labelOf('__proto__')).toBe('Proto');
		expect(mapperFields(model).map((field) => [field.id, field.displayName])).toEqual(model.fields.map((field) => [field.name, field.label]));
		expect(({} as Record<string, unknown>).polluted).toBeUndefined();
	});

	it('stored mapper fields with odd types and names read as strings', () => {
		const stored = modelFromMapperFields('acme/x', [
			{ id: 'constructor', displayName: 'Constructor', type: 'constructor' as never, required: true, defaultMatch: false, display: true },
			{ id: 'toString', displayName: '', type: 'toString' as never, required: false, defaultMatch: false, display: true },
		])!;
		expect(stored.fields.map((field) => [field.name, field.label, field.type])).toEqual([
			['constructor', 'Constructor', 'string'],
			['toString', 'toString', 'string'],
		]);
	});

	it('are read and sent as the item\'s own values: unset ones are not Object.prototype\'s, `__proto__` is a key', () => {
		const model = liveModel(doc);
		const optional = { ...model, fields: model.fields.map((field) => ({ ...field, required: false })) };
		const values = JSON.parse('{"__proto__": "b", "valueOf": "a"}') as Record<string, unknown>;
		const { input, issues } = collectModelInput(optional, (param) => (Object.prototype.hasOwnProperty.call(values, param) ? values[param] : undefined));
		expect(issues).toEqual([]);
		expect(Object.keys(input)).toEqual(['__proto__', 'valueOf']);
		expect(JSON.stringify(input)).toBe('{"__proto__":"b","valueOf":"a"}');
		expect(Object.getPrototypeOf(input)).toBe(Object.prototype);
		expect(validateModelInput(optional, input)).toEqual([]);
		// Unset, `constructor` and `toString` are not Object.prototype's functions.
		expect(collectModelInput(optional, () => undefined).input).toEqual({});
	});

	it('schemaDrift sees a required "constructor" that the item does not send', () => {
		const live = liveModel(doc);
		const builtIn = getModel('gpt-image/1.5-text-to-image')!;
		expect(schemaDrift(builtIn, live, { prompt: 'a fox' })).toEqual([
			'KIE\'s schema now requires "constructor", which this node does not know: set it in Options → Additional Input (JSON) if KIE refuses the task',
		]);
	});
});
