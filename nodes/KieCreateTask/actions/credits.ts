import type { IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { getCredits } from '../../shared/api/account';

const DEFAULT_MINIMUM_CREDITS = 10;

interface CreditOptions {
	checkCreditsFirst?: boolean;
	minimumCredits?: number;
}

/**
 * Options → Check Credits First: reads the balance once per execution, before any task is submitted,
 * and stops the run when it is below the highest "Minimum Credits" of the items that ask for the check,
 * or below the price of one task where the run knows it (`cheapest`: the lowest estimate of its items,
 * from KIE's price data; see runBudget). Returns the balance read (undefined when no item asked).
 */
export async function checkCreditsFirst(
	this: IExecuteFunctions,
	itemIndices: number[],
	cheapest?: { credits: number; basis: string },
): Promise<number | undefined> {
	let threshold: number | undefined;
	for (const itemIndex of itemIndices) {
		const options = this.getNodeParameter('options', itemIndex, {}) as CreditOptions;
		if (options.checkCreditsFirst !== true) continue;
		const minimum = Number(options.minimumCredits ?? DEFAULT_MINIMUM_CREDITS);
		const value = Number.isFinite(minimum) ? Math.max(0, minimum) : DEFAULT_MINIMUM_CREDITS;
		threshold = threshold === undefined ? value : Math.max(threshold, value);
	}
	if (threshold === undefined) return undefined;
	const credits = await getCredits.call(this);
	if (credits < threshold) {
		throw new NodeOperationError(
			this.getNode(),
			`Not enough KIE credits: the balance is ${credits}, below the minimum of ${threshold} set in "Check Credits First"`,
			{
				description:
					'No task was submitted. Top up at https://kie.ai/pricing, or lower Options → Minimum Credits.',
			},
		);
	}
	if (cheapest && credits < cheapest.credits) {
		throw new NodeOperationError(
			this.getNode(),
			`Not enough KIE credits: the balance is ${credits}, below the price of one task (${cheapest.credits} credits)`,
			{ description: `No task was submitted. The price: ${cheapest.basis}. Top up at https://kie.ai/pricing.` },
		);
	}
	return credits;
}
