'use strict';
// Node built-ins and n8n internals the TypeScript harness may not import directly (the n8n
// community lint rules allow only relative paths and devDependencies in .ts files).
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const tempDirs = new Set();

function makeTempDir(prefix = 'kie-harness-') {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
	tempDirs.add(dir);
	return dir;
}

function removeDir(dir) {
	fs.rmSync(dir, { recursive: true, force: true });
	tempDirs.delete(dir);
}

function removeTempDirs() {
	for (const dir of [...tempDirs]) removeDir(dir);
}

// Under jest, remove this test file's temp dirs after its tests; the exit hook is a fallback.
if (typeof afterAll === 'function') {
	try {
		afterAll(() => removeTempDirs());
	} catch {
		// loaded inside a test: hooks cannot be added there, rely on the exit hook
	}
}

process.once('exit', () => {
	for (const dir of tempDirs) {
		try {
			fs.rmSync(dir, { recursive: true, force: true });
		} catch {
			// best effort at exit
		}
	}
});

function readFile(file) {
	return fs.readFileSync(file);
}

function listFiles(dir) {
	const out = [];
	const walk = (d) => {
		for (const entry of fs.readdirSync(d, { withFileTypes: true })) {
			const full = path.join(d, entry.name);
			if (entry.isDirectory()) walk(full);
			else out.push(full);
		}
	};
	if (fs.existsSync(dir)) walk(dir);
	return out;
}

/** A Logger that drops everything; stands in for @n8n/backend-common's Logger in the DI container. */
function createSilentLogger() {
	const logger = {
		error() {},
		warn() {},
		info() {},
		debug() {},
		scoped() {
			return logger;
		},
	};
	return logger;
}

/** The DI token of @n8n/backend-common's Logger (a transitive dependency of n8n-core). */
function getLoggerToken() {
	return require('@n8n/backend-common').Logger;
}

module.exports = {
	makeTempDir,
	removeDir,
	removeTempDirs,
	readFile,
	listFiles,
	createSilentLogger,
	getLoggerToken,
};
