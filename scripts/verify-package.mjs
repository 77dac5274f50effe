#!/usr/bin/env node
// `npm run verify`: the mechanical rules of n8n's community node verification guidelines, checked against the
// source checkout and the packed tarball (what npm would publish). The rule names quote n8n's own wording
// where there is one: https://docs.n8n.io/integrations/creating-nodes/build/reference/verification-guidelines
// and https://docs.n8n.io/integrations/creating-nodes/deploy/submit-community-nodes/ (see docs/verification.md).
// Needs `npm run build` first. Prints one line per rule, then "N checks, N failed"; exits 1 if any failed.
// `--full` also runs `npm run lint` and `npm run scan` instead of leaving them to their own CI steps.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const FULL = process.argv.includes('--full');
const CREDENTIAL = 'kieApi';
const OLDEST_N8N = '1.123.0';
const require = createRequire(import.meta.url);

const read = (file) => fs.readFileSync(file, 'utf8');
const readJson = (file) => JSON.parse(read(file));
const exists = (file) => fs.existsSync(file);
const walk = (dir) =>
	fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
		const full = path.join(dir, entry.name);
		return entry.isDirectory() ? walk(full) : [full];
	});
const githubRepo = (url) => /github\.com[/:]([^/]+)\/([^/#?]+?)(?:\.git)?(?:[/#?]|$)/i.exec(url ?? '')?.slice(1, 3).join('/').toLowerCase();

function packTarball(dir) {
	const output = execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', dir], { cwd: ROOT, encoding: 'utf8' });
	const [{ filename }] = JSON.parse(output);
	execFileSync('tar', ['xzf', path.join(dir, path.basename(filename)), '-C', dir]);
	return path.join(dir, 'package');
}

// The compiled node classes, loaded from the project's dist/ (n8n-workflow resolves from node_modules).
// A listed file that is missing is reported by the `n8n` attribute rule.
function loadDescriptions(files) {
	return files.filter((file) => exists(path.join(ROOT, file))).map((file) => {
		const exported = require(path.join(ROOT, file));
		const NodeClass = Object.values(exported).find((value) => typeof value === 'function');
		return { file, ...new NodeClass().description };
	});
}

function rules(pkg, packed, tarball) {
	const tarFiles = walk(tarball).map((file) => path.relative(tarball, file).split(path.sep).join('/'));
	const n8n = packed.n8n ?? {};
	const nodeFiles = n8n.nodes ?? [];
	const credentialFiles = n8n.credentials ?? [];
	let descriptions;
	const nodes = () => (descriptions ??= loadDescriptions(nodeFiles));

	return [
		{
			rule: 'Make sure the package name starts with `n8n-nodes-` or `@<scope>/n8n-nodes-`',
			check: () => (/^(@[^/]+\/)?n8n-nodes-/.test(pkg.name) ? [] : [`name is "${pkg.name}"; rename it to n8n-nodes-<service>`]),
		},
		{
			rule: 'Include `n8n-community-node-package` in your package keywords',
			check: () => ((pkg.keywords ?? []).includes('n8n-community-node-package') ? [] : ['add "n8n-community-node-package" to "keywords" in package.json']),
		},
		{
			rule: 'Add your nodes and credentials to the package.json file inside the `n8n` attribute',
			check: () => [
				...(n8n.n8nNodesApiVersion ? [] : ['set "n8n.n8nNodesApiVersion": 1']),
				...(n8n.strict === true ? [] : ['set "n8n.strict": true (n8n-node\'s strict mode)']),
				...(nodeFiles.length ? [] : ['"n8n.nodes" is empty']),
				...[...nodeFiles, ...credentialFiles].filter((file) => !tarFiles.includes(file)).map((file) => `${file} is listed in "n8n" but not in the tarball: fix the path or "files" in package.json, or run npm run build`),
			],
		},
		{
			rule: 'Make sure your package license is MIT',
			check: () => {
				const mit = (file) => exists(file) && /^MIT License/.test(read(file).trim()) && read(file).includes('Permission is hereby granted, free of charge') && read(file).includes('THE SOFTWARE IS PROVIDED "AS IS"');
				return [
					...(pkg.license === 'MIT' && packed.license === 'MIT' ? [] : [`"license" is "${pkg.license}"; set it to "MIT"`]),
					...(mit(path.join(ROOT, 'LICENSE')) ? [] : ['LICENSE is missing or not the MIT text; use the MIT License text']),
					...(mit(path.join(tarball, 'LICENSE')) ? [] : ['LICENSE with the MIT text is not in the tarball']),
				];
			},
		},
		{
			rule: 'Ensure that your package does not include any external dependencies (no run-time dependencies)',
			check: () => [pkg, packed].flatMap((json, i) => {
				const where = i ? 'packed package.json' : 'package.json';
				const peers = Object.keys(json.peerDependencies ?? {});
				return [
					...['dependencies', 'optionalDependencies', 'bundleDependencies', 'bundledDependencies']
						.filter((field) => json[field] && Object.keys(json[field]).length)
						.map((field) => `${where} has "${field}"; remove it (n8n provides n8n-workflow; bundle nothing)`),
					...(peers.every((name) => name === 'n8n-workflow') ? [] : [`${where} "peerDependencies" has ${peers.join(', ')}; keep only n8n-workflow`]),
				];
			}).concat(tarFiles.some((file) => file.split('/').includes('node_modules')) ? ['the tarball contains node_modules; narrow "files" in package.json'] : []),
		},
		{
			rule: 'No install scripts (preinstall, install, postinstall)',
			check: () => [pkg, packed].flatMap((json, i) =>
				['preinstall', 'install', 'postinstall'].filter((name) => json.scripts?.[name]).map((name) => `${i ? 'packed ' : ''}package.json has scripts.${name}; remove it`),
			),
		},
		{
			rule: 'Each package should integrate exactly one third-party service (a trigger node for the same service may be included)',
			check: () => {
				const credentialNames = credentialFiles.filter((file) => exists(path.join(ROOT, file))).map((file) => {
					const exported = require(path.join(ROOT, file));
					return new (Object.values(exported).find((value) => typeof value === 'function'))().name;
				});
				const triggers = nodes().filter((node) => node.group?.includes('trigger'));
				return [
					...(credentialNames.length === 1 && credentialNames[0] === CREDENTIAL ? [] : [`package credentials are [${credentialNames.join(', ')}]; ship only ${CREDENTIAL}`]),
					...nodes().flatMap((node) => {
						const names = (node.credentials ?? []).map((credential) => credential.name);
						return [
							...(names.length && names.every((name) => name === CREDENTIAL) ? [] : [`${node.file} uses credentials [${names.join(', ')}]; use only ${CREDENTIAL}`]),
							...(/^kie/.test(node.name) ? [] : [`${node.file} is named "${node.name}"; KIE node names start with "kie"`]),
						];
					}),
					...(triggers.length <= 1 ? [] : [`${triggers.length} trigger nodes (${triggers.map((node) => node.name).join(', ')}); ship one KIE Trigger`]),
				];
			},
			note: () => `${nodes().length} nodes (${nodes().map((node) => node.displayName).join(', ')}), all on the ${CREDENTIAL} credential`,
		},
		...provenanceRules(pkg),
		{
			rule: 'Verify that your npm package repository URL matches the expected GitHub repository',
			check: () => {
				const repo = githubRepo(pkg.repository?.url ?? pkg.repository);
				if (!repo) return ['"repository.url" is missing or not a GitHub URL; set it to https://github.com/<owner>/<repo>.git'];
				const name = (author) => (typeof author === 'string' ? author : author?.name);
				return [
					...[['homepage', pkg.homepage], ['bugs.url', pkg.bugs?.url ?? pkg.bugs]]
						.filter(([, url]) => githubRepo(url) !== repo)
						.map(([field, url]) => `"${field}" (${url ?? 'missing'}) does not name github.com/${repo}`),
					...(githubRepo(packed.repository?.url ?? packed.repository) === repo ? [] : ['the packed package.json names another repository']),
					...(name(pkg.author)?.trim() ? [] : ['"author" is missing; set it to the maintainers on npm and GitHub']),
					...(pkg.description?.trim() ? [] : ['"description" is missing']),
				];
			},
			note: () => `github.com/${githubRepo(pkg.repository?.url ?? pkg.repository)} (repository, homepage, bugs); whether the npm maintainers match the GitHub owners is checked by n8n on npm`,
		},
		{
			rule: 'The code must not interact with environment variables or attempt to read/write files',
			check: () => {
				const patterns = [
					[/require\(\s*["'](node:)?fs(\/promises)?["']\s*\)|from\s+["'](node:)?fs(\/promises)?["']/, 'file system module'],
					[/require\(\s*["'](node:)?(child_process|worker_threads|vm)["']\s*\)|from\s+["'](node:)?(child_process|worker_threads|vm)["']/, 'process/thread/vm module'],
					[/process\s*\.\s*env|process\s*\[\s*["']env["']\s*\]/, 'environment variables'],
					[/(?<![\w.$])eval\s*\(|new\s+Function\s*\(/, 'dynamic code (eval / new Function)'],
				];
				const jsFiles = tarFiles.filter((file) => file.startsWith('dist/') && file.endsWith('.js'));
				return jsFiles.flatMap((file) =>
					read(path.join(tarball, file)).split('\n').flatMap((line, i) =>
						patterns.filter(([pattern]) => pattern.test(line)).map(([, what]) => `${file}:${i + 1} uses ${what}: pass the data through node parameters or credentials`),
					),
				);
			},
			note: () => `${tarFiles.filter((file) => file.startsWith('dist/') && file.endsWith('.js')).length} .js files in the tarball scanned`,
		},
		{
			rule: 'Make sure the linter passes (`npx @n8n/scan-community-package`)',
			check: () => {
				if (!FULL) return [];
				return ['lint', 'scan'].flatMap((script) => {
					const run = spawnSync('npm', ['run', script, '--silent'], { cwd: ROOT, encoding: 'utf8' });
					return run.status === 0 ? [] : [`npm run ${script} exited ${run.status}; run it to see the errors`];
				});
			},
			note: () => (FULL ? 'npm run lint and npm run scan exited 0' : 'checked by npm run lint / npm run scan in .ci/run (use --full to run both here)'),
		},
		{
			rule: 'Include usage instructions, example workflows, and any necessary authentication details',
			check: () => docsProblems(tarFiles, nodes()),
		},
		{
			rule: `engines.n8n has the lower bound >=${OLDEST_N8N} and no upper bound`,
			check: () => {
				const range = pkg.engines?.n8n;
				if (!range) return [`"engines.n8n" is missing; set it to ">=${OLDEST_N8N}"`];
				return [
					...(range.split(/\s+/).includes(`>=${OLDEST_N8N}`) ? [] : [`"engines.n8n" is "${range}"; its lower bound must be >=${OLDEST_N8N}, the oldest tested n8n line`]),
					...(/<|\^|~|\|\||\s-\s|\.x|\*/.test(range) ? [`"engines.n8n" is "${range}", which has an upper bound; use ">=${OLDEST_N8N}" (n8n does not enforce one)`] : []),
				];
			},
		},
	];
}

// Published from a GitHub Action with provenance: the workflow, and what `npm run release` does in CI.
function provenanceRules(pkg) {
	const workflowFile = path.join(ROOT, '.github', 'workflows', 'publish.yml');
	const workflow = exists(workflowFile) ? read(workflowFile).replace(/^\s*#.*$/gm, '') : '';
	const cliDir = path.join(ROOT, 'node_modules', '@n8n', 'node-cli');
	const cliVersion = exists(cliDir) ? readJson(path.join(cliDir, 'package.json')).version : undefined;
	const releaseJs = cliVersion ? read(path.join(cliDir, 'dist', 'commands', 'release.js')) : '';
	return [
		{
			rule: 'Packages should be published from a GitHub action and include provenance',
			check: () => {
				if (!workflow) return ['.github/workflows/publish.yml is missing; create it with `npx n8n-node release --init-workflow`'];
				const problems = [];
				if (!/^on:[\s\S]*?\bpush:\s*\n\s+tags:/m.test(workflow)) problems.push('publish.yml does not run on a tag push; use `on: push: tags: [\'*.*.*\']`');
				if (!/\bid-token:\s*write\b/.test(workflow)) problems.push('publish.yml lacks `permissions: id-token: write`, which npm provenance needs');
				const viaRelease = /\b(npm|pnpm|yarn) run release\b|\bn8n-node release\b/.test(workflow);
				const viaPublish = /\bnpm publish\b[^\n]*--provenance/.test(workflow);
				if (!viaRelease && !viaPublish) problems.push('publish.yml publishes neither through `npm run release` (n8n-node release) nor `npm publish --provenance`');
				if (viaRelease && !/^n8n-node release\b/.test(pkg.scripts?.release ?? '')) problems.push(`scripts.release is "${pkg.scripts?.release}"; set it to "n8n-node release"`);
				if (viaRelease && !/GITHUB_ACTIONS[\s\S]*'npm', \['publish'\][\s\S]*NPM_CONFIG_PROVENANCE: 'true'/.test(releaseJs))
					problems.push(`@n8n/node-cli ${cliVersion ?? '(not installed)'} does not publish with NPM_CONFIG_PROVENANCE=true in GitHub Actions; use @n8n/node-cli >= 0.23.0 or \`npm publish --provenance\``);
				return problems;
			},
			note: () => `publish.yml runs on a tag push with id-token: write and calls npm run release; n8n-node release (@n8n/node-cli ${cliVersion}) in GitHub Actions runs lint, build, then \`npm publish\` with NPM_CONFIG_PROVENANCE=true`,
		},
		{
			rule: 'npm Trusted Publishing can work from publish.yml (it needs npm >= 11.5.1 in the job)',
			check: () => {
				if (!workflow) return [];
				if (/npm (i|install) (-g|--global) npm@(latest|11|\^11|>=11|1[2-9])/.test(workflow)) return [];
				const version = /node-version:\s*['"]?([^'"\s]+)/.exec(workflow)?.[1] ?? '(none)';
				if (/^(lts\/\*|node|latest|current)$/.test(version) || /^(2[4-9]|[3-9]\d)$/.test(version)) return [];
				return [`the publish job uses node-version ${version}, whose bundled npm is older than 11.5.1, so Trusted Publishing (option A in publish.yml) cannot authenticate and the publish fails unless the NPM_TOKEN secret is set; add a step \`npm install -g npm@^11.5.1\` before Release (or use node-version 'lts/*')`];
			},
		},
	];
}

function docsProblems(tarFiles, nodes) {
	const readme = read(path.join(ROOT, 'README.md'));
	const headings = readme.split('\n').filter((line) => /^#{1,6}\s/.test(line)).map((line) => line.replace(/^#+\s*/, ''));
	const problems = [];
	if (!tarFiles.includes('README.md')) problems.push('README.md is not in the tarball');
	if (!headings.some((heading) => /install/i.test(heading))) problems.push('README.md has no installation section');
	if (!headings.some((heading) => /credential/i.test(heading))) problems.push('README.md has no credentials section');
	for (const node of nodes) if (!headings.some((heading) => heading.includes(node.displayName))) problems.push(`README.md has no section for ${node.displayName}`);

	const start = readme.search(/^##\s+Example workflows\s*$/m);
	if (start < 0) return [...problems, 'README.md has no "## Example workflows" section'];
	const rest = readme.slice(start).split('\n').slice(1).join('\n');
	const section = rest.slice(0, rest.search(/^##\s/m) < 0 ? undefined : rest.search(/^##\s/m));
	const named = new Set([...section.matchAll(/[\w.-]+\.json\b/g)].map(([name]) => name).filter((name) => name !== 'package.json'));
	for (const name of named) if (!exists(path.join(ROOT, 'examples', name))) problems.push(`README "Example workflows" names ${name}, which is not in examples/`);
	const examples = exists(path.join(ROOT, 'examples')) ? fs.readdirSync(path.join(ROOT, 'examples')).filter((name) => name.endsWith('.json')) : [];
	if (!examples.length) problems.push('examples/ has no workflow JSON');
	for (const name of examples) {
		if (!named.has(name)) problems.push(`examples/${name} is not named in the README's "Example workflows"`);
		try {
			const workflow = readJson(path.join(ROOT, 'examples', name));
			if (!Array.isArray(workflow.nodes) || !workflow.nodes.length || typeof workflow.connections !== 'object') problems.push(`examples/${name} is not an n8n workflow (needs "nodes" and "connections")`);
		} catch (error) {
			problems.push(`examples/${name} is not valid JSON (${error.message})`);
		}
	}
	return problems;
}

function main() {
	if (!exists(path.join(ROOT, 'dist', 'nodes')) || !exists(path.join(ROOT, 'dist', 'credentials'))) {
		process.stdout.write('✗ build output: dist/ is missing; run `npm run build` first\n1 checks, 1 failed\n');
		process.exit(1);
	}
	const pkg = readJson(path.join(ROOT, 'package.json'));
	const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kie-verify-'));
	let failed = 0;
	let total = 0;
	try {
		const tarball = packTarball(tmp);
		const packed = readJson(path.join(tarball, 'package.json'));
		for (const { rule, check, note } of rules(pkg, packed, tarball)) {
			total++;
			let problems;
			try {
				problems = check();
			} catch (error) {
				problems = [`the check itself failed: ${error.message.split('\n')[0]}`];
			}
			if (problems.length) {
				failed++;
				process.stdout.write(`✗ ${rule}: ${problems.join('; ')}\n`);
			} else process.stdout.write(`✓ ${rule}${note ? `: ${note()}` : ''}\n`);
		}
	} finally {
		fs.rmSync(tmp, { recursive: true, force: true });
	}
	process.stdout.write(`${total} checks, ${failed} failed\n`);
	if (failed) process.exitCode = 1;
}

main();
