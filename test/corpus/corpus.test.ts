import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { getCredits, getDownloadUrl } from '../../nodes/shared/api/account';
import { fetchTask, findTask, submitTask, waitForTask } from '../../nodes/shared/api/tasks';
import { uploadBinary } from '../../nodes/shared/api/upload';
import { getFamily, normalizeCallback } from '../../nodes/shared/families';
import type { TaskResult } from '../../nodes/shared/families/result';
import { kieApiRequest, parseEnvelope, shouldRetry } from '../../nodes/shared/transport';
import { describeKieCode } from '../../nodes/shared/transport/errors';
import type { RequestPacer } from '../../nodes/shared/transport/pacer';
import { CORPUS_DIR, loadCorpus, type CorpusSample } from './corpus';

/**
 * The conformance suite (issue 21, "Real KIE"): every sample of `../shared/kie-corpus/` (answers and
 * callbacks KIE really sent, or publishes as examples) goes through the code the nodes use, and what
 * comes out must be the sample's `expected`. The folder is read at test time: a sample added later is
 * tested without a change here; a kind no dispatcher knows fails.
 *
 * | kind | package code |
 * |---|---|
 * | record | `fetchTask` (the family's `recordPath` + `normalize`), answered with the sample |
 * | callback | `normalizeCallback` (what the callback receiver uses) |
 * | envelope, error | `parseEnvelope`, `kieApiRequest` (the error message the node shows), `describeKieCode`, `shouldRetry('create', …)` |
 * | create | `submitTask` (the family's `taskIdFromCreate`) |
 * | credit, download-url | `getCredits`, `getDownloadUrl` |
 * | stream | `uploadBinary` (`/api/file-stream-upload`, then `toUploadResult`) |
 * | poll | `waitForTask`, the endpoints answering `body.responses` in order |
 * | auto-find | `findTask` (Get Task's Family "Auto"), likewise |
 *
 * The corpus's family names (market, 4o, flux-kontext, veo, veo-1080p, runway, aleph, luma, suno,
 * suno-lyrics) are the package's family names; lyrics callbacks come in Suno's staged shape and are
 * read by the `suno` family (the samples say so).
 */

/** A pacer that never waits: the suite is about parsing, not KIE's rate limits. */
const NO_WAIT: RequestPacer = { acquire: async () => ({ release: () => undefined }) };

/** An answer of the fake KIE for a path (a KIE body, sent as HTTP 200 as KIE does). */
type Answer = (path: string) => unknown;

interface FakeKie {
	ctx: IExecuteFunctions;
	/** The paths asked, in order. */
	requests: string[];
}

/**
 * A tiny execution context: the credential, the node, and `httpRequestWithAuthentication` answering
 * from the sample. An item's binary data (for uploads) is the `binary` given.
 */
function fakeKie(answer: Answer, binary?: { data: Buffer; mimeType: string; fileName: string }): FakeKie {
	const requests: string[] = [];
	const ctx = {
		getCredentials: async () => ({ apiKey: 'corpus-key', baseUrl: 'https://api.kie.test', uploadBaseUrl: 'https://upload.kie.test' }),
		getNode: () => ({ id: 'corpus', name: 'KIE', type: 'kieCreateTask', typeVersion: 1, position: [0, 0], parameters: {} }),
		getExecutionCancelSignal: () => undefined,
		getInputData: () => [
			{ json: {}, binary: binary ? { data: { data: binary.data.toString('base64'), mimeType: binary.mimeType, fileName: binary.fileName } } : undefined },
		],
		helpers: {
			httpRequestWithAuthentication: async (_credential: string, options: { url: string }) => {
				const path = new URL(options.url).pathname;
				requests.push(path);
				return { statusCode: 200, headers: {}, body: answer(path) };
			},
			assertBinaryData: () => undefined,
			getBinaryDataBuffer: async () => binary?.data ?? Buffer.alloc(0),
		},
	} as unknown as IExecuteFunctions;
	return { ctx, requests };
}

/** Answers every request with the same body. */
const always =
	(body: unknown): Answer =>
	() =>
		body;

/**
 * Answers each path from a scenario's `responses` in order (the last one again once they run out); a
 * path the scenario does not list is a task KIE does not know there (code 404).
 */
function scenario(responses: Record<string, unknown[]>): Answer {
	const next: Record<string, number> = {};
	return (path) => {
		const answers = responses[path];
		if (!answers || answers.length === 0) return { code: 404, msg: `Task not found (the scenario lists no answer for ${path})` };
		const index = Math.min(next[path] ?? 0, answers.length - 1);
		next[path] = index + 1;
		return answers[index];
	};
}

/** The path of a sample's endpoint ("GET /api/v1/jobs/recordInfo" → "/api/v1/jobs/recordInfo"). */
function endpointPath(sample: CorpusSample): string | undefined {
	return /^(?:GET|POST)\s+(\/\S+)/.exec(sample.endpoint)?.[1];
}

const text = (value: unknown): string => (value === null || value === undefined ? '' : String(value));

/** The expectations every task-shaped sample may carry (record, callback, poll, auto-find). */
function expectTask(expected: Record<string, unknown>, result: TaskResult, extra: { family?: string; stage?: string | null } = {}): void {
	if ('family' in expected && extra.family !== undefined) {
		const allowed = [expected.family, ...((expected.familyAlso as unknown[] | undefined) ?? [])];
		expect(allowed).toContain(extra.family);
	}
	if ('taskId' in expected) expect(result.taskId).toBe(expected.taskId);
	if ('state' in expected) expect(result.state).toBe(expected.state);
	if ('resultUrls' in expected) expect(result.resultUrls).toEqual(expected.resultUrls);
	if ('stage' in expected) expect(extra.stage).toBe(expected.stage);
	if ('failMsgContains' in expected) expect(text(result.failMsg)).toContain(String(expected.failMsgContains));
	if ('failCode' in expected) expect(result.failCode).toBe(expected.failCode);
	if ('completeTime' in expected) expect(result.completeTime).toBe(expected.completeTime);
	if ('lyricsCount' in expected) expect(Array.isArray(result.lyrics) ? result.lyrics.length : 0).toBe(expected.lyricsCount);
}

/** The error a request answered with the sample throws, as the node would show it. */
async function requestError(sample: CorpusSample): Promise<Error & { description?: string | null; httpCode?: string | null }> {
	const upload = sample.family === 'upload';
	const { ctx } = fakeKie(always(sample.body));
	try {
		await kieApiRequest.call(ctx, {
			method: /^GET\b/.test(sample.endpoint) ? 'GET' : 'POST',
			path: endpointPath(sample) ?? '/api/v1/jobs/createTask',
			host: upload ? 'upload' : 'api',
			kind: upload ? 'upload' : 'create',
			maxAttempts: 1,
			pacer: NO_WAIT,
		});
	} catch (error) {
		return error as Error;
	}
	throw new Error(`${sample.id}: KIE's answer was taken as a success`);
}

const DISPATCH: Record<string, (sample: CorpusSample) => Promise<void>> = {
	async record(sample) {
		const { expected } = sample;
		const family = getFamily(sample.family);
		const { ctx, requests } = fakeKie(always(sample.body));
		const result = await fetchTask.call(ctx, family, String(expected.taskId), 0, undefined, NO_WAIT);
		// The sample was read from the endpoint the family reads.
		expect(requests).toEqual([family.recordPath]);
		expect(endpointPath(sample)).toBe(family.recordPath);
		expectTask(expected, result, { family: family.name });
	},

	async callback(sample) {
		const normalized = normalizeCallback(sample.body as IDataObject);
		expectTask(sample.expected, normalized.result, { family: normalized.family, stage: normalized.stage });
	},

	async envelope(sample) {
		const { expected } = sample;
		const envelope = parseEnvelope(sample.body);
		expect(envelope?.code).toBe(expected.code);
		const isError = envelope === undefined || envelope.code !== 200;
		expect(isError).toBe(expected.isError);
		if ('retryCreate' in expected) expect(shouldRetry('create', { bodyCode: envelope?.code })).toBe(expected.retryCreate);
		if (!isError) return;
		const error = await requestError(sample);
		expect(error.httpCode).toBe(String(expected.code));
		// The message names KIE's code (its title depends on the code and, for maintenance, on KIE's message).
		expect(error.message).toContain(`(code ${envelope!.code})`);
		expect(describeKieCode(envelope!.code).title.length).toBeGreaterThan(0);
		if ('msgContains' in expected) expect(error.message).toContain(String(expected.msgContains));
	},

	async error(sample) {
		await DISPATCH.envelope(sample);
	},

	async create(sample) {
		const family = getFamily(sample.family);
		const { ctx, requests } = fakeKie(always(sample.body));
		const taskId = await submitTask.call(ctx, family, {}, 0, undefined, NO_WAIT);
		expect(requests).toEqual([family.createPath]);
		expect(taskId).toBe(sample.expected.taskId);
	},

	async credit(sample) {
		const { ctx } = fakeKie(always(sample.body));
		expect(await getCredits.call(ctx)).toBe(sample.expected.credits);
	},

	async 'download-url'(sample) {
		const { ctx, requests } = fakeKie(always(sample.body));
		const link = await getDownloadUrl.call(ctx, 'https://tempfile.aiquickdraw.com/s/result.png');
		expect(requests).toEqual([endpointPath(sample)]);
		expect(link.downloadUrl).toBe(sample.expected.downloadUrl);
	},

	async stream(sample) {
		const expected = sample.expected;
		const fileName = text(expected.fileName) || 'file.bin';
		const binary = { data: Buffer.from('corpus file'), mimeType: text(expected.mimeType) || 'application/octet-stream', fileName };
		const { ctx, requests } = fakeKie(always(sample.body), binary);
		const result = await uploadBinary.call(ctx, 0, 'data');
		expect(requests).toEqual(['/api/file-stream-upload']);
		for (const key of ['downloadUrl', 'fileName', 'fileSize', 'mimeType', 'filePath']) {
			if (key in expected) expect(result[key as keyof typeof result]).toBe(expected[key]);
		}
	},

	async poll(sample) {
		const body = sample.body as { responses: Record<string, unknown[]>; taskId: string };
		const family = getFamily(String(sample.expected.family));
		const { ctx } = fakeKie(scenario(body.responses));
		const result = await waitForTask.call(ctx, family, body.taskId, 0, { intervalMs: 1, timeoutMs: 10_000, pacer: NO_WAIT });
		expectTask(sample.expected, result, { family: family.name });
	},

	async 'auto-find'(sample) {
		const body = sample.body as { responses: Record<string, unknown[]>; taskId: string };
		const { ctx } = fakeKie(scenario(body.responses));
		const { family, result } = await findTask.call(ctx, body.taskId, 0, [], { pacer: NO_WAIT });
		expectTask(sample.expected, result, { family: family.name });
	},
};

let samples: Array<{ file: string; sample: CorpusSample }> = [];
let loadError: Error | undefined;
try {
	samples = loadCorpus();
} catch (error) {
	loadError = error as Error;
}

describe('KIE corpus (../shared/kie-corpus)', () => {
	it('is there, and every sample has an id, a kind this suite reads and an expectation', () => {
		if (loadError) throw loadError;
		expect(samples.length).toBeGreaterThan(0);
		for (const { file, sample } of samples) {
			expect({ file, id: typeof sample.id, kind: sample.kind in DISPATCH, expected: typeof sample.expected }).toEqual({
				file,
				id: 'string',
				kind: true,
				expected: 'object',
			});
		}
	});

	// One test per sample, from the folder's listing (CORPUS_DIR).
	const cases = samples.map(({ file, sample }) => [`${sample.id ?? file} (${sample.kind}, ${sample.provenance})`, sample] as const);
	if (cases.length > 0) {
		it.each(cases)('%s', async (_name, sample) => {
			const run = DISPATCH[sample.kind];
			if (!run) throw new Error(`${sample.id}: no dispatcher for kind "${sample.kind}" in test/corpus/corpus.test.ts (${CORPUS_DIR})`);
			await run(sample);
		});
	}
});
