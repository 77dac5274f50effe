// The compiled package (dist/) for maintainer scripts: a module of it, or a clear message to build first.
const fs = require('fs');
const path = require('path');

const ROOT = path.resolve(__dirname, '..', '..');

/** `require` of `dist/<relative>` (e.g. 'nodes/shared/registry/index.js'); exits 1 asking for a build when it is missing. */
function requireCompiled(relative) {
	const file = path.join(ROOT, 'dist', relative);
	if (!fs.existsSync(file)) {
		process.stderr.write(`dist/ has no ${relative}: run \`npm run build\` first.\n`);
		process.exit(1);
	}
	return require(file);
}

module.exports = { requireCompiled, ROOT };
