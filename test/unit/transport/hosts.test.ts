import { isPrivateHost, isPrivateUrl } from '../../../nodes/shared/transport/hosts';

describe('isPrivateHost', () => {
	it.each([
		'localhost',
		'LOCALHOST',
		'n8n.localhost',
		'simulator',
		'127.0.0.1',
		'127.8.9.10',
		'10.1.2.3',
		'172.16.0.1',
		'172.31.255.255',
		'192.168.1.20',
		'169.254.169.254',
		'100.64.0.1',
		'0.0.0.0',
		'[::1]',
		'::ffff:127.0.0.1',
		'fd12:3456::1',
		'fe80::1',
	])('%s is loopback or private', (host) => expect(isPrivateHost(host)).toBe(true));

	it.each(['api.kie.ai', 'tempfile.aiquickdraw.com', '8.8.8.8', '172.32.0.1', '192.169.0.1', '100.128.0.1', '2606:4700::1111'])(
		'%s is public',
		(host) => expect(isPrivateHost(host)).toBe(false),
	);
});

describe('isPrivateUrl', () => {
	it('reads the host of a URL, and is false for what is not a URL', () => {
		expect(isPrivateUrl('http://localhost:5678/webhook-waiting/12?signature=x')).toBe(true);
		expect(isPrivateUrl('http://192.168.1.4:5678/webhook-waiting/12')).toBe(true);
		expect(isPrivateUrl('https://n8n.example.com/webhook-waiting/12')).toBe(false);
		expect(isPrivateUrl('https://api.kie.ai')).toBe(false);
		expect(isPrivateUrl('not a url')).toBe(false);
	});
});
