import { startSimulator, type Simulator } from '../../../simulator';
import { FAST, model, runNode, warningsOf } from '../setup';

/**
 * A value set in one completion mode stays in the workflow when the user switches mode (the editor hides
 * the option, n8n keeps its value): the run says it is not used, in an execution hint, and still runs.
 */
let sim: Simulator;
beforeAll(async () => {
	sim = await startSimulator({ apiKey: 'simulator account 01', genMs: 100 });
});
afterAll(async () => await sim.close());
beforeEach(() => sim.reset());

const hintsOf = (result: Awaited<ReturnType<typeof runNode>>) => warningsOf(result);

describe('KIE Create Task: options the mode does not use', () => {
	it('Limit Wait Time saved with Poll: n8n drops the hidden option\'s value before the node runs, and the tasks are polled', async () => {
		const result = await runNode(
			sim,
			'kieCreateTask',
			{ model: model('gpt-image/1.5-text-to-image'), prompt: '={{ $json.p }}', completion: 'poll', options: { ...FAST, limitWait: 30, downloadResults: false } },
			{ input: [{ json: { p: 'a' } }, { json: { p: 'b' } }] },
		);
		expect(result.status).toBe('success');
		expect(result.output('KIE').map((item) => item.json.state)).toEqual(['success', 'success']);
		expect(hintsOf(result)).toEqual([]);
	});

	it('Callback Context without a Callback URL: said once for the batch, the tasks still run', async () => {
		const result = await runNode(
			sim,
			'kieCreateTask',
			{
				model: model('gpt-image/1.5-text-to-image'),
				prompt: '={{ $json.p }}',
				completion: 'poll',
				options: { ...FAST, callbackContext: { values: [{ key: 'rowId', value: '={{ $json.p }}' }] } },
			},
			{ input: [{ json: { p: 'a' } }, { json: { p: 'b' } }] },
		);
		expect(result.status).toBe('success');
		expect(result.output('KIE').map((item) => item.json.state)).toEqual(['success', 'success']);
		expect(hintsOf(result)).toEqual([
			'Options → "Callback Context" is added to Options → "Callback URL" only, which is not set; set it or remove the context.',
		]);
	});

	it('Callback Context with a Callback URL: no hint, the pairs go with the URL', async () => {
		const result = await runNode(sim, 'kieCreateTask', {
			model: model('gpt-image/1.5-text-to-image'),
			prompt: 'a fox',
			completion: 'submit',
			options: { callBackUrl: 'https://n8n.example.com/webhook/abc/callback', callbackContext: { values: [{ key: 'rowId', value: '7' }] } },
		});
		expect(hintsOf(result)).toEqual([]);
		expect(sim.requestsFor('createTask')[0].body).toMatchObject({ callBackUrl: 'https://n8n.example.com/webhook/abc/callback?rowId=7' });
	});

	it('says nothing when every option applies', async () => {
		const result = await runNode(sim, 'kieCreateTask', { model: model('gpt-image/1.5-text-to-image'), prompt: 'a fox', completion: 'poll', options: FAST });
		expect(hintsOf(result)).toEqual([]);
	});
});
