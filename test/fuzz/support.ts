import fc from 'fast-check';

import { clockMs, recordFigures, RUNS, SEED, type FuzzFigures } from './budget';

/**
 * The fuzz suite's runner (`npm run fuzz`): each target is a fast-check property run FUZZ_RUNS times
 * (default 2,000; CI uses the default), from FUZZ_SEED when set (to replay a failure) or a fresh seed,
 * which is printed. For every target it records the cases tried, whether one failed (with the shrunk
 * counterexample) and the slowest case; the summary is printed when the suite ends, and appended to
 * .tmp/fuzz-summary.jsonl for scripts/fuzz-summary.js.
 */

export { clockMs, RUNS, SEED };


function show(value: unknown, max = 160): string {
	let text: string;
	try {
		text = fc.stringify(value);
	} catch {
		text = String(value);
	}
	return text.length > max ? `${text.slice(0, max)}… (${text.length} chars)` : text;
}

/**
 * Runs `predicate` (throws or returns false on a failure; may be async) on RUNS generated cases of
 * `arbitrary`, times each case, and returns the figures; the jest test then asserts `failures === 0`.
 */
export async function fuzz<T>(
	target: string,
	arbitrary: fc.Arbitrary<T>,
	predicate: (value: T) => boolean | void | Promise<boolean | void>,
	options: { runs?: number } = {},
): Promise<FuzzFigures> {
	const runs = options.runs ?? RUNS;
	let cases = 0;
	let slowestMs = 0;
	let slowestCase = '';
	const timed = async (value: T) => {
		cases++;
		const started = clockMs();
		try {
			return await predicate(value);
		} finally {
			const ms = clockMs() - started;
			if (ms > slowestMs) {
				slowestMs = ms;
				slowestCase = show(value);
			}
		}
	};
	const details = await fc.check(fc.asyncProperty(arbitrary, timed), { numRuns: runs, seed: SEED, endOnFailure: false });
	const figures: FuzzFigures = {
		target,
		cases,
		failures: details.failed ? 1 : 0,
		slowestMs: Math.round(slowestMs * 100) / 100,
		slowestCase,
		seed: SEED,
		...(details.failed
			? { counterexample: `${show(details.counterexample, 400)}${details.errorInstance ? ` → ${String((details.errorInstance as Error).message ?? details.errorInstance).slice(0, 400)}` : ''}` }
			: {}),
	};
	recordFigures(figures);
	return figures;
}
