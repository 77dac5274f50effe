import type { INode, INodeParameters, INodeProperties } from 'n8n-workflow';
import { NodeHelpers } from 'n8n-workflow';

import { KieCreateTask } from '../../../nodes/KieCreateTask/KieCreateTask.node';

import { getFamily } from '../../../nodes/shared/families';
import { getModel, MODELS, paramName, searchModels } from '../../../nodes/shared/registry';
import { buildModelProperties, defaultOptionName, fieldProperty, keeperNotice } from '../../../nodes/shared/registry/properties';
import { sharedOptions } from '../../../nodes/shared/registry/settings';
import { editorDefaults, modelProperty, requiredValues, shownFor } from '../../support/model-samples';
import {
	collectModelInput,
	formatIssue,
	parseList,
	validateModelInput,
} from '../../../nodes/shared/registry/validation';

const T2I = getModel('gpt-image/1.5-text-to-image')!;
const I2I = getModel('gpt-image/1.5-image-to-image')!;
const FOUR_O = getModel('4o-image')!;

/** Parameter values as the editor would hold them: every property at its default. */
function defaultsFor(modelId: string, overrides: Record<string, unknown> = {}) {
	return { ...editorDefaults(modelId), ...overrides };
}

describe('registry', () => {
	it('registers the three seed APIs', () => {
		expect(MODELS.map((model) => model.id)).toEqual(
			expect.arrayContaining(['gpt-image/1.5-text-to-image', 'gpt-image/1.5-image-to-image', '4o-image']),
		);
	});

	it('maps every input-image field to the stable `inputUrls` parameter', () => {
		expect(paramName(I2I, I2I.fields.find((field) => field.name === 'input_urls')!)).toBe('inputUrls');
		expect(paramName(FOUR_O, FOUR_O.fields.find((field) => field.name === 'filesUrl')!)).toBe('inputUrls');
		expect(paramName(T2I, T2I.fields.find((field) => field.name === 'aspect_ratio')!)).toBe('aspectRatio');
	});

	it('searches by name, provider and family', () => {
		const openAi = searchModels('openai');
		expect(openAi.map((model) => model.id)).toEqual(expect.arrayContaining(['gpt-image/1.5-text-to-image', 'gpt-image/1.5-image-to-image', '4o-image', 'sora-2-text-to-video']));
		expect(openAi.every((model) => model.provider === 'OpenAI')).toBe(true);
		expect(searchModels('GPT Image 1.5 · Image to Image').map((model) => model.id)).toEqual(['gpt-image/1.5-image-to-image']);
		expect(searchModels('kling 2.6 text').map((model) => model.id)).toEqual(['kling-2.6/text-to-video']);
		expect(searchModels('4o').map((model) => model.id)).toEqual(['4o-image']);
		expect(searchModels('nothing-like-this')).toEqual([]);
	});

	// Models with other required fields (a mask, an audio URL…) get sample values for them too.
	it.each(MODELS.map((model) => [model.id]))('%s builds a valid request from its defaults and a prompt', (id) => {
		const model = getModel(id)!;
		// As many input URLs as the model needs (Suno's mashup takes exactly 2).
		const urls = Math.max(1, model.fields.find((field) => field.name === model.imageField)?.minItems ?? 1);
		const inputUrls = Array.from({ length: urls }, (_, i) => `https://example.com/in-${i}.png`).join(', ');
		const values = requiredValues(model, { prompt: 'a red fox', inputUrls });
		const { input, issues } = collectModelInput(model, (param) => values[param] ?? null);
		expect(issues).toEqual([]);
		expect(validateModelInput(model, input)).toEqual([]);
	});
});

describe('registry: generated n8n properties', () => {
	const properties = buildModelProperties();
	const byName = (name: string) => properties.filter((property) => property.name === name);
	const optionsFor = (param: string, modelId: string) => sharedOptions(param, getModel(modelId), defaultOptionName);

	it('shares one property between models with the same field', () => {
		const quality = byName('quality').filter((property) => shownFor(property, T2I.id) || shownFor(property, I2I.id));
		expect(quality).toHaveLength(1);
		expect(quality[0].displayOptions?.show?.model).toEqual(['gpt-image/1.5-text-to-image', 'gpt-image/1.5-image-to-image']);
	});

	it('offers a setting that several models have with the values of the chosen model, after "Default (…)"', () => {
		const aspect = modelProperty('aspectRatio', T2I.id)!;
		expect(aspect).toMatchObject({
			type: 'options',
			default: '',
			typeOptions: { loadOptionsMethod: 'aspectRatioOptions', loadOptionsDependsOn: ['model.value'] },
		});
		expect(aspect.required).toBeUndefined();
		expect(optionsFor('aspectRatio', T2I.id)).toEqual([
			{ name: 'Default (1:1)', value: '' },
			{ name: '1:1', value: '1:1' },
			{ name: '2:3', value: '2:3' },
			{ name: '3:2', value: '3:2' },
		]);
		expect(optionsFor('aspectRatio', I2I.id)[0]).toEqual({ name: 'Default (3:2)', value: '' });
		expect(optionsFor('quality', T2I.id).map((option) => option.name)).toEqual(['Default (medium)', 'medium', 'high']);
		// An optional setting without a documented default is left to KIE.
		expect(optionsFor('aspectRatio', 'gemini-omni-video')[0]).toEqual({ name: 'Model Default', value: '' });
	});

	it('names a value the same for every model: "4K" and "4k", "5" and 5', () => {
		expect(optionsFor('resolution', 'veo3.1')).toContainEqual({ name: '4k', value: '4K' });
		expect(optionsFor('duration', 'runway')).toContainEqual({ name: '5', value: '5' });
		expect(collectModelInput(getModel('veo3.1')!, (param) => ({ prompt: 'p', resolution: '4K' })[param] ?? null).input.resolution).toBe('4k');
		const runway = getModel('runway')!;
		const values = requiredValues(runway, { duration: '10', quality: '720p' });
		expect(collectModelInput(runway, (param) => values[param] ?? null).input.duration).toBe(10);
	});

	it('4o Image\'s Size and Qwen Image 2\'s image_size are the shared aspect ratio', () => {
		expect(modelProperty('aspectRatio', '4o-image')).toMatchObject({ displayName: 'Size', type: 'options' });
		expect(modelProperty('size', '4o-image')).toBeUndefined();
		expect(paramName(getModel('qwen2/text-to-image')!, getModel('qwen2/text-to-image')!.fields.find((field) => field.name === 'image_size')!)).toBe('aspectRatio');
		// Nano Banana has both: its image_size stays a field of its own.
		const nano = getModel('google/nano-banana')!;
		expect(paramName(nano, nano.fields.find((field) => field.name === 'image_size')!)).toBe('imageSize');
	});

	it('keeps a setting\'s value for models that lack it, and says so while a value is set', () => {
		const keepers = byName('quality').filter((property) => property.type === 'hidden' || property.type === 'notice');
		expect(keepers.map((property) => property.type)).toEqual(['hidden', 'notice']);
		const [holder, notice] = keepers;
		for (const keeper of keepers) {
			expect(shownFor(keeper, '4o-image')).toBe(true);
			expect(shownFor(keeper, T2I.id)).toBe(false);
			expect(keeper.default).toBe('');
		}
		// The hidden one holds the value for n8n's parameter logic; the notice is shown only while a value
		// is set, since n8n's panel clears a parameter it stops showing.
		expect(holder.displayOptions?.show?.quality ?? holder.displayOptions?.hide?.quality).toBeUndefined();
		expect(notice.displayOptions?.show?.quality).toEqual([{ _cnd: { exists: true } }]);
		// True for both kinds of model it shows for: a built-in model without the setting, and a live model.
		expect(notice.displayName).toBe(keeperNotice('Quality'));
		expect(notice.displayName).toBe(
			'"Quality" keeps the value you set for another model. It is sent only to a model that has this setting; a model from KIE\'s live list gets it in its Model Input field of the same name.',
		);
		// Shown for a model only KIE's live list has (its id is in no list), so the value survives it.
		for (const keeper of keepers) expect(shownFor(keeper, 'acme/pixel-forge-3')).toBe(true);
		// A model never reads another model's setting.
		const values: Record<string, unknown> = { ...defaultsFor('4o-image', { prompt: 'p' }), quality: 'high' };
		expect(collectModelInput(FOUR_O, (param) => values[param] ?? null).input).not.toHaveProperty('quality');
	});

	// A model switch as n8n's editor computes it: the parameters kept (those still shown), then the new model's.
	const description = new KieCreateTask().description;
	const node = (parameters: INodeParameters): INode => ({ id: 'n', name: 'KIE', type: 'kieCreateTask', typeVersion: 1, position: [0, 0], parameters });
	const full = (values: INodeParameters) => NodeHelpers.getNodeParameters(description.properties, values, true, false, node(values), description)!;
	const switchTo = (values: INodeParameters, id: string) => {
		const kept = NodeHelpers.getNodeParameters(description.properties, values, false, false, node(values), description)!;
		return full({ ...kept, model: { __rl: true, mode: 'list', value: id } });
	};

	it('keeps the value through a model without the setting, as n8n\'s parameter logic computes it', () => {
		let values = full({ model: { __rl: true, mode: 'list', value: T2I.id }, aspectRatio: '3:2', quality: 'high' });
		values = switchTo(values, '4o-image');
		expect(values).toMatchObject({ aspectRatio: '3:2', quality: 'high' });
		values = switchTo(values, 'kling-2.6/text-to-video');
		values = switchTo(values, T2I.id);
		expect(values).toMatchObject({ aspectRatio: '3:2', quality: 'high' });
	});

	it('keeps the prompt, input URLs and every shared setting through a live model (one n8n does not know), and back', () => {
		const typed = { prompt: 'a red fox in the snow', aspectRatio: '3:2', quality: 'high' };
		let values = full({ model: { __rl: true, mode: 'list', value: T2I.id }, ...typed });
		values = switchTo(values, 'acme/pixel-forge-3');
		expect(values).toMatchObject(typed);
		expect(values).toHaveProperty('modelInput');
		values = switchTo(values, T2I.id);
		expect(values).toMatchObject(typed);
		// Input URLs, from an image model through a live one to another image model.
		values = full({ model: { __rl: true, mode: 'list', value: 'gpt-image/1.5-image-to-image' }, prompt: 'p', inputUrls: 'https://example.com/a.png' });
		values = switchTo(switchTo(values, 'acme/pixel-forge-3'), 'gpt-image/1.5-image-to-image');
		expect(values).toMatchObject({ prompt: 'p', inputUrls: 'https://example.com/a.png' });
	});

	it('generates the 4o fields with their documented types', () => {
		const get = (name: string) => modelProperty(name, '4o-image')!;
		expect(get('nVariants')).toMatchObject({ type: 'options', default: 1, displayName: 'Variants' });
		expect((get('nVariants').options as Array<{ value: number }>).map((option) => option.value)).toEqual([1, 2, 4]);
		expect(get('maskUrl')).toMatchObject({ type: 'string', displayName: 'Mask URL' });
		expect(get('isEnhance')).toMatchObject({ type: 'boolean', default: false });
		expect(get('enableFallback')).toMatchObject({ type: 'boolean', default: false });
		expect(get('fallbackModel').displayOptions?.show).toMatchObject({ enableFallback: [true], model: ['4o-image'] });
		expect(get('inputUrls')).toMatchObject({ type: 'string', displayName: 'Input URLs' });
	});

	it('marks required fields without a default as required', () => {
		const prompt = modelProperty('prompt', T2I.id) as INodeProperties;
		expect(prompt.required).toBe(true);
		expect(prompt.typeOptions).toEqual({ rows: 4 });
	});

	it('offers "Model Default" for an optional enum without a default', () => {
		const property = fieldProperty(T2I, { name: 'style', type: 'string', enum: ['a', 'b'], description: 'Style.' });
		expect(property.options?.[0]).toEqual({ name: 'Model Default', value: '' });
		expect(property.default).toBe('');
	});
});

describe('registry: validation', () => {
	const issuesFor = (modelId: string, overrides: Record<string, unknown>) => {
		const model = getModel(modelId)!;
		const values = defaultsFor(modelId, { prompt: 'a red fox', ...overrides });
		const collected = collectModelInput(model, (param) => values[param] ?? null);
		return [...collected.issues, ...validateModelInput(model, collected.input)].map(formatIssue);
	};

	it('rejects a wrong aspect ratio, naming the field and the allowed values', () => {
		expect(issuesFor(T2I.id, { aspectRatio: '4:3' })).toEqual([
			'"Aspect Ratio" (parameter "aspectRatio", sent as "aspect_ratio") must be one of 1:1, 2:3, 3:2 (got "4:3")',
		]);
	});

	it('rejects 17 input URLs for GPT Image 1.5', () => {
		const urls = Array.from({ length: 17 }, (_, index) => `https://example.com/${index}.png`).join('\n');
		expect(issuesFor(I2I.id, { inputUrls: urls })).toEqual([
			'"Input URLs" (parameter "inputUrls", sent as "input_urls") takes at most 16 items (got 17)',
		]);
		expect(issuesFor(I2I.id, { inputUrls: urls.split('\n').slice(0, 16) })).toEqual([]);
	});

	it('rejects a missing prompt', () => {
		expect(issuesFor(T2I.id, { prompt: '   ' })).toEqual(['"Prompt" (parameter "prompt") is required']);
	});

	it('rejects image-to-image without input images, and URLs that are not http(s)', () => {
		expect(issuesFor(I2I.id, { inputUrls: '' })).toEqual([
			'"Input URLs" (parameter "inputUrls", sent as "input_urls") is required',
		]);
		expect(issuesFor(I2I.id, { inputUrls: 'ftp://example.com/a.png' })[0]).toContain('must hold only http(s) URLs');
	});

	it('4o needs a prompt or input images, not necessarily both', () => {
		expect(issuesFor('4o-image', { prompt: '', inputUrls: '' })).toEqual([
			'"Prompt" (parameter "prompt") is required unless "Input URLs" (sent as "filesUrl") is set',
		]);
		expect(issuesFor('4o-image', { prompt: '', inputUrls: 'https://example.com/a.png' })).toEqual([]);
		expect(issuesFor('4o-image', { nVariants: 3 })[0]).toContain('must be one of 1, 2, 4 (got 3)');
		expect(issuesFor('4o-image', { inputUrls: Array(6).fill('https://e.com/a.png') })[0]).toContain('takes at most 5 items');
	});

	it('sends fallbackModel only when fallback is enabled', () => {
		const values = defaultsFor('4o-image', { prompt: 'p' });
		const off = collectModelInput(FOUR_O, (param) => values[param] ?? null).input;
		expect(off).toEqual({ prompt: 'p', size: '1:1', nVariants: 1, isEnhance: false, enableFallback: false });
		const on = collectModelInput(FOUR_O, (param) => ({ ...values, enableFallback: true })[param] ?? null).input;
		expect(on.fallbackModel).toBe('FLUX_MAX');
	});
});

describe('families: request bodies', () => {
	it('builds the Market body in the documented shape', () => {
		expect(
			getFamily('market').buildCreateBody(I2I, { input_urls: ['https://a/x.webp'], prompt: 'p', aspect_ratio: '3:2', quality: 'medium' }, 'https://cb'),
		).toEqual({
			model: 'gpt-image/1.5-image-to-image',
			callBackUrl: 'https://cb',
			input: { input_urls: ['https://a/x.webp'], prompt: 'p', aspect_ratio: '3:2', quality: 'medium' },
		});
	});

	it('builds the flat 4o body', () => {
		expect(getFamily('4o').buildCreateBody(FOUR_O, { prompt: 'p', size: '1:1' })).toEqual({ prompt: 'p', size: '1:1' });
	});
});

describe('parseList', () => {
	it('splits commas and new lines, trims, drops blanks, and takes arrays', () => {
		expect(parseList('https://a/1.png, https://a/2.png\n\nhttps://a/3.png ,')).toEqual([
			'https://a/1.png',
			'https://a/2.png',
			'https://a/3.png',
		]);
		expect(parseList([' https://a/1.png ', ''])).toEqual(['https://a/1.png']);
		expect(parseList('')).toEqual([]);
	});
});
