import { NodeHelpers, type INodeParameters, type INodeProperties } from 'n8n-workflow';

import { KieCreateTask } from '../../../nodes/KieCreateTask/KieCreateTask.node';
import { CALLBACK_REQUIRED_MODEL_IDS, MASK_MODEL_IDS, SUBTITLE } from '../../../nodes/KieCreateTask/description';
import { unusedOptions } from '../../../nodes/KieCreateTask/actions/prepare';

/** Every option shows only where it applies: by completion mode and by model (as n8n's editor decides). */
const description = new KieCreateTask().description;
const options = (description.properties.find((property) => property.name === 'options')!.options ?? []) as INodeProperties[];
const option = (name: string) => options.find((candidate) => candidate.name === name)!;
const node = { typeVersion: 1 };

function shown(name: string, completion: string | undefined, modelId = 'gpt-image/1.5-text-to-image', set: INodeParameters = {}): boolean {
	const root: INodeParameters = { model: { __rl: true, mode: 'list', value: modelId }, options: set };
	if (completion !== undefined) root.completion = completion;
	return NodeHelpers.displayParameterPath(root, option(name), 'options', node, description);
}

describe('KIE Create Task: options by completion mode', () => {
	it('Limit Wait Time only with Wait for Callback (not in Poll, Submit Only or as a tool)', () => {
		expect(shown('limitWait', 'callback')).toBe(true);
		expect(shown('limitWait', 'poll')).toBe(false);
		expect(shown('limitWait', 'submit')).toBe(false);
		expect(shown('limitWait', undefined)).toBe(false); // the tool has no Completion
	});

	it('Callback URL and Callback Context not with Wait for Callback, which uses its own resume URL', () => {
		for (const name of ['callBackUrl', 'callbackContext']) {
			expect(shown(name, 'callback')).toBe(false);
			expect(shown(name, 'poll')).toBe(true);
			expect(shown(name, 'submit')).toBe(true);
		}
	});

	it('Download Results, Poll Interval and Timeout not with Submit Only, which gets no result; shown for the tool, which polls', () => {
		for (const name of ['downloadResults', 'pollInterval', 'timeout']) {
			expect(shown(name, 'submit')).toBe(false);
			expect(shown(name, 'poll')).toBe(true);
			expect(shown(name, 'callback')).toBe(true);
			expect(shown(name, undefined)).toBe(true);
		}
		expect(shown('maxDownloadSizeMB', 'poll', undefined, { downloadResults: true })).toBe(true);
		expect(shown('maxDownloadSizeMB', 'submit', undefined, { downloadResults: true })).toBe(false);
	});

	it('options that apply everywhere stay', () => {
		for (const completion of ['poll', 'callback', 'submit', undefined]) {
			for (const name of ['additionalInput', 'batching', 'checkCreditsFirst', 'includeRaw', 'requestTimeout']) expect(shown(name, completion)).toBe(true);
		}
	});
});

describe('KIE Create Task: options by model', () => {
	it('Mask From Binary only for models with a mask input', () => {
		expect(MASK_MODEL_IDS).toContain('4o-image');
		expect(shown('maskFromBinary', 'poll', '4o-image')).toBe(true);
		expect(shown('maskFromBinary', 'poll', 'gpt-image/1.5-text-to-image')).toBe(false);
		expect(shown('maskFromBinary', 'poll', 'ideogram/v3-edit')).toBe(true);
		// A live model, or one from an expression: the run checks it.
		expect(shown('maskFromBinary', 'poll', 'acme/pixel-forge-3')).toBe(true);
		expect(shown('maskFromBinary', 'poll', '={{ $json.model }}')).toBe(true);
	});

	it('Input Images From Binary only for models that take input images', () => {
		expect(shown('inputImagesFromBinary', 'poll', 'gpt-image/1.5-image-to-image')).toBe(true);
		expect(shown('inputImagesFromBinary', 'poll', '4o-image')).toBe(true);
		expect(shown('inputImagesFromBinary', 'poll', 'gpt-image/1.5-text-to-image')).toBe(false);
		expect(shown('inputImagesFromBinary', 'poll', 'suno/generate')).toBe(false);
		expect(shown('inputImagesFromBinary', 'poll', 'acme/pixel-forge-3')).toBe(true);
	});

	it('the placeholder callback URL is explained for the models that need one, in Poll and Submit Only', () => {
		const notice = description.properties.find((property) => property.name === 'unusedCallbackNotice')!;
		expect(notice.displayName).toContain('kie-ai-callback-unused');
		expect(CALLBACK_REQUIRED_MODEL_IDS).toEqual(expect.arrayContaining(['suno/generate', 'runway']));
		expect(CALLBACK_REQUIRED_MODEL_IDS).not.toContain('gpt-image/1.5-text-to-image');
		const at = (completion: string, modelId: string) =>
			NodeHelpers.displayParameter({ completion, model: { __rl: true, mode: 'list', value: modelId } }, notice, node, description);
		expect(at('poll', 'suno/generate')).toBe(true);
		expect(at('submit', 'runway')).toBe(true);
		expect(at('callback', 'suno/generate')).toBe(false);
		expect(at('poll', 'gpt-image/1.5-text-to-image')).toBe(false);
	});
});

describe('KIE Create Task: a value left from another mode is said, never silently ignored', () => {
	it('names each unused option with what to do', () => {
		expect(unusedOptions({ limitWait: 60 }, 'poll', '')).toEqual([
			'Options → "Limit Wait Time" applies only to Completion "Wait for Callback", so it is not used with "Wait Until Done (Poll)"; remove it or use Timeout',
		]);
		expect(unusedOptions({ limitWait: 60 }, 'callback', '')).toEqual([]);
		expect(unusedOptions({ limitWait: 0 }, 'poll', '')).toEqual([]);
		expect(unusedOptions({ downloadResults: true, timeout: 60 }, 'submit', '')).toHaveLength(2);
		expect(unusedOptions({ downloadResults: true, timeout: 60 }, 'poll', '')).toEqual([]);
		const context = { callbackContext: { values: [{ key: 'rowId', value: '1' }] } };
		expect(unusedOptions(context, 'callback', '')[0]).toContain('"Callback Context" is not used with Completion "Wait for Callback"');
		expect(unusedOptions(context, 'submit', '')[0]).toContain('"Callback URL" only, which is not set');
		expect(unusedOptions(context, 'submit', 'https://n8n.example.com/webhook/x/callback')).toEqual([]);
		// Blank context rows are not a value.
		expect(unusedOptions({ callbackContext: { values: [{ key: ' ', value: 'x' }] } }, 'poll', '')).toEqual([]);
	});
});

describe('KIE Create Task: the canvas subtitle', () => {
	// The expression as n8n evaluates it: the function, with the Model's value and the Completion.
	const evaluate = (model: unknown, completion?: string) => {
		const body = SUBTITLE.slice(3, -2).replace('$parameter["model"]', JSON.stringify(model)).replace('$parameter["completion"]', JSON.stringify(completion ?? null));
		return (0, eval)(body) as string;
	};

	it('names the model as the picker does, and the completion mode in words (Poll, the default, unsaid)', () => {
		expect(description.subtitle).toBe(SUBTITLE);
		expect(evaluate('gpt-image/1.5-text-to-image', 'poll')).toBe('GPT Image 1.5 · Text to Image');
		expect(evaluate('4o-image', 'callback')).toBe('4o Image (GPT-Image-1) · Text to Image (Wait for Callback)');
		expect(evaluate('suno/generate', 'submit')).toBe('Suno · Generate Music (Submit Only)');
		// The resource locator itself (n8n 1.123 may pass it), a live model, an expression, nothing.
		expect(evaluate({ __rl: true, mode: 'list', value: 'veo3.1' }, 'poll')).toBe('Veo 3.1 · Generate Video');
		expect(evaluate('acme/pixel-forge-3', 'poll')).toBe('acme/pixel-forge-3');
		expect(evaluate('constructor', undefined)).toBe('constructor');
		expect(evaluate(null, undefined)).toBe('');
	});
});
