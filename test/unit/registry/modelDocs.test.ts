import { MODELS, paramName } from '../../../nodes/shared/registry';
import { LIVE_ONLY } from '../../../nodes/shared/registry/availability';
import { exampleRequest } from '../../../nodes/shared/families/examples';
import { isAdditionalField } from '../../../nodes/shared/registry/properties';
import { renderModelDocs } from '../../../scripts/lib/model-docs';
import { readRepoText } from '../../support/repo-files';

describe('docs/models.md', () => {
	const fresh = renderModelDocs({ MODELS, paramName, isAdditionalField, LIVE_ONLY, exampleRequest });

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

	it('shows each model\'s example request: the endpoint and the body KIE receives', () => {
		expect(fresh).toContain(
			[
				'POST `/api/v1/jobs/createTask`',
				'',
				'```json',
				JSON.stringify({ model: 'minimax-h3/image-to-video', input: { prompt: 'a red fox in the snow', first_frame_url: 'https://example.com/sample.png', duration: 6, resolution: '2K' } }, null, 2),
				'```',
			].join('\n'),
		);
		// A family with its own endpoint and body, which needs the node's callback URL.
		expect(fresh).toContain('POST `/api/v1/generate/extend`');
		expect(fresh.match(/<summary>Example: what the node sends with only the required fields set<\/summary>/g)).toHaveLength(MODELS.length);
	});

	it('lists the models known to work only as live models, with their source, and how to use them', () => {
		// A model built in since is listed with the others (next test).
		const liveOnly = LIVE_ONLY.filter((entry) => !MODELS.some((model) => model.id === entry.id));
		expect(fresh).toContain(`- [Live models (not built in)](#live-models-not-built-in) (${liveOnly.length})`);
		expect(fresh).toContain('## Live models (not built in)');
		expect(fresh).toContain('set **Model** to\n**By ID**');
		expect(fresh).toContain('**Model Input**');
		for (const entry of liveOnly) expect(fresh).toContain(`| ${entry.displayName} | \`${entry.id}\` | ${entry.media} |`);
		expect(LIVE_ONLY.map((entry) => entry.id)).toEqual([
			'kling-3.0-omni/text-to-video',
			'kling-3.0-omni/image-to-video',
			'kling-3.0-omni/reference-to-video',
			'kling-3.0-omni/transformation',
			'wan/3-0-video',
			'wan/3-0-video-prime',
			'grok-imagine-image-2-0/image-edit',
			'google/gemini-3-1-flash-tts',
			'google/gemini-2-5-pro-tts',
			'google/gemini-3-8-flash-tts',
			'google/gemini-3-8-flash-lite-tts',
		]);
		expect(fresh).toMatch(/\| `grok-imagine-image-2-0\/image-edit` \| image \| Image editing \| \[docs\]\(https:\/\/docs\.kie\.ai\/market\/grok-imagine-image-2-0\/image-to-image\.md\) \| github\.com\/elibarnett\/kie-mcp CHANGELOG\.md 5\.3\.0/);
	});

	it('leaves out of the live section a live-only model built in since', () => {
		const [first] = MODELS;
		const docs = renderModelDocs({ MODELS, paramName, isAdditionalField, LIVE_ONLY: [...LIVE_ONLY, { ...LIVE_ONLY[0], id: first.id, displayName: 'Built In Now' }] });
		expect(docs).toContain(`(not built in)](#live-models-not-built-in) (${LIVE_ONLY.filter((entry) => !MODELS.some((model) => model.id === entry.id)).length})`);
		expect(docs).not.toContain('Built In Now');
	});
});
