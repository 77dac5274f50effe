'use strict';

/**
 * Streaming multipart/form-data parser (RFC 7578) for the simulator's stream upload.
 * The file part is never held in memory: its bytes go straight to a temp file while they are
 * hashed (sha256) and counted. Text fields are collected (max 1 MiB each).
 */

const crypto = require('crypto');
const fs = require('fs');
const os = require('os');
const path = require('path');

class MultipartError extends Error {
	constructor(message) {
		super(message);
		this.name = 'MultipartError';
	}
}

function getBoundary(contentType) {
	const ct = String(contentType || '');
	if (!/^multipart\/form-data\b/i.test(ct)) return null;
	const m = /;\s*boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(ct);
	if (!m) return null;
	return m[1] || m[2];
}

function parsePartHeaders(text) {
	const headers = {};
	for (const line of text.split('\r\n')) {
		const i = line.indexOf(':');
		if (i <= 0) continue;
		headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
	}
	const cd = headers['content-disposition'] || '';
	const param = (name) => {
		const star = new RegExp(`;\\s*${name}\\*=(?:UTF-8|utf-8)''([^;]+)`).exec(cd);
		if (star) {
			try {
				return decodeURIComponent(star[1]);
			} catch {
				return star[1];
			}
		}
		const q = new RegExp(`;\\s*${name}="((?:[^"\\\\]|\\\\.)*)"`).exec(cd);
		if (q) return q[1].replace(/\\(.)/g, '$1');
		const t = new RegExp(`;\\s*${name}=([^;\\s]+)`).exec(cd);
		return t ? t[1] : undefined;
	};
	return {
		headers,
		name: param('name'),
		filename: param('filename'),
		contentType: headers['content-type'],
	};
}

/**
 * Parse `req` (an async-iterable of Buffers). Options:
 *   boundary (string, required), fileField ('file'), tmpDir, maxFieldBytes, maxParts, maxHeaderBytes.
 * Resolves { fields: {name: value}, file: {field, filename, contentType, size, sha256, tmpPath} | null }.
 * Rejects with MultipartError for malformed bodies (the temp file is removed).
 */
async function parseMultipart(req, opts) {
	const boundary = opts.boundary;
	const fileField = opts.fileField || 'file';
	const tmpDir = opts.tmpDir || os.tmpdir();
	const maxFieldBytes = opts.maxFieldBytes || 1 << 20;
	const maxParts = opts.maxParts || 50;
	const maxHeaderBytes = opts.maxHeaderBytes || 16 * 1024;

	const delim = Buffer.from(`\r\n--${boundary}`, 'latin1');
	const fields = {};
	let file = null;
	let partCount = 0;

	// states: 'preamble' | 'afterDelim' | 'headers' | 'body' | 'done'
	let state = 'preamble';
	// prepend CRLF so that the first delimiter looks like every other one
	let buf = Buffer.from('\r\n', 'latin1');
	let part = null; // { name, filename, contentType, isFile, chunks, size, hash, ws }
	let finished = false;

	async function writeFileData(data) {
		if (!data.length) return;
		part.size += data.length;
		part.hash.update(data);
		if (!part.ws.write(data)) {
			await new Promise((resolve, reject) => {
				const onDrain = () => {
					part.ws.off('error', onErr);
					resolve();
				};
				const onErr = (e) => {
					part.ws.off('drain', onDrain);
					reject(e);
				};
				part.ws.once('drain', onDrain);
				part.ws.once('error', onErr);
			});
		}
	}

	async function partData(data) {
		if (!part || !data.length) return;
		if (part.isFile) return writeFileData(data);
		part.size += data.length;
		if (part.size > maxFieldBytes) throw new MultipartError(`Field ${part.name} is too large`);
		part.chunks.push(Buffer.from(data));
	}

	async function endPart() {
		if (!part) return;
		if (part.isFile) {
			await new Promise((resolve, reject) => {
				part.ws.end((err) => (err ? reject(err) : resolve()));
			});
			file = {
				field: part.name,
				filename: part.filename,
				contentType: part.contentType,
				size: part.size,
				sha256: part.hash.digest('hex'),
				tmpPath: part.tmpPath,
			};
		} else if (part.name !== undefined) {
			fields[part.name] = Buffer.concat(part.chunks).toString('utf8');
		}
		part = null;
	}

	function startPart(info) {
		partCount++;
		if (partCount > maxParts) throw new MultipartError('Too many parts');
		if (!info.name) throw new MultipartError('Multipart part without a name');
		const isFile = info.name === fileField || info.filename !== undefined;
		if (isFile) {
			if (info.name !== fileField) {
				// a file in another field: keep parsing but discard the bytes (as a 0-size sink)
				part = { name: info.name, isFile: false, chunks: [], size: 0, discard: true };
				return;
			}
			if (file) throw new MultipartError('Only one file is allowed');
			const tmpPath = path.join(tmpDir, `kie-sim-upload-${process.pid}-${crypto.randomBytes(8).toString('hex')}`);
			part = {
				name: info.name,
				filename: info.filename,
				contentType: info.contentType,
				isFile: true,
				size: 0,
				hash: crypto.createHash('sha256'),
				ws: fs.createWriteStream(tmpPath),
				tmpPath,
			};
		} else {
			part = { name: info.name, isFile: false, chunks: [], size: 0 };
		}
	}

	async function process_() {
		// loop over buf as long as progress can be made
		for (;;) {
			if (state === 'preamble' || state === 'body') {
				const idx = buf.indexOf(delim);
				if (idx === -1) {
					// emit everything except a possible partial delimiter at the end
					const keep = Math.min(buf.length, delim.length - 1);
					const emit = buf.length - keep;
					if (state === 'body' && emit > 0) {
						if (part && part.discard) part.size += emit;
						else await partData(buf.subarray(0, emit));
					}
					buf = buf.subarray(emit);
					return;
				}
				if (state === 'body') {
					if (part && part.discard) part = null;
					else {
						await partData(buf.subarray(0, idx));
						await endPart();
					}
				}
				buf = buf.subarray(idx + delim.length);
				state = 'afterDelim';
			}
			if (state === 'afterDelim') {
				if (buf.length < 2) return;
				if (buf[0] === 0x2d && buf[1] === 0x2d) {
					state = 'done';
					finished = true;
					buf = Buffer.alloc(0);
					return;
				}
				// transport padding (spaces/tabs) then CRLF
				let i = 0;
				while (i < buf.length && (buf[i] === 0x20 || buf[i] === 0x09)) i++;
				if (buf.length < i + 2) return;
				if (buf[i] !== 0x0d || buf[i + 1] !== 0x0a) throw new MultipartError('Malformed multipart delimiter');
				buf = buf.subarray(i + 2);
				state = 'headers';
			}
			if (state === 'headers') {
				const end = buf.indexOf('\r\n\r\n', 0, 'latin1');
				if (end === -1) {
					if (buf.length > maxHeaderBytes) throw new MultipartError('Multipart headers too large');
					return;
				}
				const info = parsePartHeaders(buf.subarray(0, end).toString('utf8'));
				buf = buf.subarray(end + 4);
				startPart(info);
				state = 'body';
			}
			if (state === 'done') {
				buf = Buffer.alloc(0);
				return;
			}
		}
	}

	try {
		for await (const chunk of req) {
			if (state === 'done') continue; // epilogue: ignore
			buf = buf.length ? Buffer.concat([buf, chunk]) : chunk;
			await process_();
		}
		if (!finished) throw new MultipartError('Unexpected end of multipart body');
	} catch (err) {
		if (part && part.isFile) {
			part.ws.destroy();
			fs.rm(part.tmpPath, { force: true }, () => {});
		}
		if (file) fs.rm(file.tmpPath, { force: true }, () => {});
		throw err;
	}
	return { fields, file };
}

module.exports = { parseMultipart, getBoundary, MultipartError };
