import { sleep } from 'n8n-workflow';

import { BudgetGate, costKeyOf, type BudgetItem } from '../../../nodes/KieCreateTask/actions/budget';

const item = (itemIndex: number, priced?: number, costKey = 'k'): BudgetItem => ({
	itemIndex,
	modelId: 'm/x',
	costKey,
	...(priced === undefined ? {} : { priced: { credits: priced, basis: `KIE's price: '${priced} credits per image'` } }),
});

describe('Max Credits per Run: the budget gate', () => {
	it('with a price from price data: admits items in order while they fit, refuses the rest with the reason', async () => {
		const gate = new BudgetGate(10, false);
		const decisions = await Promise.all([0, 1, 2, 3].map(async (i) => await gate.admit(item(i, 4))));
		expect(decisions.map((decision) => decision.admitted)).toEqual([true, true, false, false]);
		expect(decisions[2]).toEqual({
			admitted: false,
			reason: "Max Credits per Run (10) reached: 8 credits spent or committed in this run, and this task would cost about 4 (KIE's price: '4 credits per image')",
		});
	});

	it('waiting for tasks: an estimate is an upper bound; when a task ends cheaper, the next item fits', async () => {
		const gate = new BudgetGate(10, true);
		expect(await gate.admit(item(0, 4))).toEqual({ admitted: true, estimate: 4 });
		expect(await gate.admit(item(1, 4))).toEqual({ admitted: true, estimate: 4 });
		const third = gate.admit(item(2, 4));
		let settled = false;
		void third.then(() => (settled = true));
		await sleep(20);
		expect(settled).toBe(false); // 8 committed + 4 > 10: waits for a task to end
		gate.ended(0, 1, true); // it cost 1: 1 + 4 (running) + 4 = 9
		expect(await third).toEqual({ admitted: true, estimate: 4 });
		gate.ended(1, 4, true);
		gate.ended(2, 4, true);
		// The most reported for this kind is the estimate now: 9 spent + 4 > 10.
		expect((await gate.admit(item(3, 4))).admitted).toBe(false);
		expect(gate.spentCredits).toBe(9);
	});

	it('without a price: the first task goes alone to learn it, then the others are estimated from it', async () => {
		const gate = new BudgetGate(12, true);
		expect(await gate.admit(item(0))).toEqual({ admitted: true });
		const second = gate.admit(item(1));
		let settled = false;
		void second.then(() => (settled = true));
		await sleep(20);
		expect(settled).toBe(false);
		gate.ended(0, 5, true);
		expect(await second).toEqual({ admitted: true, estimate: 5 });
		gate.ended(1, 5, true);
		expect(await gate.admit(item(2))).toEqual({ admitted: false, reason: expect.stringContaining('Max Credits per Run (12) reached: 10 credits') });
	});

	it('without a price and without seeing tasks end (Submit Only, Wait for Callback): one task goes first, the rest are not submitted', async () => {
		const gate = new BudgetGate(100, false);
		expect((await gate.admit(item(0))).admitted).toBe(true);
		const second = await gate.admit(item(1));
		expect(second).toEqual({ admitted: false, reason: expect.stringContaining('does not see a task end to learn it') });
		// Another kind with a price still goes.
		expect(await gate.admit(item(2, 7, 'other'))).toEqual({ admitted: true, estimate: 7 });
	});

	it('a task that ends without reporting its cost leaves its kind unpriceable: never an overspend by guesswork', async () => {
		const gate = new BudgetGate(100, true);
		expect((await gate.admit(item(0))).admitted).toBe(true);
		gate.ended(0, null, true);
		expect(await gate.admit(item(1))).toEqual({ admitted: false, reason: expect.stringContaining('KIE did not report what a m/x task cost') });
	});

	it('a create refused before KIE took it costs nothing; a failed task counts what KIE reported', async () => {
		const gate = new BudgetGate(8, true);
		expect((await gate.admit(item(0, 4))).admitted).toBe(true);
		gate.notSubmitted(0);
		expect((await gate.admit(item(1, 4))).admitted).toBe(true);
		gate.ended(1, 0, false);
		expect(gate.spentCredits).toBe(0);
		expect((await gate.admit(item(2, 4))).admitted).toBe(true);
		expect((await gate.admit(item(3, 4))).admitted).toBe(true);
	});

	it('stops waiting when the execution is cancelled', async () => {
		const gate = new BudgetGate(4, true);
		await gate.admit(item(0, 4));
		const controller = new AbortController();
		const waiting = gate.admit(item(1, 4), controller.signal);
		controller.abort();
		await expect(waiting).rejects.toThrow('cancelled');
	});
});

describe('the kind of a task for the budget', () => {
	it('is the model and its priced settings, not its prompt or files', () => {
		const enums = new Set(['aspect_ratio', 'resolution']);
		const a = costKeyOf('m', { prompt: 'a fox', aspect_ratio: '16:9', resolution: '1K', n: 2, image_urls: ['https://x/a.png'] }, enums);
		const b = costKeyOf('m', { image_urls: ['https://y/b.png'], n: 2, resolution: '1K', aspect_ratio: '16:9', prompt: 'a dog' }, enums);
		expect(a).toBe(b);
		expect(costKeyOf('m', { resolution: '4K', n: 2 }, enums)).not.toBe(costKeyOf('m', { resolution: '1K', n: 2 }, enums));
		expect(costKeyOf('m', { n: 2 }, enums)).not.toBe(costKeyOf('other', { n: 2 }, enums));
		expect(costKeyOf('m', { image_urls: ['a', 'b'] }, enums)).not.toBe(costKeyOf('m', { image_urls: ['a'] }, enums));
		// A live model: numbers and switches only.
		expect(costKeyOf('m', { style: 'photo', n: 1 })).toBe(costKeyOf('m', { style: '3d', n: 1 }));
	});
});
