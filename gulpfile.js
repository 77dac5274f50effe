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

// Where each node sits in the node panel. n8n's editor drops a node of the "AI" category from the
// panel's search unless its AI subcategories include "Root Nodes", and lists it when browsing only
// under subcategories it knows ("Agents" is the AI panel's top level, "Miscellaneous" is AI → Other AI
// Nodes), the way n8n's own AI vendor nodes (OpenAI, Google Gemini) are filed. A trigger of the "AI"
// category never reaches the trigger picker, so KIE Trigger is filed as an app trigger.
const ACTION_CODEX = { categories: ['AI', 'Marketing'], subcategories: { AI: ['Miscellaneous', 'Root Nodes'] } };
const NODES = {
	KieCreateTask: {
		name: 'kieCreateTask',
		aliases: ['generate', 'image', 'video', 'audio', 'AI'],
		withModels: true,
		codex: { categories: ['AI', 'Marketing'], subcategories: { AI: ['Agents', 'Miscellaneous', 'Root Nodes'] } },
	},
	KieGetTask: { name: 'kieGetTask', aliases: ['task status', 'result', 'poll'], codex: ACTION_CODEX },
	KieTrigger: {
		name: 'kieTrigger',
		aliases: ['callback', 'webhook', 'result'],
		codex: { categories: ['Development', 'Marketing'] },
	},
	KieAccount: { name: 'kieAccount', aliases: ['credits', 'balance', 'models', 'catalogue', 'price', 'download'], codex: ACTION_CODEX },
	KieUploadFile: { name: 'kieUploadFile', aliases: ['upload', 'file', 'image', 'input', 'URL', 'base64'], codex: ACTION_CODEX },
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
			...node.codex,
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
