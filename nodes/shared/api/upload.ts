import { randomBytes } from 'crypto';
import type { IBinaryData, IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { kieApiRequest } from '../transport';
import { itemLabel, toNodeError } from '../transport/errors';
import type { KieStreamBody } from '../transport';

/** What KIE's File Upload API returns, normalized (see reference/kie-api.md §6). */
export interface UploadResult {
	downloadUrl: string;
	fileName: string;
	filePath: string;
	fileSize: number;
	mimeType: string;
	uploadedAt: string;
	/** Uploaded files are kept 24 h by the newest docs. */
	expiresAt: string;
}

interface UploadOptions {
	/** Folder on KIE's file host, without leading or trailing slash (default n8n/uploads). */
	uploadPath?: string;
	fileName?: string;
	/** MIME types the target model accepts; checked before anything is sent. */
	accept?: string[];
	/** Size limit of the target model, in MB; checked before anything is sent. */
	maxFileSizeMB?: number;
	/** What the file is for, named in errors (e.g. `"Input URLs" of gpt-image/1.5-image-to-image`). */
	purpose?: string;
}

export const DEFAULT_UPLOAD_PATH = 'n8n/uploads';
/** KIE keeps uploads 24 h (newest docs; older pages say 3 days). */
export const UPLOAD_TTL_MS = 24 * 60 * 60 * 1000;
/** KIE recommends base64 uploads up to 10 MB (base64 adds about a third). */
const BASE64_MAX_MB = 10;

const MB = 1024 * 1024;
const JSON_UPLOAD_TIMEOUT_MS = 90_000;
const SLASH = 0x2f;

function prefix(itemIndex: number, options: UploadOptions): string {
	return `${itemLabel(itemIndex)}${options.purpose ? ` (${options.purpose})` : ''}`;
}

/** An upload error: its message starts with the item (see `prefix`), so no item index is attached. */
function fail(ctx: IExecuteFunctions, _itemIndex: number, message: string, description: string): NodeOperationError {
	return new NodeOperationError(ctx.getNode(), message, { description });
}

/** `images/user-uploads`: trimmed, without leading or trailing slashes; the default when empty. */
export function normalizeUploadPath(uploadPath: string | undefined): string {
	const text = String(uploadPath ?? '').trim();
	// Loops, not /^\/+|\/+$/: that regex is quadratic on a long run of slashes that is not at the end.
	let start = 0;
	let end = text.length;
	while (start < end && text.charCodeAt(start) === SLASH) start++;
	while (end > start && text.charCodeAt(end - 1) === SLASH) end--;
	return text.slice(start, end) || DEFAULT_UPLOAD_PATH;
}

/** Whether `mimeType` matches one of `accept` (`image/png`, `image/*`, `*\/*`). */
export function mimeAccepted(mimeType: string, accept: string[] | undefined): boolean {
	if (!accept || accept.length === 0) return true;
	const type = mimeType.split(';')[0].trim().toLowerCase();
	return accept.some((entry) => {
		const pattern = entry.split(';')[0].trim().toLowerCase();
		if (pattern === '*/*' || pattern === '*') return true;
		if (pattern.endsWith('/*')) return type.startsWith(pattern.slice(0, -1));
		return type === pattern;
	});
}

/** Parses n8n's human file size ("1.2 MB", "512 kB", "30 B") into bytes (approximate: decimal units). */
export function parseHumanSize(text: string | undefined): number | undefined {
	const value = String(text ?? '');
	// "1.2 MB" is short: a longer text is not one (and the regex below backtracks on long runs of spaces).
	if (value.length > 64) return undefined;
	const match = /^\s*([\d.]+)\s*([kKMGT]?i?B)?\s*$/.exec(value);
	if (!match) return undefined;
	const units: Record<string, number> = { b: 1, kb: 1e3, mb: 1e6, gb: 1e9, tb: 1e12, kib: 1024, mib: MB, gib: 1024 * MB };
	const factor = units[(match[2] ?? 'B').toLowerCase()] ?? 1;
	const amount = Number(match[1]);
	return Number.isFinite(amount) ? Math.round(amount * factor) : undefined;
}

function formatMB(bytes: number): string {
	return `${(bytes / MB).toFixed(bytes < MB ? 2 : 1)} MB`;
}

function checkType(ctx: IExecuteFunctions, itemIndex: number, what: string, mimeType: string, options: UploadOptions): void {
	if (mimeAccepted(mimeType, options.accept)) return;
	throw fail(
		ctx,
		itemIndex,
		`${prefix(itemIndex, options)}: ${what} is of type ${mimeType || 'unknown'}, which the target does not take`,
		`Allowed types: ${options.accept!.join(', ')}. Convert the file (e.g. with the Edit Image node) or pick a file of an allowed type. Nothing was uploaded.`,
	);
}

function checkSize(ctx: IExecuteFunctions, itemIndex: number, what: string, bytes: number | undefined, options: UploadOptions): void {
	if (bytes === undefined || options.maxFileSizeMB === undefined || bytes <= options.maxFileSizeMB * MB) return;
	throw fail(
		ctx,
		itemIndex,
		`${prefix(itemIndex, options)}: ${what} is ${formatMB(bytes)}, more than the limit of ${options.maxFileSizeMB} MB`,
		`Make the file smaller (resize or compress it) before this node. Nothing was uploaded.`,
	);
}

function isoDate(value: unknown): string | undefined {
	if (value === undefined || value === null || value === '') return undefined;
	const date = typeof value === 'number' ? new Date(value) : new Date(String(value));
	return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

/**
 * True when KIE's upload answer says, inside `data`, that the upload failed. Live KIE repeats the
 * envelope's `success` flag in `data` (corpus upload-stream-1/2): `data.success: false` is a failure even
 * under code 200. (`"false"` as a string counts too.)
 */
export function uploadRefused(data: unknown): boolean {
	const flag = data && typeof data === 'object' ? (data as IDataObject).success : undefined;
	return flag === false || flag === 'false';
}

/**
 * Normalizes KIE's answer (current shape, or the older `fileUrl`/`uploadTime` shape) into an UploadResult;
 * undefined when it has no download URL or says it failed (`data.success: false`). `filePath` is kept as
 * KIE gives it (live KIE prefixes the folder asked for with `kieai/<userId>/`).
 */
export function toUploadResult(
	data: unknown,
	fallback: { fileName?: string; fileSize?: number; mimeType?: string } = {},
	now: () => Date = () => new Date(),
): UploadResult | undefined {
	if (uploadRefused(data)) return undefined;
	const record = (data && typeof data === 'object' ? data : {}) as IDataObject;
	const downloadUrl = String(record.downloadUrl ?? record.fileUrl ?? '');
	if (!downloadUrl) return undefined;
	const uploadedAt = isoDate(record.uploadedAt ?? record.uploadTime) ?? now().toISOString();
	const fileSize = Number(record.fileSize ?? record.size);
	return {
		downloadUrl,
		fileName: String(record.fileName ?? record.originalName ?? fallback.fileName ?? ''),
		filePath: String(record.filePath ?? ''),
		fileSize: Number.isFinite(fileSize) ? fileSize : (fallback.fileSize ?? 0),
		mimeType: String(record.mimeType ?? fallback.mimeType ?? ''),
		uploadedAt,
		expiresAt: new Date(new Date(uploadedAt).getTime() + UPLOAD_TTL_MS).toISOString(),
	};
}

function resultOrFail(
	ctx: IExecuteFunctions,
	itemIndex: number,
	data: unknown,
	fallback: { fileName?: string; fileSize?: number; mimeType?: string },
): UploadResult {
	if (uploadRefused(data)) {
		const msg = (data as IDataObject).msg ?? (data as IDataObject).message;
		throw fail(
			ctx,
			itemIndex,
			`${itemLabel(itemIndex)}: KIE answered that the upload failed${typeof msg === 'string' && msg ? `: ${msg}` : ''}`,
			'KIE\'s answer had data.success: false. Uploads are free: check the file and the Upload Base URL of the KIE API credential, then run the item again.',
		);
	}
	const result = toUploadResult(data, fallback);
	if (result) return result;
	throw fail(
		ctx,
		itemIndex,
		'KIE accepted the upload but answered without a download URL',
		`The answer had no data.downloadUrl (or fileUrl). Check the Upload Base URL of the KIE API credential.`,
	);
}

// ---------------------------------------------------------------------------------------------
// multipart/form-data, built by hand (the `form-data` package is not allowed in community nodes)
// ---------------------------------------------------------------------------------------------

/** Escapes a name for a quoted multipart header parameter, as browsers do (WHATWG HTML). */
function quoteParam(value: string): string {
	return value.replace(/\r/g, '%0D').replace(/\n/g, '%0A').replace(/"/g, '%22');
}

interface MultipartFrame {
	boundary: string;
	contentType: string;
	/** Field parts and the file part's headers: everything before the file bytes. */
	preamble: Buffer;
	/** CRLF and the closing boundary: everything after the file bytes. */
	epilogue: Buffer;
}

/** The parts around the file bytes of a `multipart/form-data` body: fields first, then `file`. */
export function multipartFrame(
	fields: Record<string, string | undefined>,
	file: { fieldName: string; fileName: string; mimeType: string },
	boundary = `----n8nKieUpload${randomBytes(12).toString('hex')}`,
): MultipartFrame {
	let head = '';
	for (const [name, value] of Object.entries(fields)) {
		if (value === undefined) continue;
		head += `--${boundary}\r\nContent-Disposition: form-data; name="${quoteParam(name)}"\r\n\r\n${value}\r\n`;
	}
	head +=
		`--${boundary}\r\nContent-Disposition: form-data; name="${quoteParam(file.fieldName)}"; ` +
		`filename="${quoteParam(file.fileName)}"\r\nContent-Type: ${file.mimeType}\r\n\r\n`;
	return {
		boundary,
		contentType: `multipart/form-data; boundary=${boundary}`,
		preamble: Buffer.from(head, 'utf8'),
		epilogue: Buffer.from(`\r\n--${boundary}--\r\n`, 'utf8'),
	};
}

type ReadableClass = { from: (iterable: AsyncIterable<Buffer>, options?: IDataObject) => NodeJS.ReadableStream };

/**
 * Node's `Readable` class, reached through a stream n8n handed us (`getBinaryStream` returns a
 * `Readable` subclass such as `fs.ReadStream`, whose constructor inherits the static `Readable.from`).
 * Community nodes may not import `stream`, and axios (behind `httpRequest`) needs a real stream with
 * `pipe`, not just an async iterable.
 */
function readableClassOf(sample: NodeJS.ReadableStream): ReadableClass | undefined {
	let ctor: unknown = (sample as { constructor?: unknown }).constructor;
	while (typeof ctor === 'function') {
		if (typeof (ctor as Partial<ReadableClass>).from === 'function') return ctor as unknown as ReadableClass;
		ctor = Object.getPrototypeOf(ctor);
	}
	return undefined;
}

interface ByteCounter {
	bytes: number;
	mismatch?: string;
}

/** Preamble, the file's chunks, epilogue; counts the file bytes so that a wrong length fails loudly. */
async function* multipartChunks(
	frame: MultipartFrame,
	file: AsyncIterable<Buffer | string>,
	expectedBytes: number | undefined,
	counter: ByteCounter,
): AsyncGenerator<Buffer> {
	yield frame.preamble;
	for await (const chunk of file) {
		const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
		counter.bytes += buffer.length;
		if (expectedBytes !== undefined && counter.bytes > expectedBytes) {
			counter.mismatch = `it has more bytes than its recorded size (${expectedBytes})`;
			throw new Error(counter.mismatch);
		}
		yield buffer;
	}
	if (expectedBytes !== undefined && counter.bytes !== expectedBytes) {
		counter.mismatch = `it has ${counter.bytes} bytes, not its recorded size (${expectedBytes})`;
		throw new Error(counter.mismatch);
	}
	yield frame.epilogue;
}

// ---------------------------------------------------------------------------------------------
// The three upload modes
// ---------------------------------------------------------------------------------------------

function missingBinaryError(ctx: IExecuteFunctions, itemIndex: number, binaryPropertyName: string, options: UploadOptions) {
	const names = Object.keys(ctx.getInputData()[itemIndex]?.binary ?? {});
	const description = names.length
		? `The item has the binary properties ${names.map((name) => `"${name}"`).join(', ')}. Set "Binary Property" to one of them.`
		: 'The item has no binary data. Put a node that reads the file before this one (e.g. Read/Write Files from Disk, or HTTP Request with Response Format "File").';
	return fail(ctx, itemIndex, `${prefix(itemIndex, options)}: no binary property "${binaryPropertyName}"`, `${description} Nothing was uploaded.`);
}

/**
 * Uploads an item's binary property to KIE's File Upload API (`/api/file-stream-upload`). With n8n's
 * filesystem/database binary storage (the binary has an `id`) the file is streamed, so memory stays
 * flat whatever its size; in the default (in-memory) mode the file is already a buffer. Type and size
 * are checked before anything is sent.
 */
export async function uploadBinary(
	this: IExecuteFunctions,
	itemIndex: number,
	binaryPropertyName: string,
	options: UploadOptions = {},
): Promise<UploadResult> {
	const property = String(binaryPropertyName ?? '').trim();
	const binary: IBinaryData | undefined = this.getInputData()[itemIndex]?.binary?.[property];
	if (!property || !binary) throw missingBinaryError(this, itemIndex, property, options);
	this.helpers.assertBinaryData(itemIndex, property);

	const what = `binary property "${property}"${binary.fileName ? ` (${binary.fileName})` : ''}`;
	const mimeType = binary.mimeType || 'application/octet-stream';
	checkType(this, itemIndex, what, mimeType, options);

	// The exact byte size: the stored metadata (streamed) or the buffer (in memory).
	let size: number | undefined;
	let buffer: Buffer | undefined;
	const binaryId = binary.id;
	if (binaryId) {
		try {
			const metadata = await this.helpers.getBinaryMetadata(binaryId);
			size = Number.isFinite(metadata.fileSize) ? metadata.fileSize : undefined;
		} catch {
			size = undefined;
		}
		size ??= typeof binary.bytes === 'number' ? binary.bytes : undefined;
		// Only for the limit check; a streamed body without an exact size goes out chunked.
		checkSize(this, itemIndex, what, size ?? parseHumanSize(binary.fileSize), options);
	} else {
		buffer = await this.helpers.getBinaryDataBuffer(itemIndex, property);
		size = buffer.length;
		checkSize(this, itemIndex, what, size, options);
	}

	const fileName = (options.fileName ?? '').trim();
	const partFileName = fileName || binary.fileName || `${property}.${binary.fileExtension || 'bin'}`;
	const frame = multipartFrame(
		{ uploadPath: normalizeUploadPath(options.uploadPath), fileName: fileName || undefined },
		{ fieldName: 'file', fileName: partFileName, mimeType },
	);
	const headers: IDataObject = { 'Content-Type': frame.contentType };
	if (size !== undefined) headers['Content-Length'] = frame.preamble.length + size + frame.epilogue.length;

	const counter: ByteCounter = { bytes: 0 };
	let body: Buffer | KieStreamBody;
	if (buffer) {
		// In-memory mode: the file is a buffer already.
		body = Buffer.concat([frame.preamble, buffer, frame.epilogue]);
	} else {
		const helpers = this.helpers;
		body = {
			open: async () => {
				counter.bytes = 0;
				counter.mismatch = undefined;
				const fileStream = await helpers.getBinaryStream(binaryId!);
				const Readable = readableClassOf(fileStream);
				if (Readable) {
					return Readable.from(multipartChunks(frame, fileStream, size, counter), { objectMode: false });
				}
				// Not a Node stream (should not happen): fall back to one buffer.
				const bytes = await helpers.binaryToBuffer(fileStream as never);
				return Buffer.concat([frame.preamble, bytes, frame.epilogue]) as unknown as NodeJS.ReadableStream;
			},
		};
	}

	let data: unknown;
	try {
		data = await kieApiRequest.call(this, {
			method: 'POST',
			host: 'upload',
			path: '/api/file-stream-upload',
			kind: 'upload',
			body,
			headers,
			itemIndex,
			// One minute, plus one second per MB sent.
			timeoutMs: 60_000 + Math.ceil((size ?? 0) / MB) * 1000,
			label: `Upload of ${what}`,
		});
	} catch (error) {
		if (counter.mismatch) {
			throw fail(
				this,
				itemIndex,
				`${prefix(itemIndex, options)}: ${what} changed while it was uploaded: ${counter.mismatch}`,
				'The upload was aborted. Run the item again; if it repeats, re-create the binary data (its stored size does not match its bytes).',
			);
		}
		throw toNodeError(this, error, itemIndex);
	}
	return resultOrFail(this, itemIndex, data, { fileName: fileName || binary.fileName, fileSize: size, mimeType });
}

// ---------------------------------------------------------------------------------------------
// Base64 checks: linear, and bounded by the text's length before anything reads it
// ---------------------------------------------------------------------------------------------

/**
 * The longest text a base64 upload of `maxBytes` can be: its base64 (4/3), a quarter more for line breaks
 * and other whitespace, and a `data:` prefix. A longer text is refused by its length alone.
 */
export function base64TextLimit(maxBytes: number): number {
	return Math.ceil(((maxBytes * 4) / 3) * 1.25) + 1024;
}

/** Whether a UTF-16 code unit is whitespace as the regex class `\s` has it (what the check allowed before). */
function isSpace(code: number): boolean {
	if (code <= 0x20) return code === 0x20 || (code >= 0x09 && code <= 0x0d);
	if (code < 0xa0) return false;
	return (
		code === 0xa0 ||
		code === 0x1680 ||
		(code >= 0x2000 && code <= 0x200a) ||
		code === 0x2028 ||
		code === 0x2029 ||
		code === 0x202f ||
		code === 0x205f ||
		code === 0x3000 ||
		code === 0xfeff
	);
}

/** A–Z, a–z, 0–9, + and /. */
function isBase64Char(code: number): boolean {
	return (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a) || (code >= 0x30 && code <= 0x39) || code === 0x2b || code === 0x2f;
}

const EQUALS = 0x3d;

/**
 * Whether `payload` is base64 as a base64 upload takes it, and the bytes it decodes to: the characters
 * A–Z, a–z, 0–9, + and /, whitespace (line breaks…) anywhere, then at most two `=` together, then only
 * whitespace; the last group of 4 is whole (padded) or of 2 or 3 characters (unpadded), never of 1. One
 * pass over the text, no regex: linear whatever it holds.
 */
export function inspectBase64(payload: string): { valid: true; bytes: number } | { valid: false } {
	let characters = 0;
	let padding = 0;
	// 0: the data; 1: in the padding; 2: whitespace after the padding.
	let state = 0;
	for (let index = 0; index < payload.length; index++) {
		const code = payload.charCodeAt(index);
		if (code === EQUALS) {
			if (state === 2 || padding === 2) return { valid: false };
			state = 1;
			padding++;
			characters++;
		} else if (isSpace(code)) {
			if (state === 1) state = 2;
		} else if (state !== 0 || !isBase64Char(code)) {
			return { valid: false };
		} else {
			characters++;
		}
	}
	// Base64 is groups of 4 characters: the data may end in a group of 2 or 3 (unpadded), never of 1, and
	// padding completes the last group exactly. Then the text decodes to exactly this many bytes.
	const data = characters - padding;
	if (data % 4 === 1 || (padding > 0 && characters % 4 !== 0)) return { valid: false };
	return { valid: true, bytes: Math.floor((data * 3) / 4) };
}

/** What a "Base64 Data" text holds, or why it cannot be uploaded (see checkBase64Upload). */
export type Base64UploadCheck =
	| { ok: true; text: string; bytes: number; mimeType?: string }
	| { ok: false; problem: 'empty' | 'notBase64DataUrl' | 'invalid' }
	| { ok: false; problem: 'tooLarge'; bytes: number };

/**
 * Checks a "Base64 Data" text (plain base64 or a `data:<type>;base64,` URL) before anything is sent, in
 * time linear in its length: first its length alone (a text longer than base64TextLimit(maxBytes) is
 * refused as too large, with the bytes it could hold), then, trimmed, the data URL prefix (looked for in the
 * first 300 characters), then its characters. `text` is what is sent (the trimmed input); `bytes` what it
 * decodes to. Pure, no regex: for the node and for fuzzers.
 */
export function checkBase64Upload(input: string, maxBytes = BASE64_MAX_MB * MB): Base64UploadCheck {
	if (input.length > base64TextLimit(maxBytes)) return { ok: false, problem: 'tooLarge', bytes: Math.floor((input.length * 3) / 4) };
	const text = input.trim();
	if (!text) return { ok: false, problem: 'empty' };
	let payload = text;
	let mimeType: string | undefined;
	if (text.slice(0, 5).toLowerCase() === 'data:') {
		const comma = text.slice(0, 300).indexOf(',');
		if (comma >= 0) {
			const header = text.slice(5, comma);
			const semicolon = header.indexOf(';');
			if (!header.slice(semicolon < 0 ? header.length : semicolon).toLowerCase().includes(';base64')) return { ok: false, problem: 'notBase64DataUrl' };
			mimeType = (semicolon < 0 ? header : header.slice(0, semicolon)) || undefined;
			payload = text.slice(comma + 1);
		}
	}
	const inspected = inspectBase64(payload);
	if (!inspected.valid) return { ok: false, problem: 'invalid' };
	if (inspected.bytes > maxBytes) return { ok: false, problem: 'tooLarge', bytes: inspected.bytes };
	return { ok: true, text, bytes: inspected.bytes, ...(mimeType ? { mimeType } : {}) };
}

/** Uploads base64 data (plain or a `data:<mime>;base64,` URL) with `/api/file-base64-upload` (≤ 10 MB). */
export async function uploadBase64(
	this: IExecuteFunctions,
	itemIndex: number,
	base64Data: string,
	options: UploadOptions = {},
): Promise<UploadResult> {
	const what = 'the base64 data';
	const check = checkBase64Upload(typeof base64Data === 'string' ? base64Data : String(base64Data ?? ''));
	if (!check.ok) {
		switch (check.problem) {
			case 'empty':
				throw fail(this, itemIndex, `${prefix(itemIndex, options)}: "Base64 Data" is empty`, 'Map the base64 string (or a data: URL) to upload. Nothing was uploaded.');
			case 'notBase64DataUrl':
				throw fail(this, itemIndex, `${prefix(itemIndex, options)}: the data URL is not base64-encoded`, 'Use a data URL of the form data:<type>;base64,<data>, or plain base64. Nothing was uploaded.');
			case 'invalid':
				throw fail(this, itemIndex, `${prefix(itemIndex, options)}: "Base64 Data" is not valid base64`, 'Only the characters A–Z, a–z, 0–9, +, / and = padding are allowed (or a data:<type>;base64, URL). Nothing was uploaded.');
			default:
				throw fail(
					this,
					itemIndex,
					`${prefix(itemIndex, options)}: ${what} is ${formatMB(check.bytes)}, more than the ${BASE64_MAX_MB} MB KIE recommends for base64 uploads`,
					'Convert it to a binary property (e.g. with the Convert to File node, "Move Base64 String to File") and upload with Source "Binary", which streams the file. Nothing was uploaded.',
				);
		}
	}
	const { text, bytes, mimeType } = check;
	if (mimeType) checkType(this, itemIndex, what, mimeType, options);
	checkSize(this, itemIndex, what, bytes, options);
	const fileName = (options.fileName ?? '').trim() || undefined;
	const data = await kieApiRequest.call(this, {
		method: 'POST',
		host: 'upload',
		path: '/api/file-base64-upload',
		kind: 'upload',
		body: { base64Data: text, uploadPath: normalizeUploadPath(options.uploadPath), ...(fileName ? { fileName } : {}) },
		itemIndex,
		timeoutMs: JSON_UPLOAD_TIMEOUT_MS,
		label: 'Base64 upload',
	});
	return resultOrFail(this, itemIndex, data, { fileName, fileSize: bytes, mimeType });
}

/**
 * Lets KIE download a public file with `/api/file-url-upload`. KIE gives up after 30 s and recommends
 * files up to 100 MB; the size cannot be checked before sending.
 */
export async function uploadFromUrl(
	this: IExecuteFunctions,
	itemIndex: number,
	fileUrl: string,
	options: UploadOptions = {},
): Promise<UploadResult> {
	const url = String(fileUrl ?? '').trim();
	let valid = false;
	try {
		valid = /^https?:$/.test(new URL(url).protocol);
	} catch {
		valid = false;
	}
	if (!valid) {
		throw fail(
			this,
			itemIndex,
			`${prefix(itemIndex, options)}: "File URL" must be a public http(s) URL (got "${url.slice(0, 100)}")`,
			'KIE downloads the file from this URL itself. For a file in n8n, use Source "Binary". Nothing was uploaded.',
		);
	}
	const fileName = (options.fileName ?? '').trim() || undefined;
	const data = await kieApiRequest.call(this, {
		method: 'POST',
		host: 'upload',
		path: '/api/file-url-upload',
		kind: 'upload',
		body: { fileUrl: url, uploadPath: normalizeUploadPath(options.uploadPath), ...(fileName ? { fileName } : {}) },
		itemIndex,
		timeoutMs: JSON_UPLOAD_TIMEOUT_MS,
		label: `URL upload of ${url.slice(0, 100)}`,
	});
	const result = resultOrFail(this, itemIndex, data, { fileName });
	checkType(this, itemIndex, `the file at ${url.slice(0, 100)}`, result.mimeType, options);
	return result;
}
