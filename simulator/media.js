'use strict';

/**
 * Result media for the simulator: real (small) PNG images made with zlib, MP4-looking files
 * (ftyp + mdat boxes) and MP3-looking files (ID3 header + MPEG frames). Large files
 * (`resultBytes`) are produced as streams with constant memory; large PNGs stay valid PNGs by
 * padding with private ancillary `fiLl` chunks before IEND.
 */

const zlib = require('zlib');
const { Readable } = require('stream');

const CRC_TABLE = (() => {
	const t = new Uint32Array(256);
	for (let n = 0; n < 256; n++) {
		let c = n;
		for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
		t[n] = c >>> 0;
	}
	return t;
})();

function crc32Update(crc, buf) {
	let c = crc ^ 0xffffffff;
	for (let i = 0; i < buf.length; i++) c = CRC_TABLE[(c ^ buf[i]) & 0xff] ^ (c >>> 8);
	return (c ^ 0xffffffff) >>> 0;
}

function crc32(...bufs) {
	let c = 0;
	for (const b of bufs) c = crc32Update(c, b);
	return c;
}

function pngChunk(type, data) {
	const len = Buffer.alloc(4);
	len.writeUInt32BE(data.length, 0);
	const typeBuf = Buffer.from(type, 'ascii');
	const crc = Buffer.alloc(4);
	crc.writeUInt32BE(crc32(typeBuf, data), 0);
	return Buffer.concat([len, typeBuf, data, crc]);
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function hashSeed(seed) {
	let h = 2166136261;
	const s = String(seed);
	for (let i = 0; i < s.length; i++) {
		h ^= s.charCodeAt(i);
		h = Math.imul(h, 16777619);
	}
	return h >>> 0;
}

/** Image dimensions for an aspect ratio string such as "16:9" (longest side `base`). */
function dimensionsFor(aspect, base = 384) {
	const m = /^(\d+(?:\.\d+)?)\s*:\s*(\d+(?:\.\d+)?)$/.exec(String(aspect || ''));
	if (!m) return { width: 256, height: 256 };
	const w = Number(m[1]);
	const h = Number(m[2]);
	if (!(w > 0 && h > 0)) return { width: 256, height: 256 };
	if (w >= h) return { width: base, height: Math.max(8, Math.round((base * h) / w)) };
	return { width: Math.max(8, Math.round((base * w) / h)), height: base };
}

/** Head of a PNG (signature, IHDR, IDAT) without IEND: an RGB gradient seeded by `seed`. */
function pngHead(width, height, seed) {
	const h = hashSeed(seed);
	const baseR = h & 0xff;
	const baseG = (h >>> 8) & 0xff;
	const baseB = (h >>> 16) & 0xff;
	const rowLen = width * 3 + 1;
	const raw = Buffer.alloc(rowLen * height);
	for (let y = 0; y < height; y++) {
		const off = y * rowLen;
		raw[off] = 0;
		for (let x = 0; x < width; x++) {
			const p = off + 1 + x * 3;
			raw[p] = (baseR + Math.floor((x * 255) / width)) & 0xff;
			raw[p + 1] = (baseG + Math.floor((y * 255) / height)) & 0xff;
			raw[p + 2] = (baseB + Math.floor(((x + y) * 127) / (width + height))) & 0xff;
		}
	}
	const ihdr = Buffer.alloc(13);
	ihdr.writeUInt32BE(width, 0);
	ihdr.writeUInt32BE(height, 4);
	ihdr[8] = 8; // bit depth
	ihdr[9] = 2; // colour type RGB
	ihdr[10] = 0;
	ihdr[11] = 0;
	ihdr[12] = 0;
	// PNG filter type 1 (Sub) on every row: a gradient becomes runs of tiny deltas → a few KB.
	const filtered = Buffer.alloc(raw.length);
	for (let y = 0; y < height; y++) {
		const off = y * rowLen;
		filtered[off] = 1;
		for (let i = 1; i < rowLen; i++) {
			filtered[off + i] = (raw[off + i] - (i > 3 ? raw[off + i - 3] : 0)) & 0xff;
		}
	}
	const idat = zlib.deflateSync(filtered, { level: 9 });
	return Buffer.concat([PNG_SIGNATURE, pngChunk('IHDR', ihdr), pngChunk('IDAT', idat)]);
}

const PNG_IEND = pngChunk('IEND', Buffer.alloc(0));

/** A complete small PNG. */
function makePng({ width = 256, height = 256, seed = 'kie' } = {}) {
	return Buffer.concat([pngHead(width, height, seed), PNG_IEND]);
}

const FILL_MAX = 1 << 20; // 1 MiB of zero data per filler chunk
const ZERO = Buffer.alloc(FILL_MAX);
const zeroCrcCache = new Map();
function fillCrc(len) {
	if (!zeroCrcCache.has(len)) zeroCrcCache.set(len, crc32(Buffer.from('fiLl', 'ascii'), ZERO.subarray(0, len)));
	return zeroCrcCache.get(len);
}

/** Sizes of the filler chunk payloads needed to pad `remaining` bytes (each chunk costs 12 + size). */
function fillPlan(remaining) {
	const sizes = [];
	let r = remaining;
	while (r >= 12) {
		if (r - 12 <= FILL_MAX) {
			sizes.push(r - 12);
			r = 0;
			break;
		}
		let d = FILL_MAX;
		if (r - (d + 12) < 12) d = FILL_MAX - 12;
		sizes.push(d);
		r -= d + 12;
	}
	return { sizes, leftover: r };
}

function* pngStreamChunks(head, totalBytes) {
	yield head;
	const { sizes } = fillPlan(totalBytes - head.length - PNG_IEND.length);
	for (const d of sizes) {
		const hdr = Buffer.alloc(8);
		hdr.writeUInt32BE(d, 0);
		hdr.write('fiLl', 4, 'ascii');
		yield hdr;
		if (d > 0) yield ZERO.subarray(0, d);
		const crc = Buffer.alloc(4);
		crc.writeUInt32BE(fillCrc(d), 0);
		yield crc;
	}
	yield PNG_IEND;
}

/** Exact size a padded PNG will have when `requested` bytes are asked for. */
function pngPaddedSize(headLen, requested) {
	const min = headLen + PNG_IEND.length;
	if (requested <= min) return min;
	const { leftover } = fillPlan(requested - min);
	return requested - leftover;
}

// ---- MP4 ----------------------------------------------------------------

function mp4Ftyp() {
	const b = Buffer.alloc(32);
	b.writeUInt32BE(32, 0);
	b.write('ftyp', 4, 'ascii');
	b.write('isom', 8, 'ascii');
	b.writeUInt32BE(0x200, 12);
	b.write('isomiso2avc1mp41', 16, 'ascii');
	return b;
}

function mdatHeader(payloadLen) {
	const b = Buffer.alloc(8);
	b.writeUInt32BE(payloadLen + 8, 0);
	b.write('mdat', 4, 'ascii');
	return b;
}

function seededBytes(n, seed) {
	const out = Buffer.alloc(n);
	let x = hashSeed(seed) || 1;
	for (let i = 0; i < n; i++) {
		x ^= x << 13;
		x ^= x >>> 17;
		x ^= x << 5;
		out[i] = x & 0xff;
	}
	return out;
}

function makeMp4({ bytes = 4096, seed = 'kie' } = {}) {
	const ftyp = mp4Ftyp();
	const payload = Math.max(0, bytes - ftyp.length - 8);
	return Buffer.concat([ftyp, mdatHeader(payload), seededBytes(payload, seed)]);
}

function* mp4StreamChunks(totalBytes) {
	const ftyp = mp4Ftyp();
	const payload = Math.max(0, totalBytes - ftyp.length - 8);
	yield ftyp;
	yield mdatHeader(payload);
	let left = payload;
	while (left > 0) {
		const n = Math.min(left, FILL_MAX);
		yield ZERO.subarray(0, n);
		left -= n;
	}
}

// ---- MP3 ----------------------------------------------------------------

const ID3 = Buffer.from([0x49, 0x44, 0x33, 0x04, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00]);
const MP3_FRAME_LEN = 417; // MPEG-1 Layer III, 128 kbit/s, 44.1 kHz, no padding
const MP3_FRAME = (() => {
	const f = Buffer.alloc(MP3_FRAME_LEN);
	f[0] = 0xff;
	f[1] = 0xfb;
	f[2] = 0x90;
	f[3] = 0x64;
	return f;
})();

function makeMp3({ bytes = 4 * MP3_FRAME_LEN + ID3.length } = {}) {
	return Buffer.concat(Array.from(mp3StreamChunks(bytes)));
}

function* mp3StreamChunks(totalBytes) {
	yield ID3;
	let left = Math.max(0, totalBytes - ID3.length);
	const block = Buffer.concat(Array(2048).fill(MP3_FRAME)); // ~850 KB of whole frames
	while (left > 0) {
		const n = Math.min(left, block.length);
		yield block.subarray(0, n);
		left -= n;
	}
}

// ---- public -------------------------------------------------------------

const MEDIA = {
	image: { ext: 'png', mimeType: 'image/png' },
	video: { ext: 'mp4', mimeType: 'video/mp4' },
	audio: { ext: 'mp3', mimeType: 'audio/mpeg' },
	wav: { ext: 'wav', mimeType: 'audio/wav' },
};

/** A real WAV file: RIFF/WAVE, PCM 16-bit mono 8 kHz, `samples` of silence (Suno's WAV conversion). */
function makeWav({ samples = 4000 } = {}) {
	const data = samples * 2;
	const head = Buffer.alloc(44);
	head.write('RIFF', 0, 'ascii');
	head.writeUInt32LE(36 + data, 4);
	head.write('WAVE', 8, 'ascii');
	head.write('fmt ', 12, 'ascii');
	head.writeUInt32LE(16, 16);
	head.writeUInt16LE(1, 20); // PCM
	head.writeUInt16LE(1, 22); // mono
	head.writeUInt32LE(8000, 24);
	head.writeUInt32LE(16000, 28);
	head.writeUInt16LE(2, 32);
	head.writeUInt16LE(16, 34);
	head.write('data', 36, 'ascii');
	head.writeUInt32LE(data, 40);
	return Buffer.concat([head, Buffer.alloc(data)]);
}

/**
 * Describe one result file. Returns { mimeType, size, buffer? , stream() }.
 * `spec` = { media: 'image'|'video'|'audio', aspect?, seed, resultBytes? }.
 * Small files are built once (buffer); with `resultBytes` the body is generated on the fly.
 */
function resultFile(spec) {
	const media = MEDIA[spec.media] ? spec.media : 'image';
	const { mimeType } = MEDIA[media];
	const big = typeof spec.resultBytes === 'number' && spec.resultBytes > 0;
	if (media === 'image') {
		const { width, height } = dimensionsFor(spec.aspect);
		const head = pngHead(width, height, spec.seed);
		if (!big) {
			const buffer = Buffer.concat([head, PNG_IEND]);
			return { mimeType, size: buffer.length, buffer, stream: () => Readable.from([buffer], { objectMode: false }) };
		}
		const size = pngPaddedSize(head.length, spec.resultBytes);
		return {
			mimeType,
			size,
			stream: () => Readable.from(pngStreamChunks(head, size), { objectMode: false, highWaterMark: 1 << 16 }),
		};
	}
	if (media === 'video') {
		if (!big) {
			const buffer = makeMp4({ bytes: 4096, seed: spec.seed });
			return { mimeType, size: buffer.length, buffer, stream: () => Readable.from([buffer], { objectMode: false }) };
		}
		const size = Math.max(40, spec.resultBytes);
		return { mimeType, size, stream: () => Readable.from(mp4StreamChunks(size), { objectMode: false, highWaterMark: 1 << 16 }) };
	}
	if (media === 'wav') {
		const buffer = makeWav({ samples: big ? Math.max(0, Math.floor((spec.resultBytes - 44) / 2)) : 4000 });
		return { mimeType, size: buffer.length, buffer, stream: () => Readable.from([buffer], { objectMode: false }) };
	}
	if (!big) {
		const buffer = makeMp3();
		return { mimeType, size: buffer.length, buffer, stream: () => Readable.from([buffer], { objectMode: false }) };
	}
	const size = Math.max(ID3.length, spec.resultBytes);
	return { mimeType, size, stream: () => Readable.from(mp3StreamChunks(size), { objectMode: false, highWaterMark: 1 << 16 }) };
}

const EXT_MIME = {
	png: 'image/png',
	jpg: 'image/jpeg',
	jpeg: 'image/jpeg',
	jfif: 'image/jpeg',
	pjpeg: 'image/jpeg',
	pjp: 'image/jpeg',
	webp: 'image/webp',
	gif: 'image/gif',
	bmp: 'image/bmp',
	svg: 'image/svg+xml',
	mp4: 'video/mp4',
	mov: 'video/quicktime',
	webm: 'video/webm',
	avi: 'video/x-msvideo',
	mkv: 'video/x-matroska',
	mp3: 'audio/mpeg',
	wav: 'audio/wav',
	ogg: 'audio/ogg',
	m4a: 'audio/mp4',
	aac: 'audio/aac',
	flac: 'audio/flac',
	txt: 'text/plain',
	json: 'application/json',
	pdf: 'application/pdf',
};
const MIME_EXT = {};
for (const [ext, mime] of Object.entries(EXT_MIME)) if (!MIME_EXT[mime]) MIME_EXT[mime] = ext;

function mimeFromName(name) {
	const m = /\.([A-Za-z0-9]+)$/.exec(String(name || ''));
	return m ? EXT_MIME[m[1].toLowerCase()] : undefined;
}

function extFromMime(mime) {
	return MIME_EXT[String(mime || '').split(';')[0].trim().toLowerCase()];
}

module.exports = {
	MEDIA,
	crc32,
	dimensionsFor,
	makePng,
	makeMp4,
	makeMp3,
	makeWav,
	resultFile,
	mimeFromName,
	extFromMime,
	PNG_SIGNATURE,
};
