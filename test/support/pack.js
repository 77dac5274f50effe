// The files `npm pack` would put in the package, for the package contents test. Plain JS: TypeScript
// tests may not use Node built-ins (the lint of n8n's community nodes).
const { spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const ROOT = path.resolve(__dirname, '..', '..');

/** Builds the package when dist/ is missing (a fresh clone), then lists what `npm pack` would ship. */
function packedFiles() {
	if (!fs.existsSync(path.join(ROOT, 'dist', 'nodes'))) {
		const build = spawnSync('npm', ['run', '--silent', 'build'], { cwd: ROOT, encoding: 'utf8' });
		if (build.status !== 0) throw new Error(`npm run build failed:\n${build.stdout}\n${build.stderr}`);
	}
	const pack = spawnSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: ROOT, encoding: 'utf8' });
	if (pack.status !== 0) throw new Error(`npm pack failed:\n${pack.stderr}`);
	const [result] = JSON.parse(pack.stdout);
	return result.files.map((file) => file.path).sort();
}

module.exports = { packedFiles };
