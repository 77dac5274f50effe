import { startE2E, submitForm, type E2E, type ExecuteOutput } from './env';

/**
 * Every runnable example workflow, imported and run in a real n8n 2.x against the KIE simulator.
 * Manual flows run with `n8n execute`; the form flow runs through the n8n server over HTTP.
 */
let e2e: E2E;
beforeAll(async () => {
	e2e = await startE2E();
});
afterAll(async () => {
	await e2e?.stop();
});

const nodeOutput = (output: ExecuteOutput, node: string) => output.data.resultData.runData[node]?.[0]?.data?.main[0] ?? [];

describe('examples import', () => {
	it('imports every example workflow, with the package node types', () => {
		expect(e2e.imported.map((entry) => entry.file).sort()).toEqual(['ai-agent-tool.json', 'form-image-edit.json', 'spreadsheet-batch.json']);
		const types = e2e.imported.flatMap((entry) => entry.workflow.nodes.map((node) => node.type)).filter((type) => type.includes('kie'));
		expect(types).toEqual(expect.arrayContaining(['CUSTOM.kieCreateTask', 'CUSTOM.kieCreateTaskTool']));
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
		expect(creates.map((request) => request.body)).toEqual(
			rows.map((row) => ({
				model: 'gpt-image/1.5-text-to-image',
				input: { prompt: row.prompt, aspect_ratio: row.aspect_ratio, quality: 'medium' },
			})),
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

describe('with the n8n server running', () => {
	beforeAll(async () => {
		await e2e.startServer();
	});

	it('loads every node and credential type of the package without load errors', async () => {
		const { nodes, credentials } = await e2e.loadedTypes();
		const ours = nodes.filter((type) => type.name.startsWith('CUSTOM.kie')).map((type) => type.name);
		expect(ours).toEqual(expect.arrayContaining(['CUSTOM.kieCreateTask', 'CUSTOM.kieGetTask', 'CUSTOM.kieCreateTaskTool', 'CUSTOM.kieGetTaskTool']));
		expect(credentials.map((type) => type.name)).toContain('kieApi');
		const loadErrors = e2e
			.serverLogs()
			.split('\n')
			.filter((line) => /error|failed to load|could not load/i.test(line) && /kie|custom/i.test(line));
		expect(loadErrors).toEqual([]);
	});

	it('runs the form example: the form user gets the edited image back', async () => {
		const id = e2e.workflowId('form-image-edit.json');
		await e2e.waitForPublished(id);
		e2e.sim.reset();
		const result = await submitForm(e2e.baseUrl, 'kie-image-edit', ['https://example.com/photo.png', 'Make it look like a watercolor painting']);

		const [create] = e2e.sim.requestsFor('createTask');
		expect(create.body).toEqual({
			model: 'gpt-image/1.5-image-to-image',
			input: {
				input_urls: ['https://example.com/photo.png'],
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
});
