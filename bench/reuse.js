#!/usr/bin/env node
'use strict';
/**
 * Benchmark of the Cost issue: the credits a 200-item run spends when it fails at item 190 and is retried
 * (n8n's executions list → Retry), with and without Options → Reuse Results.
 *
 * The run is a production execution (mode webhook, active workflow) of KIE Create Task (GPT Image 1.5,
 * Wait Until Done) against the simulator, which charges 4 credits per task and refuses the 190th create
 * (its daily-limit answer, code 433): the execution fails after 189 paid tasks. The retry starts from the
 * failed execution's data, as n8n's ExecutionService.retry does (test/support/harness.ts retryExecution),
 * in a fresh process memory (n8n restarted, or another worker runs it). Credits are what the simulator
 * charged, read from its account before and after.
 *
 * The nodes run in-process through n8n-core's WorkflowExecute via the test harness (compiled with tsc into
 * a temp dir, as bench/batches.js does); the simulator runs in the same process (timing is not measured
 * here, only credits and creates).
 *
 *   node bench/reuse.js [--n 200] [--fail-at 190]
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const { compileHarness } = require('./lib/compile-harness');

const arg = (name, fallback) => {
	const index = process.argv.indexOf(`--${name}`);
	return index === -1 ? fallback : Number(process.argv[index + 1]);
};
const N = arg('n', 200);
const FAIL_AT = arg('fail-at', 190);
const API_KEY = 'bench account 01';
const CREDITS = 1e6;

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kie-bench-reuse-'));
const cleanup = () => fs.rmSync(tmp, { recursive: true, force: true });

async function main() {
	console.log('Compiling the harness (tsc)…');
	const build = compileHarness(tmp, ['nodes/KieCreateTask/KieCreateTask.node.ts', 'nodes/shared/reuse/index.ts']);
	const { runWorkflow, retryExecution } = require(path.join(build, 'test/support/harness.js'));
	const { KieCreateTask } = require(path.join(build, 'nodes/KieCreateTask/KieCreateTask.node.js'));
	const { resetProcessReuse } = require(path.join(build, 'nodes/shared/reuse/index.js'));
	const { startSimulator } = require('../simulator');

	const sim = await startSimulator({ apiKey: API_KEY, genMs: 20, credits: CREDITS });
	const credentials = { kieApi: { apiKey: API_KEY, baseUrl: sim.url, uploadBaseUrl: sim.url, webhookHmacKey: '' } };
	const input = Array.from({ length: N }, (_, i) => ({ json: { prompt: `bench row ${String(i + 1).padStart(4, '0')}` } }));

	/** One scenario: the failed run and its retry; returns the credits and creates of each. */
	const scenario = async (reuseResults) => {
		sim.reset();
		sim.setCredits(CREDITS);
		resetProcessReuse();
		sim.fault('createTask', 'dailyLimit', { skip: FAIL_AT - 1 });
		const parameters = {
			model: { __rl: true, mode: 'list', value: 'gpt-image/1.5-text-to-image' },
			prompt: '={{ $json.prompt }}',
			options: {
				pollInterval: 0.05,
				timeout: 600,
				reuseResults,
				// The simulator enforces no limit here: the run is paced only to stay quick.
				batching: { createsPerWindow: 100, windowSeconds: 0.1, pollsPerSecond: 500, concurrentTasks: 200 },
			},
		};
		const failed = await runWorkflow({
			nodeTypes: [KieCreateTask],
			credentials,
			nodes: [{ name: 'KIE', type: 'kieCreateTask', parameters, credentials: { kieApi: { id: 'bench', name: 'KIE (bench)' } } }],
			input,
			mode: 'webhook',
			active: true,
			staticData: {},
			workflowId: 'bench-reuse',
		});
		if (failed.status !== 'error') throw new Error(`the first run should fail at item ${FAIL_AT}, it ended ${failed.status}`);
		const firstCredits = CREDITS - sim.credits;
		const firstTasks = sim.tasks.size;
		resetProcessReuse(); // n8n restarted before the retry, or another worker runs it
		const retried = await retryExecution(failed);
		if (retried.status !== 'success') throw new Error(`the retry ended ${retried.status}: ${retried.error?.message}`);
		const items = retried.output('KIE');
		return {
			firstTasks,
			firstCredits,
			retryTasks: sim.tasks.size - firstTasks,
			retryCredits: CREDITS - sim.credits - firstCredits,
			reused: items.filter((item) => item.json.reused === true).length,
			total: CREDITS - sim.credits,
		};
	};

	try {
		const rows = [];
		for (const reuse of [false, true]) {
			console.log(`${N} items, failing at item ${FAIL_AT}, retried: Reuse Results ${reuse ? 'on' : 'off'}…`);
			rows.push({ reuse, ...(await scenario(reuse)) });
		}
		const needed = N * 4;
		console.log('');
		console.log(`| Reuse Results | failed run: tasks / credits | retry: new tasks / credits (reused) | total credits | vs. ${N} tasks once (${needed}) |`);
		console.log('|---|---|---|---|---|');
		for (const row of rows) {
			console.log(
				`| ${row.reuse ? 'on' : 'off'} | ${row.firstTasks} / ${row.firstCredits} | ${row.retryTasks} / ${row.retryCredits} (${row.reused}) | ${row.total} | ${(row.total / needed).toFixed(2)} × |`,
			);
		}
		await sim.close();
	} finally {
		cleanup();
	}
}

main().catch((error) => {
	console.error(error);
	cleanup();
	process.exit(1);
});
