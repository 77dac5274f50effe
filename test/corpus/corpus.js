'use strict';
// Reads the KIE corpus (real answers and callbacks of KIE, with what the package should make of them)
// from the `shared` folder beside the repository. The corpus is never copied into the repository: the
// suite reads the folder at test time, so a sample added to it later is tested too. File access lives
// here, in plain JS, because the package's lint allows no `fs`/`path` in .ts test files.
const fs = require('node:fs');
const path = require('node:path');

/** `<repository>/../shared/kie-corpus`. */
const CORPUS_DIR = path.resolve(__dirname, '../../../shared/kie-corpus');

/**
 * Every `*.json` sample of the corpus, sorted by file name, with the file it came from. Throws (the
 * suite then fails, it does not skip) when the folder is missing or holds no sample.
 */
function loadCorpus(dir = CORPUS_DIR) {
	if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) {
		throw new Error(`The KIE corpus folder ${dir} is missing: check out the shared folder beside the repository (../shared/kie-corpus).`);
	}
	const files = fs.readdirSync(dir).filter((name) => name.endsWith('.json')).sort();
	if (files.length === 0) throw new Error(`The KIE corpus folder ${dir} holds no *.json sample.`);
	return files.map((file) => {
		const text = fs.readFileSync(path.join(dir, file), 'utf8');
		let sample;
		try {
			sample = JSON.parse(text);
		} catch (error) {
			throw new Error(`Corpus sample ${file} is not valid JSON: ${error.message}`);
		}
		return { file, sample };
	});
}

module.exports = { CORPUS_DIR, loadCorpus };
