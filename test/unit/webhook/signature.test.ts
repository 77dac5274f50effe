import { createHmac, randomBytes } from 'crypto';
import fc from 'fast-check';

import {
	decodeMac,
	DEFAULT_SIGNATURE_WINDOW_S,
	kieNudgeToken,
	kieSignature,
	replayKey,
	sameSecret,
	signatureWindowS,
	verifyKieSignature,
} from '../../../nodes/shared/webhook/signature';
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

	it('accepts a valid signature, and the hex form; gives the MAC bytes and the replay key', () => {
		const mac = createHmac('sha256', key).update('ee9c2715375b7837f8bb51d641ff5863.1769670760').digest();
		const replay = `${mac.toString('base64url')}.1769670760.ee9c2715375b7837f8bb51d641ff5863`;
		expect(check({})).toEqual({ ok: true, mac, replayKey: replay });
		expect(check({ signature: kieSignature(key, 'ee9c2715375b7837f8bb51d641ff5863', '1769670760', 'hex') })).toEqual({ ok: true, mac, replayKey: replay });
	});

	it('rejects forged, stale, future and incomplete callbacks', () => {
		expect(check({ signature: kieSignature('other key', 'ee9c2715375b7837f8bb51d641ff5863', '1769670760') })).toEqual({ ok: false, reason: 'bad-signature' });
		expect(check({ taskId: 'another_task' })).toEqual({ ok: false, reason: 'bad-signature' });
		expect(check({ nowMs: now + 301_000 })).toEqual({ ok: false, reason: 'stale-timestamp' });
		expect(check({ nowMs: now - 301_000 })).toEqual({ ok: false, reason: 'stale-timestamp' });
		expect(check({ nowMs: now + 299_000 })).toMatchObject({ ok: true });
		expect(check({ signature: undefined })).toEqual({ ok: false, reason: 'missing-headers' });
		expect(check({ timestamp: undefined })).toEqual({ ok: false, reason: 'missing-headers' });
		expect(check({ taskId: undefined })).toEqual({ ok: false, reason: 'missing-task-id' });
		expect(check({ timestamp: 'yesterday' })).toEqual({ ok: false, reason: 'bad-timestamp' });
		expect(check({ signature: 'short' })).toEqual({ ok: false, reason: 'bad-signature' });
	});
});

/** Every spelling of one MAC that the verifier accepts. */
function spellings(mac: Buffer): Record<string, string> {
	const base64 = mac.toString('base64');
	return {
		base64,
		'base64 without padding': base64.replace(/=+$/, ''),
		base64url: mac.toString('base64url'),
		'base64url with padding': `${mac.toString('base64url')}=`,
		'hex lower': mac.toString('hex'),
		'hex UPPER': mac.toString('hex').toUpperCase(),
		'hex mixed case': mac
			.toString('hex')
			.split('')
			.map((char, index) => (index % 2 ? char.toUpperCase() : char))
			.join(''),
	};
}

describe('signature spellings and the replay key', () => {
	const key = 'whk_spelling_key';
	const taskId = 'task_spelling_1';
	const timestamp = '1769670760';
	const nowMs = Number(timestamp) * 1000;
	const mac = createHmac('sha256', key).update(`${taskId}.${timestamp}`).digest();
	const verify = (signature: string, overrides: Partial<Parameters<typeof verifyKieSignature>[0]> = {}) =>
		verifyKieSignature({ key, taskId, timestamp, signature, windowS: 300, nowMs, ...overrides });

	it('the same MAC spelled base64 (with or without padding), base64url, or hex in any case verifies and maps to ONE replay key', () => {
		const keys = new Set<string>();
		for (const [name, signature] of Object.entries(spellings(mac))) {
			const result = verify(signature);
			expect({ name, ok: result.ok }).toEqual({ name, ok: true });
			if (result.ok) {
				expect(result.mac.equals(mac)).toBe(true);
				keys.add(result.replayKey);
			}
		}
		expect([...keys]).toEqual([replayKey(taskId, timestamp, mac)]);
	});

	it.each([
		['whitespace inside', (s: string) => `${s.slice(0, 20)} ${s.slice(20)}`],
		['leading whitespace', (s: string) => ` ${s}`],
		['trailing whitespace', (s: string) => `${s} `],
		['a trailing newline', (s: string) => `${s}\n`],
		['trailing garbage', (s: string) => `${s}AA`],
		['double padding', (s: string) => `${s}==`],
		['one character short', (s: string) => s.slice(0, 42)],
		['mixed base64 and base64url alphabets', () => '+_'.padEnd(43, 'A')],
		['a non-canonical last character', (s: string) => s.slice(0, 42) + String.fromCharCode(s.charCodeAt(42) + 1)],
		['a comma-joined pair (a repeated header)', (s: string) => `${s}, ${s}`],
	])('rejects a base64 spelling with %s', (_name, spoil) => {
		const spoiled = spoil(mac.toString('base64').replace(/=$/, ''));
		expect(decodeMac(spoiled)).toBeUndefined();
		expect(verify(spoiled)).toEqual({ ok: false, reason: 'bad-signature' });
	});

	it.each([
		['63 hex digits', () => mac.toString('hex').slice(0, 63)],
		['65 hex digits', () => `${mac.toString('hex')}0`],
		['a 0x prefix', () => `0x${mac.toString('hex')}`],
		['a non-hex digit', () => `${mac.toString('hex').slice(0, 63)}g`],
		['a 31-byte MAC in base64', () => mac.subarray(0, 31).toString('base64')],
		['a 33-byte MAC in base64', () => Buffer.concat([mac, Buffer.from([0])]).toString('base64')],
		['an empty string', () => ''],
		['a very long string', () => 'A'.repeat(100_000)],
	])('rejects %s', (_name, spelling) => {
		expect(decodeMac(spelling())).toBeUndefined();
		expect(verify(spelling()).ok).toBe(false);
	});

	it('property: for random keys, task ids and timestamps, every spelling verifies to one replay key, and none verifies for another task, timestamp or key', () => {
		fc.assert(
			fc.property(
				fc.string({ minLength: 1, maxLength: 40 }),
				fc.string({ minLength: 1, maxLength: 40 }),
				fc.string({ minLength: 1, maxLength: 40 }),
				fc.integer({ min: 1_000_000_000, max: 4_000_000_000 }),
				(hmacKey, task, otherTask, seconds) => {
					const at = String(seconds);
					const real = createHmac('sha256', hmacKey).update(`${task}.${at}`).digest();
					const input = { key: hmacKey, taskId: task, timestamp: at, windowS: 300, nowMs: seconds * 1000 };
					const keys = new Set<string>();
					for (const signature of Object.values(spellings(real))) {
						const result = verifyKieSignature({ ...input, signature });
						if (!result.ok) return false;
						keys.add(result.replayKey);
						if (otherTask !== task && verifyKieSignature({ ...input, taskId: otherTask, signature }).ok) return false;
						if (verifyKieSignature({ ...input, timestamp: String(seconds + 1), nowMs: seconds * 1000, signature }).ok) return false;
						if (verifyKieSignature({ ...input, key: `${hmacKey}x`, signature }).ok) return false;
					}
					return keys.size === 1;
				},
			),
			{ numRuns: 300 },
		);
	});

	it('property: decodeMac accepts exactly the spellings of 32 bytes, and each decodes to its bytes', () => {
		fc.assert(
			fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), (bytes) => {
				const buffer = Buffer.from(bytes);
				return Object.values(spellings(buffer)).every((spelling) => decodeMac(spelling)?.equals(buffer) === true);
			}),
			{ numRuns: 500 },
		);
		fc.assert(
			fc.property(fc.string({ maxLength: 80 }), (text) => {
				const decoded = decodeMac(text);
				// Anything accepted is one of the spellings of what it decodes to.
				return decoded === undefined || (decoded.length === 32 && Object.values(spellings(decoded)).includes(text));
			}),
			{ numRuns: 2000 },
		);
	});

	it('random 32-byte strings never verify', () => {
		for (let i = 0; i < 200; i++) {
			for (const signature of Object.values(spellings(randomBytes(32)))) expect(verify(signature).ok).toBe(false);
		}
	});
});

describe('nudge tokens', () => {
	it('are base64url(HMAC-SHA256(key, "kie-nudge." + executionId + "." + nodeName)), one per execution and node', () => {
		const expected = createHmac('sha256', 'k').update('kie-nudge.42.KIE Create Task').digest('base64url');
		expect(kieNudgeToken('k', '42', 'KIE Create Task')).toBe(expected);
		expect(kieNudgeToken('k', '43', 'KIE Create Task')).not.toBe(expected);
		expect(kieNudgeToken('k', '42', 'Other')).not.toBe(expected);
		expect(kieNudgeToken('k2', '42', 'KIE Create Task')).not.toBe(expected);
	});

	it('are compared with sameSecret, whatever the lengths', () => {
		expect(sameSecret('abc', 'abc')).toBe(true);
		expect(sameSecret('abc', 'abd')).toBe(false);
		expect(sameSecret('ab', 'abc')).toBe(false);
		expect(sameSecret('', 'abc')).toBe(false);
	});
});

describe('signatureWindowS', () => {
	it('clamps the window to 1–3,600 s, and a value that is not a number is the default', () => {
		expect(DEFAULT_SIGNATURE_WINDOW_S).toBe(300);
		expect([undefined, null, '', 'abc', NaN, Infinity, {}, true].map(signatureWindowS)).toEqual(Array(8).fill(300));
		expect([0, -5, 0.2, 1, 900, '900', 3600, 3601, 1e9].map(signatureWindowS)).toEqual([1, 1, 1, 1, 900, 900, 3600, 3600, 3600]);
	});
});
