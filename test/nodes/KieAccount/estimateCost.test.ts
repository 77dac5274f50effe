import type { INodeParameters } from 'n8n-workflow';

import { KieAccount } from '../../../nodes/KieAccount/KieAccount.node';
import { clearLiveModelCache } from '../../../nodes/shared/api/catalogue';
import { clearModelPriceCache } from '../../../nodes/shared/api/price';
import { startSimulator, type Simulator } from '../../../simulator';
import { PRICE_SHAPES, setModelPrice } from '../../../simulator/catalogue-api';
import { runWorkflow, type InputItem, type RunResult } from '../../support/harness';
import { credentialsFor, model, SIM_ACCOUNT } from '../setup';

let sim: Simulator;
beforeAll(async () => {
	sim = await startSimulator({ apiKey: SIM_ACCOUNT });
});
afterAll(async () => await sim.close());
beforeEach(() => {
	sim.reset();
	clearLiveModelCache();
	clearModelPriceCache();
});

async function estimate(
	parameters: INodeParameters,
	options: { input?: InputItem[]; continueOnFail?: boolean; apiKey?: string } = {},
): Promise<RunResult> {
	return await runWorkflow({
		nodeTypes: [KieAccount],
		credentials: credentialsFor(sim, options.apiKey),
		nodes: [{ name: 'Account', type: 'kieAccount', parameters: { operation: 'estimateCost', ...parameters }, continueOnFail: options.continueOnFail }],
		input: options.input ?? [{ json: {} }],
	});
}

describe('KIE Account: Estimate Cost', () => {
	it('reads the model\'s price once and outputs the credits of Count tasks, and how sure that is', async () => {
		const run = await estimate({ model: model('acme/pixel-forge-3', 'id'), count: 3, input: '{"prompt": "a cat", "num_images": 2}' });
		expect(run.status).toBe('success');
		expect(run.output('Account')).toEqual([
			{
				json: {
					model: 'acme/pixel-forge-3',
					count: 3,
					creditsPerTask: 10,
					credits: 30,
					sure: true,
					basis: 'KIE\'s price: "5 credits per image" × 2 images (the input\'s "num_images") = 10 credits; × 3 tasks = 30 credits',
					pricingDesc: '5 credits per image',
				},
				pairedItem: { item: 0 },
			},
		]);
		const prices = sim.requestsFor('modelPrice');
		expect(prices).toHaveLength(1);
		expect(prices[0].path).toBe('/api/v1/models/acme/pixel-forge-3/price');
		expect(prices[0].method).toBe('GET');
		expect(prices[0].headers.authorization).toBe('Bearer ***');
		// Free: nothing else was asked, nothing created.
		expect(sim.requests.filter((request) => request.route !== 'modelPrice')).toEqual([]);
	});

	it('reads a model\'s price once for every item of a batch, and once an hour per process', async () => {
		const items = [{ json: { n: 1 } }, { json: { n: 2 } }, { json: { n: 3 } }];
		const run = await estimate({ model: model('acme/pixel-forge-3', 'id'), input: '={{ JSON.stringify({ n: $json.n }) }}' }, { input: items });
		expect(run.status).toBe('success');
		expect(run.output('Account').map((item) => [item.json.creditsPerTask, item.json.sure, item.pairedItem])).toEqual([
			[5, true, { item: 0 }],
			[10, true, { item: 1 }],
			[15, true, { item: 2 }],
		]);
		const again = await estimate({ model: model('acme/pixel-forge-3', 'id') });
		expect(again.output('Account')[0].json).toMatchObject({ creditsPerTask: 5, credits: 5, count: 1 });
		expect(sim.requestsFor('modelPrice')).toHaveLength(1);
	});

	it('says an estimate for another video length is not sure', async () => {
		const exact = await estimate({ model: model('acme/hyper-video-9', 'id'), input: '{"duration": "5"}' });
		expect(exact.output('Account')[0].json).toMatchObject({ creditsPerTask: 30, credits: 30, sure: true, pricingDesc: '30 credits per 5 s video' });
		const longer = await estimate({ model: model('acme/hyper-video-9', 'id'), count: 2, input: '{"duration": "10"}' });
		const json = longer.output('Account')[0].json;
		expect(json).toMatchObject({ creditsPerTask: 60, credits: 120, sure: false });
		expect(json.basis).toMatch(/so this is an assumption; × 2 tasks = 120 credits$/);
		expect(sim.requestsFor('modelPrice')).toHaveLength(1);
	});

	it('counts the characters of a text-to-speech input, with a price in KIE\'s real shape', async () => {
		setModelPrice(sim, 'acme/voice-clone-2', PRICE_SHAPES.perCharacters);
		const run = await estimate({ model: model('acme/voice-clone-2', 'id'), input: JSON.stringify({ text: 'a'.repeat(3000) }) });
		expect(run.output('Account')[0].json).toMatchObject({ creditsPerTask: 18, credits: 18, sure: true, pricingDesc: PRICE_SHAPES.perCharacters });
	});

	it('outputs null credits, never a guess, when KIE\'s price has tiers', async () => {
		setModelPrice(sim, 'acme/hyper-video-9', PRICE_SHAPES.tiersByModeAndResolution);
		const run = await estimate({ model: model('acme/hyper-video-9', 'id'), count: 4, input: '{"duration": 8}' });
		expect(run.status).toBe('success');
		const json = run.output('Account')[0].json;
		expect(json).toMatchObject({ model: 'acme/hyper-video-9', count: 4, creditsPerTask: null, credits: null, sure: false, pricingDesc: PRICE_SHAPES.tiersByModeAndResolution });
		expect(json.basis).toMatch(/^KIE's price for acme\/hyper-video-9 is not one unconditional figure/);
		expect(json.basis).toMatch(/so the cost of 4 tasks is unknown too$/);
	});

	it('accepts the input as an object from an expression, and an empty input', async () => {
		const run = await estimate(
			{ model: model('acme/pixel-forge-3', 'id'), input: '={{ $json.settings }}' },
			{ input: [{ json: { settings: { num_images: 4 } } }, { json: {} }] },
		);
		expect(run.status).toBe('success');
		expect(run.output('Account').map((item) => item.json.creditsPerTask)).toEqual([20, 5]);
	});

	it('refuses an input that is not a JSON object, and a Count that is not a whole number, before any request', async () => {
		const notJson = await estimate({ model: model('acme/pixel-forge-3', 'id'), input: '{num_images: 2' });
		expect(notJson.status).toBe('error');
		expect(notJson.error?.message).toMatch(/"Input \(JSON\)" is not valid JSON/);
		const array = await estimate({ model: model('acme/pixel-forge-3', 'id'), input: '[1, 2]' });
		expect(array.error?.message).toMatch(/"Input \(JSON\)" must be a JSON object/);
		const count = await estimate({ model: model('acme/pixel-forge-3', 'id'), count: 0 });
		expect(count.error?.message).toMatch(/"Count" must be a whole number/);
		expect(sim.requests).toHaveLength(0);
	});

	it('fails with KIE\'s code when the price cannot be read, or outputs the error with Continue On Fail', async () => {
		const failed = await estimate({ model: model('no/such-model', 'id') });
		expect(failed.status).toBe('error');
		expect(failed.error?.message).toMatch(/Could not read KIE's price of model no\/such-model: .*\(code 404\)/);
		clearModelPriceCache();
		sim.reset();
		const kept = await estimate({ model: model('no/such-model', 'id') }, { continueOnFail: true });
		expect(kept.status).toBe('success');
		expect(kept.output('Account')[0].json.error).toMatch(/\(code 404\)/);
	});

	it('lists Estimate Cost among the operations, with Count and Input (JSON) shown only for it', () => {
		const properties = new KieAccount().description.properties;
		const operation = properties.find((property) => property.name === 'operation');
		expect(operation?.options).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'Estimate Cost', value: 'estimateCost' })]));
		for (const name of ['count', 'input']) {
			expect(properties.find((property) => property.name === name)?.displayOptions).toEqual({ show: { operation: ['estimateCost'] } });
		}
		expect(properties.find((property) => property.name === 'model')?.displayOptions?.show?.operation).toContain('estimateCost');
	});
});
