'use strict';
// A tiny HTTP server for the harness's own tests (CommonJS, node built-ins only).
//   GET  /api/v1/chat/credit  KIE-style: {code:200,msg:'success',data:<credits>} for the right
//                             Bearer key, {code:401,...} in HTTP 200 otherwise
//   GET  /html/...            an HTML page (not a KIE envelope)
//   ANY  /echo                {method, path, query, headers, body}
//   GET  /bytes?size=N        N deterministic bytes (i % 251), image/png
//   GET  /slow?ms=N           answers after N ms; records `aborted: true` if the client hangs up
//   ANY  /status/<code>       that HTTP status with a JSON body
const http = require('node:http');

function startEchoServer({ port = 0, host = '127.0.0.1', apiKey = 'echo-key', credits = 42 } = {}) {
	const requests = [];
	const sockets = new Set();
	const server = http.createServer((req, res) => {
		const chunks = [];
		req.on('data', (c) => chunks.push(c));
		req.on('end', () => {
			const raw = Buffer.concat(chunks);
			const url = new URL(req.url, 'http://localhost');
			let body = raw.length ? raw.toString('utf8') : undefined;
			if (body !== undefined && /json/.test(req.headers['content-type'] || '')) {
				try {
					body = JSON.parse(body);
				} catch {
					// keep the text
				}
			}
			const record = {
				method: req.method,
				path: url.pathname,
				query: Object.fromEntries(url.searchParams),
				headers: req.headers,
				body,
				aborted: false,
			};
			requests.push(record);
			const json = (status, data) => {
				res.writeHead(status, { 'content-type': 'application/json' });
				res.end(JSON.stringify(data));
			};

			if (url.pathname.startsWith('/html/')) {
				res.writeHead(200, { 'content-type': 'text/html' });
				res.end('<html><body>not KIE</body></html>');
				return;
			}
			if (url.pathname === '/api/v1/chat/credit') {
				if (req.headers.authorization === `Bearer ${apiKey}`) {
					json(200, { code: 200, msg: 'success', data: credits });
				} else {
					json(200, { code: 401, msg: 'You do not have access permissions' });
				}
				return;
			}
			if (url.pathname === '/echo') {
				json(200, {
					method: record.method,
					path: record.path,
					query: record.query,
					headers: record.headers,
					body: record.body,
				});
				return;
			}
			if (url.pathname === '/bytes') {
				const size = Number(url.searchParams.get('size') || 16);
				const buf = Buffer.alloc(size);
				for (let i = 0; i < size; i++) buf[i] = i % 251;
				res.writeHead(200, { 'content-type': 'image/png', 'content-length': String(size) });
				res.end(buf);
				return;
			}
			if (url.pathname === '/slow') {
				const ms = Number(url.searchParams.get('ms') || 5000);
				const timer = setTimeout(() => json(200, { slow: true, ms }), ms);
				res.on('close', () => {
					if (!res.writableFinished) {
						record.aborted = true;
						clearTimeout(timer);
					}
				});
				return;
			}
			const status = /^\/status\/(\d{3})$/.exec(url.pathname);
			if (status) {
				json(Number(status[1]), { status: Number(status[1]), message: 'as requested' });
				return;
			}
			json(404, { error: 'not found', path: url.pathname });
		});
	});
	server.on('connection', (socket) => {
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
	});
	return new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(port, host, () => {
			const { port: actual } = server.address();
			resolve({
				url: `http://${host}:${actual}`,
				port: actual,
				requests,
				close: () =>
					new Promise((done) => {
						for (const socket of sockets) socket.destroy();
						server.close(() => done());
					}),
			});
		});
	});
}

module.exports = { startEchoServer };
