'use strict';

/**
 * Callback delivery for the simulator (kie-api.md §4, §5).
 *
 * - POST JSON to the task's callBackUrl when the task reaches a terminal state.
 * - Retried on non-200 / network error / timeout: 1 attempt + up to `retries` (3) retries.
 * - With `hmacKey`: X-Webhook-Timestamp (unix seconds) and
 *   X-Webhook-Signature = base64(HMAC-SHA256(hmacKey, `${taskId}.${timestamp}`)).
 * - Every delivery is recorded (url, status, attempts, …) in the `deliveries` array.
 *
 * Fault kinds (queued with sim.fault('callback', kind, opts), bound to the next task created with
 * a callBackUrl):
 *   duplicate            deliver the same callback opts.times (2) times, opts.gapMs apart (each copy
 *                        signed afresh, so copies in another second carry another signature)
 *   redeliver            deliver it, then again opts.times - 1 (1) times, opts.gapMs apart, with the
 *                        very same headers (timestamp and signature): KIE retrying a delivery
 *   lost                 never deliver (recorded with lost: true)
 *   delay                wait opts.ms before the first attempt
 *   outOfOrder           hold this callback until the next task's callback was delivered
 *                        (or opts.maxHoldMs, default 5000, passed)
 *   forgedSignature      sign with a wrong key (a signature is sent even without hmacKey)
 *   staleTimestamp       timestamp opts.ageSec (3600) in the past, signature valid for it (replay)
 *   futureTimestamp      timestamp opts.ageSec (3600) in the future, signature valid for it
 *   unsigned             no signature headers even when hmacKey is set
 *   hexSignature         hex digest instead of base64 (a client bug seen in the wild)
 *   wrongTaskId          signature computed over another task id
 *   beforeCreateResponse the task completes at once and the callback is delivered (first attempt
 *                        finished) before the create call is answered
 */

const crypto = require('crypto');
const http = require('http');
const https = require('https');

function signCallback(hmacKey, taskId, timestamp, encoding = 'base64') {
	return crypto.createHmac('sha256', String(hmacKey)).update(`${taskId}.${timestamp}`, 'utf8').digest(encoding);
}

function verifySignature(hmacKey, taskId, timestamp, signature) {
	if (!hmacKey || !taskId || !timestamp || !signature) return false;
	const expected = Buffer.from(signCallback(hmacKey, taskId, timestamp), 'utf8');
	const got = Buffer.from(String(signature), 'utf8');
	return expected.length === got.length && crypto.timingSafeEqual(expected, got);
}

function postJson(url, body, headers, timeoutMs) {
	return new Promise((resolve) => {
		let u;
		try {
			u = new URL(url);
		} catch (e) {
			resolve({ status: null, error: `invalid url: ${e.message}` });
			return;
		}
		const data = Buffer.from(JSON.stringify(body), 'utf8');
		const mod = u.protocol === 'https:' ? https : http;
		const req = mod.request(
			u,
			{
				method: 'POST',
				headers: {
					'Content-Type': 'application/json',
					'Content-Length': String(data.length),
					'User-Agent': 'kie-simulator-callback/1.0',
					...headers,
				},
				timeout: timeoutMs,
			},
			(res) => {
				const chunks = [];
				res.on('data', (c) => {
					if (chunks.length < 64) chunks.push(c);
				});
				res.on('end', () =>
					resolve({ status: res.statusCode, responseBody: Buffer.concat(chunks).toString('utf8').slice(0, 2000) }),
				);
				res.on('error', (e) => resolve({ status: res.statusCode, error: e.message }));
			},
		);
		req.on('timeout', () => req.destroy(new Error(`timeout after ${timeoutMs} ms`)));
		req.on('error', (e) => resolve({ status: null, error: e.message }));
		req.end(data);
	});
}

class CallbackDispatcher {
	/**
	 * @param {object} o
	 * @param {string} [o.hmacKey]
	 * @param {number} [o.retries=3]        retries after the first attempt
	 * @param {number} [o.retryDelayMs=200] delay between attempts (grows linearly)
	 * @param {number} [o.timeoutMs=15000]  per-attempt timeout
	 * @param {object} [o.stats]            object with callbacksDelivered / callbacksFailed counters
	 * @param {object} [o.baseHeaders]      headers of every request (e.g. real KIE's User-Agent okhttp/3.14.9
	 *                                      and `application/json; charset=utf-8`), under the signature headers
	 */
	constructor(o = {}) {
		this.hmacKey = o.hmacKey;
		this.retries = o.retries === undefined ? 3 : o.retries;
		this.retryDelayMs = o.retryDelayMs === undefined ? 200 : o.retryDelayMs;
		this.timeoutMs = o.timeoutMs === undefined ? 15000 : o.timeoutMs;
		this.stats = o.stats || {};
		this.baseHeaders = o.baseHeaders || {};
		this.deliveries = [];
		this.timers = new Set();
		this.held = [];
		this.closed = false;
		this.pending = new Set();
	}

	_sleep(ms) {
		if (!ms || ms <= 0) return Promise.resolve();
		return new Promise((resolve) => {
			const t = setTimeout(() => {
				this.timers.delete(t);
				resolve();
			}, ms);
			if (t.unref) t.unref();
			this.timers.add(t);
		});
	}

	_headers(taskId, fault) {
		const kind = fault && fault.kind;
		if (kind === 'unsigned') return {};
		if (!this.hmacKey && kind !== 'forgedSignature') return {};
		const now = Math.floor(Date.now() / 1000);
		const age = (fault && fault.ageSec) || 3600;
		let ts = now;
		if (kind === 'staleTimestamp') ts = now - age;
		if (kind === 'futureTimestamp') ts = now + age;
		let key = this.hmacKey;
		let signedId = taskId;
		let enc = 'base64';
		if (kind === 'forgedSignature') key = `forged-${crypto.randomBytes(8).toString('hex')}`;
		if (kind === 'wrongTaskId') signedId = `${taskId}-other`;
		if (kind === 'hexSignature') enc = 'hex';
		return {
			'X-Webhook-Timestamp': String(ts),
			'X-Webhook-Signature': signCallback(key, signedId, ts, enc),
		};
	}

	/**
	 * Deliver `payload` for task `taskId` to `url`. Returns a promise that resolves once the
	 * delivery (all attempts, all duplicates) is over. `fault` = {kind, ...opts} or null.
	 */
	deliver({ taskId, url, family, payload, fault }) {
		const p = this._deliver({ taskId, url, family, payload, fault: fault || null });
		this.pending.add(p);
		p.finally(() => this.pending.delete(p));
		return p;
	}

	async _deliver({ taskId, url, family, payload, fault }) {
		const kind = fault && fault.kind;
		if (kind === 'lost') {
			this.deliveries.push({
				taskId,
				url,
				family,
				fault: kind,
				lost: true,
				delivered: false,
				attempts: 0,
				status: null,
				statuses: [],
				payload,
				at: Date.now(),
			});
			this._releaseHeld();
			return;
		}
		if (kind === 'delay') await this._sleep(fault.ms || 1000);
		if (kind === 'outOfOrder') {
			await new Promise((resolve) => {
				const entry = { resolve };
				this.held.push(entry);
				this._sleep(fault.maxHoldMs || 5000).then(() => {
					const i = this.held.indexOf(entry);
					if (i !== -1) {
						this.held.splice(i, 1);
						resolve();
					}
				});
			});
		}
		const copies = kind === 'duplicate' || kind === 'redeliver' ? Math.max(2, fault.times || 2) : 1;
		let headers;
		for (let c = 0; c < copies; c++) {
			if (c > 0) await this._sleep(fault.gapMs || 0);
			const rec = await this._deliverOnce({ taskId, url, family, payload, fault, copy: c, headers });
			if (kind === 'redeliver') headers = rec.headers;
		}
	}

	_releaseHeld() {
		const held = this.held.splice(0);
		for (const h of held) h.resolve();
	}

	async _deliverOnce({ taskId, url, family, payload, fault, copy, headers: fixedHeaders }) {
		const rec = {
			taskId,
			url,
			family,
			fault: fault ? fault.kind : null,
			copy,
			delivered: false,
			attempts: 0,
			status: null,
			statuses: [],
			error: null,
			headers: {},
			payload,
			at: Date.now(),
			finishedAt: null,
		};
		this.deliveries.push(rec);
		const isHeldOne = fault && fault.kind === 'outOfOrder';
		for (let attempt = 0; attempt <= this.retries && !this.closed; attempt++) {
			if (attempt > 0) await this._sleep(this.retryDelayMs * attempt);
			if (this.closed) break;
			const headers = fixedHeaders || this._headers(taskId, fault);
			rec.headers = headers;
			rec.attempts++;
			const r = await postJson(url, payload, { ...this.baseHeaders, ...headers }, this.timeoutMs);
			rec.status = r.status;
			rec.statuses.push(r.status);
			rec.error = r.error || null;
			if (r.status === 200) {
				rec.delivered = true;
				break;
			}
		}
		rec.finishedAt = Date.now();
		if (rec.delivered) this.stats.callbacksDelivered = (this.stats.callbacksDelivered || 0) + 1;
		else this.stats.callbacksFailed = (this.stats.callbacksFailed || 0) + 1;
		if (!isHeldOne) this._releaseHeld();
		return rec;
	}

	reset() {
		this.deliveries.length = 0;
		this._releaseHeld();
	}

	async close() {
		this.closed = true;
		for (const t of this.timers) clearTimeout(t);
		this.timers.clear();
		this._releaseHeld();
	}
}

/** Market (jobs/createTask) callback body, kie-api.md §4.2. `record` = recordInfo-style data. */
function marketPayload(record, { consumeCredits, remainedCredits }) {
	const success = record.state === 'success';
	return {
		code: success ? 200 : 501,
		msg: success ? 'Playground task completed successfully.' : 'Playground task failed.',
		data: { ...record, consumeCredits, remainedCredits },
	};
}

/** 4o Image callback body, kie-api.md §4.3. */
function fourOPayload({ taskId, success, resultUrls, errorCode, errorMessage }) {
	if (success) {
		return { code: 200, msg: 'Gpt4o-image generated successfully.', data: { taskId, info: { result_urls: resultUrls } } };
	}
	return { code: Number(errorCode) || 400, msg: errorMessage || 'Generation failed', data: { taskId, info: null } };
}

/**
 * A tiny callback receiver for tests: records every request; answers with the queued statuses
 * (then 200). Optional `hmacKey` marks each received call with `signatureValid`.
 */
function startCallbackReceiver(opts = {}) {
	const received = [];
	const statusQueue = Array.isArray(opts.statuses) ? opts.statuses.slice() : [];
	const waiters = [];
	let delayMs = opts.delayMs || 0;
	const timers = new Set();

	const server = http.createServer((req, res) => {
		const chunks = [];
		req.on('data', (c) => chunks.push(c));
		req.on('end', () => {
			const raw = Buffer.concat(chunks).toString('utf8');
			let body;
			try {
				body = raw ? JSON.parse(raw) : undefined;
			} catch {
				body = undefined;
			}
			const headers = {};
			for (const [k, v] of Object.entries(req.headers)) headers[k] = Array.isArray(v) ? v.join(', ') : v;
			const entry = { method: req.method, path: req.url, headers, body, raw, at: Date.now() };
			if (opts.hmacKey) {
				const d = body && body.data;
				const taskId = (d && (d.task_id || d.taskId)) || (body && body.taskId);
				entry.signatureValid = verifySignature(
					opts.hmacKey,
					taskId,
					headers['x-webhook-timestamp'],
					headers['x-webhook-signature'],
				);
			}
			const status = statusQueue.length ? statusQueue.shift() : 200;
			entry.answeredStatus = status;
			received.push(entry);
			for (const w of waiters.slice()) {
				if (received.length >= w.count) {
					waiters.splice(waiters.indexOf(w), 1);
					clearTimeout(w.timer);
					w.resolve(received.slice());
				}
			}
			const send = () => {
				res.writeHead(status, { 'Content-Type': 'application/json' });
				res.end(JSON.stringify({ received: true }));
			};
			if (delayMs > 0) {
				const t = setTimeout(() => {
					timers.delete(t);
					send();
				}, delayMs);
				timers.add(t);
			} else send();
		});
	});

	return new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(opts.port || 0, opts.host || '127.0.0.1', () => {
			const addr = server.address();
			const base = `http://${opts.host || '127.0.0.1'}:${addr.port}`;
			resolve({
				url: `${base}${opts.path || '/callback'}`,
				baseUrl: base,
				received,
				respondWith(statuses) {
					statusQueue.length = 0;
					for (const s of [].concat(statuses)) statusQueue.push(s);
				},
				setDelay(ms) {
					delayMs = ms;
				},
				waitFor(count = 1, timeoutMs = 5000) {
					if (received.length >= count) return Promise.resolve(received.slice());
					return new Promise((res, rej) => {
						const w = { count, resolve: res };
						w.timer = setTimeout(() => {
							waiters.splice(waiters.indexOf(w), 1);
							rej(new Error(`callback receiver: got ${received.length} of ${count} calls within ${timeoutMs} ms`));
						}, timeoutMs);
						waiters.push(w);
					});
				},
				clear() {
					received.length = 0;
				},
				close() {
					for (const t of timers) clearTimeout(t);
					for (const w of waiters.splice(0)) clearTimeout(w.timer);
					return new Promise((res) => {
						server.close(() => res());
						server.closeAllConnections();
					});
				},
			});
		});
	});
}

module.exports = {
	CallbackDispatcher,
	marketPayload,
	fourOPayload,
	signCallback,
	verifySignature,
	startCallbackReceiver,
	postJson,
};
