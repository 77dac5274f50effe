// A real n8n (2.40.7, or 1.123.81 with N8N_VERSION) in queue mode for `npm run test:queue` and the pacing benchmark: one main, two workers
// and one webhook processor, on PostgreSQL (127.0.0.1:5432) and Redis (127.0.0.1:6379), each run on a
// database and a Bull prefix of its own, with this package installed as a community package in every
// process's user folder. `stop()` removes the processes, the database, the Redis keys and the folders.
// See reference/n8n-notes.md §12 for what queue mode needs.
const fs = require('fs');
const os = require('os');
const path = require('path');

const local = require('./local-n8n');
const { n8n3DefaultsEnv } = require('./n8n3-defaults');

const PG = { host: process.env.KIE_QUEUE_PG_HOST ?? '127.0.0.1', port: Number(process.env.KIE_QUEUE_PG_PORT ?? 5432), user: process.env.KIE_QUEUE_PG_USER ?? 'postgres' };
const REDIS = { host: process.env.KIE_QUEUE_REDIS_HOST ?? '127.0.0.1', port: Number(process.env.KIE_QUEUE_REDIS_PORT ?? 6379) };

/** The PostgreSQL and Redis clients of the pinned n8n install (the package itself has no such dependency). */
function clients() {
	const modules = path.join(local.paths().install, 'node_modules');
	return { pg: require(path.join(modules, 'pg')), Redis: require(path.join(modules, 'ioredis')) };
}

/** Connects to PostgreSQL's `postgres` database, or fails saying what to start. */
async function adminDb(pg, config = PG) {
	const client = new pg.Client({ ...config, database: 'postgres', connectionTimeoutMillis: 5000 });
	try {
		await client.connect();
	} catch (error) {
		throw new Error(
			`The queue-mode suite needs PostgreSQL on ${config.host}:${config.port} (user ${config.user}, trust auth) and could not reach it: ${error.message}. ` +
				"Start it, e.g. `pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start`, then run `npm run test:queue` again.",
		);
	}
	return client;
}

/** Connects to Redis, or fails saying what to start. */
async function redisClient(Redis, config = REDIS) {
	const redis = new Redis({ ...config, lazyConnect: true, maxRetriesPerRequest: 1, retryStrategy: () => null, connectTimeout: 5000 });
	redis.on('error', () => {});
	try {
		await redis.connect();
		await redis.ping();
	} catch (error) {
		redis.disconnect();
		throw new Error(
			`The queue-mode suite needs Redis on ${config.host}:${config.port} and could not reach it: ${error.message}. ` +
				'Start it, e.g. `redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no`, then run `npm run test:queue` again.',
		);
	}
	return redis;
}

/** Deletes every Redis key under `prefix` (Bull's queues of this run). */
async function deleteKeys(redis, prefix) {
	let cursor = '0';
	let deleted = 0;
	do {
		const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
		cursor = next;
		if (keys.length) deleted += await redis.del(...keys);
	} while (cursor !== '0');
	return deleted;
}

/**
 * Starts the queue-mode n8n. `credentials` and `workflows` ({ file, workflow }) are imported before main
 * starts (the workflows keep the package's own node types; those marked active are published).
 * `extraEnv` adds settings to every process; `packageRoot` is the built tree to install (default this one).
 */
async function startQueue({ credential, extraCredentials = [], workflows = [], extraEnv = {}, workers = 2, logDir, packageRoot } = {}) {
	await local.ensureN8n();
	const { pg, Redis } = clients();
	const admin = await adminDb(pg);
	const redis = await redisClient(Redis).catch(async (error) => {
		await admin.end();
		throw error;
	});
	const id = `${process.pid}_${Date.now().toString(36)}`;
	const database = `kie_queue_${id}`;
	const prefix = `kie_queue_${id}`;
	const root = fs.mkdtempSync(path.join(os.tmpdir(), 'kie-queue-'));
	const processes = [];
	let stopped = false;

	/** Stops every process, drops the database and deletes the Redis keys; reports what is left. */
	async function stop() {
		if (stopped) return { databases: 0, keys: 0, processes: 0 };
		stopped = true;
		for (const process of processes.reverse()) await process.server.stop().catch(() => {});
		await admin.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`, [database]).catch(() => {});
		await admin.query(`DROP DATABASE IF EXISTS "${database}"`).catch(() => {});
		const databases = Number((await admin.query('SELECT count(*) AS n FROM pg_database WHERE datname = $1', [database]).catch(() => ({ rows: [{ n: -1 }] }))).rows[0].n);
		await admin.end().catch(() => {});
		await deleteKeys(redis, prefix).catch(() => {});
		const keys = (await redis.keys(`${prefix}*`).catch(() => [])).length;
		redis.disconnect();
		if (!logDir) fs.rmSync(root, { recursive: true, force: true });
		const alive = processes.filter(({ server }) => server.child.exitCode === null && server.child.signalCode === null).length;
		return { databases, keys, processes: alive };
	}

	try {
		await admin.query(`CREATE DATABASE "${database}"`);
		const mainPort = await local.freePort();
		const webhookPort = await local.freePort();
		const webhookUrl = `http://127.0.0.1:${webhookPort}/`;
		const shared = {
			DB_TYPE: 'postgresdb',
			DB_POSTGRESDB_HOST: PG.host,
			DB_POSTGRESDB_PORT: String(PG.port),
			DB_POSTGRESDB_DATABASE: database,
			DB_POSTGRESDB_USER: PG.user,
			DB_POSTGRESDB_PASSWORD: '',
			EXECUTIONS_MODE: 'queue',
			QUEUE_BULL_REDIS_HOST: REDIS.host,
			QUEUE_BULL_REDIS_PORT: String(REDIS.port),
			QUEUE_BULL_PREFIX: prefix,
			OFFLOAD_MANUAL_EXECUTIONS_TO_WORKERS: 'true',
			N8N_DEFAULT_BINARY_DATA_MODE: 'database',
		};
		// One tarball, installed in every process's user folder as n8n's installer does.
		const tarball = local.packPackage(path.join(root, 'pack'), packageRoot);
		const envFor = async (name, port) => {
			const userFolder = path.join(root, name);
			fs.mkdirSync(userFolder, { recursive: true });
			local.installCommunityPackage(userFolder, { tarball });
			// Under n8n 3's defaults (KIE_N8N3_DEFAULTS=1) every process takes queue mode's: database binary data,
			// manual executions on workers (both already set here), SSRF protection, the shorter runner timeout.
			const n8n3 = local.N8N3_DEFAULTS ? n8n3DefaultsEnv({ userFolder, queue: true }) : {};
			return { ...local.n8nEnv({ userFolder, port, brokerPort: await local.freePort(), webhookUrl }), ...shared, ...n8n3, ...extraEnv };
		};
		const logFile = (name) => path.join(logDir ?? root, `${name}.log`);
		if (logDir) fs.mkdirSync(logDir, { recursive: true });

		const mainEnv = { ...(await envFor('main', mainPort)), N8N_DISABLE_PRODUCTION_MAIN_PROCESS: 'true' };
		const imported = await local.provision({
			userFolder: mainEnv.N8N_USER_FOLDER,
			env: mainEnv,
			credential,
			extraCredentials,
			examples: workflows,
			n8nUrl: `http://127.0.0.1:${mainPort}`,
		});
		const start = async (name, env, options) => {
			const server = await local.startN8nServer(env, { logFile: logFile(name), ...options });
			const entry = { name, env, server };
			processes.push(entry);
			return entry;
		};
		const main = await start('main', mainEnv);
		const rest = new local.N8nRest(main.server.url);
		const workerList = [];
		const startWorker = async (index) => {
			const healthPort = await local.freePort();
			const env = { ...(await envFor(`worker-${index}`, await local.freePort())), QUEUE_HEALTH_CHECK_ACTIVE: 'true', QUEUE_HEALTH_CHECK_PORT: String(healthPort), N8N_WORKER_SERVER_ADDRESS: '127.0.0.1' };
			const worker = await start(`worker-${index}`, env, { command: ['worker', '--concurrency=10'], readinessPort: healthPort });
			workerList.push(worker);
			return worker;
		};
		for (let index = 1; index <= workers; index++) await startWorker(index);
		const webhook = await start('webhook', await envFor('webhook', webhookPort), { command: ['webhook'] });

		return {
			database,
			prefix,
			imported,
			rest,
			mainUrl: main.server.url,
			webhookUrl: webhook.server.url,
			workers: workerList,
			startWorker,
			/** The executions a worker ran (from its log: "Worker started execution N"). */
			executionsOn(worker) {
				return [...worker.server.logs().matchAll(/started execution (\d+)/g)].map((match) => match[1]);
			},
			logs() {
				return processes.map(({ name, server }) => `--- ${name}\n${server.logs().slice(-3000)}`).join('\n');
			},
			stop,
		};
	} catch (error) {
		await stop();
		throw error;
	}
}

module.exports = { startQueue, adminDb, redisClient, clients, deleteKeys, PG, REDIS };
