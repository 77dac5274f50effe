import type { IExecuteFunctions } from 'n8n-workflow';

import { binaryPropertyName, resultFileName } from '../../../nodes/shared/output/download';
import { getFamily } from '../../../nodes/shared/families';
import {
	defaultPollIntervalMs,
	fetchTask,
	findTask,
	isNotIndexedAnswer,
	isNotIndexedResult,
	NOT_INDEXED_GRACE_MS,
	pollDelayMs,
	submitTask,
	TaskNotFoundError,
	TaskNotIndexedError,
	waitForTask,
} from '../../../nodes/shared/api/tasks';
import type { RequestPacer } from '../../../nodes/shared/transport/pacer';

describe('polling schedule', () => {
	it('polls at the user interval for the first 30 s', () => {
		expect(pollDelayMs(0, 2000)).toBe(2000);
		expect(pollDelayMs(29_000, 2000)).toBe(2000);
	});

	it('slows to 5–10 s until two minutes, then 15–30 s', () => {
		expect(pollDelayMs(31_000, 2000)).toBe(5000);
		expect(pollDelayMs(31_000, 4000)).toBe(8000);
		expect(pollDelayMs(60_000, 9000)).toBe(10000);
		expect(pollDelayMs(121_000, 2000)).toBe(15000);
		expect(pollDelayMs(121_000, 5000)).toBe(25000);
		expect(pollDelayMs(600_000, 20000)).toBe(30000);
	});

	it('starts at 3 s for image models and 10 s for video and audio models', () => {
		expect(defaultPollIntervalMs('image')).toBe(3000);
		expect(defaultPollIntervalMs(undefined)).toBe(3000);
		expect(defaultPollIntervalMs('video')).toBe(10_000);
		expect(defaultPollIntervalMs('audio')).toBe(10_000);
		expect(pollDelayMs(150_000, defaultPollIntervalMs('video'))).toBe(30_000);
	});

	it('never polls faster than the user asked', () => {
		expect(pollDelayMs(600_000, 60_000)).toBe(60_000);
	});
});

describe('result files', () => {
	it('names binary properties in result order', () => {
		expect([0, 1, 2].map((index) => binaryPropertyName(index))).toEqual(['data', 'data_1', 'data_2']);
	});

	it('keeps the URL name and fixes the extension from the MIME type', () => {
		expect(resultFileName('https://cdn.example/a/b/result.png', 'image/png', 't', 0)).toBe('result.png');
		expect(resultFileName('https://cdn.example/a/result', 'image/jpeg', 't', 0)).toBe('result.jpg');
		expect(resultFileName('https://cdn.example/a/result.jpeg', 'image/jpeg', 't', 0)).toBe('result.jpeg');
		expect(resultFileName('https://cdn.example/a/file.bin', 'video/mp4; codecs=x', 't', 0)).toBe('file.mp4');
		expect(resultFileName('https://cdn.example/', 'image/webp', 'task_1', 2)).toBe('task_1_2.webp');
		expect(resultFileName('https://cdn.example/x%20y.png?sig=1', undefined, 't', 0)).toBe('x_y.png');
	});
});

// -------------------------------------------------------------------------------------------------
// KIE's "not indexed yet" answer (issue 21): HTTP 200 {"code":422,"msg":"recordInfo is null","data":null}
// -------------------------------------------------------------------------------------------------

/** A pacer that never waits: these tests are about KIE's answers, not its rate limits. */
const NO_WAIT: RequestPacer = { acquire: async () => ({ release: () => undefined }) };

/** Live KIE (corpus error-envelope-5): a Market task it has not indexed yet. */
const NOT_INDEXED = { code: 422, msg: 'recordInfo is null', data: null };

/** The recorded Market record of corpus scenario-poll-1 (after the 422). */
const MARKET_SUCCESS = {
	code: 200,
	msg: 'success',
	data: {
		taskId: '32b1348d0d6bf09b002a88315528e574',
		model: 'nano-banana-2',
		state: 'success',
		param: '{"model":"nano-banana-2"}',
		resultJson: '{"resultUrls":["https://tempfile.aiquickdraw.com/na2/32b1348d0d6bf09b002a88315528e5741913054.jpeg"]}',
		failCode: null,
		failMsg: null,
		costTime: 274,
		completeTime: 1774509366025,
		createTime: 1774509092129,
	},
};

/**
 * An execute context whose requests KIE "answers" from `script`: per path, the answers in order (the
 * last one repeats). Records every request as "METHOD path".
 */
function scriptedKie(script: Record<string, unknown[]>) {
	const requests: string[] = [];
	const served = new Map<string, number>();
	const ctx = {
		getCredentials: async () => ({ apiKey: 'key of the not-indexed tests', baseUrl: 'https://kie.test' }),
		getNode: () => ({ id: 'n', name: 'KIE', type: 'kieCreateTask', typeVersion: 1, position: [0, 0], parameters: {} }),
		getExecutionCancelSignal: () => undefined,
		helpers: {
			httpRequestWithAuthentication: async (_credential: string, options: { url: string; method: string }) => {
				const path = new URL(options.url).pathname;
				requests.push(`${options.method} ${path}`);
				const answers = script[path];
				if (!answers) return { statusCode: 200, headers: {}, body: { code: 404, msg: 'Task not found' } };
				const index = served.get(path) ?? 0;
				served.set(path, index + 1);
				return { statusCode: 200, headers: {}, body: answers[Math.min(index, answers.length - 1)] };
			},
		},
	} as unknown as IExecuteFunctions;
	return { ctx, requests };
}

/** A clock that moves `stepMs` every time it is read. */
function steppingClock(stepMs: number, start = 1_000_000) {
	let t = start;
	return () => (t += stepMs) - stepMs;
}

describe('KIE\'s "not indexed yet" answer (422 recordInfo is null)', () => {
	const market = getFamily('market');

	it('is matched on code 422 and KIE\'s words, case-insensitively; other 422s are parameter errors', () => {
		for (const msg of ['recordInfo is null', 'RecordInfo is NULL', 'record is null', 'Record is empty', 'task not found', 'Task does not exist', 'record not exist']) {
			expect([msg, isNotIndexedAnswer(422, msg)]).toEqual([msg, true]);
		}
		expect(isNotIndexedAnswer('422', 'recordInfo is null')).toBe(true);
		for (const msg of ['Please enter callBackUrl.', 'aspect_ratio is invalid', 'prompt is required', '', undefined]) {
			expect([msg, isNotIndexedAnswer(422, msg)]).toEqual([msg, false]);
		}
		expect(isNotIndexedAnswer(404, 'recordInfo is null')).toBe(false);
		expect(isNotIndexedAnswer(500, 'recordInfo is null')).toBe(false);
	});

	it('a poll right after the create meets it, goes on polling, and reads the success: one paid create (corpus scenario-poll-1)', async () => {
		const { ctx, requests } = scriptedKie({
			'/api/v1/jobs/createTask': [{ code: 200, msg: 'success', data: { taskId: '32b1348d0d6bf09b002a88315528e574' } }],
			'/api/v1/jobs/recordInfo': [NOT_INDEXED, NOT_INDEXED, MARKET_SUCCESS],
		});
		const taskId = await submitTask.call(ctx, market, { model: 'nano-banana-2', input: { prompt: 'x' } }, 0, undefined, NO_WAIT);
		const result = await waitForTask.call(ctx, market, taskId, 0, { intervalMs: 1, timeoutMs: 10_000, pacer: NO_WAIT, model: 'nano-banana-2' });
		expect(result).toMatchObject({ taskId: '32b1348d0d6bf09b002a88315528e574', state: 'success', resultUrls: ['https://tempfile.aiquickdraw.com/na2/32b1348d0d6bf09b002a88315528e5741913054.jpeg'] });
		expect(requests.filter((request) => request.startsWith('POST'))).toEqual(['POST /api/v1/jobs/createTask']);
		expect(requests.filter((request) => request === 'GET /api/v1/jobs/recordInfo')).toHaveLength(3);
	});

	it(`fails after the grace period (${NOT_INDEXED_GRACE_MS / 1000} s from the create) with an error that names the task id`, async () => {
		const { ctx, requests } = scriptedKie({ '/api/v1/jobs/recordInfo': [NOT_INDEXED] });
		// The wait starts 45 s after the create (the clock moves 2 s per reading): the schedule stays in
		// its first phase (1 ms between reads), while the create's 60 s pass.
		const now = steppingClock(2_000);
		const createdAt = now() - 45_000;
		const error = await waitForTask
			.call(ctx, market, 'task_never_indexed', 2, { intervalMs: 1, timeoutMs: 900_000, pacer: NO_WAIT, createdAt, now })
			.then(() => undefined, (caught: unknown) => caught as Error & { description?: string });
		expect(error).toBeInstanceOf(TaskNotIndexedError);
		expect(error?.message).toBe('Item 3: KIE does not know task task_never_indexed (recordInfo is null for 60 s after it was created) — check https://kie.ai/logs');
		expect(error?.description).toContain('task_never_indexed');
		// Pending while the clock was within 60 s of the create, then the one read that failed.
		expect(requests.length).toBeGreaterThan(3);
		expect(requests.length).toBeLessThan(10);
	});

	it('counts the grace from the start of the wait when the create time is not known (Get Task "Wait Until Done")', async () => {
		const { ctx } = scriptedKie({ '/api/v1/jobs/recordInfo': [NOT_INDEXED] });
		await expect(
			waitForTask.call(ctx, market, 't9', 0, { intervalMs: 1, timeoutMs: 900_000, pacer: NO_WAIT, now: steppingClock(2_000), notIndexedGraceMs: 10_000 }),
		).rejects.toThrow('Item 1: KIE does not know task t9 (recordInfo is null for 10 s after it was created) — check https://kie.ai/logs');
	});

	it('a timeout shorter than the grace period says KIE does not list the task yet', async () => {
		const { ctx } = scriptedKie({ '/api/v1/jobs/recordInfo': [NOT_INDEXED] });
		const error = await waitForTask
			.call(ctx, market, 't2', 0, { intervalMs: 1, timeoutMs: 10_000, pacer: NO_WAIT, now: steppingClock(4_000) })
			.then(() => undefined, (caught: unknown) => caught as Error & { description?: string });
		expect(error?.message).toBe('Item 1: Task t2 did not finish within 10 s');
		expect(error?.description).toContain('recordInfo is null');
	});

	it('any other 422 of a record read stays an error at once', async () => {
		const { ctx, requests } = scriptedKie({ '/api/v1/jobs/recordInfo': [{ code: 422, msg: 'taskId is invalid' }] });
		await expect(waitForTask.call(ctx, market, 't3', 0, { intervalMs: 1, timeoutMs: 10_000, pacer: NO_WAIT })).rejects.toThrow(
			'Item 1: KIE rejected the parameters (code 422): taskId is invalid',
		);
		expect(requests).toHaveLength(1);
	});

	it('a single read is pending by default (the resume webhook\'s batch reads), an error with "unknown" (Get Task), pending within a given grace', async () => {
		const { ctx } = scriptedKie({ '/api/v1/jobs/recordInfo': [NOT_INDEXED] });
		const pending = await fetchTask.call(ctx, market, 't4', undefined, 'nano-banana-2', NO_WAIT);
		expect(pending).toMatchObject({ taskId: 't4', model: 'nano-banana-2', state: 'pending', resultUrls: [] });
		expect(isNotIndexedResult(pending)).toBe(true);

		await expect(fetchTask.call(ctx, market, 't4', 0, undefined, NO_WAIT, 'unknown')).rejects.toThrow(
			'Item 1: KIE does not know task t4 (recordInfo is null) — check https://kie.ai/logs',
		);
		const within = await fetchTask.call(ctx, market, 't4', 0, undefined, NO_WAIT, { since: 0, now: () => NOT_INDEXED_GRACE_MS - 1 });
		expect(within.state).toBe('pending');
		await expect(fetchTask.call(ctx, market, 't4', undefined, undefined, NO_WAIT, { since: 0, now: () => NOT_INDEXED_GRACE_MS })).rejects.toThrow(
			/^KIE does not know task t4 \(recordInfo is null for 60 s after it was created\)/,
		);
	});

	it('a record that KIE does have is never marked as not indexed', async () => {
		const { ctx } = scriptedKie({ '/api/v1/jobs/recordInfo': [MARKET_SUCCESS] });
		const result = await fetchTask.call(ctx, market, '32b1348d0d6bf09b002a88315528e574', 0, undefined, NO_WAIT, 'unknown');
		expect(result.state).toBe('success');
		expect(isNotIndexedResult(result)).toBe(false);
	});
});

describe('Get Task "Auto" behind a Market 422 (corpus scenario-auto-find-1)', () => {
	const FOUR_O_RECORD = {
		code: 200,
		msg: 'success',
		data: {
			taskId: 'task12345',
			paramJson: '{"prompt":"A beautiful sunset over the mountains","size":"1:1","isEnhance":false}',
			completeTime: 1672574400000,
			response: { resultUrls: ['https://example.com/result/image1.png'] },
			successFlag: 1,
			status: 'SUCCESS',
			errorCode: null,
			errorMessage: '',
			createTime: 1672561200000,
			progress: '1.00',
		},
	};

	it('reads the next family when the Market answers "recordInfo is null", and finds the 4o task', async () => {
		const { ctx, requests } = scriptedKie({
			'/api/v1/jobs/recordInfo': [NOT_INDEXED],
			'/api/v1/gpt4o-image/record-info': [FOUR_O_RECORD],
		});
		const found = await findTask.call(ctx, 'task12345', 0, [], { pacer: NO_WAIT });
		expect(found.family.name).toBe('4o');
		expect(found.result).toMatchObject({ taskId: 'task12345', state: 'success', resultUrls: ['https://example.com/result/image1.png'] });
		expect(requests).toEqual(['GET /api/v1/jobs/recordInfo', 'GET /api/v1/gpt4o-image/record-info']);
	});

	it('says no family knows the task when none does, and names the family that answered "recordInfo is null"', async () => {
		const { ctx, requests } = scriptedKie({ '/api/v1/jobs/recordInfo': [NOT_INDEXED] });
		const error = await findTask.call(ctx, 'task_nobody_knows', 0, [], { pacer: NO_WAIT }).then(
			() => undefined,
			(caught: unknown) => caught as TaskNotFoundError,
		);
		expect(error).toBeInstanceOf(TaskNotFoundError);
		expect(error).not.toBeInstanceOf(TaskNotIndexedError);
		expect(error?.message).toBe('Item 1: no KIE API knows task task_nobody_knows');
		expect(error?.notIndexedBy).toEqual(['market']);
		expect(error?.description).toContain('Market Jobs (Most Models) answered "recordInfo is null"');
		expect(requests).toHaveLength(14);
	});

	it('still stops at an error that is not "not found"', async () => {
		const { ctx } = scriptedKie({ '/api/v1/jobs/recordInfo': [{ code: 401, msg: 'You do not have access permissions' }] });
		await expect(findTask.call(ctx, 't', 0, [], { pacer: NO_WAIT })).rejects.toThrow('Item 1: KIE rejected the API key (code 401): You do not have access permissions');
	});
});
