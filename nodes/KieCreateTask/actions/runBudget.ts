import type { IExecuteFunctions } from 'n8n-workflow';

import { cachedModelPrice, estimateTaskCredits } from '../../shared/api/price';
import { getModel } from '../../shared/registry';
import type { Pacer } from '../../shared/transport/pacer';
import { BudgetGate, costKeyOf, type BudgetItem } from './budget';
import type { CreateOptions, TaskPlan } from './prepare';

export interface RunBudget {
	gate: BudgetGate;
	/** What the gate knows of a plan: its kind and, when KIE's price data says without doubt, its price. */
	item(plan: TaskPlan): BudgetItem;
	/** The lowest price of one task of the run, where known (for Check Credits First). */
	cheapest?: { credits: number; basis: string };
}

/**
 * The run's budget (Options → Max Credits per Run of the first item; 0 or empty: none), with the price
 * of each item from KIE's price data: read once per model (and at most once an hour per process), through
 * the account's catalogue lane. A price that cannot be read, or not without doubt, is left out: the gate
 * then learns it from the first task (see budget.ts).
 */
export async function runBudget(ctx: IExecuteFunctions, plans: TaskPlan[], options: CreateOptions, pacer: Pacer): Promise<RunBudget | undefined> {
	const limit = Number(options.maxCreditsPerRun ?? 0);
	if (!Number.isFinite(limit) || limit <= 0) return undefined;
	const pricing = new Map<string, string | undefined>();
	for (const modelId of new Set(plans.map((plan) => plan.modelId))) {
		const answer = await cachedModelPrice.call(ctx, modelId, { pacer });
		pricing.set(modelId, 'pricingDesc' in answer ? answer.pricingDesc : undefined);
	}
	const priced = new Map<number, { credits: number; basis: string }>();
	for (const plan of plans) {
		const text = pricing.get(plan.modelId);
		if (!text) continue;
		const estimate = estimateTaskCredits(plan.modelId, plan.input, text);
		if (estimate.sure && estimate.credits !== undefined) priced.set(plan.itemIndex, { credits: estimate.credits, basis: estimate.basis });
	}
	const enumFields = new Map<string, ReadonlySet<string> | undefined>();
	const enumsOf = (modelId: string) => {
		if (!enumFields.has(modelId)) {
			const model = getModel(modelId);
			enumFields.set(modelId, model ? new Set(model.fields.filter((field) => field.enum).map((field) => field.name)) : undefined);
		}
		return enumFields.get(modelId);
	};
	const prices = [...priced.values()];
	return {
		gate: new BudgetGate(limit, plans.every((plan) => plan.completion === 'poll')),
		item: (plan) => ({
			itemIndex: plan.itemIndex,
			modelId: plan.modelId,
			costKey: costKeyOf(plan.modelId, plan.input, enumsOf(plan.modelId)),
			priced: priced.get(plan.itemIndex),
		}),
		cheapest: prices.length ? prices.reduce((low, price) => (price.credits < low.credits ? price : low)) : undefined,
	};
}
