import { MODELS, paramName } from '../../../nodes/shared/registry';
import { isAdditionalField } from '../../../nodes/shared/registry/properties';
import { renderModelDocs } from '../../../scripts/lib/model-docs';
import { readRepoText } from '../../support/repo-files';

describe('docs/models.md', () => {
	const fresh = renderModelDocs({ MODELS, paramName, isAdditionalField });

	it('is up to date with the registry (regenerate: npm run build && npm run docs:models)', () => {
		expect(readRepoText('docs/models.md')).toBe(fresh);
	});

	it('lists every model with its id, provider and parameters', () => {
		for (const model of MODELS) {
			if (model.availability) continue;
			expect(fresh).toContain(`### ${model.displayName}\n\nModel ID \`${model.id}\` · provider ${model.provider}`);
		}
		// A model KIE paused says so in its heading and in a line above its facts.
		for (const model of MODELS.filter((entry) => entry.availability)) {
			expect(fresh).toContain(
				`### ${model.displayName} (paused by KIE)\n\n> **Paused by KIE since ${model.availability!.since}.** ${model.availability!.note} It stays here so that saved workflows keep opening; KIE refuses its tasks (and charges nothing for them).\n\nModel ID \`${model.id}\` · provider ${model.provider}`,
			);
		}
		expect(MODELS.filter((entry) => entry.availability)).toHaveLength(7);
		expect(fresh).toContain('| `additionalFields.seed` | `seed` | integer |');
		expect(fresh).toContain('| `inputUrls` | `image_url` | URL | yes * |');
	});
});
