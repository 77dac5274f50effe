'use strict';

/**
 * Strict KIE.AI HTTP API simulator (test fixture).
 *
 * A real HTTP server on loopback that serves both the API host routes (api.kie.ai) and the upload
 * host routes (kieai.redpandaai.co), plus the result/upload files it produces. Contract:
 * shared/reference/kie-api.md, GPT Image 1.5 schemas from the seed OpenAPI (seed-schemas.js), the
 * Market catalogue (nodes/shared/registry/catalogue/kie-models.json) and the 4o quickstart (seed 003).
 *
 * Only Node built-ins. See index.d.ts for the exported API.
 */

const http = require('http');
const https = require('https');
const crypto = require('crypto');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { pipeline } = require('stream');

const { validateCreateTask, validate4o, isHttpUrl, isPlainObject, catalogueById } = require('./validate');
const media = require('./media');
const { parseMultipart, getBoundary, MultipartError } = require('./multipart');
const {
	CallbackDispatcher,
	marketPayload,
	fourOPayload,
	signCallback,
	verifySignature,
	startCallbackReceiver,
} = require('./callbacks');
const catalogueApi = require('./catalogue-api');
const families = require('./families');
const sunoTools = require('./suno-tools');

// ---------------------------------------------------------------------------------------------
// constants

const ROUTES = {
	'/api/v1/chat/credit': { method: 'GET', route: 'credit' },
	'/api/v1/jobs/createTask': { method: 'POST', route: 'createTask' },
	'/api/v1/jobs/recordInfo': { method: 'GET', route: 'recordInfo' },
	'/api/v1/gpt4o-image/generate': { method: 'POST', route: '4oGenerate' },
	'/api/v1/gpt4o-image/record-info': { method: 'GET', route: '4oRecordInfo' },
	'/api/v1/gpt4o-image/download-url': { method: 'POST', route: '4oDownloadUrl' },
	'/api/v1/common/download-url': { method: 'POST', route: 'downloadUrl' },
	'/api/file-stream-upload': { method: 'POST', route: 'uploadStream', upload: true },
	'/api/file-base64-upload': { method: 'POST', route: 'uploadBase64', upload: true },
	'/api/file-url-upload': { method: 'POST', route: 'uploadUrl', upload: true },
};

const ROUTE_NAMES = [
	'credit',
	'createTask',
	'recordInfo',
	'4oGenerate',
	'4oRecordInfo',
	'4oDownloadUrl',
	'downloadUrl',
	'uploadStream',
	'uploadBase64',
	'uploadUrl',
	'file',
	'callback',
	...catalogueApi.CATALOGUE_ROUTES,
];

// redirect: 307 to the same path on another origin (`sim.otherOrigin`, which records what reaches it);
// redirectSame: 307 to the same path on this origin (followed by a client that keeps its key).
// maintenance: KIE's live maintenance answer (code 500, no `data`; corpus error-envelope-2); dailyLimit: the
// 433 "points used by apiKey has exceeded the daily limit" answer (error-envelope-1).
const REQUEST_FAULTS = ['code429', 'http429', 'code455', 'code500', 'http500', 'code', 'slow', 'drop', 'redirect', 'redirectSame', 'maintenance', 'dailyLimit'];
const MAINTENANCE_MSG = 'The server is currently being maintained, please try again later~';
const DAILY_LIMIT_MSG = 'The current number of points used by apiKey has exceeded the daily limit';
/** What Market recordInfo answers for a task it has not indexed (yet): corpus error-envelope-5, scenario-poll-1. */
const NOT_INDEXED = { code: 422, msg: 'recordInfo is null', data: null };
/** The user folder real KIE puts in front of every upload path (corpus upload-stream-1/2). */
const REAL_KIE_USER_ID = '183531';
/** Real KIE's callback sender (corpus market-callback-1). */
const REAL_KIE_CALLBACK_HEADERS = { 'User-Agent': 'okhttp/3.14.9', 'Content-Type': 'application/json; charset=utf-8' };
const TASK_FAULTS = ['malformedResultJson'];
const CALLBACK_FAULTS = [
	'duplicate',
	'redeliver',
	'lost',
	'delay',
	'outOfOrder',
	'forgedSignature',
	'staleTimestamp',
	'futureTimestamp',
	'unsigned',
	'hexSignature',
	'wrongTaskId',
	'beforeCreateResponse',
];

const CREATE_ROUTES = new Set(['createTask', '4oGenerate']);
const POLL_ROUTES = new Set(['recordInfo', '4oRecordInfo']);
// KIE's own-API families (Flux Kontext, Veo, Runway, Aleph, Luma, Suno): families.js.
families.registerRoutes({ ROUTES, ROUTE_NAMES, CREATE_ROUTES, POLL_ROUTES, CALLBACK_FAULTS });
// Suno's toolbox (WAV, stems, MIDI, video, cover image, replace section, sounds, mashup, the synchronous calls): suno-tools.js.
sunoTools.registerRoutes({ ROUTES, ROUTE_NAMES, CREATE_ROUTES, POLL_ROUTES });

const FOUR_O_MODEL = 'gpt4o-image';
const MAX_TIMER_MS = 2 ** 31 - 1;

// ---------------------------------------------------------------------------------------------
// helpers

function randomHex(n) {
	return crypto.randomBytes(Math.ceil(n / 2)).toString('hex').slice(0, n);
}

function maskHeaders(headers) {
	const out = {};
	for (const [k, v] of Object.entries(headers)) {
		if (k === 'authorization') {
			out[k] = /^bearer\s/i.test(String(v)) ? 'Bearer ***' : '***';
		} else {
			out[k] = Array.isArray(v) ? v.join(', ') : v;
		}
	}
	return out;
}

function readBody(req, limit) {
	return new Promise((resolve, reject) => {
		const chunks = [];
		let size = 0;
		let tooLarge = false;
		req.on('data', (c) => {
			if (tooLarge) return;
			size += c.length;
			if (size > limit) {
				tooLarge = true;
				chunks.length = 0;
				return;
			}
			chunks.push(c);
		});
		req.on('end', () => resolve({ buffer: tooLarge ? null : Buffer.concat(chunks), size, tooLarge }));
		req.on('error', reject);
	});
}

async function drain(req) {
	if (req.readableEnded) return;
	for await (const _ of req) {
		/* discard */
	}
}

function pad2(n) {
	return String(n).padStart(2, '0');
}

/** "YYYY-MM-DD HH:mm:ss" in UTC (the 4o quickstart's older format). */
function formatTime(ms) {
	const d = new Date(ms);
	return (
		`${d.getUTCFullYear()}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())} ` +
		`${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())}`
	);
}

function amzDate(ms) {
	const d = new Date(ms);
	return (
		`${d.getUTCFullYear()}${pad2(d.getUTCMonth() + 1)}${pad2(d.getUTCDate())}T` +
		`${pad2(d.getUTCHours())}${pad2(d.getUTCMinutes())}${pad2(d.getUTCSeconds())}Z`
	);
}

function parseAmzDate(s) {
	const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(String(s || ''));
	if (!m) return NaN;
	return Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]);
}

function modelSlug(model) {
	return (
		String(model)
			.split('/')[0]
			.toLowerCase()
			.replace(/[^a-z0-9.-]+/g, '-')
			.replace(/^-+|-+$/g, '') || 'model'
	);
}

/** Aspect ratio "W:H" for the result image, read from the usual input field names. */
function aspectFromInput(input) {
	if (!isPlainObject(input)) return undefined;
	for (const key of ['aspect_ratio', 'aspectRatio', 'ratio', 'image_size', 'size']) {
		const v = input[key];
		if (typeof v !== 'string') continue;
		if (/^\d+(\.\d+)?:\d+(\.\d+)?$/.test(v)) return v;
		const m = /(landscape|portrait)_(\d+)_(\d+)/.exec(v);
		if (m) return m[1] === 'landscape' ? `${m[2]}:${m[3]}` : `${m[3]}:${m[2]}`;
		if (/^square/.test(v)) return '1:1';
		if (v === 'landscape') return '16:9';
		if (v === 'portrait') return '9:16';
	}
	return undefined;
}

function resultCountFromInput(input) {
	if (!isPlainObject(input)) return 1;
	for (const key of ['num_images', 'n', 'number_of_images']) {
		const n = Number(input[key]);
		if (Number.isInteger(n) && n >= 1) return Math.min(n, 10);
	}
	return 1;
}

function isLoopbackHost(hostname) {
	const h = String(hostname).replace(/^\[|\]$/g, '');
	return h === 'localhost' || h === '::1' || /^127\./.test(h);
}

function sniffMime(buf) {
	if (!buf || buf.length < 4) return undefined;
	if (buf[0] === 0x89 && buf[1] === 0x50 && buf[2] === 0x4e && buf[3] === 0x47) return 'image/png';
	if (buf[0] === 0xff && buf[1] === 0xd8 && buf[2] === 0xff) return 'image/jpeg';
	if (buf.length >= 12 && buf.toString('latin1', 0, 4) === 'RIFF' && buf.toString('latin1', 8, 12) === 'WEBP') {
		return 'image/webp';
	}
	if (buf.toString('latin1', 0, 3) === 'GIF') return 'image/gif';
	if (buf.length >= 8 && buf.toString('latin1', 4, 8) === 'ftyp') return 'video/mp4';
	if (buf.toString('latin1', 0, 3) === 'ID3' || (buf[0] === 0xff && (buf[1] & 0xe0) === 0xe0)) return 'audio/mpeg';
	return undefined;
}

// ---------------------------------------------------------------------------------------------
// simulator

class Simulator {
	constructor(options = {}) {
		this.options = {
			port: 0,
			host: '127.0.0.1',
			apiKey: 'sim-key',
			hmacKey: undefined,
			credits: 1000,
			genMs: 300,
			rateLimit: null,
			taskFor: undefined,
			allowUnknownInput: false,
			fourOResultKey: 'resultUrls',
			fourOTimeFormat: 'epoch',
			fourORequirePrompt: false,
			resultBytes: undefined,
			downloadUrlTtlSec: 1200,
			callbackRetries: 3,
			callbackRetryDelayMs: 200,
			callbackTimeoutMs: 15000,
			costTimeUnit: undefined,
			taskCost: undefined,
			includeResponseField: false,
			maxJsonBytes: 100 * 1024 * 1024,
			allowExternalUrlUpload: false,
			publicUrl: undefined,
			realKie: false,
			notIndexedMs: 0,
			...options,
		};
		this.options.realKie = Boolean(this.options.realKie);
		this.options.notIndexedMs = Math.max(0, Number(this.options.notIndexedMs) || 0);
		// Real KIE reports costTime in seconds (market-record-2: 274 for 273.9 s); the docs say milliseconds.
		if (this.options.costTimeUnit === undefined) this.options.costTimeUnit = this.options.realKie ? 's' : 'ms';
		this.setRateLimit(this.options.rateLimit);
		this.url = '';
		this.requests = [];
		this.tasks = new Map();
		this.uploads = new Map();
		this.faults = [];
		this.nextTasks = [];
		this.credits = this.options.credits;
		this.stats = Simulator._emptyStats();
		this.callbackDispatcher = new CallbackDispatcher({
			hmacKey: this.options.hmacKey,
			retries: this.options.callbackRetries,
			retryDelayMs: this.options.callbackRetryDelayMs,
			timeoutMs: this.options.callbackTimeoutMs,
			stats: this.stats,
			baseHeaders: this.options.realKie ? REAL_KIE_CALLBACK_HEADERS : undefined,
		});
		this.callbacks = this.callbackDispatcher.deliveries;
		this._counter = 0;
		this._timers = new Set();
		this._createTimes = [];
		this._pollTimes = [];
		this._secret = crypto.randomBytes(32);
		this._storeDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kie-sim-'));
		this._server = http.createServer((req, res) => {
			this._handle(req, res).catch((err) => this._internalError(req, res, err));
		});
		this._server.keepAliveTimeout = 5000;
	}

	static _emptyStats() {
		return {
			requests: 0,
			creates: 0,
			accepted: 0,
			rejected429: 0,
			createRejected429: 0,
			pollRejected429: 0,
			polls: 0,
			uploads: 0,
			faultsFired: 0,
			peakCreatesInWindow: 0,
			callbacksDelivered: 0,
			callbacksFailed: 0,
		};
	}

	/**
	 * Another origin on loopback, where the `redirect` fault sends requests. It answers 200 with an error
	 * envelope and records each request with its headers as they arrived (the Authorization header in
	 * clear: what a client leaked to it).
	 */
	async _startOtherOrigin() {
		const requests = [];
		const server = http.createServer((req, res) => {
			req.resume();
			requests.push({ method: req.method, url: req.url, headers: { ...req.headers } });
			const body = JSON.stringify({ code: 403, msg: 'Another origin', data: null });
			res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(body)) });
			res.end(body);
		});
		await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
		this._otherServer = server;
		this.otherOrigin = { url: `http://127.0.0.1:${server.address().port}`, requests };
	}

	_listen() {
		return new Promise((resolve, reject) => {
			this._server.once('error', reject);
			this._server.listen(this.options.port, this.options.host, () => {
				this._server.off('error', reject);
				const addr = this._server.address();
				const h = this.options.host;
				const host = h === '0.0.0.0' || h === '::' ? '127.0.0.1' : h.includes(':') ? `[${h}]` : h;
				this.port = addr.port;
				this.url = (this.options.publicUrl || `http://${host}:${addr.port}`).replace(/\/+$/, '');
				resolve(this);
			});
		});
	}

	// -- public API -----------------------------------------------------------------------------

	requestsFor(route) {
		return this.requests.filter((r) => r.route === route);
	}

	fault(route, kind, opts = {}) {
		if (!ROUTE_NAMES.includes(route)) throw new Error(`sim.fault: unknown route ${route}`);
		const allowed =
			route === 'callback'
				? CALLBACK_FAULTS
				: CREATE_ROUTES.has(route)
					? [...REQUEST_FAULTS, ...TASK_FAULTS]
					: REQUEST_FAULTS;
		if (!allowed.includes(kind)) throw new Error(`sim.fault: kind ${kind} is not valid for route ${route}`);
		const count = opts.count === undefined ? 1 : Number(opts.count);
		this.faults.push({ route, kind, opts: { ...opts }, remaining: count });
		return this;
	}

	/** Turns KIE's rate limits on (`true` = KIE's numbers, or scaled ones) or off (null), at any time. */
	setRateLimit(rateLimit) {
		const rl = rateLimit === true ? {} : rateLimit;
		this.options.rateLimit = rl ? { createsPerWindow: 20, windowMs: 10000, pollsPerSecond: 10, ...rl } : null;
		if (this._createTimes) this._createTimes.length = 0;
		if (this._pollTimes) this._pollTimes.length = 0;
		return this;
	}

	failNextTask({ failCode = '500', failMsg = 'Internal server error' } = {}) {
		this.nextTasks.push({ fail: { failCode, failMsg } });
		return this;
	}

	/** Properties for the next created task: { genMs, resultBytes, fail:{failCode,failMsg}, resultCount }. */
	nextTask(opts = {}) {
		this.nextTasks.push({ ...opts });
		return this;
	}

	/**
	 * Change a task: { outcome:'success'|'fail', failCode, failMsg, genMs, resultBytes, completeNow }.
	 * Changing outcome/genMs after the task already ended is allowed (no new callback is sent).
	 */
	setTaskOutcome(taskId, patch = {}) {
		const task = this.tasks.get(taskId);
		if (!task) throw new Error(`sim.setTaskOutcome: unknown task ${taskId}`);
		if (patch.outcome === 'fail' || patch.state === 'fail' || patch.failCode !== undefined) {
			task.outcome = 'fail';
			task.failCode = String(patch.failCode === undefined ? task.failCode || '500' : patch.failCode);
			task.failMsg = patch.failMsg === undefined ? task.failMsg || 'Internal server error' : patch.failMsg;
		}
		if (patch.outcome === 'success' || patch.state === 'success') task.outcome = 'success';
		if (patch.resultBytes !== undefined) {
			task.resultBytes = patch.resultBytes;
			task.files.clear();
		}
		if (patch.genMs !== undefined) {
			task.genMs = patch.genMs;
			this._scheduleFinalize(task);
		}
		if (patch.completeNow) this.completeTask(taskId);
		return task;
	}

	/** End a running task now (its callback, if any, is sent). */
	completeTask(taskId) {
		const task = this.tasks.get(taskId);
		if (!task) throw new Error(`sim.completeTask: unknown task ${taskId}`);
		if (!task.finalized) {
			task.genMs = Math.max(0, Date.now() - task.createdAt);
			this._finalize(task);
		}
		return task;
	}

	setCredits(n) {
		this.credits = n;
	}

	/** Public view of a task: the record the API would return right now. */
	taskRecord(taskId) {
		const task = this.tasks.get(taskId);
		if (!task) return undefined;
		return task.family === '4o' ? this._fourORecord(task) : this._marketRecord(task);
	}

	/** Resolves when `count` callback deliveries have finished (all their attempts). */
	waitForCallbacks(count = 1, timeoutMs = 5000) {
		return this._waitUntil(
			() => this.callbacks.filter((c) => c.finishedAt || c.lost).length >= count,
			timeoutMs,
			() => `waitForCallbacks: ${this.callbacks.filter((c) => c.finishedAt || c.lost).length} of ${count}`,
		);
	}

	/**
	 * Resolves when every task that has a callBackUrl has ended and all callback deliveries
	 * (including retries and duplicates) are over.
	 */
	settle(timeoutMs = 10000) {
		return this._waitUntil(
			() => {
				for (const t of this.tasks.values()) {
					if (t.callBackUrl && !this._isTerminal(t)) return false;
				}
				return this.callbackDispatcher.pending.size === 0;
			},
			timeoutMs,
			() => `settle: ${this.callbackDispatcher.pending.size} callback deliveries still pending`,
		);
	}

	/** Resolves with the record once the task reached success/fail. */
	async waitForTask(taskId, timeoutMs = 10000) {
		await this._waitUntil(
			() => {
				const t = this.tasks.get(taskId);
				return t && this._isTerminal(t);
			},
			timeoutMs,
			() => `waitForTask: ${taskId} not finished`,
		);
		return this.taskRecord(taskId);
	}

	_waitUntil(pred, timeoutMs, msg) {
		return new Promise((resolve, reject) => {
			const started = Date.now();
			const tick = () => {
				if (pred()) return resolve();
				if (Date.now() - started > timeoutMs) return reject(new Error(`${msg()} within ${timeoutMs} ms`));
				this._setTimer(tick, 10);
			};
			tick();
		});
	}

	/**
	 * Replace the OpenAPI document GET /api/v1/models/{model}/schema serves for a listed model (KIE's
	 * docs drifting): a document, null, a function of the default document, or undefined to restore it.
	 * Creates of built-in models are still validated against the catalogue; creates of extra models
	 * against the document served.
	 */
	setModelSchema(modelId, schema) {
		catalogueApi.setModelSchema(this, modelId, schema);
		return this;
	}

	/** Pauses a Market model (`true`): its creates are refused with KIE's "temporarily paused" answer; `false` resumes it. */
	setModelPaused(modelId, paused) {
		if (!this._paused) this._paused = new Set();
		if (paused) this._paused.add(modelId);
		else this._paused.delete(modelId);
		return this;
	}

	/** Takes a model off the live list (`false`: KIE paused or retired it) or puts it back (`true`). */
	setModelListed(modelId, listed) {
		catalogueApi.setModelListed(this, modelId, listed);
		return this;
	}

	/** The document the schema endpoint serves for a model right now (a copy); undefined if not listed. */
	modelSchema(modelId) {
		return catalogueApi.modelSchema(this, modelId);
	}

	reset() {
		this.requests.length = 0;
		for (const t of this.tasks.values()) if (t.timer) clearTimeout(t.timer);
		this.tasks.clear();
		this.faults.length = 0;
		this.nextTasks.length = 0;
		this.callbackDispatcher.reset();
		Object.assign(this.stats, Simulator._emptyStats());
		this.credits = this.options.credits;
		this._createTimes.length = 0;
		this._pollTimes.length = 0;
		catalogueApi.reset(this);
		if (this._paused) this._paused.clear();
		for (const u of this.uploads.values()) fs.rm(u.diskPath, { force: true }, () => {});
		this.uploads.clear();
	}

	async close() {
		for (const t of this.tasks.values()) if (t.timer) clearTimeout(t.timer);
		for (const t of this._timers) clearTimeout(t);
		this._timers.clear();
		await this.callbackDispatcher.close();
		await new Promise((resolve) => {
			this._server.close(() => resolve());
			this._server.closeAllConnections();
		});
		if (this._otherServer) {
			await new Promise((resolve) => {
				this._otherServer.close(() => resolve());
				this._otherServer.closeAllConnections();
			});
		}
		fs.rmSync(this._storeDir, { recursive: true, force: true });
	}

	// -- timers / tasks ---------------------------------------------------------------------------

	_setTimer(fn, ms) {
		const t = setTimeout(() => {
			this._timers.delete(t);
			fn();
		}, ms);
		if (t.unref) t.unref();
		this._timers.add(t);
		return t;
	}

	_resolveGenMs(model, body) {
		const g = this.options.genMs;
		const v = typeof g === 'function' ? g(model, body) : g;
		return Number.isFinite(Number(v)) || v === Infinity ? Math.max(0, Number(v)) : 300;
	}

	_cost(family, mediaKind, body) {
		const c = this.options.taskCost;
		if (typeof c === 'function') return Number(c(family === '4o' ? FOUR_O_MODEL : body.model, body)) || 0;
		if (typeof c === 'number') return c;
		if (family === '4o') return 6 * ((body && body.nVariants) || 1);
		return mediaKind === 'video' ? 20 : mediaKind === 'audio' ? 3 : 4;
	}

	_takeFault(route, kinds) {
		const i = this.faults.findIndex((f) => f.route === route && kinds.includes(f.kind));
		if (i === -1) return null;
		const f = this.faults[i];
		// `skip`: this many matching requests pass first (e.g. the 8th create of a batch fails).
		if (f.opts.skip > 0) {
			f.opts.skip--;
			return null;
		}
		f.remaining--;
		if (f.remaining <= 0) this.faults.splice(i, 1);
		this.stats.faultsFired++;
		return { kind: f.kind, ...f.opts };
	}

	_newTask(family, route, body, entry) {
		const now = Date.now();
		this._counter++;
		const modelId = family === '4o' ? FOUR_O_MODEL : body.model;
		const slug = family === '4o' ? '4o' : modelSlug(body.model);
		const taskId = `task_${slug}_${String(this._counter).padStart(4, '0')}${randomHex(8)}`;
		const recordId = randomHex(32);
		// nextTask() entries first, then the per-body `taskFor` option (independent of arrival order).
		const next =
			this.nextTasks.shift() || (typeof this.options.taskFor === 'function' ? this.options.taskFor(modelId, body) || {} : {});
		const mediaKind = family === '4o' ? 'image' : (entry && entry.media) || 'image';
		const textOutput = family !== '4o' && entry && entry.kind === 'speech-to-text';
		const count =
			next.resultCount !== undefined
				? next.resultCount
				: family === '4o'
					? body.nVariants || 1
					: resultCountFromInput(body.input);
		const ext = media.MEDIA[mediaKind].ext;
		const resultUrls = textOutput
			? []
			: Array.from({ length: count }, (_, i) => `${this.url}/files/${taskId}/${i}.${ext}`);
		const malformed = Boolean(this._takeFault(route, ['malformedResultJson']));
		const callBackUrl = typeof body.callBackUrl === 'string' ? body.callBackUrl : undefined;
		const callbackFault = callBackUrl ? this._takeFault('callback', CALLBACK_FAULTS) : null;
		const genMs = next.genMs !== undefined ? Math.max(0, next.genMs) : this._resolveGenMs(modelId, body);
		const resultBytesOpt =
			next.resultBytes !== undefined
				? next.resultBytes
				: typeof this.options.resultBytes === 'function'
					? this.options.resultBytes(modelId, body)
					: this.options.resultBytes;
		const task = {
			taskId,
			recordId,
			family,
			model: modelId,
			body,
			param: JSON.stringify(body),
			media: mediaKind,
			ext,
			aspect: family === '4o' ? body.size : aspectFromInput(body.input),
			createdAt: now,
			genMs: callbackFault && callbackFault.kind === 'beforeCreateResponse' ? 0 : genMs,
			outcome: next.fail ? 'fail' : 'success',
			failCode: next.fail ? String(next.fail.failCode === undefined ? '500' : next.fail.failCode) : '',
			failMsg: next.fail ? next.fail.failMsg || 'Internal server error' : '',
			resultUrls,
			resultObject: textOutput
				? { text: 'This is a simulated transcription.', language_code: 'en', words: [] }
				: undefined,
			resultBytes: resultBytesOpt,
			malformedResultJson: malformed,
			callBackUrl,
			callbackFault,
			cost: this._cost(family, mediaKind, body),
			finalized: false,
			completedAt: null,
			creditsConsumed: 0,
			remainedCredits: null,
			timer: null,
			files: new Map(),
			callbackPromise: null,
		};
		this.tasks.set(taskId, task);
		this.stats.accepted++;
		this._scheduleFinalize(task);
		return task;
	}

	_scheduleFinalize(task) {
		if (task.timer) clearTimeout(task.timer);
		task.timer = null;
		if (task.finalized) return;
		const due = task.createdAt + task.genMs - Date.now();
		if (due <= 0) {
			this._finalize(task);
			return;
		}
		if (due > MAX_TIMER_MS) return; // never (or very late): finalized lazily
		task.timer = setTimeout(() => {
			task.timer = null;
			this._finalize(task);
		}, due);
		if (task.timer.unref) task.timer.unref();
	}

	_isTerminal(task) {
		if (!task.finalized && Date.now() - task.createdAt >= task.genMs) this._finalize(task);
		return task.finalized;
	}

	_finalize(task) {
		if (task.finalized) return;
		task.finalized = true;
		if (task.timer) clearTimeout(task.timer);
		task.timer = null;
		task.completedAt = task.createdAt + task.genMs;
		if (task.outcome === 'success') {
			task.creditsConsumed = task.cost;
			this.credits = Math.round((this.credits - task.cost) * 100) / 100;
		}
		task.remainedCredits = this.credits;
		if (task.callBackUrl) task.callbackPromise = this._sendCallback(task);
	}

	_sendCallback(task) {
		let payload;
		if (task.family === '4o') {
			payload = fourOPayload({
				taskId: task.taskId,
				success: task.outcome === 'success',
				resultUrls: task.resultUrls,
				errorCode: Number(task.failCode) || 400,
				errorMessage: task.failMsg,
			});
		} else if (this.options.realKie) {
			payload = this._realMarketCallback(task);
		} else {
			const rec = this._marketRecord(task);
			delete rec.successFlag;
			delete rec.creditsConsumed;
			delete rec.operationType;
			delete rec.paramJson;
			payload = marketPayload(rec, { consumeCredits: task.creditsConsumed, remainedCredits: task.remainedCredits });
		}
		return this.callbackDispatcher.deliver({
			taskId: task.taskId,
			url: task.callBackUrl,
			family: task.family,
			payload,
			fault: task.callbackFault,
		});
	}

	_marketState(task) {
		if (this._isTerminal(task)) return task.outcome === 'success' ? 'success' : 'fail';
		const e = Date.now() - task.createdAt;
		if (e < task.genMs * 0.1) return 'waiting';
		if (e < task.genMs * 0.25) return 'queuing';
		return 'generating';
	}

	_resultJsonString(task) {
		if (task.resultObject) return JSON.stringify({ resultObject: task.resultObject });
		const s = JSON.stringify({ resultUrls: task.resultUrls });
		return task.malformedResultJson ? s.slice(0, -1) + ',' : s;
	}

	/** `param` as real KIE echoes it: `input` as a JSON string, then callBackUrl and model (market-record-2, market-callback-1). */
	_realMarketParam(task) {
		const body = task.body || {};
		return JSON.stringify({
			input: JSON.stringify(body.input === undefined ? {} : body.input),
			...(typeof body.callBackUrl === 'string' ? { callBackUrl: body.callBackUrl } : {}),
			model: body.model,
		});
	}

	/**
	 * A Market callback as real KIE sends it (market-callback-1): the record's fields in alphabetical order,
	 * `creditsConsumed` (no consumeCredits / remainedCredits), `updateTime`, no successFlag; fail fields only
	 * on failure.
	 */
	_realMarketCallback(task) {
		const rec = this._marketRecord(task);
		const success = rec.state === 'success';
		const data = {
			completeTime: rec.completeTime,
			costTime: rec.costTime,
			createTime: rec.createTime,
			creditsConsumed: task.creditsConsumed,
			...(success ? {} : { failCode: task.failCode, failMsg: task.failMsg }),
			model: rec.model,
			param: rec.param,
			resultJson: rec.resultJson,
			state: rec.state,
			taskId: rec.taskId,
			updateTime: rec.completeTime === null ? rec.createTime : rec.completeTime,
		};
		return {
			code: success ? 200 : 501,
			msg: success ? 'Playground task completed successfully.' : 'Playground task failed.',
			data,
		};
	}

	_marketRecord(task) {
		const real = this.options.realKie;
		const state = this._marketState(task);
		const terminal = state === 'success' || state === 'fail';
		const e = Date.now() - task.createdAt;
		let updateTime = task.createdAt;
		if (terminal) updateTime = task.completedAt;
		else if (state === 'queuing') updateTime = task.createdAt + Math.round(task.genMs * 0.1);
		else if (state === 'generating') updateTime = task.createdAt + Math.round(task.genMs * 0.25);
		const costTime = terminal
			? this.options.costTimeUnit === 's'
				? Math.round(task.genMs / 1000)
				: Math.round(task.genMs)
			: real
				? null
				: 0;
		const param = real ? this._realMarketParam(task) : task.param;
		// Real KIE: failCode / failMsg null unless the task failed, no updateTime (market-record-1/2/3).
		const noFail = real ? null : '';
		const rec = {
			taskId: task.taskId,
			model: task.model,
			state,
			param,
			resultJson: state === 'success' ? this._resultJsonString(task) : '',
			failCode: state === 'fail' ? task.failCode : noFail,
			failMsg: state === 'fail' ? task.failMsg : noFail,
			costTime,
			completeTime: terminal ? task.completedAt : null,
			createTime: task.createdAt,
			updateTime: Math.min(updateTime, task.createdAt + Math.max(e, 0)),
			successFlag: state === 'success' ? 1 : state === 'fail' ? 3 : 0,
			creditsConsumed: state === 'success' ? task.creditsConsumed : 0,
			// Extra fields of today's records (market-record-3), harmless to every client: always on.
			operationType: task.model,
			paramJson: param,
		};
		if (real) delete rec.updateTime;
		if (this.options.includeResponseField) {
			rec.response =
				state === 'success'
					? task.resultObject
						? { resultObject: task.resultObject }
						: { resultUrls: task.resultUrls }
					: null;
			rec.progress = null;
		}
		return rec;
	}

	_fourOTime(ms) {
		if (ms === null || ms === undefined) return null;
		return this.options.fourOTimeFormat === 'string' ? formatTime(ms) : ms;
	}

	_fourORecord(task) {
		const terminal = this._isTerminal(task);
		const key = this.options.fourOResultKey === 'result_urls' ? 'result_urls' : 'resultUrls';
		const success = terminal && task.outcome === 'success';
		const failed = terminal && !success;
		const e = Date.now() - task.createdAt;
		const progress = success
			? '1.00'
			: failed
				? '0.00'
				: Math.min(0.99, task.genMs > 0 ? e / task.genMs : 0).toFixed(2);
		return {
			taskId: task.taskId,
			paramJson: task.param,
			completeTime: terminal ? this._fourOTime(task.completedAt) : null,
			response: terminal ? { [key]: success ? task.resultUrls.slice() : [] } : null,
			successFlag: success ? 1 : failed ? 2 : 0,
			status: success ? 'SUCCESS' : failed ? 'GENERATE_FAILED' : 'GENERATING',
			errorCode: failed ? Number(task.failCode) || 400 : null,
			errorMessage: failed ? task.failMsg : null,
			createTime: this._fourOTime(task.createdAt),
			progress,
		};
	}

	// -- download links ---------------------------------------------------------------------------

	_sign(pathname, date, expires) {
		return crypto.createHmac('sha256', this._secret).update(`${pathname}\n${date}\n${expires}`).digest('hex');
	}

	_presign(pathname) {
		const date = amzDate(Date.now());
		const expires = String(this.options.downloadUrlTtlSec);
		const q = new URLSearchParams({
			'X-Amz-Algorithm': 'AWS4-HMAC-SHA256',
			'X-Amz-Credential': `kie-sim/${date.slice(0, 8)}/auto/s3/aws4_request`,
			'X-Amz-Date': date,
			'X-Amz-Expires': expires,
			'X-Amz-SignedHeaders': 'host',
			'X-Amz-Signature': this._sign(pathname, date, expires),
		});
		return `${this.url}${pathname}?${q.toString()}`;
	}

	/** Map a URL produced by this simulator to its resource, or null. */
	_resolveOwnUrl(raw) {
		if (typeof raw !== 'string') return null;
		let u;
		try {
			u = new URL(raw);
		} catch {
			return null;
		}
		let own;
		try {
			own = new URL(this.url);
		} catch {
			return null;
		}
		const samePort = (u.port || (u.protocol === 'https:' ? '443' : '80')) === (own.port || '80');
		const sameHost = u.host === own.host || (isLoopbackHost(u.hostname) && isLoopbackHost(own.hostname) && samePort);
		if (!sameHost) return null;
		return this._resolveFilePath(u.pathname);
	}

	_resolveFilePath(pathname) {
		let p;
		try {
			p = decodeURIComponent(pathname);
		} catch {
			return null;
		}
		if (p.startsWith('/files/uploads/')) {
			const filePath = p.slice('/files/uploads/'.length);
			const up = this.uploads.get(filePath);
			return up ? { type: 'upload', upload: up, pathname } : null;
		}
		const m = /^\/files\/([^/]+)\/(\d+)\.([a-z0-9]+)$/.exec(p);
		if (!m) return null;
		const task = this.tasks.get(m[1]);
		if (!task) return null;
		const idx = Number(m[2]);
		if (m[3] !== task.ext || idx >= task.resultUrls.length) return null;
		return { type: 'result', task, index: idx, pathname };
	}

	// -- HTTP plumbing ----------------------------------------------------------------------------

	_send(ctx, httpStatus, body, extraHeaders = {}) {
		const { res, entry } = ctx;
		const payload = Buffer.from(JSON.stringify(body), 'utf8');
		if (entry) {
			entry.httpStatus = httpStatus;
			entry.answerCode = body && typeof body.code === 'number' ? body.code : httpStatus;
			entry.response = body;
		}
		if (res.headersSent || res.destroyed) return;
		res.writeHead(httpStatus, {
			'Content-Type': 'application/json; charset=utf-8',
			'Content-Length': String(payload.length),
			...extraHeaders,
		});
		res.end(payload);
	}

	/**
	 * `data` undefined: null, or, with realKie, no `data` key on an error (error-envelope-2/3/4/6/7,
	 * upload-error-1). An explicit null stays (error-envelope-1, -5).
	 */
	_envelope(ctx, code, msg, data) {
		const omit = data === undefined && this.options.realKie && code !== 200;
		const value = data === undefined ? null : data;
		if (ctx.upload) return omit ? { success: code === 200, code, msg } : { success: code === 200, code, msg, data: value };
		return omit ? { code, msg } : { code, msg, data: value };
	}

	/** Send an envelope answer, honouring a pending 'slow' / 'drop' fault. */
	async _answer(ctx, answer) {
		const body = this._envelope(ctx, answer.code, answer.msg, answer.data);
		const fault = ctx.fault;
		if (fault && fault.kind === 'slow') {
			await new Promise((resolve) => this._setTimer(resolve, fault.ms === undefined ? 2000 : fault.ms));
		}
		if (fault && fault.kind === 'drop') {
			ctx.entry.dropped = true;
			ctx.entry.answerCode = null;
			ctx.entry.wouldHaveAnswered = body;
			ctx.req.socket.destroy();
			return;
		}
		this._send(ctx, answer.httpStatus || 200, body, answer.headers);
	}

	_internalError(req, res, err) {
		const body = { code: 500, msg: `Simulator internal error: ${err && err.message}`, data: null };
		if (!res.headersSent && !res.destroyed) {
			res.writeHead(500, { 'Content-Type': 'application/json' });
			res.end(JSON.stringify(body));
		}
	}

	async _handle(req, res) {
		const u = new URL(req.url, 'http://sim.local');
		if (u.pathname === '/__sim' || u.pathname.startsWith('/__sim/')) return this._admin(req, res, u);
		if (u.pathname === '/samples/prompts.csv') return sendSampleCsv(res, u);

		const def = ROUTES[u.pathname] || catalogueApi.matchRoute(u.pathname);
		const isFile = u.pathname.startsWith('/files/');
		const route = def ? def.route : isFile ? 'file' : 'unknown';
		const entry = {
			method: req.method,
			path: u.pathname,
			query: Object.fromEntries(u.searchParams),
			headers: maskHeaders(req.headers),
			body: undefined,
			route,
			answerCode: null,
			httpStatus: null,
			at: Date.now(),
		};
		this.requests.push(entry);
		this.stats.requests++;
		const ctx = { req, res, u, entry, route, upload: Boolean(def && def.upload), fault: null };

		if (isFile) return this._serveFile(ctx);
		if (!def) {
			await drain(req);
			return this._send(ctx, 404, { code: 404, msg: 'Not Found', data: null });
		}
		if (req.method !== def.method) {
			await drain(req);
			return this._send(ctx, 405, this._envelope(ctx, 405, `Method ${req.method} not allowed`));
		}

		// Body of JSON routes is read up front (it is small); the stream upload is parsed later.
		let raw = null;
		if (def.method === 'POST' && route !== 'uploadStream') {
			const r = await readBody(req, this.options.maxJsonBytes);
			if (r.tooLarge) {
				entry.body = `[${r.size} bytes, too large]`;
				return this._send(ctx, 200, this._envelope(ctx, 400, 'Request body too large'), { Connection: 'close' });
			}
			raw = r.buffer;
		}

		// Upload host sits behind Cloudflare: no User-Agent → 403 "error code: 1010".
		if (ctx.upload) {
			const ua = req.headers['user-agent'];
			if (!ua || !String(ua).trim()) {
				if (route === 'uploadStream') await drain(req);
				entry.httpStatus = 403;
				entry.answerCode = 403;
				const text = 'error code: 1010';
				res.writeHead(403, { 'Content-Type': 'text/plain; charset=UTF-8', 'Content-Length': String(text.length) });
				res.end(text);
				return;
			}
		}

		// Auth
		const auth = req.headers.authorization;
		if (typeof auth !== 'string' || auth !== `Bearer ${this.options.apiKey}`) {
			if (route === 'uploadStream') await drain(req);
			if (raw) entry.body = this._logBody(route, raw);
			return this._send(ctx, 200, this._envelope(ctx, 401, 'You do not have access permissions'));
		}

		// Request-level faults
		ctx.fault = this._takeFault(route, REQUEST_FAULTS);
		if (ctx.fault && !['slow', 'drop'].includes(ctx.fault.kind)) {
			if (route === 'uploadStream') await drain(req);
			if (raw) entry.body = this._logBody(route, raw);
			return this._faultAnswer(ctx);
		}

		// Rate limits
		if (CREATE_ROUTES.has(route)) this.stats.creates++;
		if (POLL_ROUTES.has(route)) this.stats.polls++;
		if (this._rateLimited(route)) {
			if (raw) entry.body = this._logBody(route, raw);
			return this._send(ctx, 200, this._envelope(ctx, 429, 'Rate limit exceeded'));
		}

		if (route === 'uploadStream') return this._answer(ctx, await this._uploadStream(ctx));

		let body;
		if (def.method === 'POST') {
			entry.body = this._logBody(route, raw);
			const ct = String(req.headers['content-type'] || '');
			if (!/^application\/json\b/i.test(ct)) {
				return this._answer(ctx, { code: 400, msg: 'Content-Type must be application/json' });
			}
			try {
				body = JSON.parse(raw.toString('utf8'));
			} catch {
				return this._answer(ctx, { code: 400, msg: 'Invalid JSON in request body' });
			}
		}

		if (sunoTools.handles(route)) return this._answer(ctx, await sunoTools.answer(this, ctx, route, body));
		if (families.handles(route)) return this._answer(ctx, await families.answer(this, ctx, route, body));
		let answer;
		switch (route) {
			case 'credit':
				answer = { code: 200, msg: 'success', data: this.credits };
				break;
			case 'createTask':
				answer = await this._createTask(ctx, body);
				break;
			case 'recordInfo':
				answer = this._recordInfo(u, 'market');
				break;
			case '4oGenerate':
				answer = await this._fourOGenerate(ctx, body);
				break;
			case '4oRecordInfo':
				answer = this._recordInfo(u, '4o');
				break;
			case '4oDownloadUrl':
				answer = this._fourODownloadUrl(body);
				break;
			case 'downloadUrl':
				answer = this._downloadUrl(body);
				break;
			case 'uploadBase64':
				answer = await this._uploadBase64(ctx, body);
				break;
			case 'uploadUrl':
				answer = await this._uploadUrl(ctx, body);
				break;
			default:
				answer = catalogueApi.CATALOGUE_ROUTES.includes(route)
					? catalogueApi.answer(this, ctx, route)
					: { code: 404, msg: 'Not Found' };
		}
		return this._answer(ctx, answer);
	}

	_logBody(route, raw) {
		if (!raw) return undefined;
		const text = raw.toString('utf8');
		let parsed;
		try {
			parsed = JSON.parse(text);
		} catch {
			return text.length > 2000 ? `${text.slice(0, 2000)}…` : text;
		}
		if (route === 'uploadBase64' && isPlainObject(parsed) && typeof parsed.base64Data === 'string') {
			return { ...parsed, base64Data: `[base64 ${parsed.base64Data.length} chars]` };
		}
		return parsed;
	}

	_faultAnswer(ctx) {
		const f = ctx.fault;
		const env = (code, msg, data) => this._envelope(ctx, code, msg, data);
		switch (f.kind) {
			case 'code429':
				return this._send(ctx, 200, env(429, f.msg || 'Rate limit exceeded'));
			case 'http429':
				return this._send(
					ctx,
					429,
					env(429, f.msg || 'Rate limit exceeded'),
					f.retryAfter !== undefined ? { 'Retry-After': String(f.retryAfter) } : {},
				);
			case 'code455':
				return this._send(ctx, 200, env(455, f.msg || 'Service unavailable: the system is under maintenance'));
			case 'code500':
				return this._send(ctx, 200, env(500, f.msg || 'Server error, please try again later'));
			case 'http500':
				return this._send(ctx, 500, env(500, f.msg || 'Internal Server Error'));
			case 'maintenance':
				// As observed live: code 500, no `data` key at all (error-envelope-2).
				return this._send(ctx, 200, ctx.upload ? { success: false, code: 500, msg: f.msg || MAINTENANCE_MSG } : { code: 500, msg: f.msg || MAINTENANCE_MSG });
			case 'dailyLimit':
				return this._send(ctx, 200, env(433, f.msg || DAILY_LIMIT_MSG, null));
			case 'redirect':
			case 'redirectSame': {
				const base = f.kind === 'redirect' ? this.otherOrigin.url : this.url;
				const query = new URLSearchParams(ctx.u.search);
				if (f.kind === 'redirectSame') query.set('redirected', '1');
				const location = `${base}${ctx.u.pathname}${query.toString() ? `?${query}` : ''}`;
				ctx.entry.httpStatus = 307;
				ctx.entry.answerCode = 307;
				ctx.entry.redirectedTo = location;
				ctx.res.writeHead(307, { Location: location, 'Content-Length': '0' });
				ctx.res.end();
				return undefined;
			}
			case 'code':
			default:
				return this._send(
					ctx,
					f.httpStatus || 200,
					env(f.code === undefined ? 500 : f.code, f.msg || 'Simulated error', f.data),
				);
		}
	}

	_rateLimited(route) {
		const rl = this.options.rateLimit;
		if (!rl) return false;
		const now = Date.now();
		if (CREATE_ROUTES.has(route)) {
			while (this._createTimes.length && this._createTimes[0] <= now - rl.windowMs) this._createTimes.shift();
			if (this._createTimes.length >= rl.createsPerWindow) {
				this.stats.rejected429++;
				this.stats.createRejected429++;
				return true;
			}
			this._createTimes.push(now);
			this.stats.peakCreatesInWindow = Math.max(this.stats.peakCreatesInWindow, this._createTimes.length);
		}
		if (POLL_ROUTES.has(route)) {
			while (this._pollTimes.length && this._pollTimes[0] <= now - 1000) this._pollTimes.shift();
			if (this._pollTimes.length >= rl.pollsPerSecond) {
				this.stats.rejected429++;
				this.stats.pollRejected429++;
				return true;
			}
			this._pollTimes.push(now);
		}
		return false;
	}

	// -- routes -----------------------------------------------------------------------------------

	async _createTask(ctx, body) {
		// A model KIE paused (sim.setModelPaused): refused before validation, nothing charged. KIE's answer text
		// as recorded for Sora 2 (June 2026); its code was not recorded (500 here).
		if (this._paused && body && typeof body === 'object' && this._paused.has(body.model)) {
			return { code: 500, msg: 'This interface is temporarily paused' };
		}
		const v = validateCreateTask(body, {
			allowUnknownInput: this.options.allowUnknownInput,
			// models only the live catalogue lists: validated against the document it serves now
			liveModel: (modelId) => catalogueApi.liveModel(this, modelId),
		});
		if (!v.ok) return { code: v.code, msg: v.msg };
		const cost = this._cost('market', v.entry.media, body);
		if (this.credits < cost) return { code: 402, msg: 'The current credits are insufficient. Please top up.' };
		const task = this._newTask('market', 'createTask', body, v.entry);
		ctx.entry.taskId = task.taskId;
		await this._beforeCreateResponse(task);
		return { code: 200, msg: 'success', data: { taskId: task.taskId, recordId: task.recordId } };
	}

	async _fourOGenerate(ctx, body) {
		const v = validate4o(body, {
			allowUnknownInput: this.options.allowUnknownInput,
			fourORequirePrompt: this.options.fourORequirePrompt,
		});
		if (!v.ok) return { code: v.code, msg: v.msg };
		const cost = this._cost('4o', 'image', body);
		if (this.credits < cost) return { code: 402, msg: 'The current credits are insufficient. Please top up.' };
		const task = this._newTask('4o', '4oGenerate', body, null);
		ctx.entry.taskId = task.taskId;
		await this._beforeCreateResponse(task);
		return { code: 200, msg: 'success', data: { taskId: task.taskId } };
	}

	async _beforeCreateResponse(task) {
		if (task.callbackFault && task.callbackFault.kind === 'beforeCreateResponse') {
			this._finalize(task);
			if (task.callbackPromise) await task.callbackPromise;
		}
	}

	_recordInfo(u, family) {
		const taskId = u.searchParams.get('taskId');
		if (!taskId) return { code: 400, msg: 'taskId parameter is required' };
		const task = this.tasks.get(taskId);
		if (family === 'market') {
			// Real KIE's Market endpoint answers a task it does not know with 422 "recordInfo is null" (error-envelope-5),
			// and so it answers a task created less than notIndexedMs ago (scenario-poll-1), while it still runs (a task
			// that has ended is indexed: its callback has gone out).
			if ((!task || task.family !== family) && this.options.realKie) return { ...NOT_INDEXED };
			if (task && task.family === family && Date.now() - task.createdAt < this.options.notIndexedMs && !this._isTerminal(task)) {
				task.notIndexedAnswers = (task.notIndexedAnswers || 0) + 1;
				return { ...NOT_INDEXED };
			}
		}
		if (!task || task.family !== family) return { code: 404, msg: 'Task not found' };
		return { code: 200, msg: 'success', data: family === '4o' ? this._fourORecord(task) : this._marketRecord(task) };
	}

	_fourODownloadUrl(body) {
		if (!isPlainObject(body)) return { code: 422, msg: 'Request body must be a JSON object' };
		if (typeof body.taskId !== 'string' || !body.taskId) return { code: 422, msg: 'taskId is required' };
		if (typeof body.url !== 'string' || !body.url) return { code: 422, msg: 'url is required' };
		const task = this.tasks.get(body.taskId);
		if (!task || task.family !== '4o') return { code: 422, msg: 'The record is empty (unknown taskId)' };
		if (!this._isTerminal(task) || task.outcome !== 'success') {
			return { code: 422, msg: 'The record is not successful; only successful records can be downloaded' };
		}
		const resolved = this._resolveOwnUrl(body.url);
		if (!resolved || resolved.type !== 'result' || resolved.task !== task) {
			return { code: 422, msg: 'url does not belong to this task' };
		}
		return { code: 200, msg: 'success', data: this._presign(resolved.pathname) };
	}

	_downloadUrl(body) {
		if (!isPlainObject(body)) return { code: 422, msg: 'Request body must be a JSON object' };
		if (typeof body.url !== 'string' || !body.url) return { code: 422, msg: 'url is required' };
		const resolved = this._resolveOwnUrl(body.url);
		if (!resolved) return { code: 422, msg: 'Only KIE-generated file URLs are supported' };
		if (resolved.type === 'result' && (!this._isTerminal(resolved.task) || resolved.task.outcome !== 'success')) {
			return { code: 422, msg: 'The file is not available (task not successful)' };
		}
		return { code: 200, msg: 'success', data: this._presign(resolved.pathname) };
	}

	// -- uploads ----------------------------------------------------------------------------------

	_checkUploadPath(uploadPath) {
		if (uploadPath === undefined || uploadPath === null || uploadPath === '') {
			return 'Missing required parameter: uploadPath';
		}
		if (typeof uploadPath !== 'string') return 'Invalid uploadPath: must be a string';
		if (uploadPath.startsWith('/') || uploadPath.endsWith('/')) {
			return 'Invalid uploadPath: must not start or end with a slash';
		}
		if (uploadPath.split('/').some((s) => s === '' || s === '.' || s === '..') || /[\\\0]/.test(uploadPath)) {
			return 'Invalid uploadPath';
		}
		return null;
	}

	_checkFileName(fileName) {
		if (fileName === undefined || fileName === null || fileName === '') return null;
		if (typeof fileName !== 'string') return 'Invalid fileName: must be a string';
		if (/[/\\\0]/.test(fileName) || fileName === '.' || fileName === '..') return 'Invalid fileName';
		return null;
	}

	_storeUpload({ tmpPath, size, sha256, uploadPath, fileName, originalName, declaredMime, sniffed }) {
		const declared = declaredMime && !/^application\/octet-stream/i.test(declaredMime) ? declaredMime : undefined;
		let name = fileName;
		if (!name) {
			const ext =
				(/\.([A-Za-z0-9]+)$/.exec(String(originalName || '')) || [])[1] ||
				media.extFromMime(declared || sniffed) ||
				'bin';
			name = `${Date.now()}_${randomHex(8)}.${ext.toLowerCase()}`;
		}
		const mimeType = media.mimeFromName(name) || declared || sniffed || 'application/octet-stream';
		// Real KIE files every upload under `kieai/<userId>/` (upload-stream-1/2).
		const filePath = this.options.realKie ? `kieai/${REAL_KIE_USER_ID}/${uploadPath}/${name}` : `${uploadPath}/${name}`;
		const diskPath = path.join(this._storeDir, `up-${randomHex(16)}`);
		fs.renameSync(tmpPath, diskPath);
		const old = this.uploads.get(filePath);
		if (old) fs.rm(old.diskPath, { force: true }, () => {});
		const uploadedAt = new Date().toISOString();
		const rec = {
			fileName: name,
			filePath,
			diskPath,
			size,
			sha256,
			mimeType: mimeType.split(';')[0].trim(),
			uploadedAt,
			originalName,
		};
		this.uploads.set(filePath, rec);
		this.stats.uploads++;
		const downloadUrl = `${this.url}/files/uploads/${filePath.split('/').map(encodeURIComponent).join('/')}`;
		return {
			code: 200,
			msg: 'File uploaded successfully',
			// `success` inside `data` too, as real KIE answers (upload-stream-1/2): an extra field, always on.
			data: { success: true, fileName: name, filePath, downloadUrl, fileSize: size, mimeType: rec.mimeType, uploadedAt },
		};
	}

	async _uploadStream(ctx) {
		const { req, entry } = ctx;
		const boundary = getBoundary(req.headers['content-type']);
		if (!boundary) {
			await drain(req);
			return { code: 400, msg: 'Content-Type must be multipart/form-data with a boundary' };
		}
		let parsed;
		try {
			parsed = await parseMultipart(req, { boundary, fileField: 'file', tmpDir: this._storeDir });
		} catch (err) {
			if (!(err instanceof MultipartError)) throw err;
			await drain(req).catch(() => {});
			return { code: 400, msg: `Invalid multipart body: ${err.message}` };
		}
		const { fields, file } = parsed;
		entry.body = {
			fields,
			file: file ? { name: file.filename, size: file.size, sha256: file.sha256, mimeType: file.contentType } : null,
		};
		const discard = () => file && fs.rm(file.tmpPath, { force: true }, () => {});
		const pathErr = this._checkUploadPath(fields.uploadPath);
		if (pathErr) {
			discard();
			return { code: 400, msg: pathErr };
		}
		const nameErr = this._checkFileName(fields.fileName);
		if (nameErr) {
			discard();
			return { code: 400, msg: nameErr };
		}
		if (!file) return { code: 400, msg: 'Missing required parameter: file' };
		let sniffed;
		try {
			const fd = fs.openSync(file.tmpPath, 'r');
			const head = Buffer.alloc(16);
			const n = fs.readSync(fd, head, 0, 16, 0);
			fs.closeSync(fd);
			sniffed = sniffMime(head.subarray(0, n));
		} catch {
			sniffed = undefined;
		}
		return this._storeUpload({
			tmpPath: file.tmpPath,
			size: file.size,
			sha256: file.sha256,
			uploadPath: fields.uploadPath,
			fileName: fields.fileName,
			originalName: file.filename,
			declaredMime: file.contentType,
			sniffed,
		});
	}

	async _uploadBase64(ctx, body) {
		if (!isPlainObject(body)) return { code: 400, msg: 'Request body must be a JSON object' };
		if (body.base64Data === undefined || body.base64Data === null || body.base64Data === '') {
			return { code: 400, msg: 'Missing required parameter: base64Data' };
		}
		const pathErr = this._checkUploadPath(body.uploadPath);
		if (pathErr) return { code: 400, msg: pathErr };
		const nameErr = this._checkFileName(body.fileName);
		if (nameErr) return { code: 400, msg: nameErr };
		if (typeof body.base64Data !== 'string') return { code: 400, msg: 'base64Data must be a string' };
		let data = body.base64Data;
		let declaredMime;
		const m = /^data:([^;,]*)((?:;[^;,]*)*),/i.exec(data.slice(0, 300));
		if (m) {
			if (!/;base64/i.test(m[2])) return { code: 400, msg: 'Base64 decode error: data URL is not base64-encoded' };
			declaredMime = m[1] || undefined;
			data = data.slice(m[0].length);
		}
		data = data.replace(/\s+/g, '');
		if (!/^[A-Za-z0-9+/]*={0,2}$/.test(data) || data.length % 4 !== 0 || data.length === 0) {
			return { code: 400, msg: 'Base64 decode error: invalid base64 data' };
		}
		const buf = Buffer.from(data, 'base64');
		const sha256 = crypto.createHash('sha256').update(buf).digest('hex');
		const tmpPath = path.join(this._storeDir, `tmp-${randomHex(16)}`);
		fs.writeFileSync(tmpPath, buf);
		const sniffed = sniffMime(buf.subarray(0, 16));
		if (isPlainObject(ctx.entry.body)) {
			ctx.entry.body.file = { name: body.fileName, size: buf.length, sha256, mimeType: declaredMime || sniffed };
		}
		return this._storeUpload({
			tmpPath,
			size: buf.length,
			sha256,
			uploadPath: body.uploadPath,
			fileName: body.fileName,
			originalName: undefined,
			declaredMime,
			sniffed,
		});
	}

	async _uploadUrl(ctx, body) {
		if (!isPlainObject(body)) return { code: 400, msg: 'Request body must be a JSON object' };
		if (body.fileUrl === undefined || body.fileUrl === null || body.fileUrl === '') {
			return { code: 400, msg: 'Missing required parameter: fileUrl' };
		}
		const pathErr = this._checkUploadPath(body.uploadPath);
		if (pathErr) return { code: 400, msg: pathErr };
		const nameErr = this._checkFileName(body.fileName);
		if (nameErr) return { code: 400, msg: nameErr };
		if (!isHttpUrl(body.fileUrl)) return { code: 400, msg: 'Invalid fileUrl: must be an http(s) URL' };
		const target = new URL(body.fileUrl);
		if (!this.options.allowExternalUrlUpload && !isLoopbackHost(target.hostname)) {
			return { code: 400, msg: `Failed to download file from URL: host ${target.hostname} not allowed by the simulator` };
		}
		let dl;
		try {
			dl = await this._download(body.fileUrl, 30000, 5);
		} catch (err) {
			return { code: 400, msg: `Failed to download file from URL: ${err.message}` };
		}
		if (isPlainObject(ctx.entry.body)) {
			ctx.entry.body.file = { name: body.fileName, size: dl.size, sha256: dl.sha256, mimeType: dl.contentType };
		}
		const urlName = decodeURIComponent(path.posix.basename(new URL(dl.finalUrl).pathname) || '');
		return this._storeUpload({
			tmpPath: dl.tmpPath,
			size: dl.size,
			sha256: dl.sha256,
			uploadPath: body.uploadPath,
			fileName: body.fileName,
			originalName: urlName,
			declaredMime: dl.contentType,
			sniffed: dl.sniffed,
		});
	}

	_download(url, timeoutMs, redirects) {
		return new Promise((resolve, reject) => {
			const u = new URL(url);
			const mod = u.protocol === 'https:' ? https : http;
			const req = mod.get(u, { timeout: timeoutMs, headers: { 'User-Agent': 'kie-simulator-url-upload/1.0' } }, (res) => {
				const status = res.statusCode || 0;
				if (status >= 300 && status < 400 && res.headers.location) {
					res.resume();
					if (redirects <= 0) return reject(new Error('too many redirects'));
					const next = new URL(res.headers.location, u).toString();
					return this._download(next, timeoutMs, redirects - 1).then(resolve, reject);
				}
				if (status < 200 || status >= 300) {
					res.resume();
					return reject(new Error(`HTTP ${status}`));
				}
				const tmpPath = path.join(this._storeDir, `tmp-${randomHex(16)}`);
				const hash = crypto.createHash('sha256');
				let size = 0;
				let head = Buffer.alloc(0);
				res.on('data', (c) => {
					hash.update(c);
					size += c.length;
					if (head.length < 16) head = Buffer.concat([head, c.subarray(0, 16 - head.length)]);
				});
				pipeline(res, fs.createWriteStream(tmpPath), (err) => {
					if (err) {
						fs.rm(tmpPath, { force: true }, () => {});
						return reject(err);
					}
					resolve({
						tmpPath,
						size,
						sha256: hash.digest('hex'),
						contentType: res.headers['content-type'],
						sniffed: sniffMime(head),
						finalUrl: u.toString(),
					});
				});
			});
			req.on('timeout', () => req.destroy(new Error(`timeout after ${timeoutMs} ms`)));
			req.on('error', reject);
		});
	}

	// -- files ------------------------------------------------------------------------------------

	async _serveFile(ctx) {
		const { req, res, u, entry } = ctx;
		await drain(req);
		if (req.method !== 'GET' && req.method !== 'HEAD') {
			entry.httpStatus = 405;
			entry.answerCode = 405;
			res.writeHead(405, { 'Content-Type': 'text/plain', Allow: 'GET, HEAD' });
			res.end('Method Not Allowed');
			return;
		}
		ctx.fault = this._takeFault('file', REQUEST_FAULTS);
		if (ctx.fault && !['slow', 'drop'].includes(ctx.fault.kind)) return this._faultAnswer(ctx);
		if (ctx.fault && ctx.fault.kind === 'slow') {
			await new Promise((resolve) => this._setTimer(resolve, ctx.fault.ms === undefined ? 2000 : ctx.fault.ms));
		}
		if (ctx.fault && ctx.fault.kind === 'drop') {
			entry.dropped = true;
			req.socket.destroy();
			return;
		}
		const textAnswer = (status, text, type = 'text/plain; charset=utf-8') => {
			entry.httpStatus = status;
			entry.answerCode = status;
			res.writeHead(status, { 'Content-Type': type, 'Content-Length': String(Buffer.byteLength(text)) });
			res.end(req.method === 'HEAD' ? undefined : text);
		};
		const sig = u.searchParams.get('X-Amz-Signature');
		if (sig !== null) {
			const date = u.searchParams.get('X-Amz-Date') || '';
			const expires = u.searchParams.get('X-Amz-Expires') || '';
			const expected = this._sign(u.pathname, date, expires);
			const valid = sig.length === expected.length && crypto.timingSafeEqual(Buffer.from(sig), Buffer.from(expected));
			if (!valid) {
				return textAnswer(
					403,
					'<?xml version="1.0" encoding="UTF-8"?><Error><Code>SignatureDoesNotMatch</Code><Message>The request signature we calculated does not match the signature you provided.</Message></Error>',
					'application/xml',
				);
			}
			const t = parseAmzDate(date);
			if (!Number.isFinite(t) || Date.now() > t + Number(expires) * 1000) {
				return textAnswer(
					403,
					'<?xml version="1.0" encoding="UTF-8"?><Error><Code>AccessDenied</Code><Message>Request has expired</Message></Error>',
					'application/xml',
				);
			}
		}
		const resolved = this._resolveFilePath(u.pathname);
		if (!resolved) return textAnswer(404, 'Not Found');
		let size;
		let mimeType;
		let makeStream;
		if (resolved.type === 'upload') {
			const up = resolved.upload;
			size = up.size;
			mimeType = up.mimeType;
			makeStream = () => fs.createReadStream(up.diskPath);
		} else {
			const task = resolved.task;
			if (!this._isTerminal(task) || task.outcome !== 'success') return textAnswer(404, 'Not Found');
			let file = task.files.get(resolved.index);
			if (!file) {
				file = media.resultFile({
					media: task.media,
					aspect: task.aspect,
					seed: `${task.taskId}/${resolved.index}`,
					resultBytes: task.resultBytes,
				});
				task.files.set(resolved.index, file);
			}
			size = file.size;
			mimeType = file.mimeType;
			makeStream = file.stream;
		}
		entry.httpStatus = 200;
		entry.answerCode = 200;
		res.writeHead(200, {
			'Content-Type': mimeType,
			'Content-Length': String(size),
			'Accept-Ranges': 'none',
			'Cache-Control': 'public, max-age=1209600',
		});
		if (req.method === 'HEAD') return res.end();
		await new Promise((resolve) => {
			pipeline(makeStream(), res, () => resolve());
		});
	}

	// -- admin ------------------------------------------------------------------------------------

	_taskSummary(task) {
		return {
			taskId: task.taskId,
			recordId: task.recordId,
			family: task.family,
			model: task.model,
			createdAt: task.createdAt,
			genMs: task.genMs,
			outcome: task.outcome,
			finalized: this._isTerminal(task),
			failCode: task.failCode,
			failMsg: task.failMsg,
			resultUrls: task.resultUrls,
			resultBytes: task.resultBytes,
			callBackUrl: task.callBackUrl,
			callbackFault: task.callbackFault ? task.callbackFault.kind : null,
			malformedResultJson: task.malformedResultJson,
			record: task.family === '4o' ? this._fourORecord(task) : this._marketRecord(task),
		};
	}

	async _admin(req, res, u) {
		const send = (status, obj) => {
			const b = Buffer.from(JSON.stringify(obj), 'utf8');
			res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': String(b.length) });
			res.end(b);
		};
		let body = {};
		if (req.method === 'POST') {
			const r = await readBody(req, 1 << 20);
			const text = r.buffer ? r.buffer.toString('utf8') : '';
			if (text.trim()) {
				try {
					body = JSON.parse(text);
				} catch {
					return send(400, { ok: false, error: 'invalid JSON' });
				}
			}
		} else {
			await drain(req);
		}
		const op = `${req.method} ${u.pathname.replace(/\/+$/, '')}`;
		try {
			switch (op) {
				case 'GET /__sim/requests': {
					const route = u.searchParams.get('route');
					return send(200, route ? this.requestsFor(route) : this.requests);
				}
				case 'GET /__sim/tasks':
					return send(200, Array.from(this.tasks.values()).map((t) => this._taskSummary(t)));
				case 'GET /__sim/callbacks':
					return send(200, this.callbacks);
				case 'GET /__sim/stats':
					return send(200, { ...this.stats, credits: this.credits });
				case 'GET /__sim/uploads':
					return send(
						200,
						Array.from(this.uploads.values()).map(({ diskPath, ...rest }) => rest),
					);
				case 'POST /__sim/fault': {
					const { route, kind, ...opts } = body || {};
					this.fault(route, kind, opts);
					return send(200, { ok: true });
				}
				case 'POST /__sim/fail-next':
					this.failNextTask(body || {});
					return send(200, { ok: true });
				case 'POST /__sim/next-task':
					this.nextTask(body || {});
					return send(200, { ok: true });
				case 'POST /__sim/task-outcome': {
					const { taskId, ...patch } = body || {};
					this.setTaskOutcome(taskId, patch);
					return send(200, { ok: true });
				}
				case 'POST /__sim/complete':
					this.completeTask(body.taskId);
					return send(200, { ok: true });
				case 'POST /__sim/credits':
					this.setCredits(Number(body.credits));
					return send(200, { ok: true, credits: this.credits });
				case 'GET /__sim/model-schema': {
					const model = u.searchParams.get('model') || '';
					const openapi = this.modelSchema(model);
					if (openapi === undefined) return send(404, { ok: false, error: `${model} is not a model of the live catalogue` });
					return send(200, { model, openapi, overridden: Boolean(this._schemaOverrides && this._schemaOverrides.has(model)) });
				}
				case 'POST /__sim/model-schema': {
					// {model, openapi}: a document or null; without `openapi` the default is restored.
					const { model } = body || {};
					this.setModelSchema(model, body && Object.prototype.hasOwnProperty.call(body, 'openapi') ? body.openapi : undefined);
					return send(200, { ok: true, model, openapi: this.modelSchema(model) });
				}
				case 'POST /__sim/reset':
					this.reset();
					return send(200, { ok: true });
				default:
					return send(404, { ok: false, error: `unknown admin operation ${op}` });
			}
		} catch (err) {
			return send(400, { ok: false, error: err.message });
		}
	}
}

families.install(Simulator);
sunoTools.install(Simulator);

/** Start a simulator; resolves once it listens. */
async function startSimulator(options = {}) {
	const sim = new Simulator(options);
	await sim._listen();
	await sim._startOtherOrigin();
	return sim;
}

const SAMPLE_SUBJECTS = ['a red fox in the snow', 'a lighthouse at dusk', 'a bowl of ramen', 'a vintage bicycle', 'a mountain lake', 'a paper crane', 'a city street in the rain', 'a cup of coffee', 'a desert at noon', 'a koi pond'];

/**
 * Demo data, not part of KIE: a CSV of prompts such as a published Google Sheet would serve
 * (`?rows=N`, default 5). The spreadsheet example reads it.
 */
function samplePromptsCsv(rows) {
	const lines = ['id,prompt,aspect_ratio'];
	for (let i = 1; i <= rows; i++) {
		const subject = SAMPLE_SUBJECTS[(i - 1) % SAMPLE_SUBJECTS.length];
		lines.push(`row-${i},"Product photo of ${subject}, studio light",${['1:1', '2:3', '3:2'][i % 3]}`);
	}
	return `${lines.join('\n')}\n`;
}

function sendSampleCsv(res, u) {
	const rows = Math.max(1, Math.min(1000, Number(u.searchParams.get('rows')) || 5));
	const body = samplePromptsCsv(rows);
	res.writeHead(200, { 'Content-Type': 'text/csv; charset=utf-8', 'Content-Length': Buffer.byteLength(body) });
	res.end(body);
}

module.exports = {
	REAL_KIE_USER_ID,
	samplePromptsCsv,
	startSimulator,
	startCallbackReceiver,
	signCallback,
	verifySignature,
	Simulator,
	ROUTE_NAMES,
	REQUEST_FAULTS,
	TASK_FAULTS,
	CALLBACK_FAULTS,
	catalogueIds: () => Array.from(catalogueById.keys()),
	makePng: media.makePng,
	sha256Hex: (data) => crypto.createHash('sha256').update(data).digest('hex'),
};
