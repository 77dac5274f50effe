/**
 * Type declarations for the KIE.AI HTTP API simulator (simulator/index.js).
 */

import type { ModelSchemaOverride, OpenApiDocument } from './catalogue-api';

export type { JsonSchema, ModelSchemaOverride, OpenApiDocument } from './catalogue-api';

export type RouteName =
	| 'credit'
	| 'createTask'
	| 'recordInfo'
	| '4oGenerate'
	| '4oRecordInfo'
	| '4oDownloadUrl'
	| 'downloadUrl'
	| 'uploadStream'
	| 'uploadBase64'
	| 'uploadUrl'
	| 'file'
	/** Model catalogue (catalogue-api.js): GET /api/v1/models, /models/{model}/schema, /price, /success-rate. */
	| 'models'
	| 'modelSchema'
	| 'modelPrice'
	| 'modelSuccessRate'
	/** KIE's own-API families (families.js): creates and details endpoints, kie-api.md §9. */
	| FamilyRouteName;

export type FamilyRouteName =
	| 'fluxGenerate'
	| 'fluxRecordInfo'
	| 'veoGenerate'
	| 'veoExtend'
	| 'veo4k'
	| 'veo1080p'
	| 'veoRecordInfo'
	| 'runwayGenerate'
	| 'runwayExtend'
	| 'runwayRecordDetail'
	| 'alephGenerate'
	| 'alephRecordInfo'
	| 'lumaGenerate'
	| 'lumaRecordInfo'
	| 'sunoGenerate'
	| 'sunoExtend'
	| 'sunoUploadCover'
	| 'sunoUploadExtend'
	| 'sunoAddInstrumental'
	| 'sunoAddVocals'
	| 'sunoRecordInfo'
	| 'lyricsGenerate'
	| 'lyricsRecordInfo';

/** The task families of the simulator: Market, 4o and the own-API families of families.js. */
export type SimFamily = 'market' | '4o' | 'flux-kontext' | 'veo' | 'veo-1080p' | 'runway' | 'aleph' | 'luma' | 'suno' | 'suno-lyrics';

/**
 * Request-level fault kinds (any route, including 'file').
 * - `maintenance`: real KIE's maintenance answer, HTTP 200 `{code: 500, msg: "The server is currently being
 *   maintained, please try again later~"}` without a `data` key (corpus error-envelope-2).
 * - `dailyLimit`: HTTP 200 `{code: 433, msg: "The current number of points used by apiKey has exceeded the daily
 *   limit", data: null}` (corpus error-envelope-1).
 */
export type RequestFaultKind =
	| 'code429'
	| 'http429'
	| 'code455'
	| 'code500'
	| 'http500'
	| 'code'
	| 'slow'
	| 'drop'
	| 'redirect'
	| 'redirectSame'
	| 'maintenance'
	| 'dailyLimit';

/** Task-level fault kinds (routes 'createTask' / '4oGenerate'): bound to the next accepted task. */
export type TaskFaultKind = 'malformedResultJson';

/** Callback fault kinds (route 'callback'): bound to the next task created with a callBackUrl. */
export type CallbackFaultKind =
	| 'duplicate'
	| 'redeliver'
	| 'lost'
	| 'delay'
	| 'outOfOrder'
	| 'forgedSignature'
	| 'staleTimestamp'
	| 'futureTimestamp'
	| 'unsigned'
	| 'hexSignature'
	| 'wrongTaskId'
	| 'beforeCreateResponse';

export interface FaultOptions {
	/** How many matching requests/tasks the fault applies to (default 1). */
	count?: number;
	/** How many matching requests/tasks pass before the fault applies (default 0): e.g. 7 fails the 8th create. */
	skip?: number;
	/** 'slow': delay in ms before answering (default 2000). 'delay' (callback): delay before delivery (default 1000). */
	ms?: number;
	/** 'code': body code (default 500). */
	code?: number;
	/** 'code' and the code429 / http429 / code455 / code500 / http500 kinds: message override. */
	msg?: string;
	/** 'code': `data` of the envelope (default null). */
	data?: unknown;
	/** 'code': HTTP status (default 200). */
	httpStatus?: number;
	/** 'http429': Retry-After header value (seconds). */
	retryAfter?: number;
	/** 'duplicate' / 'redeliver': number of copies (default 2). */
	times?: number;
	/** 'duplicate' / 'redeliver': pause between copies in ms (default 0). */
	gapMs?: number;
	/** 'staleTimestamp' / 'futureTimestamp': age in seconds (default 3600). */
	ageSec?: number;
	/** 'outOfOrder': longest hold in ms (default 5000). */
	maxHoldMs?: number;
}

export interface RateLimitOptions {
	/** Accepted creates (createTask + 4oGenerate) per sliding window (default 20). */
	createsPerWindow?: number;
	/** Sliding window length in ms (default 10000). */
	windowMs?: number;
	/** Polls (recordInfo + 4oRecordInfo) per sliding second (default 10). */
	pollsPerSecond?: number;
}

export interface SimulatorOptions {
	/** 0 = a free port (default). */
	port?: number;
	host?: string;
	/** Accepted Bearer token (default 'sim-key'). */
	apiKey?: string;
	/** When set, callbacks carry X-Webhook-Timestamp / X-Webhook-Signature. */
	hmacKey?: string;
	/** Starting credits (default 1000). */
	credits?: number;
	/** Generation time in ms (default 300); a function gets the model id ('gpt4o-image' for 4o) and body. */
	genMs?: number | ((model: string, body: unknown) => number);
	/** Properties of a new task from its body (like nextTask(), which takes precedence), e.g. by prompt. */
	taskFor?: (model: string, body: unknown) => NextTaskOptions | undefined;
	/** Rate limits; over-limit answers HTTP 200 {code:429}. `true` = KIE defaults. */
	rateLimit?: RateLimitOptions | boolean | null;
	/** Accept unknown keys in `input` / the body (default false → 422). */
	allowUnknownInput?: boolean;
	/** 4o record-info result key (default 'resultUrls'; the quickstart spells it 'result_urls'). */
	fourOResultKey?: 'resultUrls' | 'result_urls';
	/** 4o record-info times: epoch ms (default) or "YYYY-MM-DD HH:mm:ss" (UTC). */
	fourOTimeFormat?: 'epoch' | 'string';
	/** 4o: require `prompt` (quickstart table) instead of "prompt or filesUrl" (default false). */
	fourORequirePrompt?: boolean;
	/** Size in bytes of every result file (streamed, constant memory); or per task via nextTask(). */
	resultBytes?: number | ((model: string, body: unknown) => number | undefined);
	/** Lifetime of download-url links in seconds (default 1200 = 20 min). */
	downloadUrlTtlSec?: number;
	/** Callback retries after the first attempt (default 3). */
	callbackRetries?: number;
	/** Base delay between callback attempts in ms, grows linearly (default 200). */
	callbackRetryDelayMs?: number;
	/** Per-attempt callback timeout in ms (default 15000). */
	callbackTimeoutMs?: number;
	/** Unit of recordInfo `costTime`: default 'ms' (the doc schema), or 's' with `realKie` (market-record-2: 274 for 273.9 s). */
	costTimeUnit?: 'ms' | 's';
	/** Credits per task; default image 4, video 20, audio 3, 4o 6 × nVariants. */
	taskCost?: number | ((model: string, body: unknown) => number);
	/** Add `response` (parsed result) and `progress` to recordInfo like the agent-skill samples (default false). */
	includeResponseField?: boolean;
	/** Max JSON body size in bytes (default 100 MiB). */
	maxJsonBytes?: number;
	/** file-url-upload may fetch non-loopback hosts (default false → 400). */
	allowExternalUrlUpload?: boolean;
	/** Base URL used in result/upload/download links instead of http://host:port. */
	publicUrl?: string;
	/** Model catalogue routes (models, schema, price, success-rate) per key per second, shared (default 1; 0 = no limit). */
	catalogueRequestsPerSecond?: number;
	/**
	 * Answer with the shapes real KIE sends rather than those of its docs (default false). Each comes from a
	 * sample of ../shared/kie-corpus (table in simulator/README.md):
	 * - Market records: `failCode` / `failMsg` null unless failed, no `updateTime`, `costTime` in seconds (null
	 *   while running), `param` with `input` as a JSON string (market-record-1/2/3); an unknown task id answers
	 *   `{code: 422, msg: "recordInfo is null", data: null}` (error-envelope-5);
	 * - Market callbacks: `creditsConsumed`, `updateTime`, no consumeCredits / remainedCredits / successFlag
	 *   (market-callback-1); every callback sent with `User-Agent: okhttp/3.14.9` and
	 *   `Content-Type: application/json; charset=utf-8`;
	 * - Veo records: `originUrls` / `fullResultUrls` null, epoch-ms times (veo-record-1); Veo failure callbacks
	 *   `data: {taskId, fallbackFlag}` without `info` (veo-callback-2/3), the 4K failure `data: {taskId}`
	 *   (veo-callback-6);
	 * - Luma: epoch-ms record times (luma-record-1), callbacks `data: {taskId, promptJson, resultUrls}`
	 *   (luma-callback-1);
	 * - Suno: epoch-ms `createTime` of tracks and records, `type` the model, `operationType` lower case
	 *   (suno-record-1/2);
	 * - uploads: `filePath` (and the download URL) under `kieai/<REAL_KIE_USER_ID>/` (upload-stream-1/2);
	 * - error answers without a `data` key (error-envelope-2/3/4/6/7, upload-error-1), except those KIE answers
	 *   with `data: null` (error-envelope-1, -5).
	 */
	realKie?: boolean;
	/**
	 * The window after create in which Market `recordInfo` answers HTTP 200 `{code: 422, msg: "recordInfo is
	 * null", data: null}` for a task KIE has not indexed yet, in ms (default 0 = off; error-envelope-5,
	 * scenario-poll-1), while the task still runs (an ended task is indexed). Only the Market endpoint.
	 */
	notIndexedMs?: number;
}

export interface LoggedFile {
	name?: string;
	size: number;
	sha256: string;
	mimeType?: string;
}

export interface LoggedRequest {
	method: string;
	path: string;
	query: Record<string, string>;
	/** Lower-case header names; authorization is masked as 'Bearer ***'. */
	headers: Record<string, string | undefined>;
	/** Parsed JSON; for the stream upload { fields, file }; base64Data is replaced by a length marker. */
	body: unknown;
	route: RouteName | 'unknown';
	/** Body `code` of the answer (HTTP status for files / non-JSON answers); null when dropped. */
	answerCode: number | null;
	httpStatus: number | null;
	at: number;
	/** The answered envelope (JSON routes); with `realKie` an error answer has no `data`. */
	response?: { code: number; msg: string; data?: unknown; success?: boolean };
	/** Task created by this request (creates). */
	taskId?: string;
	/** Set when a 'drop' fault destroyed the socket. */
	dropped?: boolean;
	wouldHaveAnswered?: unknown;
}

export interface MarketRecord {
	taskId: string;
	model: string;
	state: 'waiting' | 'queuing' | 'generating' | 'success' | 'fail';
	/** With `realKie`, `input` is itself a JSON string inside it (as KIE echoes it). */
	param: string;
	/** The same as `param` (market-record-3). */
	paramJson: string;
	/** The model id (market-record-3). */
	operationType: string;
	resultJson: string;
	/** '' unless failed; null with `realKie`. */
	failCode: string | null;
	failMsg: string | null;
	/** 0 while running (null with `realKie`); ms, or seconds with costTimeUnit 's' / `realKie`. */
	costTime: number | null;
	completeTime: number | null;
	createTime: number;
	/** Not with `realKie`. */
	updateTime?: number;
	successFlag: 0 | 1 | 3;
	creditsConsumed: number;
	response?: unknown;
	progress?: null;
}

export interface FourORecord {
	taskId: string;
	paramJson: string;
	completeTime: number | string | null;
	response: { resultUrls?: string[]; result_urls?: string[] } | null;
	successFlag: 0 | 1 | 2;
	status: 'GENERATING' | 'SUCCESS' | 'GENERATE_FAILED';
	errorCode: number | null;
	errorMessage: string | null;
	createTime: number | string;
	progress: string;
}

export interface SimTask {
	taskId: string;
	recordId: string;
	family: SimFamily;
	model: string;
	body: Record<string, unknown>;
	param: string;
	media: 'image' | 'video' | 'audio';
	ext: string;
	aspect?: string;
	createdAt: number;
	genMs: number;
	outcome: 'success' | 'fail';
	failCode: string;
	failMsg: string;
	resultUrls: string[];
	resultObject?: Record<string, unknown>;
	resultBytes?: number;
	malformedResultJson: boolean;
	/** How many recordInfo reads answered 422 "recordInfo is null" in the `notIndexedMs` window. */
	notIndexedAnswers?: number;
	callBackUrl?: string;
	callbackFault: ({ kind: CallbackFaultKind } & FaultOptions) | null;
	cost: number;
	finalized: boolean;
	completedAt: number | null;
	creditsConsumed: number;
	remainedCredits: number | null;
}

export interface CallbackDelivery {
	taskId: string;
	url: string;
	family: SimFamily;
	fault: CallbackFaultKind | null;
	copy?: number;
	delivered: boolean;
	lost?: boolean;
	attempts: number;
	/** HTTP status of the last attempt (null = network error). */
	status: number | null;
	statuses: Array<number | null>;
	error?: string | null;
	headers?: Record<string, string>;
	payload: { code: number; msg: string; data: Record<string, unknown> };
	at: number;
	finishedAt?: number | null;
}

export interface SimStats {
	requests: number;
	creates: number;
	accepted: number;
	rejected429: number;
	createRejected429: number;
	pollRejected429: number;
	polls: number;
	uploads: number;
	faultsFired: number;
	peakCreatesInWindow: number;
	callbacksDelivered: number;
	callbacksFailed: number;
}

export interface NextTaskOptions {
	genMs?: number;
	resultBytes?: number;
	resultCount?: number;
	fail?: { failCode?: string | number; failMsg?: string };
}

export interface TaskOutcomePatch {
	outcome?: 'success' | 'fail';
	state?: 'success' | 'fail';
	failCode?: string | number;
	failMsg?: string;
	genMs?: number;
	resultBytes?: number;
	completeNow?: boolean;
}

/** The user folder in front of upload paths with `realKie` (`kieai/<id>/…`, upload-stream-1/2). */
export const REAL_KIE_USER_ID: string;

export interface UploadRecord {
	fileName: string;
	filePath: string;
	diskPath: string;
	size: number;
	sha256: string;
	mimeType: string;
	uploadedAt: string;
	originalName?: string;
}

export interface Simulator {
	/**
	 * Another origin on loopback: the 'redirect' fault sends requests there. `requests` records each one
	 * with its headers as they arrived (an Authorization header in clear, if a client leaked it).
	 */
	otherOrigin: { url: string; requests: Array<{ method: string; url: string; headers: Record<string, string | string[] | undefined> }> };
	/** e.g. 'http://127.0.0.1:PORT' — serves API host, upload host and file paths. */
	readonly url: string;
	readonly port: number;
	readonly options: Required<Omit<SimulatorOptions, 'hmacKey' | 'publicUrl' | 'resultBytes' | 'taskCost'>> &
		SimulatorOptions;
	readonly requests: LoggedRequest[];
	readonly tasks: Map<string, SimTask>;
	readonly uploads: Map<string, UploadRecord>;
	readonly callbacks: CallbackDelivery[];
	/** Turns KIE's rate limits on (`true` = KIE's numbers, or scaled ones) or off (null), at any time. */
	setRateLimit(rateLimit: RateLimitOptions | boolean | null): this;
	readonly stats: SimStats;
	credits: number;
	requestsFor(route: RouteName | 'unknown'): LoggedRequest[];
	fault(route: RouteName, kind: RequestFaultKind, opts?: FaultOptions): this;
	fault(route: 'createTask' | '4oGenerate', kind: TaskFaultKind, opts?: FaultOptions): this;
	fault(route: 'callback', kind: CallbackFaultKind, opts?: FaultOptions): this;
	failNextTask(opts?: { failCode?: string | number; failMsg?: string }): this;
	nextTask(opts: NextTaskOptions): this;
	setTaskOutcome(taskId: string, patch: TaskOutcomePatch): SimTask;
	completeTask(taskId: string): SimTask;
	setCredits(n: number): void;
	/** The record recordInfo / 4o record-info (or the family's details endpoint) would answer right now. */
	taskRecord(taskId: string): MarketRecord | FourORecord | Record<string, unknown> | undefined;
	waitForCallbacks(count?: number, timeoutMs?: number): Promise<void>;
	/** Resolves when all tasks with a callBackUrl ended and every callback delivery is over. */
	settle(timeoutMs?: number): Promise<void>;
	waitForTask(taskId: string, timeoutMs?: number): Promise<MarketRecord | FourORecord | undefined>;
	/**
	 * Replaces the OpenAPI document GET /api/v1/models/{model}/schema serves for a listed model, built-in
	 * or not (KIE's docs drifting): a document, null ("not synced"), a function of a fresh copy of the
	 * default document (returning the new one, or nothing after changing the copy), or undefined to
	 * restore the default. reset() restores every default. Also `POST /__sim/model-schema`
	 * `{model, openapi}` (without `openapi`: restore) and `GET /__sim/model-schema?model=`.
	 * Creates of a built-in model are still validated against the catalogue, never against an override;
	 * creates of an extra model are validated against the document served at that moment (null → 422).
	 * Throws for a model the catalogue does not list.
	 */
	setModelSchema<T extends object = OpenApiDocument>(modelId: string, schema: ModelSchemaOverride<T>): this;
	/** Pauses a Market model (`true`): its creates answer `{code: 500, msg: "This interface is temporarily paused"}` and charge nothing; `false` resumes it. */
	setModelPaused(modelId: string, paused: boolean): this;
	/** Takes a model off the live list and its schema/price endpoints (`false`: KIE paused or retired it), or puts it back. */
	setModelListed(modelId: string, listed: boolean): this;
	/** The document the schema endpoint serves for a model right now (a copy); undefined if it is not listed. */
	modelSchema(modelId: string): OpenApiDocument | null | undefined;
	/** Clears requests, tasks, faults, uploads, callbacks, stats, credits, rate-limit history and schema overrides. */
	reset(): void;
	close(): Promise<void>;
}

export interface ReceivedCallback {
	method: string;
	path: string;
	headers: Record<string, string | undefined>;
	body: unknown;
	raw: string;
	at: number;
	/** Present when the receiver was started with hmacKey. */
	signatureValid?: boolean;
	answeredStatus: number;
}

export interface CallbackReceiverOptions {
	port?: number;
	host?: string;
	/** Path of `url` (default '/callback'); any path is accepted. */
	path?: string;
	/** Verify signatures with this key (sets `signatureValid`). */
	hmacKey?: string;
	/** HTTP statuses answered to the first calls, then 200. */
	statuses?: number[];
	/** Delay before answering, in ms. */
	delayMs?: number;
}

export interface CallbackReceiver {
	url: string;
	baseUrl: string;
	received: ReceivedCallback[];
	respondWith(statuses: number | number[]): void;
	setDelay(ms: number): void;
	waitFor(count?: number, timeoutMs?: number): Promise<ReceivedCallback[]>;
	clear(): void;
	close(): Promise<void>;
}

export function startSimulator(options?: SimulatorOptions): Promise<Simulator>;
export function startCallbackReceiver(options?: CallbackReceiverOptions): Promise<CallbackReceiver>;
/** base64(HMAC-SHA256(hmacKey, `${taskId}.${timestamp}`)) — or hex with encoding 'hex'. */
export function signCallback(
	hmacKey: string,
	taskId: string,
	timestamp: string | number,
	encoding?: 'base64' | 'hex',
): string;
/** Constant-time check of a base64 signature. */
export function verifySignature(
	hmacKey: string,
	taskId: string | undefined,
	timestamp: string | undefined,
	signature: string | undefined,
): boolean;
export const ROUTE_NAMES: ReadonlyArray<RouteName | 'callback'>;
export const REQUEST_FAULTS: ReadonlyArray<RequestFaultKind>;
export const TASK_FAULTS: ReadonlyArray<TaskFaultKind>;
export const CALLBACK_FAULTS: ReadonlyArray<CallbackFaultKind>;
export function catalogueIds(): string[];
/** Demo data served at /samples/prompts.csv?rows=N: columns id, prompt, aspect_ratio. */
export function samplePromptsCsv(rows: number): string;
/** A small valid PNG (RGB gradient). */
export function makePng(opts?: { width?: number; height?: number; seed?: string }): Buffer;
/** Hex SHA-256 of some bytes (to compare uploads byte for byte). */
export function sha256Hex(data: Uint8Array | string): string;
/** The class behind startSimulator (constructing it does not listen; use startSimulator). */
export const Simulator: new (options?: SimulatorOptions) => Simulator;
