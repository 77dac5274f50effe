import type { IExecuteFunctions, IWebhookFunctions } from 'n8n-workflow';

import { CREDENTIAL_NAME } from './index';

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

/**
 * Whether a host name is this machine or a private network, as far as its name tells: `localhost`, a
 * name without a dot, or an IP literal in a loopback, private, link-local or shared range. (Community
 * nodes cannot resolve names, so a public name that resolves to a private address is not caught.)
 */
export function isPrivateHost(hostname: string): boolean {
	const host = hostname.toLowerCase().replace(/^\[|\]$/g, '');
	if (host === 'localhost' || host.endsWith('.localhost') || (!host.includes('.') && !host.includes(':'))) return true;
	const v4 = IPV4.exec(host.replace(/^::ffff:/, ''));
	if (v4) {
		const [a, b] = [Number(v4[1]), Number(v4[2])];
		return a === 0 || a === 10 || a === 127 || (a === 169 && b === 254) || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 100 && b >= 64 && b <= 127);
	}
	if (host.includes(':')) return host === '::1' || host === '::' || /^f[cd][0-9a-f]{2}:/.test(host) || /^fe[89ab][0-9a-f]:/.test(host);
	return false;
}

/** Whether a URL's host is loopback or private (see isPrivateHost); false for what is not a URL. */
export function isPrivateUrl(url: string): boolean {
	try {
		return isPrivateHost(new URL(url).hostname);
	} catch {
		return false;
	}
}

/**
 * Whether the KIE API credential's Base URL is itself on a loopback or private address: the simulator, or
 * a proxy on the same network. KIE's public API is not.
 */
export async function kieIsLocal(ctx: IExecuteFunctions | IWebhookFunctions): Promise<boolean> {
	try {
		const credentials = await ctx.getCredentials<{ baseUrl?: string }>(CREDENTIAL_NAME);
		return isPrivateUrl(String(credentials.baseUrl || 'https://api.kie.ai'));
	} catch {
		return false;
	}
}
