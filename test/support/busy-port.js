// A port held by "another program", for the tests of npm start's port handling. Plain JS: the test
// lint allows no Node built-ins in TypeScript files.
const net = require('net');

/** Listens on a free loopback port until `close()`. */
async function occupyPort() {
	const server = net.createServer();
	await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
	return {
		port: server.address().port,
		close: () => new Promise((resolve) => server.close(() => resolve())),
	};
}

module.exports = { occupyPort };
