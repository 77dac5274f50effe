// Seeded generation times for the benchmarks, so that every run (and every mode of one run) sees the same.

/** A seeded generator (mulberry32). */
function random(seed) {
	let state = seed >>> 0;
	return () => {
		state = (state + 0x6d2b79f5) >>> 0;
		let t = state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

/** `count` log-normal times in seconds around `median` (spread `sigma`), clipped to `min`–`max`. */
function logNormalSeconds(count, seed, { median, sigma, min, max }) {
	const next = random(seed);
	return Array.from({ length: count }, () => {
		const normal = Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next());
		return Math.min(max, Math.max(min, median * Math.exp(sigma * normal)));
	});
}

module.exports = { random, logNormalSeconds };
