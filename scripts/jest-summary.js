// Reads one or more jest --json reports and prints "N passed, N failed" summed over them.
// Usage: node scripts/jest-summary.js report1.json [report2.json ...]
const fs = require('fs');

let passed = 0;
let failed = 0;
for (const file of process.argv.slice(2)) {
	if (!fs.existsSync(file)) {
		process.stderr.write(`missing report ${file}: counted as 1 failure\n`);
		failed += 1;
		continue;
	}
	const report = JSON.parse(fs.readFileSync(file, 'utf8'));
	passed += report.numPassedTests;
	failed += report.numFailedTests;
	// A suite that failed to load has no tests but is a failure all the same.
	failed += report.testResults.filter((suite) => suite.status === 'failed' && suite.assertionResults.length === 0).length;
}
process.stdout.write(`${passed} passed, ${failed} failed\n`);
