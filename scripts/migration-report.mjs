#!/usr/bin/env node
// `npm run migration-report`: n8n's own Migration Report (Settings → Migration Report) of the running `npm start`
// demo, for the next major version (v3 on n8n 2.x): one line per issue. Exits 1 when an example workflow has an
// issue, or an instance issue is not one known to be about the host or n8n itself (scripts/lib/migration-report.js).
// Logs in as the demo's owner (N8N_OWNER_EMAIL / N8N_OWNER_PASSWORD, else the demo folder's password) at N8N_PORT.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const local = require('./lib/local-n8n.js');
const migration = require('./lib/migration-report.js');

const port = Number(process.env.N8N_PORT ?? 5678);
const email = process.env.N8N_OWNER_EMAIL ?? 'demo@kie.local';
const password = process.env.N8N_OWNER_PASSWORD || local.readDemoSecrets(local.demoFolder())?.ownerPassword;

async function main() {
	if (!password) throw new Error(`no demo in ${local.demoFolder()}: run \`npm start\` first (or set N8N_OWNER_PASSWORD)`);
	const rest = new local.N8nRest(`http://127.0.0.1:${port}`);
	await rest.request('POST', '/rest/login', { emailOrLdapLoginId: email, password }).catch((error) => {
		throw new Error(`could not log in to the n8n at http://127.0.0.1:${port} (is \`npm start\` running?): ${error.message}`);
	});
	const examples = new Set(local.readExamples().map(({ workflow }) => workflow.id));
	const report = await migration.readMigrationReport(rest, { n8nMajor: local.N8N_MAJOR });
	for (const line of migration.describeReport(report, { ownWorkflowIds: examples })) process.stdout.write(`${line}\n`);
	const own = report.workflowIssues.filter((issue) => examples.has(issue.workflowId));
	const notHost = report.instanceIssues.filter((issue) => !migration.INSTANCE_RULES[issue.ruleId]);
	process.exitCode = own.length || notHost.length ? 1 : 0;
}

main().catch((error) => {
	process.stderr.write(`[migration-report] ${error.message}\n`);
	process.exitCode = 1;
});
