// Build step after `n8n-node build`: writes each node's codex file (<Node>.node.json) into dist/.
// n8n reads the codex for the node panel: categories, documentation links and search aliases. The
// aliases come from the compiled model registry, so searching "GPT Image" or "OpenAI" in the node
// panel finds KIE Create Task, and the list never drifts from the models the node really supports.
const { src, dest, series } = require('gulp');
const fs = require('fs');
const path = require('path');

const pkg = require('./package.json');
const DOCS = `${pkg.homepage.replace(/#.*$/, '')}#readme`;
const CREDENTIAL_DOCS = `${pkg.homepage.replace(/#.*$/, '')}#credentials`;

const NODES = {
	KieCreateTask: { name: 'kieCreateTask', aliases: ['generate', 'image', 'video', 'audio', 'AI'], withModels: true },
	KieGetTask: { name: 'kieGetTask', aliases: ['task status', 'result', 'poll'] },
	KieTrigger: { name: 'kieTrigger', aliases: ['callback', 'webhook', 'result'], trigger: true },
	KieAccount: { name: 'kieAccount', aliases: ['credits', 'balance', 'models', 'catalogue', 'price', 'download'] },
	KieUploadFile: { name: 'kieUploadFile', aliases: ['upload', 'file', 'image', 'input', 'URL', 'base64'] },
};

function modelAliases() {
	const { MODELS } = require('./dist/nodes/shared/registry');
	const aliases = new Set();
	for (const model of MODELS) {
		aliases.add(model.family);
		aliases.add(model.provider);
		aliases.add(model.displayName.split(' — ')[0]);
	}
	return [...aliases];
}

function codex(done) {
	const models = modelAliases();
	for (const [folder, node] of Object.entries(NODES)) {
		const file = path.join('dist', 'nodes', folder, `${folder}.node.json`);
		if (!fs.existsSync(path.dirname(file))) throw new Error(`${path.dirname(file)} is missing: run n8n-node build first`);
		const content = {
			node: `${pkg.name}.${node.name}`,
			nodeVersion: '1.0',
			codexVersion: '1.0',
			categories: node.trigger ? ['AI', 'Marketing', 'Development'] : ['AI', 'Marketing'],
			subcategories: { AI: ['Image', 'Video', 'Audio'] },
			resources: {
				credentialDocumentation: [{ url: CREDENTIAL_DOCS }],
				primaryDocumentation: [{ url: DOCS }],
			},
			alias: [...new Set(['KIE', 'kie.ai', ...node.aliases, ...(node.withModels ? models : [])])],
		};
		fs.writeFileSync(file, `${JSON.stringify(content, null, '\t')}\n`);
	}
	done();
}

// The license travels with the built package.
function license() {
	return src('LICENSE').pipe(dest('dist'));
}

exports.codex = codex;
exports.build = series(codex, license);
