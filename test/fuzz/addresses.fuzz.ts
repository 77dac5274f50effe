import fc from 'fast-check';
import ipaddr from 'ipaddr.js';

import { isPrivateHost, isPrivateUrl } from '../../nodes/shared/transport/addresses';
import { fuzz } from './support';

/**
 * Result URLs come from KIE's answers and callbacks: the host may be written any way a URL parser accepts.
 * The package's private-address policy is checked against an independent classifier (ipaddr.js, a
 * devDependency only): an address is public only if ipaddr.js calls it `unicast` and it is not an
 * IPv4-compatible IPv6 address (`::/96`).
 */

function oracleIsPrivate(hostname: string): boolean {
	const bare = hostname.replace(/^\[|\]$/g, '');
	if (!ipaddr.isValid(bare)) throw new Error(`the oracle cannot read ${hostname}`);
	const address = ipaddr.parse(bare);
	if (address.kind() === 'ipv6') {
		const parts = (address as ipaddr.IPv6).parts;
		if (parts.slice(0, 6).every((part) => part === 0)) return true;
	}
	return address.range() !== 'unicast';
}

const octet = fc.integer({ min: 0, max: 255 });
const v4 = fc.tuple(octet, octet, octet, octet);
/** One IPv4 address in the spellings a URL parser accepts: dotted, decimal, hex, octal, short forms. */
const v4Spelled = fc.tuple(v4, fc.nat(5)).map(([[a, b, c, d], form]) => {
	const value = ((a << 24) >>> 0) + (b << 16) + (c << 8) + d;
	switch (form) {
		case 0:
			return `${a}.${b}.${c}.${d}`;
		case 1:
			return String(value);
		case 2:
			return `0x${value.toString(16)}`;
		case 3:
			return [a, b, c, d].map((part) => `0${part.toString(8)}`).join('.');
		case 4:
			return `${a}.${(b << 16) + (c << 8) + d}`;
		default:
			return `${a}.${b}.${(c << 8) + d}`;
	}
});
/** IPv6 addresses, some with an IPv4 address embedded under a special prefix. */
const prefixes = ['::ffff:', '::', '64:ff9b::', '64:ff9b:1::', '2002:', '2001:0:', 'fe80::', 'fc00::', 'ff02::', '2001:db8::', '2600::', '100::'];
const v6 = fc.oneof(
	fc.ipV6(),
	fc.tuple(fc.constantFrom(...prefixes), v4).map(([prefix, [a, b, c, d]]) => {
		if (prefix === '2002:') return `2002:${((a << 8) + b).toString(16)}:${((c << 8) + d).toString(16)}::1`;
		if (prefix === '2001:0:') return `2001:0:${((a << 8) + b).toString(16)}:${((c << 8) + d).toString(16)}::1`;
		return `${prefix}${a}.${b}.${c}.${d}`;
	}),
);

describe('fuzz: the private-address policy against ipaddr.js', () => {
	it('agrees on every IPv4 address in every spelling a URL accepts', async () => {
		const figures = await fuzz('addresses: IPv4 spellings vs ipaddr.js', v4Spelled, (spelled) => {
			const hostname = new URL(`http://${spelled}/`).hostname;
			const ours = isPrivateHost(spelled) === isPrivateHost(hostname) && isPrivateUrl(`http://${spelled}:8080/r.png`) === isPrivateHost(hostname);
			return ours && isPrivateHost(hostname) === oracleIsPrivate(hostname);
		});
		expect(figures.failures).toBe(0);
	});

	it('agrees on IPv6 addresses, with and without an embedded IPv4 address', async () => {
		const figures = await fuzz('addresses: IPv6 (embedded IPv4 too) vs ipaddr.js', v6, (address) => {
			const hostname = new URL(`http://[${address}]/`).hostname;
			return isPrivateHost(hostname) === oracleIsPrivate(hostname) && isPrivateHost(address) === isPrivateHost(hostname);
		});
		expect(figures.failures).toBe(0);
	});

	it('never calls a name under localhost, a dotless name or a trailing-dot spelling of either public, and never throws on any text', async () => {
		const label = fc.stringMatching(/^[a-z0-9-]{1,12}$/);
		const figures = await fuzz(
			'addresses: names and random text',
			fc.oneof(
				label.map((name) => ({ host: name, private: true })),
				label.map((name) => ({ host: `${name}.localhost.`, private: true })),
				fc.constantFrom('localhost', 'LOCALHOST', 'localhost.', 'Localhost.').map((host) => ({ host, private: true })),
				fc.string({ maxLength: 80 }).map((host) => ({ host, private: undefined })),
			),
			({ host, private: expected }) => {
				const result = isPrivateHost(host);
				isPrivateUrl(`http://${host}/x`);
				return expected === undefined || result === expected;
			},
		);
		expect(figures.failures).toBe(0);
	});
});
