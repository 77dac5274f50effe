/** Cases per target: FUZZ_RUNS, default 2,000. */
export const RUNS: number;
/** FUZZ_SEED, or a fresh seed (printed with every figure). */
export const SEED: number;
export const SUMMARY_FILE: string;
/** Milliseconds from a monotonic clock, with sub-millisecond precision. */
export function clockMs(): number;
/** One target's figures: the cases tried, whether one failed (with its counterexample), the slowest case. */
export interface FuzzFigures {
	target: string;
	cases: number;
	failures: number;
	slowestMs: number;
	slowestCase: string;
	seed: number;
	counterexample?: string;
}
export function recordFigures(figures: FuzzFigures): void;
