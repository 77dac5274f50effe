import { DEFAULT_DOWNLOAD_LIMIT_MB, downloadResults, downloadSettings } from '../../../nodes/shared/output/download';

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

describe('downloadResults: the private-address policy', () => {
	type Answer = { statusCode: number; headers: Record<string, string>; body: { destroy: () => void; emit: (...args: unknown[]) => boolean } };
	const answer = (statusCode: number, headers: Record<string, string> = {}): Answer => ({ statusCode, headers, body: { destroy() {}, emit: () => true } });
	function context(credentials: object, answers: Answer[]) {
		const httpRequest = jest.fn<Promise<Answer>, [{ url: string }]>(async () => answers.shift() ?? answer(200, { 'content-type': 'image/png' }));
		const prepareBinaryData = jest.fn(async (_body: unknown, fileName: string, mimeType?: string) => ({ data: '', mimeType, fileName }));
		const ctx = {
			getNode: () => ({ name: 'KIE', type: 'kieGetTask', typeVersion: 1, position: [0, 0], parameters: {} }),
			getCredentials: async () => credentials,
			helpers: { httpRequest, prepareBinaryData },
		};
		return { ctx: ctx as never, httpRequest };
	}
	const fetched = (httpRequest: jest.Mock<Promise<Answer>, [{ url: string }]>) => httpRequest.mock.calls.map(([options]) => options.url);

	it('refuses an IPv4-mapped loopback URL before fetching anything when KIE is public', async () => {
		const { ctx, httpRequest } = context({ baseUrl: 'https://api.kie.ai' }, []);
		await expect(downloadResults.call(ctx, ['https://cdn.example.com/a.png', 'http://[::ffff:127.0.0.1]:5678/b.png'], 'task_m_1', 0)).rejects.toThrow(
			"Item 1: result 1 of task task_m_1 was not downloaded: [::ffff:7f00:1] is a loopback or private address, and the KIE API credential's Base URL is not",
		);
		expect(httpRequest).not.toHaveBeenCalled();
	});

	it('with a private Base URL, fetches its own origin and refuses every other private address', async () => {
		const own = context({ baseUrl: 'http://127.0.0.1:8787/', uploadBaseUrl: 'http://127.0.0.1:8787' }, []);
		const binary = await downloadResults.call(own.ctx, ['http://127.0.0.1:8787/files/t/0.png', 'https://cdn.example.com/1.png'], 'task_own_1', 0);
		expect(Object.keys(binary)).toEqual(['data', 'data_1']);
		expect(fetched(own.httpRequest)).toEqual(['http://127.0.0.1:8787/files/t/0.png', 'https://cdn.example.com/1.png']);

		const other = context({ baseUrl: 'http://127.0.0.1:8787' }, []);
		await expect(downloadResults.call(other.ctx, ['http://127.0.0.1:8788/files/t/0.png'], 'task_own_2', 2)).rejects.toThrow(
			"Item 3: result 0 of task task_own_2 was not downloaded: 127.0.0.1:8788 is a loopback or private address other than the KIE API credential's own (http://127.0.0.1:8787)",
		);
		expect(other.httpRequest).not.toHaveBeenCalled();
	});

	it('checks every redirect: to the trusted origin or a public host it is followed, to another private address it is not', async () => {
		const followed = context({ baseUrl: 'http://10.0.0.5:8080' }, [
			answer(302, { location: '/files/moved.png' }),
			answer(307, { location: 'https://cdn.example.com/final.png' }),
		]);
		await downloadResults.call(followed.ctx, ['http://10.0.0.5:8080/files/a.png'], 'task_r_1', 0);
		expect(fetched(followed.httpRequest)).toEqual(['http://10.0.0.5:8080/files/a.png', 'http://10.0.0.5:8080/files/moved.png', 'https://cdn.example.com/final.png']);
		expect(followed.httpRequest.mock.calls.every(([options]) => (options as { disableFollowRedirect?: boolean }).disableFollowRedirect === true)).toBe(true);

		const refused = context({ baseUrl: 'http://10.0.0.5:8080' }, [answer(302, { location: 'http://[::ffff:a9fe:a9fe]/latest/meta-data/' })]);
		await expect(downloadResults.call(refused.ctx, ['https://cdn.example.com/a.png'], 'task_r_2', 0)).rejects.toThrow(
			"Item 1: result 0 of task task_r_2 was not downloaded: it redirects to http://[::ffff:a9fe:a9fe]/latest/meta-data/, and [::ffff:a9fe:a9fe] is a loopback or private address other than the KIE API credential's own (http://10.0.0.5:8080)",
		);
		expect(refused.httpRequest).toHaveBeenCalledTimes(1);

		const invalid = context({ baseUrl: 'https://api.kie.ai' }, [answer(302, { location: 'http://[::1' })]);
		await expect(downloadResults.call(invalid.ctx, ['https://cdn.example.com/a.png'], 'task_r_3', 0)).rejects.toThrow(
			'Item 1: result 0 of task task_r_3 was not downloaded: it redirects to http://[::1, which is not a URL',
		);
	});
});
