import { decodeBatch, encodeBatch } from '../../../nodes/KieCreateTask/actions/batch';

describe('Wait for Callback batch in custom data', () => {
	it('round-trips tasks, families and failed items', () => {
		const batch = {
			download: true,
			entries: [
				{ item: 0, taskId: 'task_gpt-image_1765968156336', family: 'market' as const },
				{ item: 1, error: 'Item 1: "Prompt" is required, and a comma, too' },
				{ item: 2, taskId: 'e989621f54392584b05867f87b160672', family: '4o' as const },
			],
		};
		const values = encodeBatch(batch, 10)!;
		expect(Object.keys(values)).toEqual(['kie_batch_0']);
		expect(decodeBatch({ ...values, userKey: 'kept apart' })).toEqual(batch);
	});

	it('splits into values of at most 512 characters, and reports when it does not fit', () => {
		const entries = Array.from({ length: 120 }, (_, item) => ({ item, taskId: `e989621f54392584b05867f87b16${String(item).padStart(4, '0')}`, family: 'market' as const }));
		const values = encodeBatch({ download: false, entries }, 10)!;
		expect(Object.values(values).every((value) => value.length <= 512)).toBe(true);
		expect(Object.keys(values).length).toBeGreaterThan(1);
		expect(decodeBatch(values)?.entries).toEqual(entries);
		expect(encodeBatch({ download: false, entries }, 2)).toBeUndefined();
	});

	it('returns undefined without a batch', () => {
		expect(decodeBatch({})).toBeUndefined();
	});
});
