import type { IDataObject } from 'n8n-workflow';

import { bodyDigest, firstDelivery, recordSignature } from '../../../nodes/shared/webhook/replay';

describe('recordSignature', () => {
	it('tells a first use, a redelivery (same body) and a replay (another body)', () => {
		const scope = `unit-${Math.random()}`;
		const body = { data: { taskId: 't1', state: 'success' } };
		expect(recordSignature(scope, 'sig-1', bodyDigest(body), 600_000)).toBe('new');
		expect(recordSignature(scope, 'sig-1', bodyDigest({ ...body }), 600_000)).toBe('redelivery');
		expect(recordSignature(scope, 'sig-1', bodyDigest({ data: { taskId: 't1', state: 'fail' } }), 600_000)).toBe('replay');
		// Another scope (another Trigger, another waiting execution) keeps its own record.
		expect(recordSignature(`${scope}-other`, 'sig-1', bodyDigest(body), 600_000)).toBe('new');
	});

	it('reads and writes the Trigger\'s mirror in static data, bounded and without expired entries', () => {
		const mirror: IDataObject = { signatures: { old: [1, 'x'], legacy: 123 } };
		const scope = `unit-${Math.random()}`;
		for (let i = 0; i < 520; i++) recordSignature(scope, `sig-${i}`, 'digest', 600_000, { mirror, nowMs: 10_000 });
		const record = mirror.signatures as Record<string, [number, string]>;
		expect(Object.keys(record)).toHaveLength(500);
		expect(record.old).toBeUndefined();
		expect(record.legacy).toBeUndefined();
		expect(record['sig-519']).toEqual([610_000, 'digest']);
		// A signature known only to the mirror (another process, a restart) is still a replay.
		expect(recordSignature(`unit-${Math.random()}`, 'sig-519', 'another', 600_000, { mirror, nowMs: 20_000 })).toBe('replay');
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
