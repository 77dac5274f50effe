import { PROFILE, startE2E, type E2E } from './env';

/**
 * A model that is not built in, in a real n8n: its "Model Input" fields come from KIE's live schema through
 * n8n's own resource-mapper endpoint (what the editor calls when the model is picked), a workflow is saved
 * with them, runs, and KIE receives exactly the body the fields say.
 */
const KIE_CREDENTIAL = { id: 'kieE2ECredential', name: 'KIE API (simulator)' };
const MODEL = { __rl: true, mode: 'list', value: 'acme/pixel-forge-3', cachedResultName: 'Acme Pixel Forge 3 (live)' };

let e2e: E2E;
beforeAll(async () => {
	e2e = await startE2E({ withExamples: false });
	await e2e.startServer();
});
afterAll(async () => await e2e?.stop());

type MapperField = { id: string; displayName: string; type: string; required: boolean; removed?: boolean; defaultValue?: unknown; options?: Array<{ value: unknown }> };

/** The request n8n's editor sends for the fields of a resource mapper. */
async function loadFields(model: typeof MODEL): Promise<{ fields: MapperField[]; emptyFieldsNotice?: string }> {
	return await e2e.rest.request('POST', '/rest/dynamic-node-parameters/resource-mapper-fields', {
		nodeTypeAndVersion: { name: 'n8n-nodes-kie-ai.kieCreateTask', version: 1 },
		path: 'parameters.modelInput',
		methodName: 'getModelInputFields',
		currentNodeParameters: { model, modelInput: { mappingMode: 'defineBelow', value: null }, completion: 'poll' },
		credentials: { kieApi: KIE_CREDENTIAL },
	});
}

describe(`a live model in ${PROFILE}: fields from KIE's schema through n8n's resource-mapper endpoint`, () => {
	it('loads typed fields (options of a string enum of numbers, a required prompt) and a workflow with them sends exactly those values', async () => {
		const { fields } = await loadFields(MODEL);
		const byId = Object.fromEntries(fields.map((field) => [field.id, field]));
		expect(byId.prompt).toMatchObject({ type: 'string', required: true });
		expect(byId.num_images).toMatchObject({ type: 'options', defaultValue: '1' });
		expect(byId.num_images.options!.map((option) => option.value)).toEqual(['1', '2', '4']);
		expect(e2e.sim.requestsFor('modelSchema').map((request) => request.path)).toEqual(['/api/v1/models/acme/pixel-forge-3/schema']);

		// Saved as the editor saves it: the values the user set, and the fields it loaded.
		const value = { prompt: 'A lighthouse at dusk', aspect_ratio: '9:16', num_images: '2', style: 'illustration', enhance_prompt: true, image_urls: 'https://example.com/ref.png' };
		const workflow = await e2e.rest.request<{ id: string }>('POST', '/rest/workflows', {
			name: 'KIE: a live model',
			active: false,
			nodes: [
				{ id: 'e2e10000-0000-4000-8000-000000000001', name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
				{
					id: 'e2e10000-0000-4000-8000-000000000002',
					name: 'KIE Create Task',
					type: 'n8n-nodes-kie-ai.kieCreateTask',
					typeVersion: 1,
					position: [220, 0],
					credentials: { kieApi: KIE_CREDENTIAL },
					parameters: {
						model: MODEL,
						modelInput: { mappingMode: 'defineBelow', value, matchingColumns: [], schema: fields, attemptToConvertTypes: false, convertFieldsToString: false },
						completion: 'poll',
						options: { pollInterval: 0.2 },
					},
				},
			],
			connections: { Start: { main: [[{ node: 'KIE Create Task', type: 'main', index: 0 }]] } },
			settings: { executionOrder: 'v1' },
		});
		const executionId = await e2e.runInServer(workflow.id, 'Start');
		const done = await e2e.waitForExecution(executionId, ['success', 'error', 'crashed'], 60_000);
		expect(done.status).toBe('success');
		expect(e2e.sim.requestsFor('createTask').map((request) => request.body)).toEqual([
			{
				model: 'acme/pixel-forge-3',
				input: { prompt: 'A lighthouse at dusk', aspect_ratio: '9:16', num_images: '2', enhance_prompt: true, image_urls: ['https://example.com/ref.png'], style: 'illustration' },
			},
		]);
		const [item] = done.data.resultData.runData['KIE Create Task'][0].data!.main[0];
		expect(item.json).toMatchObject({ model: 'acme/pixel-forge-3', state: 'success' });
	});

	it('for a model whose schema KIE has not synced, says why instead of fields', async () => {
		const answer = await loadFields({ ...MODEL, value: 'acme/hyper-video-9' });
		expect(answer.fields).toEqual([]);
		expect(answer.emptyFieldsNotice).toContain('KIE has not published a schema for this model yet');
	});
});
