import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';


/** An item as the editor counts it: from 1. */
export function itemLabel(itemIndex: number): string {
	return `Item ${itemIndex + 1}`;
}

/**
 * An error about one item, named once and counted from 1 as the editor counts items. n8n's editor adds
 * "[item N]", counted from 0, to the message of an error that carries an item index, so the index stays
 * out of the error and the message names the item instead.
 */
export function itemError(
	ctx: Pick<IExecuteFunctions, 'getNode'>,
	itemIndex: number,
	message: string,
	description?: string,
): NodeOperationError {
	return new NodeOperationError(ctx.getNode(), `${itemLabel(itemIndex)}: ${message}`, description ? { description } : {});
}

/** The row a failed item becomes under "Continue On Fail": the error, and the task id when there is one. */
export function errorItem(
	itemIndex: number,
	error: Error & { description?: string | null },
	extra: IDataObject = {},
): INodeExecutionData {
	return {
		json: { ...extra, error: error.message, ...(error.description ? { errorDescription: error.description } : {}) },
		pairedItem: { item: itemIndex },
	};
}

/** Adds to an error the tasks already submitted in this run, so their ids are not lost when it stops. */
export function withSubmittedTasks<E extends Error & { description?: string | null }>(
	error: E,
	submitted: Array<{ itemIndex: number; taskId: string }>,
): E {
	const others = submitted.filter((entry) => !error.message.includes(entry.taskId));
	if (others.length === 0) return error;
	const list = others.map((entry) => `${itemLabel(entry.itemIndex)} → ${entry.taskId}`).join(', ');
	error.description = `${error.description ? `${error.description} ` : ''}Tasks already submitted in this run (collect them with KIE Get Task): ${list}.`;
	return error;
}

/** Keeps n8n's own errors as they are and wraps anything else, so the UI shows node context. */
export function toNodeError(ctx: IExecuteFunctions, error: unknown, itemIndex?: number): NodeApiError | NodeOperationError {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) return error;
	const message = (error as Error)?.message ?? String(error);
	return itemIndex === undefined ? new NodeOperationError(ctx.getNode(), message) : itemError(ctx, itemIndex, message);
}
