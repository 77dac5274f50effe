import { getModel, labelOf } from '../../../nodes/shared/registry';
import { modelFromLiveSchema, registryDiff, schemaDrift } from '../../../nodes/shared/registry/liveSchema';
import { mapperFields, modelFromMapperFields } from '../../../nodes/shared/registry/mapper';
import type { ModelDefinition } from '../../../nodes/shared/registry/types';
import { formatIssue, validateModelInput } from '../../../nodes/shared/registry/validation';

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
