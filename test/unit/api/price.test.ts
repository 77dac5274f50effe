import { sleep, type IExecuteFunctions } from 'n8n-workflow';

import {
	boundedPriceAnswer,
	cachedModelPrice,
	clearModelPriceCache,
	estimateTaskCredits,
	MAX_PRICE_TEXT_CHARS,
	parsePrice,
} from '../../../nodes/shared/api/price';
import type { RequestPacer } from '../../../nodes/shared/transport/pacer';
import { EXTRA_MODELS, PRICE_SHAPES } from '../../../simulator/catalogue-api';

const shape = (name: string): string => {
	const text = PRICE_SHAPES[name];
	if (text === undefined) throw new Error(`no price shape ${name}`);
	return text;
};

describe('parsePrice', () => {
	it.each([
		['30 credits per 5 s video', { credits: 30, per: 'video', unit: 5 }],
		['2 credits per 1,000 characters', { credits: 2, per: 'characters', unit: 1000 }],
		['5 credits per image', { credits: 5, per: 'image' }],
		['25 credits per 5 s video', { credits: 25, per: 'video', unit: 5 }],
		['4 credits per image', { credits: 4, per: 'image' }],
		['20 credits per video', { credits: 20, per: 'video' }],
		['3 credits per request', { credits: 3, per: 'task' }],
	])('reads the simulator\'s "%s"', (text, expected) => {
		expect(parsePrice(text)).toEqual({ ...expected, text });
	});

	it('reads every price of the simulator\'s extra models', () => {
		for (const model of EXTRA_MODELS) expect(parsePrice(model.pricingDesc)).toBeDefined();
	});

	it.each([
		['perImageWithBonusNote', { credits: 4, per: 'image' }],
		['flatPerImage', { credits: 0.8, per: 'image' }],
		['perOutputImage', { credits: 1, per: 'image' }],
		['perUpscale', { credits: 0.5, per: 'task' }],
		['perClip', { credits: 160, per: 'video', unit: 5 }],
		['perCharacters', { credits: 6, per: 'characters', unit: 1000 }],
		['bare', { credits: 4, per: 'task' }],
	])('reads KIE\'s single-price shape %s, ignoring money in parentheses and the top-up note', (name, expected) => {
		expect(parsePrice(shape(name))).toEqual({ ...expected, text: shape(name) });
	});

	it.each([
		['Each task costs 20 credits (0.10 USD).', { credits: 20, per: 'task' }],
		['Each image costs 20 credits (0.10 USD).', { credits: 20, per: 'image' }],
		['Pricing: 24 credits per image (≈ $0.12)', { credits: 24, per: 'image' }],
		['4 credits per 6 images', { credits: 4, per: 'image', unit: 6 }],
		['20 credits/s', { credits: 20, per: 'second' }],
		['5 credits / sec', { credits: 5, per: 'second' }],
		['16 credits per video second', { credits: 16, per: 'second' }],
		['2 credits per second of video.', { credits: 2, per: 'second' }],
		['1 credit per character', { credits: 1, per: 'characters', unit: 1 }],
		['2 credits per 1k characters', { credits: 2, per: 'characters', unit: 1000 }],
		['12 credits per 5-second clip', { credits: 12, per: 'video', unit: 5 }],
		['1,200 credits per video', { credits: 1200, per: 'video' }],
		['Kling 2.1 Master costs 160 credits', { credits: 160, per: 'task' }],
		['6\u00a0credits\u00a0per\u00a0image', { credits: 6, per: 'image' }],
	])('reads "%s"', (text, expected) => {
		expect(parsePrice(text)).toEqual({ ...expected, text });
	});

	it.each([
		'perClipTwoDurations',
		'bareWithCondition',
		'perSecondByResolution',
		'perSecondAbout',
		'perSecondByInputWithDiscount',
		'tiersByModeAndResolution',
		'tiersByResolution',
		'perTokens',
	])('gives up on KIE\'s shape %s (several prices, conditions, a discount or an unknown unit)', (name) => {
		expect(parsePrice(shape(name))).toBeUndefined();
	});

	it.each([
		'10–20 credits per image',
		'10-20 credits per image',
		'10 to 20 credits per image',
		'From 10 credits per image',
		'Starting at 10 credits per video',
		'Up to 50 credits per video',
		'At least 5 credits per image',
		'About 5 credits per image',
		'720p: 10 credits per video, 1080p: 20 credits per video',
		'720p: 10 credits per video',
		'10 credits per video for 1080p',
		'10 credits per video at 4K',
		'5 credits per image, 10 credits per image in HD',
		'5 credits per image with audio',
		'5 credits per image (extra images 2 credits each)',
		'Depends on quality',
		'Depends on resolution and duration',
		'Check Voice is free.',
		'0 credits per image',
		'-5 credits per image',
		'5 credits per image per second',
		'5 credits per song',
		'5 credits per 1M tokens',
		'5 credits per image…',
		'A 5-second video costs 160 credits (0.80 USD), …',
		'5 credits per image until October 7',
		'Limited-time discount: 5 credits per image',
		'Longer videos cost more: 10 credits per video',
		'5 credits per image or 8 credits per HD image',
		'Kling video API costs 100 credits',
		'credits: 5 per image',
		'',
		'   ',
	])('gives up on "%s"', (text) => {
		expect(parsePrice(text)).toBeUndefined();
	});

	it('gives up on what is not a string', () => {
		expect(parsePrice(undefined)).toBeUndefined();
		expect(parsePrice(null)).toBeUndefined();
		expect(parsePrice(5 as unknown as string)).toBeUndefined();
	});

	it('caps the text it reads, and stays fast on hostile text', () => {
		expect(parsePrice(`5 credits per image ${'x'.repeat(MAX_PRICE_TEXT_CHARS)}`)).toBeUndefined();
		const hostile = [
			'x'.repeat(100 * 1024),
			`${'1'.repeat(100 * 1024)} credits per image`,
			`${'9'.repeat(480)} credits`,
			`${'1 credits '.repeat(49)}`,
			'('.repeat(499),
			`${'(('.repeat(120)}$1${'))'.repeat(120)}`,
			`${'per '.repeat(120)}`,
			`5 credits ${'per '.repeat(120)}`,
			`5 credits per ${'1,000'.repeat(95)} characters`,
			`high-tier top-ups ${'.'.repeat(470)}`,
			`5 credits ${' '.repeat(480)}x`,
			`${'a 5-second video '.repeat(28)}costs 5 credits`,
		];
		const started = Date.now();
		for (let round = 0; round < 50; round++) for (const text of hostile) parsePrice(text);
		expect(Date.now() - started).toBeLessThan(2000);
		expect(parsePrice(hostile[0])).toBeUndefined();
		expect(parsePrice(hostile[1])).toBeUndefined();
		expect(parsePrice(hostile[2])).toBeUndefined();
		expect(parsePrice(hostile[3])).toBeUndefined();
	});

	it('keeps a clipped text clipped, and then never reads it', () => {
		const answer = boundedPriceAnswer('m', `5 credits per image${' '.repeat(5000)}!`);
		expect('error' in answer).toBe(false);
		if (!('error' in answer)) {
			expect(answer.pricingDesc.length).toBeLessThanOrEqual(2000);
			expect(answer.price).toBeUndefined();
		}
		const ok = boundedPriceAnswer('m', '5 credits per image');
		expect(ok).toEqual({ model: 'm', pricingDesc: '5 credits per image', price: { credits: 5, per: 'image', text: '5 credits per image' } });
	});
});

describe('estimateTaskCredits', () => {
	const IMAGE = '5 credits per image';
	const CLIP = '30 credits per 5 s video';

	describe('per image', () => {
		it('multiplies by the number of images the input asks for, and says so', () => {
			expect(estimateTaskCredits('acme/pixel-forge-3', { num_images: 2 }, IMAGE)).toEqual({
				credits: 10,
				sure: true,
				basis: 'KIE\'s price: "5 credits per image" × 2 images (the input\'s "num_images") = 10 credits',
			});
			expect(estimateTaskCredits('m', { n: '4' }, IMAGE)).toMatchObject({ credits: 20, sure: true });
			expect(estimateTaskCredits('m', { nVariants: 4 }, shape('perImageWithBonusNote'))).toMatchObject({ credits: 16, sure: true });
			expect(estimateTaskCredits('m', { numImages: 3 }, shape('flatPerImage'))).toMatchObject({ credits: 2.4, sure: true });
		});

		it('counts one image when the input asks for no more', () => {
			const estimate = estimateTaskCredits('m', {}, IMAGE);
			expect(estimate).toMatchObject({ credits: 5, sure: true });
			expect(estimate.basis).toMatch(/× 1 image \(the input asks for no more\) = 5 credits/);
			expect(estimateTaskCredits('m', undefined, IMAGE)).toMatchObject({ credits: 5, sure: true });
		});

		it('is not sure when count fields disagree, and gives up when one is not a count', () => {
			expect(estimateTaskCredits('m', { n: 2, num_images: 3 }, IMAGE)).toMatchObject({ credits: 15, sure: false, basis: expect.stringMatching(/disagree/) });
			const bad = estimateTaskCredits('m', { n: 'many' }, IMAGE);
			expect(bad.credits).toBeUndefined();
			expect(bad).toMatchObject({ sure: false, basis: expect.stringMatching(/"n" \("many"\) is not a number of outputs/) });
			expect(estimateTaskCredits('m', { n: 0 }, IMAGE).credits).toBeUndefined();
		});

		it('counts blocks of a "per 6 images" price, not sure', () => {
			expect(estimateTaskCredits('m', { n: 8 }, '4 credits per 6 images')).toMatchObject({ credits: 8, sure: false });
			expect(estimateTaskCredits('m', {}, '4 credits per 6 images')).toMatchObject({ credits: 4, sure: false });
		});
	});

	describe('per video', () => {
		it('is sure when the input\'s duration is the one KIE prices', () => {
			expect(estimateTaskCredits('acme/hyper-video-9', { duration: 5 }, CLIP)).toEqual({
				credits: 30,
				sure: true,
				basis: 'KIE\'s price: "30 credits per 5 s video" × 1 video (the input asks for no more) of 5 s (the input\'s "duration") = 30 credits',
			});
			expect(estimateTaskCredits('m', { duration: '5s' }, CLIP)).toMatchObject({ credits: 30, sure: true });
			expect(estimateTaskCredits('m', { duration: '5' }, shape('perClip'))).toMatchObject({ credits: 160, sure: true });
		});

		it('scales another duration in proportion, and says it is an assumption', () => {
			const estimate = estimateTaskCredits('m', { duration: '10' }, CLIP);
			expect(estimate).toMatchObject({ credits: 60, sure: false });
			expect(estimate.basis).toMatch(/scaled to 10 s .* = 60 credits: KIE's text gives only the price of a 5 s video, so this is an assumption/);
			expect(estimateTaskCredits('m', { duration: 10 }, shape('perClip'))).toMatchObject({ credits: 320, sure: false });
		});

		it('is not sure without a duration, and not sure with one it cannot read', () => {
			expect(estimateTaskCredits('m', {}, CLIP)).toMatchObject({ credits: 30, sure: false, basis: expect.stringMatching(/the input sets no duration/) });
			expect(estimateTaskCredits('m', { duration: 'long' }, CLIP)).toMatchObject({ sure: false, basis: expect.stringMatching(/not a duration/) });
		});

		it('multiplies a per-video price by the number of videos', () => {
			expect(estimateTaskCredits('m', {}, '20 credits per video')).toMatchObject({ credits: 20, sure: true });
			expect(estimateTaskCredits('m', { num_videos: 2 }, '20 credits per video')).toMatchObject({ credits: 40, sure: true });
		});
	});

	describe('per second', () => {
		it('multiplies by the duration, and knows nothing without one', () => {
			expect(estimateTaskCredits('m', { duration: 8 }, '20 credits/s')).toMatchObject({ credits: 160, sure: true });
			expect(estimateTaskCredits('m', { duration: '8s', n: 2 }, '20 credits/s')).toMatchObject({ credits: 320, sure: true });
			const none = estimateTaskCredits('m', {}, '20 credits/s');
			expect(none).toMatchObject({ sure: false, basis: expect.stringMatching(/per second, and the input sets no duration/) });
			expect(none.credits).toBeUndefined();
		});
	});

	describe('per characters', () => {
		const TTS = '2 credits per 1,000 characters';

		it('counts blocks of characters of the text, rounding up (not sure unless whole blocks)', () => {
			expect(estimateTaskCredits('acme/voice-clone-2', { text: 'a'.repeat(2000) }, TTS)).toEqual({
				credits: 4,
				sure: true,
				basis: 'KIE\'s price: "2 credits per 1,000 characters" × 2,000 characters (the input\'s "text") = 4 credits',
			});
			const partial = estimateTaskCredits('m', { text: 'a'.repeat(2500) }, TTS);
			expect(partial).toMatchObject({ credits: 6, sure: false });
			expect(partial.basis).toMatch(/rounded up to 3 blocks of 1,000 .* the most it can cost/);
			expect(estimateTaskCredits('m', { text: 'a'.repeat(3000) }, shape('perCharacters'))).toMatchObject({ credits: 18, sure: true });
		});

		it('counts an emoji as one character', () => {
			expect(estimateTaskCredits('m', { text: '😀'.repeat(1000) }, TTS)).toMatchObject({ credits: 2, sure: true });
		});

		it('knows nothing without a text', () => {
			const estimate = estimateTaskCredits('m', { voice: 'x' }, TTS);
			expect(estimate.credits).toBeUndefined();
			expect(estimate).toMatchObject({ sure: false, basis: expect.stringMatching(/the input has no text/) });
			expect(estimateTaskCredits('m', { text: '' }, TTS)).toMatchObject({ credits: 0, sure: false });
		});
	});

	describe('per task', () => {
		it('is the price, sure unless the input asks for several outputs', () => {
			expect(estimateTaskCredits('m', {}, '3 credits per request')).toEqual({
				credits: 3,
				sure: true,
				basis: 'KIE\'s price: "3 credits per request" = 3 credits per task',
			});
			expect(estimateTaskCredits('m', { n: 2 }, '3 credits per request')).toMatchObject({
				credits: 3,
				sure: false,
				basis: expect.stringMatching(/does not say whether each is billed/),
			});
			expect(estimateTaskCredits('m', {}, shape('perUpscale'))).toMatchObject({ credits: 0.5, sure: true });
		});
	});

	describe('unknown', () => {
		it.each(['tiersByModeAndResolution', 'perSecondByResolution', 'perSecondByInputWithDiscount', 'perClipTwoDurations'])(
			'never guesses from KIE\'s shape %s, and quotes it',
			(name) => {
				const estimate = estimateTaskCredits('veo-3-1', { duration: 8 }, shape(name));
				expect(estimate.credits).toBeUndefined();
				expect(estimate.sure).toBe(false);
				expect(estimate.basis).toMatch(/^KIE's price for veo-3-1 is not one unconditional figure/);
			},
		);

		it('says when KIE gives no price', () => {
			expect(estimateTaskCredits('m', {}, '')).toEqual({ sure: false, basis: 'KIE gives no price for m' });
			expect(estimateTaskCredits('m', {}, undefined)).toEqual({ sure: false, basis: 'KIE gives no price for m' });
		});

		it('clips a long text in its basis', () => {
			const estimate = estimateTaskCredits('m', {}, `Depends ${'x'.repeat(400)}`);
			expect(estimate.basis.length).toBeLessThan(400);
		});
	});
});

/** A pacer that never waits: these tests are about the cache, not KIE's 1 request per second. */
const NO_WAIT: RequestPacer = { acquire: async () => ({ release: () => undefined }) };

/** An execute context whose requests KIE answers with the envelope `answer(url)`; counts them by URL. */
function fakeKie(answer: (url: string) => { code: number; msg?: string; data?: unknown }, apiKey = 'key of the price tests') {
	const requests: string[] = [];
	const ctx = {
		getCredentials: async () => ({ apiKey, baseUrl: 'https://kie.test' }),
		getNode: () => ({ id: 'n', name: 'KIE', type: 'kieAccount', typeVersion: 1, position: [0, 0], parameters: {} }),
		helpers: {
			httpRequestWithAuthentication: async (_credential: string, options: { url: string }) => {
				requests.push(options.url);
				await sleep(5);
				return { statusCode: 200, headers: {}, body: { msg: 'success', ...answer(options.url) } };
			},
		},
	} as unknown as IExecuteFunctions;
	return { ctx, requests };
}

const priceOf = (url: string) => ({ code: 200, data: { model: /models\/(.+)\/price$/.exec(url)?.[1], pricingDesc: '5 credits per image' } });

describe('cachedModelPrice', () => {
	beforeEach(() => clearModelPriceCache());

	it('reads a model\'s price through the transport once, shares it with concurrent callers, and keeps it an hour', async () => {
		const { ctx, requests } = fakeKie(priceOf);
		const now = Date.now();
		const answers = await Promise.all([1, 2, 3].map(() => cachedModelPrice.call(ctx, 'acme/pixel-forge-3', { now, pacer: NO_WAIT })));
		expect(requests).toEqual(['https://kie.test/api/v1/models/acme/pixel-forge-3/price']);
		for (const answer of answers) {
			expect(answer).toEqual({ model: 'acme/pixel-forge-3', pricingDesc: '5 credits per image', price: { credits: 5, per: 'image', text: '5 credits per image' } });
		}
		expect(await cachedModelPrice.call(ctx, 'acme/pixel-forge-3', { now: Date.now() + 59 * 60_000, pacer: NO_WAIT })).toEqual(answers[0]);
		expect(requests).toHaveLength(1);
		await cachedModelPrice.call(ctx, 'acme/pixel-forge-3', { now: Date.now() + 61 * 60_000, pacer: NO_WAIT });
		expect(requests).toHaveLength(2);
	});

	it('keeps one answer per API key and model', async () => {
		const first = fakeKie(priceOf, 'one key');
		const second = fakeKie(priceOf, 'another key');
		await cachedModelPrice.call(first.ctx, 'acme/a', { pacer: NO_WAIT });
		await cachedModelPrice.call(first.ctx, 'acme/b', { pacer: NO_WAIT });
		await cachedModelPrice.call(second.ctx, 'acme/a', { pacer: NO_WAIT });
		await cachedModelPrice.call(first.ctx, 'acme/a', { pacer: NO_WAIT });
		expect(first.requests).toHaveLength(2);
		expect(second.requests).toHaveLength(1);
	});

	it('never throws: a failure is an error answer, remembered 30 s, then asked again', async () => {
		const { ctx, requests } = fakeKie(() => ({ code: 404, msg: 'Model not found' }));
		const now = Date.now();
		const first = await cachedModelPrice.call(ctx, 'no/such-model', { now, pacer: NO_WAIT, maxAttempts: 1 });
		expect(first).toEqual({ error: expect.stringMatching(/code 404/) });
		expect(await cachedModelPrice.call(ctx, 'no/such-model', { now: now + 29_000, pacer: NO_WAIT })).toEqual(first);
		expect(requests).toHaveLength(1);
		await cachedModelPrice.call(ctx, 'no/such-model', { now: Date.now() + 31_000, pacer: NO_WAIT, maxAttempts: 1 });
		expect(requests).toHaveLength(2);
	});

	it('keeps at most 500 models: the oldest are read again', async () => {
		const { ctx, requests } = fakeKie(priceOf);
		const ids = Array.from({ length: 501 }, (_, index) => `acme/model-${index}`);
		for (const id of ids) await cachedModelPrice.call(ctx, id, { pacer: NO_WAIT });
		expect(requests).toHaveLength(501);
		await cachedModelPrice.call(ctx, ids[500], { pacer: NO_WAIT });
		expect(requests).toHaveLength(501);
		await cachedModelPrice.call(ctx, ids[0], { pacer: NO_WAIT });
		expect(requests).toHaveLength(502);
	});

	it('asks nothing for an id longer than any of KIE\'s, an empty id, or without a credential', async () => {
		const { ctx, requests } = fakeKie(priceOf);
		expect(await cachedModelPrice.call(ctx, `acme/${'x'.repeat(10_000)}`, { pacer: NO_WAIT })).toEqual({ error: expect.stringMatching(/longer than 200 characters/) });
		expect(await cachedModelPrice.call(ctx, '  ', { pacer: NO_WAIT })).toEqual({ error: 'no model id was given' });
		const noCredential = { ...ctx, getCredentials: async () => Promise.reject(new Error('no credential')) } as unknown as IExecuteFunctions;
		expect(await cachedModelPrice.call(noCredential, 'acme/a', { pacer: NO_WAIT })).toEqual({ error: 'no KIE API credential is selected' });
		expect(requests).toHaveLength(0);
	});

	it('keeps an unreadable price as text, without a parsed price', async () => {
		const { ctx } = fakeKie(() => ({ code: 200, data: { model: 'veo-3-1', pricingDesc: PRICE_SHAPES.tiersByModeAndResolution } }));
		expect(await cachedModelPrice.call(ctx, 'veo-3-1', { pacer: NO_WAIT })).toEqual({ model: 'veo-3-1', pricingDesc: PRICE_SHAPES.tiersByModeAndResolution });
	});
});
