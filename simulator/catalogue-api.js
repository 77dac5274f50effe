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
 * registry does not know (so the live merge in the model picker can be tested); their schema is
 * `null` ("not yet synced").
 *
 * index.js calls `matchRoute(pathname)` for paths it does not know and `answer(sim, ctx, route)` for
 * the routes below, after auth and request faults.
 */

const { catalogue, catalogueById, requestSchemaFor } = require('./validate');

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
		const models = listFiltered(ctx.u.searchParams);
		return { code: 200, msg: 'success', data: { total: models.length, models } };
	}
	const match = matchRoute(ctx.u.pathname);
	const modelId = match && match.modelId;
	if (!modelId || /%2f/i.test(modelId)) {
		return { code: 404, msg: `Model not found: ${modelId || ''} (the model id's slashes must not be URL-encoded)` };
	}
	const listed = findListed(modelId);
	if (!listed) return { code: 404, msg: `Model not found: ${modelId}` };
	switch (route) {
		case 'modelSchema':
			return { code: 200, msg: 'success', data: { model: listed.model, openapi: openapiFor(listed) } };
		case 'modelPrice':
			return { code: 200, msg: 'success', data: { model: listed.model, pricingDesc: listed.pricingDesc } };
		case 'modelSuccessRate':
			return { code: 200, msg: 'success', data: successRateBuckets(listed.model, Date.now()) };
		default:
			return { code: 404, msg: 'Not Found' };
	}
}

/** Forget the rate-limit history (sim.reset()). */
function reset(sim) {
	if (sim._catalogueTimes) sim._catalogueTimes.clear();
}

module.exports = { CATALOGUE_ROUTES, EXTRA_MODELS, listedModels, matchRoute, answer, reset, successRateBuckets };
