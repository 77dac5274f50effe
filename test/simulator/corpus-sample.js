// Reads one sample of KIE's recorded answers (`<repository>/../shared/kie-corpus`, see sources.md there) for the
// simulator's real-KIE tests. Plain JS so it may use the file system.
const fs = require('fs');
const path = require('path');

const CORPUS_DIR = path.resolve(__dirname, '..', '..', '..', 'shared', 'kie-corpus');

/** The `body` of sample `id`, or undefined when the corpus is not on this machine. */
function corpusBody(id) {
	const file = path.join(CORPUS_DIR, `${id}.json`);
	if (!fs.existsSync(file)) return undefined;
	return JSON.parse(fs.readFileSync(file, 'utf8')).body;
}

module.exports = { CORPUS_DIR, corpusBody };
