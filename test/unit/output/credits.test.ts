import { formatCredits, runCredits, runCreditsHint } from '../../../nodes/shared/output/credits';

describe('the run\'s credits, as KIE reported them', () => {
	it('adds up creditsConsumed of the tasks that ended, and counts those that did not report it', () => {
		const items = [
			{ taskId: 'a', state: 'success', creditsConsumed: 4 },
			{ taskId: 'b', state: 'failed', creditsConsumed: 0 },
			{ taskId: 'c', state: 'success', creditsConsumed: 2.5 },
			{ taskId: 'd', state: 'success' },
			{ taskId: 'e', state: 'pending', creditsConsumed: 9 }, // not ended: not counted
			{ error: 'Item 6: refused', model: 'x' }, // no task
		];
		expect(runCredits(items)).toEqual({ total: 6.5, reported: 3, unreported: 1, reused: 0 });
		expect(runCreditsHint(items)).toBe('This run: 6.5 credits for 3 tasks, as KIE reported them (creditsConsumed); 1 task did not report credits.');
	});

	it('says the account\'s credits left from the newest callback that said so', () => {
		const items = [
			{ taskId: 'a', state: 'success', creditsConsumed: 100, remainedCredits: 2510430, completeTime: '2026-12-07T10:00:00.000Z' },
			{ taskId: 'b', state: 'success', creditsConsumed: 100, remainedCredits: 2510330, completeTime: '2026-12-07T10:00:05.000Z' },
		];
		expect(runCreditsHint(items)).toBe(
			'This run: 200 credits for 2 tasks, as KIE reported them (creditsConsumed); the account has 2,510,330 credits left (remainedCredits of KIE\'s newest callback).',
		);
	});

	it('never guesses: nothing ended, nothing said; no credits reported, said so; hostile values ignored', () => {
		expect(runCreditsHint([])).toBeUndefined();
		expect(runCreditsHint([{ taskId: 'a', state: 'pending' }])).toBeUndefined();
		expect(runCreditsHint([{ taskId: 'a', state: 'success' }])).toBe('This run: KIE reported no credits for its tasks.');
		for (const value of ['4', -1, Infinity, NaN, null, {}]) {
			expect(runCredits([{ taskId: 'a', state: 'success', creditsConsumed: value as never, remainedCredits: value as never }])).toEqual({ total: 0, reported: 0, unreported: 1, reused: 0 });
		}
	});

	it('formats credits as people read them', () => {
		expect(formatCredits(0.1 + 0.2)).toBe('0.3');
		expect(formatCredits(1234567.891)).toBe('1,234,567.89');
		expect(formatCredits(3)).toBe('3');
	});

	it('counts reused tasks apart (paid for by the run that created them), and their remainedCredits not at all', () => {
		const items = [
			{ taskId: 'a', state: 'success', creditsConsumed: 4 },
			{ taskId: 'b', state: 'success', creditsConsumed: 4, reused: true, remainedCredits: 1, completeTime: '2099-01-01T00:00:00Z' },
			{ taskId: 'c', state: 'success', creditsConsumed: 4, reused: true },
		];
		expect(runCredits(items)).toEqual({ total: 4, reported: 1, unreported: 0, reused: 2 });
		expect(runCreditsHint(items)).toBe('This run: 4 credits for 1 task, as KIE reported them (creditsConsumed); 2 tasks reused from earlier runs, paid for then and not counted.');
		expect(runCreditsHint(items.slice(1))).toBe('This run: no new tasks; 2 tasks reused from earlier runs, paid for then and not counted.');
	});
});
