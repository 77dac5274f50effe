import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { cachedModelPrice, estimateTaskCredits } from '../../shared/api/price';
import { itemError } from '../../shared/transport/errors';
import { modelIdParam, type AccountAction } from './types';

/** The largest Count (a guard against a typo, not a KIE limit). */
const MAX_COUNT = 1_000_000;
/** The longest Input (JSON) text read. */
const MAX_INPUT_CHARS = 1024 * 1024;

const round = (value: number): number => Math.round(value * 1e6) / 1e6;

/** "Input (JSON)": a JSON object (as text, or an object from an expression). */
function inputParam(ctx: IExecuteFunctions, itemIndex: number): IDataObject {
	const raw = ctx.getNodeParameter('input', itemIndex, '{}') as unknown;
	let value: unknown = raw;
	if (typeof raw === 'string') {
		const text = raw.trim();
		if (!text) return {};
		if (text.length > MAX_INPUT_CHARS) throw itemError(ctx, itemIndex, `"Input (JSON)" is longer than ${MAX_INPUT_CHARS} characters`);
		try {
			value = JSON.parse(text);
		} catch (error) {
			throw itemError(ctx, itemIndex, `"Input (JSON)" is not valid JSON: ${(error as Error).message}`, 'Give the model\'s input settings as a JSON object, e.g. {"num_images": 2}.');
		}
	}
	if (value === undefined || value === null) return {};
	if (typeof value !== 'object' || Array.isArray(value)) {
		throw itemError(ctx, itemIndex, '"Input (JSON)" must be a JSON object', 'Give the model\'s input settings as a JSON object, e.g. {"num_images": 2}.');
	}
	return value as IDataObject;
}

function countParam(ctx: IExecuteFunctions, itemIndex: number): number {
	const count = Number(ctx.getNodeParameter('count', itemIndex, 1));
	if (!Number.isInteger(count) || count < 1 || count > MAX_COUNT) {
		throw itemError(ctx, itemIndex, `"Count" must be a whole number from 1 to ${MAX_COUNT.toLocaleString('en-US')} (got ${String(count)})`);
	}
	return count;
}

/**
 * Estimate Cost: KIE's price of the model (GET /api/v1/models/{model}/price, read once an hour per
 * process) applied to the input settings, for `count` tasks → `{model, count, creditsPerTask, credits,
 * sure, basis, pricingDesc}`. `credits` and `creditsPerTask` are null when the price cannot be applied;
 * `sure` is true only when KIE's text states the price of exactly this case. Creates nothing, costs nothing.
 */
export const estimateCostAction: AccountAction = async function (itemIndex, pacer) {
	const modelId = modelIdParam(this, itemIndex);
	const count = countParam(this, itemIndex);
	const input = inputParam(this, itemIndex);
	const answer = await cachedModelPrice.call(this, modelId, { pacer, itemIndex, maxAttempts: 4, timeoutMs: 60_000 });
	if ('error' in answer) {
		throw itemError(this, itemIndex, `Could not read KIE's price of model ${modelId}: ${answer.error}`);
	}
	const estimate = estimateTaskCredits(modelId, input, answer.pricingDesc);
	const perTask = estimate.credits;
	const credits = perTask === undefined ? undefined : round(perTask * count);
	let basis = estimate.basis;
	if (count > 1) {
		basis += perTask === undefined ? `; so the cost of ${count} tasks is unknown too` : `; × ${count.toLocaleString('en-US')} tasks = ${credits?.toLocaleString('en-US', { maximumFractionDigits: 6 })} credits`;
	}
	return [
		{
			model: answer.model || modelId,
			count,
			creditsPerTask: perTask ?? null,
			credits: credits ?? null,
			sure: estimate.sure,
			basis,
			pricingDesc: answer.pricingDesc,
		},
	];
};
