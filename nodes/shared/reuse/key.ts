import { createHash } from 'crypto';

/**
 * Reuse Results: the key of a task. A sha256 (hex) of a canonical JSON of what the create request asks
 * for, so that the same request gives the same key whatever the order of its fields, and never the input
 * itself: only the hash is stored.
 */

/** Bumped when the canonical form changes, so that old keys simply stop matching. */
const KEY_VERSION = 1;

/**
 * Top-level input fields that say where KIE reports, not what it makes. A retried execution has another
 * resume URL; its request is the same request.
 */
const NOT_PART_OF_THE_REQUEST = new Set(['callBackUrl', 'callbackUrl', 'callback_url']);

export interface ReuseKeyInput {
	/** The KIE model id the request is sent for. */
	modelId: string;
	/**
	 * The model's input as it is sent: after defaults and validation (a number field holds a number), without
	 * the URLs of binary inputs still to upload (those are in `binaryHashes`). Ignored with `explicitKey`.
	 */
	input?: Record<string, unknown>;
	/**
	 * Content hashes (see `binaryContentHash`) of the binary inputs, by the KIE field that takes them, in the
	 * order they are sent: `{ image_urls: [h1, h2], maskUrl: h3 }`. Ignored with `explicitKey`.
	 */
	binaryHashes?: Record<string, string | string[]>;
	/** The node's "Reuse Key" (e.g. a row id): replaces input and binary hashes when not empty. */
	explicitKey?: string | number | null;
	/**
	 * Optional: anything else that must differ for a task to be reused, e.g. the credential's id (a task of
	 * another KIE account cannot be read with this one).
	 */
	scope?: string;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function isSkipped(value: unknown): boolean {
	return value === undefined || typeof value === 'function' || typeof value === 'symbol';
}

/**
 * JSON with object keys sorted (by UTF-16 code unit), and values as JSON.stringify would send them:
 * `toJSON()` is applied (dates, Luxon DateTimes), undefined/functions are dropped from objects and become
 * null in arrays, NaN and ±Infinity become null, -0 becomes 0. Strings are kept exactly (no Unicode
 * normalization: KIE receives them as they are). A cycle throws.
 */
export function canonicalJson(value: unknown): string {
	const seen = new Set<object>();
	const write = (current: unknown): string => {
		if (current === null) return 'null';
		switch (typeof current) {
			case 'boolean':
				return current ? 'true' : 'false';
			case 'number':
				return Number.isFinite(current) ? JSON.stringify(current) : 'null';
			case 'bigint':
				return current.toString();
			case 'string':
				return JSON.stringify(current);
			case 'object':
				break;
			default:
				return 'null';
		}
		const object = current as { toJSON?: (key?: string) => unknown };
		if (typeof object.toJSON === 'function') return write(object.toJSON());
		if (seen.has(object)) throw new TypeError('Reuse key: the input refers to itself');
		seen.add(object);
		let text: string;
		if (Array.isArray(object)) {
			text = `[${object.map((entry) => (isSkipped(entry) ? 'null' : write(entry))).join(',')}]`;
		} else {
			const record = object as Record<string, unknown>;
			const keys = Object.keys(record)
				.filter((key) => !isSkipped(record[key]))
				.sort();
			text = `{${keys.map((key) => `${JSON.stringify(key)}:${write(record[key])}`).join(',')}}`;
		}
		seen.delete(object);
		return text;
	};
	return write(value);
}

export function sha256Hex(text: string): string {
	return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** The explicit Reuse Key as used, or undefined when none is given (empty or blank). */
export function explicitReuseKey(value: unknown): string | undefined {
	if (value === undefined || value === null) return undefined;
	if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'bigint' && typeof value !== 'boolean') {
		// An object from an expression: its canonical JSON is the key.
		const text = canonicalJson(value);
		return text === '{}' || text === '[]' ? undefined : text;
	}
	const text = String(value).trim();
	return text === '' ? undefined : text;
}

/**
 * The reuse key of a create request: sha256 hex of the canonical JSON of the model id and either the
 * explicit Reuse Key or the input (with binary inputs by content hash). Two requests with the same key
 * would ask KIE for the same thing.
 */
export function reuseKey(request: ReuseKeyInput): string {
	const modelId = String(request.modelId ?? '').trim();
	if (modelId === '') throw new TypeError('Reuse key: a model id is needed');
	const scope = request.scope === undefined || request.scope === '' ? undefined : String(request.scope);
	const explicit = explicitReuseKey(request.explicitKey);
	if (explicit !== undefined) {
		return sha256Hex(canonicalJson({ v: KEY_VERSION, m: modelId, x: explicit, s: scope }));
	}
	const input: Record<string, unknown> = {};
	for (const [key, value] of Object.entries(request.input ?? {})) {
		if (!NOT_PART_OF_THE_REQUEST.has(key)) input[key] = value;
	}
	let binary: Record<string, string[]> | undefined;
	for (const [field, hashes] of Object.entries(request.binaryHashes ?? {})) {
		const list = (Array.isArray(hashes) ? hashes : [hashes]).map((hash) => String(hash).toLowerCase());
		if (list.length === 0) continue;
		(binary ??= {})[field] = list;
	}
	return sha256Hex(canonicalJson({ v: KEY_VERSION, m: modelId, i: input as Json, b: binary, s: scope }));
}

/** A sha256 (hex) of a file's bytes: binary inputs count by content, never by name or type. */
export async function binaryContentHash(
	data: Buffer | Uint8Array | string | AsyncIterable<Buffer | Uint8Array | string>,
): Promise<string> {
	const hash = createHash('sha256');
	if (typeof data === 'string' || data instanceof Uint8Array) {
		hash.update(data);
	} else {
		for await (const chunk of data) hash.update(chunk);
	}
	return hash.digest('hex');
}

/** Minimal view of `IExecuteFunctions` that `itemBinaryHash` needs. */
export interface BinaryReader {
	helpers: {
		assertBinaryData(itemIndex: number, propertyName: string): { id?: string; data: string };
		getBinaryDataBuffer(itemIndex: number, propertyName: string): Promise<Buffer>;
		getBinaryStream?(binaryDataId: string, chunkSize?: number): Promise<AsyncIterable<Buffer | Uint8Array | string>>;
	};
}

/**
 * The content hash of an item's binary property, read as a stream when n8n keeps it outside memory
 * (filesystem, S3, database), so a large video is not loaded whole just to be hashed.
 */
export async function itemBinaryHash(ctx: BinaryReader, itemIndex: number, propertyName: string): Promise<string> {
	const binary = ctx.helpers.assertBinaryData(itemIndex, propertyName);
	if (binary.id && typeof ctx.helpers.getBinaryStream === 'function') {
		return await binaryContentHash(await ctx.helpers.getBinaryStream(binary.id));
	}
	return await binaryContentHash(await ctx.helpers.getBinaryDataBuffer(itemIndex, propertyName));
}
