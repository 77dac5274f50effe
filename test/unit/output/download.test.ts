import { DEFAULT_DOWNLOAD_LIMIT_MB, downloadSettings, isPrivateHost } from '../../../nodes/shared/output/download';

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

describe('downloadSettings', () => {
	it('caps downloads by default, and 0 means no cap', () => {
		expect(DEFAULT_DOWNLOAD_LIMIT_MB).toBe(200);
		expect(downloadSettings({ downloadResults: 'both' }).maxSizeMB).toBe(200);
		expect(downloadSettings({ downloadResults: 'both', maxDownloadSizeMB: '' }).maxSizeMB).toBe(200);
		expect(downloadSettings({ downloadResults: 'both', maxDownloadSizeMB: 'lots' }).maxSizeMB).toBe(200);
		expect(downloadSettings({ downloadResults: 'both', maxDownloadSizeMB: 0 }).maxSizeMB).toBe(0);
		expect(downloadSettings({ downloadResults: 'both', maxDownloadSizeMB: -3 }).maxSizeMB).toBe(0);
	});
});
