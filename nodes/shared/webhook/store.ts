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
}
