#!/usr/bin/env node
'use strict';

/**
 * Start the KIE.AI simulator from the command line:
 *   node simulator/cli.js [--port 8787] [--host 127.0.0.1] [--api-key sim-key] [--hmac-key KEY]
 *                              [--gen-ms 1500] [--rate-limit] [--credits 1000] [--public-url URL]
 *                              [--allow-unknown-input] [--4o-result-key result_urls] [--4o-time-format string]
 *                              [--real-kie] [--not-indexed-ms 1500]
 * Prints one line with the base URL, then serves until SIGINT/SIGTERM.
 */

const { startSimulator } = require('./index');

function parseArgs(argv) {
	const out = {};
	for (let i = 0; i < argv.length; i++) {
		const a = argv[i];
		if (!a.startsWith('--')) throw new Error(`unexpected argument ${a}`);
		const eq = a.indexOf('=');
		const key = eq === -1 ? a.slice(2) : a.slice(2, eq);
		let val;
		if (eq !== -1) val = a.slice(eq + 1);
		else if (i + 1 < argv.length && !argv[i + 1].startsWith('--')) val = argv[++i];
		else val = true;
		out[key] = val;
	}
	return out;
}

function usage() {
	return [
		'usage: node simulator/cli.js [options]',
		'  --port N               listen port (default 8787; 0 = any free port)',
		'  --host H               listen host (default 127.0.0.1)',
		'  --api-key K            accepted Bearer token (default sim-key)',
		'  --hmac-key K           sign callbacks with this webhook HMAC key',
		'  --gen-ms N             generation time per task in ms (default 1500)',
		'  --rate-limit           enforce 20 creates / 10 s and 10 polls / s',
		'  --credits N            starting credits (default 1000)',
		'  --public-url URL       base URL used in result/upload links',
		'  --allow-unknown-input  accept unknown input keys',
		'  --4o-result-key K      resultUrls (default) or result_urls',
		'  --4o-time-format F     epoch (default) or string',
		'  --real-kie             answer with the shapes real KIE sends (README "Real KIE")',
		'  --not-indexed-ms N     Market recordInfo answers 422 "recordInfo is null" for N ms after create (default 0)',
	].join('\n');
}

async function main() {
	let args;
	try {
		args = parseArgs(process.argv.slice(2));
	} catch (e) {
		console.error(`${e.message}\n${usage()}`);
		process.exit(2);
	}
	if (args.help || args.h) {
		console.log(usage());
		return;
	}
	const num = (v, d) => (v === undefined || v === true ? d : Number(v));
	const sim = await startSimulator({
		port: num(args.port, 8787),
		host: typeof args.host === 'string' ? args.host : '127.0.0.1',
		apiKey: typeof args['api-key'] === 'string' ? args['api-key'] : 'sim-key',
		hmacKey: typeof args['hmac-key'] === 'string' ? args['hmac-key'] : undefined,
		genMs: num(args['gen-ms'], 1500),
		credits: num(args.credits, 1000),
		rateLimit: args['rate-limit'] ? {} : null,
		publicUrl: typeof args['public-url'] === 'string' ? args['public-url'] : undefined,
		allowUnknownInput: Boolean(args['allow-unknown-input']),
		fourOResultKey: args['4o-result-key'] === 'result_urls' ? 'result_urls' : 'resultUrls',
		fourOTimeFormat: args['4o-time-format'] === 'string' ? 'string' : 'epoch',
		realKie: Boolean(args['real-kie']),
		notIndexedMs: num(args['not-indexed-ms'], 0),
	});
	console.log(sim.url);
	const stop = async () => {
		await sim.close();
		process.exit(0);
	};
	process.on('SIGINT', stop);
	process.on('SIGTERM', stop);
}

main().catch((err) => {
	console.error(err && err.stack ? err.stack : String(err));
	process.exit(1);
});
