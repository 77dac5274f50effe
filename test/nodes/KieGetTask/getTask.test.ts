import { startSimulator, type Simulator } from '../../../simulator';
import { SIM_ACCOUNT, FAST, model, runNode } from '../setup';

let sim: Simulator;
beforeAll(async () => {
	sim = await startSimulator({ apiKey: SIM_ACCOUNT, genMs: 250, fourOResultKey: 'result_urls', fourOTimeFormat: 'string' });
});
afterAll(async () => await sim.close());
beforeEach(() => sim.reset());

async function submit(parameters: Record<string, unknown>): Promise<string> {
	const run = await runNode(sim, 'kieCreateTask', { ...parameters, completion: 'submit' } as never);
	return run.output('KIE')[0].json.taskId as string;
}

describe('KIE Get Task', () => {
	it('reads a running Market task, then waits for it and downloads the result', async () => {
		const taskId = await submit({ model: model('gpt-image/1.5-text-to-image'), prompt: 'a fox' });

		const now = await runNode(sim, 'kieGetTask', { taskId, family: 'market' });
		expect(now.output('KIE')[0].json).toMatchObject({ taskId, state: 'pending', resultUrls: [] });
		expect(sim.requestsFor('recordInfo').at(-1)?.query).toEqual({ taskId });

		const done = await runNode(sim, 'kieGetTask', {
			taskId,
			family: 'market',
			options: { ...FAST, waitUntilDone: true, downloadResults: true },
		});
		const [item] = done.output('KIE');
		expect(item.json).toMatchObject({ taskId, model: 'gpt-image/1.5-text-to-image', state: 'success' });
		expect(item.binary?.data.mimeType).toBe('image/png');
		expect((await done.binaryBuffer(item)).subarray(1, 4).toString()).toBe('PNG');
	});

	it('reads a 4o task in the quickstart shape (result_urls, string times)', async () => {
		const taskId = await submit({ model: model('4o-image'), prompt: 'a cat', nVariants: 4 });
		const run = await runNode(sim, 'kieGetTask', { taskId, family: '4o', options: { ...FAST, waitUntilDone: true } });
		const [item] = run.output('KIE');
		expect(item.json).toMatchObject({ taskId, model: '4o-image', state: 'success' });
		expect(item.json.resultUrls).toHaveLength(4);
		expect(item.json.createTime).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.000Z$/);
		expect(sim.requestsFor('4oRecordInfo').length).toBeGreaterThan(0);
	});

	it('reports a failed task as state "failed" with its code and message', async () => {
		sim.failNextTask({ failCode: '422', failMsg: 'prompt contains prohibited content' });
		const taskId = await submit({ model: model('gpt-image/1.5-text-to-image'), prompt: 'x' });
		const run = await runNode(sim, 'kieGetTask', { taskId, options: { ...FAST, waitUntilDone: true } });
		expect(run.status).toBe('success');
		expect(run.output('KIE')[0].json).toMatchObject({ taskId, state: 'failed', failCode: '422', failMsg: 'prompt contains prohibited content' });
	});

	it('explains an unknown task id (404) and keeps the id under Continue On Fail', async () => {
		const failed = await runNode(sim, 'kieGetTask', { taskId: 'task_does_not_exist', family: 'market' });
		expect(failed.error?.message).toBe('Item 1: KIE could not find the resource (code 404): Task not found');
		expect(failed.error?.description).toContain('Check the task id and its family');

		const kept = await runNode(sim, 'kieGetTask', { taskId: 'task_does_not_exist', family: 'market' }, { continueOnFail: true });
		expect(kept.output('KIE')[0].json).toMatchObject({ taskId: 'task_does_not_exist' });
		expect(kept.output('KIE')[0].json.error).toContain('code 404');
	});

	it('processes one lookup per input item, paired', async () => {
		const first = await submit({ model: model('gpt-image/1.5-text-to-image'), prompt: 'one' });
		const second = await submit({ model: model('gpt-image/1.5-text-to-image'), prompt: 'two' });
		const run = await runNode(sim, 'kieGetTask', { taskId: '={{ $json.id }}', options: { ...FAST, waitUntilDone: true } }, {
			input: [{ json: { id: first } }, { json: { id: second } }],
		});
		expect(run.output('KIE').map((item) => [item.json.taskId, item.pairedItem])).toEqual([
			[first, { item: 0 }],
			[second, { item: 1 }],
		]);
	});
});

describe('KIE Get Task: Auto family', () => {
	const reads = () => sim.requests.filter((request) => request.method === 'GET');

	it('is the default, reads a Market task once and names the family', async () => {
		const taskId = await submit({ model: model('gpt-image/1.5-text-to-image'), prompt: 'a fox' });
		sim.requests.length = 0;
		const run = await runNode(sim, 'kieGetTask', { taskId, options: { ...FAST, waitUntilDone: true } });
		expect(run.output('KIE')[0].json).toMatchObject({ taskId, state: 'success', family: 'market' });
		// The first read found the family; only the wait's reads follow, on the same endpoint.
		expect(new Set(reads().map((request) => request.path))).toEqual(new Set(['/api/v1/jobs/recordInfo']));
	});

	it('tries the other APIs for a task Market does not know, and reads the next item of the run from the family found', async () => {
		const first = await submit({ model: model('runway'), prompt: 'a fox', duration: 5, quality: '720p', aspectRatio: '16:9' });
		const second = await submit({ model: model('runway'), prompt: 'a cat', duration: 5, quality: '720p', aspectRatio: '16:9' });
		sim.requests.length = 0;
		const run = await runNode(sim, 'kieGetTask', { taskId: '={{ $json.id }}' }, { input: [{ json: { id: first } }, { json: { id: second } }] });
		expect(run.output('KIE').map((item) => item.json.family)).toEqual(['runway', 'runway']);
		const paths = reads().map((request) => request.path);
		// Item 1: Market, 4o, Veo and Flux Kontext answer 404, then Runway knows it. Item 2: Runway at once.
		expect(paths).toEqual([
			'/api/v1/jobs/recordInfo',
			'/api/v1/gpt4o-image/record-info',
			'/api/v1/veo/record-info',
			'/api/v1/flux/kontext/record-info',
			'/api/v1/runway/record-detail',
			'/api/v1/runway/record-detail',
		]);
	});

	it('reads an item that comes from KIE Create Task from its model\'s family first', async () => {
		const taskId = await submit({ model: model('suno/generate'), prompt: 'a calm piano piece', customMode: false, instrumental: true });
		sim.requests.length = 0;
		const run = await runNode(sim, 'kieGetTask', { taskId: '={{ $json.taskId }}' }, { input: [{ json: { taskId, model: 'suno/generate' } }] });
		expect(run.output('KIE')[0].json).toMatchObject({ taskId, family: 'suno' });
		expect(reads().map((request) => request.path)).toEqual(['/api/v1/generate/record-info']);
	});

	it('reads the next API when the Market answers 422 "recordInfo is null" (KIE\'s "not found"), and finds a 4o task', async () => {
		const taskId = await submit({ model: model('4o-image'), prompt: 'a cat' });
		sim.requests.length = 0;
		sim.fault('recordInfo', 'code', { code: 422, msg: 'recordInfo is null', data: null });
		const run = await runNode(sim, 'kieGetTask', { taskId });
		expect(run.output('KIE')[0].json).toMatchObject({ taskId, family: '4o' });
		expect(reads().map((request) => request.path)).toEqual(['/api/v1/jobs/recordInfo', '/api/v1/gpt4o-image/record-info']);
	});

	it('stops at a Market 422 that is a parameter error, not "recordInfo is null"', async () => {
		sim.fault('recordInfo', 'code', { code: 422, msg: 'taskId is invalid' });
		const run = await runNode(sim, 'kieGetTask', { taskId: 'task_bad' });
		expect(run.error?.message).toBe('Item 1: KIE rejected the parameters (code 422): taskId is invalid');
		expect(reads()).toHaveLength(1);
	});

	it('with "Wait Until Done", waits for a Market task that answered "recordInfo is null" right after its create', async () => {
		const taskId = await submit({ model: model('gpt-image/1.5-text-to-image'), prompt: 'a fox' });
		sim.requests.length = 0;
		sim.fault('recordInfo', 'code', { code: 422, msg: 'recordInfo is null', data: null, count: 3 });
		const run = await runNode(sim, 'kieGetTask', { taskId, options: { ...FAST, waitUntilDone: true } });
		expect(run.output('KIE')[0].json).toMatchObject({ taskId, family: 'market', state: 'success' });
		expect(sim.requestsFor('recordInfo').filter((request) => request.answerCode === 422)).toHaveLength(3);
	});

	it('names every API it tried when none knows the task', async () => {
		const run = await runNode(sim, 'kieGetTask', { taskId: 'task_nobody_knows' });
		expect(run.error?.message).toBe('Item 1: no KIE API knows task task_nobody_knows');
		expect(run.error?.description).toContain('Tried Market Jobs (Most Models), 4o Image, Veo 3.1, Flux Kontext, Runway, Runway Aleph, Luma Modify, Suno, Suno Lyrics, Suno WAV, Suno Vocal/Stem Separation, Suno MIDI, Suno Music Video, Suno Cover Image');
		expect(reads()).toHaveLength(14);
	});
});

describe('KIE Get Task: redirects never carry the API key to another host', () => {
	it('refuses a redirect to another origin without sending anything there', async () => {
		const taskId = await submit({ model: model('gpt-image/1.5-text-to-image'), prompt: 'a fox' });
		sim.fault('recordInfo', 'redirect');
		const run = await runNode(sim, 'kieGetTask', { taskId, family: 'market' });
		expect(run.error?.message).toBe(
			`Item 1: KIE redirected the request to another host (${sim.otherOrigin.url}); it was not followed, so the API key stays with ${sim.url}`,
		);
		expect(sim.otherOrigin.requests).toEqual([]);
		expect(run.error?.message).not.toContain(SIM_ACCOUNT);
	});

	it('follows a redirect within KIE\'s origin, with the key', async () => {
		const taskId = await submit({ model: model('gpt-image/1.5-text-to-image'), prompt: 'a fox' });
		sim.fault('recordInfo', 'redirectSame');
		const run = await runNode(sim, 'kieGetTask', { taskId, family: 'market' });
		expect(run.output('KIE')[0].json).toMatchObject({ taskId, family: 'market' });
		const reads = sim.requestsFor('recordInfo').slice(-2);
		expect(reads.map((request) => [request.httpStatus, request.query.redirected])).toEqual([
			[307, undefined],
			[200, '1'],
		]);
		expect(reads[1].headers.authorization).toBe('Bearer ***');
	});
});
