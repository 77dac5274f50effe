import { KieApi } from '../../../credentials/KieApi.credentials';
import { startSimulator, type Simulator } from '../../../simulator';
import { testCredential } from '../../support/credentialTest';
import { SIM_ACCOUNT } from '../setup';

let sim: Simulator;
beforeAll(async () => {
	sim = await startSimulator({ apiKey: SIM_ACCOUNT });
});
afterAll(async () => await sim.close());

describe('KIE API credential test', () => {
	it('passes with a valid key, calling GET /api/v1/chat/credit with the Bearer key', async () => {
		sim.reset();
		const result = await testCredential(KieApi, { apiKey: SIM_ACCOUNT, baseUrl: `${sim.url}/` });
		expect(result.status).toBe('OK');
		expect(sim.requestsFor('credit')).toHaveLength(1);
		expect(sim.requestsFor('credit')[0].answerCode).toBe(200);
	});

	it('fails on body code 401 inside HTTP 200', async () => {
		const result = await testCredential(KieApi, { apiKey: 'wrong', baseUrl: sim.url });
		expect(result).toEqual({ status: 'Error', message: expect.stringContaining('KIE rejected the API key (code 401)') });
	});

	it.each([
		['code455', 455, 'maintenance'],
		['code500', 500, 'server error'],
	] as const)('fails on body %s', async (kind, _code, words) => {
		sim.fault('credit', kind);
		const result = await testCredential(KieApi, { apiKey: SIM_ACCOUNT, baseUrl: sim.url });
		expect(result.status).toBe('Error');
		expect(result.message).toContain(words);
	});

	it('fails when the Base URL does not answer with a KIE envelope', async () => {
		const result = await testCredential(KieApi, { apiKey: SIM_ACCOUNT, baseUrl: `${sim.url}/__sim/stats` });
		expect(result.status).toBe('Error');
	});

	it('has every rule needed to fail on any documented non-200 code', () => {
		const rules = new KieApi().test.rules ?? [];
		const codes = rules.map((rule) => (rule.properties as { value: unknown }).value);
		expect(codes).toEqual(expect.arrayContaining([400, 401, 402, 404, 422, 429, 433, 451, 455, 500, 501, 505, 550, undefined]));
	});
});
