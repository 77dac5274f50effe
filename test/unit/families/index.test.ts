import { FAMILIES, familyByBatchCode, getFamily } from '../../../nodes/shared/families';
import { MODELS } from '../../../nodes/shared/registry';

describe('families: the list every node reads', () => {
	it('has a family for every model of the registry', () => {
		for (const model of MODELS) expect(FAMILIES[model.api]?.name).toBe(model.api);
		expect(() => getFamily('nope')).toThrow('"nope" is not a KIE API family of this package');
	});

	it('names each family in a batch record by one character of its own', () => {
		const codes = Object.values(FAMILIES).map((family) => family.batchCode);
		expect(codes.every((code) => code.length === 1)).toBe(true);
		expect(new Set(codes).size).toBe(codes.length);
		for (const family of Object.values(FAMILIES)) expect(familyByBatchCode(family.batchCode)).toBe(family);
		// Executions already waiting keep the codes they were saved with.
		expect(Object.fromEntries(Object.values(FAMILIES).map((family) => [family.name, family.batchCode]))).toEqual({
			market: 'm',
			'4o': '4',
			'flux-kontext': 'f',
			veo: 'v',
			'veo-1080p': 'h',
			runway: 'r',
			aleph: 'a',
			luma: 'l',
			suno: 's',
			'suno-lyrics': 'y',
		});
	});
});
