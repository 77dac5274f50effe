import { startSimulator, type Simulator } from '../simulator';
import { SIM_ACCOUNT, FAST, model, runNode } from './setup';

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
		const failed = await runNode(sim, 'kieGetTask', { taskId: 'task_does_not_exist' });
		expect(failed.error?.message).toBe('KIE could not find the resource (code 404): Task not found');
		expect(failed.error?.description).toContain('Check the task id and the family');

		const kept = await runNode(sim, 'kieGetTask', { taskId: 'task_does_not_exist' }, { continueOnFail: true });
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
