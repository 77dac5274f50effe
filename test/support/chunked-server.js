'use strict';
/**
 * A file server for download tests: GET /bytes/<n>.<ext> answers n bytes of the extension's MIME type,
 * chunked (no Content-Length) unless ?length=1, so a size limit must count the streamed bytes.
 */
const http = require('http');

const TYPES = { png: 'image/png', mp4: 'video/mp4', bin: 'application/octet-stream' };

async function startChunkedServer() {
	const server = http.createServer((req, res) => {
		const url = new URL(req.url, 'http://localhost');
		const match = /^\/bytes\/(\d+)\.(\w+)$/.exec(url.pathname);
		if (!match) {
			res.writeHead(404).end();
			return;
		}
		const size = Number(match[1]);
		const headers = { 'Content-Type': TYPES[match[2]] || 'application/octet-stream' };
		if (url.searchParams.get('length') === '1') headers['Content-Length'] = String(size);
		res.writeHead(200, headers);
		const chunk = Buffer.alloc(64 * 1024, 7);
		let sent = 0;
		const pump = () => {
			while (sent < size) {
				const part = chunk.subarray(0, Math.min(chunk.length, size - sent));
				sent += part.length;
				if (!res.write(part)) {
					res.once('drain', pump);
					return;
				}
			}
			res.end();
		};
		res.on('close', () => (sent = size));
		pump();
	});
	await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address();
	return {
		url: `http://127.0.0.1:${port}`,
		close: () =>
			new Promise((resolve) => {
				server.closeAllConnections?.();
				server.close(() => resolve());
			}),
	};
}

module.exports = { startChunkedServer };
