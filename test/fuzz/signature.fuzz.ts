import fc from 'fast-check';

import { decodeMac, kieSignature, verifyKieSignature } from '../../nodes/shared/webhook/signature';
import { fuzz } from './support';

/**
 * X-Webhook-Signature and X-Webhook-Timestamp are headers anybody can send. Whatever arrives: a valid MAC
 * verifies in every accepted spelling and always gives the same replay key; anything else, a changed
 * character, another task or timestamp, a random text, never verifies unless it decodes to the very same
 * MAC bytes.
 */

const NOW_MS = 1_800_000_000_000;
const nowS = String(NOW_MS / 1000);
const key = fc.string({ minLength: 1, maxLength: 40 }).filter((text) => text.trim() !== '');
const taskId = fc.oneof(fc.string({ minLength: 1, maxLength: 40 }), fc.uuid(), fc.stringMatching(/^[a-z0-9_]{1,30}$/));

/** The spellings of one MAC the verifier accepts: base64 (with and without `=`), base64url, hex in any case. */
function spellings(mac: Buffer): string[] {
	const base64 = mac.toString('base64');
	const hex = mac.toString('hex');
	return [base64, base64.replace(/=$/, ''), mac.toString('base64url'), `${mac.toString('base64url')}=`, hex, hex.toUpperCase()];
}

const check = (k: string, id: string, signature: string, timestamp = nowS) =>
	verifyKieSignature({ key: k, taskId: id, timestamp, signature, windowS: 300, nowMs: NOW_MS });

describe('fuzz: signature headers and their encodings', () => {
	it('every accepted spelling of a real MAC verifies and gives one replay key', async () => {
		const figures = await fuzz('signature: spellings of a real MAC', fc.record({ key, taskId }), ({ key: k, taskId: id }) => {
			const mac = Buffer.from(kieSignature(k, id, nowS), 'base64');
			const keys = new Set<string>();
			for (const spelling of spellings(mac)) {
				const result = check(k, id, spelling);
				if (!result.ok) throw new Error(`${spelling} did not verify: ${result.reason}`);
				keys.add(result.replayKey);
			}
			return keys.size === 1;
		});
		expect(figures.failures).toBe(0);
	});

	it('a changed character, another task, another timestamp or another key never verifies with other bytes', async () => {
		const figures = await fuzz(
			'signature: mutations never verify',
			fc.record({ key, taskId, otherTask: taskId, position: fc.nat(), replacement: fc.string({ maxLength: 3 }), spelling: fc.nat(5), shift: fc.integer({ min: -299, max: 299 }) }),
			({ key: k, taskId: id, otherTask, position, replacement, spelling, shift }) => {
				const mac = Buffer.from(kieSignature(k, id, nowS), 'base64');
				const text = spellings(mac)[spelling];
				const at = position % (text.length + 1);
				const mutated = `${text.slice(0, at)}${replacement}${text.slice(at + 1)}`;
				const result = check(k, id, mutated);
				// A mutation may only verify as another spelling of the same bytes.
				if (result.ok && !result.mac.equals(mac)) return false;
				if (otherTask !== id && check(k, otherTask, text).ok) return false;
				const timestamp = String(Number(nowS) + (shift === 0 ? 1 : shift));
				if (check(k, id, text, timestamp).ok) return false;
				return !check(`${k}x`, id, text).ok;
			},
		);
		expect(figures.failures).toBe(0);
	});

	it('random header values never throw, and verify only when they decode to the real MAC', async () => {
		const header = fc.oneof(fc.string({ maxLength: 200 }), fc.stringMatching(/^[A-Za-z0-9+/=_-]{40,70}$/), fc.stringMatching(/^[0-9a-fA-F ]{60,70}$/), fc.constant(''));
		const timestamp = fc.oneof(fc.string({ maxLength: 20 }), fc.integer().map(String), fc.constant(nowS), fc.constant(`${nowS}000`));
		const figures = await fuzz('signature: random headers', fc.record({ key, taskId, signature: header, timestamp }), ({ key: k, taskId: id, signature, timestamp: ts }) => {
			const result = verifyKieSignature({ key: k, taskId: id, timestamp: ts, signature, windowS: 300, nowMs: NOW_MS });
			if (!result.ok) return true;
			const decoded = decodeMac(signature);
			return decoded !== undefined && decoded.equals(Buffer.from(kieSignature(k, id, ts), 'base64'));
		});
		expect(figures.failures).toBe(0);
	});
});
