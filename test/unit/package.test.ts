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
	const installer = readRepoText('scripts/lib/n8n-install.js')!;
	const newest = /const NEWEST_INSTALLABLE = '([\d.]+)'/.exec(installer)![1];
	const tested = [.../const SUPPORTED = \[([^\]]*)\]/.exec(installer)![1].match(/\d+\.\d+\.\d+/g)!, newest];

	it('are stated for npm (engines.n8n: the oldest tested line, no upper bound) and tested on one version of each line, in CI too', () => {
		expect(packageJson.engines.n8n).toBe('>=1.123.0');
		expect(tested.sort()).toEqual(['1.123.81', '2.40.7', '2.41.1']);
		expect(newest).toBe('2.41.1');
		// Each tested version lies in the stated range: 1.123 or later.
		for (const version of tested) {
			const [major, minor] = version.split('.').map(Number);
			expect(major >= 2 || (major === 1 && minor >= 123)).toBe(true);
		}
		const ci = readRepoText('.ci/run')!;
		expect(ci).toContain('for version in 2.40.7 1.123.81; do');
		expect(ci).toContain('for version in 2.40.7 1.123.81 2.41.1; do');
		expect(ci).toContain('KIE_N8N3_DEFAULTS=1 npm run test:e2e');
		expect(ci).toContain('for profile in 2.40.7 1.123.81 n8n3; do');
		expect(ci).toContain('npm run verify');
	});

	it('the README states the same lines and versions', () => {
		const readme = readRepoText('README.md')!;
		expect(readme).toContain('**Supported n8n versions: 1.123.x and 2.x, and ready for 3.x**');
		expect(readme).toContain('tested end to end on n8n **1.123.81** and **2.40.7**, and under **n8n 3\'s defaults** on\n2.41.1');
		expect(readme).toContain('`engines.n8n` in `package.json` is `>=1.123.0`');
	});
});

describe('package-lock.json', () => {
	it('says what package.json says about this package (a fresh `npm install` leaves the clone clean)', () => {
		const lock = JSON.parse(readRepoText('package-lock.json')!) as { name: string; version: string; packages: Record<string, Record<string, unknown>> };
		const root = lock.packages[''];
		expect({ name: lock.name, version: lock.version }).toEqual({ name: packageJson.name, version: packageJson.version });
		for (const field of ['engines', 'devDependencies', 'peerDependencies', 'license'] as const) {
			expect({ field, value: root[field] }).toEqual({ field, value: (packageJson as Record<string, unknown>)[field] });
		}
		expect(root.dependencies).toBeUndefined();
	});
});
