import spreadsheetExample from '../../examples/spreadsheet-batch.json';
import waitBatchExample from '../../examples/callback-wait-batch.json';

import { makePng, sha256Hex, signCallback } from '../../simulator';
import { HMAC_KEY, INSTANCE_RULES, N8N3_DEFAULTS, N8N3_DEFAULT_RULES, N8N_VERSION, SIM_KEY, describeReport, report, startE2E, submitForm, type E2E, type ExecuteOutput } from './env';
import { waitFor } from './wait';

/**
 * Every runnable example workflow, imported and run in a real n8n (2.40.7, or 1.123.81 with N8N_VERSION)
 * against the KIE simulator, with the packed tarball installed as n8n installs a community package.
 * Manual flows run with `n8n execute`; the form flow runs through the n8n server over HTTP.
 */
let e2e: E2E;
/** The spreadsheet example as it is, reading a CSV of `rows` rows instead of 5, with `options` added to KIE Create Task's. */
function sheet(rows: number, id: string, name: string, options: Record<string, unknown> = {}): typeof spreadsheetExample {
	const workflow = JSON.parse(JSON.stringify(spreadsheetExample).replace('prompts.csv?rows=5', `prompts.csv?rows=${rows}`)) as typeof spreadsheetExample;
	workflow.id = id;
	workflow.name = name;
	Object.assign(workflow.nodes.find((node) => node.name === 'KIE Create Task')!.parameters.options as Record<string, unknown>, options);
	return workflow;
}
const SHEET_50 = 'e2e-spreadsheet-batch-50-rows.json';
const sheet50 = sheet(50, 'kieE2ESheet50Rows', 'KIE: spreadsheet of prompts to images (50 rows)');
/** On 10 rows with a budget: Max Credits per Run 30 (GPT Image 1.5: 4 credits a task). */
const SHEET_BUDGET = 'e2e-spreadsheet-batch-budget.json';
const sheetBudget = sheet(10, 'kieE2ESheetBudget', 'KIE: spreadsheet of prompts to images (10 rows, 30 credits at most)', { maxCreditsPerRun: 30 });
/** The Wait for Callback example with 40 prompts instead of 5. */
const WAIT_40 = 'e2e-callback-wait-40.json';
const wait40 = JSON.parse(JSON.stringify(waitBatchExample)) as typeof waitBatchExample;
wait40.id = 'kieE2EWait40';
wait40.name = 'KIE: wait for callbacks (40 items)';
const prompts = wait40.nodes.find((node) => node.name === 'Prompts')!.parameters as { jsonOutput: string };
prompts.jsonOutput = JSON.stringify({ rows: Array.from({ length: 40 }, (_, index) => ({ id: `item-${index + 1}`, prompt: `Prompt number ${index + 1}` })) });
/** The Wait for Callback example on a credential named after it, with everything else the same. */
function waitWith(credentialId: string, id: string): { file: string; workflow: typeof waitBatchExample } {
	const workflow = JSON.parse(JSON.stringify(waitBatchExample)) as typeof waitBatchExample;
	workflow.id = id;
	workflow.name = `KIE: wait for callbacks (${credentialId})`;
	workflow.nodes.find((node) => node.name === 'KIE Create Task')!.credentials!.kieApi = { id: credentialId, name: credentialId };
	return { file: `e2e-${id}.json`, workflow };
}
/** Without a webhook HMAC key: a callback is only a signal to read KIE. */
const WAIT_UNSIGNED = waitWith('kieE2ENoHmacKey', 'kieE2EWaitUnsigned');
/** A credential that names KIE's public API (routed to the simulator inside this n8n): a local n8n polls instead. */
const WAIT_PUBLIC = waitWith('kieE2EPublicName', 'kieE2EWaitPublic');
beforeAll(async () => {
	e2e = await startE2E({
		extraWorkflows: [{ file: SHEET_50, workflow: sheet50 }, { file: SHEET_BUDGET, workflow: sheetBudget }, { file: WAIT_40, workflow: wait40 }, WAIT_UNSIGNED, WAIT_PUBLIC],
		extraCredentials: (simulatorUrl) => [
			{ id: 'kieE2ENoHmacKey', name: 'KIE API (no webhook key)', type: 'kieApi', data: { apiKey: SIM_KEY, baseUrl: simulatorUrl, uploadBaseUrl: simulatorUrl, webhookHmacKey: '' } },
			{
				id: 'kieE2EPublicName',
				name: 'KIE API (public name)',
				type: 'kieApi',
				data: { apiKey: SIM_KEY, baseUrl: `http://api.kie.ai:${new URL(simulatorUrl).port}`, uploadBaseUrl: simulatorUrl, webhookHmacKey: HMAC_KEY },
			},
		],
	});
});
afterAll(async () => {
	await e2e?.stop();
});

const nodeOutput = (output: ExecuteOutput, node: string) => output.data.resultData.runData[node]?.[0]?.data?.main[0] ?? [];

describe('examples import', () => {
	it('imports every example workflow, with the package node types', () => {
		expect(e2e.imported.map((entry) => entry.file).filter((file) => !file.startsWith('e2e-')).sort()).toEqual([
			'ai-agent-tool.json',
			'callback-receive.json',
			'callback-submit.json',
			'callback-wait-batch.json',
			'form-image-edit.json',
			'recover-stalled-callbacks.json',
			'spreadsheet-batch.json',
		]);
		// Imported as they are published: the package's own type names, no rewriting.
		const types = e2e.imported.flatMap((entry) => entry.workflow.nodes.map((node) => node.type)).filter((type) => type.includes('kie'));
		expect(types).toEqual(expect.arrayContaining(['n8n-nodes-kie-ai.kieCreateTask', 'n8n-nodes-kie-ai.kieCreateTaskTool']));
		expect(types.every((type) => type.startsWith('n8n-nodes-kie-ai.'))).toBe(true);
	});
});

describe('spreadsheet batch example (n8n execute)', () => {
	let output: ExecuteOutput;
	beforeAll(async () => {
		e2e.sim.reset();
		output = await e2e.execute(e2e.workflowId('spreadsheet-batch.json'));
	});

	it('finishes without an error', () => {
		expect(output.data.resultData.error).toBeUndefined();
	});

	it('submits one task per CSV row, with the row prompt and aspect ratio', () => {
		const creates = e2e.sim.requestsFor('createTask');
		expect(creates).toHaveLength(5);
		const rows = nodeOutput(output, 'Extract rows').map((item) => item.json);
		// The creates of one window are sent concurrently, so they may reach KIE in any order.
		const sorted = (bodies: unknown[]) => bodies.map((body) => JSON.stringify(body)).sort();
		expect(sorted(creates.map((request) => request.body))).toEqual(
			sorted(
				rows.map((row) => ({
					model: 'gpt-image/1.5-text-to-image',
					input: { prompt: row.prompt, aspect_ratio: row.aspect_ratio, quality: 'medium' },
				})),
			),
		);
	});

	it('answers every row with its result URL, in row order', () => {
		const results = nodeOutput(output, 'Result per row').map((item) => item.json);
		expect(results.map((row) => row.id)).toEqual(['row-1', 'row-2', 'row-3', 'row-4', 'row-5']);
		for (const row of results) {
			expect(row.state).toBe('success');
			const task = e2e.sim.tasks.get(row.task_id as string);
			expect(task).toBeDefined();
			expect(row.result_url).toBe(task!.resultUrls[0]);
		}
	});

	it('produces a CSV file with a result URL per row', () => {
		const [item] = nodeOutput(output, 'Results CSV');
		const file = item.binary?.data;
		expect(file?.fileName).toBe('kie-results.csv');
		const lines = Buffer.from(file!.data, 'base64').toString('utf8').trim().split('\n');
		expect(lines[0]).toBe('id,prompt,state,result_url,task_id,error');
		expect(lines).toHaveLength(6);
		for (const line of lines.slice(1)) expect(line).toMatch(new RegExp(`,success,${e2e.sim.url}/files/task_[^,]+/0\\.png,task_`));
	});
});

describe('spreadsheet batch example with Max Credits per Run (n8n execute)', () => {
	it('10 rows, 30 credits: the first 7 rows are created (4 credits each), the last 3 come out "notSubmitted" and cost nothing', async () => {
		e2e.sim.reset();
		const before = e2e.sim.credits;
		const output = await e2e.execute(e2e.workflowId(SHEET_BUDGET));
		expect(output.data.resultData.error).toBeUndefined();
		const results = nodeOutput(output, 'Result per row').map((item) => item.json);
		expect(results.map((row) => row.id)).toEqual(Array.from({ length: 10 }, (_, index) => `row-${index + 1}`));
		expect(results.map((row) => row.state)).toEqual([...Array(7).fill('success'), ...Array(3).fill('notSubmitted')]);
		const kie = nodeOutput(output, 'KIE Create Task').map((item) => item.json);
		expect(kie[7]).toMatchObject({ state: 'notSubmitted', reason: expect.stringMatching(/^Max Credits per Run \(30\) reached: 28 credits spent or committed/) });
		expect(e2e.sim.tasks.size).toBe(7);
		expect(before - e2e.sim.credits).toBe(28);
		// The results CSV has a line for every row, the refused ones included.
		const csv = nodeOutput(output, 'Results CSV')[0].binary?.data;
		expect(Buffer.from(csv!.data, 'base64').toString('utf8').trim().split('\n')).toHaveLength(11);
	});
});

describe('spreadsheet batch example, 50 rows, against KIE\'s rate limits (n8n execute)', () => {
	let output: ExecuteOutput;
	beforeAll(async () => {
		e2e.sim.reset();
		// KIE's own numbers, not scaled: 20 new tasks per 10 s and 10 status reads per second. The example
		// uses the node's defaults, which are the same limits.
		e2e.sim.setRateLimit(true);
		output = await e2e.execute(e2e.workflowId(SHEET_50));
	});
	afterAll(() => {
		e2e.sim.setRateLimit(null);
	});

	it('answers every one of the 50 rows with its result, in row order, each submitted once, without a 429', () => {
		expect(output.data.resultData.error).toBeUndefined();
		const results = nodeOutput(output, 'Result per row').map((item) => item.json);
		expect(results.map((row) => row.id)).toEqual(Array.from({ length: 50 }, (_, index) => `row-${index + 1}`));
		for (const row of results) {
			expect(row).toMatchObject({ state: 'success', error: '' });
			expect(row.result_url).toBe(e2e.sim.tasks.get(row.task_id as string)!.resultUrls[0]);
		}
		const creates = e2e.sim.requestsFor('createTask');
		expect(creates).toHaveLength(50);
		// One create per row (the demo CSV repeats its prompts, so rows are matched as a multiset).
		const promptsSent = creates.map((request) => (request.body as { input: { prompt: string } }).input.prompt).sort();
		expect(promptsSent).toEqual(nodeOutput(output, 'Extract rows').map((item) => String(item.json.prompt)).sort());
		expect(new Set(results.map((row) => row.task_id)).size).toBe(50);
		expect(e2e.sim.stats.rejected429).toBe(0);
		expect(e2e.sim.stats.peakCreatesInWindow).toBeLessThanOrEqual(20);
		// Three windows of creates: the last rows were sent at least 20 s after the first.
		const times = creates.map((request) => request.at).sort((a, b) => a - b);
		expect(times[49] - times[0]).toBeGreaterThanOrEqual(20_000);
		const lines = Buffer.from(nodeOutput(output, 'Results CSV')[0].binary!.data.data, 'base64').toString('utf8').trim().split('\n');
		expect(lines).toHaveLength(51);
	});
});

describe('with the n8n server running', () => {
	beforeAll(async () => {
		await e2e.startServer();
	});

	it('loads the packed tarball, installed as n8n installs a community package: every node and the credential under the package\'s own type names, without load errors', async () => {
		const { nodes, credentials } = await e2e.loadedTypes();
		const ours = [...new Set(nodes.filter((type) => type.name.startsWith('n8n-nodes-kie-ai.')).map((type) => type.name))].sort();
		expect(ours).toEqual([
			'n8n-nodes-kie-ai.kieAccount',
			'n8n-nodes-kie-ai.kieAccountTool',
			'n8n-nodes-kie-ai.kieCreateTask',
			'n8n-nodes-kie-ai.kieCreateTaskTool',
			'n8n-nodes-kie-ai.kieGetTask',
			'n8n-nodes-kie-ai.kieGetTaskTool',
			'n8n-nodes-kie-ai.kieTrigger',
			'n8n-nodes-kie-ai.kieUploadFile',
			'n8n-nodes-kie-ai.kieUploadFileTool',
		]);
		// Nothing of ours under another name (as a custom extension would load it).
		expect(nodes.filter((type) => /^CUSTOM\./.test(type.name))).toEqual([]);
		expect(credentials.find((type) => type.name === 'kieApi')?.displayName).toBe('KIE API');
		expect(e2e.installedAt).toMatch(/[\\/]\.n8n[\\/]nodes[\\/]node_modules[\\/]n8n-nodes-kie-ai$/);
		const loadErrors = e2e
			.serverLogs()
			.split('\n')
			.filter((line) => /error|failed to load|could not load/i.test(line) && /kie/i.test(line));
		expect(loadErrors).toEqual([]);
	});

	it(`n8n's own Migration Report lists no issue for any example workflow and no instance issue caused by the package`, async () => {
		const migration = await e2e.migrationReport();
		const examples = new Set(e2e.imported.filter((entry) => !entry.file.startsWith('e2e-')).map((entry) => entry.id));
		for (const line of describeReport(migration, { ownWorkflowIds: examples })) report(line);
		expect({ version: migration.version, by: migration.currentVersion }).toEqual({ version: e2e.n8nMajor >= 2 ? 'v3' : 'v2', by: N8N_VERSION });
		expect(migration.workflowIssues.filter((issue) => examples.has(issue.workflowId))).toEqual([]);
		// Every instance issue is one known to be about the host or n8n itself, never about a package.
		expect(migration.instanceIssues.filter((issue) => !INSTANCE_RULES[issue.ruleId])).toEqual([]);
		const instanceRules = migration.instanceIssues.map((issue) => issue.ruleId);
		if (N8N3_DEFAULTS) {
			// The profile sets every default n8n 3 changes: the report asks for none of them.
			expect(instanceRules.filter((rule) => N8N3_DEFAULT_RULES.has(rule))).toEqual([]);
		} else if (e2e.n8nMajor >= 2) {
			// What the README says a user of an unverified package sees until n8n verifies it.
			expect(instanceRules).toContain('unverified-packages-v3');
		}
	});

	it('runs the form example: the uploaded image is sent to KIE, and the form user gets the result back', async () => {
		const id = e2e.workflowId('form-image-edit.json');
		await e2e.waitForPublished(id);
		e2e.sim.reset();
		const image = makePng({ width: 64, height: 48, seed: 'form' });
		const result = await submitForm(e2e.baseUrl, 'kie-image-edit', [
			{ bytes: image, fileName: 'photo.png', mimeType: 'image/png' },
			'Make it look like a watercolor painting',
		]);

		const [upload] = e2e.sim.requestsFor('uploadStream');
		expect(upload.answerCode).toBe(200);
		const file = (upload.body as { file: { sha256: string; size: number } }).file;
		expect(file).toMatchObject({ size: image.length, sha256: sha256Hex(image) }); // byte for byte
		const uploadedUrl = (upload.response!.data as { downloadUrl: string }).downloadUrl;

		const [create] = e2e.sim.requestsFor('createTask');
		expect(create.body).toEqual({
			model: 'gpt-image/1.5-image-to-image',
			input: {
				input_urls: [uploadedUrl],
				prompt: 'Make it look like a watercolor painting',
				aspect_ratio: '3:2',
				quality: 'medium',
			},
		});
		const resultUrl = e2e.sim.tasks.get(create.taskId!)!.resultUrls[0];
		expect(result.page).toContain('Your image is ready');
		expect(result.page).toContain(resultUrl);

		const execution = await e2e.getExecution(result.executionId);
		const created = execution.data.resultData.runData['KIE Create Task'][0].data!.main[0][0].json;
		expect(created).toMatchObject({ taskId: create.taskId, state: 'success', resultUrls: [resultUrl] });
	});

	describe('callbacks in real n8n', () => {
		const triggerUrl = () => {
			const workflow = e2e.imported.find((entry) => entry.file === 'callback-receive.json')!.workflow as unknown as {
				nodes: Array<{ name: string; webhookId?: string }>;
			};
			const webhookId = workflow.nodes.find((node) => node.name === 'KIE Trigger')!.webhookId;
			return `${e2e.baseUrl}/webhook/${webhookId}/callback`;
		};
		const executionsOf = async (file: string) => await e2e.listExecutions(e2e.workflowId(file));

		beforeAll(async () => {
			await e2e.waitForPublished(e2e.workflowId('callback-receive.json'));
		});

		it('a published KIE Trigger workflow runs on a signed callback and answers 401 to a forged one', async () => {
			const before = (await executionsOf('callback-receive.json')).length;
			const body = { code: 200, msg: 'ok', data: { taskId: 'task_e2e_signed', model: 'gpt-image/1.5-text-to-image', state: 'success', resultJson: '{"resultUrls":["https://example.com/r.png"]}' } };
			const post = async (signature: string, timestamp: number) =>
				await fetch(`${triggerUrl()}?rowId=row-99`, {
					method: 'POST',
					headers: { 'content-type': 'application/json', 'x-webhook-timestamp': String(timestamp), 'x-webhook-signature': signature },
					body: JSON.stringify(body),
				});
			const now = Math.floor(Date.now() / 1000);
			const forged = await post(signCallback('not-the-key', 'task_e2e_signed', now), now);
			expect(forged.status).toBe(401);
			const accepted = await post(signCallback(HMAC_KEY, 'task_e2e_signed', now), now);
			expect(accepted.status).toBe(200);

			const executions = await waitFor(async () => {
				const list = await executionsOf('callback-receive.json');
				return list.length > before ? list : undefined;
			});
			expect(executions.length).toBe(before + 1); // the forged callback started nothing
			const run = await e2e.waitForExecution(executions[0].id, ['success']);
			const [row] = run.data.resultData.runData['Result for the row'][0].data!.main[0];
			expect(row.json).toEqual({ row_id: 'row-99', task_id: 'task_e2e_signed', state: 'success', result_url: 'https://example.com/r.png', error: '' });
		});

		it('the submit example sends callbacks with row context to the KIE Trigger workflow', async () => {
			e2e.sim.reset();
			const before = (await executionsOf('callback-receive.json')).length;
			const executionId = await e2e.runInServer(e2e.workflowId('callback-submit.json'), 'Submit');
			await e2e.waitForExecution(executionId, ['success']);
			// Sorted by row: the two creates go out in the same window, so they may reach KIE in any order.
			const callBackUrlOf = (request: { body?: unknown }) => (request.body as { callBackUrl: string }).callBackUrl;
			const creates = e2e.sim.requestsFor('createTask').sort((a, b) => callBackUrlOf(a).localeCompare(callBackUrlOf(b)));
			expect(creates.map(callBackUrlOf)).toEqual([
				`${triggerUrl()}?rowId=row-1`,
				`${triggerUrl()}?rowId=row-2`,
			]);
			await e2e.sim.settle(30_000);
			expect(e2e.sim.callbacks.map((delivery) => delivery.status)).toEqual([200, 200]);

			const executions = await waitFor(async () => {
				const list = await executionsOf('callback-receive.json');
				return list.length >= before + 2 ? list : undefined;
			});
			const rows = [];
			for (const execution of executions.slice(0, 2)) {
				const run = await e2e.waitForExecution(execution.id, ['success']);
				rows.push(run.data.resultData.runData['Result for the row'][0].data!.main[0][0].json);
			}
			const byRow = Object.fromEntries(rows.map((row) => [row.row_id, row]));
			for (const [index, rowId] of ['row-1', 'row-2'].entries()) {
				const taskId = creates[index].taskId!;
				expect(byRow[rowId]).toMatchObject({ task_id: taskId, state: 'success', result_url: e2e.sim.tasks.get(taskId)!.resultUrls[0] });
			}
		});

		it('a batch of 5 waits for its callbacks, then resumes once with 5 paired items', async () => {
			e2e.sim.reset();
			for (const genMs of [2500, 1500, 3000, 1000, 2000]) e2e.sim.nextTask({ genMs });
			const executionId = await e2e.runInServer(e2e.workflowId('callback-wait-batch.json'), 'Start');
			const waiting = await e2e.waitForExecution(executionId, ['waiting']);
			expect(waiting.status).toBe('waiting');
			const creates = e2e.sim.requestsFor('createTask');
			expect(creates).toHaveLength(5);
			for (const request of creates) {
				// n8n 2.x signs its resume URLs; 1.123's carry no token.
				expect((request.body as { callBackUrl: string }).callBackUrl).toMatch(new RegExp(`^${e2e.baseUrl}/webhook-waiting/${executionId}${e2e.n8nMajor >= 2 ? '\\?signature=' : '$'}`));
			}

			const done = await e2e.waitForExecution(executionId, ['success', 'error'], 60_000);
			expect(done.status).toBe('success');
			const deliveries = e2e.sim.callbacks.filter((delivery) => delivery.url.includes(`/webhook-waiting/${executionId}`));
			expect(deliveries).toHaveLength(5);
			expect(deliveries.every((delivery) => delivery.status === 200)).toBe(true);

			const created = done.data.resultData.runData['KIE Create Task'];
			expect(created).toHaveLength(1); // resumed once: one run of the node, with all five results
			const items = created[0].data!.main[0];
			// Each item holds the task created from its own prompt (the creates of one window are sent
			// concurrently, so they may reach KIE in any order).
			const rows = done.data.resultData.runData['One item per prompt'][0].data!.main[0].map((item) => item.json);
			const promptOfTask = (taskId: unknown) =>
				(creates.find((request) => request.taskId === taskId)!.body as { input: { prompt: string } }).input.prompt;
			expect(items.map((item) => promptOfTask(item.json.taskId))).toEqual(rows.map((row) => row.prompt));
			expect(items.map((item) => item.json.state)).toEqual(Array(5).fill('success'));
			expect(items.map((item) => item.pairedItem)).toEqual([0, 1, 2, 3, 4].map((item) => ({ item })));
			const results = done.data.resultData.runData['Result per item'][0].data!.main[0].map((item) => item.json);
			expect(results.map((row) => row.id)).toEqual(['item-1', 'item-2', 'item-3', 'item-4', 'item-5']);
		});
	});

	describe('callbacks in real n8n: early and lost callbacks', () => {
		it('a callback that arrives before the execution is waiting (n8n refuses it) is reconciled', async () => {
			e2e.sim.reset();
			e2e.sim.fault('callback', 'beforeCreateResponse');
			for (const genMs of [0, 1500, 2000, 2500, 3000]) e2e.sim.nextTask({ genMs });
			const executionId = await e2e.runInServer(e2e.workflowId('callback-wait-batch.json'), 'Start');
			const done = await e2e.waitForExecution(executionId, ['success', 'error'], 60_000);
			expect(done.status).toBe('success');
			const [first] = e2e.sim.requestsFor('createTask');
			const early = e2e.sim.callbacks.find((delivery) => delivery.taskId === first.taskId)!;
			// n8n refuses it (409, or 500 while the execution is still being created); KIE retries.
		expect(early.statuses[0]).not.toBe(200);
			const items = done.data.resultData.runData['KIE Create Task'][0].data!.main[0];
			expect(items.find((item) => item.json.taskId === first.taskId)?.json).toMatchObject({ taskId: first.taskId, state: 'success' });
			expect(items).toHaveLength(5);
		});
	});
});

describe('Wait for Callback in real n8n: cost, trust and the ways out', () => {
	const createTaskRun = (execution: { data: ExecuteOutput['data'] }) => execution.data.resultData.runData['KIE Create Task'];
	const resumeUrlOf = (executionId: string) => {
		const create = e2e.sim.requestsFor('createTask').find((request) => String((request.body as { callBackUrl?: string }).callBackUrl).includes(`/webhook-waiting/${executionId}`));
		return (create!.body as { callBackUrl: string }).callBackUrl;
	};

	it('a 40-item batch under KIE\'s enforced limits settles in O(N) status reads, without a 429', async () => {
		e2e.sim.reset();
		e2e.sim.setRateLimit(true);
		try {
			const started = Date.now();
			const executionId = await e2e.runInServer(e2e.workflowId(WAIT_40), 'Start');
			const done = await e2e.waitForExecution(executionId, ['success', 'error'], 180_000);
			const seconds = (Date.now() - started) / 1000;
			expect(done.status).toBe('success');
			const reads = e2e.sim.requestsFor('recordInfo').length;
			const deliveries = e2e.sim.callbacks.filter((delivery) => delivery.url.includes(`/webhook-waiting/${executionId}`));
			report(`Wait for Callback, 40 items, KIE's limits enforced: ${reads} status reads, ${e2e.sim.stats.rejected429} answers of 429, ${seconds.toFixed(1)} s, ${deliveries.length} callbacks delivered`);
			const items = createTaskRun(done)[0].data!.main[0];
			expect(createTaskRun(done)).toHaveLength(1);
			expect(items).toHaveLength(40);
			expect(items.every((item) => item.json.state === 'success')).toBe(true);
			expect(new Set(items.map((item) => item.json.taskId)).size).toBe(40);
			expect(e2e.sim.requestsFor('createTask')).toHaveLength(40);
			expect(reads).toBeLessThanOrEqual(2 * 40 + 10);
			expect(e2e.sim.stats.rejected429).toBe(0);
		} finally {
			e2e.sim.setRateLimit(null);
		}
	});

	/** A Wait for Callback batch whose five callbacks are all lost: its execution stays waiting. */
	const stalledBatch = async () => {
		e2e.sim.reset();
		e2e.sim.fault('callback', 'lost', { count: 5 });
		const executionId = await e2e.runInServer(e2e.workflowId('callback-wait-batch.json'), 'Start');
		await e2e.waitForExecution(executionId, ['waiting']);
		await e2e.sim.settle(30_000);
		expect(e2e.sim.callbacks.filter((delivery) => delivery.status === 200)).toHaveLength(0);
		// Still waiting: nothing reached n8n.
		const waiting = await e2e.getExecution(executionId);
		expect(waiting.status).toBe('waiting');
		// The secrets a nudge needs: n8n 2.x's resume token (in the URL KIE was given) and, with the
		// credential's Webhook HMAC Key, the batch's nudge token (in the batch record in the node's context).
		const resumeToken = new URL(resumeUrlOf(executionId)).searchParams.get('signature') ?? undefined;
		const contexts = (waiting.data as unknown as { executionData: { contextData: Record<string, { kieBatch?: string }> } }).executionData.contextData;
		const nudgeToken = (JSON.parse(contexts['node:KIE Create Task'].kieBatch!) as { nudgeToken?: string }).nudgeToken;
		return { executionId, resumeToken, nudgeToken };
	};
	/**
	 * Resolves once the execution has ended and is gone from n8n's API (n8n answers an execution it does not
	 * show with nothing, or 404) and from the workflow's list; throws if it is still there after `timeoutMs`.
	 */
	const waitUntilUnsaved = async (workflowId: string, executionId: string, timeoutMs = 60_000) => {
		let last: { id?: string; status?: string; data?: ExecuteOutput['data'] } | undefined;
		await waitFor(async () => {
			const answer = await e2e.rest.request<typeof last>('GET', `/rest/executions/${executionId}`).then(
				(execution) => ({ execution, status: 200 }),
				(error: { status?: number }) => ({ execution: undefined, status: error.status }),
			);
			expect([200, 404]).toContain(answer.status);
			last = answer.execution ?? undefined;
			return last?.id === undefined ? true : undefined;
		}, timeoutMs).catch((error: Error) => {
			throw new Error(`${error.message}: execution ${executionId} is still in n8n's API: ${JSON.stringify({ status: last?.status, saved: last?.data !== undefined })}`);
		});
		expect((await e2e.listExecutions(workflowId)).map((execution) => String(execution.id))).not.toContain(executionId);
	};
	const createTaskState = async (executionId: string) => {
		const done = await e2e.waitForExecution(executionId, ['success', 'error'], 60_000);
		expect(done.status).toBe('success');
		const items = createTaskRun(done)[0].data!.main[0];
		expect(items.map((item) => item.json.state)).toEqual(Array(5).fill('success'));
		for (const item of items) expect(item.json.resultUrls).toEqual(e2e.sim.tasks.get(item.json.taskId as string)!.resultUrls);
	};

	it('the recovery example nudges a batch whose callbacks were all lost, and it finishes', async () => {
		// As published: it saves no execution data, so its run leaves nothing in n8n's API.
		const first = await stalledBatch();
		expect(first.nudgeToken).toEqual(expect.any(String));
		expect(first.resumeToken !== undefined).toBe(e2e.n8nMajor >= 2);
		const recovery = await e2e.runInServer(e2e.workflowId('recover-stalled-callbacks.json'), 'Run now');
		await createTaskState(first.executionId);
		await waitUntilUnsaved(e2e.workflowId('recover-stalled-callbacks.json'), recovery);

		// A copy that saves its executions shows every node's output: none but the API read ("Execution
		// details") holds the resume URL, n8n's resume token or the batch's nudge token.
		const published = e2e.imported.find((entry) => entry.file === 'recover-stalled-callbacks.json')!.workflow as unknown as Record<string, unknown>;
		const audit = await e2e.rest.request<{ id: string }>('POST', '/rest/workflows', {
			name: 'KIE: recover stalled callback batches (saving its executions)',
			nodes: published.nodes,
			connections: published.connections,
			settings: { executionOrder: 'v1', saveDataSuccessExecution: 'all', saveDataErrorExecution: 'all', saveManualExecutions: true },
			active: false,
		});
		const second = await stalledBatch();
		const run = await e2e.runInServer(audit.id, 'Run now');
		const report = await e2e.waitForExecution(run, ['success', 'error'], 60_000);
		expect(report.status).toBe('success');
		const runData = report.data.resultData.runData;
		// n8n 2.x lists the waiting execution; 1.123 leaves it out of its API's list (it still holds it in
		// memory), and the example finds it as a gap in the list.
		const listed = runData['Executions'][0].data!.main[0].map((item) => String(item.json.id));
		expect(listed.includes(second.executionId)).toBe(e2e.n8nMajor >= 2);
		expect(runData['Waiting or unlisted'][0].data!.main[0].map((item) => item.json.executionId)).toContain(second.executionId);
		const rows = runData['Report'][0].data!.main[0].map((item) => item.json);
		expect(rows.find((row) => row.executionId === second.executionId)).toMatchObject({ node: 'KIE Create Task', tasks: 5, status: 200 });
		const secrets = [second.nudgeToken!, ...(second.resumeToken ? [second.resumeToken, encodeURIComponent(second.resumeToken)] : []), 'signature=', `/webhook-waiting/${second.executionId}`];
		// The API read holds them (so the search below would find them)…
		expect(JSON.stringify(runData['Execution details'])).toContain(second.nudgeToken!);
		// …and no other node's output does.
		expect(Object.keys(runData).sort()).toEqual(['Execution details', 'Executions', 'KIE batches waiting', 'Nudge', 'Report', 'Run now', 'Summary', 'Waiting or unlisted']);
		// It ends with one item that says what it found.
		expect(Object.keys(runData).at(-1)).toBe('Summary');
		const summary = runData['Summary'][0].data!.main[0];
		expect(summary).toHaveLength(1);
		expect(summary[0].json).toMatchObject({
			nudged: 1,
			nudgedExecutions: [expect.objectContaining({ executionId: second.executionId, node: 'KIE Create Task', tasks: 5, status: 200 })],
		});
		expect(String(summary[0].json.summary)).toMatch(/^1 nudged, \d+ skipped/);
		for (const [node, runs] of Object.entries(runData)) {
			if (node === 'Execution details') continue;
			const output = JSON.stringify(runs);
			for (const secret of secrets) expect({ node, holds: output.includes(secret) ? secret : undefined }).toEqual({ node, holds: undefined });
		}
		// The batch record's nudge token went as X-Kie-Nudge-Token (the webhook takes no unsigned nudge
		// without it when the credential has a key), and the batch finished.
		await createTaskState(second.executionId);

		// Nothing waits now: the run says so in one item, and nudges nothing.
		const quiet = await e2e.waitForExecution(await e2e.runInServer(audit.id, 'Run now'), ['success', 'error'], 60_000);
		expect(quiet.status).toBe('success');
		const quietData = quiet.data.resultData.runData;
		expect(Object.keys(quietData)).not.toContain('Nudge');
		expect(Object.keys(quietData)).not.toContain('Report');
		const [nothing] = quietData['Summary'][0].data!.main[0];
		expect(nothing.json).toMatchObject({ nudged: 0, nudgedExecutions: [] });
		expect(String(nothing.json.summary)).toMatch(/^Nothing to nudge: no execution waits for KIE callbacks\./);
	});

	it('without a webhook key, a forged unsigned callback on the resume URL changes nothing', async () => {
		e2e.sim.reset();
		for (let i = 0; i < 5; i++) e2e.sim.nextTask({ genMs: 4_000 });
		const executionId = await e2e.runInServer(e2e.workflowId(WAIT_UNSIGNED.file), 'Start');
		await e2e.waitForExecution(executionId, ['waiting']);
		const [first] = e2e.sim.requestsFor('createTask');
		const forged = await fetch(resumeUrlOf(executionId), {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({
				code: 200,
				msg: 'success',
				data: { taskId: first.taskId, model: 'gpt-image/1.5-text-to-image', state: 'success', resultJson: JSON.stringify({ resultUrls: ['https://forged.example/x.png'] }) },
			}),
		});
		expect(forged.status).toBe(200);
		// Without a key anybody may have sent it: the answer tells nothing about the batch.
		expect(await forged.json()).toMatchObject({ msg: 'received' });
		expect((await e2e.getExecution(executionId)).status).toBe('waiting');

		const done = await e2e.waitForExecution(executionId, ['success', 'error'], 60_000);
		expect(done.status).toBe('success');
		const items = createTaskRun(done)[0].data!.main[0];
		expect(JSON.stringify(items)).not.toContain('forged.example');
		expect(items.find((item) => item.json.taskId === first.taskId)!.json.resultUrls).toEqual(e2e.sim.tasks.get(first.taskId!)!.resultUrls);
	});

	it('a local n8n (loopback resume URL) with KIE\'s public API polls instead, before any paid request, and says so', async () => {
		e2e.sim.reset();
		const executionId = await e2e.runInServer(e2e.workflowId(WAIT_PUBLIC.file), 'Start');
		const done = await e2e.waitForExecution(executionId, ['success', 'error', 'waiting'], 60_000);
		expect(done.status).toBe('success');
		const creates = e2e.sim.requestsFor('createTask');
		expect(creates).toHaveLength(5);
		for (const request of creates) expect((request.body as { callBackUrl?: string }).callBackUrl).toBeUndefined();
		const run = createTaskRun(done)[0] as { data?: { main: Array<Array<{ json: Record<string, unknown> }>> }; hints?: Array<{ message: string }> };
		const items = run.data!.main[0];
		expect(items.map((item) => item.json.state)).toEqual(Array(5).fill('success'));
		expect(items[0].json.fallback).toMatch(/^Polled instead of waiting for a callback: this execution's resume URL \(127\.0\.0\.1:\d+\) is on this machine/);
		expect(run.hints?.map((hint) => hint.message).join('\n')).toMatch(/Polled instead of waiting for a callback/);
	});
});

