import type { IExecuteFunctions } from 'n8n-workflow';

import { createBody, prepareTask, withCallbackContext } from '../../../nodes/KieCreateTask/actions/prepare';

/** A minimal execute context: parameters from a map, as n8n resolves them for one item. */
function contextWith(parameters: Record<string, unknown>): IExecuteFunctions {
	return {
		getNodeParameter: (name: string, _item: number, fallback?: unknown) => (name in parameters ? parameters[name] : fallback),
		getNode: () => ({ name: 'KIE Create Task', type: 'kieCreateTask', typeVersion: 1, position: [0, 0], parameters: {} }),
	} as unknown as IExecuteFunctions;
}

const base = {
	model: { __rl: true, mode: 'list', value: 'gpt-image/1.5-text-to-image' },
	prompt: 'a fox',
	aspectRatio: '1:1',
	quality: 'medium',
	options: {},
};
const RESUME = 'https://n8n.example.com/webhook-waiting/42?signature=abc';

describe('prepareTask: binary options a model cannot use', () => {
	it('refuses input images from binary for a model without an input-image field, and a mask for a model without one, before any upload', () => {
		expect(() => prepareTask.call(contextWith({ ...base, options: { inputImagesFromBinary: 'data' } }), 0)).toThrow(/takes no input files/);
		const i2i = { ...base, model: { __rl: true, mode: 'list', value: 'gpt-image/1.5-image-to-image' }, inputUrls: 'https://example.com/a.png' };
		expect(() => prepareTask.call(contextWith({ ...i2i, options: { maskFromBinary: 'mask' } }), 0)).toThrow(/takes no mask/);
	});
});

describe('prepareTask: completion modes', () => {
	it('refuses a Callback URL with Wait for Callback (the editor hides it then; an expression may still set both), before any request', () => {
		expect(() =>
			prepareTask.call(contextWith({ ...base, completion: 'callback', options: { callBackUrl: 'https://example.com/hook' } }), 0, { resumeUrl: RESUME }),
		).toThrow('"Callback URL" cannot be combined with Completion "Wait for Callback"');
	});

	it('Wait for Callback sends the resume URL as callBackUrl', () => {
		const plan = prepareTask.call(contextWith({ ...base, completion: 'callback' }), 0, { resumeUrl: RESUME });
		expect(plan.completion).toBe('callback');
		expect(createBody(plan, plan.input).callBackUrl).toBe(RESUME);
		expect(plan.limitWaitMs).toBe(0); // no limit
	});

	it('polls without a callBackUrl when KIE could not reach the resume URL', () => {
		const plan = prepareTask.call(contextWith({ ...base, completion: 'callback' }), 0, { pollInstead: true });
		expect(plan.completion).toBe('poll');
		expect(createBody(plan, plan.input).callBackUrl).toBeUndefined();
	});

	it('falls back to polling when the node runs as an AI tool', () => {
		const plan = prepareTask.call(contextWith({ ...base, completion: 'callback' }), 0, { resumeUrl: RESUME, isTool: true });
		expect(plan.completion).toBe('poll');
		expect(createBody(plan, plan.input).callBackUrl).toBeUndefined();
	});

	it('takes Limit Wait Time; 0 and the Timeout option leave the wait without a limit', () => {
		expect(prepareTask.call(contextWith({ ...base, completion: 'callback', options: { limitWait: 120 } }), 0, { resumeUrl: RESUME }).limitWaitMs).toBe(120_000);
		expect(prepareTask.call(contextWith({ ...base, completion: 'callback', options: { timeout: 60 } }), 0, { resumeUrl: RESUME }).limitWaitMs).toBe(0);
	});
});

describe('withCallbackContext', () => {
	it('appends pairs as query parameters, keeping the URL\'s own', () => {
		expect(withCallbackContext('https://h/webhook/x/callback?a=1', [{ key: 'rowId', value: '7' }, { key: ' ', value: 'skipped' }, { key: 'name', value: 'a b&c' }])).toBe(
			'https://h/webhook/x/callback?a=1&rowId=7&name=a+b%26c',
		);
		expect(withCallbackContext('https://h/cb', [])).toBe('https://h/cb');
	});
});
