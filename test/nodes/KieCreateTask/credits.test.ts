import { startSimulator, type Simulator } from '../../../simulator';
import { FAST, infoHintsOf, model, runNode } from '../setup';

/** The run's credits in the node's execution hint: what KIE reported, never an estimate. */
let sim: Simulator;
beforeAll(async () => {
	sim = await startSimulator({ apiKey: 'simulator account 01', genMs: 100 });
});
afterAll(async () => await sim.close());
beforeEach(() => sim.reset());

describe('KIE Create Task: the run\'s credits', () => {
	it('Market (GPT Image 1.5): the sum of creditsConsumed over the items, in an info hint; each item keeps its own', async () => {
		const result = await runNode(
			sim,
			'kieCreateTask',
			{ model: model('gpt-image/1.5-text-to-image'), prompt: '={{ $json.p }}', options: FAST },
			{ input: [{ json: { p: 'a' } }, { json: { p: 'b' } }, { json: { p: 'c' } }] },
		);
		const items = result.output('KIE').map((item) => item.json);
		expect(items.map((json) => json.creditsConsumed)).toEqual([4, 4, 4]);
		expect(infoHintsOf(result)).toEqual(['This run: 12 credits for 3 tasks, as KIE reported them (creditsConsumed).']);
	});

	it('own API (Veo 3.1): the hint says what its records report, and never fills in a guess', async () => {
		const result = await runNode(sim, 'kieCreateTask', { model: model('veo3.1'), prompt: 'A dog runs on the beach', options: FAST });
		const [item] = result.output('KIE');
		expect(item.json.state).toBe('success');
		// The simulator's Veo record, like the record KIE documents, has no credits field.
		expect(item.json.creditsConsumed).toBeUndefined();
		expect(infoHintsOf(result)).toEqual(['This run: KIE reported no credits for its tasks.']);
	});

	it('Submit Only: no task has ended, nothing is said', async () => {
		const result = await runNode(sim, 'kieCreateTask', { model: model('gpt-image/1.5-text-to-image'), prompt: 'a fox', completion: 'submit' });
		expect(infoHintsOf(result)).toEqual([]);
	});
});
