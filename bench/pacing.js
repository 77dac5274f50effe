#!/usr/bin/env node
'use strict';
/**
 * Benchmark of the Pacing issue: KIE's account limits (20 creates per 10 s, 10 status reads per second,
 * enforced by the simulator as they are, not scaled) held across executions, in one n8n process and in
 * queue mode, for this tree and, measured in the same run, a baseline tree (default: the commit before the
 * Pacing issue, where each execution paced itself).
 *
 *   (a) one process: three executions of 20 items of KIE Create Task (Poll) started together, in-process
 *       through n8n-core (test harness), generation 2 s. Floor: 60 creates need 3 windows (20 s) + 2 s.
 *   (b) queue mode: a real n8n 2.40.7 (main, two workers, webhook processor on PostgreSQL and Redis; see
 *       scripts/lib/queue-n8n.js), four executions of 50 items started together through the webhook
 *       processor, generation 400 ms. Floor: 200 creates need 10 windows (90 s) + 0.4 s.
 *
 *   node bench/pacing.js [--baseline 830802b] [--skip-queue]
 * Needs `npm run build` (this tree) and, for (b), PostgreSQL and Redis as for `npm run test:queue`.
 */
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const { compileHarness } = require('./lib/compile-harness');

const root = path.join(__dirname, '..');
const option = (name, fallback) => {
	const index = process.argv.indexOf(`--${name}`);
	return index === -1 ? fallback : process.argv[index + 1];
};
const BASELINE = option('baseline', '830802b');
const QUEUE = !process.argv.includes('--skip-queue');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kie-bench-pacing-'));
const API_KEY = 'bench account 03';

/** A worktree of `rev`, built, sharing this tree's node_modules. */
function baselineTree(rev) {
	const dir = path.join(tmp, 'baseline');
	execFileSync('git', ['worktree', 'add', '--detach', dir, rev], { cwd: root, stdio: 'ignore' });
	fs.symlinkSync(path.join(root, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
	execFileSync('npm', ['run', '--silent', 'build'], { cwd: dir, stdio: 'ignore' });
	return dir;
}

/** Duplicates (a prompt accepted more than once) and lost rows (a prompt never accepted). */
function accounting(creates, prompts) {
	const accepted = new Map();
	for (const request of creates) if (request.answerCode === 200) accepted.set(request.body.input.prompt, (accepted.get(request.body.input.prompt) ?? 0) + 1);
	let duplicates = 0;
	for (const count of accepted.values()) duplicates += count - 1;
	return { duplicates, lost: prompts.filter((prompt) => !accepted.has(prompt)).length };
}

async function oneProcess(tree, label) {
	const out = path.join(tmp, `harness-${label}`);
	fs.mkdirSync(out, { recursive: true });
	const build = compileHarness(out, ['nodes/KieCreateTask/KieCreateTask.node.ts'], tree);
	const { runWorkflow } = require(path.join(build, 'test/support/harness.js'));
	const { KieCreateTask } = require(path.join(build, 'nodes/KieCreateTask/KieCreateTask.node.js'));
	const { startSimulator } = require(path.join(root, 'simulator'));
	const sim = await startSimulator({ apiKey: API_KEY, credits: 1e9, rateLimit: true, genMs: 2000 });
	try {
		const lists = [0, 1, 2].map((run) => Array.from({ length: 20 }, (_, index) => `one process ${label} run ${run} row ${index}`));
		const started = Date.now();
		const results = await Promise.all(
			lists.map(
				async (list) =>
					await runWorkflow({
						nodeTypes: [KieCreateTask],
						credentials: { kieApi: { apiKey: API_KEY, baseUrl: sim.url, uploadBaseUrl: sim.url, webhookHmacKey: '' } },
						nodes: [{ name: 'KIE', type: 'kieCreateTask', parameters: { model: { __rl: true, mode: 'list', value: 'gpt-image/1.5-text-to-image' }, prompt: '={{ $json.prompt }}', options: { pollInterval: 1 } }, continueOnFail: true }],
						input: list.map((prompt) => ({ json: { prompt } })),
					}),
			),
		);
		const seconds = (Date.now() - started) / 1000;
		const succeeded = results.flatMap((result) => result.output('KIE')).filter((item) => item.json.state === 'success').length;
		const creates = sim.requestsFor('createTask');
		return { label, succeeded, total: 60, seconds, floor: 22, calls: creates.length, create429: sim.stats.createRejected429, poll429: sim.stats.pollRejected429, ...accounting(creates, lists.flat()) };
	} finally {
		await sim.close();
	}
}

async function queueMode(tree, label) {
	const { startQueueEnv } = require(path.join(root, 'test/queue/env.js'));
	const env = await startQueueEnv({ packageRoot: tree, realKie: false });
	try {
		env.sim.setRateLimit(true);
		const lists = [0, 1, 2, 3].map((run) => Array.from({ length: 50 }, (_, index) => `queue ${label} run ${run} row ${index}`));
		const started = Date.now();
		const answers = await Promise.all(lists.map(async (list) => await env.post('kie-queue-poll', list)));
		const seconds = (Date.now() - started) / 1000;
		const succeeded = answers.flatMap((answer) => (Array.isArray(answer.body) ? answer.body : [])).filter((item) => item.state === 'success').length;
		const creates = env.sim.requestsFor('createTask');
		return { label, succeeded, total: 200, seconds, floor: 90.4, calls: creates.length, create429: env.sim.stats.createRejected429, poll429: env.sim.stats.pollRejected429, ...accounting(creates, lists.flat()) };
	} finally {
		await env.stop();
	}
}

function table(title, rows) {
	console.log('');
	console.log(title);
	console.log('');
	console.log('| Tree | Succeeded | Time | Time ÷ floor | Create calls | Creates answered 429 | Share of create calls | Status reads answered 429 | Duplicates | Lost |');
	console.log('|---|---|---|---|---|---|---|---|---|---|');
	for (const r of rows) {
		console.log(
			`| ${r.label} | ${r.succeeded} / ${r.total} | ${r.seconds.toFixed(1)} s | ${(r.seconds / r.floor).toFixed(2)} | ${r.calls} | ${r.create429} | ${((100 * r.create429) / r.calls).toFixed(1)} % | ${r.poll429} | ${r.duplicates} | ${r.lost} |`,
		);
	}
}

async function main() {
	console.log(`Building the baseline ${BASELINE} in a worktree…`);
	const baseline = baselineTree(BASELINE);
	const trees = [
		[baseline, `baseline ${BASELINE} (per execution)`],
		[root, 'this tree (per account and process)'],
	];
	const one = [];
	for (const [tree, label] of trees) {
		process.stdout.write(`(a) one process, 3 × 20 items: ${label}… `);
		one.push(await oneProcess(tree, label));
		process.stdout.write('done\n');
		await new Promise((resolve) => setTimeout(resolve, 10_500));
	}
	const queue = [];
	if (QUEUE) {
		for (const [tree, label] of trees) {
			process.stdout.write(`(b) queue mode, 4 × 50 items on two workers: ${label}… `);
			queue.push(await queueMode(tree, label));
			process.stdout.write('done\n');
		}
	}
	console.log('');
	console.log(`Node ${process.version}; KIE's limits enforced as they are (20 creates per 10 s, 10 status reads per second)`);
	table('(a) One n8n process, three executions of 20 items started together (floor 22 s)', one);
	if (QUEUE) table('(b) Queue mode, two workers, four executions of 50 items started together (floor 90.4 s)', queue);
	const mine = one[1];
	const goals = [
		`(a) all 60 succeed, 0 duplicates, at most 5 answers of 429: ${mine.succeeded === 60 && mine.duplicates === 0 && mine.create429 + mine.poll429 <= 5 ? 'met ✓' : 'NOT met ✗'}`,
	];
	if (QUEUE) {
		const q = queue[1];
		goals.push(`(b) 0 duplicates, 0 lost, 429s at most 10 % of create calls, time at most 1.25 × the floor: ${q.duplicates === 0 && q.lost === 0 && q.succeeded === 200 && q.create429 <= 0.1 * q.calls && q.seconds <= 1.25 * q.floor ? 'met ✓' : 'NOT met ✗'}`);
	}
	console.log('');
	for (const goal of goals) console.log(`Goal ${goal}`);
	if (goals.some((goal) => goal.includes('NOT'))) process.exitCode = 1;
}

main()
	.catch((error) => {
		console.error(error);
		process.exitCode = 1;
	})
	.finally(() => {
		try {
			execFileSync('git', ['worktree', 'remove', '--force', path.join(tmp, 'baseline')], { cwd: root, stdio: 'ignore' });
		} catch {
			// never made
		}
		fs.rmSync(tmp, { recursive: true, force: true });
		setTimeout(() => process.exit(process.exitCode ?? 0), 200).unref();
	});
