import { FAMILIES, getFamily } from '../../../nodes/shared/families';
import { MODELS } from '../../../nodes/shared/registry';

describe('families: the list every node reads', () => {
	it('has a family for every model of the registry', () => {
		for (const model of MODELS) expect(FAMILIES[model.api]?.name).toBe(model.api);
		expect(() => getFamily('nope')).toThrow('"nope" is not a KIE API family of this package');
	});
});
