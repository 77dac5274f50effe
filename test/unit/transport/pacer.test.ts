import { sleep } from 'n8n-workflow';

import { AccountPacer, batchingSettings, DEFAULT_BATCHING, Pacer, PacerStoppedError, Semaphore, sharedPacer, WindowLimiter } from '../../../nodes/shared/transport/pacer';
import { retryAfterMs } from '../../../nodes/shared/transport';

describe('pacer: batching settings', () => {
	it('defaults to KIE’s documented limits', () => {
		expect(batchingSettings()).toEqual(DEFAULT_BATCHING);
		expect(DEFAULT_BATCHING).toEqual({ createsPerWindow: 20, windowMs: 10_000, pollsPerSecond: 10, concurrentTasks: 100 });
	});

	it('reads raised limits, in seconds, and ignores empty or invalid values', () => {
		expect(batchingSettings({ createsPerWindow: 50, windowSeconds: 5, pollsPerSecond: 25, concurrentTasks: 300 })).toEqual({
			createsPerWindow: 50,
			windowMs: 5000,
			pollsPerSecond: 25,
			concurrentTasks: 300,
		});
		expect(batchingSettings({ createsPerWindow: 0, windowSeconds: -1, pollsPerSecond: Number.NaN })).toEqual(DEFAULT_BATCHING);
	});
});

describe('pacer: window limiter', () => {
	it('releases at most perWindow requests per window, counted until the answer came back', async () => {
		const limiter = new WindowLimiter(3, 150, 0, 50, 1000);
		const started = Date.now();
		const starts: number[] = [];
		await Promise.all(
			Array.from({ length: 7 }, async () => {
				const ticket = await limiter.acquire();
				starts.push(Date.now() - started);
				ticket.release('answered');
			}),
		);
		expect(starts.slice(0, 3).every((ms) => ms < 60)).toBe(true);
		expect(starts[3]).toBeGreaterThanOrEqual(149);
		expect(starts[6]).toBeGreaterThanOrEqual(299);
		for (let i = 3; i < starts.length; i++) expect(starts[i] - starts[i - 3]).toBeGreaterThanOrEqual(149);
	});

	it('spaces requests by spacingMs', async () => {
		const limiter = new WindowLimiter(100, 1000, 40, 50, 1000);
		const starts: number[] = [];
		for (let i = 0; i < 4; i++) {
			const ticket = await limiter.acquire();
			starts.push(Date.now());
			ticket.release('answered');
		}
		for (let i = 1; i < starts.length; i++) expect(starts[i] - starts[i - 1]).toBeGreaterThanOrEqual(39);
	});

	it('pauses the lane after a 429, once for a burst already on the wire', async () => {
		const limiter = new WindowLimiter(100, 1000, 0, 200, 5000, { random: () => 1 });
		const burst = await Promise.all([limiter.acquire(), limiter.acquire(), limiter.acquire()]);
		const rejectedAt = Date.now();
		for (const ticket of burst) ticket.release('rateLimited');
		const next = await limiter.acquire();
		// One strike: 200 ms (not 200 × 2 × 2 for the three answers of one burst).
		expect(Date.now() - rejectedAt).toBeGreaterThanOrEqual(195);
		expect(Date.now() - rejectedAt).toBeLessThan(390);
		next.release('answered');
	});

	it('honours Retry-After when it asks for more', async () => {
		const limiter = new WindowLimiter(100, 1000, 0, 10, 5000, { random: () => 1 });
		const ticket = await limiter.acquire();
		const rejectedAt = Date.now();
		ticket.release('rateLimited', 250);
		(await limiter.acquire()).release('answered');
		expect(Date.now() - rejectedAt).toBeGreaterThanOrEqual(245);
		expect(retryAfterMs({ 'retry-after': '2' })).toBe(2000);
		expect(retryAfterMs({})).toBeUndefined();
	});

	it('fails waiting and later requests once stopped', async () => {
		const pacer = new Pacer({ createsPerWindow: 1, windowMs: 10_000, pollsPerSecond: 10, concurrentTasks: 5 });
		const first = await pacer.acquire('create');
		const waiting = pacer.acquire('create');
		pacer.stopCreates();
		first.release('answered');
		await expect(waiting).rejects.toBeInstanceOf(PacerStoppedError);
		await expect(pacer.acquire('create')).rejects.toBeInstanceOf(PacerStoppedError);
		(await pacer.acquire('poll')).release('answered'); // polls go on
	});

	it('stops waiting when the execution is cancelled', async () => {
		const limiter = new WindowLimiter(1, 60_000, 0, 10, 100);
		(await limiter.acquire()).release('answered');
		const controller = new AbortController();
		const waiting = limiter.acquire(controller.signal);
		controller.abort();
		await expect(waiting).rejects.toBeDefined();
	});
});

describe('pacer: adaptive budget (AIMD)', () => {
	it('a 429 with nothing through shrinks the budget to 70 % once per burst; idle for two windows, it is whole again', async () => {
		let now = 0;
		const limiter = new WindowLimiter(20, 10_000, 0, 2_500, 20_000, { now: () => now, random: () => 0 });
		expect(limiter.budget).toBe(20);
		// A burst of three 429s on the wire together: one decrease.
		const tickets = await Promise.all([limiter.acquire(), limiter.acquire(), limiter.acquire()]);
		for (const ticket of tickets) ticket.release('rateLimited');
		expect(limiter.budget).toBe(14);
		now += 19_999;
		expect(limiter.budget).toBe(14);
		now += 1;
		expect(limiter.budget).toBe(20);
	});

	it('takes no more than the shrunk budget per window', async () => {
		const limiter = new WindowLimiter(10, 300, 0, 1, 1, { random: () => 0 });
		(await limiter.acquire()).release('rateLimited');
		expect(limiter.budget).toBe(7);
		const started = Date.now();
		const starts: number[] = [];
		await Promise.all(
			Array.from({ length: 8 }, async () => {
				const ticket = await limiter.acquire();
				starts.push(Date.now() - started);
				ticket.release('answered');
			}),
		);
		// 7 slots in a window (the 429 does not count: KIE did not take it): the 8th waits for the first to leave.
		expect(starts.filter((ms) => ms < 250).length).toBe(7);
	});

	it('after a 429 keeps what got through in the window as its share, and probes one request at a time', async () => {
		const limiter = new WindowLimiter(20, 300, 0, 1, 1, { random: () => 0 }, 5);
		for (let i = 0; i < 8; i++) (await limiter.acquire()).release('answered');
		(await limiter.acquire()).release('rateLimited');
		expect(limiter.budget).toBe(8); // what this process got through: its share
		const probe = await limiter.acquire();
		let second = false;
		const next = limiter.acquire().then((ticket) => ((second = true), ticket));
		await sleep(20);
		expect(second).toBe(false); // one at a time until an answer comes back
		probe.release('answered');
		(await next).release('answered');
	});

	it('wins capacity back by probing one request beyond its share after a window without a 429', async () => {
		const limiter = new WindowLimiter(10, 200, 0, 1, 1, { random: () => 0 });
		for (let i = 0; i < 4; i++) (await limiter.acquire()).release('answered');
		const limitedAt = Date.now();
		(await limiter.acquire()).release('rateLimited');
		expect(limiter.budget).toBe(4);
		// The next requests: no probe before a quiet window has passed; then each probe KIE takes adds one.
		const starts: number[] = [];
		for (let i = 0; i < 6; i++) {
			const ticket = await limiter.acquire();
			starts.push(Date.now() - limitedAt);
			ticket.release('answered');
		}
		expect(starts[0]).toBeGreaterThanOrEqual(195);
		expect(limiter.budget).toBeGreaterThan(4);
	});

	it('a probe answered 429 leaves the budget as it was', async () => {
		let now = 0;
		const limiter = new WindowLimiter(10, 1000, 0, 1, 1, { now: () => now, random: () => 0 });
		for (let i = 0; i < 3; i++) (await limiter.acquire()).release('answered');
		(await limiter.acquire()).release('rateLimited');
		expect(limiter.budget).toBe(3);
		now = 1000; // a window without a 429 later; the three answered at 0 have left the window
		const probe = await limiter.acquire(); // a normal request of the budget, not a probe
		probe.release('answered');
		const more = await Promise.all([limiter.acquire(), limiter.acquire()]);
		for (const ticket of more) ticket.release('answered');
		const beyond = await limiter.acquire(); // budget 3 spent, quiet for a window: a probe
		beyond.release('rateLimited');
		expect(limiter.budget).toBe(3);
	});

	it('sends a burst in steps of at most maxInFlight requests on the wire', async () => {
		const limiter = new WindowLimiter(20, 10_000, 0, 100, 1000, {}, 3);
		const held = await Promise.all([limiter.acquire(), limiter.acquire(), limiter.acquire()]);
		let fourth = false;
		const next = limiter.acquire().then((ticket) => ((fourth = true), ticket));
		await sleep(20);
		expect(fourth).toBe(false);
		held[0].release('answered');
		(await next).release('answered');
		expect(fourth).toBe(true);
		for (const ticket of held.slice(1)) ticket.release('answered');
	});
});

describe('pacer: one per account in a process', () => {
	it('every execution of an account and Batching setting shares one account pacer; others get their own', () => {
		const a = sharedPacer('https://api.kie.ai#aaaa');
		expect(sharedPacer('https://api.kie.ai#aaaa')).toBe(a);
		expect(sharedPacer('https://api.kie.ai#bbbb')).not.toBe(a);
		expect(sharedPacer('https://api.kie.ai#aaaa', batchingSettings({ createsPerWindow: 5 }))).not.toBe(a);
		const first = new Pacer(DEFAULT_BATCHING, a);
		const second = new Pacer(DEFAULT_BATCHING, a);
		expect(first.creates).toBe(second.creates);
		expect(first.tasks).not.toBe(second.tasks);
	});

	it('keeps at most 100 accounts, dropping the least recently used', () => {
		const kept = sharedPacer('account-kept');
		for (let i = 0; i < 99; i++) sharedPacer(`account-${i}`);
		expect(sharedPacer('account-kept')).toBe(kept);
		for (let i = 0; i < 100; i++) sharedPacer(`account-more-${i}`);
		expect(sharedPacer('account-kept')).not.toBe(kept);
	});

	it('stopping one execution\'s creates leaves the other executions of the account going', async () => {
		const account = new AccountPacer({ createsPerWindow: 1, windowMs: 10_000, pollsPerSecond: 10, concurrentTasks: 5 });
		const stopped = new Pacer(DEFAULT_BATCHING, account);
		const other = new Pacer(DEFAULT_BATCHING, account);
		const first = await other.acquire('create');
		const waiting = stopped.acquire('create');
		stopped.stopCreates();
		await expect(waiting).rejects.toBeInstanceOf(PacerStoppedError);
		first.release('answered');
		const controller = new AbortController();
		const next = other.acquire('create', controller.signal);
		controller.abort();
		await expect(next).rejects.not.toBeInstanceOf(PacerStoppedError);
	});
});

describe('pacer: concurrent tasks', () => {
	it('holds at most size slots, handed on in FIFO order', async () => {
		const semaphore = new Semaphore(2);
		const order: number[] = [];
		const releases = await Promise.all([semaphore.acquire(), semaphore.acquire()]);
		const later = [3, 4].map((id) => semaphore.acquire().then((release) => (order.push(id), release)));
		expect(order).toEqual([]);
		releases[0]();
		const third = await later[0];
		expect(order).toEqual([3]);
		releases[1]();
		third();
		(await later[1])();
		expect(order).toEqual([3, 4]);
	});
});

describe('pacer: the Batching option', () => {
	it('shows KIE’s limits as its defaults', async () => {
		const { optionsProperty } = await import('../../../nodes/KieCreateTask/description');
		const batching = optionsProperty.options!.find((option) => option.name === 'batching') as { options: Array<{ name: string; default: number }> };
		const defaults = Object.fromEntries(batching.options.map((option) => [option.name, option.default]));
		expect(batchingSettings(defaults)).toEqual(DEFAULT_BATCHING);
	});
});
