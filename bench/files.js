#!/usr/bin/env node
'use strict';
/**
 * Memory benchmark of the Files issue: peak RSS growth over the baseline while the node
 *   (a) uploads a large binary through `uploadBinary` (KIE's stream upload), and
 *   (b) downloads a large result through KIE Create Task ("Download Results"),
 * with n8n's filesystem binary mode (n8n 2.x's default). The nodes run in-process through n8n-core's
 * WorkflowExecute, via the test harness (test/support/harness.ts, compiled with tsc into a temp dir);
 * the simulator runs in a child process, so its memory is not counted. RSS is sampled every 2 ms.
 *
 *   node --expose-gc bench/files.js [--mb 200]
 */
const { execFileSync, spawn } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const { compileHarness } = require('./lib/compile-harness');

const root = path.join(__dirname, '..');
const mbArg = process.argv.indexOf('--mb');
const SIZE_MB = mbArg === -1 ? 200 : Number(process.argv[mbArg + 1]);
const SIZE = SIZE_MB * 1024 * 1024;
const API_KEY = 'bench account 01';
const GOAL_MB = 64;

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kie-bench-files-'));
const cleanup = () => fs.rmSync(tmp, { recursive: true, force: true });


/** The simulator in a child process, serving every result as a streamed file of `resultBytes`. */
function startSimulatorChild() {
	const script = `
		const { startSimulator } = require(${JSON.stringify(path.join(root, 'simulator'))});
		startSimulator({ apiKey: ${JSON.stringify(API_KEY)}, genMs: 100, resultBytes: ${SIZE} }).then((sim) => {
			process.stdout.write(sim.url + '\\n');
			process.on('SIGTERM', () => sim.close().then(() => process.exit(0)));
		});`;
	const child = spawn(process.execPath, ['-e', script], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
	return new Promise((resolve, reject) => {
		let out = '';
		child.stdout.on('data', (chunk) => {
			out += chunk;
			const line = out.split('\n')[0];
			if (out.includes('\n')) resolve({ url: line.trim(), stop: () => child.kill('SIGTERM') });
		});
		child.on('exit', (code) => reject(new Error(`simulator exited (${code})`)));
	});
}

/** A file of SIZE bytes on disk (a PNG signature, then filler), written in chunks. */
function writeInputFile() {
	const file = path.join(tmp, 'input.png');
	const fd = fs.openSync(file, 'w');
	const chunk = Buffer.alloc(1024 * 1024, 0x5a);
	Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]).copy(chunk);
	for (let written = 0; written < SIZE; written += chunk.length) {
		fs.writeSync(fd, chunk, 0, Math.min(chunk.length, SIZE - written));
		chunk.fill(0x5a, 0, 8);
	}
	fs.closeSync(fd);
	return file;
}

const settle = async () => {
	for (let i = 0; i < 3; i++) {
		global.gc?.();
		await new Promise((resolve) => setTimeout(resolve, 100));
	}
};

/** Runs `work` while sampling RSS every 2 ms; returns the peak growth over the baseline before it. */
async function measure(work) {
	await settle();
	const baseline = process.memoryUsage.rss();
	let peak = baseline;
	let samples = 0;
	const timer = setInterval(() => {
		samples++;
		const rss = process.memoryUsage.rss();
		if (rss > peak) peak = rss;
	}, 2);
	const started = Date.now();
	let result;
	try {
		result = await work();
	} finally {
		clearInterval(timer);
	}
	const rss = process.memoryUsage.rss();
	if (rss > peak) peak = rss;
	return { result, baseline, peak, growth: peak - baseline, ms: Date.now() - started, samples };
}

const mb = (bytes) => (bytes / 1024 / 1024).toFixed(1);

const directionArg = process.argv.indexOf('--direction');
const DIRECTION = directionArg === -1 ? undefined : process.argv[directionArg + 1];

/** Each direction runs in a fresh process, so one's freed heap does not hide the other's growth. */
async function main() {
	if (DIRECTION) return await measureDirection(process.env.KIE_BENCH_BUILD, process.env.KIE_BENCH_SIM);
	console.log(`Compiling the harness (tsc)…`);
	const build = compileHarness(tmp, ['nodes/KieCreateTask/KieCreateTask.node.ts', 'nodes/shared/helpers/upload.ts']);
	const sim = await startSimulatorChild();
	const results = [];
	try {
		for (const direction of ['upload', 'download']) {
			console.log(`${direction === 'upload' ? '(a) Upload' : '(b) Download'} ${SIZE_MB} MB…`);
			const out = execFileSync(process.execPath, ['--expose-gc', __filename, '--direction', direction, '--mb', String(SIZE_MB)], {
				cwd: root,
				env: { ...process.env, KIE_BENCH_BUILD: build, KIE_BENCH_SIM: sim.url },
				stdio: ['ignore', 'pipe', 'inherit'],
			}).toString();
			results.push(JSON.parse(out.trim().split('\n').pop()));
		}
	} finally {
		sim.stop();
	}
	report(results);
}

async function measureDirection(build, simUrl) {
	const { runWorkflow } = require(path.join(build, 'test/support/harness.js'));
	const { KieCreateTask } = require(path.join(build, 'nodes/KieCreateTask/KieCreateTask.node.js'));
	const { uploadBinary } = require(path.join(build, 'nodes/shared/helpers/upload.js'));

	const credentials = { kieApi: { apiKey: API_KEY, baseUrl: simUrl, uploadBaseUrl: simUrl, webhookHmacKey: '' } };
	const file = DIRECTION === 'upload' ? writeInputFile() : undefined;
	const description = (name) => ({
		displayName: name,
		name,
		group: ['transform'],
		version: 1,
		description: name,
		defaults: { name },
		inputs: ['main'],
		outputs: ['main'],
		credentials: [{ name: 'kieApi', required: true }],
		properties: [],
	});
	class BenchReadFile {
		constructor() {
			this.description = description('benchReadFile');
		}
		async execute() {
			const data = await this.helpers.prepareBinaryData(fs.createReadStream(file), 'input.png', 'image/png');
			return [[{ json: {}, binary: { data } }]];
		}
	}
	class BenchUpload {
		constructor() {
			this.description = description('benchUpload');
		}
		async execute() {
			return [[{ json: { ...(await uploadBinary.call(this, 0, 'data', { uploadPath: 'bench' })) } }]];
		}
	}
	if (DIRECTION === 'upload') {
		// The input binary is put into the filesystem store by a run of its own, before the baseline.
		const read = await runWorkflow({ nodeTypes: [BenchReadFile], credentials, nodes: [{ name: 'Read', type: 'benchReadFile' }], binaryMode: 'filesystem' });
		const input = read.output('Read')[0];
		if (input.binary.data.bytes !== SIZE) throw new Error(`input binary has ${input.binary.data.bytes} bytes`);

		const upload = await measure(async () => {
			const run = await runWorkflow({
				nodeTypes: [BenchUpload],
				credentials,
				nodes: [{ name: 'Upload', type: 'benchUpload' }],
				input: [{ json: {}, binary: { data: input.binary.data } }],
				binaryMode: 'filesystem',
			});
			if (run.error) throw run.error;
			return run.output('Upload')[0].json;
		});
		if (upload.result.fileSize !== SIZE) throw new Error(`KIE (simulator) received ${upload.result.fileSize} bytes`);
		delete upload.result;
		console.log(JSON.stringify({ what: `(a) upload: \`uploadBinary\`, ${SIZE_MB} MB binary → KIE stream upload`, ...upload }));
	} else {
		const download = await measure(async () => {
			const run = await runWorkflow({
				nodeTypes: [KieCreateTask],
				credentials,
				nodes: [
					{
						name: 'KIE',
						type: 'kieCreateTask',
						parameters: {
							model: { __rl: true, mode: 'list', value: 'gpt-image/1.5-text-to-image' },
							prompt: 'a large file',
							options: { downloadResults: true, pollInterval: 0.2, timeout: 120 },
						},
					},
				],
				binaryMode: 'filesystem',
			});
			if (run.error) throw run.error;
			return run.output('KIE')[0];
		});
		if (download.result.binary.data.bytes !== SIZE) throw new Error(`downloaded ${download.result.binary.data.bytes} bytes`);
		delete download.result;
		console.log(JSON.stringify({ what: `(b) download: KIE Create Task "Download Results", ${SIZE_MB} MB result`, ...download }));
	}
}

function report(results) {
	console.log('');
	console.log(`Node ${process.version}, n8n-core filesystem binary mode, RSS sampled every 2 ms, simulator in a child process`);
	console.log('| Direction | File size | Baseline RSS | Peak RSS | Peak growth | Time | Goal |');
	console.log('|---|---|---|---|---|---|---|');
	let ok = true;
	for (const r of results) {
		const pass = r.growth < GOAL_MB * 1024 * 1024;
		ok &&= pass;
		console.log(
			`| ${r.what} | ${SIZE_MB} MB | ${mb(r.baseline)} MB | ${mb(r.peak)} MB | **${mb(r.growth)} MB** | ${(r.ms / 1000).toFixed(1)} s | ${pass ? `< ${GOAL_MB} MB ✓` : `over ${GOAL_MB} MB ✗`} |`,
		);
	}
	if (!ok) process.exitCode = 1;
}

main()
	.catch((error) => {
		console.error(error);
		process.exitCode = 1;
	})
	.finally(() => {
		if (DIRECTION || !process.argv.includes('--keep')) cleanup();
		// The harness keeps n8n-core services alive; leave once the report is out.
		setTimeout(() => process.exit(process.exitCode ?? 0), 200).unref();
	});
