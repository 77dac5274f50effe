import fc from 'fast-check';

import { checkBase64Upload, normalizeUploadPath, parseHumanSize } from '../../nodes/shared/api/upload';
import { clockMs, fuzz } from './support';

/**
 * KIE Upload File takes "Base64 Data", an upload path and sizes from a form or a sheet. Every check runs
 * before anything is sent, in time linear in the input: random and hostile texts (long runs of whitespace,
 * padding, `data:` prefixes) never throw, never stall, and a text accepted as base64 decodes to exactly
 * the bytes the check says.
 */

const base64Char = fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/='.split(''));
const noise = fc.constantFrom(' ', '\n', '\r\n', '\t', '!', ';', ',', 'data:', ';base64,', '=', '-', '_');
const run = fc.tuple(fc.oneof(base64Char, noise), fc.integer({ min: 1, max: 20_000 })).map(([text, count]) => text.repeat(count));
const text = fc.oneof(
	fc.string({ maxLength: 300 }),
	fc.array(fc.oneof(base64Char, noise), { maxLength: 400 }).map((parts) => parts.join('')),
	fc.array(run, { maxLength: 6 }).map((parts) => parts.join('')),
	fc.uint8Array({ maxLength: 3_000 }).map((bytes) => Buffer.from(bytes).toString('base64')),
	fc.tuple(fc.constantFrom('data:image/png;base64,', 'data:;base64,', 'DATA:text/plain;BASE64,', 'data:image/png,'), fc.uint8Array({ maxLength: 2_000 })).map(
		([prefix, bytes]) => `${prefix}${Buffer.from(bytes).toString('base64')}`,
	),
);

describe('fuzz: KIE Upload File inputs', () => {
	it('base64 data: no throw, linear time, and accepted text decodes to the bytes it was counted as', async () => {
		const figures = await fuzz('upload: base64 data and data URLs', text, (input) => {
			const started = clockMs();
			const result = checkBase64Upload(input, 1024 * 1024);
			const ms = clockMs() - started;
			if (ms > 50) throw new Error(`took ${ms.toFixed(1)} ms for ${input.length} characters`);
			if (!result.ok) return true;
			const payload = result.mimeType !== undefined || /^data:/i.test(result.text) ? result.text.slice(result.text.indexOf(',') + 1) : result.text;
			return Buffer.from(payload.replace(/\s+/g, ''), 'base64').length === result.bytes;
		});
		expect(figures.failures).toBe(0);
	});

	it('upload paths and human sizes: no throw, linear time', async () => {
		const figures = await fuzz('upload: upload path and size texts', fc.oneof(text, fc.string({ maxLength: 200 })), (input) => {
			const started = clockMs();
			const path = normalizeUploadPath(input);
			parseHumanSize(input);
			const ms = clockMs() - started;
			if (ms > 50) throw new Error(`took ${ms.toFixed(1)} ms for ${input.length} characters`);
			return !path.startsWith('/') && !path.endsWith('/');
		});
		expect(figures.failures).toBe(0);
	});
});
