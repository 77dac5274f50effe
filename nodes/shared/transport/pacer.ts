import { sleep } from 'n8n-workflow';

/**
 * Client-side pacing of requests to KIE (the "Batches" and "Pacing" issues). KIE's limits are per
 * account: about 20 new tasks per 10 s, 10 status reads per second and 1 catalogue request per second, and
 * it answers the excess with 429.
 *
 * One `AccountPacer` per account (Base URL and a digest of the API key) and Batching setting is shared by
 * every execution and every node of this package in one n8n process (`sharedPacer`): in one process the
 * limits hold exactly. Processes (queue-mode workers, webhook processors) cannot share memory, so each
 * lane also adapts: a 429 shrinks this process's budget at once to what got through in the window (70 %
 * when nothing did, then with a pause, honouring Retry-After), and the lane wins capacity back by probing
 * one request beyond its budget after a window without a 429. Several processes so converge on sharing
 * KIE's limit without talking to each other (see WindowLimiter).
 *
 * A `Pacer` is one execution's view of its account pacer: its own cap on the tasks it waits on at once,
 * and a stop for its creates once its batch failed.
 */

/**
 * `create`: new tasks; `poll`: status reads (and other reads); `catalogue`: KIE's model catalogue (1
 * request/second); `upload`: the File Upload API (no documented limit: adapts on 429 only).
 */
export type PacerLane = 'create' | 'poll' | 'catalogue' | 'upload';

/** Creates on the wire at once: a window's burst goes out in steps of this size (see WindowLimiter). */
const CREATES_IN_FLIGHT = 3;

/** Uploads: KIE documents no limit; start generous and adapt to 429s. */
const UPLOADS_PER_SECOND = 10;

/** KIE's catalogue endpoints (models, schema, price, success rate) share 1 request per second. */
const CATALOGUE_GAP_MS = 1_000;

export interface BatchingSettings {
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
 * After a 429, a lane that got nothing through in the window keeps this share of its budget; one that
 * did keeps what got through (its share of the account while another process uses the rest).
 */
const DECREASE = 0.7;

/**
 * At most `perWindow` requests in any `windowMs`, at least `spacingMs` apart, served in FIFO order.
 *
 * A request counts in the window from the moment it is sent until `windowMs` after its answer came back:
 * KIE timestamps it somewhere in between, so a limit counted this way is never exceeded at KIE whatever
 * the latency (at the cost of one latency per window). A request answered 429 does not count: KIE did not
 * take it.
 *
 * Adaptive, for several processes on one account (which cannot share memory): a 429 means another
 * process (or client) uses part of the limit. The lane then keeps what got through in the window as its
 * budget (`budget`), sends one request at a time until one is answered, and pauses only when nothing got
 * through. It wins capacity back by probing: when its budget is spent, it has work waiting, and a whole
 * window passed without a 429, it sends one request beyond the budget; if KIE takes it, the budget grows
 * by one (and it probes again), if not, the next probe waits two windows. A lane idle for two windows
 * starts again from `perWindow`. In a process alone on its account no 429 comes, so none of this happens.
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
	/** After a 429, one request at a time until one is answered. */
	private careful = false;
	/** How many requests this process allows itself per window now: at most `perWindow`. */
	private allowed: number;
	/** When the last 429 came (probes wait for a window without one). */
	private limitedAt = Number.NEGATIVE_INFINITY;
	/** Probes answered 429 in a row: after one, the next probe waits two windows without a 429. */
	private failedProbes = 0;
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
		/**
		 * At most this many requests on the wire at once: a burst goes out in small steps, so that when
		 * another process of the same account already used the window, the first 429 stops the rest.
		 */
		private readonly maxInFlight = Number.POSITIVE_INFINITY,
	) {
		this.now = clock.now ?? Date.now;
		this.random = clock.random ?? Math.random;
		this.allowed = perWindow;
	}

	/** The requests per window this process allows itself now (lower than `perWindow` after a 429). */
	get budget(): number {
		this.restIfIdle(this.now());
		return this.allowed;
	}

	/** Requests allowed on the wire at once: one after a 429, until one is answered. */
	private inFlightCap(): number {
		return this.careful ? 1 : this.maxInFlight;
	}

	/** How long without a 429 before the next probe: a window, two after a probe KIE refused. */
	private quietMs(): number {
		return this.windowMs * Math.min(2, 2 ** this.failedProbes);
	}

	/** A lane idle for two windows since its last 429 starts again from the full budget. */
	private restIfIdle(now: number): void {
		if (this.allowed < this.perWindow && this.pending === 0 && this.stamps.every((stamp) => stamp <= now - this.windowMs) && now - this.limitedAt >= 2 * this.windowMs) {
			this.allowed = this.perWindow;
		}
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
			this.restIfIdle(now);
			let waitMs = 0;
			if (this.pausedUntil > now) waitMs = this.pausedUntil - now;
			else if (this.lastStart + this.spacingMs > now) waitMs = this.lastStart + this.spacingMs - now;
			else if (this.stamps.length + this.pending >= this.allowed || this.pending >= this.inFlightCap()) {
				if (this.pending === 0 && this.allowed < this.perWindow && now - this.limitedAt >= this.quietMs()) {
					// The budget is spent and a whole window passed without a 429: probe beyond it.
					this.pending++;
					this.lastStart = now;
					return this.ticket(this.seq++, true);
				}
				if (this.stamps.length === 0 || this.pending >= this.inFlightCap()) {
					// Every slot of the window is on the wire: wait for an answer.
					await abortable(new Promise<void>((resolve) => (this.wake = resolve)), signal);
					continue;
				}
				waitMs = this.stamps[0] + this.windowMs - now;
				if (this.allowed < this.perWindow) waitMs = Math.min(waitMs, Math.max(1, this.limitedAt + this.quietMs() - now));
			}
			if (waitMs > 0) {
				await sleep(Math.max(1, Math.ceil(waitMs)), signal);
				continue;
			}
			this.pending++;
			this.lastStart = now;
			return this.ticket(this.seq++, false);
		}
	}

	private ticket(seq: number, probe: boolean): PacerTicket {
		let released = false;
		return {
			release: (outcome, retryAfterMs) => {
				if (released) return;
				released = true;
				this.pending--;
				if (outcome === 'rateLimited') {
					if (probe) {
						this.limitedAt = this.now();
						this.failedProbes++;
					} else this.backOff(seq, retryAfterMs);
				} else {
					this.stamps.push(this.now());
					if (outcome === 'answered') {
						this.careful = false;
						if (seq >= this.pauseSeq) this.strikes = 0;
						if (probe) {
							this.allowed = Math.min(this.perWindow, this.allowed + 1);
							this.failedProbes = 0;
						}
					}
				}
				const wake = this.wake;
				this.wake = undefined;
				wake?.();
			},
		};
	}

	/**
	 * After a 429: the budget shrinks to this process's share, and the lane pauses when it got nothing
	 * through. Only a request sent after the last pause began counts again: a burst of requests already on
	 * the wire when the first 429 came counts once.
	 */
	private backOff(seq: number, retryAfterMs?: number): void {
		const now = this.now();
		this.limitedAt = now;
		if (seq >= this.pauseSeq || this.strikes === 0) {
			this.strikes++;
			// What got through in this window is this process's share now; nothing got through: 70 %.
			while (this.stamps.length > 0 && this.stamps[0] <= now - this.windowMs) this.stamps.shift();
			const through = this.stamps.length;
			this.allowed = Math.max(1, through > 0 ? Math.min(through, this.allowed - 1) : Math.floor(this.allowed * DECREASE));
			this.careful = true;
			// With a share of the window, the window itself holds the lane back: no pause beyond KIE's ask.
			if (through > 0) {
				this.pauseSeq = this.seq;
				if (retryAfterMs !== undefined && now + retryAfterMs > this.pausedUntil) this.pausedUntil = now + retryAfterMs;
				return;
			}
		}
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

/** The lanes of one KIE account in this process: creates, status reads, catalogue requests, uploads. */
export class AccountPacer implements RequestPacer {
	readonly creates: WindowLimiter;
	readonly polls: WindowLimiter;
	readonly catalogue: WindowLimiter;
	readonly uploads: WindowLimiter;

	constructor(
		readonly settings: BatchingSettings = DEFAULT_BATCHING,
		clock: PacerClock = {},
	) {
		const pollSpacing = 1000 / settings.pollsPerSecond;
		// Creates are released in bursts at the window edges (what KIE's limit allows); a 429 pauses
		// them for a quarter window at first, up to two windows.
		this.creates = new WindowLimiter(settings.createsPerWindow, settings.windowMs, 0, settings.windowMs / 4, settings.windowMs * 2, clock, CREATES_IN_FLIGHT);
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
		this.uploads = new WindowLimiter(UPLOADS_PER_SECOND, 1000, 0, 1000, 10_000, clock);
	}

	async acquire(lane: PacerLane, signal?: AbortSignal): Promise<PacerTicket> {
		const limiter = lane === 'create' ? this.creates : lane === 'catalogue' ? this.catalogue : lane === 'upload' ? this.uploads : this.polls;
		return await limiter.acquire(signal);
	}
}

/**
 * One execution's pacer: the account's lanes (shared with every other execution of this process that
 * uses the same account and Batching setting, or its own when none is given), the execution's cap on the
 * tasks it waits on at once, and a stop for its creates.
 */
export class Pacer implements RequestPacer {
	readonly account: AccountPacer;
	readonly tasks: Semaphore;
	private readonly stopper = new AbortController();

	constructor(settings: BatchingSettings = DEFAULT_BATCHING, account?: AccountPacer, clock: PacerClock = {}) {
		this.account = account ?? new AccountPacer(settings, clock);
		this.tasks = new Semaphore(settings.concurrentTasks);
	}

	get creates(): WindowLimiter {
		return this.account.creates;
	}

	get polls(): WindowLimiter {
		return this.account.polls;
	}

	/** From now on this execution's creates, waiting or later, fail with PacerStoppedError; reads go on. */
	stopCreates(): void {
		if (!this.stopper.signal.aborted) this.stopper.abort(new PacerStoppedError());
	}

	async acquire(lane: PacerLane, signal?: AbortSignal): Promise<PacerTicket> {
		if (lane !== 'create') return await this.account.acquire(lane, signal);
		if (this.stopper.signal.aborted) throw new PacerStoppedError();
		const stopper = this.stopper.signal;
		// Stopped while waiting: the create fails as "not submitted"; cancelled: as the cancel says.
		return await this.account
			.acquire(lane, signal ? AbortSignal.any([signal, stopper]) : stopper)
			.catch(async (error: unknown) => await Promise.reject(stopper.aborted && !signal?.aborted ? new PacerStoppedError() : error));
	}
}

const ACCOUNT_PACERS = new Map<string, AccountPacer>();
const MAX_ACCOUNTS = 100;

/**
 * The pacer this process shares for one KIE account (its Base URL and a digest of its API key) and one
 * Batching setting (KIE's limits unless given): every execution and node of this package that uses the
 * account takes its requests' slots from it. At most 100 are kept; the least recently used goes first.
 */
export function sharedPacer(account: string, settings: BatchingSettings = DEFAULT_BATCHING): AccountPacer {
	const key = `${account}|${settings.createsPerWindow}/${settings.windowMs}|${settings.pollsPerSecond}`;
	let pacer = ACCOUNT_PACERS.get(key);
	if (pacer) ACCOUNT_PACERS.delete(key);
	else pacer = new AccountPacer(settings);
	ACCOUNT_PACERS.set(key, pacer);
	for (const oldest of ACCOUNT_PACERS.keys()) {
		if (ACCOUNT_PACERS.size <= MAX_ACCOUNTS) break;
		ACCOUNT_PACERS.delete(oldest);
	}
	return pacer;
}

/** Forgets every account pacer of this process (tests start each case as a fresh n8n process would). */
export function resetSharedPacers(): void {
	ACCOUNT_PACERS.clear();
}
