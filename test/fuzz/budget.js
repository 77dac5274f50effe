'use strict';
// The fuzz suite's budget and figures, in plain JS (the lint keeps process and the file system out of
// TypeScript tests): FUZZ_RUNS cases per target (default 2,000), FUZZ_SEED to replay a run, a clock, and
// the summary file scripts/fuzz.js prints.
const fs = require('fs');
const path = require('path');

const RUNS = Math.max(1, Number(process.env.FUZZ_RUNS) || 2000);
const SEED = process.env.FUZZ_SEED !== undefined ? Number(process.env.FUZZ_SEED) : Date.now() % 2 ** 31;
const SUMMARY_FILE = path.join(__dirname, '..', '..', '.tmp', 'fuzz-summary.jsonl');

/** Milliseconds from a monotonic clock, with sub-millisecond precision. */
function clockMs() {
	return Number(process.hrtime.bigint()) / 1e6;
}

/** Appends one target's figures to the summary file and prints them. */
function recordFigures(figures) {
	fs.mkdirSync(path.dirname(SUMMARY_FILE), { recursive: true });
	fs.appendFileSync(SUMMARY_FILE, `${JSON.stringify(figures)}\n`);
	process.stdout.write(
		`[fuzz] ${figures.target}: ${figures.cases} cases, ${figures.failures} failed, slowest ${figures.slowestMs} ms` +
			`${figures.counterexample ? `\n[fuzz]   counterexample (seed ${figures.seed}): ${figures.counterexample}` : ''}\n`,
	);
}

module.exports = { RUNS, SEED, SUMMARY_FILE, clockMs, recordFigures };
