import type { IDataObject } from 'n8n-workflow';

import { formatCredits } from '../../shared/output/credits';

/**
 * Options → Max Credits per Run: the node submits items in input order while the credits KIE reported
 * for the tasks that ended, plus an estimate for each task still running, plus this item's estimate, stay
 * within the budget. An item's estimate is the highest cost KIE reported in this run for the same model
 * and settings, or the model's price from KIE's price data when it can be read without doubt (the higher of
 * the two when both are known).
 * Without either, one task of that kind goes alone, to learn the price (only where the run sees tasks end:
 * Wait Until Done); an item the budget cannot cover comes out as `state: "notSubmitted"` with the reason,
 * in its place. Nothing is ever refused after it was paid for: the gate decides before the create.
 */

/** What the gate knows of one item before it is submitted. */
export interface BudgetItem {
	itemIndex: number;
	modelId: string;
	/** The model and its settings (not its prompt or files): tasks of one kind cost the same. */
	costKey: string;
	/** The price from KIE's price data, when it was read without doubt. */
	priced?: { credits: number; basis: string };
}

export type Admission = { admitted: true; estimate?: number } | { admitted: false; reason: string };

interface Waiter {
	resolve: () => void;
}

export class BudgetGate {
	private spent = 0;
	/** Tasks submitted and not ended: their item, kind and estimate (undefined while a price is learnt). */
	private readonly running = new Map<number, { costKey: string; estimate?: number }>();
	/** The highest cost KIE reported in this run, by kind. */
	private readonly seen = new Map<string, number>();
	/** Kinds whose task ended without KIE saying its cost: the budget cannot be kept for them. */
	private readonly unpriceable = new Set<string>();
	/** Kinds that had a task go first to learn the price. */
	private readonly learning = new Set<string>();
	private waiters: Waiter[] = [];
	/** Decisions are made one at a time, in input order. */
	private turn: Promise<unknown> = Promise.resolve();

	/**
	 * @param limit the budget in credits (> 0)
	 * @param seesTasksEnd whether this run waits for its tasks (Wait Until Done); otherwise an estimate
	 *   has to come from price data, and a task of unknown price goes only as the first of its kind.
	 */
	/**
	 * @param spentBefore credits already spent against this budget (an AI agent's earlier tool calls in
	 *   the same execution)
	 */
	constructor(
		readonly limit: number,
		private readonly seesTasksEnd: boolean,
		spentBefore = 0,
	) {
		this.spent = Math.max(0, spentBefore);
	}

	/** Credits KIE reported for the tasks that ended so far (tasks without a report count their estimate). */
	get spentCredits(): number {
		return this.spent;
	}

	/** Decides whether the item may be submitted. Call for every item in input order (they queue). */
	async admit(item: BudgetItem, signal?: AbortSignal): Promise<Admission> {
		const decision = this.turn.then(async () => await this.decide(item, signal));
		this.turn = decision.catch(() => undefined);
		return await decision;
	}

	/** A submitted task ended: KIE's reported credits (null when it did not say), and whether it succeeded. */
	ended(itemIndex: number, credits: number | null | undefined, success: boolean): void {
		const task = this.running.get(itemIndex);
		if (!task) return;
		this.running.delete(itemIndex);
		const known = typeof credits === 'number' && Number.isFinite(credits) && credits >= 0;
		if (known) {
			this.spent += credits;
			if (success && credits > 0) this.seen.set(task.costKey, Math.max(this.seen.get(task.costKey) ?? 0, credits));
		} else {
			// Counted at its estimate, never less; a kind whose price was being learnt stays unknown.
			this.spent += task.estimate ?? 0;
			if (task.estimate === undefined && success) this.unpriceable.add(task.costKey);
		}
		this.wake();
	}

	/** A submit that failed before KIE took the task: nothing was paid for it. */
	notSubmitted(itemIndex: number): void {
		if (this.running.delete(itemIndex)) this.wake();
	}

	private wake(): void {
		const waiters = this.waiters;
		this.waiters = [];
		for (const waiter of waiters) waiter.resolve();
	}

	private async somethingEnds(signal?: AbortSignal): Promise<void> {
		if (signal?.aborted) throw new Error('The execution was cancelled');
		await new Promise<void>((resolve, reject) => {
			const waiter = { resolve };
			this.waiters.push(waiter);
			signal?.addEventListener('abort', () => reject(new Error('The execution was cancelled')), { once: true });
		});
	}

	private committed(): number {
		let total = this.spent;
		for (const task of this.running.values()) total += task.estimate ?? 0;
		return total;
	}

	/** The higher of what KIE reported in this run for the kind and its price data: never the lower guess. */
	private estimateOf(item: BudgetItem): number | undefined {
		const seen = this.seen.get(item.costKey);
		const priced = item.priced?.credits;
		if (seen === undefined) return priced;
		return priced === undefined ? seen : Math.max(seen, priced);
	}

	private async decide(item: BudgetItem, signal?: AbortSignal): Promise<Admission> {
		for (;;) {
			const estimate = this.estimateOf(item);
			if (estimate === undefined) {
				const unknown = this.unknownPrice(item);
				if (unknown) return unknown;
				// The first task of an unknown price goes alone (nothing else running, room left); where no task
				// ends within the run, it goes as the first of its kind.
				if ((this.running.size === 0 || !this.seesTasksEnd) && this.committed() < this.limit) {
					this.learning.add(item.costKey);
					this.running.set(item.itemIndex, { costKey: item.costKey });
					return { admitted: true };
				}
				if (!this.seesTasksEnd) return this.overBudget(item, 0);
				await this.somethingEnds(signal);
				continue;
			}
			if (this.committed() + estimate <= this.limit) {
				this.running.set(item.itemIndex, { costKey: item.costKey, estimate });
				return { admitted: true, estimate };
			}
			// Estimates of running tasks are upper bounds: when one ends, room may be left.
			if (this.running.size > 0 && this.seesTasksEnd) {
				await this.somethingEnds(signal);
				continue;
			}
			return this.overBudget(item, estimate);
		}
	}

	private overBudget(item: BudgetItem, estimate: number): Admission {
		const cost = estimate > 0 ? `, and this task would cost about ${formatCredits(estimate)} (${this.basisOf(item)})` : '';
		return {
			admitted: false,
			reason: `Max Credits per Run (${formatCredits(this.limit)}) reached: ${formatCredits(this.committed())} credits spent or committed in this run${cost}`,
		};
	}

	/** Why an item of unknown price cannot go (undefined: it may go first, to learn the price). */
	private unknownPrice(item: BudgetItem): Admission | undefined {
		if (this.unpriceable.has(item.costKey)) {
			return {
				admitted: false,
				reason: `Max Credits per Run: KIE did not report what a ${item.modelId} task cost, and its price data gives no price that can be read without doubt, so the budget cannot be kept for it`,
			};
		}
		if (this.learning.has(item.costKey) && !this.seesTasksEnd) {
			return {
				admitted: false,
				reason: `Max Credits per Run: the price of ${item.modelId} is not known (KIE's price data gives none that can be read without doubt), and this completion mode does not see a task end to learn it; one task went first. Use "Wait Until Done (Poll)" to learn the price within the run`,
			};
		}
		return undefined;
	}

	private basisOf(item: BudgetItem): string {
		const seen = this.seen.get(item.costKey);
		if (seen !== undefined && (item.priced === undefined || seen >= item.priced.credits)) {
			return `the most KIE reported in this run for ${item.modelId} with these settings`;
		}
		return item.priced?.basis ?? 'estimate';
	}
}

/** An item that the budget kept from being submitted, in its place in the output. */
export function notSubmittedJson(modelId: string, reason: string): IDataObject {
	return { model: modelId, state: 'notSubmitted', reason };
}

/**
 * The kind of a task for the budget: its model and the settings that can change its price (allowed-value
 * choices, numbers, switches), not its prompt or its files. `enumFields`: the model's fields with a list
 * of allowed values (undefined for a model only KIE's live schema knows: then numbers and switches only).
 */
export function costKeyOf(modelId: string, input: IDataObject, enumFields?: ReadonlySet<string>): string {
	const settings: Array<[string, unknown]> = [];
	for (const key of Object.keys(input).sort()) {
		const value = input[key];
		if (typeof value === 'number' || typeof value === 'boolean') settings.push([key, value]);
		else if (typeof value === 'string' && enumFields?.has(key)) settings.push([key, value]);
		else if (Array.isArray(value)) settings.push([`${key}#count`, value.length]);
	}
	return JSON.stringify([modelId, settings]);
}
