// End-to-end environment: a KIE simulator and a real n8n (2.40.7, or 1.123.81 with N8N_VERSION, from the
// project's cache) on free loopback ports, with a fresh user folder, the packed tarball installed as n8n
// installs a community package, and the example workflows imported. Plain JS so it may use child processes and the file system.
const fs = require('fs');
const os = require('os');
const path = require('path');

const local = require('../../scripts/lib/local-n8n');
const { startSimulator } = require('../../simulator');
const migration = require('../../scripts/lib/migration-report');

const SIM_KEY = 'sim-key';

const HMAC_KEY = 'e2e-webhook-hmac-key';

/** The simulator's real-KIE behaviours, on for every end-to-end scenario (a scenario's `simulator` options win). */
const REAL_KIE_SIM = { realKie: true, notIndexedMs: 1200 };

/** The owner account of the end-to-end n8n (a throwaway login of a local test instance). */
const E2E_OWNER = { email: 'e2e@kie.local', password: 'KieE2e-2026', firstName: 'E2E', lastName: 'Test' };

/**
 * With KIE_E2E_SSRF=1 the suite runs with n8n's SSRF protection on (n8n 2.x: it resolves every name and
 * refuses private addresses), the simulator's address allowed by n8n's own setting: every request the
 * nodes make must go through n8n's helpers, or it would bypass the protection.
 */
const SSRF_PROTECTION = process.env.KIE_E2E_SSRF === '1' || local.N8N3_DEFAULTS;
const SSRF_ENV = { N8N_SSRF_PROTECTION_ENABLED: 'true', N8N_SSRF_ALLOWED_IP_RANGES: '127.0.0.1/32' };
const PUBLIC_NAME_ON_LOOPBACK = 'files.kie-e2e.example';

/**
 * `extraWorkflows`: workflows imported besides the examples, e.g. an example with other data
 * ({ file, workflow }; `file` only names it). `withExamples: false` imports only those.
 */
async function startE2E({ simulator = {}, extraWorkflows = [], extraCredentials = () => [], withExamples = true } = {}) {
	await local.ensureN8n();
	// The simulator answers as real KIE does (simulator/README.md "Real KIE"), including the 422 "recordInfo is
	// null" a Market task gets for its first 1.2 s (REAL_KIE_SIM); a scenario may override either.
	const sim = await startSimulator({ port: 0, apiKey: SIM_KEY, genMs: 400, hmacKey: HMAC_KEY, ...REAL_KIE_SIM, ...simulator });
	const userFolder = fs.mkdtempSync(path.join(os.tmpdir(), 'kie-e2e-'));
	const port = await local.freePort();
	const brokerPort = await local.freePort();
	// What npm would publish, installed where n8n's community-package installer puts it.
	const tarball = local.packPackage(path.join(userFolder, 'pack'));
	const installedAt = local.installCommunityPackage(userFolder, { tarball });
	const env = local.n8nEnv({ userFolder, port, brokerPort, webhookUrl: `http://127.0.0.1:${port}/` });
	// KIE's public host name resolves to the simulator inside this n8n (see test/support/kie-dns.js), so a
	// credential can name KIE's public API and still reach the simulator.
	env.NODE_OPTIONS = `${process.env.NODE_OPTIONS ?? ''} --require ${path.join(__dirname, '..', 'support', 'kie-dns.js')}`.trim();
	// `files.kie-e2e.example` is a public-looking name on another loopback address (127.0.0.2): a name the
	// package cannot tell from a public one, which only n8n's SSRF protection (it resolves names) stops.
	env.KIE_TEST_DNS = `api.kie.ai=127.0.0.1,${PUBLIC_NAME_ON_LOOPBACK}=127.0.0.2`;
	if (SSRF_PROTECTION) Object.assign(env, SSRF_ENV);
	const credential = {
		id: 'kieE2ECredential',
		name: 'KIE API (simulator)',
		type: 'kieApi',
		data: { apiKey: SIM_KEY, baseUrl: sim.url, uploadBaseUrl: sim.url, webhookHmacKey: HMAC_KEY },
	};
	const imported = await local.provision({
		userFolder,
		env,
		credential,
		extraCredentials: extraCredentials(sim.url),
		simulatorUrl: sim.url,
		n8nUrl: `http://127.0.0.1:${port}`,
		examples: [...(withExamples ? local.readExamples() : []), ...extraWorkflows],
	});
	let server;
	const rest = new local.N8nRest(`http://127.0.0.1:${port}`);

	return {
		sim,
		/** n8n's SSRF protection is on (KIE_E2E_SSRF=1), with 127.0.0.1 (the simulator) allowed. */
		ssrf: SSRF_PROTECTION,
		env,
		/** The n8n line under test (N8N_VERSION): 2 by default, 1 for 1.123. */
		n8nMajor: local.N8N_MAJOR,
		userFolder,
		/** The packed tarball and the folder it was installed in (`<userFolder>/.n8n/nodes/node_modules/<name>`). */
		tarball,
		installedAt,
		port,
		baseUrl: `http://127.0.0.1:${port}`,
		imported,
		rest,
		workflowId(file) {
			const found = imported.find((entry) => entry.file === file);
			if (!found) throw new Error(`example ${file} was not imported`);
			return found.id;
		},
		/** `n8n execute --id` in its own process (no server needed); returns the run data by node name. */
		async execute(id) {
			const { stdout } = await local.n8nCli(['execute', `--id=${id}`, '--rawOutput'], {
				...env,
				// In-memory binary data puts the files in the printed output. n8n 3 removes that mode: under its
				// defaults the files stay in N8N_STORAGE_PATH and are read from there (readStoredBinaries).
				...(local.N8N3_DEFAULTS ? {} : { N8N_DEFAULT_BINARY_DATA_MODE: 'default' }),
				N8N_RUNNERS_BROKER_PORT: String(await local.freePort()),
			});
			const start = stdout.indexOf('{');
			if (start === -1) throw new Error(`n8n execute printed no JSON:\n${stdout.slice(-3000)}`);
			const output = JSON.parse(stdout.slice(start));
			if (local.N8N3_DEFAULTS) readStoredBinaries(output, env.N8N_STORAGE_PATH);
			return output;
		},
		async startServer() {
			server = await local.startN8nServer(env, { logFile: path.join(userFolder, 'n8n.log') });
			await rest.ensureOwner(E2E_OWNER);
			await local.connectN8nApi(rest, `http://127.0.0.1:${port}`);
			return server;
		},
		serverLogs() {
			return server ? server.logs() : '';
		},
		async waitForPublished(id, timeoutMs = 60000) {
			const started = Date.now();
			for (;;) {
				if (local.N8N_MAJOR < 2) {
					// n8n 1.x activates synchronously and has no publication status.
					const workflow = await rest.request('GET', `/rest/workflows/${id}`).catch(() => undefined);
					if (workflow?.active) return { status: 'published', triggers: [] };
					if (Date.now() - started > timeoutMs) throw new Error(`workflow ${id} was not active`);
					await new Promise((resolve) => setTimeout(resolve, 500));
					continue;
				}
				const status = await rest.request('GET', `/rest/workflows/${id}/publication-status`).catch(() => undefined);
				const text = JSON.stringify(status ?? '');
				const triggers = status?.triggers ?? [];
				if (status?.status === 'published' && triggers.every((trigger) => trigger.status === 'activated')) return status;
				if (Date.now() - started > timeoutMs) throw new Error(`workflow ${id} was not published: ${text}`);
				await new Promise((resolve) => setTimeout(resolve, 500));
			}
		},
		loadedTypes: () => rest.loadedTypes(),
		/** n8n's own Migration Report for the next major version (needs the server). */
		migrationReport: () => migration.readMigrationReport(rest, { n8nMajor: local.N8N_MAJOR }),
		/** Runs a workflow inside the server (needed for waits and resumes) and returns its execution id. */
		runInServer: (id, triggerName) => rest.runWorkflow(id, triggerName),
		listExecutions: (workflowId) => rest.listExecutions(workflowId),
		/** Polls an execution until its status is one of `statuses`. */
		waitForExecution: (id, statuses, timeoutMs = 60000) => rest.waitForExecution(id, statuses, timeoutMs),
		getExecution: (id) => rest.getExecution(id),
		async stop() {
			if (server) await server.stop();
			await sim.close();
			fs.rmSync(userFolder, { recursive: true, force: true });
		},
	};
}

/**
 * Fills in `data` (base64) of every binary in an execution's output from n8n's file-system store, as the
 * in-memory mode would have printed it; a binary that is neither inline nor a file in `storagePath` fails.
 */
function readStoredBinaries(output, storagePath) {
	for (const runs of Object.values(output.data?.resultData?.runData ?? {})) {
		for (const run of runs) {
			for (const items of run.data?.main ?? []) {
				for (const item of items ?? []) {
					for (const binary of Object.values(item.binary ?? {})) {
						if (!binary.id) continue;
						const [mode, relative] = [binary.id.slice(0, binary.id.indexOf(':')), binary.id.slice(binary.id.indexOf(':') + 1)];
						if (!mode.startsWith('filesystem')) throw new Error(`binary ${binary.fileName} is stored in mode ${mode}, not on the file system`);
						const file = path.resolve(storagePath, relative);
						if (!file.startsWith(path.resolve(storagePath) + path.sep)) throw new Error(`binary ${binary.fileName} points outside ${storagePath}`);
						binary.data = fs.readFileSync(file).toString('base64');
						binary.storedAt = file;
					}
				}
			}
		}
	}
}

/** Submits an n8n form like a browser: POST the fields, then follow formWaitingUrl to the result page. */
async function submitForm(baseUrl, formPath, values, { timeoutMs = 120000 } = {}) {
	const body = new FormData();
	// A value { bytes, fileName, mimeType } is sent as a file, as a browser does for a file field.
	values.forEach((value, index) => {
		if (value && typeof value === 'object' && value.bytes) body.append(`field-${index}`, new Blob([value.bytes], { type: value.mimeType }), value.fileName);
		else body.append(`field-${index}`, value);
	});
	const res = await fetch(`${baseUrl}/form/${formPath}`, { method: 'POST', body });
	const text = await res.text();
	if (!res.ok) throw new Error(`form POST → HTTP ${res.status}: ${text.slice(0, 500)}`);
	const { formWaitingUrl } = JSON.parse(text);
	const waiting = new URL(formWaitingUrl);
	const executionId = waiting.pathname.split('/').filter(Boolean).pop();
	const statusUrl = new URL(waiting.toString());
	statusUrl.pathname = `${waiting.pathname.replace(/\/$/, '')}/n8n-execution-status`;
	const started = Date.now();
	let status = '';
	while (Date.now() - started < timeoutMs) {
		status = await (await fetch(statusUrl)).text();
		if (['success', 'error', 'crashed', 'canceled', 'form-waiting'].includes(status)) break;
		await new Promise((resolve) => setTimeout(resolve, 300));
	}
	const page = await (await fetch(waiting)).text();
	return { executionId, status, page, formWaitingUrl };
}

/** Prints a measured figure on its own line of the suite's output (not through jest's console capture). */
function report(line) {
	process.stdout.write(`[e2e] ${line}\n`);
}

/** The n8n version under test (N8N_VERSION, 2.40.7 by default; 2.41.1 under the n8n 3 defaults). */
const N8N_VERSION = local.N8N_VERSION;
const N8N3_DEFAULTS = local.N8N3_DEFAULTS;
const PROFILE = N8N3_DEFAULTS ? `n8n 3 defaults (n8n ${N8N_VERSION})` : `n8n ${N8N_VERSION}`;

module.exports = { latestAgentVersion: local.latestAgentVersion, INSTANCE_RULES: migration.INSTANCE_RULES, N8N3_DEFAULT_RULES: migration.N8N3_DEFAULT_RULES, describeReport: migration.describeReport, startE2E, submitForm, report, SIM_KEY, HMAC_KEY, REAL_KIE_SIM, E2E_OWNER, N8N_VERSION, N8N3_DEFAULTS, PROFILE, PUBLIC_NAME_ON_LOOPBACK, SSRF_PROTECTION };
