#!/usr/bin/env node
// Figures for the Catalogue issue: the size of KIE Create Task's description (bytes of JSON, what n8n
// sends to the editor for the node type) and the time to load the package's node types: require()
// every dist/nodes/**/*.node.js and construct each node class, in fresh child processes (median).
//
//   npm run build && node bench/node-size.mjs [--runs 9]
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const runsArg = process.argv.indexOf('--runs');
const runs = runsArg === -1 ? 9 : Number(process.argv[runsArg + 1]);

const nodeFiles = [];
const walk = (dir) => {
	for (const entry of readdirSync(dir, { withFileTypes: true })) {
		const full = join(dir, entry.name);
		if (entry.isDirectory()) walk(full);
		else if (entry.name.endsWith('.node.js')) nodeFiles.push(full);
	}
};
if (!existsSync(join(root, 'dist', 'nodes'))) {
	console.error('dist/ is missing: run `npm run build` first.');
	process.exit(1);
}
walk(join(root, 'dist', 'nodes'));
nodeFiles.sort();

// One fresh process per run: require every node file and construct every exported class.
const child = `
const files = ${JSON.stringify(nodeFiles)};
require('n8n-workflow'); // n8n has it loaded already; keep it out of the figure
const start = process.hrtime.bigint();
let constructed = 0;
for (const file of files) {
	for (const value of Object.values(require(file))) {
		if (typeof value === 'function' && value.prototype) { new value(); constructed++; }
	}
}
const ms = Number(process.hrtime.bigint() - start) / 1e6;
process.stdout.write(JSON.stringify({ ms, constructed }));
`;
const samples = [];
let constructed = 0;
for (let i = 0; i < runs; i++) {
	const out = JSON.parse(execFileSync(process.execPath, ['-e', child], { cwd: root, encoding: 'utf8' }));
	samples.push(out.ms);
	constructed = out.constructed;
}
samples.sort((a, b) => a - b);
const median = samples[Math.floor(samples.length / 2)];

const { KieCreateTask } = require(join(root, 'dist', 'nodes', 'KieCreateTask', 'KieCreateTask.node.js'));
const description = new KieCreateTask().description;
const bytes = Buffer.byteLength(JSON.stringify(description));
const chars = JSON.stringify(description).length;
const { MODELS } = require(join(root, 'dist', 'nodes', 'shared', 'registry', 'index.js'));

// The same, through n8n's own loader: n8n-core's PackageDirectoryLoader (what n8n uses for an installed
// community package) on a staged copy of the package (dist/ + package.json), in fresh processes.
const stage = mkdtempSync(join(tmpdir(), 'kie-load-'));
const packageDir = join(stage, 'n8n-nodes-kie-ai');
cpSync(join(root, 'dist'), join(packageDir, 'dist'), { recursive: true });
cpSync(join(root, 'package.json'), join(packageDir, 'package.json'));
const loaderChild = `
require('reflect-metadata');
require('n8n-workflow');
const { PackageDirectoryLoader } = require('n8n-core/dist/nodes-loader');
const start = process.hrtime.bigint();
const loader = new PackageDirectoryLoader(${JSON.stringify(packageDir)});
loader.loadAll().then(() => {
	const ms = Number(process.hrtime.bigint() - start) / 1e6;
	process.stdout.write(JSON.stringify({ ms, nodes: Object.keys(loader.nodeTypes).length, credentials: Object.keys(loader.credentialTypes).length }));
});
`;
const loaderSamples = [];
let loaded = { nodes: 0, credentials: 0 };
for (let i = 0; i < runs; i++) {
	// n8n puts its own node_modules on NODE_PATH so community packages resolve n8n-workflow from it.
	const env = { ...process.env, NODE_PATH: join(root, 'node_modules') };
	const out = JSON.parse(execFileSync(process.execPath, ['-e', loaderChild], { cwd: root, encoding: 'utf8', env }));
	loaderSamples.push(out.ms);
	loaded = out;
}
rmSync(stage, { recursive: true, force: true });
loaderSamples.sort((a, b) => a - b);
const loaderMedian = loaderSamples[Math.floor(loaderSamples.length / 2)];

const lines = [
	`Node ${process.version}, ${runs} fresh processes`,
	`Models in the registry:                     ${MODELS.length}`,
	`Create Task description (JSON):             ${bytes} bytes (${(bytes / 1024).toFixed(1)} KiB; ${chars} characters), ${description.properties.length} top-level properties`,
	`Load node types (${nodeFiles.length} files, ${constructed} classes): median ${median.toFixed(1)} ms (min ${samples[0].toFixed(1)}, max ${samples[samples.length - 1].toFixed(1)})`,
	`n8n PackageDirectoryLoader.loadAll (${loaded.nodes} nodes, ${loaded.credentials} credential): median ${loaderMedian.toFixed(1)} ms (min ${loaderSamples[0].toFixed(1)}, max ${loaderSamples[loaderSamples.length - 1].toFixed(1)})`,
];
console.log(lines.join('\n'));
