import packageJson from '../../package.json';
import { KieApi } from '../../credentials/KieApi.credentials';
import { USER_AGENT } from '../../nodes/shared/transport';
import { readRepoText } from '../support/repo-files';
import { packedFiles } from '../support/pack';

/** The npm package holds what n8n needs: compiled code, icons, codex files, README, LICENSE, CHANGELOG. */
describe('npm package contents', () => {
	let files: string[];
	beforeAll(() => {
		files = packedFiles();
	}, 120_000);

	it('holds only compiled code, icons, codex files, the model catalogue and the documents', () => {
		const allowed = [
			/^(package\.json|README\.md|LICENSE|CHANGELOG\.md)$/,
			/^dist\/credentials\/\w+\.credentials\.js$/,
			/^dist\/nodes\/.+\.js$/,
			/^dist\/nodes\/Kie\w+\/Kie\w+\.node\.json$/,
			/^dist\/nodes\/shared\/registry\/catalogue\/kie-models\.json$/,
			/^dist\/icons\/[\w.]+\.svg$/,
		];
		expect(files.filter((file) => !allowed.some((pattern) => pattern.test(file)))).toEqual([]);
		// Build leftovers and the README's pictures stay out.
		expect(files.some((file) => /tsbuildinfo|\.map$|\.d\.ts$|\.png$|^dist\/package\.json$/.test(file))).toBe(false);
	});

	it('holds every node and credential n8n loads, with its codex file and icons', () => {
		const { n8n } = packageJson;
		for (const entry of [...n8n.nodes, ...n8n.credentials]) expect(files).toContain(entry);
		for (const node of n8n.nodes) expect(files).toContain(node.replace(/\.js$/, '.json'));
		expect(files).toEqual(expect.arrayContaining(['dist/icons/kie.svg', 'dist/icons/kie.dark.svg', 'README.md', 'LICENSE', 'CHANGELOG.md']));
	});
});

/** One repository, stated in package.json; everything else that names it agrees. */
describe('package metadata', () => {
	const repository = packageJson.repository.url.replace(/^git\+/, '').replace(/\.git$/, '');

	it('names one GitHub repository in repository, homepage, bugs and author', () => {
		expect(repository).toMatch(/^https:\/\/github\.com\/[\w.-]+\/[\w.-]+$/);
		expect(packageJson.homepage).toBe(`${repository}#readme`);
		expect(packageJson.bugs.url).toBe(`${repository}/issues`);
		expect(packageJson.author.url.startsWith(repository)).toBe(true);
		expect(packageJson.author.email).toMatch(/^[\w.+-]+@[\w.-]+\.\w+$/); // n8n's lint requires one
		expect(packageJson.license).toBe('MIT');
		expect(packageJson.keywords).toContain('n8n-community-node-package');
	});

	it('the credential\'s documentation, the User-Agent and the workflows point at the same repository', () => {
		expect(new KieApi().documentationUrl).toBe(`${repository}#credentials`);
		expect(USER_AGENT).toBe(`${packageJson.name} (+${repository})`);
		const ci = readRepoText('.github/workflows/ci.yml')!;
		const publish = readRepoText('.github/workflows/publish.yml')!;
		expect(ci).toContain('npm run lint');
		expect(ci).toContain('npm run scan');
		expect(publish).toContain('id-token: write');
		expect(publish).toContain('npm run release');
	});
});

describe('supported n8n versions', () => {
	const tested = /const SUPPORTED = \[([^\]]*)\]/.exec(readRepoText('scripts/lib/n8n-install.js')!)![1].match(/[\d.]+/g)!;

	it('are stated once for npm (engines.n8n) and tested on one version of each line, in CI too', () => {
		expect(packageJson.engines.n8n).toBe('>=1.123.0 <3');
		expect(tested.sort()).toEqual(['1.123.81', '2.40.7']);
		// Each tested version lies in the stated range: 1.123 or later, before 3.
		for (const version of tested) {
			const [major, minor] = version.split('.').map(Number);
			expect(major === 2 || (major === 1 && minor >= 123)).toBe(true);
		}
		expect(readRepoText('.ci/run')).toContain('for version in 2.40.7 1.123.81; do');
	});

	it('the README states the same lines and versions', () => {
		const readme = readRepoText('README.md')!;
		expect(readme).toContain('**Supported n8n versions: 1.123.x and 2.x**');
		expect(readme).toContain('on n8n **1.123.81** and **2.40.7** (`package.json` says the same in `engines.n8n`)');
	});
});
