import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { parseBatch, type BatchRecord } from '../../../nodes/KieCreateTask/actions/batch';
import { KieCreateTask } from '../../../nodes/KieCreateTask/KieCreateTask.node';
import { KieGetTask } from '../../../nodes/KieGetTask/KieGetTask.node';
import { KieTrigger } from '../../../nodes/KieTrigger/KieTrigger.node';
import { downloadResults, downloadSettings } from '../../../nodes/shared/output/download';
import { makePng, sha256Hex, signCallback, startSimulator, type LoggedRequest, type Simulator } from '../../../simulator';
import { startChunkedServer, type ChunkedServer } from '../../support/chunked-server';
import { runWebhook, runWorkflow, type BinaryInput, type RunResult } from '../../support/harness';
import { credentialsFor, FAST, model, SIM_ACCOUNT } from '../setup';

const HMAC = 'whk_files_test_key';
const MB = 1024 * 1024;

let sim: Simulator;
let files: ChunkedServer;
beforeAll(async () => {
	sim = await startSimulator({ apiKey: SIM_ACCOUNT, genMs: 150, hmacKey: HMAC, callbackRetries: 0 });
	files = await startChunkedServer();
});
afterAll(async () => {
	await files.close();
	await sim.close();
});
beforeEach(() => sim.reset());

const PNG_A = makePng({ width: 24, height: 16, seed: 'a' });
const PNG_B = makePng({ width: 16, height: 24, seed: 'b' });
const MASK = makePng({ width: 24, height: 16, seed: 'mask' });

const png = (buffer: Buffer, fileName: string): BinaryInput => ({ buffer, fileName, mimeType: 'image/png' });

async function create(
	parameters: INodeParameters,
	binary: Record<string, BinaryInput>[],
	options: { continueOnFail?: boolean } = {},
): Promise<RunResult> {
	return await runWorkflow({
		nodeTypes: [KieCreateTask, KieGetTask],
		credentials: credentialsFor(sim),
		nodes: [{ name: 'KIE', type: 'kieCreateTask', parameters, continueOnFail: options.continueOnFail }],
		input: binary.map((entry) => ({ json: {}, binary: entry })),
		binaryMode: 'filesystem',
	});
}

const uploads = () => sim.requestsFor('uploadStream');
const uploadedUrl = (request: LoggedRequest) => (request.response?.data as { downloadUrl: string }).downloadUrl;
const uploadedFile = (request: LoggedRequest) => (request.body as { file: { sha256: string; size: number } }).file;

describe('Create Task: input images from binary', () => {
	it('Market (input_urls): uploads each file byte for byte and sends its URL after the Input URLs', async () => {
		const run = await create(
			{
				model: model('gpt-image/1.5-image-to-image'),
				prompt: 'put the dress on the model',
				inputUrls: 'https://example.com/model.png',
				options: { ...FAST, inputImagesFromBinary: 'data, data_1' },
			},
			[{ data: png(PNG_A, 'a.png'), data_1: png(PNG_B, 'b.png') }],
		);
		expect(run.error).toBeUndefined();
		expect(uploads()).toHaveLength(2);
		expect(uploads().map(uploadedFile).map((file) => file.sha256)).toEqual([sha256Hex(PNG_A), sha256Hex(PNG_B)]);
		const [createRequest] = sim.requestsFor('createTask');
		expect((createRequest.body as { input: IDataObject }).input.input_urls).toEqual([
			'https://example.com/model.png',
			uploadedUrl(uploads()[0]),
			uploadedUrl(uploads()[1]),
		]);
		// The uploads happen before the create.
		expect(uploads()[1].at).toBeLessThanOrEqual(createRequest.at);
		expect(run.output('KIE')[0].json).toMatchObject({ state: 'success' });
	});

	it('Market: binary files alone satisfy a required image field', async () => {
		const run = await create(
			{ model: model('gpt-image/1.5-image-to-image'), prompt: 'p', options: { ...FAST, inputImagesFromBinary: 'data' } },
			[{ data: png(PNG_A, 'a.png') }],
		);
		expect(run.error).toBeUndefined();
		expect((sim.requestsFor('createTask')[0].body as { input: IDataObject }).input.input_urls).toEqual([uploadedUrl(uploads()[0])]);
	});

	it('4o Image: filesUrl and maskUrl from binary', async () => {
		const run = await create(
			{
				model: model('4o-image'),
				prompt: 'replace the sky',
				options: { ...FAST, inputImagesFromBinary: 'photo', maskFromBinary: 'mask' },
			},
			[{ photo: png(PNG_A, 'photo.png'), mask: png(MASK, 'mask.png') }],
		);
		expect(run.error).toBeUndefined();
		expect(uploads().map(uploadedFile).map((file) => file.sha256)).toEqual([sha256Hex(PNG_A), sha256Hex(MASK)]);
		const body = sim.requestsFor('4oGenerate')[0].body as IDataObject;
		expect(body.filesUrl).toEqual([uploadedUrl(uploads()[0])]);
		expect(body.maskUrl).toBe(uploadedUrl(uploads()[1]));
	});

	it('Flux Kontext (inputImage, one URL): sends the uploaded URL as a string', async () => {
		const run = await create(
			{ model: model('flux-kontext-pro'), prompt: 'make it night', options: { ...FAST, inputImagesFromBinary: 'data' } },
			[{ data: png(PNG_A, 'day.png') }],
		);
		expect(run.error).toBeUndefined();
		expect(uploadedFile(uploads()[0]).sha256).toBe(sha256Hex(PNG_A));
		expect((sim.requestsFor('fluxGenerate')[0].body as IDataObject).inputImage).toBe(uploadedUrl(uploads()[0]));
	});

	it('checks the count (Input URLs + binaries) before uploading anything', async () => {
		const run = await create(
			{
				model: model('4o-image'),
				prompt: 'p',
				inputUrls: 'https://e.com/1.png, https://e.com/2.png, https://e.com/3.png, https://e.com/4.png',
				options: { inputImagesFromBinary: 'data, data_1' },
			},
			[{ data: png(PNG_A, 'a.png'), data_1: png(PNG_B, 'b.png') }],
		);
		expect(run.error?.message).toMatch(/Item 1: "Input URLs" of 4o-image takes at most 5 files \(got 6: 4 from "Input URLs", 2 from "Input Images From Binary"\)/);
		expect(uploads()).toHaveLength(0);
		expect(sim.requestsFor('4oGenerate')).toHaveLength(0);
	});

	it('a single-URL field takes one file in all', async () => {
		const run = await create(
			{ model: model('flux-kontext-pro'), prompt: 'p', inputUrls: 'https://e.com/a.png', options: { inputImagesFromBinary: 'data' } },
			[{ data: png(PNG_A, 'a.png') }],
		);
		expect(run.error?.message).toMatch(/takes at most 1 file \(got 2/);
		expect(uploads()).toHaveLength(0);
	});

	it('checks the MIME type and the size before uploading anything', async () => {
		const text = await create(
			{ model: model('gpt-image/1.5-image-to-image'), prompt: 'p', options: { inputImagesFromBinary: 'data' } },
			[{ data: { buffer: Buffer.from('hello'), fileName: 'notes.txt', mimeType: 'text/plain' } }],
		);
		expect(text.error?.message).toMatch(/"notes.txt" \(binary property "data"\) is text\/plain, but "Input URLs" of gpt-image\/1.5-image-to-image accepts image\/jpeg, image\/png, image\/webp/);
		const big = Buffer.concat([PNG_A, Buffer.alloc(11 * MB)]);
		const large = await create(
			{ model: model('gpt-image/1.5-image-to-image'), prompt: 'p', options: { inputImagesFromBinary: 'data' } },
			[{ data: png(big, 'big.png') }],
		);
		expect(large.error?.message).toMatch(/"big.png" \(binary property "data"\) has 11\.0 MB, but .* takes files up to 10 MB/);
		expect(uploads()).toHaveLength(0);
		expect(sim.requestsFor('createTask')).toHaveLength(0);
	});

	it('validates every item before the first upload', async () => {
		const run = await create(
			{ model: model('gpt-image/1.5-image-to-image'), prompt: 'p', options: { inputImagesFromBinary: 'data' } },
			[{ data: png(PNG_A, 'a.png') }, { other: png(PNG_B, 'b.png') }],
		);
		expect(run.error?.message).toMatch(/Item 2: "Input Images From Binary" names binary property "data", which the item does not have/);
		expect(run.error?.description).toMatch(/binary properties: other/);
		expect(uploads()).toHaveLength(0);
	});

	it('offers neither option for a built-in model that cannot use it (n8n drops such a value); the run checks them for the others (see prepare.test.ts)', async () => {
		const text = await create(
			{ model: model('gpt-image/1.5-text-to-image'), prompt: 'p', options: { inputImagesFromBinary: 'data', maskFromBinary: 'data' } },
			[{ data: png(PNG_A, 'a.png') }],
		);
		expect(text.error).toBeUndefined();
		expect(uploads()).toHaveLength(0);
		expect(sim.requestsFor('createTask')[0].body).toMatchObject({ input: { prompt: 'p' } });
		expect(JSON.stringify(sim.requestsFor('createTask')[0].body)).not.toContain('input_urls');
	});
});

describe('Download results: output modes and limits', () => {
	const textToImage = { model: model('gpt-image/1.5-text-to-image'), prompt: 'a lighthouse' };

	it('reads the options, and the boolean of saved workflows as "both"', () => {
		// Without a limit set, downloads stop at 200 MB; 0 means no limit.
		expect(downloadSettings({})).toEqual({ output: 'url', maxSizeMB: 200 });
		expect(downloadSettings({ downloadResults: true })).toEqual({ output: 'both', maxSizeMB: 200 });
		expect(downloadSettings({ downloadResults: true, downloadOutput: 'binary', maxDownloadSizeMB: 5 })).toEqual({ output: 'binary', maxSizeMB: 5 });
		expect(downloadSettings({ downloadResults: true, maxDownloadSizeMB: 0 })).toEqual({ output: 'both', maxSizeMB: 0 });
		expect(downloadSettings({ downloadResults: false, downloadOutput: 'binary' })).toEqual({ output: 'url', maxSizeMB: 200 });
	});

	it('keeps the download settings of a Wait for Callback batch', () => {
		const tasks = [{ item: 0, taskId: 't1', family: 'market' as const, model: 'gpt-image/1.5-text-to-image' }];
		const record: BatchRecord = { v: 2, resumeUrl: 'http://localhost/w/1', since: '2026-11-30T00:00:00.000Z', items: 1, download: { output: 'binary', maxSizeMB: 2.5 }, includeRaw: false, tasks, unsubmitted: [], settled: [] };
		expect(parseBatch(JSON.stringify(record))?.download).toEqual({ output: 'binary', maxSizeMB: 2.5 });
	});

	it('"Files and URLs" (a saved downloadResults: true) keeps resultUrls and lists the files', async () => {
		const run = await create({ ...textToImage, options: { ...FAST, downloadResults: true } }, [{}]);
		const [item] = run.output('KIE');
		expect(item.json.resultUrls).toHaveLength(1);
		expect(item.json.files).toEqual([{ property: 'data', fileName: expect.stringMatching(/\.png$/), mimeType: 'image/png', fileSize: expect.any(Number) }]);
		const served = Buffer.from(await (await fetch((item.json.resultUrls as string[])[0])).arrayBuffer());
		expect((await run.binaryBuffer(item, 'data')).equals(served)).toBe(true);
	});

	it('"Files Only" leaves resultUrls out; "url" downloads nothing', async () => {
		const binary = await create({ ...textToImage, options: { ...FAST, downloadResults: true, downloadOutput: 'binary' } }, [{}]);
		const [item] = binary.output('KIE');
		expect(item.json).not.toHaveProperty('resultUrls');
		expect(item.json).toMatchObject({ state: 'success', taskId: expect.any(String) });
		expect(item.binary?.data.mimeType).toBe('image/png');
		const url = await create({ ...textToImage, options: { ...FAST, downloadOutput: 'binary' } }, [{}]);
		expect(url.output('KIE')[0].binary).toBeUndefined();
		expect(url.output('KIE')[0].json.resultUrls).toHaveLength(1);
	});

	it('puts several results into data, data_1, … in result order', async () => {
		const run = await create(
			{ model: model('4o-image'), prompt: 'a cat', nVariants: 2, options: { ...FAST, downloadResults: true } },
			[{}],
		);
		const [item] = run.output('KIE');
		expect(Object.keys(item.binary ?? {})).toEqual(['data', 'data_1']);
		const urls = item.json.resultUrls as string[];
		for (const [index, prop] of ['data', 'data_1'].entries()) {
			const served = Buffer.from(await (await fetch(urls[index])).arrayBuffer());
			expect((await run.binaryBuffer(item, prop)).equals(served)).toBe(true);
		}
	});

	it('fails the item naming the task id when Content-Length is over the limit', async () => {
		sim.nextTask({ resultBytes: 3 * MB });
		const run = await create({ ...textToImage, options: { ...FAST, downloadResults: true, maxDownloadSizeMB: 1 } }, [{}], { continueOnFail: true });
		const [item] = run.output('KIE');
		const taskId = sim.requestsFor('createTask')[0].taskId!;
		expect(item.json.error).toBe(`Item 1: result 0 of task ${taskId} is larger than the download limit of 1 MB`);
		expect(item.json.errorDescription).toMatch(/The file has 3 MB/);
	});

	it('Get Task downloads a large result within the limit, streamed', async () => {
		sim.nextTask({ resultBytes: 5 * MB, genMs: 1 });
		const submitted = await create({ ...textToImage, completion: 'submit' }, [{}]);
		const taskId = submitted.output('KIE')[0].json.taskId as string;
		await sim.waitForTask(taskId);
		const run = await runWorkflow({
			nodeTypes: [KieCreateTask, KieGetTask],
			credentials: credentialsFor(sim),
			nodes: [{ name: 'Get', type: 'kieGetTask', parameters: { taskId, options: { downloadResults: true, maxDownloadSizeMB: 6 } } }],
			binaryMode: 'filesystem',
		});
		const [item] = run.output('Get');
		expect(item.binary?.data.bytes).toBe(5 * MB);
		expect((await run.binaryBuffer(item, 'data')).length).toBe(5 * MB);
	});
});

describe('Download results in the Trigger: streamed size limit, names, MIME types, URL schemes', () => {
	const callback = (taskId: string, urls: string[]) => ({
		code: 200,
		msg: 'ok',
		data: { taskId, model: 'm', state: 'success', resultJson: JSON.stringify({ resultUrls: urls }) },
	});
	async function trigger(taskId: string, urls: string[], options: IDataObject) {
		const body = callback(taskId, urls);
		const at = Math.floor(Date.now() / 1000);
		const result = await runWebhook(
			KieTrigger,
			{ options } as never,
			// The file server stands in for KIE's file host. It is on loopback, and a private address is
			// downloaded only from the credential's own Base URL or Upload Base URL (the Trigger uploads nothing).
			{ kieApi: { apiKey: SIM_ACCOUNT, baseUrl: sim.url, uploadBaseUrl: files.url, webhookHmacKey: HMAC } },
			{
				method: 'POST',
				body,
				headers: { 'x-webhook-timestamp': String(at), 'x-webhook-signature': signCallback(HMAC, taskId, at), 'content-type': 'application/json' },
			},
			{ staticData: {}, binaryMode: 'filesystem' },
		);
		return { result, item: result.workflowData![0][0] };
	}

	it('counts the bytes while streaming when there is no Content-Length', async () => {
		const { item } = await trigger('task_cap_1', [`${files.url}/bytes/${3 * MB}.png`], { downloadResults: true, maxDownloadSizeMB: 1 });
		expect(item.json.error).toBe('Item 1: result 0 of task task_cap_1 is larger than the download limit of 1 MB');
		expect(item.binary).toBeUndefined();
	});

	it('names files by URL with the extension of the response MIME type', async () => {
		const { result, item } = await trigger(
			'task_names_1',
			[`${files.url}/bytes/1000.mp4`, `${files.url}/bytes/2000.png?length=1`],
			{ downloadResults: true, downloadOutput: 'binary', maxDownloadSizeMB: 1 },
		);
		expect(item.json.error).toBeUndefined();
		expect(item.json).not.toHaveProperty('resultUrls');
		expect(item.binary?.data).toMatchObject({ fileName: '1000.mp4', mimeType: 'video/mp4' });
		expect(item.binary?.data_1).toMatchObject({ fileName: '2000.png', mimeType: 'image/png' });
		expect((await result.binaryBuffer(item, 'data')).length).toBe(1000);
		expect((await result.binaryBuffer(item, 'data_1')).length).toBe(2000);
	});

	it('refuses a result URL that is not http(s), before fetching anything', async () => {
		// The normalizer keeps only http(s) URLs; the download checks again.
		const httpRequest = jest.fn();
		const ctx = {
			getNode: () => ({ name: 'KIE', type: 'kieGetTask', typeVersion: 1, position: [0, 0], parameters: {} }),
			getCredentials: async () => ({ baseUrl: files.url }),
			helpers: { httpRequest },
		};
		await expect(
			downloadResults.call(ctx as never, [`${files.url}/bytes/10.png`, 'file:///etc/passwd'], 'task_file_1', 0),
		).rejects.toThrow('Item 1: result 1 of task task_file_1 was not downloaded: only http(s) results are downloaded');
		expect(httpRequest).not.toHaveBeenCalled();
		const { item } = await trigger('task_ftp_1', ['ftp://files.example.com/a.png'], { downloadResults: true });
		expect(item.binary).toBeUndefined();
	});

	it('refuses a loopback or private result URL, and a redirect to one, when the credential is on KIE\'s public API', async () => {
		const httpRequest = jest.fn(async () => ({ statusCode: 302, headers: { location: 'http://10.0.0.8/secret.png' }, body: { destroy() {} } }));
		const ctx = {
			getNode: () => ({ name: 'KIE', type: 'kieGetTask', typeVersion: 1, position: [0, 0], parameters: {} }),
			getCredentials: async () => ({ baseUrl: 'https://api.kie.ai' }),
			helpers: { httpRequest },
		};
		await expect(downloadResults.call(ctx as never, ['http://127.0.0.1:9/a.png'], 'task_lo_1', 0)).rejects.toThrow(
			'Item 1: result 0 of task task_lo_1 was not downloaded: 127.0.0.1 is a loopback or private address',
		);
		expect(httpRequest).not.toHaveBeenCalled();
		await expect(downloadResults.call(ctx as never, ['https://cdn.example.com/a.png'], 'task_lo_2', 1)).rejects.toThrow(
			'Item 2: result 0 of task task_lo_2 was not downloaded: it redirects to http://10.0.0.8/secret.png, and 10.0.0.8 is a loopback or private address',
		);
		expect(httpRequest).toHaveBeenCalledTimes(1);
		expect(httpRequest.mock.calls[0]).toEqual([expect.objectContaining({ disableFollowRedirect: true })]);
	});
});
