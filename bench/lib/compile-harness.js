// Compiles the in-process test harness (test/support/harness.ts) and the given node sources to CommonJS
// in `tmp`, for the plain-JS benchmarks. Returns the output folder.
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.join(__dirname, '..', '..');

/** `root`: the tree to compile (default this one; a worktree of another commit for a baseline). */
function compileHarness(tmp, sources, root = ROOT) {
	const outDir = path.join(tmp, 'build');
	const config = path.join(tmp, 'tsconfig.json');
	fs.writeFileSync(
		config,
		JSON.stringify({
			extends: path.join(root, 'tsconfig.json'),
			compilerOptions: {
				outDir,
				rootDir: root,
				noEmit: false,
				incremental: false,
				declaration: false,
				sourceMap: false,
				allowJs: true,
				target: 'es2022',
				lib: ['es2022', 'dom'],
				types: ['node'],
				typeRoots: [path.join(ROOT, 'node_modules/@types')],
				noUnusedLocals: false,
			},
			include: [],
			files: [path.join(root, 'test/support/harness.ts'), ...sources.map((source) => path.join(root, source))],
		}),
	);
	execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', config], { cwd: root, stdio: 'inherit' });
	// Plain .js modules with a .d.ts beside them are not emitted: copy them.
	for (const name of fs.readdirSync(path.join(root, 'test/support'))) {
		if (name.endsWith('.js')) fs.copyFileSync(path.join(root, 'test/support', name), path.join(outDir, 'test/support', name));
	}
	// The compiled files resolve the package's dependencies through a link to its node_modules.
	fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(tmp, 'node_modules'), 'dir');
	return outDir;
}

module.exports = { compileHarness };
