'use strict';
// Test-only name resolution: makes a public host name (KIE's `api.kie.ai`) resolve to a loopback address,
// so that a credential whose Base URL names KIE's public API reaches the simulator. Used in-process
// (routeHost) and as a preload of the end-to-end n8n (`node -r`, with KIE_TEST_DNS="api.kie.ai=127.0.0.1").
const dns = require('dns');

const routes = new Map();
let original;
let originalPromise;

function lookup(hostname, options, callback) {
	if (typeof options === 'function') {
		callback = options;
		options = {};
	}
	const address = routes.get(String(hostname).toLowerCase());
	if (address === undefined) return original.call(dns, hostname, options, callback);
	const family = address.includes(':') ? 6 : 4;
	if (options && options.all) process.nextTick(callback, null, [{ address, family }]);
	else process.nextTick(callback, null, address, family);
}

/** The promise form (`dns.promises.lookup`), which n8n's SSRF protection resolves names with. */
async function lookupPromise(hostname, options = {}) {
	const address = routes.get(String(hostname).toLowerCase());
	if (address === undefined) return await originalPromise.call(dns.promises, hostname, options);
	const family = address.includes(':') ? 6 : 4;
	return options && options.all ? [{ address, family }] : { address, family };
}

/** Resolves `hostname` to `address` until the returned function is called. */
function routeHost(hostname, address = '127.0.0.1') {
	if (!original) {
		original = dns.lookup;
		dns.lookup = lookup;
		originalPromise = dns.promises.lookup;
		dns.promises.lookup = lookupPromise;
	}
	routes.set(hostname.toLowerCase(), address);
	return () => {
		routes.delete(hostname.toLowerCase());
		if (routes.size === 0 && original) {
			dns.lookup = original;
			original = undefined;
			dns.promises.lookup = originalPromise;
			originalPromise = undefined;
		}
	};
}

for (const pair of String(process.env.KIE_TEST_DNS ?? '').split(',').filter(Boolean)) {
	const [hostname, address] = pair.split('=');
	routeHost(hostname, address);
}

module.exports = { routeHost };
