import type { IExecuteFunctions } from 'n8n-workflow';

/**
 * Whether the node runs as an AI agent's tool. n8n runs a tool two ways: through its tool wrapper
 * (`isToolExecution()` is true there, in n8n 2.x), or, with the AI Agent 3.x of n8n 1.123 and 2.x, as an
 * ordinary node of the workflow (`isToolExecution()` is false, and n8n 1.123 has no such method). In both
 * the node's type is the generated tool type, whose name ends with "Tool".
 */
export function runsAsTool(ctx: Pick<IExecuteFunctions, 'getNode'> & Partial<Pick<IExecuteFunctions, 'isToolExecution'>>): boolean {
	if (typeof ctx.isToolExecution === 'function' && ctx.isToolExecution()) return true;
	return ctx.getNode().type.endsWith('Tool');
}

/**
 * The execution's custom data, when the host has it (n8n 2.x; n8n 1.123 has no `customData` on the
 * execute context). Undefined otherwise: callers then do without.
 */
export function executionCustomData(ctx: IExecuteFunctions): IExecuteFunctions['customData'] | undefined {
	try {
		const data = (ctx as Partial<Pick<IExecuteFunctions, 'customData'>>).customData;
		return data && typeof data.setAll === 'function' && typeof data.getAll === 'function' ? data : undefined;
	} catch {
		// n8n throws when the execution has no run data to keep it in.
		return undefined;
	}
}

/** Shows a hint above the node's output, where the host supports execution hints (a warning unless said). */
export function addOutputHint(ctx: IExecuteFunctions, message: string, type: 'warning' | 'info' = 'warning'): void {
	const add = (ctx as Partial<Pick<IExecuteFunctions, 'addExecutionHints'>>).addExecutionHints;
	if (typeof add === 'function') add.call(ctx, { message, type, location: 'outputPane' });
}
