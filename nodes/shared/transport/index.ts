import { createHash } from 'crypto';
import type {
	IDataObject,
	IExecuteFunctions,
	IHookFunctions,
	IHttpRequestMethods,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
	IWebhookFunctions,
	JsonObject,
} from 'n8n-workflow';
import { NodeApiError, sleep } from 'n8n-workflow';

import { itemLabel, describeKieAnswer, NOT_SENT_ERROR_CODES, REJECTED_NOT_ACCEPTED, RETRYABLE_READ_CODES } from './errors';
import { sharedPacer, type AccountPacer, type BatchingSettings, type PacerLane, type PacerTicket, type RequestPacer } from './pacer';

/** The credential every KIE request is authenticated with. */
export const CREDENTIAL_NAME = 'kieApi';
export const USER_AGENT = 'n8n-nodes-kie-ai (+https://github.com/n8n-nodes-kie-ai/n8n-nodes-kie-ai)';

export type KieContext = IExecuteFunctions | ILoadOptionsFunctions | IHookFunctions | IWebhookFunctions;

/**
 * `read`: safe to repeat (GETs, link refreshes). `create`: starts paid work, so it is resent only when
 * KIE said it did not accept it (429, 455) or the connection was never made. `upload`: free, retried like
 * a read; but a streamed body is consumed by sending it, so it is resent only when nothing was sent
 * (the `create` rules), from a fresh stream (see `KieStreamBody`).
 */
type RequestKind = 'read' | 'create' | 'upload';

/**
 * A streamed request body (e.g. a multipart upload). `open()` is called once per attempt and must return
 * a fresh stream: a stream is consumed by sending it and is never sent twice. Give the `Content-Type`
 * (and `Content-Length` when known) in `headers`.
 */
export interface KieStreamBody {
	open: () => Promise<NodeJS.ReadableStream>;
}

interface KieRequest {
	method: IHttpRequestMethods;
	path: string;
	/** `upload` targets the File Upload API host. */
	host?: 'api' | 'upload';
	kind: RequestKind;
	qs?: IDataObject;
	/**
	 * JSON object, raw Buffer, a stream (sent once: never retried once it was read), or a `KieStreamBody`
	 * (a fresh stream per attempt). Raw and streamed bodies need their own `Content-Type` in `headers`.
	 */
	body?: IDataObject | Buffer | NodeJS.ReadableStream | KieStreamBody;
	headers?: IDataObject;
	itemIndex?: number;
	timeoutMs?: number;
	/** Words that name the request in errors, e.g. "Create task (item 2)". */
	label?: string;
	/** At most this many attempts (default MAX_ATTEMPTS); 1 = never retried, e.g. for the editor's model list. */
	maxAttempts?: number;
	/**
	 * The execution's pacer (see pacer.ts); without one, the account's pacer of this process. Each attempt
	 * waits for a slot of its lane (`create` for a create, `upload` for an upload, `poll` for a read, or
	 * `lane`), and a 429 shrinks and pauses the lane and is sent again after the pause, up to
	 * MAX_RATE_LIMIT_RETRIES times, without counting as an attempt: KIE did not accept it.
	 */
	pacer?: RequestPacer;
	/** The pacer lane of a read that is not a status read (`catalogue`). */
	lane?: PacerLane;
	/** Gives up (as if cancelled) when it aborts; default: the execution's cancel signal. */
	signal?: AbortSignal;
}

interface KieEnvelope<T = unknown> {
	code: number;
	msg: string;
	data: T;
}

const DEFAULT_REQUEST_TIMEOUT_MS = 60_000;
const MAX_ATTEMPTS = 4;
/** With a pacer: how many 429 answers one request may get before it fails. */
const MAX_RATE_LIMIT_RETRIES = 12;
const RETRY_BASE_MS = 1_000;
const RETRY_MAX_MS = 10_000;

/** Delay before retry number `attempt` (1-based): exponential with jitter, capped. */
export function retryDelayMs(attempt: number, random: () => number = Math.random): number {
	const base = Math.min(RETRY_MAX_MS, RETRY_BASE_MS * 2 ** (attempt - 1));
	return Math.round(base / 2 + (base / 2) * random());
}

/** Decides whether a failed attempt may be sent again. */
export function shouldRetry(
	kind: RequestKind,
	failure: { bodyCode?: number; httpStatus?: number; networkCode?: string },
): boolean {
	const { bodyCode, httpStatus, networkCode } = failure;
	if (networkCode !== undefined) {
		return kind === 'read' || NOT_SENT_ERROR_CODES.has(networkCode);
	}
	const code = bodyCode ?? httpStatus;
	if (code === undefined) return false;
	if (kind === 'create') return REJECTED_NOT_ACCEPTED.has(code);
	// 'read' and 'upload' (a re-sendable upload body)
	return RETRYABLE_READ_CODES.has(code) || (httpStatus !== undefined && httpStatus >= 500);
}

/** Reads `{code, msg|message, data}` from a parsed body; returns undefined when it is not an envelope. */
export function parseEnvelope(body: unknown): KieEnvelope | undefined {
	let parsed = body;
	if (typeof parsed === 'string') {
		try {
			parsed = JSON.parse(parsed);
		} catch {
			return undefined;
		}
	}
	if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return undefined;
	const record = parsed as IDataObject;
	const code = typeof record.code === 'string' ? Number(record.code) : record.code;
	if (typeof code !== 'number' || Number.isNaN(code)) return undefined;
	const msg = (record.msg ?? record.message ?? '') as string;
	return { code, msg: String(msg), data: record.data };
}

export function redact(text: string, secrets: Array<string | undefined>): string {
	let out = text;
	for (const secret of secrets) {
		if (secret && secret.length >= 4) out = out.split(secret).join('***');
	}
	return out;
}

function networkCodeOf(error: unknown): string | undefined {
	const candidates = [error, (error as { cause?: unknown })?.cause];
	for (const candidate of candidates) {
		const code = (candidate as { code?: unknown })?.code;
		if (typeof code === 'string' && /^[A-Z_]+$/.test(code)) return code;
	}
	const message = String((error as Error)?.message ?? '');
	if (/timeout/i.test(message)) return 'ETIMEDOUT';
	if (/socket hang up|ECONNRESET/i.test(message)) return 'ECONNRESET';
	return undefined;
}

function isStreamFactory(body: KieRequest['body']): body is KieStreamBody {
	return typeof (body as KieStreamBody | undefined)?.open === 'function';
}

function isReadable(body: KieRequest['body']): body is NodeJS.ReadableStream {
	return typeof (body as NodeJS.ReadableStream | undefined)?.pipe === 'function';
}

function cancelSignal(ctx: KieContext): AbortSignal | undefined {
	return 'getExecutionCancelSignal' in ctx ? ctx.getExecutionCancelSignal() : undefined;
}

/**
 * The one call site for KIE. Sends the request with the credential's Bearer key, unwraps the envelope,
 * treats the body `code` as the truth, retries what is safe, and returns `data`.
 */
/**
 * The pacer this process shares for the credential's KIE account (see sharedPacer). The API key is
 * never kept: only a digest of it names the account.
 */
export async function accountPacer(this: KieContext, settings?: BatchingSettings): Promise<AccountPacer> {
	const credentials = await this.getCredentials<{ apiKey?: string; baseUrl?: string }>(CREDENTIAL_NAME);
	return sharedPacer(accountKey(credentials), settings);
}

/** `url` without the slashes it ends with (a loop: `/\/+$/` takes quadratic time on a long run of slashes). */
export function withoutTrailingSlashes(url: string): string {
	let end = url.length;
	while (end > 0 && url.charCodeAt(end - 1) === 47) end--;
	return url.slice(0, end);
}

/** Names a KIE account: its Base URL and a digest of its API key (never the key itself). */
function accountKey(credentials: { apiKey?: string; baseUrl?: string }): string {
	const digest = createHash('sha256').update(String(credentials.apiKey ?? '')).digest('hex').slice(0, 16);
	return `${withoutTrailingSlashes(String(credentials.baseUrl || 'https://api.kie.ai'))}#${digest}`;
}

export async function kieApiRequest<T = unknown>(this: KieContext, request: KieRequest): Promise<T> {
	const envelope = await kieApiRequestEnvelope.call(this, request);
	return envelope.data as T;
}

async function kieApiRequestEnvelope(this: KieContext, request: KieRequest): Promise<KieEnvelope> {
	const credentials = await this.getCredentials<{
		apiKey?: string;
		webhookHmacKey?: string;
		baseUrl?: string;
		uploadBaseUrl?: string;
	}>(CREDENTIAL_NAME);
	const secrets = [credentials.apiKey, credentials.webhookHmacKey];
	const host = request.host === 'upload' ? credentials.uploadBaseUrl : credentials.baseUrl;
	const baseUrl = withoutTrailingSlashes(String(host || (request.host === 'upload' ? 'https://kieai.redpandaai.co' : 'https://api.kie.ai')));
	const label = request.label ?? `${request.method} ${request.path}`;
	const streamFactory = isStreamFactory(request.body) ? request.body : undefined;
	const readable = isReadable(request.body) ? request.body : undefined;
	const streamed = streamFactory !== undefined || readable !== undefined;
	const raw = streamed || Buffer.isBuffer(request.body);
	// A streamed body may be resent only when nothing was sent: the rules of a paid create.
	const retryKind: RequestKind = streamed ? 'create' : request.kind;
	const options: IHttpRequestOptions = {
		method: request.method,
		url: `${baseUrl}${request.path}`,
		qs: request.qs,
		body: streamFactory ? undefined : (request.body as IHttpRequestOptions['body']),
		headers: { 'User-Agent': USER_AGENT, Accept: 'application/json', ...(request.headers ?? {}) },
		json: !raw,
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
		timeout: request.timeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
	};
	// Redirects are followed here, not by the HTTP client: n8n's client sends the credential along to
	// another origin by default, and keeps a copy of a streamed body to resend it (200 MB for a 200 MB
	// upload). A redirect is followed only within KIE's origin, and never for a streamed body.
	options.disableFollowRedirect = true;
	const signal = request.signal ?? cancelSignal(this);
	let redirects = 0;
	const maxAttempts = Math.max(1, Math.min(MAX_ATTEMPTS, request.maxAttempts ?? MAX_ATTEMPTS));
	// Every request takes a slot of its lane: of the execution's pacer, or else of the account's (shared by
	// every execution of this process).
	const pacer = request.pacer ?? sharedPacer(accountKey(credentials));
	const lane: PacerLane = request.lane ?? (request.kind === 'create' ? 'create' : request.kind === 'upload' ? 'upload' : 'poll');
	let rateLimitRetries = 0;

	for (let attempt = 1; ; attempt++) {
		let response: { statusCode: number; body: unknown; headers?: Record<string, unknown> };
		// A plain stream can be sent again only if nothing was read from it yet.
		const resendable = () =>
			!readable || (readable as { readableDidRead?: boolean }).readableDidRead === false;
		if (streamFactory) options.body = (await streamFactory.open()) as unknown as IHttpRequestOptions['body'];
		const ticket: PacerTicket = await pacer.acquire(lane, signal);
		try {
			response = (await this.helpers.httpRequestWithAuthentication.call(this, CREDENTIAL_NAME, options)) as {
				statusCode: number;
				body: unknown;
				headers?: Record<string, unknown>;
			};
		} catch (error) {
			ticket.release('failed');
			const networkCode = signal?.aborted ? 'CANCELLED' : (networkCodeOf(error) ?? 'UNKNOWN');
			if (
				networkCode !== 'CANCELLED' &&
				attempt < maxAttempts &&
				resendable() &&
				shouldRetry(retryKind, { networkCode })
			) {
				await sleep(retryDelayMs(attempt), signal);
				continue;
			}
			throw networkError(this, request, label, networkCode, attempt, secrets, streamed);
		}

		const location = REDIRECT_STATUSES.has(response.statusCode) ? header(response.headers, 'location') : undefined;
		if (location !== undefined) {
			ticket.release('answered');
			const target = redirectTarget(this, request, label, options.url, location, ++redirects, streamed, secrets);
			options.url = target;
			if (response.statusCode === 303) {
				options.method = 'GET';
				options.body = undefined;
			}
			attempt--;
			continue;
		}

		const envelope = parseEnvelope(response.body);
		const httpStatus = response.statusCode;
		const bodyCode = envelope?.code;
		const rateLimited = bodyCode === 429 || httpStatus === 429;
		ticket.release(rateLimited ? 'rateLimited' : 'answered', rateLimited ? retryAfterMs(response.headers) : undefined);
		if (envelope && envelope.code === 200 && httpStatus < 400) return envelope;

		// A 429 is never accepted by KIE, so sending it again is safe, even for a create. With a pacer the
		// lane has paused (release above); the next acquire waits for it.
		// (Not for a request that asked for one attempt, e.g. the editor's model list: it fails at once.)
		if (rateLimited && maxAttempts > 1 && rateLimitRetries < MAX_RATE_LIMIT_RETRIES && resendable()) {
			rateLimitRetries++;
			attempt--;
			continue;
		}
		if (attempt < maxAttempts && resendable() && shouldRetry(retryKind, { bodyCode, httpStatus })) {
			await sleep(retryDelayMs(attempt), signal);
			continue;
		}
		throw kieError(this, request, label, { bodyCode, httpStatus, msg: envelope?.msg, attempts: attempt + rateLimitRetries }, secrets);
	}
}

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
const MAX_REDIRECTS = 3;

function header(headers: Record<string, unknown> | undefined, name: string): string | undefined {
	const value = Object.entries(headers ?? {}).find(([key]) => key.toLowerCase() === name)?.[1];
	return value === undefined || value === null ? undefined : String(value);
}

/**
 * Where a redirect of a KIE request may go: to the same origin only (the credential's API key goes with
 * every request, and must never reach another host), a few times at most, and not for a streamed body
 * (it was consumed). Anything else is an error that says so; nothing is sent there.
 */
function redirectTarget(
	ctx: KieContext,
	request: KieRequest,
	label: string,
	from: string,
	location: string,
	hops: number,
	streamed: boolean,
	secrets: Array<string | undefined>,
): string {
	let target: URL;
	try {
		target = new URL(location, from);
	} catch {
		target = new URL('invalid:');
	}
	const origin = new URL(from).origin;
	let reason: string | undefined;
	if (target.origin !== origin) reason = `to another host (${target.protocol}//${target.host}); it was not followed, so the API key stays with ${origin}`;
	else if (streamed) reason = 'while a file was being sent; the upload was not sent again';
	else if (hops > MAX_REDIRECTS) reason = `more than ${MAX_REDIRECTS} times; the last one was not followed`;
	if (reason === undefined) return target.toString();
	return failRedirect(ctx, request, label, reason, secrets);
}

function failRedirect(ctx: KieContext, request: KieRequest, label: string, reason: string, secrets: Array<string | undefined>): never {
	throw new NodeApiError(ctx.getNode(), { redirect: reason } as JsonObject, {
		message: redact(`${itemPrefix(request)}KIE redirected the request ${reason}`, secrets),
		description: redact(
			`${label}. Check the Base URL and Upload Base URL of the KIE API credential: they should be KIE's own hosts (or your proxy), which answer without redirecting.`,
			secrets,
		),
	});
}

/** Retry-After in seconds (or an HTTP date), as milliseconds; undefined when absent or unreadable. */
export function retryAfterMs(headers: Record<string, unknown> | undefined, now = Date.now()): number | undefined {
	const value = headers?.['retry-after'] ?? headers?.['Retry-After'];
	if (value === undefined || value === null || value === '') return undefined;
	const seconds = Number(value);
	if (Number.isFinite(seconds)) return Math.max(0, Math.min(120, seconds)) * 1000;
	const date = Date.parse(String(value));
	return Number.isNaN(date) ? undefined : Math.max(0, Math.min(120_000, date - now));
}

/**
 * "Item 2: " before the message of a request made for an item, counted from 1 as the editor counts. The
 * item index stays out of the error: n8n's editor would add it again, counted from 0.
 */
function itemPrefix(request: KieRequest): string {
	return request.itemIndex === undefined ? '' : `${itemLabel(request.itemIndex)}: `;
}

function kieError(
	ctx: KieContext,
	request: KieRequest,
	label: string,
	failure: { bodyCode?: number; httpStatus: number; msg?: string; attempts: number },
	secrets: Array<string | undefined>,
): NodeApiError {
	const code = failure.bodyCode ?? failure.httpStatus;
	const info = failure.bodyCode === undefined && failure.httpStatus < 400
		? { title: 'KIE answered without the {code, msg, data} envelope', nextStep: 'Check the Base URL of the KIE API credential.' }
		: describeKieAnswer(code, failure.msg, request.kind);
	const kieMsg = failure.msg ? `: ${redact(failure.msg, secrets)}` : '';
	const retried = failure.attempts > 1 ? ` (after ${failure.attempts} attempts)` : '';
	const message = `${itemPrefix(request)}${info.title} (code ${code})${kieMsg}`;
	const description = `${label}${retried}. ${info.nextStep}`;
	return new NodeApiError(ctx.getNode(), { code, msg: failure.msg ? redact(failure.msg, secrets) : '' } as JsonObject, {
		message,
		description,
		httpCode: String(code),
	});
}

function networkError(
	ctx: KieContext,
	request: KieRequest,
	label: string,
	networkCode: string,
	attempts: number,
	secrets: Array<string | undefined>,
	streamed = false,
): NodeApiError {
	const notSent = NOT_SENT_ERROR_CODES.has(networkCode);
	const reason =
		networkCode === 'CANCELLED'
			? 'was cancelled with the execution'
			: networkCode === 'ETIMEDOUT' || networkCode === 'ECONNABORTED'
				? 'timed out'
				: notSent
					? 'could not connect'
					: 'lost the connection';
	let message: string;
	let description: string;
	if (request.kind === 'create' && !notSent) {
		message = `The request to KIE ${reason} after it was sent: the task may have been accepted, check KIE logs`;
		description =
			`${label}: no answer came back (${networkCode}), so KIE may have accepted and billed the task. ` +
			'It was NOT sent again, to avoid paying twice. Look for it at https://kie.ai/logs before running this item again.';
	} else if (request.kind === 'upload' && !notSent && networkCode !== 'CANCELLED') {
		message = `The upload to KIE ${reason}`;
		description =
			`${label}${attempts > 1 ? ` failed ${attempts} times` : ''} (${networkCode}).` +
			(streamed ? ' A streamed file is not sent again automatically.' : '') +
			' Uploads are free: check the Upload Base URL of the KIE API credential and your network, then run the item again.';
	} else {
		message = `The request to KIE ${reason}`;
		description = `${label}${attempts > 1 ? ` failed ${attempts} times` : ''} (${networkCode}). Check the Base URL of the KIE API credential and your network, then try again.`;
	}
	// The network code stays out of `message` and of a `code` key: NodeApiError would swap our
	// message for a generic one.
	return new NodeApiError(ctx.getNode(), { networkError: networkCode } as JsonObject, {
		message: redact(`${itemPrefix(request)}${message}`, secrets),
		description: redact(description, secrets),
	});
}
