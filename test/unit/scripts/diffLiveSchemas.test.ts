import { packedFiles } from '../../support/pack';
import { runScript } from '../../support/run-script';

/** `npm run schemas:diff`: the maintainers' report of KIE's live schemas against the built-in registry. */
describe('scripts/diff-live-schemas.mjs against the simulator', () => {
	// The script reads the compiled registry: packedFiles() builds dist/ on a fresh clone.
	beforeAll(() => packedFiles());

	it('reports the models KIE lists that are not built in with their fields, a null schema, and a built-in model that agrees', () => {
		const { status, stdout, stderr } = runScript('scripts/diff-live-schemas.mjs', [
			'--simulator',
			'--json',
			'--models',
			'gpt-image/1.5-text-to-image,acme/pixel-forge-3,acme/hyper-video-9,acme/motion-blend-1',
		]);
		expect({ status, stderr }).toEqual({ status: 0, stderr: '' });
		const report = JSON.parse(stdout) as {
			builtInOnly: string[];
			liveOnly: string[];
			models: Array<{ id: string; builtIn: boolean; differences?: string[]; reason?: string; fields?: string[] }>;
		};
		expect(report.liveOnly.sort()).toEqual(['acme/hyper-video-9', 'acme/motion-blend-1', 'acme/pixel-forge-3', 'acme/voice-clone-2']);
		expect(report.builtInOnly).toEqual([]);
		const byId = Object.fromEntries(report.models.map((entry) => [entry.id, entry]));
		// The simulator serves GPT Image 1.5 from the seed document, which the registry follows.
		expect(byId['gpt-image/1.5-text-to-image']).toEqual({ id: 'gpt-image/1.5-text-to-image', builtIn: true, differences: [] });
		expect(byId['acme/hyper-video-9'].reason).toBe('KIE has not published a schema for this model yet (its schema is null)');
		expect(byId['acme/pixel-forge-3'].fields).toEqual(expect.arrayContaining(['prompt*: string', 'num_images: string (1|2|4)', 'style: string (photo|illustration|3d)']));
		expect(byId['acme/motion-blend-1'].fields).toEqual(expect.arrayContaining(['prompt*: string', 'image_url: string', 'duration: string (5|10)']));
	});

	it('refuses to run without an API key, saying how', () => {
		const { status, stderr } = runScript('scripts/diff-live-schemas.mjs', [], { env: { KIE_API_KEY: '' } });
		expect(status).toBe(1);
		expect(stderr).toContain('Set KIE_API_KEY (or use --simulator)');
	});
});
