import { DEFAULT_DOWNLOAD_LIMIT_MB, downloadSettings } from '../../../nodes/shared/output/download';

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
