import type { IExecuteFunctions, IWebhookFunctions } from 'n8n-workflow';

import { CREDENTIAL_NAME } from './index';

/**
 * The one private-address policy of the package: which hosts the nodes fetch from when KIE (a callback, a
 * task record, a redirect) chose the URL, not the user.
 *
 * An IP address is public when it is in none of the special ranges below (the ranges of ipaddr.js 2.5.0,
 * whose `range()` must say `unicast`), and not an IPv4-compatible IPv6 address (`::/96`). Every other
 * address is refused: loopback, private networks, link-local (cloud metadata), shared and reserved ranges,
 * multicast, and every IPv6 form that carries an IPv4 address (IPv4-mapped, NAT64, 6to4, Teredo), whatever
 * IPv4 address it carries. A host is read the way a URL reads it, so every spelling of an address a URL
 * accepts (`2130706433`, `0177.0.0.1`, `0x7f.1`, `127.1`, `[::ffff:127.0.0.1]`…) is the address it names.
 * A name is private when it is `localhost` or under it, has no dot, or ends in a special-use local suffix
 * (`.local`, `.internal`, `.home.arpa`, `.localdomain`); one trailing dot is ignored. Community nodes cannot
 * resolve names, so a public name that resolves to a private address is not caught here: n8n's own SSRF
 * protection (N8N_SSRF_PROTECTION_ENABLED, n8n 2.x) checks the resolved address of every request.
 */

type Range = readonly [name: string, network: string, prefix: number];
type ParsedRange<T> = readonly [name: string, network: T, prefix: number];

/** IPv4 ranges that are not public, in ipaddr.js's order and with its names. */
const IPV4_RANGES: readonly Range[] = [
	['unspecified', '0.0.0.0', 8],
	['broadcast', '255.255.255.255', 32],
	['multicast', '224.0.0.0', 4],
	['linkLocal', '169.254.0.0', 16],
	['loopback', '127.0.0.0', 8],
	['carrierGradeNat', '100.64.0.0', 10],
	['private', '10.0.0.0', 8],
	['private', '172.16.0.0', 12],
	['private', '192.168.0.0', 16],
	['reserved', '192.0.0.0', 24],
	['reserved', '192.0.2.0', 24],
	['reserved', '192.88.99.0', 24],
	['reserved', '198.18.0.0', 15],
	['reserved', '198.51.100.0', 24],
	['reserved', '203.0.113.0', 24],
	['reserved', '240.0.0.0', 4],
	['as112', '192.175.48.0', 24],
	['as112', '192.31.196.0', 24],
	['amt', '192.52.193.0', 24],
];

/** IPv6 ranges that are not public, in ipaddr.js's order and with its names; then IPv4-compatible `::/96`. */
const IPV6_RANGES: readonly Range[] = [
	['unspecified', '::', 128],
	['linkLocal', 'fe80::', 10],
	['multicast', 'ff00::', 8],
	['loopback', '::1', 128],
	['uniqueLocal', 'fc00::', 7],
	['ipv4Mapped', '::ffff:0:0', 96],
	['deprecatedSiteLocal', 'fec0::', 10],
	['discard', '100::', 64],
	['rfc6145', '::ffff:0:0:0', 96],
	['rfc6052', '64:ff9b::', 96],
	['rfc6052', '64:ff9b:1::', 48],
	['6to4', '2002::', 16],
	['teredo', '2001::', 32],
	['benchmarking', '2001:2::', 48],
	['amt', '2001:3::', 32],
	['as112v6', '2001:4:112::', 48],
	['as112v6', '2620:4f:8000::', 48],
	['deprecatedOrchid', '2001:10::', 28],
	['orchid2', '2001:20::', 28],
	['droneRemoteIdProtocolEntityTags', '2001:30::', 28],
	['segmentRouting', '5f00::', 16],
	['reserved', '2001::', 23],
	['reserved', '2001:db8::', 32],
	['reserved', '3fff::', 20],
	['ipv4Compatible', '::', 96],
];

/** Names under these suffixes (and the bare words) are on this machine or a local network. */
const LOCAL_SUFFIXES = ['localhost', 'local', 'internal', 'home.arpa', 'localdomain'];

/** A dotted-decimal IPv4 address (four parts, 0-255, no leading zeros) as a 32-bit number; undefined otherwise. */
export function parseIPv4(text: string): number | undefined {
	const parts = text.split('.');
	if (parts.length !== 4) return undefined;
	let value = 0;
	for (const part of parts) {
		if (!/^(0|[1-9]\d{0,2})$/.test(part) || Number(part) > 255) return undefined;
		value = value * 256 + Number(part);
	}
	return value;
}

/**
 * An IPv6 address (without brackets or zone) as its eight 16-bit groups: hex groups, one `::`, and an
 * optional dotted IPv4 tail (`::ffff:127.0.0.1`). Undefined for anything else.
 */
export function parseIPv6(text: string): number[] | undefined {
	let address = text.toLowerCase();
	const lastColon = address.lastIndexOf(':');
	if (lastColon < 0) return undefined;
	const tail = address.slice(lastColon + 1);
	if (tail.includes('.')) {
		const v4 = parseIPv4(tail);
		if (v4 === undefined) return undefined;
		address = `${address.slice(0, lastColon + 1)}${(v4 >>> 16).toString(16)}:${(v4 & 0xffff).toString(16)}`;
	}
	const halves = address.split('::');
	if (halves.length > 2) return undefined;
	const groups = (half: string) => (half === '' ? [] : half.split(':'));
	const head = groups(halves[0]);
	const rest = halves.length === 2 ? groups(halves[1]) : [];
	const written = [...head, ...rest];
	if (!written.every((group) => /^[0-9a-f]{1,4}$/.test(group))) return undefined;
	if (halves.length === 2 ? written.length > 7 : written.length !== 8) return undefined;
	const zeros = new Array<string>(8 - written.length).fill('0');
	return [...head, ...zeros, ...rest].map((group) => parseInt(group, 16));
}

const IPV4_NETWORKS = IPV4_RANGES.map(([name, network, prefix]): ParsedRange<number> => [name, parseIPv4(network)!, prefix]);
const IPV6_NETWORKS = IPV6_RANGES.map(([name, network, prefix]): ParsedRange<number[]> => [name, parseIPv6(network)!, prefix]);

function ipv4Range(address: number): string {
	for (const [name, network, prefix] of IPV4_NETWORKS) {
		const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
		if (((address & mask) >>> 0) === ((network & mask) >>> 0)) return name;
	}
	return 'unicast';
}

function inPrefix(groups: number[], network: number[], prefix: number): boolean {
	for (let bit = 0; bit < prefix; bit += 16) {
		const bits = Math.min(16, prefix - bit);
		const mask = (0xffff << (16 - bits)) & 0xffff;
		if ((groups[bit / 16] & mask) !== (network[bit / 16] & mask)) return false;
	}
	return true;
}

function ipv6Range(groups: number[]): string {
	for (const [name, network, prefix] of IPV6_NETWORKS) {
		if (inPrefix(groups, network, prefix)) return name;
	}
	return 'unicast';
}

/** What a host is, as a URL connects to it. */
export interface HostInfo {
	/** The host as a URL writes it (`127.0.0.1`, `[::ffff:7f00:1]`, `example.com`); empty when it is not a host. */
	host: string;
	kind: 'ipv4' | 'ipv6' | 'name' | 'invalid';
	/**
	 * For an IP: its range, named as ipaddr.js names it (`unicast`, `loopback`, `ipv4Mapped`, `rfc6052`…)
	 * plus `ipv4Compatible` for `::/96`. For a name: `name` (public) or `local`. `invalid` otherwise.
	 */
	range: string;
	/** Whether the host may be fetched from a URL that KIE chose: a unicast IP, or a name that is not local. */
	public: boolean;
}

/** The host a URL would connect to, for a hostname in any spelling a URL accepts; undefined when it is none. */
function canonicalHost(hostname: string): string | undefined {
	let host = hostname.trim();
	if (host === '' || /[/?#@\\\s]/.test(host)) return undefined;
	// A bare IPv6 address (`::1`) gets the brackets a URL needs.
	if (host.includes(':') && !host.startsWith('[')) host = `[${host}]`;
	try {
		const url = new URL(`http://${host}/`);
		return url.port === '' ? url.hostname : undefined;
	} catch {
		return undefined;
	}
}

/**
 * Reads a host name or IP literal (a URL's `hostname`, or a raw host in any spelling a URL accepts) and
 * says what it is and whether it is public (see the policy at the top of this file).
 */
export function classifyHost(hostname: string): HostInfo {
	const host = canonicalHost(hostname);
	if (host === undefined) return { host: '', kind: 'invalid', range: 'invalid', public: false };
	if (host.startsWith('[')) {
		const groups = parseIPv6(host.slice(1, -1));
		if (!groups) return { host, kind: 'invalid', range: 'invalid', public: false };
		const range = ipv6Range(groups);
		return { host, kind: 'ipv6', range, public: range === 'unicast' };
	}
	const v4 = parseIPv4(host);
	if (v4 !== undefined) {
		const range = ipv4Range(v4);
		return { host, kind: 'ipv4', range, public: range === 'unicast' };
	}
	const name = host.endsWith('.') ? host.slice(0, -1) : host;
	const labels = name.split('.');
	const local =
		labels.length < 2 ||
		labels.some((label) => label === '') ||
		LOCAL_SUFFIXES.some((suffix) => name === suffix || name.endsWith(`.${suffix}`));
	return { host, kind: 'name', range: local ? 'local' : 'name', public: !local };
}

/**
 * Whether a host is this machine, a private network or any address that is not public unicast (see the
 * policy at the top of this file). What is not a host at all counts as private.
 */
export function isPrivateHost(hostname: string): boolean {
	return !classifyHost(hostname).public;
}

/** Whether a URL's host is private (see isPrivateHost); false for what is not a URL. */
export function isPrivateUrl(url: string): boolean {
	try {
		return isPrivateHost(new URL(url).hostname);
	} catch {
		return false;
	}
}

interface KieHosts {
	baseUrl?: unknown;
	uploadBaseUrl?: unknown;
}

async function kieHosts(ctx: IExecuteFunctions | IWebhookFunctions): Promise<KieHosts | undefined> {
	try {
		return await ctx.getCredentials<KieHosts & { apiKey?: string }>(CREDENTIAL_NAME);
	} catch {
		return undefined;
	}
}

/**
 * Whether the KIE API credential's Base URL is itself on a private address: the simulator, or a proxy on
 * the same network. KIE's public API is not. (A KIE there can reach a resume URL on a private network.)
 */
export async function kieIsLocal(ctx: IExecuteFunctions | IWebhookFunctions): Promise<boolean> {
	const hosts = await kieHosts(ctx);
	return hosts !== undefined && isPrivateUrl(String(hosts.baseUrl || 'https://api.kie.ai'));
}

/** Where URLs that KIE chose may be fetched from (see refusedUrl). */
export interface AddressPolicy {
	/**
	 * The origins (`http://127.0.0.1:8787`) of the credential's Base URL and Upload Base URL that are on a
	 * private address (the simulator, a proxy on the same network): the only private places fetched.
	 */
	trustedOrigins: ReadonlySet<string>;
}

/** The policy for a KIE API credential's hosts: a private Base URL or Upload Base URL trusts that origin only. */
export function addressPolicyFor(credentials: KieHosts | undefined): AddressPolicy {
	const trustedOrigins = new Set<string>();
	for (const value of [credentials?.baseUrl || 'https://api.kie.ai', credentials?.uploadBaseUrl || 'https://kieai.redpandaai.co']) {
		try {
			const url = new URL(String(value).trim());
			if ((url.protocol === 'http:' || url.protocol === 'https:') && isPrivateHost(url.hostname)) trustedOrigins.add(url.origin);
		} catch {
			// Not a URL: nothing is trusted for it.
		}
	}
	return { trustedOrigins };
}

/** The policy of the KIE API credential of a node (nothing private is trusted when it cannot be read). */
export async function addressPolicy(ctx: IExecuteFunctions | IWebhookFunctions): Promise<AddressPolicy> {
	return addressPolicyFor(await kieHosts(ctx));
}

/**
 * Why a URL that KIE chose (a result file, a redirect of one) is not fetched, or undefined when it may be:
 * only http(s), and a private address only on an origin the policy trusts.
 */
export function refusedUrl(url: string, policy: AddressPolicy): string | undefined {
	let parsed: URL;
	try {
		parsed = new URL(url);
	} catch {
		return 'it is not a URL';
	}
	if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return 'only http(s) results are downloaded';
	if (!isPrivateHost(parsed.hostname) || policy.trustedOrigins.has(parsed.origin)) return undefined;
	const trusted = [...policy.trustedOrigins];
	return trusted.length === 0
		? `${parsed.hostname} is a loopback or private address, and the KIE API credential's Base URL is not`
		: `${parsed.host} is a loopback or private address other than the KIE API credential's own (${trusted.join(', ')})`;
}
