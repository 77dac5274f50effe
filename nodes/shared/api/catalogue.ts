import type { IDataObject } from 'n8n-workflow';

import { jsonTextLength, LIVE_SCHEMA_BUDGETS } from '../registry/liveSchema';
import { kieApiRequest, type KieContext } from '../transport';
import type { RequestPacer } from '../transport/pacer';
import { clearCache, credentialCacheKey, FAILURE_TTL_MS, keyPart, newCache, peek, remember } from './answerCache';

/**
 * KIE's model catalogue (Common API, kie-api.md §7): the live model list, and each model's OpenAPI
 * schema, price and success rate. The four endpoints share 1 request/second per account.
 */

/** One model of `GET /api/v1/models`. */
export interface LiveModel {
	model: string;
	slug: string;
	title: string;
	provider: string;
	taskType: string[];
	description: string | null;
	pricingDesc: string;
}

interface LiveModelList {
	total: number;
	models: LiveModel[];
}

export interface CatalogueFilters {
	/** One or more KIE task types, comma-separated, e.g. "Text to Video". */
	taskType?: string;
	provider?: string;
	/** A keyword. */
	q?: string;
}

interface CatalogueRequestOptions {
	/** 1 = no retry (the editor's list falls back at once instead). */
	maxAttempts?: number;
	timeoutMs?: number;
	itemIndex?: number;
	/** The execution's pacer: catalogue requests take its `catalogue` lane (1 request per second). */
	pacer?: RequestPacer;
}

/** One 10-minute bucket of `GET /api/v1/models/{model}/success-rate`. */
export interface SuccessRateBucket {
	start: number | string;
	end: number | string;
	successRate: number;
	errorRate: number;
	isNormal: boolean;
}

const MODELS_PATH = '/api/v1/models';

const str = (value: unknown): string => (typeof value === 'string' ? value : value === undefined || value === null ? '' : String(value));

function toLiveModel(raw: unknown): LiveModel | undefined {
	if (!raw || typeof raw !== 'object') return undefined;
	const record = raw as IDataObject;
	const model = str(record.model).trim();
	if (!model) return undefined;
	const taskType = Array.isArray(record.taskType)
		? record.taskType.map(str).filter(Boolean)
		: str(record.taskType)
				.split(',')
				.map((entry) => entry.trim())
				.filter(Boolean);
	return {
		model,
		slug: str(record.slug),
		title: str(record.title) || model,
		provider: str(record.provider),
		taskType,
		description: typeof record.description === 'string' ? record.description : null,
		pricingDesc: str(record.pricingDesc),
	};
}

/**
 * The path of a per-model catalogue endpoint. KIE wants the slashes of the id as they are
 * (`/api/v1/models/wan/v2-2-t2v/schema`); each segment is still percent-encoded.
 */
export function modelPath(modelId: string, endpoint: 'schema' | 'price' | 'success-rate'): string {
	const segments = modelId.trim().split('/');
	if (!modelId.trim() || segments.some((segment) => segment === '' || segment === '.' || segment === '..')) {
		throw new Error(`"${modelId}" is not a KIE model id`);
	}
	return `${MODELS_PATH}/${segments.map(encodeURIComponent).join('/')}/${endpoint}`;
}

/** `GET /api/v1/models` with optional filters. */
export async function listLiveModels(
	this: KieContext,
	filters: CatalogueFilters = {},
	options: CatalogueRequestOptions = {},
): Promise<LiveModelList> {
	const qs: IDataObject = {};
	for (const key of ['taskType', 'provider', 'q'] as const) {
		const value = (filters[key] ?? '').trim();
		if (value) qs[key] = value;
	}
	const data = (await kieApiRequest.call(this, {
		method: 'GET',
		path: MODELS_PATH,
		kind: 'read',
		qs,
		label: 'List models',
		...options,
		lane: 'catalogue',
	})) as IDataObject | null;
	const rawModels = Array.isArray(data?.models) ? data.models : Array.isArray(data) ? (data as unknown[]) : [];
	const models = rawModels.map(toLiveModel).filter((model): model is LiveModel => model !== undefined);
	const total = typeof data?.total === 'number' ? data.total : models.length;
	return { total, models };
}

/** `GET /api/v1/models/{model}/schema` → `{model, openapi}` (openapi is null until KIE synced it). */
export async function getModelSchema(
	this: KieContext,
	modelId: string,
	options: CatalogueRequestOptions = {},
): Promise<{ model: string; openapi: IDataObject | null }> {
	const data = (await kieApiRequest.call(this, {
		method: 'GET',
		path: modelPath(modelId, 'schema'),
		kind: 'read',
		label: `Get the schema of model ${modelId}`,
		...options,
		lane: 'catalogue',
	})) as IDataObject | null;
	const openapi = data?.openapi;
	return { model: str(data?.model) || modelId, openapi: openapi && typeof openapi === 'object' ? (openapi as IDataObject) : null };
}

/** `GET /api/v1/models/{model}/price` → `{model, pricingDesc}`. */
export async function getModelPrice(
	this: KieContext,
	modelId: string,
	options: CatalogueRequestOptions = {},
): Promise<{ model: string; pricingDesc: string }> {
	const data = (await kieApiRequest.call(this, {
		method: 'GET',
		path: modelPath(modelId, 'price'),
		kind: 'read',
		label: `Get the price of model ${modelId}`,
		...options,
		lane: 'catalogue',
	})) as IDataObject | null;
	return { model: str(data?.model) || modelId, pricingDesc: str(data?.pricingDesc) };
}

/**
 * `GET /api/v1/models/{model}/success-rate`: the 10-minute buckets of the last 24 hours, oldest first.
 * KIE's page gives the bucket shape only, so `data` is read as an array or as an object holding one.
 */
export async function getModelSuccessRate(
	this: KieContext,
	modelId: string,
	options: CatalogueRequestOptions = {},
): Promise<{ model: string; buckets: SuccessRateBucket[] }> {
	const data = await kieApiRequest.call(this, {
		method: 'GET',
		path: modelPath(modelId, 'success-rate'),
		kind: 'read',
		label: `Get the success rate of model ${modelId}`,
		...options,
		lane: 'catalogue',
	});
	let list: unknown[] = [];
	let model = modelId;
	if (Array.isArray(data)) list = data;
	else if (data && typeof data === 'object') {
		const record = data as IDataObject;
		model = str(record.model) || modelId;
		const inner = [record.buckets, record.list, record.data, record.items].find(Array.isArray);
		if (inner) list = inner as unknown[];
	}
	const buckets = list
		.filter((entry): entry is IDataObject => !!entry && typeof entry === 'object')
		.map((entry) => ({
			start: entry.start as number | string,
			end: entry.end as number | string,
			successRate: Number(entry.successRate),
			errorRate: Number(entry.errorRate),
			isNormal: entry.isNormal === true,
		}));
	return { model, buckets };
}

// -------------------------------------------------------------------------------------------------
// Per-process caches of the catalogue (the live list, the model schemas)
// -------------------------------------------------------------------------------------------------

/** How long a fetched list is reused. */
const LIVE_MODELS_TTL_MS = 10 * 60 * 1000;
/** How long a model's schema (or KIE's `null` for it) is reused: an hour. */
const SCHEMA_TTL_MS = 60 * 60 * 1000;
/** At most this many answers are kept per cache (oldest dropped first). */
const CACHE_LIMIT = 500;
/** The largest model schema kept or read, in characters of its JSON text (the reader's budget; KIE's are a few KB). */
export const MAX_SCHEMA_CHARS = LIVE_SCHEMA_BUDGETS.maxDocumentChars;
/** At most this many characters of schemas are kept in all (oldest dropped first). */
const SCHEMA_CACHE_CHARS = 32 * 1024 * 1024;
/** At most this many models of the live list are kept (KIE lists a few hundred). */
export const MAX_LIVE_MODELS = 5000;
/** A model id longer than this is not one of KIE's (they are ~30 characters): not requested, not cached. */
const MAX_MODEL_ID_CHARS = 200;

/**
 * In-memory, per n8n process: the model picker calls the list search on every keystroke, and the
 * catalogue allows 1 request/second per account, so one unfiltered list per (base URL, API key,
 * filter) is kept for LIVE_MODELS_TTL_MS and filtered locally. A restart or another main/worker
 * process simply fetches again. The key holds a hash of the API key, never the key itself.
 */
const liveCache = newCache<LiveModel[] | undefined>(CACHE_LIMIT);

export function clearLiveModelCache(): void {
	clearCache(liveCache);
}

/** The key of a list for the node's credential and `filter` (the API key as a hash). */
async function cacheKey(ctx: KieContext, filter: string): Promise<string> {
	return await credentialCacheKey(ctx, keyPart(filter.trim().toLowerCase()));
}

/** Caps what one cached model of the live list keeps (KIE's are short texts). */
const clip = (text: string, max: number): string => (text.length <= max ? text : `${text.slice(0, max - 1)}…`);

/**
 * The live list as the cache keeps it: at most MAX_LIVE_MODELS models, ids of a usable length, texts
 * clipped (titles 200 characters, descriptions 2,000), so one answer stays small whatever KIE sends.
 */
export function boundedLiveModels(models: LiveModel[]): LiveModel[] {
	const kept: LiveModel[] = [];
	for (const model of models) {
		if (kept.length >= MAX_LIVE_MODELS) break;
		if (model.model.length > MAX_MODEL_ID_CHARS) continue;
		kept.push({
			model: model.model,
			slug: clip(model.slug, MAX_MODEL_ID_CHARS),
			title: clip(model.title, 200),
			provider: clip(model.provider, 100),
			taskType: model.taskType.slice(0, 20).map((type) => clip(type, 100)),
			description: model.description === null ? null : clip(model.description, 2000),
			pricingDesc: clip(model.pricingDesc, 500),
		});
	}
	return kept;
}

/**
 * The live list for `filter` (sent as `q`; '' = every model), from the cache when fresh. Resolves to
 * undefined when the catalogue cannot be read (bad credential, 429, 5xx…): callers fall back to the
 * built-in models, and the failure is remembered briefly so that typing does not hammer an endpoint
 * limited to 1 request/second. One request at a time per key: concurrent calls share it.
 */
export async function cachedLiveModels(
	this: KieContext,
	filter = '',
	{ now = Date.now(), pacer }: { now?: number; pacer?: RequestPacer } = {},
): Promise<LiveModel[] | undefined> {
	let key: string;
	try {
		key = await cacheKey(this, filter);
	} catch {
		// No usable credential yet (e.g. the editor before one is picked): the built-in list only.
		return undefined;
	}
	const load = async () =>
		await listLiveModels.call(this, { q: filter }, { maxAttempts: 1, timeoutMs: 15_000, pacer }).then(
			(list): LiveModel[] | undefined => boundedLiveModels(list.models),
			(): undefined => undefined,
		);
	return await remember(liveCache, key, now, load, (models) => (models ? LIVE_MODELS_TTL_MS : FAILURE_TTL_MS));
}

/**
 * KIE's whole live list as this process has it now (read within LIVE_MODELS_TTL_MS for this credential: by
 * a run with a live model, or by the editor's model picker), without a request; undefined otherwise.
 */
export async function knownLiveModels(this: KieContext, { now = Date.now() }: { now?: number } = {}): Promise<LiveModel[] | undefined> {
	try {
		return peek(liveCache, await cacheKey(this, ''), now);
	} catch {
		return undefined;
	}
}

/** A model's schema, or why it could not be read (`error`: bad credential, 429, unreachable…). */
export type SchemaAnswer = { openapi: IDataObject | null } | { error: string };

/** A schema weighs its JSON text (an error answer a little): at most SCHEMA_CACHE_CHARS in all. */
const schemaCache = newCache<SchemaAnswer>(CACHE_LIMIT, (answer) => ('error' in answer ? answer.error.length : jsonTextLength(answer.openapi, MAX_SCHEMA_CHARS)), SCHEMA_CACHE_CHARS);

export function clearModelSchemaCache(): void {
	clearCache(schemaCache);
}

/**
 * KIE's `openapi` answer as the cache keeps it: the document when it is at most `maxChars` of JSON text,
 * an error saying so otherwise (remembered like a failure, 30 s, so the editor does not ask again at once).
 */
export function boundedSchemaAnswer(openapi: IDataObject | null, maxChars = MAX_SCHEMA_CHARS): SchemaAnswer {
	const size = jsonTextLength(openapi, maxChars);
	if (size <= maxChars) return { openapi };
	const limit = maxChars % (1024 * 1024) === 0 ? `${maxChars / (1024 * 1024)} MB` : `${maxChars} characters`;
	return { error: `its schema is larger than ${limit}, more than this node reads` };
}

/**
 * `GET /api/v1/models/{model}/schema` through a per-process cache (an hour per base URL, API key and
 * model), so a batch or the editor reads each model's schema at most once an hour: concurrent callers
 * share one request, a failure is remembered for 30 s. Never throws: a schema that cannot be read is an
 * `{ error }` answer. Requests go through the pacer's catalogue lane (KIE: 1 request per second).
 */
export async function cachedModelSchema(
	this: KieContext,
	modelId: string,
	{ now = Date.now(), pacer }: { now?: number; pacer?: RequestPacer } = {},
): Promise<SchemaAnswer> {
	if (modelId.length > MAX_MODEL_ID_CHARS) return { error: `"${modelId.slice(0, 40)}…" is not a KIE model id (longer than ${MAX_MODEL_ID_CHARS} characters)` };
	let key: string;
	try {
		key = `${await cacheKey(this, '')}|${modelId}`;
	} catch {
		return { error: 'no KIE API credential is selected' };
	}
	const load = async () =>
		await getModelSchema.call(this, modelId, { maxAttempts: 1, timeoutMs: 15_000, pacer }).then(
			(answer): SchemaAnswer => boundedSchemaAnswer(answer.openapi),
			(error: unknown): SchemaAnswer => ({ error: String((error as Error)?.message ?? error).slice(0, 500) }),
		);
	return await remember(schemaCache, key, now, load, (answer) => ('error' in answer ? FAILURE_TTL_MS : SCHEMA_TTL_MS));
}
