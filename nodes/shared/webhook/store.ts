/**
 * A bounded store in process memory: at most `maxEntries` entries, each for at most `ttlMs`; the least
 * recently used entry goes first. The webhooks keep their replay record, delivery record and batch
 * state in stores like this one, so none of them grows without limit.
 */
export class BoundedMap<K, V> {
	private readonly entries = new Map<K, { value: V; expires: number }>();

	constructor(
		readonly maxEntries: number,
		readonly ttlMs = Number.POSITIVE_INFINITY,
		private readonly now: () => number = Date.now,
	) {}

	get size(): number {
		return this.entries.size;
	}

	get(key: K): V | undefined {
		const entry = this.entries.get(key);
		if (!entry) return undefined;
		if (entry.expires <= this.now()) {
			this.entries.delete(key);
			return undefined;
		}
		// Used again: it moves to the end of the eviction order.
		this.entries.delete(key);
		this.entries.set(key, entry);
		return entry.value;
	}

	has(key: K): boolean {
		return this.get(key) !== undefined;
	}

	set(key: K, value: V, ttlMs = this.ttlMs): void {
		this.entries.delete(key);
		this.entries.set(key, { value, expires: this.now() + ttlMs });
		for (const oldest of this.entries.keys()) {
			if (this.entries.size <= this.maxEntries) break;
			this.entries.delete(oldest);
		}
	}

	delete(key: K): void {
		this.entries.delete(key);
	}

	clear(): void {
		this.entries.clear();
	}
}

/**
 * Token buckets, one per key (for example one KIE Trigger): `take` spends tokens that come back at
 * `perSecond`, up to `burst`. The buckets live in a BoundedMap, so their number is bounded too (a bucket
 * dropped for room starts full again, which only happens beyond `maxKeys` busy keys).
 */
export class RateLimiter {
	private readonly buckets: BoundedMap<string, { tokens: number; at: number }>;

	constructor(
		readonly perSecond: number,
		readonly burst: number,
		maxKeys = 1000,
		private readonly now: () => number = Date.now,
	) {
		this.buckets = new BoundedMap(maxKeys, Number.POSITIVE_INFINITY, now);
	}

	/** Spends `count` tokens of `key`'s bucket: false (and nothing spent) when it has fewer. */
	take(key: string, count = 1): boolean {
		const nowMs = this.now();
		const bucket = this.buckets.get(key) ?? { tokens: this.burst, at: nowMs };
		const tokens = Math.min(this.burst, bucket.tokens + (Math.max(0, nowMs - bucket.at) / 1000) * this.perSecond);
		const enough = tokens >= count;
		this.buckets.set(key, { tokens: enough ? tokens - count : tokens, at: nowMs });
		return enough;
	}
}
