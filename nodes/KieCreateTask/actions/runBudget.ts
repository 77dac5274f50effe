import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { cachedModelPrice, estimateTaskCredits } from '../../shared/api/price';
import { runsAsTool } from '../../shared/host';
import { getModel } from '../../shared/registry';
import type { Pacer } from '../../shared/transport/pacer';
import { BudgetGate, costKeyOf, type BudgetItem } from './budget';
import type { CreateOptions, TaskPlan } from './prepare';

export interface RunBudget {
	gate: BudgetGate;
	/** Keeps what this run spent for the next tool call of the same execution (a no-op outside the tool). */
	save(): void;
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
	const agentRun = agentRunRecord(ctx);
	const gate = new BudgetGate(limit, plans.every((plan) => plan.completion === 'poll'), agentRun?.spent());
	return {
		gate,
		save: () => agentRun?.save(gate.spentCredits),
		item: (plan) => ({
			itemIndex: plan.itemIndex,
			modelId: plan.modelId,
			costKey: costKeyOf(plan.modelId, plan.input, enumsOf(plan.modelId)),
			priced: priced.get(plan.itemIndex),
		}),
		cheapest: prices.length ? prices.reduce((low, price) => (price.credits < low.credits ? price : low)) : undefined,
	};
}

const AGENT_RUN_FIELD = 'kieAgentRunCredits';

/**
 * As an AI agent's tool, every call is a run of its own; the budget is the agent run's (the execution's):
 * what the calls before spent (KIE's reported credits, or the estimate of a task that did not report them)
 * is kept in the node's execution context, which n8n keeps for the whole execution. Calls the agent makes
 * at the same time each start from what was spent before them.
 */
function agentRunRecord(ctx: IExecuteFunctions): { spent(): number; save(spent: number): void } | undefined {
	if (!runsAsTool(ctx) || typeof ctx.getContext !== 'function') return undefined;
	let context: IDataObject;
	try {
		context = ctx.getContext('node');
	} catch {
		return undefined;
	}
	const before = Number(context[AGENT_RUN_FIELD]);
	const spent = Number.isFinite(before) && before > 0 ? before : 0;
	return {
		spent: () => spent,
		// Adds this call's spending to what is there now (another call may have added its own meanwhile).
		save: (total) => {
			const now = Number(context[AGENT_RUN_FIELD]);
			context[AGENT_RUN_FIELD] = (Number.isFinite(now) && now > 0 ? now : 0) + Math.max(0, total - spent);
		},
	};
}
