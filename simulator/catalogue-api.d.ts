/**
 * Type declarations for the simulator's model catalogue routes (simulator/catalogue-api.js).
 */

/** One entry of GET /api/v1/models `data.models`. */
export interface ListedModel {
	model: string;
	slug: string;
	title: string;
	provider: string;
	taskType: string[];
	description: string | null;
	pricingDesc: string;
}

/** One 10-minute bucket of GET /api/v1/models/{model}/success-rate. */
export interface SuccessRateBucket {
	start: number;
	end: number;
	successRate: number;
	errorRate: number;
	isNormal: boolean;
}

/**
 * A JSON Schema (2020-12, as OpenAPI 3.1 uses it) of a model's document. `$ref`s are not inlined, and a
 * `$ref` may be percent-encoded while its component key is not (and is space-padded).
 */
export interface JsonSchema {
	$ref?: string;
	/** A type name or, in OpenAPI 3.1, an array of them (e.g. ['string', 'null']). */
	type?: string | string[];
	title?: string;
	description?: string;
	format?: string;
	default?: unknown;
	enum?: unknown[];
	const?: unknown;
	properties?: Record<string, JsonSchema>;
	required?: string[];
	additionalProperties?: boolean | JsonSchema;
	items?: JsonSchema;
	oneOf?: JsonSchema[];
	anyOf?: JsonSchema[];
	allOf?: JsonSchema[];
	minimum?: number;
	maximum?: number;
	minLength?: number;
	maxLength?: number;
	minItems?: number;
	maxItems?: number;
	nullable?: boolean;
	[keyword: string]: unknown;
}

/** One path of a model's document (only createTask's `post` is typed). */
export interface OpenApiPathItem {
	post?: {
		summary?: string;
		requestBody?: { required?: boolean; content?: Record<string, { schema?: JsonSchema }> };
		responses?: Record<string, unknown>;
		[key: string]: unknown;
	};
	[method: string]: unknown;
}

/** A model's OpenAPI 3.1 document, as GET /api/v1/models/{model}/schema serves it in `data.openapi`. */
export interface OpenApiDocument {
	openapi: string;
	info?: { title: string; version: string; description?: string };
	servers?: Array<{ url: string }>;
	/** '/api/v1/jobs/createTask' → post.requestBody.content['application/json'].schema: a `$ref` to the request. */
	paths?: Record<string, OpenApiPathItem>;
	components?: { schemas?: Record<string, JsonSchema>; [section: string]: unknown };
	[key: string]: unknown;
}

/**
 * What setModelSchema takes: a document, null ("not synced"), a function of a fresh copy of the
 * default document returning the new one (or nothing, after changing the copy), or undefined (restore).
 * `T` lets a caller use its own document type (e.g. n8n's IDataObject). The function gets null for a
 * model whose default document is null (acme/hyper-video-9, acme/voice-clone-2).
 */
export type ModelSchemaOverride<T extends object = OpenApiDocument> =
	| T
	| OpenApiDocument
	| null
	| undefined
	| ((defaultDocument: T) => T | OpenApiDocument | null | void);

export const CATALOGUE_ROUTES: ReadonlyArray<'models' | 'modelSchema' | 'modelPrice' | 'modelSuccessRate'>;
/**
 * Listed models that are not in the Market catalogue (nor in the package's registry):
 * acme/hyper-video-9 and acme/voice-clone-2 (schema null, creates refused with 422),
 * acme/pixel-forge-3 and acme/motion-blend-1 (an OpenAPI document, see LIVE_MODEL_IDS).
 */
export const EXTRA_MODELS: ReadonlyArray<Omit<ListedModel, 'slug'>>;
/**
 * The extra models with a synced OpenAPI document (live-models.js), whose creates are accepted when
 * their input matches it: ['acme/pixel-forge-3', 'acme/motion-blend-1'].
 */
export const LIVE_MODEL_IDS: ReadonlyArray<string>;
/** Every model GET /api/v1/models lists without filters. */
export function listedModels(): ListedModel[];
export function matchRoute(pathname: string): { method: 'GET'; route: string; modelId?: string } | null;
export function successRateBuckets(modelId: string, now: number): SuccessRateBucket[];
/**
 * The document served for a listed model when nothing is overridden (a fresh copy): built from the
 * catalogue for built-in models, live-models.js for LIVE_MODEL_IDS, null for the other extra models;
 * undefined for a model the catalogue does not list.
 */
/**
 * pricingDesc texts in the shapes KIE really uses, with where each was seen (see catalogue-api.js):
 * single prices (per image, per output image, per upscale, per 5-second clip, per 1,000 characters, bare)
 * and texts with several prices, conditions or discounts.
 */
export const PRICE_SHAPES: Readonly<Record<string, string>>;
/**
 * Replace the pricingDesc that GET /api/v1/models/{model}/price and the model list serve for a listed
 * model, or undefined to restore the default (sim.reset() restores every one). Throws for a model the
 * catalogue does not list.
 */
export function setModelPrice(sim: object, modelId: string, pricingDesc: string | undefined): void;
export function setModelListed(sim: object, modelId: string, listed: boolean): void;
export function defaultModelSchema(modelId: string): OpenApiDocument | null | undefined;
