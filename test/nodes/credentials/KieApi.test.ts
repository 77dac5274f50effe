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

	it('follows no redirect: a 307 to another origin fails the test with its own message, and the key never reaches that origin', async () => {
		sim.reset();
		sim.otherOrigin.requests.length = 0;
		sim.fault('credit', 'redirect');
		const result = await testCredential(KieApi, { apiKey: SIM_ACCOUNT, baseUrl: sim.url });
		expect(result).toEqual({
			status: 'Error',
			message: expect.stringContaining('KIE answered with a redirect, which the test did not follow: the API key was not sent there. Check the Base URL'),
		});
		expect(sim.requestsFor('credit')).toHaveLength(1);
		expect(sim.requestsFor('credit')[0].httpStatus).toBe(307);
		// Nothing reached the other origin, so no request there carried the key.
		expect(sim.otherOrigin.requests).toEqual([]);
		expect(JSON.stringify(sim.otherOrigin.requests)).not.toContain(SIM_ACCOUNT);
	});

	it('fails on a redirect to the same origin too (it is not followed either)', async () => {
		sim.reset();
		sim.otherOrigin.requests.length = 0;
		sim.fault('credit', 'redirectSame');
		const result = await testCredential(KieApi, { apiKey: SIM_ACCOUNT, baseUrl: sim.url });
		expect(result.status).toBe('Error');
		expect(result.message).toContain('KIE answered with a redirect');
		expect(sim.requestsFor('credit')).toHaveLength(1);
		expect(sim.otherOrigin.requests).toEqual([]);
	});

	it('on an n8n that reads ignoreHttpStatusErrors as a plain flag (1.123), a redirect still fails the test and the key stays', async () => {
		// n8n 1.123's client ignores `except`: the 307 comes back as an answer, with no KIE envelope.
		sim.reset();
		sim.otherOrigin.requests.length = 0;
		sim.fault('credit', 'redirect');
		const type = new KieApi();
		const asOn1123 = { ...type, test: { ...type.test, request: { ...type.test.request, ignoreHttpStatusErrors: true } } };
		const result = await testCredential(asOn1123, { apiKey: SIM_ACCOUNT, baseUrl: sim.url });
		expect(result).toEqual({ status: 'Error', message: expect.stringContaining('or it answered with a redirect (not followed). Check the Base URL.') });
		expect(sim.otherOrigin.requests).toEqual([]);
	});

	it('still reads an HTTP error status as an answer: its body code decides', async () => {
		sim.reset();
		sim.fault('credit', 'http500');
		const result = await testCredential(KieApi, { apiKey: SIM_ACCOUNT, baseUrl: sim.url });
		expect(result).toEqual({ status: 'Error', message: expect.stringContaining('KIE had a server error (code 500)') });
	});

	it('asks n8n not to follow redirects, and fails on every redirect status', () => {
		const { request, rules } = new KieApi().test;
		expect(request.disableFollowRedirect).toBe(true);
		expect(request.ignoreHttpStatusErrors).toEqual({ ignore: true, except: [301, 302, 303, 307, 308] });
		const redirectRules = (rules ?? []).filter((rule) => rule.type === 'responseCode');
		expect(redirectRules.map((rule) => rule.properties.value)).toEqual([301, 302, 303, 307, 308]);
		for (const rule of redirectRules) expect(rule.properties.message).toMatch(/redirect.*the API key was not sent there.*Check the Base URL/);
	});

	it('has every rule needed to fail on any documented non-200 code', () => {
		const rules = new KieApi().test.rules ?? [];
		const codes = rules.map((rule) => (rule.properties as { value: unknown }).value);
		expect(codes).toEqual(expect.arrayContaining([400, 401, 402, 404, 422, 429, 433, 451, 455, 500, 501, 505, 550, undefined]));
	});
});
