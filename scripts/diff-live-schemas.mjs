#!/usr/bin/env node
// For maintainers before a release: reads KIE's live model list and each Market model's live schema, and
// reports how they differ from the built-in registry, so the built-in models can be updated.
//
//   npm run build && KIE_API_KEY=… npm run schemas:diff            # against the real KIE (free endpoints)
//   npm run build && npm run schemas:diff -- --simulator             # against the KIE simulator, in-process
//   … -- --models gpt-image/1.5-text-to-image,acme/pixel-forge-3     # only these models
//   … -- --json                                                       # the report as JSON
//
// KIE allows the catalogue endpoints 1 request per second per account: requests go one at a time, a
// second apart, and an answer of 429 (in the body or as the status) waits and tries again.
import { createRequire } from 'node:module';
import { join } from 'node:path';

const require = createRequire(import.meta.url);
const { requireCompiled, ROOT: root } = require('./lib/compiled.js');
const { MODELS, getModel } = requireCompiled('nodes/shared/registry/index.js');
const { modelFromLiveSchema, registryDiff } = requireCompiled('nodes/shared/registry/liveSchema.js');

const args = process.argv.slice(2);
const option = (name) => {
	const index = args.indexOf(name);
	return index === -1 ? undefined : args[index + 1];
};
const asJson = args.includes('--json');
const only = option('--models')?.split(',').map((id) => id.trim()).filter(Boolean);

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function main() {
	let baseUrl = (option('--base-url') ?? process.env.KIE_BASE_URL ?? 'https://api.kie.ai').replace(/\/+$/, '');
	let apiKey = process.env.KIE_API_KEY ?? '';
	let simulator;
	if (args.includes('--simulator')) {
		const { startSimulator } = require(join(root, 'simulator'));
		simulator = await startSimulator({ port: 0, apiKey: 'sim-key' });
		baseUrl = simulator.url;
		apiKey = 'sim-key';
	}
	if (!apiKey) throw new Error('Set KIE_API_KEY (or use --simulator): the catalogue endpoints need an API key.');

	let last = 0;
	/** One catalogue request: a second after the previous one; a 429 waits and tries again (5 times). */
	async function catalogue(path) {
		for (let attempt = 1; ; attempt++) {
			const wait = last + 1100 - Date.now();
			if (wait > 0) await sleep(wait);
			last = Date.now();
			const res = await fetch(`${baseUrl}${path}`, { headers: { authorization: `Bearer ${apiKey}`, accept: 'application/json' } });
			const body = await res.json().catch(() => ({}));
			const code = body?.code ?? res.status;
			if ((code === 429 || res.status === 429) && attempt < 5) {
				await sleep(2000 * attempt);
				continue;
			}
			if (code !== 200) throw new Error(`${path} → code ${code}: ${body?.msg ?? body?.message ?? res.statusText}`);
			return body.data;
		}
	}
	const schemaPath = (id) => `/api/v1/models/${id.split('/').map(encodeURIComponent).join('/')}/schema`;

	try {
		const list = await catalogue('/api/v1/models');
		const live = (Array.isArray(list?.models) ? list.models : Array.isArray(list) ? list : []).map((entry) => String(entry.model));
		const marketIds = MODELS.filter((model) => model.api === 'market').map((model) => model.id);
		const ids = only ?? [...new Set([...marketIds, ...live])];
		const report = { baseUrl, builtInOnly: [], liveOnly: [], models: [] };
		report.builtInOnly = marketIds.filter((id) => !live.includes(id));
		report.liveOnly = live.filter((id) => !getModel(id));
		for (const id of ids) {
			if (!live.includes(id)) continue;
			const data = await catalogue(schemaPath(id)).catch((error) => ({ error: error.message }));
			const entry = { id, builtIn: Boolean(getModel(id)) };
			if (data?.error) entry.error = data.error;
			else {
				const parsed = modelFromLiveSchema(id, data?.openapi ?? null);
				if ('reason' in parsed) entry.reason = parsed.reason;
				else if (entry.builtIn) entry.differences = registryDiff(getModel(id), parsed.model);
				else entry.fields = parsed.model.fields.map((field) => `${field.name}${field.required ? '*' : ''}: ${field.type}${field.enum ? ` (${field.enum.join('|')})` : ''}`);
			}
			report.models.push(entry);
		}
		if (asJson) {
			process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
			return;
		}
		const out = [`Live schemas at ${baseUrl} against the built-in registry (${MODELS.length} models)`, ''];
		out.push(`Built-in Market models KIE does not list: ${report.builtInOnly.length ? report.builtInOnly.join(', ') : 'none'}`);
		out.push(`Models KIE lists that are not built in: ${report.liveOnly.length ? report.liveOnly.join(', ') : 'none'}`, '');
		let drifted = 0;
		for (const entry of report.models) {
			if (entry.error) out.push(`${entry.id}: schema not read (${entry.error})`);
			else if (entry.reason) out.push(`${entry.id}: ${entry.reason}`);
			else if (entry.builtIn && entry.differences.length) {
				drifted++;
				out.push(`${entry.id}:`, ...entry.differences.map((line) => `  - ${line}`));
			} else if (!entry.builtIn) out.push(`${entry.id} (not built in): ${entry.fields.join('; ')}`);
		}
		const agreeing = report.models.filter((entry) => entry.builtIn && entry.differences?.length === 0).length;
		out.push('', `${agreeing} built-in model(s) agree with KIE's schema, ${drifted} differ.`);
		process.stdout.write(`${out.join('\n')}\n`);
	} finally {
		await simulator?.close();
	}
}

main().catch((error) => {
	process.stderr.write(`${error.message}\n`);
	process.exit(1);
});
