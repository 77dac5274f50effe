import { describeKieCode, KIE_CODE_MESSAGES } from '../../../nodes/shared/transport/errors';
import { parseEnvelope, redact, retryDelayMs, shouldRetry } from '../../../nodes/shared/transport';

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
