import type { IDataObject } from 'n8n-workflow';

import type { KieContext } from '../transport';
import type { RequestPacer } from '../transport/pacer';
import { clearCache, credentialCacheKey, FAILURE_TTL_MS, newCache, remember } from './answerCache';
import { getModelPrice } from './catalogue';

/**
 * KIE's prices, read and used conservatively. KIE gives a model's price only as free text
 * (`pricingDesc` of `GET /api/v1/models/{model}/price` and of the model list, kie-api.md §7), e.g.
 * "5 credits per image", "A 5-second video costs 160 credits (0.80 USD).", "6 credits per 1,000
 * characters (≈ $0.03)", but also tables of tiers ("720P — 30 credits per video; 1080P — 35 credits…"),
 * per-second rates that depend on resolution, and limited-time discounts. `parsePrice` reads one price
 * only when the text states exactly one, without conditions; `estimateTaskCredits` turns it into the
 * credits of one task and says how sure that is. Nothing here is a fact about a bill: KIE's record
 * (`creditsConsumed`) is.
 */

/** What one price is for. */
export type PricePer = 'task' | 'image' | 'video' | 'second' | 'characters';

/** One price read from KIE's text. */
export interface ParsedPrice {
	/** Credits per `unit` × `per`. */
	credits: number;
	/**
	 * `task`: one task (a request, a generation, an upscale, or a bare "4 credits"); `image`: one output
	 * image; `video`: one video (of `unit` seconds when given); `second`: one second of output;
	 * `characters`: `unit` characters of text.
	 */
	per: PricePer;
	/** `video`: the seconds of the video priced ("per 5 s video" → 5); `characters`: how many ("per 1,000 characters" → 1000); `image`: images per price ("per 6 images" → 6). */
	unit?: number;
	/** KIE's text, trimmed. */
	text: string;
}

/** A longer text is not read (KIE's single prices are under 200 characters; tables of tiers are longer). */
export const MAX_PRICE_TEXT_CHARS = 500;

/** Money in parentheses, e.g. "($0.02)", "(≈ $0.004)", "(0.80 USD)", "(~US $0.0025)": dropped before reading. */
const MONEY_IN_PARENS = /\(([^()]{0,80})\)/g;
/** KIE's note on top-up bonuses (about dollars per credit, not credits per task): dropped before reading. */
const TOP_UP_NOTE = /high-tier top[- ]?ups?[^\n]*?(?:\.(?=\s|$)|(?=\n)|$)/g;
/** One mention of credits: "4 credits", "0.8 Kie credits", "22.5 credits/s", "1 credit", "1,200 credits". */
const CREDIT_MENTION = /(?<![\d.,])(\d{1,3}(?:,\d{3})+|\d{1,7})(?:\.(\d{1,6}))?\s*(?:kie\s+)?credits?\b/g;
/** Words that make a single figure a bound, an average, a condition or a temporary price. */
const AMBIGUOUS_WORDS =
	/\b(?:from|starting|starts?|up\s+to|at\s+(?:least|most)|minimum|maximum|depend\w*|var(?:y|ies|iable)|about|around|approx\w*|roughly|estimat\w*|extra|additional|surcharge|plus|more|less|higher|lower|double|twice|discount\w*|promo\w*|limited|until|expir\w*|between|range|free|off|if|when|unless|except|or|with|without|resolution|quality|mode|tiers?)\b|[≥≤<>+]|%/;
/** Settings a price may depend on: resolutions (720p, 4K) and the like. */
const CONDITION_TOKENS = /\b\d{3,4}\s*p\b|\b\d(?:\.\d)?\s*k\b(?!\s*(?:char|token))/;
/** Where a clause ends. */
const CLAUSE_END = /\n|;|\||\s[—–-]\s|[.!?](?=\s|$)/;

/** Unit phrases right after the credits, first match wins (the text is lower-cased). */
const UNIT_PHRASES: Array<{ re: RegExp; price: (m: RegExpExecArray) => Pick<ParsedPrice, 'per' | 'unit'> | undefined }> = [
	{
		// "per 5 s video", "per 5-second video", "/5s clip"
		re: /^(?:\/\s*|per\s+)(\d{1,4}(?:\.\d{1,2})?)\s*-?\s*(?:s|secs?|seconds?)\s*-?\s*(?:long\s+)?(?:videos?|clips?)\b/,
		price: (m) => ({ per: 'video', unit: Number(m[1]) }),
	},
	{
		// "credits/s", "credits / sec", "per second", "per video second", "per second of video"
		re: /^(?:\/\s*|per\s+)(?:video\s+|output\s+)?(?:s|secs?|seconds?)\b(?:\s+of\s+(?:output\s+|generated\s+)?(?:video|audio))?/,
		price: () => ({ per: 'second' }),
	},
	{
		// "per 1,000 characters", "per 1k characters", "per character", "/1000 chars"
		re: /^(?:\/\s*|per\s+)(\d{1,3}(?:,\d{3})+|\d{1,7})?\s*(k\s*)?(?:characters?|chars?)\b(?:\s+of\s+(?:input\s+)?text)?/,
		price: (m) => {
			const base = m[1] ? Number(m[1].replace(/,/g, '')) : 1;
			const unit = m[2] ? base * 1000 : base;
			return unit >= 1 ? { per: 'characters', unit } : undefined;
		},
	},
	{
		// "per 6 images"
		re: /^(?:\/\s*|per\s+)(\d{1,3})\s+(?:output\s+|generated\s+)?images?\b/,
		price: (m) => (Number(m[1]) >= 1 ? { per: 'image', unit: Number(m[1]) } : undefined),
	},
	{
		// "per image", "per output image", "/image"
		re: /^(?:\/\s*|per\s+|for\s+(?:each|every|one|an?)\s+)(?:output\s+|generated\s+)?(?:images?|pictures?|photos?)\b/,
		price: () => ({ per: 'image' }),
	},
	{
		// "per video", "per clip"
		re: /^(?:\/\s*|per\s+|for\s+(?:each|every|one|an?)\s+)(?:output\s+|generated\s+)?(?:videos?|clips?)\b/,
		price: () => ({ per: 'video' }),
	},
	{
		// "per request", "per task", "per generation", "per upscale"
		re: /^(?:\/\s*|per\s+)(?:tasks?|requests?|generations?|calls?|runs?|jobs?|upscales?|uses?|edits?|executions?)\b/,
		price: () => ({ per: 'task' }),
	},
];

/** What a clause says before the credits, e.g. "A 5-second video costs 160 credits" (anchored at its end). */
const COSTS = String.raw`\s*(?:costs?|is|=|:)?\s*(?:only\s+|just\s+)?$`;
const LEAD_PHRASES: Array<{ re: RegExp; price: (m: RegExpExecArray) => Pick<ParsedPrice, 'per' | 'unit'> }> = [
	{
		re: new RegExp(String.raw`\b(?:a|an|one|each|every|per)\s+(\d{1,4}(?:\.\d{1,2})?)\s*-?\s*(?:s|secs?|seconds?)\s*-?\s*(?:long\s+)?(?:videos?|clips?)${COSTS}`),
		price: (m) => ({ per: 'video', unit: Number(m[1]) }),
	},
	{ re: new RegExp(String.raw`\b(?:a|an|one|each|every|per)\s+(?:output\s+|generated\s+)?images?${COSTS}`), price: () => ({ per: 'image' }) },
	{ re: new RegExp(String.raw`\b(?:a|an|one|each|every|per)\s+(?:videos?|clips?)${COSTS}`), price: () => ({ per: 'video' }) },
	{
		re: new RegExp(String.raw`\b(?:a|an|one|each|every|per)\s+(?:tasks?|requests?|generations?|calls?|runs?|jobs?)${COSTS}`),
		price: () => ({ per: 'task' }),
	},
];
/** Words that make a bare "N credits" not per task (its unit is somewhere else in the clause). */
const UNIT_WORDS = /\b(?:secs?|seconds?|minutes?|characters?|chars?|tokens?|words?|images?|pictures?|photos?|videos?|clips?|songs?|tracks?|frames?)\b|\d\s*s\b/;

/**
 * Reads one price from KIE's `pricingDesc`, or undefined when the text is not exactly one unconditional
 * price: none or several credit figures ("720P — 30 credits…; 1080P — 35 credits…"), a range ("10–20
 * credits"), a bound or an average ("from", "up to", "about"), a condition ("for 1K", "with audio",
 * "720p"), a temporary price ("limited-time discount… until"), a unit it does not know ("per 1M tokens",
 * "per song"), a clipped text ("…"), or more than MAX_PRICE_TEXT_CHARS characters. Money amounts in
 * parentheses and KIE's note on top-up bonuses are ignored. Bounded work: the text is capped before any
 * pattern runs, and every pattern is linear.
 */
export function parsePrice(pricingDesc: string | undefined | null): ParsedPrice | undefined {
	if (typeof pricingDesc !== 'string') return undefined;
	const text = pricingDesc.trim();
	if (!text || text.length > MAX_PRICE_TEXT_CHARS) return undefined;
	let t = text
		.toLowerCase()
		.replace(/[\u00a0\u2000-\u200b\u202f\u205f\u3000\t]/g, ' ')
		.replace(/\uff0f/g, '/')
		.replace(/\r\n?/g, '\n');
	// A clipped text ("…", as the model list's cache clips long ones) may have lost a second price.
	if (t.includes('…') || t.includes('...')) return undefined;
	t = t.replace(MONEY_IN_PARENS, (whole, inner: string) => (/[$€£¥]|usd|dollar/.test(inner) && !/credit/.test(inner) ? ' ' : whole));
	t = t.replace(TOP_UP_NOTE, (whole: string) => (/credit/.test(whole) ? whole : ' '));
	if (AMBIGUOUS_WORDS.test(t) || CONDITION_TOKENS.test(t)) return undefined;

	const mentions = [...t.matchAll(CREDIT_MENTION)];
	if (mentions.length !== 1) return undefined;
	const [mention] = mentions;
	const start = mention.index ?? 0;
	const end = start + mention[0].length;
	const credits = Number(`${mention[1].replace(/,/g, '')}${mention[2] ? `.${mention[2]}` : ''}`);
	if (!Number.isFinite(credits) || credits <= 0) return undefined;
	// A range or a negative figure: "10-20 credits", "10 to 20 credits", "-5 credits".
	if (/(?:\d\s*(?:[-–—~/]|to)\s*|[-−])$/.test(t.slice(Math.max(0, start - 12), start))) return undefined;

	const after = t.slice(end);
	const afterTrimmed = after.replace(/^\s+/, '');
	let found: Pick<ParsedPrice, 'per' | 'unit'> | undefined;
	let rest = afterTrimmed;
	for (const phrase of UNIT_PHRASES) {
		const match = phrase.re.exec(afterTrimmed);
		if (!match) continue;
		found = phrase.price(match);
		if (!found) return undefined;
		rest = afterTrimmed.slice(match[0].length);
		break;
	}
	// Nothing else may follow in the clause ("4 credits for 1K", "5 credits per image per second").
	const clauseEnd = CLAUSE_END.exec(rest);
	const clauseRest = clauseEnd ? rest.slice(0, clauseEnd.index) : rest;
	if (!/^[\s,:!)]*$/.test(clauseRest)) return undefined;

	if (!found) {
		const before = t.slice(0, start);
		const lastEnd = lastClauseEnd(before);
		const clause = before.slice(lastEnd);
		for (const phrase of LEAD_PHRASES) {
			const match = phrase.re.exec(clause);
			if (match) {
				found = phrase.price(match);
				break;
			}
		}
		// A bare "Nano Banana API costs 4 credits" / "4 credits ($0.02)": per task, unless the clause names another unit.
		if (!found) {
			if (UNIT_WORDS.test(clause)) return undefined;
			found = { per: 'task' };
		}
	}
	if (found.unit !== undefined && !(Number.isFinite(found.unit) && found.unit > 0)) return undefined;
	return { credits, ...found, text };
}

/** Where the last clause of `text` starts. */
function lastClauseEnd(text: string): number {
	const re = new RegExp(CLAUSE_END.source, 'g');
	let last = 0;
	for (let match = re.exec(text); match; match = re.exec(text)) last = match.index + match[0].length;
	return last;
}

// -------------------------------------------------------------------------------------------------
// The credits of one task
// -------------------------------------------------------------------------------------------------

/** The credits of one task with one input, and how sure that is. */
export interface TaskCreditEstimate {
	/** Credits for one task; undefined when KIE's price cannot be applied to this input. */
	credits?: number;
	/** True only when KIE's text states the price of exactly this case (then `credits` is what KIE says it charges). */
	sure: boolean;
	/** How `credits` was found, quoting KIE's text, or why there is none. */
	basis: string;
}

/** Input fields that ask for several outputs in one task. */
export const OUTPUT_COUNT_FIELDS = [
	'n',
	'num_images',
	'numImages',
	'number_of_images',
	'numberOfImages',
	'image_count',
	'imageCount',
	'nVariants',
	'n_variants',
	'num_outputs',
	'numOutputs',
	'output_count',
	'outputCount',
	'num_videos',
	'numVideos',
	'number_of_videos',
	'video_count',
	'batch_size',
	'batchSize',
] as const;
/** Input fields that set the length of a video or audio, in seconds. */
export const DURATION_FIELDS = ['duration', 'duration_seconds', 'durationSeconds', 'video_duration', 'videoDuration', 'seconds', 'video_length', 'videoLength'] as const;
/** Input fields whose text a per-character price counts, in order of preference. */
export const TEXT_FIELDS = ['text', 'script', 'input_text', 'inputText', 'content', 'prompt'] as const;

const MAX_OUTPUTS = 1000;
const MAX_DURATION_SECONDS = 24 * 3600;

const round = (value: number): number => Math.round(value * 1e6) / 1e6;
const num = (value: number): string => value.toLocaleString('en-US', { maximumFractionDigits: 6 });
const plural = (count: number, word: string): string => `${num(count)} ${word}${count === 1 ? '' : 's'}`;
const quote = (text: string): string => `"${text.length <= 200 ? text : `${text.slice(0, 199)}…`}"`;

/** A whole number of outputs, seconds…: a number or a numeric string ("2", "10s"); undefined otherwise. */
function numberIn(value: unknown, allowSeconds: boolean): number | undefined {
	if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
	if (typeof value !== 'string' || value.length > 20) return undefined;
	const match = (allowSeconds ? /^\s*(\d{1,6}(?:\.\d{1,3})?)\s*(?:s|secs?|seconds?)?\s*$/i : /^\s*(\d{1,6})\s*$/).exec(value);
	return match ? Number(match[1]) : undefined;
}

interface Found {
	value?: number;
	field?: string;
	/** Several fields disagree, or a field is not a usable number. */
	problem?: string;
}

function outputCountOf(input: IDataObject): Found {
	const seen: Array<{ field: string; value: number }> = [];
	for (const field of OUTPUT_COUNT_FIELDS) {
		if (!Object.prototype.hasOwnProperty.call(input, field) || input[field] === undefined || input[field] === null) continue;
		const value = numberIn(input[field], false);
		if (value === undefined || !Number.isInteger(value) || value < 1 || value > MAX_OUTPUTS) {
			return { problem: `the input's "${field}" (${String(JSON.stringify(input[field])).slice(0, 40)}) is not a number of outputs` };
		}
		seen.push({ field, value });
	}
	if (seen.length === 0) return {};
	const highest = seen.reduce((a, b) => (b.value > a.value ? b : a));
	if (seen.some((entry) => entry.value !== highest.value)) {
		return { value: highest.value, field: highest.field, problem: `the input's ${seen.map((e) => `"${e.field}"`).join(' and ')} disagree (the highest is used)` };
	}
	return { value: highest.value, field: highest.field };
}

function durationOf(input: IDataObject): Found {
	for (const field of DURATION_FIELDS) {
		if (!Object.prototype.hasOwnProperty.call(input, field) || input[field] === undefined || input[field] === null || input[field] === '') continue;
		const value = numberIn(input[field], true);
		if (value === undefined || value <= 0 || value > MAX_DURATION_SECONDS) {
			return { problem: `the input's "${field}" (${String(JSON.stringify(input[field])).slice(0, 40)}) is not a duration in seconds` };
		}
		return { value, field };
	}
	return {};
}

/** Characters as KIE would count them (code points, so an emoji is one). */
function characterCount(text: string): number {
	let count = 0;
	for (let i = 0; i < text.length; i++) {
		const code = text.charCodeAt(i);
		// The second half of a surrogate pair is not counted again.
		if (code < 0xdc00 || code > 0xdfff || i === 0 || text.charCodeAt(i - 1) < 0xd800 || text.charCodeAt(i - 1) > 0xdbff) count++;
	}
	return count;
}

/**
 * The credits of ONE task of `modelId` with `input` (the model's input settings; pass them after the
 * model's defaults, so that a field the model fills by itself, e.g. its number of images, is seen), from
 * KIE's `pricingDesc`. Pure: no request.
 *
 * - per task: the price; sure unless the input asks for several outputs (KIE's text then does not say
 *   whether each is billed).
 * - per image: × the number of images the input asks for (`n`, `num_images`, `nVariants`…; 1 when it sets
 *   none); sure. "per 6 images": × ceil(images / 6), not sure.
 * - per video: × the number of videos; sure. "per 5 s video": sure only when the input's duration is 5 s;
 *   another duration is scaled in proportion (10 s → 2×) and not sure; no duration → the price, not sure.
 * - per second: × the input's duration (× outputs); sure. No duration → unknown.
 * - per N characters: × ceil(characters of the input's text / N); sure only when the text is a whole
 *   number of blocks (KIE does not say how it rounds: rounding up is the most it can cost).
 * - a price parsePrice cannot read → unknown (`credits` undefined).
 */
export function estimateTaskCredits(modelId: string, input: IDataObject | undefined | null, pricingDesc: string | undefined | null): TaskCreditEstimate {
	const settings: IDataObject = input && typeof input === 'object' && !Array.isArray(input) ? input : {};
	const desc = typeof pricingDesc === 'string' ? pricingDesc.trim() : '';
	if (!desc) return { sure: false, basis: `KIE gives no price for ${modelId}` };
	const price = parsePrice(desc);
	if (!price) {
		return {
			sure: false,
			basis: `KIE's price for ${modelId} is not one unconditional figure this node can apply (tiers, ranges or conditions): ${quote(desc)}`,
		};
	}
	const kie = `KIE's price: ${quote(price.text)}`;
	const outputs = outputCountOf(settings);
	const outputsText = (found: Found, word: string) => (found.field ? `${plural(found.value ?? 1, word)} (the input's "${found.field}")` : `1 ${word} (the input asks for no more)`);

	switch (price.per) {
		case 'task': {
			if (outputs.problem && outputs.value === undefined) return { credits: round(price.credits), sure: false, basis: `${kie} per task; ${outputs.problem}` };
			if ((outputs.value ?? 1) > 1 || outputs.problem) {
				return {
					credits: round(price.credits),
					sure: false,
					basis: `${kie} per task; the input asks for ${outputsText(outputs, 'output')}, and KIE's text does not say whether each is billed`,
				};
			}
			return { credits: round(price.credits), sure: true, basis: `${kie} = ${num(round(price.credits))} credits per task` };
		}
		case 'image': {
			if (outputs.problem && outputs.value === undefined) return { sure: false, basis: `${kie}; ${outputs.problem}` };
			const images = outputs.value ?? 1;
			if (price.unit !== undefined && price.unit !== 1) {
				const blocks = Math.ceil(images / price.unit);
				return {
					credits: round(price.credits * blocks),
					sure: false,
					basis: `${kie}: ${outputsText(outputs, 'image')} counted as ${plural(blocks, 'block')} of ${num(price.unit)} (an assumption) = ${num(round(price.credits * blocks))} credits`,
				};
			}
			const credits = round(price.credits * images);
			return {
				credits,
				sure: !outputs.problem,
				basis: `${kie} × ${outputsText(outputs, 'image')} = ${num(credits)} credits${outputs.problem ? `; ${outputs.problem}` : ''}`,
			};
		}
		case 'video': {
			if (outputs.problem && outputs.value === undefined) return { sure: false, basis: `${kie}; ${outputs.problem}` };
			const videos = outputs.value ?? 1;
			const perVideo = `${outputsText(outputs, 'video')}`;
			if (price.unit === undefined) {
				const credits = round(price.credits * videos);
				return { credits, sure: !outputs.problem, basis: `${kie} × ${perVideo} = ${num(credits)} credits${outputs.problem ? `; ${outputs.problem}` : ''}` };
			}
			const duration = durationOf(settings);
			if (duration.problem) return { credits: round(price.credits * videos), sure: false, basis: `${kie} × ${perVideo}; ${duration.problem}` };
			if (duration.value === undefined) {
				const credits = round(price.credits * videos);
				return {
					credits,
					sure: false,
					basis: `${kie} × ${perVideo} = ${num(credits)} credits, assuming ${num(price.unit)} s videos: the input sets no duration`,
				};
			}
			if (duration.value === price.unit) {
				const credits = round(price.credits * videos);
				return {
					credits,
					sure: !outputs.problem,
					basis: `${kie} × ${perVideo} of ${num(duration.value)} s (the input's "${duration.field}") = ${num(credits)} credits${outputs.problem ? `; ${outputs.problem}` : ''}`,
				};
			}
			const credits = round(((price.credits * duration.value) / price.unit) * videos);
			return {
				credits,
				sure: false,
				basis: `${kie}, scaled to ${num(duration.value)} s (the input's "${duration.field}") × ${perVideo} = ${num(credits)} credits: KIE's text gives only the price of a ${num(price.unit)} s video, so this is an assumption`,
			};
		}
		case 'second': {
			if (outputs.problem && outputs.value === undefined) return { sure: false, basis: `${kie}; ${outputs.problem}` };
			const duration = durationOf(settings);
			if (duration.problem) return { sure: false, basis: `${kie}; ${duration.problem}` };
			if (duration.value === undefined) return { sure: false, basis: `${kie} per second, and the input sets no duration` };
			const count = outputs.value ?? 1;
			const credits = round(price.credits * duration.value * count);
			const times = outputs.field ? ` × ${outputsText(outputs, 'output')}` : '';
			return {
				credits,
				sure: !outputs.problem,
				basis: `${kie} × ${num(duration.value)} s (the input's "${duration.field}")${times} = ${num(credits)} credits${outputs.problem ? `; ${outputs.problem}` : ''}`,
			};
		}
		case 'characters': {
			const unit = price.unit ?? 1;
			const field = TEXT_FIELDS.find((name) => typeof settings[name] === 'string');
			if (!field) return { sure: false, basis: `${kie}, and the input has no text (${TEXT_FIELDS.map((name) => `"${name}"`).join(', ')})` };
			const characters = characterCount(settings[field] as string);
			const blocks = Math.ceil(characters / unit);
			const credits = round(price.credits * blocks);
			const exact = characters > 0 && characters % unit === 0;
			const rounding = unit === 1 || exact ? '' : `, rounded up to ${plural(blocks, 'block')} of ${num(unit)} (KIE's text does not say how it rounds: this is the most it can cost)`;
			return {
				credits,
				sure: characters > 0 && (unit === 1 || exact),
				basis: `${kie} × ${plural(characters, 'character')} (the input's "${field}")${rounding} = ${num(credits)} credits`,
			};
		}
	}
	return { sure: false, basis: `${kie}, which this node cannot apply` };
}

// -------------------------------------------------------------------------------------------------
// A per-process cache of model prices
// -------------------------------------------------------------------------------------------------

/** A model's price, or why it could not be read (`error`: bad credential, 429, unknown model…). */
export type PriceAnswer = { model: string; pricingDesc: string; price?: ParsedPrice } | { error: string };

/** How long a model's price is reused: an hour (KIE changes prices rarely, and says so on its pricing page). */
const PRICE_TTL_MS = 60 * 60 * 1000;
/** At most this many prices are kept (oldest dropped first); each is at most MAX_PRICE_TEXT_CHARS… of text. */
const PRICE_CACHE_LIMIT = 500;
/** A model id longer than this is not one of KIE's: not requested, not cached. */
const MAX_MODEL_ID_CHARS = 200;
/** The longest pricingDesc kept (a longer one is kept clipped, and then never parsed). */
const MAX_KEPT_TEXT_CHARS = 2000;

const priceCache = newCache<PriceAnswer>(PRICE_CACHE_LIMIT);

export function clearModelPriceCache(): void {
	clearCache(priceCache);
}

/** The answer as the cache keeps it: the text clipped, the parsed price with it. */
export function boundedPriceAnswer(model: string, pricingDesc: string): PriceAnswer {
	const clipped = pricingDesc.length <= MAX_KEPT_TEXT_CHARS ? pricingDesc : `${pricingDesc.slice(0, MAX_KEPT_TEXT_CHARS - 1)}…`;
	const price = parsePrice(clipped);
	return price ? { model: model.slice(0, MAX_MODEL_ID_CHARS), pricingDesc: clipped, price } : { model: model.slice(0, MAX_MODEL_ID_CHARS), pricingDesc: clipped };
}

/**
 * `GET /api/v1/models/{model}/price` through a per-process cache (an hour per base URL, API key and
 * model, at most 500 models, oldest dropped first): a batch, or every item's budget, reads each model's
 * price at most once an hour; concurrent callers share one request; a failure is remembered for 30 s.
 * Never throws: a price that cannot be read is an `{ error }` answer. The request goes through the
 * transport, on the pacer's catalogue lane (KIE: 1 request per second per account). The key holds a hash
 * of the API key, never the key.
 */
export async function cachedModelPrice(
	this: KieContext,
	modelId: string,
	{
		now = Date.now(),
		pacer,
		itemIndex,
		maxAttempts = 2,
		timeoutMs = 15_000,
	}: { now?: number; pacer?: RequestPacer; itemIndex?: number; maxAttempts?: number; timeoutMs?: number } = {},
): Promise<PriceAnswer> {
	const id = String(modelId ?? '').trim();
	if (!id) return { error: 'no model id was given' };
	if (id.length > MAX_MODEL_ID_CHARS) return { error: `"${id.slice(0, 40)}…" is not a KIE model id (longer than ${MAX_MODEL_ID_CHARS} characters)` };
	let key: string;
	try {
		key = await credentialCacheKey(this, id);
	} catch {
		return { error: 'no KIE API credential is selected' };
	}
	const load = async (): Promise<PriceAnswer> =>
		await getModelPrice.call(this, id, { maxAttempts, timeoutMs, pacer, itemIndex }).then(
			(answer): PriceAnswer => boundedPriceAnswer(answer.model || id, answer.pricingDesc),
			(error: unknown): PriceAnswer => ({ error: String((error as Error)?.message ?? error).slice(0, 500) }),
		);
	return await remember(priceCache, key, now, load, (answer) => ('error' in answer ? FAILURE_TTL_MS : PRICE_TTL_MS));
}
