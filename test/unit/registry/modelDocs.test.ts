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
			expect(fresh).toContain(`### ${model.displayName}\n\nModel ID \`${model.id}\` · provider ${model.provider}`);
		}
		expect(fresh).toContain('| `additionalFields.seed` | `seed` | integer |');
		expect(fresh).toContain('| `inputUrls` | `image_url` | URL | yes * |');
	});
});
