import { clearModelPriceCache } from '../../../nodes/shared/api/price';
import { startSimulator, type Simulator } from '../../../simulator';
import { FAST, model, runNode } from '../setup';

/**
 * Options → Max Credits per Run against the simulator (GPT Image 1.5 costs 4 credits a task there, and its
 * price data says "4 credits per image"): the items the budget covers are created, in order; the others come
 * out as "notSubmitted" in their place, and are never created.
 */
let sim: Simulator;
beforeAll(async () => {
	sim = await startSimulator({ apiKey: 'simulator account 01', genMs: 100 });
});
afterAll(async () => await sim.close());
beforeEach(() => {
	sim.reset();
	clearModelPriceCache();
});

const rows = (count: number) => Array.from({ length: count }, (_, i) => ({ json: { p: `prompt ${i + 1}` } }));

describe('KIE Create Task: Max Credits per Run', () => {
	it('stops a 20-item batch after the items it can pay for (Poll): 7 × 4 credits within 30, 13 not submitted, none created beyond', async () => {
		const result = await runNode(
			sim,
			'kieCreateTask',
			{ model: model('gpt-image/1.5-text-to-image'), prompt: '={{ $json.p }}', options: { ...FAST, maxCreditsPerRun: 30 } },
			{ input: rows(20) },
		);
		expect(result.status).toBe('success');
		const items = result.output('KIE');
		expect(items).toHaveLength(20);
		expect(items.map((item) => item.json.state)).toEqual([...Array(7).fill('success'), ...Array(13).fill('notSubmitted')]);
		expect(items.map((item) => item.pairedItem)).toEqual(Array.from({ length: 20 }, (_, item) => ({ item })));
		expect(items[7].json).toEqual({
			model: 'gpt-image/1.5-text-to-image',
			state: 'notSubmitted',
			reason: expect.stringMatching(/^Max Credits per Run \(30\) reached: 28 credits spent or committed in this run, and this task would cost about 4/),
		});
		expect(sim.requestsFor('createTask')).toHaveLength(7);
		// The prompts of the created tasks are the first seven rows, in order.
		expect(sim.requestsFor('createTask').map((request) => (request.body as { input: { prompt: string } }).input.prompt)).toEqual(
			rows(7).map((row) => row.json.p),
		);
		// The price was read once, for the model.
		expect(sim.requests.filter((request) => request.path.endsWith('/price'))).toHaveLength(1);
	});

	it('Submit Only: from price data alone, 7 submitted and 13 not', async () => {
		const result = await runNode(
			sim,
			'kieCreateTask',
			{ model: model('gpt-image/1.5-text-to-image'), prompt: '={{ $json.p }}', completion: 'submit', options: { maxCreditsPerRun: 30 } },
			{ input: rows(20) },
		);
		const states = result.output('KIE').map((item) => item.json.state);
		expect(states.filter((state) => state === 'pending')).toHaveLength(7);
		expect(states.slice(7)).toEqual(Array(13).fill('notSubmitted'));
		expect(sim.requestsFor('createTask')).toHaveLength(7);
	});

	it('no budget (0): every item is created and no price is read', async () => {
		const result = await runNode(
			sim,
			'kieCreateTask',
			{ model: model('gpt-image/1.5-text-to-image'), prompt: '={{ $json.p }}', completion: 'submit', options: { maxCreditsPerRun: 0 } },
			{ input: rows(5) },
		);
		expect(result.output('KIE')).toHaveLength(5);
		expect(sim.requestsFor('createTask')).toHaveLength(5);
		expect(sim.requests.filter((request) => request.path.endsWith('/price'))).toHaveLength(0);
	});

	it('Check Credits First refuses a run the account cannot pay one task of, before any create', async () => {
		sim.setCredits(3);
		const result = await runNode(sim, 'kieCreateTask', {
			model: model('gpt-image/1.5-text-to-image'),
			prompt: 'a fox',
			options: { ...FAST, maxCreditsPerRun: 30, checkCreditsFirst: true, minimumCredits: 0 },
		});
		expect(result.status).toBe('error');
		expect(result.error?.message).toBe('Not enough KIE credits: the balance is 3, below the price of one task (4 credits)');
		expect(sim.requestsFor('createTask')).toHaveLength(0);
	});
});
