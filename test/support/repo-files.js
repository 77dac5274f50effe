'use strict';
// Reads files of this repository for tests (the lint rules keep node:fs out of .ts files).
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.join(__dirname, '..', '..');

/** The text of a repository file, or null when it does not exist. */
function readRepoText(relativePath) {
	const file = path.join(ROOT, relativePath);
	return fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : null;
}

module.exports = { readRepoText };
