import { batchingSettings, DEFAULT_BATCHING, Pacer, PacerStoppedError, Semaphore, WindowLimiter } from '../../../nodes/shared/transport/pacer';
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
		pacer.creates.stop();
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
