import { randomBytes } from 'crypto';
import fc from 'fast-check';
import type { IExecuteFunctions } from 'n8n-workflow';

import {
	base64TextLimit,
	checkBase64Upload,
	inspectBase64,
	mimeAccepted,
	multipartFrame,
	normalizeUploadPath,
	parseHumanSize,
	toUploadResult,
	uploadBase64,
	uploadRefused,
	UPLOAD_TTL_MS,
} from '../../../nodes/shared/api/upload';

describe('upload: paths, types and sizes', () => {
	it('trims the upload path of spaces and slashes, with n8n/uploads when empty', () => {
		expect(normalizeUploadPath(' /images/user-uploads/ ')).toBe('images/user-uploads');
		expect(normalizeUploadPath('///')).toBe('n8n/uploads');
		expect(normalizeUploadPath(undefined)).toBe('n8n/uploads');
	});

	it('matches MIME types exactly, by wildcard, or accepts any type without a list', () => {
		expect(mimeAccepted('image/png', ['image/jpeg', 'image/png'])).toBe(true);
		expect(mimeAccepted('IMAGE/PNG; charset=binary', ['image/*'])).toBe(true);
		expect(mimeAccepted('video/mp4', ['image/*'])).toBe(false);
		expect(mimeAccepted('application/pdf', ['*/*'])).toBe(true);
		expect(mimeAccepted('application/pdf', undefined)).toBe(true);
	});

	it('reads n8n\'s human file sizes', () => {
		expect(parseHumanSize('1.2 MB')).toBe(1_200_000);
		expect(parseHumanSize('512 kB')).toBe(512_000);
		expect(parseHumanSize('30 B')).toBe(30);
		expect(parseHumanSize('2 MiB')).toBe(2 * 1024 * 1024);
		expect(parseHumanSize('a lot')).toBeUndefined();
	});
});

describe('upload: KIE\'s answer', () => {
	const now = () => new Date('2026-11-30T12:00:00.000Z');

	it('reads the current shape, with the expiry 24 h after the upload', () => {
		const result = toUploadResult(
			{ downloadUrl: 'https://tempfile.redpandaai.co/n8n/a.png', fileName: 'a.png', filePath: 'n8n/a.png', fileSize: 42, mimeType: 'image/png', uploadedAt: '2026-11-30T10:00:00.000Z' },
			{},
			now,
		);
		expect(result).toEqual({
			downloadUrl: 'https://tempfile.redpandaai.co/n8n/a.png',
			fileName: 'a.png',
			filePath: 'n8n/a.png',
			fileSize: 42,
			mimeType: 'image/png',
			uploadedAt: '2026-11-30T10:00:00.000Z',
			expiresAt: new Date(Date.parse('2026-11-30T10:00:00.000Z') + UPLOAD_TTL_MS).toISOString(),
		});
	});

	it('reads the older quickstart shape, filling gaps from what was sent', () => {
		const result = toUploadResult({ fileUrl: 'https://f.example/x.jpg', originalName: 'x.jpg', uploadTime: 1764496800000 }, { fileSize: 7, mimeType: 'image/jpeg' }, now);
		expect(result).toMatchObject({ downloadUrl: 'https://f.example/x.jpg', fileName: 'x.jpg', fileSize: 7, mimeType: 'image/jpeg', uploadedAt: '2025-11-30T10:00:00.000Z' });
	});

	it('reads live KIE\'s answer: the second `success` inside data, filePath under kieai/<userId>/ kept as given (corpus upload-stream-1)', () => {
		const data = {
			success: true,
			fileName: '2way-person1.jpg',
			filePath: 'kieai/183531/images/user-uploads/2way-person1.jpg',
			downloadUrl: 'https://tempfile.redpandaai.co/kieai/183531/images/user-uploads/2way-person1.jpg',
			fileSize: 2352983,
			mimeType: 'image/jpeg',
			uploadedAt: '2026-03-26T07:09:51.748Z',
		};
		expect(uploadRefused(data)).toBe(false);
		expect(toUploadResult(data, {}, now)).toEqual({
			downloadUrl: 'https://tempfile.redpandaai.co/kieai/183531/images/user-uploads/2way-person1.jpg',
			fileName: '2way-person1.jpg',
			filePath: 'kieai/183531/images/user-uploads/2way-person1.jpg',
			fileSize: 2352983,
			mimeType: 'image/jpeg',
			uploadedAt: '2026-03-26T07:09:51.748Z',
			expiresAt: new Date(Date.parse('2026-03-26T07:09:51.748Z') + UPLOAD_TTL_MS).toISOString(),
		});
	});

	it('has no result when data.success is false, even with a download URL', () => {
		for (const success of [false, 'false']) {
			const data = { success, downloadUrl: 'https://tempfile.redpandaai.co/kieai/1/x.png', fileName: 'x.png' };
			expect(uploadRefused(data)).toBe(true);
			expect(toUploadResult(data, {}, now)).toBeUndefined();
		}
		expect(uploadRefused({ downloadUrl: 'https://f.example/y' })).toBe(false);
		expect(uploadRefused(null)).toBe(false);
	});

	it('fails an upload KIE answered with data.success false (code 200), saying so', async () => {
		const ctx = {
			getCredentials: async () => ({ apiKey: 'key of the upload tests', baseUrl: 'https://kie.test', uploadBaseUrl: 'https://upload.kie.test' }),
			getNode: () => ({ id: 'n', name: 'KIE', type: 'kieUploadFile', typeVersion: 1, position: [0, 0], parameters: {} }),
			getExecutionCancelSignal: () => undefined,
			helpers: {
				httpRequestWithAuthentication: async () => ({
					statusCode: 200,
					headers: {},
					body: { success: true, code: 200, msg: 'File uploaded successfully', data: { success: false, msg: 'storage is full', downloadUrl: 'https://tempfile.redpandaai.co/kieai/1/x.png' } },
				}),
			},
		} as unknown as IExecuteFunctions;
		await expect(uploadBase64.call(ctx, 1, 'QUJD')).rejects.toThrow('Item 2: KIE answered that the upload failed: storage is full');
	});

	it('has no result without a download URL, and dates an answer without a time now', () => {
		expect(toUploadResult({ fileName: 'x' })).toBeUndefined();
		expect(toUploadResult(null)).toBeUndefined();
		expect(toUploadResult({ downloadUrl: 'https://f.example/y' }, {}, now)?.uploadedAt).toBe('2026-11-30T12:00:00.000Z');
	});
});

describe('upload: the multipart body around the file', () => {
	it('puts the fields first, then the file part, and closes the boundary after the file bytes', () => {
		const frame = multipartFrame({ uploadPath: 'n8n/uploads', fileName: undefined }, { fieldName: 'file', fileName: 'a "b".png', mimeType: 'image/png' }, 'XYZ');
		expect(frame.contentType).toBe('multipart/form-data; boundary=XYZ');
		expect(frame.preamble.toString()).toBe(
			'--XYZ\r\nContent-Disposition: form-data; name="uploadPath"\r\n\r\nn8n/uploads\r\n' +
				'--XYZ\r\nContent-Disposition: form-data; name="file"; filename="a %22b%22.png"\r\nContent-Type: image/png\r\n\r\n',
		);
		expect(frame.epilogue.toString()).toBe('\r\n--XYZ--\r\n');
	});

	it('makes a new random boundary for every body', () => {
		const a = multipartFrame({}, { fieldName: 'file', fileName: 'a', mimeType: 'text/plain' });
		const b = multipartFrame({}, { fieldName: 'file', fileName: 'a', mimeType: 'text/plain' });
		expect(a.boundary).toMatch(/^----n8nKieUpload[0-9a-f]{24}$/);
		expect(a.boundary).not.toBe(b.boundary);
	});
});

// -------------------------------------------------------------------------------------------------
// Base64 checks: linear, size first (issue 20, "Trust")
// -------------------------------------------------------------------------------------------------

const MB = 1024 * 1024;

/** How long `run()` takes, in ms. */
function msOf(run: () => unknown): number {
	const started = performance.now();
	run();
	return performance.now() - started;
}

/** An execute context with just what a refused upload needs (no request can be made). */
const refusingContext = {
	getNode: () => ({ id: 'n', name: 'KIE', type: 'kieUploadFile', typeVersion: 1, position: [0, 0], parameters: {} }),
} as unknown as IExecuteFunctions;

/** What the check before it accepted (the regex it replaces), for comparison on short texts. */
function previousCheck(payload: string): number | undefined {
	if (!/^[A-Za-z0-9+/\s]*={0,2}\s*$/.test(payload)) return undefined;
	const clean = payload.replace(/\s+/g, '');
	const padding = clean.endsWith('==') ? 2 : clean.endsWith('=') ? 1 : 0;
	return Math.max(0, Math.floor((clean.length * 3) / 4) - padding);
}

describe('upload: the base64 check is linear and bounded by size first', () => {
	it('refuses 40,000 spaces and a "!", and 1 MB of spaces and a "!", at once (the old regex backtracked for seconds to minutes)', async () => {
		// A bound on the work, not a speed figure: a backtracking check needs seconds for 40,000 spaces and hours
		// for 1 MB (quadratic), a linear one milliseconds; 1 s holds on a machine busy with other jobs.
		for (const text of [`A${' '.repeat(40_000)}!`, `A${' '.repeat(MB)}!`, `${'A'.repeat(MB)}${' '.repeat(MB)}=!`]) {
			expect(msOf(() => expect(checkBase64Upload(text)).toEqual({ ok: false, problem: 'invalid' }))).toBeLessThan(1000);
			const started = performance.now();
			await expect(uploadBase64.call(refusingContext, 0, text)).rejects.toThrow('Item 1: "Base64 Data" is not valid base64');
			expect(performance.now() - started).toBeLessThan(1000);
		}
	});

	it('refuses a 20 MB text by its length alone, before any regex runs', async () => {
		const text = `${' '.repeat(20 * MB)}!`;
		const exec = jest.spyOn(RegExp.prototype, 'exec');
		try {
			let check: ReturnType<typeof checkBase64Upload> | undefined;
			expect(msOf(() => (check = checkBase64Upload(text)))).toBeLessThan(100);
			expect(check).toEqual({ ok: false, problem: 'tooLarge', bytes: Math.floor((text.length * 3) / 4) });
			expect(exec).not.toHaveBeenCalled();
		} finally {
			exec.mockRestore();
		}
		await expect(uploadBase64.call(refusingContext, 0, text)).rejects.toThrow(/^Item 1: the base64 data is 15\.0 MB, more than the 10 MB KIE recommends for base64 uploads$/);
		expect(base64TextLimit(10 * MB)).toBeGreaterThan(Math.ceil((10 * MB * 4) / 3) * 1.2);
	});

	it('accepts valid base64 with line breaks and spaces, plain or as a data URL, with the bytes it holds', () => {
		const bytes = randomBytes(3000 + 2);
		const lines = bytes.toString('base64').replace(/.{76}/g, '$&\r\n');
		expect(checkBase64Upload(`\n ${lines} \n`)).toEqual({ ok: true, text: lines.trim(), bytes: bytes.length });
		expect(checkBase64Upload(`data:image/png;base64,${lines}`)).toEqual({ ok: true, text: `data:image/png;base64,${lines}`.trim(), bytes: bytes.length, mimeType: 'image/png' });
		expect(checkBase64Upload('DATA:;charset=x;BASE64,QQ==')).toEqual({ ok: true, text: 'DATA:;charset=x;BASE64,QQ==', bytes: 1 });
		expect(checkBase64Upload('data:image/png;base64,')).toEqual({ ok: true, text: 'data:image/png;base64,', bytes: 0, mimeType: 'image/png' });
	});

	it('keeps the previous rules: padding only at the end, at most two =, then only whitespace; data URLs must say base64', () => {
		expect(inspectBase64('QQ==')).toEqual({ valid: true, bytes: 1 });
		expect(inspectBase64('QUI=\n')).toEqual({ valid: true, bytes: 2 });
		expect(inspectBase64('Q\u00a0Q\u2028==\ufeff')).toEqual({ valid: true, bytes: 1 });
		for (const invalid of ['QQ===', 'Q=Q', 'QQ= =', 'QQ==A', 'QQ-_', 'QQ==\u200b']) expect(inspectBase64(invalid)).toEqual({ valid: false });
		expect(checkBase64Upload('   ')).toEqual({ ok: false, problem: 'empty' });
		expect(checkBase64Upload('data:text/plain,hello')).toEqual({ ok: false, problem: 'notBase64DataUrl' });
		// A data: prefix without its comma in the first 300 characters is read as plain base64.
		expect(checkBase64Upload(`data:${';'.repeat(MB)},QQ==`)).toEqual({ ok: false, problem: 'invalid' });
		expect(msOf(() => checkBase64Upload(`data:${';'.repeat(MB)}`))).toBeLessThan(100);
	});

	it('accepts what the previous check accepted when its 4-character groups are whole, and counts the bytes it decodes to', () => {
		const alphabet = fc.constantFrom(...'AZaz09+/=!-_ \t\n\r\u00a0\u2028\u200b'.split(''));
		fc.assert(
			fc.property(fc.array(alphabet, { maxLength: 40 }).map((chars) => chars.join('')), (payload) => {
				const inspected = inspectBase64(payload);
				const clean = payload.replace(/\s+/g, '');
				const data = clean.replace(/=+$/, '').length;
				// The previous check also took a stray last character or padding that completes no group
				// ("AAAAA", "AAAA="), and counted bytes that Node does not decode (a fuzz target found it).
				const whole = data % 4 !== 1 && (data === clean.length || clean.length % 4 === 0);
				expect(inspected.valid ? inspected.bytes : undefined).toBe(previousCheck(payload) !== undefined && whole ? Buffer.from(clean, 'base64').length : undefined);
			}),
			{ numRuns: 2000 },
		);
	});

	it('refuses base64 whose last group is one character or whose padding completes no group', () => {
		for (const text of ['AAAAA', 'AAAA=', 'AAAA==', 'AAAAAA=', 'A', 'A==']) expect(inspectBase64(text)).toEqual({ valid: false });
		for (const [text, bytes] of [['AA', 1], ['AA==', 1], ['AAA', 2], ['AAA=', 2], ['AAAA', 3], ['AAAA AA==\n', 4]] as const) expect(inspectBase64(text)).toEqual({ valid: true, bytes });
	});

	it('counts the bytes of any base64, whatever its line breaks (before the padding, as before)', () => {
		fc.assert(
			fc.property(fc.uint8Array({ maxLength: 300 }), fc.integer({ min: 1, max: 80 }), (data, width) => {
				const encoded = Buffer.from(data).toString('base64');
				const padding = encoded.length - encoded.replace(/=+$/, '').length;
				const text = `${encoded.slice(0, encoded.length - padding).replace(new RegExp(`.{${width}}`, 'g'), '$&\n')}${encoded.slice(encoded.length - padding)}\r\n`;
				expect(inspectBase64(text)).toEqual({ valid: true, bytes: data.length });
			}),
		);
	});
});

describe('upload: other texts from outside are read in linear time', () => {
	it('trims slashes of a long upload path at once', () => {
		const path = `a${'/'.repeat(200_000)}b`;
		expect(msOf(() => expect(normalizeUploadPath(`//${path}//`)).toBe(path))).toBeLessThan(100);
		expect(normalizeUploadPath('/'.repeat(100_000))).toBe('n8n/uploads');
	});

	it('reads no long text as a human file size', () => {
		expect(msOf(() => expect(parseHumanSize(`1${' '.repeat(200_000)}x`)).toBeUndefined())).toBeLessThan(100);
		expect(parseHumanSize(' 12 kB ')).toBe(12_000);
	});
});
