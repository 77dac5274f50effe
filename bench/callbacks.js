#!/usr/bin/env node
'use strict';
/**
 * Benchmark of the Resume issue: the cost of Wait for Callback against polling, for batches of 10, 40
 * and 200 items, with KIE's limits enforced as they are (20 new tasks per 10 s, 10 status reads per
 * second; not scaled), and what each run costs in status reads, 429 answers and time.
 *
 *   poll           Completion: Poll (the node's defaults: KIE's limits, Poll Interval 3 s);
 *   callback       Completion: Wait for Callback, credential without a webhook HMAC key (the default):
 *                  every callback is only a signal, and the node reads KIE;
 *   callback+key   the same with a webhook HMAC key: a signed callback settles its own task.
 *
 * Every task takes a generation time from a seeded log-normal (median 8 s, σ 0.5, clipped 2–40 s),
 * by its prompt, the same in every run. The nodes run in-process through n8n-core's WorkflowExecute via
 * the test harness (test/support/harness.ts, compiled with tsc, as bench/batches.js does); the simulator
 * calls back a receiver, and each callback that reaches it after the execution started waiting is handed
 * to the waiting execution at once, concurrently, as n8n's waiting webhook does. Callbacks that arrive
 * while the node still submits are dropped, as n8n refuses them (and KIE does not retry here), so only
 * reads settle those tasks: the hard case. Time runs from the start of the execution until it has the
 * last result (polled) or has resumed (callback).
 *
 *   node bench/callbacks.js [--sizes 10,40,200] [--seed 7] [--modes poll,callback,callback+key]
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const { compileHarness } = require('./lib/compile-harness');
const { logNormalSeconds } = require('./lib/generation');

const root = path.join(__dirname, '..');
const option = (name, fallback) => {
	const index = process.argv.indexOf(`--${name}`);
	return index === -1 ? fallback : process.argv[index + 1];
};
const SIZES = option('sizes', '10,40,200').split(',').map(Number);
const SEED = Number(option('seed', 7));
const MODES = option('modes', 'poll,callback,callback+key').split(',');
const API_KEY = 'bench account 02';
const HMAC = 'bench-webhook-hmac-key';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kie-bench-callbacks-'));

/** Generation times in ms: log-normal, median 8 s, σ 0.5, clipped to 2–40 s (seeded). */
const generationTimes = (count, seed) => logNormalSeconds(count, seed, { median: 8, sigma: 0.5, min: 2, max: 40 }).map((seconds) => Math.round(1000 * seconds));

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function main() {
	console.log('Compiling the harness (tsc)…');
	const build = compileHarness(tmp, ['nodes/KieCreateTask/KieCreateTask.node.ts']);
	const { runWorkflow, resumeExecution } = require(path.join(build, 'test/support/harness.js'));
	const { KieCreateTask } = require(path.join(build, 'nodes/KieCreateTask/KieCreateTask.node.js'));
	const { startSimulator, startCallbackReceiver } = require(path.join(root, 'simulator'));

	const largest = Math.max(...SIZES);
	const genMs = generationTimes(largest, SEED);
	const promptOf = (index) => `bench callback row ${String(index + 1).padStart(4, '0')}`;
	const genByPrompt = new Map(genMs.map((ms, index) => [promptOf(index), ms]));
	const taskFor = (model, body) => ({ genMs: genByPrompt.get(body?.input?.prompt) ?? 1000 });
	const plain = await startSimulator({ apiKey: API_KEY, credits: 1e9, rateLimit: true, callbackRetries: 0, taskFor });
	const signed = await startSimulator({ apiKey: API_KEY, credits: 1e9, rateLimit: true, callbackRetries: 0, taskFor, hmacKey: HMAC });
	const receiver = await startCallbackReceiver();

	async function runOnce(mode, size) {
		const sim = mode === 'callback+key' ? signed : plain;
		sim.reset();
		receiver.clear();
		// A fresh rate-limit window: nothing of the previous run counts against this one.
		await sleep(10_500);
		const credentials = { kieApi: { apiKey: API_KEY, baseUrl: sim.url, uploadBaseUrl: sim.url, webhookHmacKey: mode === 'callback+key' ? HMAC : '' } };
		const input = Array.from({ length: size }, (_, index) => ({ json: { prompt: promptOf(index) } }));
		const started = Date.now();
		const result = await runWorkflow({
			nodeTypes: [KieCreateTask],
			credentials,
			webhookBaseUrl: `${receiver.baseUrl}/`,
			nodes: [
				{
					name: 'KIE',
					type: 'kieCreateTask',
					parameters: {
						model: { __rl: true, mode: 'list', value: 'gpt-image/1.5-text-to-image' },
						prompt: '={{ $json.prompt }}',
						completion: mode === 'poll' ? 'poll' : 'callback',
						options: { timeout: 3600 },
					},
				},
			],
			input,
		});
		if (result.error) throw result.error;
		let output;
		let callbacksHanded = 0;
		if (result.status === 'waiting') {
			const since = Date.now();
			const handed = new Set();
			const answers = [];
			let resumed;
			while (!resumed) {
				if (Date.now() - started > 600_000) throw new Error(`${mode} ${size}: not resumed after 10 minutes`);
				for (const callback of receiver.received) {
					if (handed.has(callback)) continue;
					handed.add(callback);
					if (callback.at < since) continue;
					callbacksHanded++;
					answers.push(
						resumeExecution(result, { body: callback.body, headers: callback.headers, url: callback.path }).then((answer) => {
							if (answer.resumed) resumed = answer;
						}),
					);
				}
				await sleep(10);
			}
			await Promise.all(answers);
			output = resumed.run.output('KIE');
		} else {
			output = result.output('KIE');
		}
		const wallMs = Date.now() - started;
		const ok = output.length === size && output.every((item) => item.json.state === 'success');
		return {
			mode,
			size,
			wallMs,
			reads: sim.requestsFor('recordInfo').length,
			creates: sim.requestsFor('createTask').length,
			rejected429: sim.stats.rejected429,
			callbacksHanded,
			ok,
		};
	}

	const rows = [];
	try {
		for (const size of SIZES) {
			for (const mode of MODES) {
				process.stdout.write(`${mode}, ${size} items… `);
				const row = await runOnce(mode, size);
				rows.push(row);
				process.stdout.write(`${(row.wallMs / 1000).toFixed(1)} s, ${row.reads} reads, ${row.rejected429} × 429\n`);
			}
		}
	} finally {
		await receiver.close();
		await plain.close();
		await signed.close();
	}

	console.log('');
	console.log(`Node ${process.version}; KIE's limits enforced (20 creates per 10 s, 10 status reads per s); generation times log-normal, median 8 s, seed ${SEED}`);
	console.log('');
	console.log('| Items | Completion | Time | Status reads | Reads per item | 429 answers | Creates | Callbacks handed to n8n | Time ÷ polled | All succeeded |');
	console.log('|---|---|---|---|---|---|---|---|---|---|');
	let goal = true;
	for (const row of rows) {
		const polled = rows.find((other) => other.size === row.size && other.mode === 'poll');
		const ratio = polled ? row.wallMs / polled.wallMs : undefined;
		console.log(
			`| ${row.size} | ${row.mode} | ${(row.wallMs / 1000).toFixed(1)} s | ${row.reads} | ${(row.reads / row.size).toFixed(2)} | ${row.rejected429} | ${row.creates} | ` +
				`${row.mode === 'poll' ? '—' : row.callbacksHanded} | ${ratio === undefined ? '—' : ratio.toFixed(2)} | ${row.ok ? 'yes' : 'NO'} |`,
		);
		if (!row.ok || row.rejected429 > 0) goal = false;
		if (row.mode !== 'poll' && (row.reads > 2 * row.size + 10 || (ratio !== undefined && ratio > 1.5))) goal = false;
	}
	console.log('');
	console.log(`Goal: every item succeeds, no 429, and Wait for Callback with at most 2N + 10 status reads within 1.5 × the polled time: ${goal ? 'met ✓' : 'NOT met ✗'}`);
	if (!goal) process.exitCode = 1;
}

main()
	.catch((error) => {
		console.error(error);
		process.exitCode = 1;
	})
	.finally(() => {
		fs.rmSync(tmp, { recursive: true, force: true });
		// The harness keeps n8n-core services alive; leave once the report is out.
		setTimeout(() => process.exit(process.exitCode ?? 0), 200).unref();
	});
