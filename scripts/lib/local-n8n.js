// Runs a real n8n (2.40.7, or 1.123.81 with N8N_VERSION) from the cache folder with this package
// installed as a community package, for `npm start`, the end-to-end suites and the screenshot script. CommonJS so that both .mjs scripts and jest use it.
const { spawn, spawnSync } = require('child_process');
const crypto = require('crypto');
const fs = require('fs');
const net = require('net');
const path = require('path');

const { ensureN8n, log, paths, ROOT, N8N_MAJOR, N8N_VERSION, N8N3_DEFAULTS, DEFAULT_N8N_VERSION } = require('./n8n-install');
const { n8n3DefaultsEnv, webhookUrlEnv } = require('./n8n3-defaults');

const PACKAGE_NAME = require(path.join(ROOT, 'package.json')).name;

function freePort() {
	return new Promise((resolve, reject) => {
		const server = net.createServer();
		server.unref();
		server.on('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const { port } = server.address();
			server.close(() => resolve(port));
		});
	});
}

/** Whether nothing listens on 127.0.0.1:`port` (the address n8n and the simulator bind). */
function isPortFree(port) {
	return new Promise((resolve) => {
		const server = net.createServer();
		server.unref();
		server.once('error', () => resolve(false));
		server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
	});
}

/**
 * The port to use for `what`: `preferred` when it is free. When it is taken, a port the user chose
 * (with `envVar`; `chosen`) is an error that says so; the default port gives way to a free one, announced.
 */
async function choosePort(what, preferred, envVar, chosen = Boolean(process.env[envVar])) {
	if (await isPortFree(preferred)) return preferred;
	if (chosen) {
		throw new Error(
			`port ${preferred} (${envVar}, for ${what}) is already in use by another program. Stop that program, or choose another port, e.g. ${envVar}=${preferred + 10} npm start`,
		);
	}
	const port = await freePort();
	log(`port ${preferred} (for ${what}) is already in use, so ${what} uses port ${port} instead (set ${envVar} to choose one)`);
	return port;
}

/**
 * `npm pack` of the built package into `dir` (what npm would publish: the `files` of package.json);
 * returns the tarball's path.
 */
function packPackage(dir, packageRoot = ROOT) {
	if (!fs.existsSync(path.join(packageRoot, 'dist', 'nodes'))) throw new Error('dist/ is missing: run `npm run build` first');
	fs.mkdirSync(dir, { recursive: true });
	const packed = spawnSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', dir], { cwd: packageRoot, encoding: 'utf8' });
	if (packed.status !== 0) throw new Error(`npm pack failed:\n${packed.stdout}\n${packed.stderr}`);
	const [info] = JSON.parse(packed.stdout);
	return path.join(dir, info.filename);
}

/**
 * Installs the packed package the way n8n's community-package installer does (n8n 2.40's
 * CommunityPackagesService.downloadPackage): the tarball extracted into the user folder's
 * `.n8n/nodes/node_modules/<name>/`, its package.json without dev, peer and optional dependencies,
 * `npm install --ignore-scripts` run there, and the package listed in `.n8n/nodes/package.json`.
 * n8n loads it from there under the package's own type names (`n8n-nodes-kie-ai.kieCreateTask`).
 * `tarball` defaults to a fresh `npm pack` of `packageRoot`.
 */
function installCommunityPackage(userFolder, { tarball, packageRoot = ROOT } = {}) {
	const nodes = path.join(userFolder, '.n8n', 'nodes');
	const packed = tarball ?? packPackage(path.join(userFolder, 'pack'), packageRoot);
	const checked = (result, what) => {
		if (result.status !== 0) throw new Error(`${what} failed:\n${result.stdout ?? ''}\n${result.stderr ?? ''}`);
		return result.stdout;
	};
	const manifest = JSON.parse(checked(spawnSync('tar', ['-xzOf', packed, 'package/package.json'], { encoding: 'utf8' }), `reading package.json from ${packed}`));
	const target = path.join(nodes, 'node_modules', manifest.name);
	fs.rmSync(target, { recursive: true, force: true });
	fs.mkdirSync(target, { recursive: true });
	checked(spawnSync('tar', ['-xzf', packed, '-C', target, '--strip-components=1'], { encoding: 'utf8' }), `tar -xzf ${packed}`);
	const { devDependencies, peerDependencies, optionalDependencies, ...kept } = manifest;
	fs.writeFileSync(path.join(target, 'package.json'), JSON.stringify(kept, null, 2));
	checked(
		spawnSync('npm', ['install', '--audit=false', '--fund=false', '--bin-links=false', '--install-strategy=shallow', '--ignore-scripts=true', '--package-lock=false'], { cwd: target, encoding: 'utf8' }),
		`npm install in ${target}`,
	);
	const listPath = path.join(nodes, 'package.json');
	const list = fs.existsSync(listPath) ? JSON.parse(fs.readFileSync(listPath, 'utf8')) : { name: 'installed-nodes', private: true, dependencies: {} };
	list.dependencies = { ...list.dependencies, [manifest.name]: manifest.version };
	fs.writeFileSync(listPath, JSON.stringify(list, null, 2));
	return target;
}

/**
 * The encryption key of the throwaway n8n user folders of the end-to-end and queue suites, and the one
 * `npm start` gave every demo folder before it made a random key per folder (such a folder keeps it: n8n
 * wrote it to `.n8n/config`, and its credentials are encrypted with it).
 */
const FIXED_ENCRYPTION_KEY = 'kie-local-n8n-encryption-key';
/** The owner password `npm start` gave every demo folder before it made a random one per folder. */
const LEGACY_OWNER_PASSWORD = 'KieDemo-2026';
/** Where `npm start` keeps a demo folder's owner password and encryption key (mode 0600). */
const DEMO_SECRETS_FILE = 'demo-secrets.json';

/** Makes `dir` (and missing parents) readable by its owner only: 0700. */
function makePrivateDir(dir) {
	fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
	fs.chmodSync(dir, 0o700);
}

/**
 * Writes a file that holds a secret: mode 0600 from the moment it exists (also when it existed before with
 * a wider mode), its folder created 0700 when missing.
 */
function writeSecretFile(file, text) {
	fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
	const fd = fs.openSync(file, 'w', 0o600);
	try {
		fs.fchmodSync(fd, 0o600);
		fs.writeSync(fd, text);
	} finally {
		fs.closeSync(fd);
	}
}

/**
 * Writes an import file (credentials, workflows) with mode 0600, runs `run(file)` (an `n8n import:*`), and
 * deletes the file afterwards, also when the import failed.
 * @template T
 * @param {string} file
 * @param {string} text
 * @param {(file: string) => Promise<T>} run
 * @returns {Promise<T>}
 */
async function withImportFile(file, text, run) {
	writeSecretFile(file, text);
	try {
		return await run(file);
	} finally {
		fs.rmSync(file, { force: true });
	}
}

/** A random owner password that n8n accepts (8 to 64 characters with a digit, an upper- and a lower-case letter). */
function randomOwnerPassword(randomBytes = crypto.randomBytes) {
	for (;;) {
		const password = randomBytes(15).toString('base64url');
		if (/[0-9]/.test(password) && /[A-Z]/.test(password) && /[a-z]/.test(password)) return password;
	}
}

/** A random n8n encryption key (32 bytes). */
function randomEncryptionKey(randomBytes = crypto.randomBytes) {
	return randomBytes(32).toString('base64url');
}

function readJson(file) {
	try {
		return JSON.parse(fs.readFileSync(file, 'utf8'));
	} catch {
		return undefined;
	}
}

/** The encryption key n8n keeps in a user folder (`.n8n/config`, written on its first start), if any. */
function n8nConfigKey(userFolder) {
	const key = readJson(path.join(userFolder, '.n8n', 'config'))?.encryptionKey;
	return typeof key === 'string' && key !== '' ? key : undefined;
}

/**
 * The user folder of `npm start`'s demo: one per n8n version (a database a newer n8n has migrated does not open in
 * an older one), `demo/` for the default version.
 */
function demoFolder() {
	return path.join(ROOT, '.n8n-local', N8N_VERSION === DEFAULT_N8N_VERSION ? 'demo' : `demo-${N8N_VERSION}`);
}

/** The demo secrets kept in a user folder, or undefined when there are none (yet). */
function readDemoSecrets(userFolder) {
	const stored = readJson(path.join(userFolder, DEMO_SECRETS_FILE));
	return typeof stored?.ownerPassword === 'string' && typeof stored?.encryptionKey === 'string' ? stored : undefined;
}

/**
 * The owner password and encryption key of an `npm start` demo folder: made at random on its first start and
 * kept in `<userFolder>/demo-secrets.json` (mode 0600), the same on every later start so that n8n's database
 * still opens and the login still works. When n8n has already written its own key to `.n8n/config` (a folder
 * made by an older version of the script, with the fixed key), that key is kept: n8n refuses to start with
 * another one, and the credentials in the database are encrypted with it. `fixedKey` says whether the key
 * is the old fixed one; `created` whether the file was written now.
 */
function demoSecrets(userFolder, { randomPassword = randomOwnerPassword, randomKey = randomEncryptionKey } = {}) {
	const file = path.join(userFolder, DEMO_SECRETS_FILE);
	const stored = readDemoSecrets(userFolder);
	const secrets = {
		ownerPassword: stored?.ownerPassword ?? randomPassword(),
		encryptionKey: n8nConfigKey(userFolder) ?? stored?.encryptionKey ?? randomKey(),
	};
	const changed = !stored || stored.ownerPassword !== secrets.ownerPassword || stored.encryptionKey !== secrets.encryptionKey;
	if (changed) writeSecretFile(file, `${JSON.stringify(secrets, null, '\t')}\n`);
	else fs.chmodSync(file, 0o600);
	return { ...secrets, file, created: changed, fixedKey: secrets.encryptionKey === FIXED_ENCRYPTION_KEY };
}

/**
 * The environment of a hermetic local n8n: loopback only, project-local data, no calls home. Its
 * encryption key is `encryptionKey`, else N8N_ENCRYPTION_KEY, else the fixed key of the test suites.
 * @param {{ userFolder: string, port: number, brokerPort: number, webhookUrl?: string, encryptionKey?: string }} options
 */
function n8nEnv({ userFolder, port, brokerPort, webhookUrl, encryptionKey }) {
	const p = paths();
	return {
		...process.env,
		PATH: `${path.dirname(p.nodeBin)}${path.delimiter}${process.env.PATH}`,
		N8N_USER_FOLDER: userFolder,
		N8N_PORT: String(port),
		N8N_LISTEN_ADDRESS: '127.0.0.1',
		N8N_HOST: 'localhost',
		N8N_RUNNERS_BROKER_PORT: String(brokerPort),
		N8N_RUNNERS_BROKER_LISTEN_ADDRESS: '127.0.0.1',
		// Under n8n 3's defaults the webhook base URL has its new name (N8N_WEBHOOK_URL).
		...(N8N3_DEFAULTS ? webhookUrlEnv(webhookUrl ?? `http://localhost:${port}/`) : { WEBHOOK_URL: webhookUrl ?? `http://localhost:${port}/` }),
		N8N_ENCRYPTION_KEY: encryptionKey ?? process.env.N8N_ENCRYPTION_KEY ?? FIXED_ENCRYPTION_KEY,
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_HIRING_BANNER_ENABLED: 'false',
		N8N_SECURE_COOKIE: 'false',
		// n8n 1.x refuses to start on a module name it does not know.
		...(N8N_MAJOR >= 2 ? { N8N_DISABLED_MODULES: 'mcp-registry' } : {}),
		N8N_COMMUNITY_PACKAGES_ALLOW_TOOL_USAGE: 'true',
		N8N_LOG_LEVEL: process.env.N8N_LOG_LEVEL ?? 'info',
		DB_SQLITE_POOL_SIZE: '2',
		// n8n 2.41 names N8N_RUNNERS_ENABLED safe to remove (runners are always on).
		...(N8N3_DEFAULTS ? {} : { N8N_RUNNERS_ENABLED: 'true' }),
		NODE_ENV: 'production',
		// The "n8n 3 defaults" profile (KIE_N8N3_DEFAULTS=1): a single process's defaults; queue mode adds its own.
		...(N8N3_DEFAULTS ? n8n3DefaultsEnv({ userFolder }) : {}),
	};
}

/** Runs an n8n CLI command (import, publish, execute) to completion; resolves with its output. */
function n8nCli(args, env, { timeoutMs = 300000 } = {}) {
	const p = paths();
	return new Promise((resolve, reject) => {
		const child = spawn(p.nodeBin, [p.n8nMain, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
		let stdout = '';
		let stderr = '';
		child.stdout.on('data', (chunk) => (stdout += chunk));
		child.stderr.on('data', (chunk) => (stderr += chunk));
		const timer = setTimeout(() => {
			child.kill('SIGKILL');
			reject(new Error(`n8n ${args.join(' ')} timed out after ${timeoutMs} ms\n${stdout}\n${stderr}`));
		}, timeoutMs);
		child.on('error', reject);
		child.on('close', (code) => {
			clearTimeout(timer);
			if (code === 0) resolve({ stdout, stderr });
			else reject(new Error(`n8n ${args.join(' ')} exited with ${code}\n${stdout.slice(-4000)}\n${stderr.slice(-4000)}`));
		});
	});
}

async function waitForHttp(url, { timeoutMs = 180000, isReady = (res) => res.ok } = {}) {
	const started = Date.now();
	for (;;) {
		try {
			const res = await fetch(url);
			if (await isReady(res)) return;
		} catch {
			// not listening yet
		}
		if (Date.now() - started > timeoutMs) throw new Error(`${url} was not ready after ${timeoutMs} ms`);
		await new Promise((resolve) => setTimeout(resolve, 500));
	}
}

/**
 * Starts `n8n start` (or another long-running n8n command: `worker`, `webhook`) and waits until it is
 * ready: `/healthz/readiness` on N8N_PORT, or on `readinessPort` (a worker's health-check port).
 */
async function startN8nServer(env, { logFile, onLine, command = ['start'], readinessPort } = {}) {
	const p = paths();
	const child = spawn(p.nodeBin, [p.n8nMain, ...command], { env, stdio: ['ignore', 'pipe', 'pipe'], detached: false });
	const out = logFile ? fs.createWriteStream(logFile) : null;
	let logs = '';
	const onData = (chunk) => {
		const text = chunk.toString();
		logs = (logs + text).slice(-200000);
		out?.write(text);
		if (onLine) for (const line of text.split('\n')) if (line.trim()) onLine(line);
	};
	child.stdout.on('data', onData);
	child.stderr.on('data', onData);
	let exited = false;
	const exitPromise = new Promise((resolve) => child.on('exit', (code, signal) => {
		exited = true;
		resolve({ code, signal });
	}));
	const url = `http://127.0.0.1:${env.N8N_PORT}`;
	await Promise.race([
		waitForHttp(`http://127.0.0.1:${readinessPort ?? env.N8N_PORT}/healthz/readiness`).then(async () => {
			// n8n 1.x answers readiness before its REST routes exist.
			if (N8N_MAJOR < 2 && command[0] === 'start') await waitForHttp(`${url}/rest/settings`);
		}),
		exitPromise.then(({ code }) => {
			throw new Error(`n8n exited early with code ${code}\n${logs.slice(-4000)}`);
		}),
	]);
	return {
		url,
		child,
		logs: () => logs,
		async stop() {
			if (exited) return;
			child.kill('SIGTERM');
			const timer = setTimeout(() => child.kill('SIGKILL'), 15000);
			await exitPromise;
			clearTimeout(timer);
			out?.end();
		},
	};
}

/** The newest version of n8n's AI Agent in the n8n install (its `defaultVersion`). */
async function latestAgentVersion() {
	const { install } = await ensureN8n();
	const file = path.join(install, 'node_modules', '@n8n', 'n8n-nodes-langchain', 'dist', 'nodes', 'agents', 'Agent', 'Agent.node.js');
	const match = /defaultVersion:\s*([\d.]+)/.exec(fs.readFileSync(file, 'utf8'));
	if (!match) throw new Error(`no defaultVersion in ${file}`);
	return Number(match[1]);
}

/** A tiny REST client for n8n's internal API: cookie auth plus a fixed browser-id header. */
class N8nRest {
	constructor(baseUrl) {
		this.baseUrl = baseUrl;
		this.cookie = '';
		this.browserId = 'kie-local-n8n-browser';
	}

	async request(method, route, body) {
		const res = await fetch(`${this.baseUrl}${route}`, {
			method,
			headers: {
				'content-type': 'application/json',
				'browser-id': this.browserId,
				...(this.cookie ? { cookie: this.cookie } : {}),
			},
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		const setCookie = res.headers.get('set-cookie');
		if (setCookie) this.cookie = setCookie.split(';')[0];
		const text = await res.text();
		let json;
		try {
			json = JSON.parse(text);
		} catch {
			json = undefined;
		}
		if (!res.ok) {
			const error = new Error(`${method} ${route} → HTTP ${res.status}: ${text.slice(0, 500)}`);
			error.status = res.status;
			throw error;
		}
		return json?.data !== undefined ? json.data : json;
	}

	/** The node and credential types n8n loaded: the lists the editor itself reads. */
	async loadedTypes() {
		const get = async (file) => {
			const res = await fetch(`${this.baseUrl}/types/${file}`, {
				headers: { 'browser-id': this.browserId, ...(this.cookie ? { cookie: this.cookie } : {}) },
			});
			if (!res.ok) throw new Error(`/types/${file} → HTTP ${res.status}`);
			return await res.json();
		};
		return { nodes: await get('nodes.json'), credentials: await get('credentials.json') };
	}

	/** Runs a saved workflow inside the server, as the editor's "Execute workflow" does. */
	async runWorkflow(id, triggerName) {
		// n8n 1.x wants the workflow itself in the request.
		const workflowData = N8N_MAJOR < 2 ? await this.request('GET', `/rest/workflows/${id}`) : undefined;
		const result = await this.request('POST', `/rest/workflows/${id}/run`, { triggerToStartFrom: { name: triggerName }, ...(workflowData ? { workflowData } : {}) });
		return result.executionId;
	}

	/** One execution with its run data (n8n keeps it flattened: parsed with n8n's own `flatted`). */
	async getExecution(id) {
		const { parse } = require(path.join(paths().install, 'node_modules', 'flatted'));
		const execution = await this.request('GET', `/rest/executions/${id}`);
		return { ...execution, data: typeof execution.data === 'string' ? parse(execution.data) : execution.data };
	}

	/** Polls an execution until its status is one of `statuses`; `describe()` adds to the timeout error. */
	async waitForExecution(id, statuses, timeoutMs = 60000, describe = () => '') {
		const started = Date.now();
		for (;;) {
			const execution = await this.getExecution(id).catch(() => undefined);
			if (execution && statuses.includes(execution.status)) return execution;
			if (Date.now() - started > timeoutMs) throw new Error(`execution ${id} did not reach ${statuses.join('/')}: ${execution?.status}${describe()}`);
			await new Promise((resolve) => setTimeout(resolve, 300));
		}
	}

	async listExecutions(workflowId) {
		const filter = encodeURIComponent(JSON.stringify({ workflowId }));
		const result = await this.request('GET', `/rest/executions?filter=${filter}&limit=100`);
		return result.results ?? result;
	}

	/**
	 * Creates the owner on first boot; logs in either way. When `owner.password` is refused and one of
	 * `formerPasswords` (e.g. what an older `npm start` set) is accepted, the owner's password is changed to
	 * `owner.password`; resolves with whether it was.
	 */
	async ensureOwner(owner, { formerPasswords = [] } = {}) {
		try {
			await this.request('POST', '/rest/owner/setup', owner);
		} catch (error) {
			if (error.status !== 400 && error.status !== 403) throw error;
		}
		const login = (password) => this.request('POST', '/rest/login', { emailOrLdapLoginId: owner.email, password });
		try {
			await login(owner.password);
			return { passwordChanged: false };
		} catch (error) {
			if (error.status !== 401) throw error;
			for (const former of formerPasswords.filter((password) => password && password !== owner.password)) {
				try {
					await login(former);
				} catch (refused) {
					if (refused.status === 401) continue;
					throw refused;
				}
				await this.request('PATCH', '/rest/me/password', { currentPassword: former, newPassword: owner.password });
				await login(owner.password);
				return { passwordChanged: true };
			}
			throw new Error(`n8n refused the login of ${owner.email}: ${error.message}`);
		}
	}
}

/**
 * Makes an example workflow importable into this local n8n: the KIE credential is linked, and the demo
 * simulator and n8n URLs are replaced. Node types stay as published (`n8n-nodes-kie-ai.*`).
 */
function prepareWorkflow(workflow, { credential, simulatorUrl, n8nUrl, id, otherCredentials = [] }) {
	const copy = JSON.parse(JSON.stringify(workflow));
	if (id) copy.id = id;
	for (const node of copy.nodes) {
		const own = otherCredentials.find((other) => node.credentials?.[other.type]?.id === other.id);
		if (own) node.credentials[own.type] = { id: own.id, name: own.name };
		else if (node.credentials?.kieApi && credential) node.credentials.kieApi = { id: credential.id, name: credential.name };
		for (const other of otherCredentials) {
			if (other.type !== 'kieApi' && node.credentials?.[other.type]) node.credentials[other.type] = { id: other.id, name: other.name };
		}
	}
	let text = JSON.stringify(copy);
	if (simulatorUrl) text = text.split('http://localhost:8787').join(simulatorUrl);
	if (n8nUrl) text = text.split('http://localhost:5678').join(n8nUrl.replace(/\/$/, ''));
	return JSON.parse(text);
}

function readExamples() {
	const dir = path.join(ROOT, 'examples');
	return fs
		.readdirSync(dir)
		.filter((file) => file.endsWith('.json'))
		.sort()
		.map((file) => ({ file, workflow: JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) }));
}

/**
 * Prepares a user folder: imports the KIE credential (and the n8n API credential of the recovery
 * example, and any `extraCredentials`) and the example workflows, and publishes the ones marked active.
 * Runs before the server starts.
 */
async function provision({ userFolder, env, credential, extraCredentials = [], simulatorUrl, n8nUrl, examples = readExamples(), publish = true }) {
	fs.mkdirSync(userFolder, { recursive: true, mode: 0o700 });
	// The import files hold the credentials' secrets (the KIE API key, the webhook HMAC key): each is
	// written 0600 in a 0700 folder and deleted as soon as n8n has read it, also when the import fails.
	// A folder an older version left behind is removed first.
	const importDir = path.join(userFolder, 'import');
	fs.rmSync(importDir, { recursive: true, force: true });
	makePrivateDir(importDir);
	try {
		// Workflows that name one of these credentials by id keep it; other KIE nodes get `credential`.
		const otherCredentials = [n8nApiCredential(n8nUrl), ...extraCredentials];
		await withImportFile(path.join(importDir, 'credentials.json'), JSON.stringify([credential, ...otherCredentials]), (file) =>
			n8nCli(['import:credentials', `--input=${file}`], env),
		);
		const imported = [];
		for (const { file, workflow } of examples) {
			const prepared = prepareWorkflow(workflow, { credential, simulatorUrl, n8nUrl, otherCredentials });
			await withImportFile(path.join(importDir, file), JSON.stringify(prepared), (target) => n8nCli(['import:workflow', `--input=${target}`], env));
			// n8n 2.x publishes a workflow; 1.x activates it.
			if (publish && workflow.active) await n8nCli(N8N_MAJOR >= 2 ? ['publish:workflow', `--id=${prepared.id}`] : ['update:workflow', `--id=${prepared.id}`, '--active=true'], env);
			imported.push({ file, id: prepared.id, name: prepared.name, workflow: prepared });
		}
		return imported;
	} finally {
		fs.rmSync(importDir, { recursive: true, force: true });
	}
}

const N8N_API_CREDENTIAL_ID = 'n8nApiDemoCredential';

/**
 * The n8n API credential of the recovery example ("KIE: recover stalled callback batches"), pointing at
 * this n8n's own public API. Its API key is made once the owner exists (`connectN8nApi`).
 */
function n8nApiCredential(n8nUrl) {
	return { id: N8N_API_CREDENTIAL_ID, name: 'n8n API (this n8n)', type: 'n8nApi', data: { apiKey: '', baseUrl: `${(n8nUrl ?? 'http://localhost:5678').replace(/\/$/, '')}/api/v1` } };
}

/**
 * Gives the n8n API credential a key: an API key of the logged-in owner with the scopes `execution:list` and
 * `execution:read` (what the recovery example needs) and no expiry, made through n8n's own REST API. n8n
 * 2.x enforces the scopes on every edition; n8n 1.123 only with a licence (feature `feat:apiKeyScopes`):
 * without one, the key can do through the public API whatever its owner can.
 */
async function connectN8nApi(rest, n8nUrl) {
	const prefix = 'KIE recovery example';
	// One key at a time: the key of an earlier start of this user folder is replaced.
	const listed = await rest.request('GET', '/rest/api-keys');
	// A list (older n8n) or a page { items }.
	for (const key of (Array.isArray(listed) ? listed : listed?.items) ?? []) {
		if (String(key.label ?? '').startsWith(prefix)) await rest.request('DELETE', `/rest/api-keys/${key.id}`);
	}
	const label = `${prefix} ${new Date().toISOString()}`;
	const created = await rest.request('POST', '/rest/api-keys', { label, scopes: ['execution:read', 'execution:list'], expiresAt: null });
	const credential = n8nApiCredential(n8nUrl);
	await rest.request('PATCH', `/rest/credentials/${credential.id}`, { name: credential.name, type: credential.type, data: { ...credential.data, apiKey: created.rawApiKey } });
}

module.exports = {
	DEMO_SECRETS_FILE,
	FIXED_ENCRYPTION_KEY,
	LEGACY_OWNER_PASSWORD,
	N8N_MAJOR,
	N8N_VERSION,
	N8N3_DEFAULTS,
	connectN8nApi,
	demoSecrets,
	makePrivateDir,
	randomEncryptionKey,
	randomOwnerPassword,
	readDemoSecrets,
	demoFolder,
	withImportFile,
	writeSecretFile,
	installCommunityPackage,
	latestAgentVersion,
	choosePort,
	isPortFree,
	PACKAGE_NAME,
	ROOT,
	N8nRest,
	ensureN8n,
	freePort,
	log,
	n8nCli,
	n8nEnv,
	paths,
	prepareWorkflow,
	provision,
	readExamples,
	packPackage,
	startN8nServer,
	waitForHttp,
};
