// The relative imports of the package's source files, for the layout test. Plain JS: TypeScript tests
// may not use Node built-ins.
const fs = require('fs');
const path = require('path');

const ROOT = path.resolve(__dirname, '..', '..');

function sourceFiles(dir) {
	const out = [];
	for (const entry of fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true })) {
		const rel = path.join(dir, entry.name);
		if (entry.isDirectory()) out.push(...sourceFiles(rel));
		else if (entry.name.endsWith('.ts')) out.push(rel);
	}
	return out;
}

function resolve(fromFile, spec) {
	const base = path.normalize(path.join(path.dirname(fromFile), spec));
	for (const candidate of [`${base}.ts`, path.join(base, 'index.ts'), base]) {
		if (fs.existsSync(path.join(ROOT, candidate)) && fs.statSync(path.join(ROOT, candidate)).isFile()) return candidate;
	}
	return base;
}

/** Every source file under `dirs` with the repository paths of the files it imports (relative imports only). */
function importGraph(dirs = ['nodes', 'credentials']) {
	const graph = {};
	for (const file of dirs.flatMap(sourceFiles)) {
		const text = fs.readFileSync(path.join(ROOT, file), 'utf8');
		const specs = [...text.matchAll(/(?:from|import)\s*['"](\.{1,2}\/[^'"]+)['"]/g)].map((match) => match[1]);
		graph[file] = [...new Set(specs.map((spec) => resolve(file, spec)))];
	}
	return graph;
}

module.exports = { importGraph };
