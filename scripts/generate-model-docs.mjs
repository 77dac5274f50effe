#!/usr/bin/env node
// Writes docs/models.md from the compiled model registry: every model grouped by kind, with its id,
// provider, a table of its parameters and an example request, then the models known to work only as live models (LIVE_ONLY in
// nodes/shared/registry/availability.ts) with their sources. Run after `npm run build`:
//
//   npm run build && npm run docs:models
//
// `--check` only compares and exits 1 when docs/models.md is out of date.
import { existsSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
const { requireCompiled, ROOT: root } = require('./lib/compiled.js');
const { MODELS, paramName } = requireCompiled('nodes/shared/registry/index.js');
const { isAdditionalField } = requireCompiled('nodes/shared/registry/properties.js');
const { LIVE_ONLY } = requireCompiled('nodes/shared/registry/availability.js');
const { exampleRequest } = requireCompiled('nodes/shared/families/examples.js');
const { renderModelDocs } = require('./lib/model-docs.js');

const target = join(root, 'docs', 'models.md');
const markdown = renderModelDocs({ MODELS, paramName, isAdditionalField, LIVE_ONLY, exampleRequest });
if (process.argv.includes('--check')) {
	const current = existsSync(target) ? readFileSync(target, 'utf8') : '';
	if (current !== markdown) {
		console.error('docs/models.md is out of date: run `npm run build && npm run docs:models`.');
		process.exit(1);
	}
	console.log('docs/models.md is up to date.');
} else {
	mkdirSync(dirname(target), { recursive: true });
	writeFileSync(target, markdown);
	console.log(`Wrote docs/models.md: ${MODELS.length} models, ${LIVE_ONLY.length} live only.`);
}
