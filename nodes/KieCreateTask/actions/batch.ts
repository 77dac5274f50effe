import { familyByBatchCode, getFamily } from '../../shared/families';
import type { ApiStyleName } from '../../shared/registry/types';

/**
 * The batch of a "Wait for Callback" execution, kept in the execution's custom data. n8n drops the
 * waiting node's output before it calls the resume webhook, and a webhook that does not resume the
 * execution saves nothing, so custom data is the one place the webhook can read the batch from, in
 * any process (queue mode included). n8n keeps at most 10 values of 512 characters per execution.
 */
export interface BatchEntry {
	item: number;
	taskId?: string;
	family?: ApiStyleName;
	/** Why the item was not submitted ("Continue On Fail"). */
	error?: string;
}

interface Batch {
	download: boolean;
	/** With `download`: the files only, without resultUrls in the JSON ("Download Output"). */
	binaryOnly?: boolean;
	/** With `download`: "Download Size Limit (MB)"; 0 or absent means no limit. */
	maxSizeMB?: number;
	/** "Include Raw Record". */
	includeRaw?: boolean;
	entries: BatchEntry[];
}

export const BATCH_KEY_PREFIX = 'kie_batch_';
export const CUSTOM_DATA_KEYS = 10;
const CUSTOM_DATA_VALUE_LENGTH = 512;
const MAX_ERROR_LENGTH = 120;

function encodeEntry(entry: BatchEntry): string {
	if (entry.error !== undefined || !entry.taskId || !entry.family) {
		return `${entry.item}!${encodeURIComponent((entry.error ?? 'not submitted').slice(0, MAX_ERROR_LENGTH))}`;
	}
	return `${entry.item}:${getFamily(entry.family).batchCode}${encodeURIComponent(entry.taskId)}`;
}

function decodeEntry(text: string): BatchEntry | undefined {
	const match = text.match(/^(\d+)([:!])(.*)$/);
	if (!match) return undefined;
	const item = Number(match[1]);
	if (match[2] === '!') return { item, error: decodeURIComponent(match[3]) };
	// One character names the family (ApiFamily.batchCode), before the task id.
	const family = familyByBatchCode(match[3].charAt(0));
	return family ? { item, family: family.name, taskId: decodeURIComponent(match[3].slice(1)) } : undefined;
}

/** Splits the batch into custom-data values; undefined when it needs more than `maxKeys` values. */
export function encodeBatch(batch: Batch, maxKeys: number): Record<string, string> | undefined {
	const values: string[] = [];
	// The header is `v1|0|` or `v1|1|` (as before the output modes), with `b` (files only) and `m<MB>`
	// (size limit) after the 1 when set, then `r` (raw record), so executions already waiting keep their
	// meaning.
	const maxSizeMB = batch.download && batch.maxSizeMB && batch.maxSizeMB > 0 ? `m${Math.max(0.001, Math.round(batch.maxSizeMB * 1000) / 1000)}` : '';
	const flags = `${batch.download ? `1${batch.binaryOnly ? 'b' : ''}${maxSizeMB}` : '0'}${batch.includeRaw ? 'r' : ''}`;
	let current = `v1|${flags}|`;
	for (const entry of batch.entries) {
		const encoded = encodeEntry(entry);
		const next = current.endsWith('|') ? `${current}${encoded}` : `${current},${encoded}`;
		if (next.length <= CUSTOM_DATA_VALUE_LENGTH) {
			current = next;
			continue;
		}
		values.push(current);
		current = encoded;
	}
	values.push(current);
	if (values.length > maxKeys) return undefined;
	return Object.fromEntries(values.map((value, index) => [`${BATCH_KEY_PREFIX}${index}`, value]));
}

/** Reads the batch back from the execution's custom data. */
export function decodeBatch(customData: Record<string, string>): Batch | undefined {
	const keys = Object.keys(customData)
		.filter((key) => key.startsWith(BATCH_KEY_PREFIX))
		.sort((a, b) => Number(a.slice(BATCH_KEY_PREFIX.length)) - Number(b.slice(BATCH_KEY_PREFIX.length)));
	if (keys.length === 0) return undefined;
	const text = keys.map((key) => customData[key]).join(',');
	const header = text.match(/^v1\|([01])(b?)(?:m(\d+(?:\.\d+)?))?(r?)\|/);
	if (!header) return undefined;
	const entries = text
		.slice(header[0].length)
		.split(',')
		.filter(Boolean)
		.map(decodeEntry)
		.filter((entry): entry is BatchEntry => entry !== undefined);
	const download = header[1] === '1';
	return {
		download,
		...(download && header[2] ? { binaryOnly: true } : {}),
		...(download && header[3] ? { maxSizeMB: Number(header[3]) } : {}),
		...(header[4] ? { includeRaw: true } : {}),
		entries,
	};
}
