#!/usr/bin/env node
// `npm run scan`: n8n's community package scanner (@n8n/scan-community-package, pinned), run the way n8n runs
// it on a published package: its `analyzePackage` on the source checkout (package.json and the nodes' and
// credentials' sources) and on the packed tarball (compiled .js and package.json). Its command line only
// scans what is on the npm registry, so this calls the exported function. The scanner is installed once
// into a cache folder, outside the project's dependencies (it pins its own ESLint and TypeScript).
// Exits 1 when either scan reports an error.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const SCANNER_VERSION = '0.32.0';
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CACHE = path.join(process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache'), 'n8n-nodes-kie-ai', `scan-community-package-${SCANNER_VERSION}`);
const log = (line) => process.stdout.write(`[scan] ${line}\n`);

function ensureScanner() {
	const entry = path.join(CACHE, 'node_modules', '@n8n', 'scan-community-package', 'scanner', 'scanner.mjs');
	if (fs.existsSync(path.join(CACHE, '.ready'))) return entry;
	log(`installing @n8n/scan-community-package@${SCANNER_VERSION} into ${CACHE} (first run only)`);
	fs.mkdirSync(CACHE, { recursive: true });
	fs.writeFileSync(path.join(CACHE, 'package.json'), JSON.stringify({ name: 'kie-scanner', private: true, dependencies: { '@n8n/scan-community-package': SCANNER_VERSION } }));
	execFileSync('npm', ['install', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: CACHE, stdio: 'inherit' });
	fs.writeFileSync(path.join(CACHE, '.ready'), new Date().toISOString());
	return entry;
}

function packTarball(dir) {
	if (!fs.existsSync(path.join(ROOT, 'dist', 'nodes'))) throw new Error('dist/ is missing: run `npm run build` first');
	const output = execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', dir], { cwd: ROOT, encoding: 'utf8' });
	const [{ filename }] = JSON.parse(output);
	execFileSync('tar', ['xzf', path.join(dir, path.basename(filename)), '-C', dir]);
	return { tarball: path.basename(filename), packageDir: path.join(dir, 'package') };
}

async function main() {
	const scanner = await import(pathToFileURL(ensureScanner()).href);
	const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kie-scan-'));
	try {
		const { tarball, packageDir } = packTarball(tmp);
		const results = [
			['source checkout', await scanner.analyzePackage(ROOT, scanner.SOURCE_FILE_PATTERNS)],
			[`packed tarball ${tarball}`, await scanner.analyzePackage(packageDir, ['**/*.js', 'package.json'])],
		];
		let failed = 0;
		for (const [what, result] of results) {
			if (result.passed) log(`${what}: passed (@n8n/scan-community-package ${SCANNER_VERSION})`);
			else {
				failed++;
				log(`${what}: FAILED: ${result.message}`);
				if (result.details) process.stdout.write(`${result.details}\n`);
			}
		}
		if (failed) process.exitCode = 1;
	} finally {
		fs.rmSync(tmp, { recursive: true, force: true });
	}
}

main().catch((error) => {
	process.stderr.write(`${error.stack ?? error}\n`);
	process.exit(1);
});
