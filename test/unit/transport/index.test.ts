import type { IExecuteFunctions } from 'n8n-workflow';

import { describeKieAnswer, describeKieCode, isMaintenanceMessage, KIE_CODE_MESSAGES } from '../../../nodes/shared/transport/errors';
import { kieApiRequest, parseEnvelope, redact, retryDelayMs, shouldRetry } from '../../../nodes/shared/transport';
import type { RequestPacer } from '../../../nodes/shared/transport/pacer';

describe('transport: envelope', () => {
	it('reads code, msg and data', () => {
		expect(parseEnvelope({ code: 200, msg: 'success', data: { taskId: 't1' } })).toEqual({
			code: 200,
			msg: 'success',
			data: { taskId: 't1' },
		});
	});

	it('accepts `message` as a synonym of `msg`', () => {
		expect(parseEnvelope({ code: 422, message: 'bad aspect_ratio' })?.msg).toBe('bad aspect_ratio');
	});

	it('parses a JSON string body and a string code', () => {
		expect(parseEnvelope('{"code":"429","msg":"Rate limit exceeded"}')).toMatchObject({ code: 429 });
	});

	it('reads error bodies without `data` (live KIE: error-envelope-1..4)', () => {
		expect(parseEnvelope({ code: 500, msg: 'The server is currently being maintained, please try again later~' })).toEqual({
			code: 500,
			msg: 'The server is currently being maintained, please try again later~',
			data: undefined,
		});
		expect(parseEnvelope({ code: 433, msg: 'The current number of points used by apiKey has exceeded the daily limit', data: null })).toMatchObject({ code: 433, data: null });
	});

	it('returns undefined for bodies that are not envelopes', () => {
		expect(parseEnvelope('<html>Bad gateway</html>')).toBeUndefined();
		expect(parseEnvelope({ error: 'x' })).toBeUndefined();
		expect(parseEnvelope(null)).toBeUndefined();
		expect(parseEnvelope([1, 2])).toBeUndefined();
	});
});

describe('transport: code messages', () => {
	it.each([401, 402, 404, 422, 429, 433, 451, 455, 500, 501, 505, 550])(
		'code %i has a human message and a next step',
		(code) => {
			const info = KIE_CODE_MESSAGES[code];
			expect(info.title.length).toBeGreaterThan(10);
			expect(info.nextStep.length).toBeGreaterThan(10);
		},
	);

	it('describes an undocumented code without failing', () => {
		expect(describeKieCode(599).title).toContain('599');
	});
});

describe('transport: retry rules', () => {
	it('retries reads on rate limits, maintenance, server errors and dropped connections', () => {
		expect(shouldRetry('read', { bodyCode: 429 })).toBe(true);
		expect(shouldRetry('read', { bodyCode: 455 })).toBe(true);
		expect(shouldRetry('read', { bodyCode: 500 })).toBe(true);
		expect(shouldRetry('read', { httpStatus: 502 })).toBe(true);
		expect(shouldRetry('read', { networkCode: 'ECONNRESET' })).toBe(true);
		expect(shouldRetry('read', { networkCode: 'ETIMEDOUT' })).toBe(true);
	});

	it('does not retry reads on client errors', () => {
		expect(shouldRetry('read', { bodyCode: 401 })).toBe(false);
		expect(shouldRetry('read', { bodyCode: 404 })).toBe(false);
		expect(shouldRetry('read', { bodyCode: 422 })).toBe(false);
	});

	it('resends a create only when KIE said it did not accept it (429, 455) or nothing was sent', () => {
		expect(shouldRetry('create', { bodyCode: 429 })).toBe(true);
		expect(shouldRetry('create', { httpStatus: 429 })).toBe(true);
		expect(shouldRetry('create', { bodyCode: 455 })).toBe(true);
		expect(shouldRetry('create', { networkCode: 'ECONNREFUSED' })).toBe(true);
	});

	it('never resends a create that may have been accepted', () => {
		expect(shouldRetry('create', { networkCode: 'ECONNRESET' })).toBe(false);
		expect(shouldRetry('create', { networkCode: 'ETIMEDOUT' })).toBe(false);
		expect(shouldRetry('create', { networkCode: 'UNKNOWN' })).toBe(false);
		expect(shouldRetry('create', { bodyCode: 500 })).toBe(false);
		expect(shouldRetry('create', { httpStatus: 502 })).toBe(false);
		expect(shouldRetry('create', { bodyCode: 422 })).toBe(false);
	});

	it('backs off exponentially with jitter, capped at 10 s', () => {
		expect(retryDelayMs(1, () => 0)).toBe(500);
		expect(retryDelayMs(1, () => 1)).toBe(1000);
		expect(retryDelayMs(3, () => 1)).toBe(4000);
		expect(retryDelayMs(10, () => 1)).toBe(10000);
	});
});

describe('transport: secrets', () => {
	it('redacts secrets from text', () => {
		expect(redact('bad key sk-12345678 given', ['sk-12345678', undefined])).toBe('bad key *** given');
	});
});

// -------------------------------------------------------------------------------------------------
// Real KIE answers (issue 21): maintenance whatever its code, the 433 daily limit
// -------------------------------------------------------------------------------------------------

const MAINTENANCE_500 = { code: 500, msg: 'The server is currently being maintained, please try again later~' };
const DAILY_LIMIT_433 = { code: 433, msg: 'The current number of points used by apiKey has exceeded the daily limit', data: null };

describe('transport: real KIE error answers', () => {
	it('recognises maintenance by its message, whatever the code', () => {
		expect(isMaintenanceMessage(MAINTENANCE_500.msg)).toBe(true);
		expect(isMaintenanceMessage('Server under MAINTENANCE')).toBe(true);
		expect(isMaintenanceMessage('Internal server error')).toBe(false);
		expect(isMaintenanceMessage('keep the aspect ratio maintainable')).toBe(false);
		expect(isMaintenanceMessage(undefined)).toBe(false);
	});

	it('describes a maintenance 500 as maintenance; any other 500 as a server error', () => {
		expect(describeKieAnswer(500, MAINTENANCE_500.msg).title).toBe(KIE_CODE_MESSAGES[455].title);
		expect(describeKieAnswer(500, 'Internal server error')).toEqual(KIE_CODE_MESSAGES[500]);
		expect(describeKieAnswer(500)).toEqual(KIE_CODE_MESSAGES[500]);
		expect(describeKieAnswer(455, 'whatever')).toEqual(KIE_CODE_MESSAGES[455]);
		// A create answered so may have been accepted: it is not sent again, and the next step says so.
		expect(describeKieAnswer(500, MAINTENANCE_500.msg, 'create').nextStep).toContain('not sent again automatically');
	});

	it('never resends a create answered with a maintenance 500 (corpus error-envelope-2: retryCreate false)', () => {
		expect(shouldRetry('create', { bodyCode: 500 })).toBe(false);
		expect(shouldRetry('read', { bodyCode: 500 })).toBe(true);
	});

	it('says a 433 "daily limit" is the key\'s daily cap', () => {
		const info = describeKieAnswer(433, DAILY_LIMIT_433.msg);
		expect(info.title).toBe('This API key reached its daily usage limit');
		expect(info.nextStep).toContain('https://kie.ai/api-key');
		expect(describeKieAnswer(433, 'limit reached')).toEqual(KIE_CODE_MESSAGES[433]);
		expect(shouldRetry('create', { bodyCode: 433 })).toBe(false);
	});
});

describe('transport: the error of a request KIE answered with a real error envelope', () => {
	/** A pacer that never waits. */
	const NO_WAIT: RequestPacer = { acquire: async () => ({ release: () => undefined }) };

	function answering(body: unknown) {
		const sent: string[] = [];
		const ctx = {
			getCredentials: async () => ({ apiKey: 'key of the envelope tests', baseUrl: 'https://kie.test' }),
			getNode: () => ({ id: 'n', name: 'KIE', type: 'kieCreateTask', typeVersion: 1, position: [0, 0], parameters: {} }),
			getExecutionCancelSignal: () => undefined,
			helpers: {
				httpRequestWithAuthentication: async (_credential: string, options: { url: string; method: string }) => {
					sent.push(`${options.method} ${new URL(options.url).pathname}`);
					return { statusCode: 200, headers: {}, body };
				},
			},
		} as unknown as IExecuteFunctions;
		return { ctx, sent };
	}

	const create = { method: 'POST' as const, path: '/api/v1/jobs/createTask', body: { model: 'm' }, kind: 'create' as const, itemIndex: 0, label: 'Create task', pacer: NO_WAIT };

	it('a create answered "being maintained" (code 500) fails once, described as maintenance', async () => {
		const { ctx, sent } = answering(MAINTENANCE_500);
		const error = await kieApiRequest.call(ctx, create).then(() => undefined, (caught: unknown) => caught as Error & { description?: string; httpCode?: string });
		expect(error?.message).toBe('Item 1: KIE is under maintenance (code 500): The server is currently being maintained, please try again later~');
		expect(error?.description).toContain('Wait a few minutes');
		expect(error?.httpCode).toBe('500');
		expect(sent).toEqual(['POST /api/v1/jobs/createTask']);
	});

	it('a create answered with another 500 is a server error, not maintenance', async () => {
		const { ctx, sent } = answering({ code: 500, msg: 'Internal Error' });
		await expect(kieApiRequest.call(ctx, create)).rejects.toThrow('Item 1: KIE had a server error (code 500): Internal Error');
		expect(sent).toHaveLength(1);
	});

	it('a create answered 433 "exceeded the daily limit" names the daily limit', async () => {
		const { ctx } = answering(DAILY_LIMIT_433);
		await expect(kieApiRequest.call(ctx, create)).rejects.toThrow(
			'Item 1: This API key reached its daily usage limit (code 433): The current number of points used by apiKey has exceeded the daily limit',
		);
	});
});
