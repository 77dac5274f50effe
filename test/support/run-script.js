// Runs one of the project's scripts in its own Node process, for tests (TypeScript tests may not use
// child processes: the lint of n8n's community nodes).
const { spawnSync } = require('child_process');
const path = require('path');

const ROOT = path.resolve(__dirname, '..', '..');

/** `node <script> ...args` from the project root; resolves with its exit status and output. */
function runScript(script, args = [], { timeoutMs = 120000, env = {} } = {}) {
	const result = spawnSync(process.execPath, [path.join(ROOT, script), ...args], { cwd: ROOT, encoding: 'utf8', timeout: timeoutMs, env: { ...process.env, ...env } });
	return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

module.exports = { runScript };
