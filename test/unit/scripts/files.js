// File-system helpers of the `npm start` secrets tests: temporary folders, file modes, n8n's settings file and
// the environment (plain JS, as the scripts under test are).
const fs = require('fs');
const os = require('os');
const path = require('path');

/** A fresh folder under the system's temporary folder. */
function tempFolder(prefix) {
	return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

function removeFolder(dir) {
	fs.rmSync(dir, { recursive: true, force: true });
}

/** The permission bits of a file or folder (e.g. 0o600). */
function modeOf(file) {
	return fs.statSync(file).mode & 0o777;
}

function setMode(file, mode) {
	fs.chmodSync(file, mode);
}

function readText(file) {
	return fs.readFileSync(file, 'utf8');
}

function exists(file) {
	return fs.existsSync(file);
}

/** Writes n8n's own settings file of a user folder (`.n8n/config`), as n8n does on its first start. */
function writeN8nConfig(userFolder, encryptionKey) {
	fs.mkdirSync(path.join(userFolder, '.n8n'), { recursive: true });
	fs.writeFileSync(path.join(userFolder, '.n8n', 'config'), JSON.stringify({ encryptionKey }));
}

/** Runs `run` with the environment variable `name` set to `value` (unset when undefined), then restores it. */
function withEnv(name, value, run) {
	const saved = process.env[name];
	try {
		if (value === undefined) delete process.env[name];
		else process.env[name] = value;
		return run();
	} finally {
		if (saved === undefined) delete process.env[name];
		else process.env[name] = saved;
	}
}

module.exports = { exists, join: path.join, dirname: path.dirname, modeOf, readText, removeFolder, setMode, tempFolder, withEnv, writeN8nConfig };
