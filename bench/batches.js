#!/usr/bin/env node
'use strict';
/**
 * Benchmark of the Batches issue: N tasks through KIE Create Task against a simulator that enforces
 * KIE's limits (20 new tasks per 10 s, 10 status reads per second) with time scaled down by --scale
 * (default 10: 20 creates per 1 s, 100 reads per second, generation times / 10; at 1/50 the unscaled in-process
 * costs weigh several per cent, and a busy machine moved the ratio from 1.10 to 1.25).
 *
 *   (a) batch: all N items in one execution, paced by the node (Options → Batching set to the scaled
 *       limits, Poll Interval 3 s scaled);
 *   (b) one at a time: one execution per item, in input order (submit, poll until done, then the
 *       next), as a Loop Over Items with batch size 1 runs the nodes today.
 *
 * Generation times are log-normal around 30 s (median; σ = 0.5, clipped to 5–180 s), from a seeded
 * generator, the same for both runs. The lower bound of (a) is set by the limits alone: with creates
 * released exactly at the window edges, item i (in input order) starts at floor(i / 20) × window, so
 * LB = max_i(floor(i / 20) × window + gen_i).
 *
 * The nodes run in-process through n8n-core's WorkflowExecute via the test harness
 * (test/support/harness.ts, compiled with tsc into a temp dir, as bench/files.js does); the simulator
 * runs in a child process.
 *
 *   node bench/batches.js [--n 200] [--scale 10] [--seed 42] [--concurrent 100] [--sequential]
 *   (BENCH_DEBUG=1 prints the start lateness and end of the last tasks of the batch)
 */
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const { compileHarness } = require('./lib/compile-harness');
const { logNormalSeconds } = require('./lib/generation');

const root = path.join(__dirname, '..');
const arg = (name, fallback) => {
	const index = process.argv.indexOf(`--${name}`);
	return index === -1 ? fallback : Number(process.argv[index + 1]);
};
const N = arg('n', 200);
const SCALE = arg('scale', 10);
const SEED = arg('seed', 42);
// (b) takes about N × 30 s / scale (10 minutes at 1/10): only with --sequential.
const SEQUENTIAL = process.argv.includes('--sequential');
const API_KEY = 'bench account 01';
const GOAL = 1.1;

// KIE's limits and guidance, in real seconds; everything below is divided by SCALE.
const KIE = { createsPerWindow: 20, windowS: 10, pollsPerSecond: 10, concurrentTasks: arg('concurrent', 100), pollIntervalS: 3 };
const WINDOW_MS = (KIE.windowS * 1000) / SCALE;
const POLLS_PER_SECOND = KIE.pollsPerSecond * SCALE;

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kie-bench-batches-'));
const cleanup = () => fs.rmSync(tmp, { recursive: true, force: true });


/** Generation times in real seconds: log-normal, median 30 s, σ 0.5, clipped to 5–180 s (seeded). */
const generationTimes = (count, seed) => logNormalSeconds(count, seed, { median: 30, sigma: 0.5, min: 5, max: 180 });

const promptOf = (index) => `bench row ${String(index + 1).padStart(4, '0')}`;

/** The simulator in a child process, with KIE's limits scaled and each task's time from its prompt. */
function startSimulatorChild(genMsByPrompt) {
	const table = path.join(tmp, 'gen.json');
	fs.writeFileSync(table, JSON.stringify(genMsByPrompt));
	const script = `
		const gen = require(${JSON.stringify(table)});
		const { startSimulator } = require(${JSON.stringify(path.join(root, 'simulator'))});
		startSimulator({
			apiKey: ${JSON.stringify(API_KEY)},
			credits: 1e9,
			rateLimit: { createsPerWindow: ${KIE.createsPerWindow}, windowMs: ${WINDOW_MS}, pollsPerSecond: ${POLLS_PER_SECOND} },
			taskFor: (model, body) => ({ genMs: gen[body && body.input && body.input.prompt] }),
		}).then((sim) => {
			process.stdout.write(sim.url + '\\n');
			process.on('SIGTERM', () => sim.close().then(() => process.exit(0)));
		});`;
	const child = spawn(process.execPath, ['-e', script], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
	return new Promise((resolve, reject) => {
		let out = '';
		child.stdout.on('data', (chunk) => {
			out += chunk;
			if (out.includes('\n')) resolve({ url: out.split('\n')[0].trim(), stop: () => child.kill('SIGTERM') });
		});
		child.on('exit', (code) => reject(new Error(`simulator exited (${code})`)));
	});
}

async function admin(sim, method, route) {
	const res = await fetch(`${sim.url}/__sim/${route}`, { method });
	return await res.json();
}

/** Creates sent, 429s, polls, duplicates and lost items of one run, from the simulator's log. */
async function figures(sim, outputs, wallMs) {
	const stats = await admin(sim, 'GET', 'stats');
	const creates = await admin(sim, 'GET', 'requests?route=createTask');
	const accepted = new Map();
	for (const request of creates) {
		if (request.answerCode !== 200) continue;
		const prompt = request.body.input.prompt;
		accepted.set(prompt, (accepted.get(prompt) ?? 0) + 1);
	}
	let duplicates = 0;
	for (const count of accepted.values()) duplicates += count - 1;
	// Which prompt each task was created from (the output items carry the task id, not the request).
	const promptOfTask = new Map(creates.filter((request) => request.answerCode === 200).map((request) => [request.taskId, request.body.input.prompt]));
	let lost = 0;
	let misplaced = 0;
	for (let i = 0; i < N; i++) {
		const item = outputs[i];
		if (!item || item.json.state !== 'success' || !(item.json.resultUrls ?? []).length) lost++;
		else if (promptOfTask.get(item.json.taskId) !== promptOf(i)) misplaced++;
	}
	const dropped = creates.filter((request) => request.answerCode === null).length;
	return {
		wallMs,
		createsSent: stats.creates,
		accepted: stats.accepted,
		create429: stats.createRejected429,
		poll429: stats.pollRejected429,
		polls: stats.polls,
		pollsPerTask: stats.polls / N,
		peakCreatesInWindow: stats.peakCreatesInWindow,
		duplicates,
		lost,
		misplaced,
		dropped,
	};
}

async function main() {
	console.log('Compiling the harness (tsc)…');
	const build = compileHarness(tmp, ['nodes/KieCreateTask/KieCreateTask.node.ts']);
	const { runWorkflow } = require(path.join(build, 'test/support/harness.js'));
	const { KieCreateTask } = require(path.join(build, 'nodes/KieCreateTask/KieCreateTask.node.js'));

	const gens = generationTimes(N, SEED);
	const genMsByPrompt = Object.fromEntries(gens.map((s, i) => [promptOf(i), Math.round((s * 1000) / SCALE)]));
	const scaledGen = gens.map((s) => (s * 1000) / SCALE);
	const lowerBoundMs = Math.max(...scaledGen.map((ms, i) => Math.floor(i / KIE.createsPerWindow) * WINDOW_MS + ms));
	const sorted = [...gens].sort((a, b) => a - b);
	const sim = await startSimulatorChild(genMsByPrompt);

	const credentials = { kieApi: { apiKey: API_KEY, baseUrl: sim.url, uploadBaseUrl: sim.url, webhookHmacKey: '' } };
	const parameters = {
		model: { __rl: true, mode: 'list', value: 'gpt-image/1.5-text-to-image' },
		prompt: '={{ $json.prompt }}',
		options: {
			pollInterval: KIE.pollIntervalS / SCALE,
			timeout: 3600,
			batching: {
				createsPerWindow: KIE.createsPerWindow,
				windowSeconds: KIE.windowS / SCALE,
				pollsPerSecond: POLLS_PER_SECOND,
				concurrentTasks: KIE.concurrentTasks,
			},
		},
	};
	const run = async (input) => {
		const result = await runWorkflow({
			nodeTypes: [KieCreateTask],
			credentials,
			nodes: [{ name: 'KIE', type: 'kieCreateTask', parameters, continueOnFail: true }],
			input,
		});
		if (result.error) throw result.error;
		return result.output('KIE');
	};
	const input = Array.from({ length: N }, (_, i) => ({ json: { prompt: promptOf(i) } }));

	try {
		// A warm-up execution (first use of n8n-core's code paths), not measured.
		await run([{ json: { prompt: 'warm-up' } }]);
		await new Promise((resolve) => setTimeout(resolve, WINDOW_MS * 1.5));

		await admin(sim, 'POST', 'reset');
		console.log(`(a) batch: ${N} items in one execution…`);
		let started = Date.now();
		const batchOut = await run(input);
		const batch = await figures(sim, batchOut, Date.now() - started);
		if (process.env.BENCH_DEBUG) {
			const tasks = await admin(sim, 'GET', 'tasks');
			const byPrompt = new Map(tasks.map((t) => [JSON.parse(t.record.param).input.prompt, t]));
			const rows = input.map((item, i) => {
				const t = byPrompt.get(item.json.prompt);
				const ideal = Math.floor(i / KIE.createsPerWindow) * WINDOW_MS;
				return { i, startLate: t.createdAt - started - ideal, end: t.createdAt - started + t.genMs, gen: t.genMs };
			});
			rows.sort((a, b) => b.end - a.end);
			console.log(JSON.stringify(rows.slice(0, 8)));
			console.log('max start lateness', Math.max(...rows.map((r) => r.startLate)), 'first create', Math.min(...tasks.map((t) => t.createdAt)) - started);
		}

		let sequential;
		if (SEQUENTIAL) {
			await new Promise((resolve) => setTimeout(resolve, WINDOW_MS * 1.5));
			await admin(sim, 'POST', 'reset');
			console.log(`(b) one at a time: ${N} executions of one item…`);
			started = Date.now();
			const outputs = [];
			for (const item of input) outputs.push(...(await run([item])));
			sequential = await figures(sim, outputs, Date.now() - started);
		}
		report({ gens, sorted, lowerBoundMs, batch, sequential });
	} finally {
		sim.stop();
	}
}

function report({ sorted, lowerBoundMs, batch, sequential }) {
	const s = (ms) => (ms / 1000).toFixed(2);
	const real = (ms) => ((ms * SCALE) / 1000).toFixed(0);
	const pct = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))].toFixed(1);
	const ratio = batch.wallMs / lowerBoundMs;
	console.log('');
	console.log(
		`Node ${process.version}; N = ${N}; time scale 1/${SCALE}: ${KIE.createsPerWindow} creates per ${s(WINDOW_MS)} s, ` +
			`${POLLS_PER_SECOND} polls per s, Poll Interval ${(KIE.pollIntervalS / SCALE).toFixed(3)} s, Concurrent Tasks ${KIE.concurrentTasks}; seed ${SEED}`,
	);
	console.log(
		`Generation times (real s): min ${sorted[0].toFixed(1)}, p10 ${pct(0.1)}, median ${pct(0.5)}, p90 ${pct(0.9)}, max ${sorted[sorted.length - 1].toFixed(1)}; ` +
			`sum ${sorted.reduce((a, b) => a + b, 0).toFixed(0)}`,
	);
	console.log('');
	console.log('| Run | Wall time (scaled) | = real-time equivalent | Lower bound | Ratio | Creates sent | 429s (create / poll) | Polls per task | Duplicate creates | Lost items |');
	console.log('|---|---|---|---|---|---|---|---|---|---|');
	const row = (name, r, bound) =>
		console.log(
			`| ${name} | ${s(r.wallMs)} s | ${real(r.wallMs)} s | ${bound ? `${s(bound)} s (${real(bound)} s)` : '—'} | ${bound ? `**${(r.wallMs / bound).toFixed(3)}**` : '—'} | ` +
				`${r.createsSent} | ${r.create429 + r.poll429} (${r.create429} / ${r.poll429}) | ${r.pollsPerTask.toFixed(1)} | ${r.duplicates} | ${r.lost + r.misplaced} |`,
		);
	row('(a) batch, one execution', batch, lowerBoundMs);
	if (sequential) row('(b) one at a time', sequential, undefined);
	console.log('');
	if (sequential) console.log(`Speed-up of (a) over (b): ${(sequential.wallMs / batch.wallMs).toFixed(1)}×`);
	const ok = ratio <= GOAL && batch.duplicates === 0 && batch.lost === 0 && batch.misplaced === 0;
	console.log(
		`Goal: wall time ≤ ${GOAL} × lower bound, 0 duplicates, 0 lost items: ${ok ? 'met ✓' : 'NOT met ✗'} ` +
			`(ratio ${ratio.toFixed(3)}, peak ${batch.peakCreatesInWindow} creates in a window, ${batch.dropped} dropped)`,
	);
	if (!ok) process.exitCode = 1;
}

main()
	.catch((error) => {
		console.error(error);
		process.exitCode = 1;
	})
	.finally(() => {
		if (!process.argv.includes('--keep')) cleanup();
		// The harness keeps n8n-core services alive; leave once the report is out.
		setTimeout(() => process.exit(process.exitCode ?? 0), 200).unref();
	});
