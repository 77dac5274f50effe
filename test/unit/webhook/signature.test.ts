import { DEFAULT_SIGNATURE_WINDOW_S, kieSignature, signatureWindowS, verifyKieSignature } from '../../../nodes/shared/webhook/signature';
import { signCallback } from '../../../simulator';

describe('callback signatures', () => {
	const key = 'whk_test_hmac_key';
	const now = 1769670760 * 1000;
	const check = (overrides: Partial<Parameters<typeof verifyKieSignature>[0]>) =>
		verifyKieSignature({ key, taskId: 'ee9c2715375b7837f8bb51d641ff5863', timestamp: '1769670760', signature: kieSignature(key, 'ee9c2715375b7837f8bb51d641ff5863', '1769670760'), windowS: 300, nowMs: now, ...overrides });

	it('matches the simulator, an independent implementation of the documented scheme', () => {
		expect(kieSignature(key, 'task_1', '1769670760')).toBe(signCallback(key, 'task_1', '1769670760'));
		expect(kieSignature(key, 'task_1', '1769670760')).toMatch(/^[A-Za-z0-9+/]{43}=$/);
	});

	it('accepts a valid signature, and the hex form', () => {
		expect(check({})).toEqual({ ok: true });
		expect(check({ signature: kieSignature(key, 'ee9c2715375b7837f8bb51d641ff5863', '1769670760', 'hex') })).toEqual({ ok: true });
	});

	it('rejects forged, stale, future and incomplete callbacks', () => {
		expect(check({ signature: kieSignature('other key', 'ee9c2715375b7837f8bb51d641ff5863', '1769670760') })).toEqual({ ok: false, reason: 'bad-signature' });
		expect(check({ taskId: 'another_task' })).toEqual({ ok: false, reason: 'bad-signature' });
		expect(check({ nowMs: now + 301_000 })).toEqual({ ok: false, reason: 'stale-timestamp' });
		expect(check({ nowMs: now - 301_000 })).toEqual({ ok: false, reason: 'stale-timestamp' });
		expect(check({ nowMs: now + 299_000 })).toEqual({ ok: true });
		expect(check({ signature: undefined })).toEqual({ ok: false, reason: 'missing-headers' });
		expect(check({ timestamp: undefined })).toEqual({ ok: false, reason: 'missing-headers' });
		expect(check({ taskId: undefined })).toEqual({ ok: false, reason: 'missing-task-id' });
		expect(check({ timestamp: 'yesterday' })).toEqual({ ok: false, reason: 'bad-timestamp' });
		expect(check({ signature: 'short' })).toEqual({ ok: false, reason: 'bad-signature' });
	});
});

describe('signatureWindowS', () => {
	it('clamps the window to 1–3,600 s, and a value that is not a number is the default', () => {
		expect(DEFAULT_SIGNATURE_WINDOW_S).toBe(300);
		expect([undefined, null, '', 'abc', NaN, Infinity, {}, true].map(signatureWindowS)).toEqual(Array(8).fill(300));
		expect([0, -5, 0.2, 1, 900, '900', 3600, 3601, 1e9].map(signatureWindowS)).toEqual([1, 1, 1, 1, 900, 900, 3600, 3600, 3600]);
	});
});
