import { getModel, MODELS, paramName } from '../../../nodes/shared/registry';
import { type ModelDefinition, type ModelField } from '../../../nodes/shared/registry/types';
import { CATALOGUE, displayNameFor, FAMILY_PROVIDERS } from '../../../nodes/shared/registry/models/market';
import { GPT_IMAGE_MODELS } from '../../../nodes/shared/registry/models/gptImage';
import { ADDITIONAL_FIELDS_PARAM, buildModelProperties, defaultOptionName, isAdditionalField } from '../../../nodes/shared/registry/properties';
import { sharedOptions } from '../../../nodes/shared/registry/settings';
import { validateModelInput } from '../../../nodes/shared/registry/validation';
import { inputFrom, modelProperty, requiredValues, sampleValue, SAMPLE_URL } from '../../support/model-samples';
// The simulator's own validator, to prove both sides read the catalogue the same way.
import * as simulatorValidation from '../../../simulator/validate';

const validator = simulatorValidation as unknown as {
	requestSchemaFor(id: string): { properties: { input: { required: string[]; properties: Record<string, { enum?: unknown[]; format?: string; items?: { format?: string } }> } } } | null;
};

const MARKET = MODELS.filter((model) => model.api === 'market');

/** A valid input for a model: its default request with a prompt and every required field. */
function validInput(model: ModelDefinition): Record<string, unknown> {
	const { input, issues } = inputFrom(model, requiredValues(model));
	expect(issues).toEqual([]);
	return input;
}

interface Case {
	what: string;
	field: ModelField;
	value: unknown;
}

/** Invalid values for every enum, limit, URL and type rule of a field. */
function badCases(field: ModelField): Case[] {
	const cases: Case[] = [];
	const add = (what: string, value: unknown) => cases.push({ what: `${field.name}: ${what}`, field, value });
	if (field.enum) {
		add('value outside the enum', typeof field.enum[0] === 'number' ? Math.max(...(field.enum as number[])) + 1000 : '__not_allowed__');
		// String enums stay strings: "5" is allowed, 5 is not (and the other way round).
		const first = field.enum[0];
		if (typeof first === 'string' && first !== '' && !Number.isNaN(Number(first))) add('a number for a string enum', Number(first));
		if (typeof first === 'number') add('a string for a numeric enum', String(first));
	}
	if (field.min !== undefined) add(`below the minimum ${field.min}`, field.min - 1);
	if (field.max !== undefined) add(`above the maximum ${field.max}`, field.max + 1);
	if (field.maxLength !== undefined) add(`longer than ${field.maxLength}`, 'x'.repeat(field.maxLength + 1));
	const item = Array.isArray(sampleValue(field)) ? (sampleValue(field) as unknown[])[0] : undefined;
	if (field.maxItems !== undefined) add(`more than ${field.maxItems} items`, Array.from({ length: field.maxItems + 1 }, () => item));
	if (field.minItems !== undefined && field.minItems > 0) add(`fewer than ${field.minItems} items`, Array.from({ length: field.minItems - 1 }, () => item));
	if (field.format === 'uri') add('not an http(s) URL', field.type === 'array' ? ['ftp://example.com/a.png'] : 'ftp://example.com/a.png');
	if (field.type === 'integer' && !field.enum) add('a fraction for an integer', (field.min ?? 0) + 0.5);
	if (field.type === 'boolean') add('a string for a boolean', 'true');
	return cases;
}

describe('catalogue: every Market model is registered', () => {
	it('holds all 140 catalogue models once (120 of November, 20 added since), GPT Image 1.5 from its hand definitions', () => {
		expect(CATALOGUE).toHaveLength(140);
		const ids = MODELS.map((model) => model.id);
		expect(new Set(ids).size).toBe(ids.length);
		for (const entry of CATALOGUE) expect(ids).toContain(entry.id);
		for (const hand of GPT_IMAGE_MODELS) expect(getModel(hand.id)).toBe(hand);
	});

	it.each(CATALOGUE.map((entry) => [entry.id]))('%s has a complete definition', (id) => {
		const entry = CATALOGUE.find((candidate) => candidate.id === id)!;
		const model = getModel(id)!;
		expect(model).toMatchObject({ id, family: entry.family, kind: entry.kind, media: entry.media, api: 'market' });
		expect(model.provider).toBe(FAMILY_PROVIDERS[entry.family] ?? entry.family);
		expect(model.displayName).not.toMatch(/[/_]/);
		expect(model.fields.map((field) => field.name)).toEqual(entry.input.map((field) => field.name));
		if (model.imageField) {
			const field = model.fields.find((candidate) => candidate.name === model.imageField)!;
			expect(field.format).toBe('uri');
			expect(paramName(model, field)).toBe('inputUrls');
		}
		for (const field of model.fields) {
			const source = entry.input.find((candidate) => candidate.name === field.name)!;
			// String enums stay strings ("5"), numeric enums numbers.
			if (source.enum) expect(field.enum).toEqual(source.enum);
		}
	});

	it('names models readably', () => {
		expect(displayNameFor('kling-2.6/text-to-video')).toBe('Kling 2.6 · Text to Video');
		expect(getModel('kling-2.6/text-to-video')!.displayName).toBe('Kling 2.6 · Text to Video');
		expect(getModel('wan/2-6-flash-image-to-video')!.displayName).toBe('Wan 2.6 Flash · Image to Video');
		expect(getModel('kling/v2-1-master-text-to-video')!.displayName).toBe('Kling V2.1 Master · Text to Video');
		expect(getModel('flux-2/pro-text-to-image')!).toMatchObject({ provider: 'Black Forest Labs', docsUrl: 'https://docs.kie.ai/market/flux2/pro-text-to-image' });
	});

	it('does not require fields the catalogue marks as conditionally required (kling-3.0/video)', () => {
		const kling = getModel('kling-3.0/video')!;
		const required = kling.fields.filter((field) => field.required).map((field) => field.name);
		expect(required).toEqual(['prompt']);
		expect(kling.fields.find((field) => field.name === 'multi_prompt')!.showWhen).toEqual({ multiShots: [true] });
	});

	it('keeps the card parameters across models', () => {
		for (const model of MODELS) {
			const params = model.fields.map((field) => paramName(model, field));
			if (model.fields.some((field) => field.name === 'aspect_ratio' || field.name === 'ratio')) expect(params).toContain('aspectRatio');
			if (model.fields.some((field) => field.name === 'prompt')) expect(params).toContain('prompt');
			if (model.imageField) expect(params).toContain('inputUrls');
		}
	});
});

describe('catalogue: registry and simulator read the catalogue the same way', () => {
	it.each(MARKET.map((model) => [model.id]))('%s: same required fields, enums and URL fields', (id) => {
		const model = getModel(id)!;
		const schema = validator.requestSchemaFor(id)!.properties.input;
		expect(model.fields.filter((field) => field.required).map((field) => field.name).sort()).toEqual([...schema.required].sort());
		for (const field of model.fields) {
			const simulated = schema.properties[field.name];
			expect(simulated).toBeDefined();
			if (simulated.enum) expect(field.enum).toEqual(simulated.enum);
			if (simulated.format === 'uri' || simulated.items?.format === 'uri') expect(`${field.name}:${field.format}`).toBe(`${field.name}:uri`);
		}
	});
});

describe('catalogue: every registered model builds a valid request', () => {
	it.each(MODELS.map((model) => [model.id]))('%s: defaults, a prompt and its required fields', (id) => {
		const model = getModel(id)!;
		const input = validInput(model);
		expect(validateModelInput(model, input)).toEqual([]);
		for (const field of model.fields.filter((candidate) => candidate.required && !candidate.showWhen)) {
			expect(input[field.name]).toBeDefined();
		}
		// Optional fields without a documented default are not sent.
		for (const field of model.fields.filter(isAdditionalField)) expect(input[field.name]).toBeUndefined();
	});
});

describe('catalogue: every enum, limit and required field is enforced', () => {
	it.each(MODELS.map((model) => [model.id]))('%s', (id) => {
		const model = getModel(id)!;
		const valid = validInput(model);
		const missed: string[] = [];
		for (const field of model.fields) {
			for (const { what, value } of badCases(field)) {
				const issues = validateModelInput(model, { ...valid, [field.name]: value });
				if (!issues.some((issue) => issue.field === field.name)) missed.push(what);
			}
			if (field.required) {
				const input = { ...valid };
				delete input[field.name];
				const issues = validateModelInput(model, input);
				if (!issues.some((issue) => issue.field === field.name && /is required/.test(issue.message))) missed.push(`${field.name}: missing`);
			}
		}
		expect(missed).toEqual([]);
	});

	it('has cases for every kind of rule', () => {
		const rules = MODELS.flatMap((model) => model.fields.flatMap((field) => badCases(field).map((entry) => entry.what.replace(/^[^:]+: /, '').replace(/[\d.]+/g, 'N'))));
		for (const rule of ['value outside the enum', 'a number for a string enum', 'a string for a numeric enum', 'below the minimum N', 'above the maximum N', 'longer than N', 'more than N items', 'fewer than N items', 'not an http(s) URL']) {
			expect(rules).toContain(rule);
		}
		expect(rules.length).toBeGreaterThan(900);
	});

	it('an input image field that takes one URL refuses a list', () => {
		for (const model of MODELS.filter((candidate) => candidate.fields.some((field) => field.name === candidate.imageField && field.type === 'string'))) {
			const { issues } = inputFrom(model, requiredValues(model, { inputUrls: `${SAMPLE_URL}\n${SAMPLE_URL}` }));
			expect(issues.map((issue) => issue.message)).toEqual(['takes one URL (got 2)']);
			const one = inputFrom(model, requiredValues(model, { inputUrls: ` ${SAMPLE_URL} ` }));
			expect(one.input[model.imageField!]).toBe(SAMPLE_URL);
		}
	});
});

describe('catalogue: generated parameters', () => {
	const properties = buildModelProperties();
	const additional = properties.find((property) => property.name === ADDITIONAL_FIELDS_PARAM)!;

	it('puts optional booleans and numbers without a default into Additional Fields, shown per model', () => {
		expect(additional.type).toBe('collection');
		const seed = (additional.options as Array<{ name: string; displayOptions?: { show?: Record<string, string[]> } }>).filter(
			(option) => option.name === 'seed',
		);
		expect(seed.length).toBeGreaterThan(0);
		expect(seed.flatMap((option) => option.displayOptions!.show!['/model'])).toContain('ideogram/v3-text-to-image');
		expect(modelProperty('nsfwChecker', 'flux-2/pro-text-to-image')).toBeUndefined();
	});

	it('sends an additional field only when the user adds it', () => {
		// Ideogram V3: every optional field lacks a default, so a bare request is just the prompt.
		const model = getModel('ideogram/v3-text-to-image')!;
		expect(inputFrom(model, requiredValues(model)).input).toEqual({ prompt: 'a red fox in the snow' });
		const added = { [ADDITIONAL_FIELDS_PARAM]: { seed: 42, expandPrompt: false } };
		expect(inputFrom(model, requiredValues(model, added)).input).toEqual({ prompt: 'a red fox in the snow', seed: 42, expand_prompt: false });
	});

	it('shares one property between models whose field has the same signature', () => {
		const nsfw = (additional.options as Array<{ name: string; displayOptions?: { show?: Record<string, string[]> } }>).filter(
			(option) => option.name === 'nsfwChecker',
		);
		expect(nsfw.length).toBeLessThan(5);
		expect(nsfw.flatMap((option) => option.displayOptions!.show!['/model']).length).toBeGreaterThan(20);
	});

	it('offers "Model Default" for optional enums without a default, and then leaves the field out', () => {
		const aspect = modelProperty('aspectRatio', 'gemini-omni-video')!;
		expect(aspect.default).toBe('');
		expect(sharedOptions('aspectRatio', getModel('gemini-omni-video'), defaultOptionName)[0]).toEqual({ name: 'Model Default', value: '' });
		const model = getModel('gemini-omni-video')!;
		expect(inputFrom(model, requiredValues(model)).input.aspect_ratio).toBeUndefined();
		expect(inputFrom(model, requiredValues(model, { aspectRatio: '9:16' })).input.aspect_ratio).toBe('9:16');
	});
});

describe('catalogue: the models added after November (Catalogue II)', () => {
	const ADDED = CATALOGUE.slice(120);

	it('are the 20 whose input is documented, each with where it comes from', () => {
		expect(ADDED.map((entry) => entry.id)).toEqual([
			'minimax-h3/text-to-video',
			'minimax-h3/image-to-video',
			'minimax-h3/reference-to-video',
			'bytedance/seedance-2-5',
			'seedream/5-pro-text-to-image',
			'seedream/5-pro-image-to-image',
			'seedream/5-pro-layer-decomposition',
			'qwen3/text-to-image',
			'qwen3/image-to-image',
			'qwen3/pro-text-to-image',
			'qwen3/pro-image-to-image',
			'grok-imagine-image-2-0/text-to-image',
			'grok-imagine-image-2-0/segment-map',
			'grok-imagine-image-2-0/segment-edit',
			'pixverse-v6/text-to-video',
			'pixverse-v6/image-to-video',
			'pixverse-v6/transition',
			'pixverse-v6/extend',
			'pixverse-v6/reference-to-video',
			'nano-banana-2-lite',
		]);
		for (const entry of ADDED) {
			// KIE's docs page, and the public copy of its schema the fields were taken from.
			expect(entry.source?.[0]).toMatch(/^https:\/\/docs\.kie\.ai\/market\//);
			expect((entry.source ?? []).some((source) => / @ [0-9a-f]{40}$/.test(source))).toBe(true);
			expect(getModel(entry.id)?.docsUrl).toMatch(/^https:\/\/docs\.kie\.ai\//);
		}
	});

	it('are named with KIE\'s own spelling of the brands', () => {
		const names = ADDED.map((entry) => getModel(entry.id)!.displayName);
		expect(names.filter((name) => /Minimax|Pixverse/.test(name))).toEqual([]);
		expect(getModel('pixverse-v6/transition')!.displayName).toBe('PixVerse V6 · Transition');
	});
});

