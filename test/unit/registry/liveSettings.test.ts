import { carriedValue, settingForKey } from '../../../nodes/shared/registry/settings';
import { carrySettings } from '../../../nodes/shared/registry/mapper';

describe('a live model\'s fields start with the settings the user set for a built-in model', () => {
	it('finds the setting of the same meaning from KIE\'s key, as the built-in models name it', () => {
		expect(settingForKey('prompt')).toBe('prompt');
		expect(settingForKey('aspect_ratio')).toBe('aspectRatio');
		expect(settingForKey('image_urls')).toBe('inputUrls');
		expect(settingForKey('negative_prompt')).toBe('negativePrompt');
		expect(settingForKey('resolution')).toBe('resolution');
		expect(settingForKey('duration')).toBe('duration');
		expect(settingForKey('seed')).toBe('seed');
		// Not a key of the registry, or an object's own member name: nothing.
		for (const key of ['no_such_key', 'constructor', '__proto__', 'toString', '']) expect(settingForKey(key)).toBeUndefined();
	});

	it('carries a value the field takes, in the field\'s own spelling', () => {
		const options = (...values: Array<string | number>) => ({ type: 'options', options: values.map((value) => ({ value })) });
		expect(carriedValue(options('1K', '2K', '4K'), '4k')).toBe('4K');
		expect(carriedValue(options('5', '10'), 5)).toBe('5');
		expect(carriedValue(options(5, 10), '10')).toBe(10);
		expect(carriedValue(options('1:1', '16:9'), ' 16:9 ')).toBe('16:9');
		expect(carriedValue(options('1:1', '16:9'), '3:2')).toBeUndefined();
		expect(carriedValue({ type: 'number' }, '42')).toBe(42);
		expect(carriedValue({ type: 'number' }, 7.5)).toBe(7.5);
		expect(carriedValue({ type: 'number' }, 'abc')).toBeUndefined();
		expect(carriedValue({ type: 'number' }, '  ')).toBeUndefined();
		expect(carriedValue({ type: 'number' }, 'Infinity')).toBeUndefined();
		expect(carriedValue({ type: 'boolean' }, true)).toBe(true);
		expect(carriedValue({ type: 'boolean' }, 'true')).toBeUndefined();
		expect(carriedValue({ type: 'string' }, 'a fox')).toBe('a fox');
		expect(carriedValue({ type: 'string' }, 12)).toBe('12');
		expect(carriedValue({ type: 'object' }, 'x')).toBeUndefined();
	});

	it('carries nothing for "Default", an empty value, or a value that is not a plain one; an expression as it is', () => {
		for (const value of [undefined, null, '', {}, [], () => 1]) expect(carriedValue({ type: 'string' }, value)).toBeUndefined();
		expect(carriedValue({ type: 'number', options: [{ value: 1 }] }, '={{ $json.n }}')).toBe('={{ $json.n }}');
	});

	it('sets the fields\' start values and shows them; a parameter that cannot be read is skipped', () => {
		const fields = carrySettings(
			[
				{ id: 'prompt', displayName: 'Prompt', type: 'string', required: true, defaultMatch: false, display: true },
				{ id: 'seed', displayName: 'Seed', type: 'number', required: false, defaultMatch: false, display: true, removed: true },
				{ id: 'resolution', displayName: 'Resolution', type: 'string', required: false, defaultMatch: false, display: true, removed: true },
				{ id: 'custom', displayName: 'Custom', type: 'string', required: false, defaultMatch: false, display: true, removed: true },
			],
			(param) => {
				if (param === 'resolution') throw new Error('not set');
				return ({ prompt: 'a fox', seed: 3, custom: 'x' } as Record<string, unknown>)[param];
			},
		);
		expect(fields.map((field) => [field.id, field.defaultValue, field.removed])).toEqual([
			['prompt', 'a fox', false],
			['seed', 3, false],
			['resolution', undefined, true],
			['custom', undefined, true],
		]);
	});
});
