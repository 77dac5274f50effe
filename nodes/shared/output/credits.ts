import type { IDataObject } from 'n8n-workflow';

/** A number of credits as people read it: 1,234.5 (at most two decimals, no float noise). */
export function formatCredits(value: number): string {
	return (Math.round(value * 100) / 100).toLocaleString('en-US', { maximumFractionDigits: 2 });
}

const creditsOfItem = (json: IDataObject, key: string): number | undefined => {
	const value = json[key];
	return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : undefined;
};

/**
 * The run's credits, for the node's execution hint: the sum of what KIE reported for the tasks that ended
 * (`creditsConsumed`; never an estimate), how many ended tasks did not report it, and the account's credits
 * left where a callback said so (`remainedCredits`, the newest). Undefined when no task ended.
 */
export function runCredits(
	items: IDataObject[],
): { total: number; reported: number; unreported: number; reused: number; left?: number } | undefined {
	const all = items.filter((json) => typeof json.taskId === 'string' && json.taskId !== '' && (json.state === 'success' || json.state === 'failed'));
	// A reused task (Options → Reuse Results) was paid for by the run that created it.
	const ended = all.filter((json) => json.reused !== true);
	const reused = all.length - ended.length;
	if (all.length === 0) return undefined;
	let total = 0;
	let reported = 0;
	let left: { value: number; at: string } | undefined;
	for (const json of ended) {
		const credits = creditsOfItem(json, 'creditsConsumed');
		if (credits !== undefined) {
			total += credits;
			reported++;
		}
		const remained = creditsOfItem(json, 'remainedCredits');
		const at = String(json.completeTime ?? '');
		if (remained !== undefined && (!left || at >= left.at)) left = { value: remained, at };
	}
	return { total, reported, unreported: ended.length - reported, reused, ...(left ? { left: left.value } : {}) };
}

/** The execution hint of a run's credits (see runCredits), or undefined when there is nothing to say. */
export function runCreditsHint(items: IDataObject[]): string | undefined {
	const run = runCredits(items);
	if (!run) return undefined;
	const tasks = (count: number) => `${count} task${count === 1 ? '' : 's'}`;
	const parts: string[] = [];
	if (run.reported > 0) parts.push(`This run: ${formatCredits(run.total)} credits for ${tasks(run.reported)}, as KIE reported them (creditsConsumed)`);
	else if (run.unreported > 0) parts.push('This run: KIE reported no credits for its tasks');
	else parts.push('This run: no new tasks');
	if (run.reported > 0 && run.unreported > 0) parts.push(`${tasks(run.unreported)} did not report credits`);
	if (run.reused > 0) parts.push(`${tasks(run.reused)} reused from earlier runs, paid for then and not counted`);
	if (run.left !== undefined) parts.push(`the account has ${formatCredits(run.left)} credits left (remainedCredits of KIE's newest callback)`);
	return `${parts.join('; ')}.`;
}
