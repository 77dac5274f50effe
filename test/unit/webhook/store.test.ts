import { BoundedMap, RateLimiter } from '../../../nodes/shared/webhook/store';

describe('BoundedMap', () => {
	it('keeps at most maxEntries, dropping the least recently used first', () => {
		const map = new BoundedMap<string, number>(3);
		map.set('a', 1);
		map.set('b', 2);
		map.set('c', 3);
		expect(map.get('a')).toBe(1); // a is used again: b is now the oldest
		map.set('d', 4);
		expect(map.size).toBe(3);
		expect(map.has('b')).toBe(false);
		expect(['a', 'c', 'd'].map((key) => map.get(key))).toEqual([1, 3, 4]);
	});

	it('forgets an entry when its time is up', () => {
		let now = 1000;
		const map = new BoundedMap<string, string>(10, 500, () => now);
		map.set('short', 'x', 100);
		map.set('default', 'y');
		now = 1200;
		expect(map.get('short')).toBeUndefined();
		expect(map.get('default')).toBe('y');
		now = 1600;
		expect(map.has('default')).toBe(false);
		expect(map.size).toBe(0);
	});
});

describe('RateLimiter', () => {
	it('lets a burst through, then the refill rate, per key', () => {
		let now = 0;
		const limiter = new RateLimiter(2, 10, 100, () => now);
		expect(Array.from({ length: 12 }, () => limiter.take('a')).filter(Boolean)).toHaveLength(10);
		expect(limiter.take('b')).toBe(true); // another key has its own bucket
		now = 1000;
		expect(Array.from({ length: 5 }, () => limiter.take('a')).filter(Boolean)).toHaveLength(2);
		now = 100_000;
		expect(Array.from({ length: 20 }, () => limiter.take('a')).filter(Boolean)).toHaveLength(10); // never above the burst
		expect(limiter.take('a', 3)).toBe(false);
	});

	it('keeps at most maxKeys buckets', () => {
		const limiter = new RateLimiter(1, 1, 3, () => 0);
		for (const key of ['a', 'b', 'c', 'd']) expect(limiter.take(key)).toBe(true);
		expect(limiter.take('d')).toBe(false);
		expect(limiter.take('a')).toBe(true); // its bucket was dropped for room: it starts full again
	});
});
