import {
	mimeAccepted,
	multipartFrame,
	normalizeUploadPath,
	parseHumanSize,
	toUploadResult,
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
