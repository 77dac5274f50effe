import fc from 'fast-check';
import ipaddr from 'ipaddr.js';

import {
	addressPolicyFor,
	classifyHost,
	isPrivateHost,
	isPrivateUrl,
	kieIsLocal,
	parseIPv4,
	parseIPv6,
	refusedUrl,
} from '../../../nodes/shared/transport/addresses';

/**
 * The oracle: ipaddr.js 2.5.0 (a devDependency, never loaded by the nodes). An address is public iff its
 * `range()` is `unicast` and it is not in `::/96` (IPv4-compatible), which ipaddr.js calls unicast.
 */
function oracle(canonical: string): { range: string; public: boolean } {
	const address = ipaddr.parse(canonical);
	let range: string = address.range();
	if (range === 'unicast' && address.kind() === 'ipv6' && (address as ipaddr.IPv6).parts.slice(0, 6).every((part) => part === 0)) {
		range = 'ipv4Compatible';
	}
	return { range, public: range === 'unicast' };
}

type Subnet<T> = [T, number];
const specialRanges = <T>(prototype: object) =>
	Object.values((prototype as { SpecialRanges: Record<string, Subnet<T> | Array<Subnet<T>>> }).SpecialRanges).flatMap((entry) =>
		Array.isArray(entry[0]) ? (entry as Array<Subnet<T>>) : [entry as Subnet<T>],
	);
/** ipaddr.js's own special ranges (read from the oracle, not from the module under test). */
const V4_RANGES = specialRanges<ipaddr.IPv4>(ipaddr.IPv4.prototype).map(([net, prefix]) => ({
	network: net.octets.reduce((value, octet) => value * 256 + octet, 0),
	prefix,
}));
const V6_RANGES = [
	...specialRanges<ipaddr.IPv6>(ipaddr.IPv6.prototype).map(([net, prefix]) => ({ network: net.parts, prefix })),
	{ network: [0, 0, 0, 0, 0, 0, 0, 0], prefix: 96 },
];

// -- spellings --------------------------------------------------------------------------------------

const dotted = (n: number) => [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
const v6Full = (groups: number[]) => groups.map((group) => group.toString(16)).join(':');
const v4Groups = (n: number) => [n >>> 16, n & 0xffff];

/** One number in the radix a WHATWG URL reads: decimal, 0x hex (either case) or 0-prefixed octal. */
function spellNumber(value: number, radix: 'dec' | 'hex' | 'HEX' | 'oct'): string {
	if (radix === 'hex') return `0x${value.toString(16)}`;
	if (radix === 'HEX') return `0X${value.toString(16).toUpperCase()}`;
	if (radix === 'oct') return `0${value.toString(8)}`;
	return String(value);
}

const radix = fc.constantFrom<'dec' | 'hex' | 'HEX' | 'oct'>('dec', 'hex', 'HEX', 'oct');

/** Every IPv4 spelling a WHATWG URL accepts for `n`: 1 to 4 parts, each in its own radix, and a trailing dot. */
const ipv4Spelling = (n: number) =>
	fc.tuple(fc.integer({ min: 1, max: 4 }), fc.array(radix, { minLength: 4, maxLength: 4 }), fc.boolean()).map(([count, radices, dot]) => {
		const bytes = [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255];
		const head = bytes.slice(0, count - 1);
		const last = bytes.slice(count - 1).reduce((value, byte) => value * 256 + byte, 0);
		const spelled = [...head, last].map((value, i) => spellNumber(value, radices[i])).join('.');
		return dot ? `${spelled}.` : spelled;
	});

/** IPv6 spellings: full with leading zeros, with `::` for a run of zeros, upper case, with a dotted IPv4 tail. */
const ipv6Spelling = (groups: number[]) =>
	fc.tuple(fc.constantFrom('full', 'padded', 'compressed', 'dottedTail'), fc.boolean()).map(([form, upper]) => {
		let text: string;
		if (form === 'padded') text = groups.map((group) => group.toString(16).padStart(4, '0')).join(':');
		else if (form === 'dottedTail') text = `${v6Full(groups.slice(0, 6))}:${dotted(groups[6] * 65536 + groups[7])}`;
		else if (form === 'compressed') {
			const full = `:${v6Full(groups)}:`;
			const runs = full.match(/(:0)+:/g) ?? [];
			const longest = runs.sort((a, b) => b.length - a.length)[0];
			text = longest ? full.replace(longest, '::').replace(/^:(?!:)|(?<!:):$/g, '') : v6Full(groups);
		} else text = v6Full(groups);
		return upper ? text.toUpperCase() : text;
	});

const uint32 = fc.integer({ min: 0, max: 0xffffffff });
const group = fc.integer({ min: 0, max: 0xffff });

/** An IPv4 address near the edges of one of ipaddr.js's special ranges (inside, first/last, just outside). */
const v4NearRange = fc.tuple(fc.constantFrom(...V4_RANGES), fc.integer({ min: -2, max: 2 }), fc.boolean(), uint32).map(([{ network, prefix }, offset, atEnd, random]) => {
	const size = 2 ** (32 - prefix);
	const inside = network + (random % size);
	const edge = atEnd ? network + size - 1 + offset : network + offset;
	return Math.min(0xffffffff, Math.max(0, offset === 0 && random % 3 === 0 ? inside : edge));
});

/** An IPv6 address inside one of ipaddr.js's special ranges (and ::/96), or with one prefix bit flipped. */
const v6NearRange = fc
	.tuple(fc.constantFrom(...V6_RANGES), fc.array(group, { minLength: 8, maxLength: 8 }), fc.boolean(), fc.nat())
	.map(([{ network, prefix }, random, flip, which]) => {
		const groups = random.map((value, i) => {
			const bits = Math.max(0, Math.min(16, prefix - i * 16));
			const mask = (0xffff << (16 - bits)) & 0xffff;
			return (network[i] & mask) | (value & ~mask & 0xffff);
		});
		if (flip && prefix > 0) {
			const bit = which % prefix;
			groups[Math.floor(bit / 16)] ^= 1 << (15 - (bit % 16));
		}
		return groups;
	});

/** IPv6 with an IPv4 address embedded where each transition prefix puts it. */
const EMBEDDINGS: Record<string, (v4: number, noise: number[]) => number[]> = {
	ipv4Mapped: (v4) => [0, 0, 0, 0, 0, 0xffff, ...v4Groups(v4)],
	ipv4Compatible: (v4) => [0, 0, 0, 0, 0, 0, ...v4Groups(v4)],
	rfc6145: (v4) => [0, 0, 0, 0, 0xffff, 0, ...v4Groups(v4)],
	nat64: (v4) => [0x64, 0xff9b, 0, 0, 0, 0, ...v4Groups(v4)],
	nat64Local: (v4, noise) => [0x64, 0xff9b, 1, noise[0], noise[1], noise[2], ...v4Groups(v4)],
	sixToFour: (v4, noise) => [0x2002, ...v4Groups(v4), noise[0], noise[1], noise[2], noise[3], noise[4]],
	teredo: (v4, noise) => [0x2001, 0, ...v4Groups(v4), noise[0], noise[1], ...v4Groups(~v4 >>> 0)],
};
const embedded = fc
	.tuple(fc.constantFrom(...Object.keys(EMBEDDINGS)), fc.oneof(uint32, v4NearRange), fc.array(group, { minLength: 5, maxLength: 5 }))
	.map(([kind, v4, noise]) => EMBEDDINGS[kind](v4, noise));

const RUNS = 4000;

// -- the oracle comparison --------------------------------------------------------------------------

describe('classifyHost agrees with ipaddr.js (public iff unicast and not ::/96)', () => {
	it('IPv4: every address in any WHATWG spelling, as a raw host and inside a URL', () => {
		fc.assert(
			fc.property(
				fc.oneof(uint32, v4NearRange).chain((n) => fc.tuple(fc.constant(n), ipv4Spelling(n))),
				([n, spelling]) => {
					const expected = oracle(dotted(n));
					const got = classifyHost(spelling);
					expect({ spelling, kind: got.kind, host: got.host, range: got.range, public: got.public }).toEqual({
						spelling,
						kind: 'ipv4',
						host: dotted(n),
						range: expected.range,
						public: expected.public,
					});
					expect(isPrivateUrl(`http://${spelling}:8080/result.png`)).toBe(!expected.public);
				},
			),
			{ numRuns: RUNS },
		);
	});

	it('IPv6: random addresses and addresses at the edges of every special range, in every spelling', () => {
		fc.assert(
			fc.property(
				fc.oneof(fc.array(group, { minLength: 8, maxLength: 8 }), v6NearRange).chain((groups) => fc.tuple(fc.constant(groups), ipv6Spelling(groups))),
				([groups, spelling]) => {
					const expected = oracle(v6Full(groups));
					const got = classifyHost(spelling);
					expect({ spelling, kind: got.kind, range: got.range, public: got.public }).toEqual({ spelling, kind: 'ipv6', range: expected.range, public: expected.public });
					expect(classifyHost(`[${spelling}]`).public).toBe(expected.public);
					expect(isPrivateUrl(`https://[${spelling}]:8443/r.mp4`)).toBe(!expected.public);
				},
			),
			{ numRuns: RUNS },
		);
	});

	it('IPv6 with an embedded IPv4 address (mapped, compatible, rfc6145, NAT64, 6to4, Teredo) is never public', () => {
		fc.assert(
			fc.property(
				embedded.chain((groups) => fc.tuple(fc.constant(groups), ipv6Spelling(groups))),
				([groups, spelling]) => {
					const expected = oracle(v6Full(groups));
					expect(expected.public).toBe(false);
					expect(classifyHost(spelling)).toMatchObject({ kind: 'ipv6', range: expected.range, public: false });
					expect(isPrivateUrl(`http://[${spelling}]/x`)).toBe(true);
				},
			),
			{ numRuns: RUNS },
		);
	});

	it('every first and last address of every special range, and its neighbours, exhaustively', () => {
		for (const { network, prefix } of V4_RANGES) {
			const last = network + 2 ** (32 - prefix) - 1;
			for (const n of [network - 1, network, network + 1, last - 1, last, last + 1].filter((x) => x >= 0 && x <= 0xffffffff)) {
				expect([dotted(n), classifyHost(dotted(n)).range]).toEqual([dotted(n), oracle(dotted(n)).range]);
			}
		}
		for (const { network, prefix } of V6_RANGES) {
			const first = [...network];
			const last = network.map((value, i) => {
				const bits = Math.max(0, Math.min(16, prefix - i * 16));
				return value | (~((0xffff << (16 - bits)) & 0xffff) & 0xffff);
			});
			for (const groups of [first, last]) {
				expect([v6Full(groups), classifyHost(v6Full(groups)).range]).toEqual([v6Full(groups), oracle(v6Full(groups)).range]);
			}
		}
	});
});

// -- hand-written spellings -------------------------------------------------------------------------

describe('classifyHost: every spelling of the issue', () => {
	it.each([
		// IPv4-mapped IPv6: the URL parser writes [::ffff:127.0.0.1] as [::ffff:7f00:1]
		['[::ffff:127.0.0.1]', 'ipv4Mapped'],
		['::ffff:127.0.0.1', 'ipv4Mapped'],
		['[::ffff:7f00:1]', 'ipv4Mapped'],
		['[0:0:0:0:0:ffff:7f00:1]', 'ipv4Mapped'],
		['[::FFFF:7F00:1]', 'ipv4Mapped'],
		['[::ffff:a9fe:a9fe]', 'ipv4Mapped'],
		['[::ffff:169.254.169.254]', 'ipv4Mapped'],
		['[::ffff:8.8.8.8]', 'ipv4Mapped'],
		['[::ffff:0:7f00:1]', 'rfc6145'],
		// NAT64
		['[64:ff9b::7f00:1]', 'rfc6052'],
		['[64:ff9b::127.0.0.1]', 'rfc6052'],
		['[64:ff9b::8.8.8.8]', 'rfc6052'],
		['[64:ff9b:1::a00:1]', 'rfc6052'],
		// 6to4 and Teredo
		['[2002:7f00:1::]', '6to4'],
		['[2002:a9fe:a9fe::1]', '6to4'],
		['[2001:0:4136:e378:8000:63bf:3fff:fdd2]', 'teredo'],
		// IPv4-compatible ::/96
		['[::7f00:1]', 'ipv4Compatible'],
		['[::127.0.0.1]', 'ipv4Compatible'],
		['[::8.8.8.8]', 'ipv4Compatible'],
		// other IPv6 ranges
		['[fe80::1]', 'linkLocal'],
		['[febf:ffff::1]', 'linkLocal'],
		['[fc00::1]', 'uniqueLocal'],
		['[fd12:3456::1]', 'uniqueLocal'],
		['[ff02::1]', 'multicast'],
		['[::]', 'unspecified'],
		['[::1]', 'loopback'],
		['::1', 'loopback'],
		['[0:0:0:0:0:0:0:1]', 'loopback'],
		['[fec0::1]', 'deprecatedSiteLocal'],
		['[2001:db8::1]', 'reserved'],
		['[100::1]', 'discard'],
		['[5f00::1]', 'segmentRouting'],
		// IPv4 in every notation a URL accepts
		['127.0.0.1', 'loopback'],
		['127.0.0.1.', 'loopback'],
		['2130706433', 'loopback'],
		['0177.0.0.1', 'loopback'],
		['0x7f.1', 'loopback'],
		['0x7f000001', 'loopback'],
		['0X7F.0.0.1', 'loopback'],
		['127.1', 'loopback'],
		['127.0.1', 'loopback'],
		['0x7f.0x0.0x0.0x1', 'loopback'],
		['017700000001', 'loopback'],
		['%31%32%37.0.0.1', 'loopback'],
		['１２７.０.０.１', 'loopback'],
		['0', 'unspecified'],
		['0.0.0.0', 'unspecified'],
		['10.0.0.1', 'private'],
		['100.64.0.1', 'carrierGradeNat'],
		['100.127.255.255', 'carrierGradeNat'],
		['127.8.9.10', 'loopback'],
		['169.254.169.254', 'linkLocal'],
		['2852039166', 'linkLocal'],
		['172.16.0.1', 'private'],
		['172.31.255.255', 'private'],
		['192.0.0.1', 'reserved'],
		['192.0.2.1', 'reserved'],
		['192.88.99.1', 'reserved'],
		['192.168.1.20', 'private'],
		['198.18.0.1', 'reserved'],
		['198.19.255.255', 'reserved'],
		['198.51.100.1', 'reserved'],
		['203.0.113.1', 'reserved'],
		['224.0.0.1', 'multicast'],
		['239.255.255.255', 'multicast'],
		['240.0.0.1', 'reserved'],
		['255.255.255.254', 'reserved'],
		['255.255.255.255', 'broadcast'],
		['4294967295', 'broadcast'],
		['192.175.48.1', 'as112'],
		['192.52.193.1', 'amt'],
		// names
		['localhost', 'local'],
		['LOCALHOST', 'local'],
		['localhost.', 'local'],
		['n8n.localhost', 'local'],
		['n8n.localhost.', 'local'],
		['simulator', 'local'],
		['simulator.', 'local'],
		['metadata.google.internal', 'local'],
		['printer.local', 'local'],
		['router.home.arpa', 'local'],
		['localhost.localdomain', 'local'],
		['.localhost', 'local'],
		['a..b', 'local'],
		['localhost..', 'local'],
	])('%s is not public (%s)', (host, range) => {
		expect(classifyHost(host)).toMatchObject({ range, public: false });
		expect(isPrivateHost(host)).toBe(true);
	});

	it.each(['', '   ', 'localhost:5678', 'a/b', 'user@127.0.0.1', 'fe80::1%eth0', '[fe80::1%25eth0]', '1.2.3.256', '0x100000000', '09.0.0.1', '[1:2:3:4:5:6:7::8]', '[::1]:8080'])(
		'%j is not a host, so it is not public',
		(host) => {
			expect(classifyHost(host)).toMatchObject({ kind: 'invalid', public: false });
			expect(isPrivateHost(host)).toBe(true);
		},
	);

	it.each([
		['api.kie.ai', 'name'],
		['API.KIE.AI.', 'name'],
		['tempfile.aiquickdraw.com', 'name'],
		['8.8.8.8', 'unicast'],
		['134744072', 'unicast'],
		['0x8080808', 'unicast'],
		['1.1.1.1.', 'unicast'],
		['172.32.0.1', 'unicast'],
		['172.15.255.255', 'unicast'],
		['192.169.0.1', 'unicast'],
		['100.128.0.1', 'unicast'],
		['100.63.255.255', 'unicast'],
		['198.20.0.1', 'unicast'],
		['223.255.255.255', 'unicast'],
		['[2606:4700::1111]', 'unicast'],
		['2606:4700::1111', 'unicast'],
		['[2a00:1450:4001::200e]', 'unicast'],
		['[64:ff9a::1]', 'unicast'],
		['[2003::1]', 'unicast'],
		['[::1:0:0:1]', 'unicast'],
	])('%s is public (%s)', (host, range) => {
		expect(classifyHost(host)).toMatchObject({ range, public: true });
		expect(isPrivateHost(host)).toBe(false);
	});

	it('writes the host as a URL would connect to it', () => {
		expect(classifyHost('0x7f.1').host).toBe('127.0.0.1');
		expect(classifyHost('::ffff:127.0.0.1').host).toBe('[::ffff:7f00:1]');
		expect(classifyHost('API.Kie.AI').host).toBe('api.kie.ai');
	});
});

describe('parseIPv4 and parseIPv6', () => {
	it('read canonical forms and refuse the rest', () => {
		expect(parseIPv4('127.0.0.1')).toBe(0x7f000001);
		expect(parseIPv4('255.255.255.255')).toBe(0xffffffff);
		for (const text of ['127.1', '0177.0.0.1', '256.0.0.1', '1.2.3', '1.2.3.4.5', '', '1..2.3']) expect(parseIPv4(text)).toBeUndefined();
		expect(parseIPv6('::')).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
		expect(parseIPv6('::ffff:127.0.0.1')).toEqual([0, 0, 0, 0, 0, 0xffff, 0x7f00, 1]);
		expect(parseIPv6('1:2:3:4:5:6:7:8')).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
		expect(parseIPv6('1::')).toEqual([1, 0, 0, 0, 0, 0, 0, 0]);
		for (const text of ['1:2:3:4:5:6:7', '1:2:3:4:5:6:7:8:9', '1::2::3', '12345::', ':1::', '1:2:3:4:5:6:7::8', 'g::1', '::1.2.3', '127.0.0.1', ''])
			expect([text, parseIPv6(text)]).toEqual([text, undefined]);
	});
});

// -- the policy ---------------------------------------------------------------------------------------

describe('isPrivateUrl', () => {
	it('reads the host of a URL, and is false for what is not a URL', () => {
		expect(isPrivateUrl('http://localhost:5678/webhook-waiting/12?signature=x')).toBe(true);
		expect(isPrivateUrl('http://192.168.1.4:5678/webhook-waiting/12')).toBe(true);
		expect(isPrivateUrl('http://[::ffff:127.0.0.1]:5678/webhook-waiting/12')).toBe(true);
		expect(isPrivateUrl('http://2130706433:5678/')).toBe(true);
		expect(isPrivateUrl('http://localhost.:5678/')).toBe(true);
		expect(isPrivateUrl('https://n8n.example.com/webhook-waiting/12')).toBe(false);
		expect(isPrivateUrl('https://api.kie.ai')).toBe(false);
		expect(isPrivateUrl('not a url')).toBe(false);
	});
});

describe('refusedUrl: a private Base URL trusts its own origin only', () => {
	const publicKie = addressPolicyFor({ baseUrl: 'https://api.kie.ai', uploadBaseUrl: 'https://kieai.redpandaai.co' });
	const simulator = addressPolicyFor({ baseUrl: 'http://127.0.0.1:8787/', uploadBaseUrl: 'http://127.0.0.1:8787' });

	it('trusts nothing private for KIE\'s public hosts, and the defaults are KIE\'s', () => {
		expect([...publicKie.trustedOrigins]).toEqual([]);
		expect([...addressPolicyFor({}).trustedOrigins]).toEqual([]);
		expect([...addressPolicyFor(undefined).trustedOrigins]).toEqual([]);
		expect(refusedUrl('https://tempfile.aiquickdraw.com/r/a.png', publicKie)).toBeUndefined();
		expect(refusedUrl('http://127.0.0.1:8787/files/a.png', publicKie)).toBe(
			"127.0.0.1 is a loopback or private address, and the KIE API credential's Base URL is not",
		);
		expect(refusedUrl('http://[::ffff:127.0.0.1]:8787/a.png', publicKie)).toMatch(/^\[::ffff:7f00:1\] is a loopback or private address/);
		expect(refusedUrl('http://[::ffff:a9fe:a9fe]/latest/meta-data/', publicKie)).toMatch(/is a loopback or private address/);
	});

	it('trusts the private Base URL\'s origin (scheme, host and port), and nothing else private', () => {
		expect([...simulator.trustedOrigins]).toEqual(['http://127.0.0.1:8787']);
		expect(refusedUrl('http://127.0.0.1:8787/files/task_1/0.png', simulator)).toBeUndefined();
		expect(refusedUrl('https://cdn.example.com/a.png', simulator)).toBeUndefined();
		for (const url of [
			'http://127.0.0.1:9/a.png',
			'http://127.0.0.1/a.png',
			'https://127.0.0.1:8787/a.png',
			'http://localhost:8787/a.png',
			'http://[::ffff:127.0.0.1]:8787/a.png',
			'http://[::1]:8787/a.png',
			'http://10.0.0.8:8787/a.png',
			'http://169.254.169.254/latest/meta-data/',
		]) {
			expect([url, refusedUrl(url, simulator)]).toEqual([url, expect.stringContaining("is a loopback or private address other than the KIE API credential's own (http://127.0.0.1:8787)")]);
		}
	});

	it('reads the credential\'s URLs as a URL does: any spelling of the same origin is that origin', () => {
		const spelled = addressPolicyFor({ baseUrl: 'http://2130706433:8787', uploadBaseUrl: 'https://kieai.redpandaai.co' });
		expect([...spelled.trustedOrigins]).toEqual(['http://127.0.0.1:8787']);
		expect(refusedUrl('http://0x7f.1:8787/files/a.png', spelled)).toBeUndefined();
	});

	it('trusts a private Upload Base URL too, and a public Base URL adds nothing', () => {
		const mixed = addressPolicyFor({ baseUrl: 'http://api.kie.ai:8787', uploadBaseUrl: 'http://192.168.1.5:3000/' });
		expect([...mixed.trustedOrigins]).toEqual(['http://192.168.1.5:3000']);
		expect(refusedUrl('http://192.168.1.5:3000/files/a.png', mixed)).toBeUndefined();
		expect(refusedUrl('http://192.168.1.5:3001/files/a.png', mixed)).toMatch(/other than the KIE API credential's own/);
	});

	it('fetches only http(s), and refuses what is not a URL', () => {
		expect(refusedUrl('file:///etc/passwd', simulator)).toBe('only http(s) results are downloaded');
		expect(refusedUrl('ftp://127.0.0.1:8787/a.png', simulator)).toBe('only http(s) results are downloaded');
		expect(refusedUrl('not a url', simulator)).toBe('it is not a URL');
		expect([...addressPolicyFor({ baseUrl: 'not a url', uploadBaseUrl: 'ftp://127.0.0.1' }).trustedOrigins]).toEqual([]);
	});
});

describe('kieIsLocal', () => {
	const ctx = (credentials: object | Error) => ({
		getCredentials: async () => {
			if (credentials instanceof Error) throw credentials;
			return credentials;
		},
	});
	it('says whether the credential\'s Base URL is private', async () => {
		expect(await kieIsLocal(ctx({ baseUrl: 'http://127.0.0.1:8787' }) as never)).toBe(true);
		expect(await kieIsLocal(ctx({ baseUrl: 'http://[::ffff:127.0.0.1]:8787' }) as never)).toBe(true);
		expect(await kieIsLocal(ctx({ baseUrl: 'https://api.kie.ai' }) as never)).toBe(false);
		expect(await kieIsLocal(ctx({}) as never)).toBe(false);
		expect(await kieIsLocal(ctx(new Error('no credential')) as never)).toBe(false);
	});
});
