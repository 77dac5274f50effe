import type { INodeParameters } from 'n8n-workflow';

import { startSimulator, type LoggedRequest, type Simulator } from '../../../simulator';
import { SIM_ACCOUNT, model, runNode } from '../setup';

/**
 * Concurrent batches under the pacer, against a simulator that enforces KIE's limits with time scaled
 * down (e.g. 5 creates per 400 ms instead of 20 per 10 s).
 */
let sim: Simulator;
const genByPrompt = new Map<string, number>();
const failByPrompt = new Set<string>();
beforeAll(async () => {
	sim = await startSimulator({
		apiKey: SIM_ACCOUNT,
		genMs: 200,
		rateLimit: { createsPerWindow: 5, windowMs: 400, pollsPerSecond: 20 },
		taskFor: (_model, body) => {
			const prompt = String((body as { input?: { prompt?: string } }).input?.prompt ?? '');
			return {
				genMs: genByPrompt.get(prompt),
				...(failByPrompt.has(prompt) ? { fail: { failCode: '501', failMsg: `generation failed for ${prompt}` } } : {}),
			};
		},
	});
});
afterAll(async () => await sim.close());
beforeEach(() => {
	sim.reset();
	genByPrompt.clear();
	failByPrompt.clear();
});

const creates = () => sim.requestsFor('createTask');
const polls = () => sim.requestsFor('recordInfo');
const promptOf = (request: LoggedRequest) => (request.body as { input: { prompt: string } }).input.prompt;
const prompts = (count: number) => Array.from({ length: count }, (_, index) => `p${index}`);
const inputs = (list: string[]) => list.map((prompt) => ({ json: { prompt } }));
const LIMITS = { createsPerWindow: 5, windowSeconds: 0.4, pollsPerSecond: 20 };
const params = (options: INodeParameters = {}): INodeParameters => ({
	model: model('gpt-image/1.5-text-to-image'),
	prompt: '={{ $json.prompt }}',
	options: { pollInterval: 0.1, timeout: 20, batching: LIMITS, ...options },
});

/** The largest number of requests in any window of `windowMs` (by arrival time at the simulator). */
function peakInWindow(requests: LoggedRequest[], windowMs: number): number {
	const times = requests.map((request) => request.at).sort((a, b) => a - b);
	let peak = 0;
	for (let start = 0, end = 0; end < times.length; end++) {
		while (times[end] - times[start] >= windowMs) start++;
		peak = Math.max(peak, end - start + 1);
	}
	return peak;
}

/** Each prompt accepted exactly once: no duplicate creates, no lost items. */
function expectOneTaskPerPrompt(list: string[]) {
	const accepted = creates().filter((request) => request.answerCode === 200).map(promptOf).sort();
	expect(accepted).toEqual([...list].sort());
	expect(sim.tasks.size).toBe(list.length);
}

describe('KIE Create Task: pacing under KIE limits', () => {
	it('paces creates and polls under the limits: no 429, every item answered in input order', async () => {
		const list = prompts(17);
		list.forEach((prompt, index) => genByPrompt.set(prompt, 150 + ((index * 137) % 450)));
		const started = Date.now();
		const run = await runNode(sim, 'kieCreateTask', params(), { input: inputs(list) });
		const elapsed = Date.now() - started;
		expect(run.status).toBe('success');
		const items = run.output('KIE');
		expect(items.map((item) => item.pairedItem)).toEqual(list.map((_, item) => ({ item })));
		expect(items.map((item) => item.json.state)).toEqual(list.map(() => 'success'));
		for (const [index, item] of items.entries()) {
			expect(promptOf(creates().find((request) => request.taskId === item.json.taskId)!)).toBe(list[index]);
		}
		expect(sim.stats.rejected429).toBe(0);
		expect(peakInWindow(creates(), 400)).toBeLessThanOrEqual(5);
		expect(peakInWindow(polls(), 1000)).toBeLessThanOrEqual(20);
		expect(elapsed).toBeGreaterThanOrEqual(3 * 400); // 17 creates need 4 windows
		expectOneTaskPerPrompt(list);
	});

	it('three executions of 20 items started together share the account\'s limits: all 60 succeed, no duplicates, no 429', async () => {
		const lists = [0, 1, 2].map((run) => prompts(20).map((prompt) => `run${run}-${prompt}`));
		const runs = await Promise.all(lists.map(async (list) => await runNode(sim, 'kieCreateTask', params(), { input: inputs(list) })));
		for (const [index, run] of runs.entries()) {
			expect(run.status).toBe('success');
			expect(run.output('KIE').map((item) => item.json.state)).toEqual(lists[index].map(() => 'success'));
		}
		expectOneTaskPerPrompt(lists.flat());
		expect(sim.stats.rejected429).toBe(0);
		expect(peakInWindow(creates(), 400)).toBeLessThanOrEqual(5);
		expect(peakInWindow(polls(), 1000)).toBeLessThanOrEqual(20);
	});

	it('never waits on more than Concurrent Tasks tasks at once', async () => {
		const list = prompts(6);
		list.forEach((prompt) => genByPrompt.set(prompt, 250));
		const run = await runNode(sim, 'kieCreateTask', params({ batching: { ...LIMITS, concurrentTasks: 2 } }), { input: inputs(list) });
		expect(run.status).toBe('success');
		const tasks = [...sim.tasks.values()];
		for (const task of tasks) {
			const running = tasks.filter((other) => other.createdAt <= task.createdAt && other.createdAt + other.genMs > task.createdAt);
			expect(running.length).toBeLessThanOrEqual(2);
		}
	});

	it('paces Submit Only too, and never polls', async () => {
		const list = prompts(8);
		const run = await runNode(sim, 'kieCreateTask', { ...params(), completion: 'submit' }, { input: inputs(list) });
		expect(run.status).toBe('success');
		expect(run.output('KIE').map((item) => item.json.state)).toEqual(list.map(() => 'pending'));
		expect(sim.stats.rejected429).toBe(0);
		expect(polls()).toHaveLength(0);
		expectOneTaskPerPrompt(list);
	});
});

describe('KIE Create Task: 429s, maintenance and server errors', () => {
	it('backs off and resends after a burst of 429s (the account is shared): no duplicates, no lost items', async () => {
		// The node believes it may send 10 per window; the account only takes 5 (another execution uses
		// the rest): KIE answers the excess with 429.
		const list = prompts(15);
		const run = await runNode(sim, 'kieCreateTask', params({ batching: { ...LIMITS, createsPerWindow: 10 } }), { input: inputs(list) });
		expect(run.status).toBe('success');
		expect(run.output('KIE').map((item) => item.json.state)).toEqual(list.map(() => 'success'));
		expect(sim.stats.createRejected429).toBeGreaterThan(0);
		expectOneTaskPerPrompt(list);
	});

	it('resends creates answered 429 in the body and as HTTP 429, after a pause', async () => {
		sim.fault('createTask', 'code429', { count: 3 }).fault('createTask', 'http429', { count: 2 });
		const list = prompts(4);
		const run = await runNode(sim, 'kieCreateTask', params(), { input: inputs(list) });
		expect(run.status).toBe('success');
		const answers = creates().map((request) => request.answerCode);
		expect(answers.filter((code) => code === 429)).toHaveLength(5);
		// After the first 429 the create lane pauses (a quarter window at first, with jitter: ≥ 50 ms).
		const first429 = creates().find((request) => request.answerCode === 429)!;
		const nextAccepted = creates().find((request) => request.answerCode === 200 && request.at > first429.at)!;
		expect(nextAccepted.at - first429.at).toBeGreaterThanOrEqual(45);
		expectOneTaskPerPrompt(list);
	});

	it('retries polls answered 429, 455, code 500 and HTTP 5xx, with every item answered', async () => {
		sim
			.fault('recordInfo', 'code429', { count: 3 })
			.fault('recordInfo', 'code455')
			.fault('recordInfo', 'code500')
			.fault('recordInfo', 'http500')
			.fault('recordInfo', 'code', { code: 502, httpStatus: 502, msg: 'Bad Gateway' });
		const list = prompts(5);
		const run = await runNode(sim, 'kieCreateTask', params(), { input: inputs(list) });
		expect(run.status).toBe('success');
		expect(run.output('KIE').map((item) => item.json.state)).toEqual(list.map(() => 'success'));
		const codes = polls().map((request) => request.answerCode);
		for (const code of [429, 455, 500, 502]) expect(codes).toContain(code);
		expectOneTaskPerPrompt(list);
	});

	it('never resends a create whose connection dropped; the other items go on (Continue On Fail)', async () => {
		sim.fault('createTask', 'drop');
		const list = prompts(4);
		const run = await runNode(sim, 'kieCreateTask', params(), { input: inputs(list), continueOnFail: true });
		expect(run.status).toBe('success');
		const items = run.output('KIE');
		const dropped = creates().find((request) => request.answerCode === null)!;
		const droppedItem = list.indexOf(promptOf(dropped));
		expect(items[droppedItem].json.error).toContain('may have been accepted, check KIE logs');
		expect(items[droppedItem].pairedItem).toEqual({ item: droppedItem });
		for (const [index, item] of items.entries()) if (index !== droppedItem) expect(item.json.state).toBe('success');
		expect(creates()).toHaveLength(4); // sent once each, the dropped one included
		expect(sim.tasks.size).toBe(4); // KIE did accept the dropped one: never two tasks for one item
	});

	it('a create resent after a 429 is still never resent after a drop', async () => {
		sim.fault('createTask', 'code429').fault('createTask', 'drop');
		const run = await runNode(sim, 'kieCreateTask', params(), { input: inputs(['only']) });
		expect(run.status).toBe('error');
		expect(run.error?.message).toContain('may have been accepted, check KIE logs');
		expect(creates().map((request) => request.answerCode)).toEqual([429, null]);
		expect(sim.tasks.size).toBe(1);
	});
});

describe('KIE Create Task: input order with mixed success and failure', () => {
	it('pairs every output item with its input item across windows, whatever order tasks end in', async () => {
		const list = prompts(12);
		list[5] = ''; // invalid: fails validation, nothing sent
		// Later items finish first; two tasks fail at KIE.
		list.forEach((prompt, index) => genByPrompt.set(prompt, 700 - index * 50));
		failByPrompt.add('p3').add('p9');
		const run = await runNode(sim, 'kieCreateTask', params(), { input: inputs(list), continueOnFail: true });
		expect(run.status).toBe('success');
		const items = run.output('KIE');
		expect(items.map((item) => item.pairedItem)).toEqual(list.map((_, item) => ({ item })));
		for (const [index, item] of items.entries()) {
			if (index === 5) {
				expect(item.json.error).toMatch(/^Item 6: "Prompt"/);
				expect(item.json.taskId).toBeUndefined();
				continue;
			}
			const request = creates().find((entry) => entry.taskId === item.json.taskId)!;
			expect(promptOf(request)).toBe(list[index]);
			if (index === 3 || index === 9) {
				expect(item.json).toMatchObject({ state: 'failed', failCode: '501' });
				expect(item.json.error).toContain(item.json.taskId as string);
			} else {
				expect(item.json.state).toBe('success');
			}
		}
		expect(sim.stats.rejected429).toBe(0);
		expectOneTaskPerPrompt(list.filter((prompt) => prompt !== ''));
	});
});
