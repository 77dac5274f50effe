import type { IDataObject } from 'n8n-workflow';

import { bodyDigest, firstDelivery, recordSignature } from '../../../nodes/shared/webhook/replay';
import { kieSignature, verifyKieSignature } from '../../../nodes/shared/webhook/signature';

describe('recordSignature', () => {
	it('tells a first use, a redelivery (same body) and a replay (another body)', () => {
		const sig = `sig-${Math.random()}`;
		const body = { data: { taskId: 't1', state: 'success' } };
		expect(recordSignature(sig, bodyDigest(body), 600_000)).toBe('new');
		expect(recordSignature(sig, bodyDigest({ ...body }), 600_000)).toBe('redelivery');
		expect(recordSignature(sig, bodyDigest({ data: { taskId: 't1', state: 'fail' } }), 600_000)).toBe('replay');
	});

	it('keeps one record for every webhook of the process: a callback seen at one is a replay (or a copy) at another', () => {
		// KIE sends a callback to the one URL its task names; the same signature at another Trigger or resume
		// URL is somebody who saw the first one.
		const sig = `sig-${Math.random()}`;
		const body = { data: { taskId: 't2', state: 'success' } };
		expect(recordSignature(sig, bodyDigest(body), 600_000, { mirror: {} })).toBe('new');
		expect(recordSignature(sig, bodyDigest({ data: { taskId: 't2', state: 'fail' } }), 600_000, { mirror: {} })).toBe('replay');
		expect(recordSignature(sig, bodyDigest(body), 600_000)).toBe('redelivery');
	});

	it('reads and writes the Trigger\'s mirror in static data, bounded and without expired entries', () => {
		const mirror: IDataObject = { signatures: { old: [1, 'x'], legacy: 123 } };
		const run = Math.random();
		for (let i = 0; i < 520; i++) recordSignature(`sig-${run}-${i}`, 'digest', 600_000, { mirror, nowMs: 10_000 });
		const record = mirror.signatures as Record<string, [number, string]>;
		expect(Object.keys(record)).toHaveLength(500);
		expect(record.old).toBeUndefined();
		expect(record.legacy).toBeUndefined();
		expect(record[`sig-${run}-519`]).toEqual([610_000, 'digest']);
	});

	it('a signature known only to the mirror (another process, a restart) is still a replay', () => {
		const sig = `mirror-only-${Math.random()}`;
		const mirror: IDataObject = { signatures: { [sig]: [Date.now() + 600_000, 'digest'] } };
		expect(recordSignature(sig, 'another', 600_000, { mirror })).toBe('replay');
		expect(recordSignature(sig, 'digest', 600_000, { mirror })).toBe('redelivery');
	});
});

describe('the replay record keyed on the MAC bytes', () => {
	const key = 'whk_replay_key';
	const taskId = 'task_replay_1';
	const at = String(Math.floor(Date.now() / 1000));
	const replayKeyOf = (signature: string) => {
		const check = verifyKieSignature({ key, taskId, timestamp: at, signature, windowS: 300, nowMs: Date.now() });
		if (!check.ok) throw new Error(check.reason);
		return check.replayKey;
	};
	const body = { data: { taskId, state: 'success', resultJson: '{"resultUrls":["https://e.com/a.png"]}' } };
	const forged = { data: { taskId, state: 'success', resultJson: '{"resultUrls":["https://evil.example/x.png"]}' } };

	it('a re-spelled signature with a forged body is a replay; with the same body it is a redelivery', () => {
		const base64 = kieSignature(key, taskId, at);
		const upperHex = kieSignature(key, taskId, at, 'hex').toUpperCase();
		expect(recordSignature(replayKeyOf(base64), bodyDigest(body), 600_000)).toBe('new');
		expect(recordSignature(replayKeyOf(upperHex), bodyDigest(forged), 600_000)).toBe('replay');
		expect(recordSignature(replayKeyOf(base64.replace(/=$/, '')), bodyDigest(forged), 600_000)).toBe('replay');
		expect(recordSignature(replayKeyOf(upperHex.toLowerCase()), bodyDigest(body), 600_000)).toBe('redelivery');
	});

	it('the Trigger\'s mirror holds the canonical key, so another process sees a re-spelled replay too', () => {
		const other = 'task_replay_2';
		const keyOf = (signature: string) => {
			const check = verifyKieSignature({ key, taskId: other, timestamp: at, signature, windowS: 300, nowMs: Date.now() });
			if (!check.ok) throw new Error(check.reason);
			return check.replayKey;
		};
		const mirror: IDataObject = {};
		recordSignature(keyOf(kieSignature(key, other, at)), bodyDigest(body), 600_000, { mirror });
		expect(Object.keys(mirror.signatures as object)).toEqual([keyOf(kieSignature(key, other, at, 'hex'))]);
		// Another process knows it only from the mirror.
		const copy = JSON.parse(JSON.stringify(mirror)) as IDataObject;
		const entry = (copy.signatures as Record<string, unknown>)[keyOf(kieSignature(key, other, at, 'hex').toUpperCase())];
		expect(entry).toEqual([expect.any(Number), bodyDigest(body)]);
	});

	it('reads only the mirror\'s own entries (no prototype names)', () => {
		const mirror: IDataObject = { signatures: {} };
		for (const name of ['constructor', 'toString', 'hasOwnProperty', 'valueOf']) {
			expect(recordSignature(name, 'digest', 600_000, { mirror })).toBe('new');
		}
	});
});

describe('firstDelivery', () => {
	it('is true once per delivery, in this process and with the mirror', () => {
		const scope = `unit-${Math.random()}`;
		const mirror: IDataObject = {};
		expect(firstDelivery(scope, 't1|success|', mirror)).toBe(true);
		expect(firstDelivery(scope, 't1|success|', mirror)).toBe(false);
		expect(firstDelivery(scope, 't1|failed|', mirror)).toBe(true);
		expect(firstDelivery(`unit-${Math.random()}`, 't1|success|', { deliveries: ['t1|success|'] })).toBe(false);
		const many: IDataObject = {};
		for (let i = 0; i < 1100; i++) firstDelivery(scope, `d${i}`, many);
		expect((many.deliveries as string[]).length).toBe(1000);
		expect((many.deliveries as string[])[999]).toBe('d1099');
	});
});
