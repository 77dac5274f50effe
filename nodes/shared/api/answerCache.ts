import { createHash } from 'crypto';

import { CREDENTIAL_NAME, withoutTrailingSlashes, type KieContext } from '../transport';

/**
 * The per-process caches of KIE's catalogue answers (the live list, model schemas, prices): bounded by a
 * count of keys (and, where answers are weighed, a total weight), oldest dropped first; a fresh answer is
 * reused for its time to live, and concurrent callers share one pending request.
 */

/** How long a failed read is remembered (the callers fall back meanwhile). */
export const FAILURE_TTL_MS = 30 * 1000;

interface Remembered<T> {
	at: number;
	ttlMs: number;
	value?: T;
	pending?: Promise<T>;
	/** What the answer weighs against the cache's `maxWeight` (0 while pending). */
	weight: number;
}

/** A cache of answers: at most `limit` keys, and at most `maxWeight` in all when answers are weighed. */
export interface AnswerCache<T> {
	entries: Map<string, Remembered<T>>;
	limit: number;
	weightOf?: (value: T) => number;
	maxWeight?: number;
	weight: number;
}

export function newCache<T>(limit: number, weightOf?: (value: T) => number, maxWeight?: number): AnswerCache<T> {
	return { entries: new Map(), limit, weightOf, maxWeight, weight: 0 };
}

function forget<T>(cache: AnswerCache<T>, key: string): void {
	const entry = cache.entries.get(key);
	if (!entry) return;
	cache.weight -= entry.weight;
	cache.entries.delete(key);
}

/** Drops the oldest answers while the cache holds more than its limit of keys or weighs more than its limit. */
function trim<T>(cache: AnswerCache<T>): void {
	while (cache.entries.size > cache.limit || (cache.maxWeight !== undefined && cache.weight > cache.maxWeight && cache.entries.size > 1)) {
		forget(cache, cache.entries.keys().next().value as string);
	}
}

/**
 * `load()` (which never rejects) through `cache`: a fresh answer is reused for `ttlOf(answer)`, and
 * concurrent callers share one pending request. Bounded to the cache's limit of keys (and its weight).
 */
export async function remember<T>(cache: AnswerCache<T>, key: string, now: number, load: () => Promise<T>, ttlOf: (value: T) => number): Promise<T> {
	const hit = cache.entries.get(key);
	if (hit?.pending) return await hit.pending;
	if (hit && now - hit.at < hit.ttlMs) return hit.value as T;
	const pending = load().then((value) => {
		// Only while the key still waits for this answer (a clear, or eviction, dropped it otherwise).
		if (cache.entries.get(key)?.pending === pending) {
			forget(cache, key);
			const weight = cache.weightOf?.(value) ?? 0;
			cache.entries.set(key, { at: Date.now(), ttlMs: ttlOf(value), value, weight });
			cache.weight += weight;
			trim(cache);
		}
		return value;
	});
	forget(cache, key);
	cache.entries.set(key, { at: now, ttlMs: FAILURE_TTL_MS, pending, weight: 0 });
	trim(cache);
	return await pending;
}

/** The fresh answer `cache` holds for `key`, without loading anything; undefined when it has none. */
export function peek<T>(cache: AnswerCache<T>, key: string, now: number): T | undefined {
	const hit = cache.entries.get(key);
	return hit && !hit.pending && now - hit.at < hit.ttlMs ? hit.value : undefined;
}

export function clearCache<T>(cache: AnswerCache<T>): void {
	cache.entries.clear();
	cache.weight = 0;
}

const hashOf = (text: string): string => createHash('sha256').update(text).digest('hex').slice(0, 16);

/** A part of a cache key: as it is when short, its hash otherwise (a key stays small whatever was typed). */
export const keyPart = (text: string): string => (text.length <= 100 ? text : `#${hashOf(text)}`);

/**
 * The cache key of an answer for the node's credential: its base URL, a hash of its API key (never the key
 * itself) and `part`. Throws when no KIE credential is selected.
 */
export async function credentialCacheKey(ctx: KieContext, part: string): Promise<string> {
	const credentials = await ctx.getCredentials<{ apiKey?: string; baseUrl?: string }>(CREDENTIAL_NAME);
	const base = keyPart(withoutTrailingSlashes(String(credentials.baseUrl || 'https://api.kie.ai')));
	return `${base}|${hashOf(String(credentials.apiKey ?? ''))}|${part}`;
}
