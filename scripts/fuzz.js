// `npm run fuzz`: runs the fuzz suite (jest -c jest.fuzz.config.js, extra arguments passed on), then prints
// one line per target: the cases tried, the failures and the slowest case. FUZZ_RUNS sets the cases per
// target (default 2,000), FUZZ_SEED replays a run.
const { spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const ROOT = path.resolve(__dirname, '..');
const SUMMARY = path.join(ROOT, '.tmp', 'fuzz-summary.jsonl');

fs.rmSync(SUMMARY, { force: true });
const jest = spawnSync(process.execPath, [require.resolve('jest/bin/jest'), '-c', 'jest.fuzz.config.js', ...process.argv.slice(2)], {
	cwd: ROOT,
	stdio: 'inherit',
});
const rows = fs.existsSync(SUMMARY)
	? fs.readFileSync(SUMMARY, 'utf8').trim().split('\n').filter(Boolean).map((line) => JSON.parse(line))
	: [];
const total = rows.reduce((sum, row) => sum + row.cases, 0);
const failures = rows.reduce((sum, row) => sum + row.failures, 0);
const slowest = rows.reduce((worst, row) => (row.slowestMs > (worst?.slowestMs ?? -1) ? row : worst), undefined);
process.stdout.write('\nFuzz summary\n');
for (const row of rows) {
	process.stdout.write(`  ${row.target.padEnd(58)} ${String(row.cases).padStart(7)} cases  ${row.failures} failed  slowest ${row.slowestMs} ms\n`);
}
process.stdout.write(
	`  ${rows.length} targets, ${total} cases, ${failures} failures, seed ${rows[0]?.seed ?? '-'}` +
		`${slowest ? `; slowest case ${slowest.slowestMs} ms (${slowest.target}): ${slowest.slowestCase}` : ''}\n`,
);
process.exit(jest.status ?? 1);
