#!/usr/bin/env node
// `npm start`: build the package, start the KIE simulator (or use the real KIE when KIE_API_KEY is
// set), provision a local n8n (2.40.7, or 1.123.81 with N8N_VERSION=1.123.81) with the package installed
// as a community package, the KIE credential and the example workflows, and run it at
// http://localhost:5678. Ctrl-C stops everything this script started.
// The demo folder's owner password and n8n encryption key are random, made on its first start and kept in
// <demo folder>/demo-secrets.json (mode 0600, the folder 0700); the import files are deleted once imported.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
const local = require('./lib/local-n8n.js');
const migration = require('./lib/migration-report.js');
const { startSimulator } = require('../simulator');

const ROOT = local.ROOT;
const DEFAULT_PORT = Number(process.env.N8N_PORT ?? 5678);
const DEFAULT_SIM_PORT = Number(process.env.KIE_SIM_PORT ?? 8787);
const DEFAULT_BROKER_PORT = Number(process.env.N8N_RUNNERS_BROKER_PORT ?? 5679);
// One user folder per n8n version: a database n8n 2.x has migrated cannot be opened by 1.123.
const USER_FOLDER = local.demoFolder();
const OWNER = {
	email: process.env.N8N_OWNER_EMAIL ?? 'demo@kie.local',
	// The demo folder's random password unless N8N_OWNER_PASSWORD is set (see main()).
	password: process.env.N8N_OWNER_PASSWORD || undefined,
	firstName: 'KIE',
	lastName: 'Demo',
};
const SIM_KEY = 'sim-key';
// The simulator signs its callbacks with this key, and the demo credential verifies them.
const SIM_HMAC_KEY = 'sim-webhook-hmac-key';

const stoppers = [];
let stopping = false;
async function stopAll(code = 0) {
	if (stopping) return;
	stopping = true;
	local.log('stopping…');
	for (const stop of stoppers.reverse()) {
		try {
			await stop();
		} catch (error) {
			process.stderr.write(`${error.message}\n`);
		}
	}
	process.exit(code);
}
process.on('SIGINT', () => void stopAll(0));
process.on('SIGTERM', () => void stopAll(0));

function runNpm(args) {
	return new Promise((resolve, reject) => {
		const child = spawn('npm', args, { cwd: ROOT, stdio: 'inherit' });
		child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`npm ${args.join(' ')} failed (${code})`))));
	});
}

async function main() {
	// Ports first: a port another program holds is named, with how to choose another.
	const PORT = await local.choosePort('n8n', DEFAULT_PORT, 'N8N_PORT');
	const BROKER_PORT = await local.choosePort("n8n's task runner broker", DEFAULT_BROKER_PORT, 'N8N_RUNNERS_BROKER_PORT');
	const SIM_PORT = process.env.KIE_API_KEY ? DEFAULT_SIM_PORT : await local.choosePort('the KIE simulator', DEFAULT_SIM_PORT, 'KIE_SIM_PORT');

	local.log('step 1/6: building the package');
	await runNpm(['run', '--silent', 'build']);

	local.log(`step 2/6: making sure n8n ${local.N8N_VERSION} is installed`);
	await local.ensureN8n();

	const realKey = process.env.KIE_API_KEY;
	let credential;
	if (realKey) {
		local.log('step 3/6: KIE_API_KEY is set: the credential points at the real KIE API (tasks are billed)');
		credential = { id: 'kieDemoCredential', name: 'KIE API', type: 'kieApi', data: { apiKey: realKey, baseUrl: 'https://api.kie.ai', uploadBaseUrl: 'https://kieai.redpandaai.co', webhookHmacKey: process.env.KIE_WEBHOOK_HMAC_KEY ?? '' } };
	} else {
		const sim = await startSimulator({ port: SIM_PORT, apiKey: SIM_KEY, hmacKey: SIM_HMAC_KEY, genMs: 3000, realKie: true, notIndexedMs: 1500 });
		stoppers.push(() => sim.close());
		local.log(`step 3/6: KIE simulator running at ${sim.url} (set KIE_API_KEY to use the real KIE instead)`);
		credential = { id: 'kieDemoCredential', name: 'KIE API (simulator)', type: 'kieApi', data: { apiKey: SIM_KEY, baseUrl: sim.url, uploadBaseUrl: sim.url, webhookHmacKey: SIM_HMAC_KEY } };
	}

	local.log(`step 4/6: importing the credential and the example workflows into ${path.relative(ROOT, USER_FOLDER)}/`);
	// The demo folder is its owner's only (0700): it holds n8n's database, its key and ours.
	local.makePrivateDir(USER_FOLDER);
	const secrets = local.demoSecrets(USER_FOLDER);
	const secretsFile = path.relative(ROOT, secrets.file);
	if (secrets.created) local.log(`  the owner password and n8n's encryption key of this demo folder are in ${secretsFile} (mode 0600)`);
	if (secrets.fixedKey && !process.env.N8N_ENCRYPTION_KEY) {
		local.log(`  note: this demo folder was made by an older npm start, with a fixed encryption key that is public in this repository; it keeps it (its credentials are encrypted with it). Delete ${path.relative(ROOT, USER_FOLDER)}/ to start over with a random one.`);
	}
	OWNER.password ??= secrets.ownerPassword;
	// Installed the way n8n installs a community package (the packed tarball in the user folder's
	// .n8n/nodes/), so the node types are the published ones and a workflow built here opens in any install.
	local.installCommunityPackage(USER_FOLDER);
	fs.rmSync(path.join(ROOT, '.n8n-local', 'extensions'), { recursive: true, force: true });
	const env = local.n8nEnv({
		userFolder: USER_FOLDER,
		port: PORT,
		brokerPort: BROKER_PORT,
		encryptionKey: process.env.N8N_ENCRYPTION_KEY || secrets.encryptionKey,
	});
	const imported = await local.provision({
		userFolder: USER_FOLDER,
		env,
		credential,
		simulatorUrl: realKey ? undefined : `http://127.0.0.1:${SIM_PORT}`,
		n8nUrl: `http://localhost:${PORT}`,
	});
	for (const workflow of imported) local.log(`  imported "${workflow.name}" (${workflow.file})`);

	local.log(`step 5/6: starting n8n on http://localhost:${PORT}`);
	const server = await local.startN8nServer(env, { logFile: path.join(USER_FOLDER, 'n8n.log') });
	stoppers.push(() => server.stop());
	server.child.on('exit', (code) => {
		if (!stopping) {
			process.stderr.write(`n8n exited (${code}); see ${path.join(USER_FOLDER, 'n8n.log')}\n`);
			void stopAll(1);
		}
	});

	local.log('step 6/6: setting up the owner account');
	const rest = new local.N8nRest(`http://127.0.0.1:${PORT}`);
	// A folder made by an older npm start has the old fixed password (or the folder's own, when
	// N8N_OWNER_PASSWORD now names another): it is changed to OWNER.password.
	const { passwordChanged } = await rest.ensureOwner(OWNER, { formerPasswords: [secrets.ownerPassword, local.LEGACY_OWNER_PASSWORD] }).catch((error) => {
		throw Object.assign(new Error(`${error.message}\n[n8n-local] Set N8N_OWNER_PASSWORD to the owner's password of ${path.relative(ROOT, USER_FOLDER)}/, or delete that folder to start over.`), { explained: true });
	});
	if (passwordChanged) local.log(`  the owner's password was changed to ${process.env.N8N_OWNER_PASSWORD ? 'N8N_OWNER_PASSWORD' : `the one in ${secretsFile}`}`);
	// The recovery example reads waiting executions through n8n's own API.
	await local.connectN8nApi(rest, `http://localhost:${PORT}`);
	const { nodes } = await rest.loadedTypes();
	const ours = nodes.filter((type) => type.name.startsWith(`${local.PACKAGE_NAME}.`)).map((type) => type.displayName);
	// n8n's own Migration Report (Settings → Migration Report) on the examples, as `npm run migration-report` reads it.
	const report = await migration.readMigrationReport(rest, { n8nMajor: local.N8N_MAJOR }).catch((error) => ({ error }));
	const reportLines = report.error
		? [`n8n Migration Report: could not be read (${report.error.message.split('\n')[0]})`]
		: migration.describeReport(report, { ownWorkflowIds: new Set(imported.map((workflow) => workflow.id)) });

	process.stdout.write(`
  n8n is running at  http://localhost:${PORT}  (n8n ${local.N8N_VERSION}${local.N8N3_DEFAULTS ? ', with n8n 3\'s defaults' : ''})
  log in with        ${OWNER.email}  /  ${OWNER.password}${process.env.N8N_OWNER_PASSWORD ? '' : `  (kept in ${secretsFile})`}
  KIE nodes loaded   ${[...new Set(ours)].join(', ')}
  KIE backend        ${realKey ? 'the real KIE API (KIE_API_KEY)' : `the simulator at http://127.0.0.1:${SIM_PORT}`}
  example workflows  ${imported.map((workflow) => workflow.name).join(' · ')}
${reportLines.map((line) => `  ${line}`).join('\n')}

  Press Ctrl-C to stop n8n${realKey ? '' : ' and the simulator'}.
`);
}

main().catch(async (error) => {
	// Our own explanations need no stack trace.
	process.stderr.write(`${error.explained || /port \d+ .* is already in use/.test(error.message) ? `[n8n-local] ${error.message}` : (error.stack ?? error)}\n`);
	await stopAll(1);
});
