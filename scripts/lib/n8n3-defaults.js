// The "n8n 3 defaults" profile (KIE_N8N3_DEFAULTS=1): what n8n 3.0 changes by default, set on the newest 2.x
// this registry serves (n8n 3 publishes no runnable npm package). Each setting is one that n8n 2.41's own
// deprecation service announces for the next major version (n8n/dist/deprecation/deprecation.service.js)
// or that n8n's v3 breaking changes list; the README's "n8n 3" section says the same in words.
const path = require('path');

/** n8n 2.41's built-in SSRF block list (@n8n/config's SSRF_DEFAULT_BLOCKED_IP_RANGES). */
const N8N2_SSRF_BLOCKED_IP_RANGES = [
	'10.0.0.0/8',
	'172.16.0.0/12',
	'192.168.0.0/16',
	'127.0.0.0/8',
	'::1/128',
	'169.254.0.0/16',
	'fe80::/10',
	'fc00::/7',
	'fd00::/8',
	'0.0.0.0/8',
	'192.0.0.0/24',
	'192.0.2.0/24',
	'198.18.0.0/15',
	'198.51.100.0/24',
	'203.0.113.0/24',
];
/**
 * n8n 3's built-in SSRF block list: 2.41's plus what 2.41 announces it adds, the shared address space and the
 * IPv6 transition ranges (NAT64, 6to4, Teredo). Written out, not as the `default` keyword (which expands to
 * the running version's list, and which n8n's Migration Report flags for that reason).
 */
const N8N3_SSRF_BLOCKED_IP_RANGES = [...N8N2_SSRF_BLOCKED_IP_RANGES, '100.64.0.0/10', '64:ff9b::/96', '64:ff9b:1::/48', '2002::/16', '2001::/32'].join(',');

/**
 * The environment of one n8n process under n8n 3's defaults. `userFolder` is the process's user folder;
 * `queue`: the process belongs to a queue-mode instance (binary data in the database, manual executions on
 * workers), else a single process (binary data on the file system under N8N_STORAGE_PATH). `allowedIpRanges`:
 * the addresses n8n's own allow-list lets through (the simulator on loopback).
 */
function n8n3DefaultsEnv({ userFolder, queue = false, allowedIpRanges = '127.0.0.1/32' }) {
	return {
		// Unverified community packages no longer load unless this is set: what a user of this package sets
		// until n8n verifies it.
		N8N_UNVERIFIED_PACKAGES_ENABLED: 'true',
		// The in-memory binary data mode is removed: file system in a single process, database in queue mode.
		N8N_DEFAULT_BINARY_DATA_MODE: queue ? 'database' : 'filesystem',
		// The binary data folder's new setting (N8N_BINARY_DATA_STORAGE_PATH is deprecated), at its new place.
		N8N_STORAGE_PATH: path.join(userFolder, '.n8n', 'storage'),
		// Manual executions always run on workers in queue mode (the setting is removed, i.e. always on).
		...(queue ? { OFFLOAD_MANUAL_EXECUTIONS_TO_WORKERS: 'true' } : {}),
		// The task runner's timeout drops from 300 s to 60 s.
		N8N_RUNNERS_TASK_TIMEOUT: '60',
		// SSRF protection on, with n8n 3's larger block list; the simulator is let through by n8n's allow-list.
		N8N_SSRF_PROTECTION_ENABLED: 'true',
		N8N_SSRF_BLOCKED_IP_RANGES: N8N3_SSRF_BLOCKED_IP_RANGES,
		N8N_SSRF_ALLOWED_IP_RANGES: allowedIpRanges,
		// The compression node's lower limits (not used by this package; set so the profile is 3.0's whole).
		N8N_COMPRESSION_NODE_MAX_DECOMPRESSED_SIZE_BYTES: String(256 * 1024 * 1024),
		N8N_COMPRESSION_NODE_MAX_ZIP_ENTRIES: '1000',
	};
}

/**
 * n8n 3 reads the webhook base URL from N8N_WEBHOOK_URL (WEBHOOK_URL is deprecated in 2.41): the profile
 * sets the new name only.
 */
function webhookUrlEnv(url) {
	return { N8N_WEBHOOK_URL: url };
}

module.exports = { n8n3DefaultsEnv, webhookUrlEnv, N8N3_SSRF_BLOCKED_IP_RANGES };
