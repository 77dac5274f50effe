'use strict';

/**
 * The model catalogue endpoints of KIE's Common API (kie-api.md §7), for the simulator:
 *
 *   GET /api/v1/models                        ?taskType=&provider=&q=  → {total, models[]}
 *   GET /api/v1/models/{model}/schema         (slashes of the id NOT encoded) → {model, openapi}
 *   GET /api/v1/models/{model}/price          → {model, pricingDesc}
 *   GET /api/v1/models/{model}/success-rate   → 10-minute buckets over 24 h
 *
 * The four share 1 request/second per API key (§11); over the limit the answer is HTTP 200 with
 * body code 429. The list is built from the Market catalogue validate.js loads, plus EXTRA_MODELS, models the package's
 * registry does not know (so the live merge in the model picker and live models can be tested): two
 * whose schema is `null` ("not yet synced": acme/hyper-video-9, acme/voice-clone-2) and two with a real
 * OpenAPI 3.1 document with KIE's quirks (live-models.js: acme/pixel-forge-3, acme/motion-blend-1),
 * which createTask accepts, validating their input against that document.
 *
 * `setModelSchema(sim, id, …)` replaces the document served for any listed model (KIE's docs
 * drifting); `reset(sim)` restores the defaults. Creates of built-in models keep being validated
 * against the catalogue; creates of extra models against the document served right now.
 *
 * index.js calls `matchRoute(pathname)` for paths it does not know and `answer(sim, ctx, route)` for
 * the routes below, after auth and request faults.
 */

const { catalogue, catalogueById, requestSchemaFor, isPlainObject } = require('./validate');
const { LIVE_MODEL_DOCUMENTS } = require('./live-models');

const CATALOGUE_ROUTES = ['models', 'modelSchema', 'modelPrice', 'modelSuccessRate'];

/** Models KIE lists that are in neither the Market catalogue nor the package's registry. */
const EXTRA_MODELS = [
	{
		model: 'acme/hyper-video-9',
		title: 'Acme Hyper Video 9',
		provider: 'Acme',
		taskType: ['Text to Video', 'Image to Video'],
		description: 'A video model released after the package (simulator only).',
		pricingDesc: '30 credits per 5 s video',
	},
	{
		model: 'acme/voice-clone-2',
		title: 'Acme Voice Clone 2',
		provider: 'Acme',
		taskType: ['Text to Speech'],
		description: null,
		pricingDesc: '2 credits per 1,000 characters',
	},
	{
		model: 'acme/pixel-forge-3',
		title: 'Acme Pixel Forge 3',
		provider: 'Acme',
		taskType: ['Text to Image', 'Image to Image'],
		description: 'An image model released after the package, with a synced schema (simulator only).',
		pricingDesc: '5 credits per image',
	},
	{
		model: 'acme/motion-blend-1',
		title: 'Acme Motion Blend 1',
		provider: 'Acme',
		taskType: ['Text to Video', 'Image to Video'],
		description: 'A video model released after the package, with a synced oneOf schema (simulator only).',
		pricingDesc: '25 credits per 5 s video',
	},
];

const PROVIDERS = {
	'Flux-2': 'Black Forest Labs',
	Google: 'Google',
	'GPT Image': 'OpenAI',
	'Grok Imagine': 'xAI',
	Ideogram: 'Ideogram',
	Qwen: 'Alibaba',
	Recraft: 'Recraft',
	Seedream: 'ByteDance',
	Topaz: 'Topaz Labs',
	Wan: 'Alibaba',
	'Z-image': 'Alibaba',
	Bytedance: 'ByteDance',
	'Gemini Omni': 'Google',
	Hailuo: 'MiniMax',
	Kling: 'Kuaishou',
	'Omnihuman 1.5': 'ByteDance',
	Sora2: 'OpenAI',
	Volcengine: 'ByteDance',
	ElevenLabs: 'ElevenLabs',
};

const PRICE_BY_MEDIA = { image: '4 credits per image', video: '20 credits per video', audio: '3 credits per request' };

/**
 * pricingDesc texts in the shapes KIE really uses (for setModelPrice and the price parser's tests), with
 * where each was seen. KIE's texts are free prose: one figure with its unit, money in parentheses, a note
 * on top-up bonuses, or tables of tiers by mode, resolution, duration or input, and limited-time discounts.
 */
const PRICE_SHAPES = {
	// Captured from GET /api/v1/models/{model}/price (Mr-Fulani/mcp-kie, audit/personal-tariffs-live-2026-10-04.json).
	perImageWithBonusNote:
		'Nano Banana API costs 4 credits per image (~$0.02).\nHigh-tier top-ups (+10% bonus) bring effective pricing down to ~$0.018 per image.',
	flatPerImage:
		'flat 0.8 Kie credits per image (≈ $0.004) — simple, all-inclusive pricing.\nHigh-tier top-ups (+10% bonus) bring effective pricing down to ≈ $0.0036 per image.',
	// Mr-Fulani/mcp-kie tests (tests/test_*.py, TARIFFS): live texts of recraft/remove-background and recraft/crisp-upscale.
	perOutputImage: 'Kie.ai Recraft Remove-Background: 1 credit ($0.005) per output image.',
	perUpscale: 'Recraft Crisp Upscale: 0.5 credits per upscale (~US $0.0025).',
	// KIE's own kie-models skill (the model list example, kling/v2-1-master-text-to-video), without its "…".
	perClip: 'A 5-second video costs 160 credits (0.80 USD).',
	// The same, in full (a drift-watch test of a KIE client): two durations, two prices.
	perClipTwoDurations: 'A 5-second video costs 160 credits ($0.80), and a 10-second video costs 320 credits',
	// A KIE docs page (ElevenLabs TTS Turbo 2.5), quoted by a client's docs.
	perCharacters: 'Pricing: ElevenLabs TTS Turbo V2.5: 6 credits per 1,000 characters (≈ $0.03).',
	// KIE's market page data (nano-banana-2-lite), read by a drift-watch script.
	bare: '4 credits ($0.02)',
	bareWithCondition: '4 credits ($0.02) for 1K',
	// Per second, by resolution (happyhorse; kling-3.0/motion-control).
	perSecondByResolution: '22.5 credits/s ($0.1125) for 720 p or 29 credits/s ($0.145) for 1080 p',
	// bytedance/v1-lite (Mr-Fulani/mcp-kie tests).
	perSecondAbout:
		'For Seedance V1 Lite, generating 1 second of video costs about 2 credits ($0.010) at 480p, 4.5 credits ($0.0225) at 720p, and 10 credits ($0.050) at 1080p.',
	// bytedance/seedance-2-mini, captured 2026-10-04 (Mr-Fulani/mcp-kie tests/fixtures): tiers by input and a discount that expires.
	perSecondByInputWithDiscount:
		'480p — 2.4 credits/s ($0.012/s, with video) | 3.8 credits/s ($0.019/s, no video)\n720p — 5.0 credits/s ($0.025/s, with video) | 8.2 credits/s ($0.041/s, no video)\n\n🔸Note🔸: “With video input” has a lower unit price due to a different calculation method: No video = Price × Output;  With video = Price × (Input + Output)\n\nHigh-tier top-ups (+10% bonus) bring effective pricing down to ~90% of the above price\n\n🎉 Limited-time discount: Seedance 2.0 Mini is now available at a reduced price until October 7, 06:00 (UTC).',
	// veo-3-1 (a KIE client's tests): modes × resolutions.
	tiersByModeAndResolution:
		'Lite mode (text-to-video / image-to-video/ reference-to-video): 720P — 30 credits (≈ $0.15) per video; 1080P — 35 credits (≈ $0.175) per video; 4K — 150 credits (≈ $0.75) per video.\nFast mode (text-to-video / image-to-video / reference-to-video): 720P — 60 credits (≈ $0.30) per video; 1080P — 65 credits (≈ $0.325) per video; 4K — 180 credits (≈ $0.90) per video.\nQuality mode (text-to-video / image-to-video): 720P — 250 credits (≈ $1.25) per video; 1080P — 255 credits (≈ $1.275) per video; 4K — 370 credits (≈ $1.85) per video.\n\nHigh-tier top-ups (+10% bonus) reduce the effective cost by about 10%.',
	// nano-banana-2 (a KIE client's notes): one price per resolution.
	tiersByResolution: 'Nano Banana 2 — now just 8 credits ($0.04) for 1 K, 12 credits ($0.06) for 2 K, and 18 credits ($0.09) for 4 K,',
	// A Chat model's price (per tokens: not a task price).
	perTokens: 'Input 10 credits / 1M tokens',
};

function titleCase(words) {
	return words
		.split(/[-_\s]+/)
		.filter(Boolean)
		.map((w) => (/^(to|and|of)$/.test(w) ? w : w.charAt(0).toUpperCase() + w.slice(1)))
		.join(' ');
}

/** "text-to-video" → "Text to Video" (KIE's taskType spelling). */
function taskTypeOf(kind) {
	return titleCase(String(kind || 'other'));
}

function entryToListed(entry) {
	const tail = entry.id.includes('/') ? entry.id.slice(entry.id.indexOf('/') + 1) : entry.id;
	return {
		model: entry.id,
		slug: entry.id.replace(/[^a-zA-Z0-9.]+/g, '-').toLowerCase(),
		title: `${entry.family} ${titleCase(tail)}`,
		provider: PROVIDERS[entry.family] || entry.family,
		taskType: [taskTypeOf(entry.kind)],
		description: entry.notes ? String(entry.notes).slice(0, 200) : null,
		pricingDesc: PRICE_BY_MEDIA[entry.media] || PRICE_BY_MEDIA.image,
	};
}

let listedCache = null;

/** Every model the simulated catalogue lists, in a stable order. */
function listedModels() {
	if (!listedCache) {
		listedCache = [
			...catalogue.map(entryToListed),
			...EXTRA_MODELS.map((m) => ({ slug: m.model.replace(/[^a-zA-Z0-9.]+/g, '-').toLowerCase(), ...m })),
		];
	}
	return listedCache;
}

function findListed(modelId) {
	return listedModels().find((m) => m.model === modelId);
}

function priceOverrides(sim) {
	if (!sim._priceOverrides) sim._priceOverrides = new Map();
	return sim._priceOverrides;
}

/** The pricingDesc served for a listed model right now (override or default). */
function modelPrice(sim, listed) {
	const o = priceOverrides(sim);
	return o.has(listed.model) ? o.get(listed.model) : listed.pricingDesc;
}

/**
 * Replace the pricingDesc the price endpoint and the model list serve for a listed model (KIE changing a
 * price, or one of PRICE_SHAPES), or undefined to restore the default. Throws for a model the catalogue
 * does not list or a value that is not a string.
 */
function setModelPrice(sim, modelId, pricingDesc) {
	if (typeof modelId !== 'string' || !findListed(modelId)) {
		throw new Error(`setModelPrice: ${modelId} is not a model of the live catalogue`);
	}
	const o = priceOverrides(sim);
	if (pricingDesc === undefined) {
		o.delete(modelId);
		return;
	}
	if (typeof pricingDesc !== 'string') throw new Error('setModelPrice: the price must be a string (KIE\'s pricingDesc) or undefined');
	o.set(modelId, pricingDesc);
}

/**
 * Take a model off the live list (KIE pausing or retiring it: `listed` false) or put it back (true). Its
 * schema and price endpoints then answer 404 as for any model the catalogue does not list; creates are not
 * affected. Throws for a model the catalogue does not know.
 */
function setModelListed(sim, modelId, listed) {
	if (typeof modelId !== 'string' || !listedModels().some((m) => m.model === modelId)) {
		throw new Error(`setModelListed: ${modelId} is not a model of the catalogue`);
	}
	if (!sim._unlisted) sim._unlisted = new Set();
	if (listed) sim._unlisted.delete(modelId);
	else sim._unlisted.add(modelId);
}

const isUnlisted = (sim, modelId) => Boolean(sim._unlisted && sim._unlisted.has(modelId));

/** Route name for a catalogue path, or null. The model id keeps its slashes. */
function matchRoute(pathname) {
	if (pathname === '/api/v1/models' || pathname === '/api/v1/models/') {
		return { method: 'GET', route: 'models' };
	}
	const m = /^\/api\/v1\/models\/(.+)\/(schema|price|success-rate)$/.exec(pathname);
	if (!m) return null;
	const route = m[2] === 'schema' ? 'modelSchema' : m[2] === 'price' ? 'modelPrice' : 'modelSuccessRate';
	return { method: 'GET', route, modelId: m[1] };
}

function listFiltered(query) {
	const taskTypes = String(query.get('taskType') || '')
		.split(',')
		.map((t) => t.trim().toLowerCase())
		.filter(Boolean);
	const provider = String(query.get('provider') || '').trim().toLowerCase();
	const q = String(query.get('q') || '').trim().toLowerCase();
	return listedModels().filter((m) => {
		if (taskTypes.length && !m.taskType.some((t) => taskTypes.includes(t.toLowerCase()))) return false;
		if (provider && m.provider.toLowerCase() !== provider) return false;
		if (q) {
			const text = `${m.model} ${m.slug} ${m.title} ${m.provider} ${m.taskType.join(' ')} ${m.description || ''}`;
			if (!text.toLowerCase().includes(q)) return false;
		}
		return true;
	});
}

/** A small OpenAPI 3.1 document for a catalogue model: the createTask request with its input schema. */
function openapiFor(listed) {
	const request = requestSchemaFor(listed.model);
	if (!request || !catalogueById.has(listed.model)) return null;
	const schemaName = `${listed.title} Request`;
	return {
		openapi: '3.1.0',
		info: { title: listed.title, version: '1.0.0', description: listed.description || '' },
		servers: [{ url: 'https://api.kie.ai' }],
		paths: {
			'/api/v1/jobs/createTask': {
				post: {
					summary: `Create a ${listed.title} task`,
					requestBody: {
						required: true,
						content: { 'application/json': { schema: { $ref: `#/components/schemas/${encodeURIComponent(schemaName)}` } } },
					},
					responses: { 200: { description: 'Task accepted; body code 200 with data.taskId' } },
				},
			},
		},
		components: {
			schemas: {
				[schemaName]: {
					...request,
					properties: { ...request.properties, model: { type: 'string', enum: [listed.model] } },
				},
			},
		},
	};
}

function clone(doc) {
	return doc === null || doc === undefined ? null : JSON.parse(JSON.stringify(doc));
}

/**
 * The document KIE serves for a listed model when nothing is overridden: built from the catalogue for
 * built-in models, live-models.js for the extra models that have one, otherwise null (not synced).
 * A fresh copy each call. undefined for a model the catalogue does not list.
 */
function defaultModelSchema(modelId) {
	const listed = findListed(modelId);
	if (!listed) return undefined;
	if (catalogueById.has(modelId)) return clone(openapiFor(listed));
	const build = LIVE_MODEL_DOCUMENTS[modelId];
	return build ? build() : null;
}

function overrides(sim) {
	if (!sim._schemaOverrides) sim._schemaOverrides = new Map();
	return sim._schemaOverrides;
}

/** The document the schema endpoint serves for a listed model right now (override or default). */
function modelSchema(sim, modelId) {
	const o = overrides(sim);
	if (o.has(modelId)) return clone(o.get(modelId));
	return defaultModelSchema(modelId);
}

/**
 * Replace the document served for a listed model (built-in or not): an object (stored as a copy),
 * null ("not synced"), a function that gets the default document (a fresh copy) and returns the new
 * one (or returns nothing after changing the copy it got), or undefined to restore the default.
 * Throws for a model the catalogue does not list or a value that is not a JSON object.
 */
function setModelSchema(sim, modelId, value) {
	if (typeof modelId !== 'string' || !findListed(modelId)) {
		throw new Error(`setModelSchema: ${modelId} is not a model of the live catalogue`);
	}
	const o = overrides(sim);
	if (value === undefined) {
		o.delete(modelId);
		return;
	}
	let doc = value;
	if (typeof value === 'function') {
		const base = defaultModelSchema(modelId);
		const returned = value(base);
		doc = returned === undefined ? base : returned;
	}
	if (doc !== null && !isPlainObject(doc)) {
		throw new Error('setModelSchema: the schema must be an OpenAPI document (an object), null, a function or undefined');
	}
	o.set(modelId, clone(doc));
}

const MEDIA_WORDS = [
	['video', /video/i],
	['audio', /speech|audio|music|sound|voice|song|lyrics/i],
];

/**
 * What createTask needs to accept a listed model that is not built in: its current document (null when
 * not synced), and the media and kind of its results, from its first task type. undefined for a
 * built-in model or one the catalogue does not list.
 */
function liveModel(sim, modelId) {
	if (catalogueById.has(modelId)) return undefined;
	const listed = findListed(modelId);
	if (!listed) return undefined;
	const types = listed.taskType.join(' ');
	const found = MEDIA_WORDS.find(([, re]) => re.test(types));
	return {
		openapi: modelSchema(sim, modelId),
		media: found ? found[0] : 'image',
		kind: String(listed.taskType[0] || 'other')
			.toLowerCase()
			.replace(/[^a-z0-9]+/g, '-'),
	};
}

const BUCKET_MS = 10 * 60 * 1000;

/** 144 ten-minute buckets over the last 24 h, deterministic per model. */
function successRateBuckets(modelId, now) {
	let seed = 0;
	for (const c of modelId) seed = (seed * 31 + c.charCodeAt(0)) >>> 0;
	const lastEnd = Math.floor(now / BUCKET_MS) * BUCKET_MS;
	const buckets = [];
	for (let i = 143; i >= 0; i--) {
		const end = lastEnd - i * BUCKET_MS;
		seed = (seed * 1103515245 + 12345) >>> 0;
		const dip = seed % 37 === 0;
		const successRate = Math.round((dip ? 0.6 : 0.9 + (seed % 100) / 1000) * 1000) / 1000;
		buckets.push({
			start: end - BUCKET_MS,
			end,
			successRate,
			errorRate: Math.round((1 - successRate) * 1000) / 1000,
			isNormal: successRate >= 0.8,
		});
	}
	return buckets;
}

/**
 * 1 request/second per key across the four routes. Returns true when this request is over the
 * limit (it is then not counted). `perSecond` 0 or less disables the limit.
 */
function overLimit(sim, key) {
	const perSecond = sim.options.catalogueRequestsPerSecond === undefined ? 1 : Number(sim.options.catalogueRequestsPerSecond);
	if (!(perSecond > 0)) return false;
	if (!sim._catalogueTimes) sim._catalogueTimes = new Map();
	const now = Date.now();
	const times = (sim._catalogueTimes.get(key) || []).filter((t) => t > now - 1000);
	if (times.length >= perSecond) {
		sim._catalogueTimes.set(key, times);
		return true;
	}
	times.push(now);
	sim._catalogueTimes.set(key, times);
	return false;
}

/** Answers a catalogue route: `{code, msg, data}` for the simulator's `_answer`. */
function answer(sim, ctx, route) {
	const key = String(ctx.req.headers.authorization || '');
	if (overLimit(sim, key)) {
		sim.stats.rejected429++;
		return { code: 429, msg: 'Rate limit exceeded: the model catalogue API allows 1 request per second' };
	}
	if (route === 'models') {
		const models = listFiltered(ctx.u.searchParams)
			.filter((m) => !isUnlisted(sim, m.model))
			.map((m) => ({ ...m, pricingDesc: modelPrice(sim, m) }));
		return { code: 200, msg: 'success', data: { total: models.length, models } };
	}
	const match = matchRoute(ctx.u.pathname);
	const modelId = match && match.modelId;
	if (!modelId || /%2f/i.test(modelId)) {
		return { code: 404, msg: `Model not found: ${modelId || ''} (the model id's slashes must not be URL-encoded)` };
	}
	const listed = isUnlisted(sim, modelId) ? undefined : findListed(modelId);
	if (!listed) return { code: 404, msg: `Model not found: ${modelId}` };
	switch (route) {
		case 'modelSchema':
			return { code: 200, msg: 'success', data: { model: listed.model, openapi: modelSchema(sim, listed.model) } };
		case 'modelPrice':
			return { code: 200, msg: 'success', data: { model: listed.model, pricingDesc: modelPrice(sim, listed) } };
		case 'modelSuccessRate':
			return { code: 200, msg: 'success', data: successRateBuckets(listed.model, Date.now()) };
		default:
			return { code: 404, msg: 'Not Found' };
	}
}

/** Forget the rate-limit history and the schema and price overrides (sim.reset()). */
function reset(sim) {
	if (sim._catalogueTimes) sim._catalogueTimes.clear();
	if (sim._schemaOverrides) sim._schemaOverrides.clear();
	if (sim._priceOverrides) sim._priceOverrides.clear();
	if (sim._unlisted) sim._unlisted.clear();
}

module.exports = {
	CATALOGUE_ROUTES,
	EXTRA_MODELS,
	LIVE_MODEL_IDS: Object.keys(LIVE_MODEL_DOCUMENTS),
	listedModels,
	matchRoute,
	answer,
	reset,
	successRateBuckets,
	defaultModelSchema,
	modelSchema,
	setModelSchema,
	setModelPrice,
	setModelListed,
	PRICE_SHAPES,
	liveModel,
};
