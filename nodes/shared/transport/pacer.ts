import { sleep } from 'n8n-workflow';

/**
 * Client-side pacing of one execution's requests to KIE (the "Batches" issue). KIE accepts about 20 new
 * tasks per 10 s and 10 status reads per second per account, and answers the excess with 429. The pacer
 * spaces the creates and polls of one execution under those limits, caps the tasks it waits on at once,
 * and backs off when a 429 still comes (another execution or workflow uses the same account).
 *
 * One pacer is created per execution of Create Task (no state is shared across executions or nodes).
 */

/** `create`: new tasks; `poll`: status reads; `catalogue`: KIE's model catalogue (1 request/second). */
export type PacerLane = 'create' | 'poll' | 'catalogue';

/** KIE's catalogue endpoints (models, schema, price, success rate) share 1 request per second. */
const CATALOGUE_GAP_MS = 1_000;

interface BatchingSettings {
	/** New tasks per window (KIE: 20). */
	createsPerWindow: number;
	/** Window length in milliseconds (KIE: 10 s). */
	windowMs: number;
	/** Status reads per second (KIE: about 10). */
	pollsPerSecond: number;
	/** Tasks submitted and not yet finished that this execution waits on at once. */
	concurrentTasks: number;
}

/** KIE's documented limits: 20 new tasks per 10 s, about 10 status reads per second, ~100 tasks at once. */
export const DEFAULT_BATCHING: BatchingSettings = {
	createsPerWindow: 20,
	windowMs: 10_000,
	pollsPerSecond: 10,
	concurrentTasks: 100,
};

/** What the transport holds while one request is on the wire. */
export interface PacerTicket {
	/**
	 * Call once the answer (or the failure) came back. `rateLimited`: KIE answered 429 (body code or HTTP
	 * status); the lane then pauses (honouring `retryAfterMs` when KIE sent Retry-After).
	 */
	release(outcome: 'answered' | 'rateLimited' | 'failed', retryAfterMs?: number): void;
}

/** The hook the transport calls around each attempt of a paced request. */
export interface RequestPacer {
	acquire(lane: PacerLane, signal?: AbortSignal): Promise<PacerTicket>;
}

interface PacerClock {
	now?: () => number;
	random?: () => number;
}

/** What a create still queued gets once the batch stopped (a failure without "Continue On Fail"). */
export class PacerStoppedError extends Error {
	constructor() {
		super('Not submitted: an earlier item failed and the batch stopped');
		this.name = 'PacerStoppedError';
	}
}

/** Waits for `promise`, or rejects when `signal` aborts first. */
async function abortable<T>(promise: Promise<T>, signal?: AbortSignal): Promise<T> {
	if (!signal) return await promise;
	signal.throwIfAborted();
	return await new Promise<T>((resolve, reject) => {
		const onAbort = () => reject(signal.reason instanceof Error ? signal.reason : new Error('The execution was cancelled'));
		signal.addEventListener('abort', onAbort, { once: true });
		promise.then(
			(value) => {
				signal.removeEventListener('abort', onAbort);
				resolve(value);
			},
			(error: unknown) => {
				signal.removeEventListener('abort', onAbort);
				reject(error);
			},
		);
	});
}

/**
 * At most `perWindow` requests in any `windowMs`, at least `spacingMs` apart, served in FIFO order.
 *
 * A request counts in the window from the moment it is sent until `windowMs` after its answer came back:
 * KIE timestamps it somewhere in between, so a limit counted this way is never exceeded at KIE whatever
 * the latency (at the cost of one latency per window).
 */
export class WindowLimiter {
	private readonly stamps: number[] = [];
	private pending = 0;
	private lastStart = Number.NEGATIVE_INFINITY;
	private pausedUntil = 0;
	/** Sequence number of the first request sent after the current pause began. */
	private pauseSeq = 0;
	private seq = 0;
	private strikes = 0;
	private turn: Promise<unknown> = Promise.resolve();
	private wake: (() => void) | undefined;
	private stopped = false;
	private readonly now: () => number;
	private readonly random: () => number;

	constructor(
		readonly perWindow: number,
		readonly windowMs: number,
		readonly spacingMs: number,
		/** First pause after a 429, doubled on each further 429, capped at `maxBackoffMs`. */
		private readonly backoffMs: number,
		private readonly maxBackoffMs: number,
		clock: PacerClock = {},
	) {
		this.now = clock.now ?? Date.now;
		this.random = clock.random ?? Math.random;
	}

	/** From now on every request still waiting, and every later one, fails with PacerStoppedError. */
	stop(): void {
		this.stopped = true;
		const wake = this.wake;
		this.wake = undefined;
		wake?.();
	}

	/** Waits for a slot (in FIFO order) and returns the ticket to release when the answer came. */
	async acquire(signal?: AbortSignal): Promise<PacerTicket> {
		const mine = this.turn.then(async () => await this.take(signal));
		this.turn = mine.catch(() => undefined);
		return await mine;
	}

	private async take(signal?: AbortSignal): Promise<PacerTicket> {
		for (;;) {
			signal?.throwIfAborted();
			if (this.stopped) throw new PacerStoppedError();
			const now = this.now();
			while (this.stamps.length > 0 && this.stamps[0] <= now - this.windowMs) this.stamps.shift();
			let waitMs = 0;
			if (this.pausedUntil > now) waitMs = this.pausedUntil - now;
			else if (this.lastStart + this.spacingMs > now) waitMs = this.lastStart + this.spacingMs - now;
			else if (this.stamps.length + this.pending >= this.perWindow) {
				if (this.stamps.length === 0) {
					// Every slot of the window is on the wire: wait for an answer.
					await abortable(new Promise<void>((resolve) => (this.wake = resolve)), signal);
					continue;
				}
				waitMs = this.stamps[0] + this.windowMs - now;
			}
			if (waitMs > 0) {
				await sleep(Math.max(1, Math.ceil(waitMs)), signal);
				continue;
			}
			this.pending++;
			this.lastStart = now;
			return this.ticket(this.seq++);
		}
	}

	private ticket(seq: number): PacerTicket {
		let released = false;
		return {
			release: (outcome, retryAfterMs) => {
				if (released) return;
				released = true;
				this.pending--;
				this.stamps.push(this.now());
				if (outcome === 'rateLimited') this.backOff(seq, retryAfterMs);
				else if (outcome === 'answered' && seq >= this.pauseSeq) this.strikes = 0;
				const wake = this.wake;
				this.wake = undefined;
				wake?.();
			},
		};
	}

	/**
	 * Pauses the lane after a 429. Only a request sent after the last pause began escalates the pause: a
	 * burst of requests already on the wire when the first 429 came counts once.
	 */
	private backOff(seq: number, retryAfterMs?: number): void {
		const now = this.now();
		if (seq >= this.pauseSeq || this.strikes === 0) this.strikes++;
		const base = Math.min(this.maxBackoffMs, this.backoffMs * 2 ** Math.min(20, this.strikes - 1));
		const delay = Math.max(base / 2 + (base / 2) * this.random(), retryAfterMs ?? 0);
		if (now + delay > this.pausedUntil) this.pausedUntil = now + delay;
		this.pauseSeq = this.seq;
	}
}

/** A FIFO semaphore: at most `size` holders at once. */
export class Semaphore {
	private held = 0;
	private readonly waiters: Array<() => void> = [];

	constructor(readonly size: number) {}

	async acquire(signal?: AbortSignal): Promise<() => void> {
		if (this.held < this.size && this.waiters.length === 0) {
			this.held++;
			return this.releaser();
		}
		let granted = false;
		const slot = new Promise<void>((resolve) =>
			this.waiters.push(() => {
				granted = true;
				resolve();
			}),
		);
		// Cancelled while waiting: hand the slot on if it was granted meanwhile.
		return await abortable(slot, signal).then(
			() => this.releaser(),
			async (error: unknown) => {
				if (granted) this.releaser()();
				return await Promise.reject(error);
			},
		);
	}

	private releaser(): () => void {
		let released = false;
		return () => {
			if (released) return;
			released = true;
			const next = this.waiters.shift();
			if (next) next();
			else this.held--;
		};
	}
}

/** Reads the `batching` option of Create Task (seconds in the UI) into settings, with KIE's defaults. */
export function batchingSettings(option: {
	createsPerWindow?: number;
	windowSeconds?: number;
	pollsPerSecond?: number;
	concurrentTasks?: number;
} = {}): BatchingSettings {
	const positive = (value: unknown, fallback: number) => {
		const number = Number(value);
		return value !== undefined && value !== null && value !== '' && Number.isFinite(number) && number > 0 ? number : fallback;
	};
	return {
		createsPerWindow: Math.max(1, Math.floor(positive(option.createsPerWindow, DEFAULT_BATCHING.createsPerWindow))),
		windowMs: positive(option.windowSeconds, DEFAULT_BATCHING.windowMs / 1000) * 1000,
		pollsPerSecond: positive(option.pollsPerSecond, DEFAULT_BATCHING.pollsPerSecond),
		concurrentTasks: Math.max(1, Math.floor(positive(option.concurrentTasks, DEFAULT_BATCHING.concurrentTasks))),
	};
}

/** The pacer of one execution: creates, polls, catalogue requests and tasks in flight. */
export class Pacer implements RequestPacer {
	readonly creates: WindowLimiter;
	readonly polls: WindowLimiter;
	readonly catalogue: WindowLimiter;
	readonly tasks: Semaphore;

	constructor(
		readonly settings: BatchingSettings = DEFAULT_BATCHING,
		clock: PacerClock = {},
	) {
		const pollSpacing = 1000 / settings.pollsPerSecond;
		// Creates are released in bursts at the window edges (what KIE's limit allows); a 429 pauses
		// them for a quarter window at first, up to two windows.
		this.creates = new WindowLimiter(settings.createsPerWindow, settings.windowMs, 0, settings.windowMs / 4, settings.windowMs * 2, clock);
		// Polls are spread evenly, and never more than `pollsPerSecond` in any second.
		this.polls = new WindowLimiter(
			Math.max(1, Math.floor(settings.pollsPerSecond)),
			Math.max(1000, pollSpacing),
			pollSpacing,
			Math.max(pollSpacing * 10, 50),
			10_000,
			clock,
		);
		// One catalogue request at a time, the next one a second after the previous answer.
		this.catalogue = new WindowLimiter(1, CATALOGUE_GAP_MS, 0, CATALOGUE_GAP_MS, CATALOGUE_GAP_MS * 10, clock);
		this.tasks = new Semaphore(settings.concurrentTasks);
	}

	async acquire(lane: PacerLane, signal?: AbortSignal): Promise<PacerTicket> {
		const limiter = lane === 'create' ? this.creates : lane === 'catalogue' ? this.catalogue : this.polls;
		return await limiter.acquire(signal);
	}
}

const ACCOUNT_PACERS = new Map<string, Pacer>();
const MAX_ACCOUNTS = 100;

/**
 * The pacer this process shares for one KIE account (its Base URL and a digest of its API key), with
 * KIE's limits: the webhooks read tasks through it, so simultaneous callbacks of one account stay under
 * KIE's status-read limit together. At most 100 accounts are kept; the least recently used goes first.
 */
export function sharedPacer(account: string): Pacer {
	let pacer = ACCOUNT_PACERS.get(account);
	if (pacer) ACCOUNT_PACERS.delete(account);
	else pacer = new Pacer();
	ACCOUNT_PACERS.set(account, pacer);
	for (const oldest of ACCOUNT_PACERS.keys()) {
		if (ACCOUNT_PACERS.size <= MAX_ACCOUNTS) break;
		ACCOUNT_PACERS.delete(oldest);
	}
	return pacer;
}
