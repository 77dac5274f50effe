import type { INodeParameters } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { clearLiveModelCache } from '../../../nodes/shared/api/catalogue';
import { startSimulator, type NextTaskOptions, type Simulator } from '../../../simulator';
import { SIM_ACCOUNT, FAST, model, runNode } from '../setup';

const PNG_MAGIC = Buffer.from([0x89, 0x50, 0x4e, 0x47]);

let sim: Simulator;
/** Task properties by prompt (the creates of one window may reach the simulator in any order). */
const taskByPrompt = new Map<string, NextTaskOptions>();
beforeAll(async () => {
	sim = await startSimulator({
		apiKey: SIM_ACCOUNT,
		genMs: 250,
		taskFor: (_model, body) => taskByPrompt.get(String((body as { input?: { prompt?: string } }).input?.prompt)),
	});
});
afterAll(async () => await sim.close());
beforeEach(() => {
	sim.reset();
	taskByPrompt.clear();
});

const creates = () => sim.requestsFor('createTask');

describe('KIE Create Task: GPT Image 1.5 text-to-image (Market)', () => {
	it('sends the documented body and outputs the normalized result', async () => {
		const run = await runNode(sim, 'kieCreateTask', {
			model: model('gpt-image/1.5-text-to-image'),
			prompt: 'A photorealistic candid photograph of an elderly sailor',
			options: FAST,
		});
		expect(run.status).toBe('success');
		expect(creates()).toHaveLength(1);
		expect(creates()[0].body).toEqual({
			model: 'gpt-image/1.5-text-to-image',
			input: { prompt: 'A photorealistic candid photograph of an elderly sailor', aspect_ratio: '1:1', quality: 'medium' },
		});
		expect(creates()[0].headers.authorization).toBe('Bearer ***');
		const [item] = run.output('KIE');
		expect(item.pairedItem).toEqual({ item: 0 });
		expect(item.json).toMatchObject({
			taskId: creates()[0].taskId,
			model: 'gpt-image/1.5-text-to-image',
			state: 'success',
		});
		// What matters leads; a success has no failure fields, and the raw record is opt-in.
		expect(Object.keys(item.json).slice(0, 4)).toEqual(['taskId', 'model', 'state', 'resultUrls']);
		expect(item.json).not.toHaveProperty('failCode');
		expect(item.json).not.toHaveProperty('failMsg');
		expect(item.json).not.toHaveProperty('raw');
		expect(item.json.resultUrls).toEqual([expect.stringMatching(new RegExp(`^${sim.url}/files/`))]);
		expect(typeof item.json.createTime).toBe('string');
		expect(new Date(item.json.completeTime as string).getTime()).toBeGreaterThan(0);
		expect(sim.requestsFor('recordInfo').length).toBeGreaterThanOrEqual(1);
	});

	it('adds the raw KIE record with Include Raw Record, after the other fields', async () => {
		const run = await runNode(sim, 'kieCreateTask', {
			model: model('gpt-image/1.5-text-to-image'),
			prompt: 'a heron',
			options: { ...FAST, includeRaw: true },
		});
		const [item] = run.output('KIE');
		expect((item.json.raw as { param: unknown }).param).toEqual(creates()[0].body);
		expect(Object.keys(item.json).at(-1)).toBe('raw');
	});

	it('downloads the result as binary with its bytes, name and MIME type', async () => {
		const run = await runNode(sim, 'kieCreateTask', {
			model: model('gpt-image/1.5-text-to-image'),
			prompt: 'a lighthouse',
			aspectRatio: '3:2',
			quality: 'high',
			options: { ...FAST, downloadResults: true },
		});
		const [item] = run.output('KIE');
		expect(item.binary?.data).toMatchObject({ mimeType: 'image/png' });
		expect(item.binary?.data.fileName).toMatch(/\.png$/);
		const bytes = await run.binaryBuffer(item, 'data');
		expect(bytes.subarray(0, 4)).toEqual(PNG_MAGIC);
		const served = Buffer.from(await (await fetch(item.json.resultUrls as unknown as string)).arrayBuffer());
		expect(bytes.equals(served)).toBe(true);
	});

	it('returns the task id at once with completion "submit" and never polls', async () => {
		const run = await runNode(sim, 'kieCreateTask', {
			model: model('gpt-image/1.5-text-to-image'),
			prompt: 'a fox',
			completion: 'submit',
		});
		const [item] = run.output('KIE');
		// Only what is known: the task id first, no empty result list, nulls or raw record.
		expect(item.json).toEqual({ taskId: creates()[0].taskId, model: 'gpt-image/1.5-text-to-image', state: 'pending' });
		expect(Object.keys(item.json)[0]).toBe('taskId');
		expect(sim.requestsFor('recordInfo')).toHaveLength(0);
	});
});

describe('KIE Create Task: GPT Image 1.5 image-to-image (Market)', () => {
	it('sends input_urls from a comma/newline list and the callback URL, as documented', async () => {
		const run = await runNode(sim, 'kieCreateTask', {
			model: model('gpt-image/1.5-image-to-image'),
			inputUrls: 'https://static.aiquickdraw.com/tools/example/1765962794374_GhtqB9oX.webp,\nhttps://example.com/dress.png',
			prompt: 'Dress the woman in the provided clothing',
			options: { ...FAST, callBackUrl: 'https://your-domain.com/api/callback' },
		});
		expect(run.status).toBe('success');
		expect(creates()[0].body).toEqual({
			model: 'gpt-image/1.5-image-to-image',
			callBackUrl: 'https://your-domain.com/api/callback',
			input: {
				input_urls: ['https://static.aiquickdraw.com/tools/example/1765962794374_GhtqB9oX.webp', 'https://example.com/dress.png'],
				prompt: 'Dress the woman in the provided clothing',
				aspect_ratio: '3:2',
				quality: 'medium',
			},
		});
		expect(run.output('KIE')[0].json.state).toBe('success');
	});

	it('takes input URLs from an expression that returns an array', async () => {
		const run = await runNode(
			sim,
			'kieCreateTask',
			{ model: model('gpt-image/1.5-image-to-image'), inputUrls: '={{ $json.images }}', prompt: 'edit', options: FAST },
			{ input: [{ json: { images: ['https://example.com/1.png', 'https://example.com/2.png'] } }] },
		);
		expect(run.status).toBe('success');
		expect((creates()[0].body as { input: { input_urls: string[] } }).input.input_urls).toEqual([
			'https://example.com/1.png',
			'https://example.com/2.png',
		]);
	});
});

describe('KIE Create Task: 4o Image API', () => {
	it('sends the camelCase body and reads the variants', async () => {
		const run = await runNode(sim, 'kieCreateTask', {
			model: model('4o-image'),
			prompt: 'A cute orange cat sitting on a rainbow',
			aspectRatio: '1:1',
			nVariants: 2,
			options: { ...FAST, downloadResults: true },
		});
		expect(run.status).toBe('success');
		const [request] = sim.requestsFor('4oGenerate');
		expect(request.body).toEqual({
			prompt: 'A cute orange cat sitting on a rainbow',
			size: '1:1',
			nVariants: 2,
			isEnhance: false,
			enableFallback: false,
		});
		const [item] = run.output('KIE');
		expect(item.json).toMatchObject({ model: '4o-image', state: 'success' });
		expect(item.json.resultUrls).toHaveLength(2);
		expect(Object.keys(item.binary ?? {})).toEqual(['data', 'data_1']);
		expect((await run.binaryBuffer(item, 'data_1')).subarray(0, 4)).toEqual(PNG_MAGIC);
	});

	it('edits with input images, a mask and fallback', async () => {
		const run = await runNode(sim, 'kieCreateTask', {
			model: model('4o-image'),
			prompt: 'Replace the sky with a starry night sky',
			inputUrls: 'https://example.com/original-image.jpg',
			maskUrl: 'https://example.com/mask-image.png',
			aspectRatio: '3:2',
			enableFallback: true,
			fallbackModel: 'GPT_IMAGE_1',
			options: FAST,
		});
		expect(run.status).toBe('success');
		expect(sim.requestsFor('4oGenerate')[0].body).toEqual({
			prompt: 'Replace the sky with a starry night sky',
			filesUrl: ['https://example.com/original-image.jpg'],
			size: '3:2',
			nVariants: 1,
			maskUrl: 'https://example.com/mask-image.png',
			isEnhance: false,
			enableFallback: true,
			fallbackModel: 'GPT_IMAGE_1',
		});
	});
});

describe('KIE Create Task: bad input fails before any request', () => {
	/** `allowed`: the free requests the check may make (the live model list), and nothing else. */
	const expectRejected = async (parameters: INodeParameters, pattern: RegExp, allowed: string[] = []) => {
		const run = await runNode(sim, 'kieCreateTask', { options: FAST, ...parameters });
		expect(run.status).toBe('error');
		expect(run.error).toBeInstanceOf(NodeOperationError);
		expect(run.error?.message).toMatch(pattern);
		expect(sim.requests.map((request) => request.path)).toEqual(allowed);
		return run.error!;
	};

	it('a wrong aspect ratio names the field, the allowed values and the item', async () => {
		const error = await expectRejected(
			{ model: model('gpt-image/1.5-text-to-image'), prompt: 'p', aspectRatio: '4:3' },
			/^Item 1: "Aspect Ratio" \(parameter "aspectRatio", sent as "aspect_ratio"\) must be one of 1:1, 2:3, 3:2 \(got "4:3"\)$/,
		);
		expect(error.description).toContain('Nothing was sent to KIE');
	});

	it('names a bad item once, counted from 1 as the editor counts items, and repeats a rejected URL', async () => {
		const run = await runNode(
			sim,
			'kieCreateTask',
			{ model: model('gpt-image/1.5-image-to-image'), prompt: 'p', inputUrls: '={{ $json.url }}', options: FAST },
			{ input: [{ json: { url: 'https://example.com/a.png' } }, { json: { url: 'ftp://example.com/b.png' } }] },
		);
		expect(run.error?.message).toBe(
			'Item 2: "Input URLs" (parameter "inputUrls", sent as "input_urls") must hold only http(s) URLs (got "ftp://example.com/b.png")',
		);
		// n8n's editor adds "[item N]", counted from 0, to an error that carries an item index.
		expect((run.error as NodeOperationError).context.itemIndex).toBeUndefined();
		expect(sim.requests).toHaveLength(0);
	});

	it('17 input URLs', async () => {
		const urls = Array.from({ length: 17 }, (_, index) => `https://example.com/${index}.png`).join(',');
		await expectRejected(
			{ model: model('gpt-image/1.5-image-to-image'), prompt: 'p', inputUrls: urls },
			/"Input URLs" .* takes at most 16 items \(got 17\)/,
		);
	});

	it('a missing prompt', async () => {
		// A literal empty prompt is already refused by n8n (required parameter); an expression can still
		// produce one at run time.
		await expectRejected(
			{ model: model('gpt-image/1.5-text-to-image'), prompt: '={{ "  " }}' },
			/^Item 1: "Prompt" \(parameter "prompt"\) is required$/,
		);
	});

	it('an unknown model in list mode: neither built in nor in KIE\'s live catalogue (one free read)', async () => {
		clearLiveModelCache();
		const error = await expectRejected(
			{ model: model('gpt-image/9-text-to-image'), prompt: 'p' },
			/"Model" has an unknown value "gpt-image\/9-text-to-image"/,
			['/api/v1/models'],
		);
		expect(error.description).toContain('Neither this node nor KIE\'s live catalogue lists it');
	});

	it('a bad item in a batch stops the batch before any item is sent', async () => {
		const run = await runNode(
			sim,
			'kieCreateTask',
			{ model: model('gpt-image/1.5-text-to-image'), prompt: '={{ $json.prompt }}', options: FAST },
			{ input: [{ json: { prompt: 'ok' } }, { json: { prompt: 'ok' } }, { json: { prompt: '' } }] },
		);
		expect(run.status).toBe('error');
		expect(run.error?.message).toMatch(/^Item 3: "Prompt"/);
		expect(sim.requests).toHaveLength(0);
	});

	it('a callback URL that is not http(s)', async () => {
		await expectRejected(
			{ model: model('gpt-image/1.5-text-to-image'), prompt: 'p', options: { callBackUrl: 'ftp://x' } },
			/"Callback URL" must be an http\(s\) URL/,
		);
	});
});

describe('KIE Create Task: any model id', () => {
	// Every catalogue model is now built in, so the simulator knows no id the node does not: it answers
	// KIE's 422 for the unknown model, which proves the node sent the id and JSON input unvalidated.
	it('sends an id the node does not know with its JSON input', async () => {
		const run = await runNode(sim, 'kieCreateTask', {
			model: model('some-vendor/new-model', 'id'),
			options: { ...FAST, additionalInput: '{"prompt":"a red fox","aspect_ratio":"1:1","resolution":"1K"}' },
		});
		expect(creates()[0].body).toEqual({
			model: 'some-vendor/new-model',
			input: { prompt: 'a red fox', aspect_ratio: '1:1', resolution: '1K' },
		});
		expect(run.error?.message).toMatch(/code 422.*some-vendor\/new-model/);
	});

	it('validates a built-in model given by id like one picked from the list', async () => {
		const run = await runNode(sim, 'kieCreateTask', {
			model: model('flux-2/pro-text-to-image', 'id'),
			prompt: 'a red fox',
			resolution: '4K',
			options: FAST,
		});
		expect(run.error?.message).toMatch(/"Resolution" \(parameter "resolution"\) must be one of 1K, 2K \(got "4K"\)/);
		expect(sim.requests).toHaveLength(0);
	});

	it('asks for JSON input when the id is unknown and nothing else is given', async () => {
		const run = await runNode(sim, 'kieCreateTask', { model: model('some/new-model', 'id'), options: FAST });
		expect(run.error?.message).toContain('Additional Input (JSON)');
		// Its live schema was looked for (free): KIE does not know the id, so nothing else was sent.
		expect(run.error?.description).toContain('KIE\'s schema of it could not be read');
		expect(sim.requests.map((request) => request.route)).toEqual(['modelSchema']);
	});
});

describe('KIE Create Task: faults', () => {
	const t2i = { model: model('gpt-image/1.5-text-to-image'), prompt: 'a fox', options: FAST };

	it('resends a create that KIE rejected with 429 in an HTTP 200 body', async () => {
		sim.fault('createTask', 'code429');
		const run = await runNode(sim, 'kieCreateTask', t2i);
		expect(run.status).toBe('success');
		expect(creates().map((request) => request.answerCode)).toEqual([429, 200]);
		expect(sim.tasks.size).toBe(1);
	});

	it('resends a create rejected with HTTP 429 and with 455 maintenance', async () => {
		sim.fault('createTask', 'http429').fault('createTask', 'code455');
		const run = await runNode(sim, 'kieCreateTask', t2i);
		expect(run.status).toBe('success');
		expect(creates().map((request) => request.answerCode)).toEqual([429, 455, 200]);
	});

	it('never resends a create whose connection dropped after sending, and says so', async () => {
		sim.fault('createTask', 'drop');
		const run = await runNode(sim, 'kieCreateTask', t2i);
		expect(run.status).toBe('error');
		expect(run.error).toBeInstanceOf(NodeApiError);
		expect(run.error?.message).toContain('may have been accepted, check KIE logs');
		expect(run.error?.description).toContain('NOT sent again');
		expect(creates()).toHaveLength(1);
		expect(sim.tasks.size).toBe(1); // KIE did accept it: exactly one task, never two
	});

	it('never resends a create that timed out', async () => {
		sim.fault('createTask', 'slow', { ms: 2500 });
		const run = await runNode(sim, 'kieCreateTask', { ...t2i, options: { ...FAST, requestTimeout: 1 } });
		expect(run.error?.message).toContain('may have been accepted, check KIE logs');
		expect(creates()).toHaveLength(1);
	});

	it('does not resend a create answered with code 500', async () => {
		sim.fault('createTask', 'code500');
		const run = await runNode(sim, 'kieCreateTask', t2i);
		expect(run.error?.message).toMatch(/^Item 1: KIE had a server error \(code 500\)/);
		expect(creates()).toHaveLength(1);
	});

	it('retries polls that get 500, HTTP 500, 455 or 429', async () => {
		sim.fault('recordInfo', 'code500').fault('recordInfo', 'http500').fault('recordInfo', 'code455');
		const run = await runNode(sim, 'kieCreateTask', t2i);
		expect(run.status).toBe('success');
		expect(sim.requestsFor('recordInfo').slice(0, 3).map((request) => request.answerCode)).toEqual([500, 500, 455]);
	});

	it('recovers the result URLs from a malformed resultJson', async () => {
		sim.fault('createTask', 'malformedResultJson');
		const run = await runNode(sim, 'kieCreateTask', t2i);
		expect(run.status).toBe('success');
		const [item] = run.output('KIE');
		expect(item.json.resultUrls).toEqual(sim.tasks.get(item.json.taskId as string)!.resultUrls);
	});

	it('turns a failed task into an error that names the task id', async () => {
		sim.failNextTask({ failCode: '422', failMsg: 'Invalid prompt: prompt contains prohibited content' });
		const run = await runNode(sim, 'kieCreateTask', t2i);
		const taskId = creates()[0].taskId!;
		expect(run.status).toBe('error');
		expect(run.error?.message).toBe(`Item 1: Task ${taskId} failed at KIE: Invalid prompt: prompt contains prohibited content`);
		expect(run.error?.description).toContain('fail code 422');
	});

	it('keeps the task id of a failed task under Continue On Fail', async () => {
		sim.failNextTask({ failCode: '500', failMsg: 'Internal server error' });
		const run = await runNode(sim, 'kieCreateTask', t2i, { continueOnFail: true });
		expect(run.status).toBe('success');
		const [item] = run.output('KIE');
		expect(item.json).toMatchObject({ taskId: creates()[0].taskId, state: 'failed', failCode: '500' });
		expect(item.json.error).toContain(creates()[0].taskId!);
		expect(item.pairedItem).toEqual({ item: 0 });
	});

	it('reports a rejected API key without leaking it', async () => {
		const secret = 'sk-live-very-secret-key';
		const run = await runNode(sim, 'kieCreateTask', t2i, { apiKey: secret });
		expect(run.error?.message).toBe('Item 1: KIE rejected the API key (code 401): You do not have access permissions');
		expect(run.error?.description).toContain('https://kie.ai/api-key');
		expect(JSON.stringify(run.run.data)).not.toContain(secret);
		expect(creates()).toHaveLength(1);
	});

	it('names the task id when polling times out', async () => {
		sim.nextTask({ genMs: 10_000 });
		const run = await runNode(sim, 'kieCreateTask', { ...t2i, options: { pollInterval: 0.1, timeout: 1 } });
		const taskId = creates()[0].taskId!;
		expect(run.error?.message).toBe(`Item 1: Task ${taskId} did not finish within 1 s`);
		expect(run.error?.description).toContain(`KIE Get Task (task id ${taskId})`);
	});

	it('stops polling when the execution is cancelled', async () => {
		sim.nextTask({ genMs: 10_000 });
		const started = Date.now();
		const run = await runNode(sim, 'kieCreateTask', { ...t2i, options: { pollInterval: 0.2, timeout: 60 } }, { abortAfterMs: 800 });
		expect(run.status).toBe('canceled');
		expect(Date.now() - started).toBeLessThan(5000);
		const polls = sim.requestsFor('recordInfo').length;
		await sim.waitForTask(creates()[0].taskId!, 100).catch(() => undefined);
		expect(sim.requestsFor('recordInfo').length).toBe(polls);
	});
});

describe('KIE Create Task: batches', () => {
	it('outputs one item per input item, in input order, paired, with mixed success and failure', async () => {
		taskByPrompt.set('one', { genMs: 600 }).set('two', { fail: { failCode: '501', failMsg: 'generation failed' } }).set('four', { genMs: 100 });
		const run = await runNode(
			sim,
			'kieCreateTask',
			{ model: model('gpt-image/1.5-text-to-image'), prompt: '={{ $json.prompt }}', options: FAST },
			{ input: [{ json: { prompt: 'one' } }, { json: { prompt: 'two' } }, { json: { prompt: '' } }, { json: { prompt: 'four' } }], continueOnFail: true },
		);
		expect(run.status).toBe('success');
		const items = run.output('KIE');
		expect(items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }, { item: 3 }]);
		expect(items[0].json).toMatchObject({ state: 'success' });
		expect(items[1].json).toMatchObject({ state: 'failed', failCode: '501' });
		expect(items[2].json.error).toMatch(/^Item 3: "Prompt"/);
		expect(items[3].json).toMatchObject({ state: 'success' });
		const promptOf = (taskId: unknown) =>
			(creates().find((request) => request.taskId === taskId)!.body as { input: { prompt: string } }).input.prompt;
		expect(creates()).toHaveLength(3);
		expect([items[0], items[1], items[3]].map((item) => promptOf(item.json.taskId))).toEqual(['one', 'two', 'four']);
	});

	it('names the tasks already submitted when an item fails without Continue On Fail', async () => {
		sim.fault('createTask', 'code', { code: 402, msg: 'Insufficient credits' });
		const run = await runNode(
			sim,
			'kieCreateTask',
			{ model: model('gpt-image/1.5-text-to-image'), prompt: '={{ $json.prompt }}', options: FAST },
			{ input: [{ json: { prompt: 'one' } }, { json: { prompt: 'two' } }] },
		);
		// Both creates go out in the same window, so both are sent; the fault hits the first to arrive.
		expect(run.error?.message).toBe('Item 1: The KIE account does not have enough credits (code 402): Insufficient credits');
		expect(creates()).toHaveLength(2);
		const accepted = creates().find((request) => request.answerCode === 200)!;
		expect(run.error?.description).toMatch(new RegExp(`Tasks already submitted in this run .*→ ${accepted.taskId}`));
	});

	it('submits nothing more once an item failed without Continue On Fail', async () => {
		sim.fault('createTask', 'code', { code: 402, msg: 'Insufficient credits' });
		const run = await runNode(
			sim,
			'kieCreateTask',
			{
				model: model('gpt-image/1.5-text-to-image'),
				prompt: '={{ $json.prompt }}',
				options: { ...FAST, batching: { createsPerWindow: 1, windowSeconds: 0.3 } },
			},
			{ input: [{ json: { prompt: 'one' } }, { json: { prompt: 'two' } }, { json: { prompt: 'three' } }] },
		);
		expect(run.error?.message).toMatch(/code 402/);
		expect(creates()).toHaveLength(1); // the queued items were never sent
	});
});

describe('KIE Create Task: a model picked from the live catalogue', () => {
	beforeEach(() => clearLiveModelCache());

	it('is sent with its JSON input although it is not built in, because KIE\'s catalogue lists it', async () => {
		const run = await runNode(sim, 'kieCreateTask', {
			model: { __rl: true, mode: 'list', value: 'acme/hyper-video-9', cachedResultName: 'Acme Hyper Video 9 · Text to Video (live)' },
			options: { ...FAST, additionalInput: '{"prompt":"a red fox"}' },
		});
		// The simulator's create endpoint does not know the id and answers 422: what matters is that it was sent.
		expect(creates()).toHaveLength(1);
		expect(creates()[0].body).toEqual({ model: 'acme/hyper-video-9', input: { prompt: 'a red fox' } });
		expect(run.error?.message).toContain('(code 422)');
	});

	it('is refused when the catalogue does not list it, whatever the list entry was called', async () => {
		const run = await runNode(sim, 'kieCreateTask', {
			model: { __rl: true, mode: 'list', value: 'some-vendor/new-model', cachedResultName: 'New Model (Vendor) (live)' },
			options: { ...FAST, additionalInput: '{"prompt":"a red fox"}' },
		});
		expect(run.error?.message).toBe('Item 1: "Model" has an unknown value "some-vendor/new-model"');
		expect(creates()).toHaveLength(0);
	});

	it('is refused, saying why, when the catalogue cannot be read', async () => {
		sim.fault('models', 'code500');
		const run = await runNode(sim, 'kieCreateTask', {
			model: { __rl: true, mode: 'list', value: 'acme/hyper-video-9' },
			options: { ...FAST, additionalInput: '{"prompt":"a red fox"}' },
		});
		expect(run.error?.description).toContain('KIE\'s live catalogue could not be read to confirm it. Switch "Model" to "By ID"');
		expect(creates()).toHaveLength(0);
	});
});
