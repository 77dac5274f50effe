import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

/** The keys every output item of a task starts with, in this order (those the item has). */
export const LEADING_KEYS = ['taskId', 'model', 'state', 'resultUrls'] as const;

/**
 * An item's JSON with `taskId`, `model`, `state` and `resultUrls` first, in that order, then every other
 * key in its current order. Only reorders: a leading key the JSON lacks stays absent (a submitted task
 * has no `resultUrls` yet, "Files Only" drops them), and nothing is added or dropped. Idempotent, so every
 * step that builds or rebuilds an item's JSON (taskJson, the download step, error items) applies it.
 */
export function orderedJson<T extends IDataObject>(json: T): T {
	const ordered: IDataObject = {};
	for (const key of LEADING_KEYS) if (Object.prototype.hasOwnProperty.call(json, key)) ordered[key] = json[key];
	for (const [key, value] of Object.entries(json)) if (!Object.prototype.hasOwnProperty.call(ordered, key)) ordered[key] = value;
	return ordered as T;
}

/** Puts an output item's JSON in the order of `orderedJson` (the item itself is returned). */
export function orderedItem<T extends INodeExecutionData>(item: T): T {
	item.json = orderedJson(item.json);
	return item;
}
