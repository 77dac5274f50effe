import type { INode, INodeParameters, INodeTypeDescription } from 'n8n-workflow';
import { NodeHelpers } from 'n8n-workflow';

import { KieCreateTask } from '../../../nodes/KieCreateTask/KieCreateTask.node';
import { getModel, MODELS } from '../../../nodes/shared/registry';
import { ANSWERED_AT_ONCE, toolDescriptionFor } from '../../../nodes/shared/registry/tool';
import { FAMILIES } from '../../../nodes/shared/families';
import { toolResult } from '../../../nodes/shared/output/items';
import { startSimulator, type Simulator } from '../../../simulator';
import { runWorkflow } from '../../support/harness';
import { credentialsFor, FAST, model, SIM_ACCOUNT } from '../setup';

/**
 * KIE Create Task as an AI agent's tool. n8n derives the tool from the node: the type name gets "Tool"
 * (which makes `@tool` display options true) and, as the AI Agent 3.x runs it, the node executes as an
 * ordinary node of the workflow. This subclass is that derived type.
 */
class KieCreateTaskTool extends KieCreateTask {
	constructor() {
		super();
		this.description = { ...this.description, name: 'kieCreateTaskTool', displayName: 'KIE Create Task Tool' };
	}
}

let sim: Simulator;
beforeAll(async () => {
	sim = await startSimulator({ apiKey: SIM_ACCOUNT, genMs: 150 });
});
afterAll(async () => await sim.close());
beforeEach(() => sim.reset());

const toolType = new KieCreateTaskTool().description;
const node = (parameters: INodeParameters): INode => ({
	id: 'tool',
	name: 'KIE',
	type: 'n8n-nodes-kie-ai.kieCreateTaskTool',
	typeVersion: 1,
	position: [0, 0],
	parameters,
});

/** The node's parameters as n8n holds them: defaults filled in for what is displayed. */
function parametersOf(description: INodeTypeDescription, values: INodeParameters): INodeParameters {
	return NodeHelpers.getNodeParameters(description.properties, values, true, false, node(values), description) ?? {};
}

/** What the editor does when the user picks another model (see NodeHelpers.getNodeParameters). */
function switchModel(description: INodeTypeDescription, current: INodeParameters, modelId: string): INodeParameters {
	const kept = NodeHelpers.getNodeParameters(description.properties, current, false, false, node(current), description) ?? {};
	return parametersOf(description, { ...kept, model: model(modelId) });
}

async function runAsTool(parameters: INodeParameters) {
	return await runWorkflow({
		nodeTypes: [KieCreateTaskTool],
		credentials: credentialsFor(sim),
		nodes: [{ name: 'KIE', type: 'kieCreateTaskTool', parameters }],
		input: [{ json: { toolCallId: 'call_1' } }],
	});
}

describe('KIE Create Task as an AI tool: what the agent is told', () => {
	it('describes the configured model: its inputs with their allowed values, the result and how long it takes', () => {
		const parameters = parametersOf(toolType, { model: model('gpt-image/1.5-text-to-image') });
		const text = parameters.toolDescription as string;
		expect(text).toBe(toolDescriptionFor(getModel('gpt-image/1.5-text-to-image')!));
		expect(text).toMatch(/^Creates images with GPT Image 1\.5 · Text to Image\. Inputs: prompt \(required\);/);
		expect(text).toContain('aspect ratio: 1:1|2:3|3:2 (default 1:1)');
		expect(text).toContain('quality: medium|high');
		expect(text).toContain('Waits 10 s to 2 min; returns JSON {taskId, state: success|failed, resultUrls, error, creditsConsumed}.');
		const video = parametersOf(toolType, { model: model('kling-2.6/text-to-video') }).toolDescription as string;
		expect(video).toContain('Waits 1 to 10 min;');
		expect(video).toContain('duration: 5|10');
	});

	it('names what a model returns besides URLs, and says when a call is answered at once', () => {
		const stems = parametersOf(toolType, { model: model('suno/separate-vocals') }).toolDescription as string;
		expect(stems).toContain('Waits 30 s to 5 min; returns JSON {taskId, state: success|failed, resultUrls, stems, stemIds, error, creditsConsumed}.');
		const persona = parametersOf(toolType, { model: model('suno/persona') }).toolDescription as string;
		expect(persona).toContain('Answers at once; returns JSON {taskId, state: success|failed, resultUrls, personaId, error, creditsConsumed}.');
		// What a description names comes back: every model's own result fields pass into the tool's answer.
		for (const entry of MODELS) {
			for (const name of entry.outputFields ?? []) expect(toolResult({ json: { taskId: 't', [name]: { x: 1 } } }).json).toHaveProperty(name);
		}
		// The registry's list of APIs answered at once is the families' (the registry cannot read them).
		for (const family of Object.values(FAMILIES)) expect(ANSWERED_AT_ONCE.has(family.name)).toBe(family.synchronous === true);
	});

	it('follows a model switch, but keeps a description the user wrote', () => {
		const first = parametersOf(toolType, { model: model('gpt-image/1.5-text-to-image') });
		const switched = switchModel(toolType, first, 'nano-banana-pro');
		expect(switched.toolDescription).toBe(toolDescriptionFor(getModel('nano-banana-pro')!));
		const edited = switchModel(toolType, { ...first, toolDescription: 'Draw what the user asks for.' }, 'nano-banana-pro');
		expect(edited.toolDescription).toBe('Draw what the user asks for.');
	});

	it('has a description for a model given by id, and none outside the tool', () => {
		const byId = parametersOf(toolType, { model: { __rl: true, mode: 'id', value: 'acme/new-model' } });
		expect(byId.toolDescription).toMatch(/^Creates images, videos or audio with a KIE\.AI model/);
		const regular = new KieCreateTask().description;
		const parameters = parametersOf(regular, { model: model('gpt-image/1.5-text-to-image') });
		expect(parameters).not.toHaveProperty('toolDescription');
		expect(parameters.completion).toBe('poll');
		// The tool has no Completion: it always waits for the result.
		expect(parametersOf(toolType, { model: model('gpt-image/1.5-text-to-image') })).not.toHaveProperty('completion');
	});
});

describe('KIE Create Task as an AI tool: what the agent gets back', () => {
	it('waits for the result and returns a compact JSON, without the raw record or any URL of n8n', async () => {
		const run = await runAsTool({
			model: model('gpt-image/1.5-text-to-image'),
			prompt: 'a red fox',
			// Saved by an older version of the node; a tool always polls.
			completion: 'callback',
			options: { ...FAST, includeRaw: true },
		});
		expect(run.status).toBe('success');
		const [item] = run.output('KIE');
		const taskId = sim.requestsFor('createTask')[0].taskId;
		expect(item.json).toEqual({ taskId, model: 'gpt-image/1.5-text-to-image', state: 'success', resultUrls: sim.tasks.get(taskId!)!.resultUrls, creditsConsumed: 4 });
		expect(sim.requestsFor('createTask')[0].body).not.toHaveProperty('callBackUrl');
		expect(run.waitTill).toBeUndefined();
	});

	it('hands a refused value back to the agent as a result, with the allowed values, and pays for nothing', async () => {
		const run = await runAsTool({ model: model('gpt-image/1.5-text-to-image'), prompt: 'a red fox', aspectRatio: '16:9', options: FAST });
		expect(run.status).toBe('success');
		expect(run.output('KIE')[0].json).toEqual({
			error: 'Item 1: "Aspect Ratio" (parameter "aspectRatio", sent as "aspect_ratio") must be one of 1:1, 2:3, 3:2 (got "16:9")',
			errorDescription: 'Model gpt-image/1.5-text-to-image. Nothing was sent to KIE.',
		});
		expect(sim.requests).toHaveLength(0);
	});

	it('returns a failed task with its id and the reason', async () => {
		sim.failNextTask({ failCode: '422', failMsg: 'prompt contains prohibited content' });
		const run = await runAsTool({ model: model('gpt-image/1.5-text-to-image'), prompt: 'x', options: FAST });
		const [item] = run.output('KIE');
		expect(item.json).toMatchObject({ taskId: expect.any(String), state: 'failed', error: expect.stringContaining('prompt contains prohibited content') });
		expect(Object.keys(item.json).sort()).toEqual(['creditsConsumed', 'error', 'errorDescription', 'model', 'resultUrls', 'state', 'taskId']);
	});
});

describe('KIE Create Task as an AI tool: what it costs', () => {
	it('every description says a call is paid and that it returns creditsConsumed', () => {
		for (const id of [...MODELS.map((entry) => entry.id), 'acme/new-model']) {
			const text = parametersOf(toolType, { model: model(id) }).toolDescription as string;
			expect(text).toContain('creditsConsumed}.');
			expect(text).toMatch(/Each call is paid: do not repeat one that succeeded\.$/);
		}
	});

	it('keeps a long list of allowed values short: at most 120 characters of them, then "…"', () => {
		const text = parametersOf(toolType, { model: model('elevenlabs/text-to-speech-multilingual-v2') }).toolDescription as string;
		const voices = /voice: ([^ ;]*)/.exec(text)![1];
		expect(voices.endsWith('|…')).toBe(true);
		expect(voices.length).toBeLessThanOrEqual(122);
		expect(voices.split('|').length).toBeGreaterThan(3);
	});

	it('Max Credits per Run is the agent run\'s: the second call of one execution is refused once the first spent the budget', async () => {
		// Two calls of the tool in one execution, as an agent makes them (the node runs twice).
		const run = await runWorkflow({
			nodeTypes: [KieCreateTaskTool],
			credentials: credentialsFor(sim),
			nodes: [{ name: 'KIE', type: 'kieCreateTaskTool', parameters: { model: model('gpt-image/1.5-text-to-image'), prompt: 'a fox', options: { ...FAST, maxCreditsPerRun: 6 } } }],
			connections: [
				['Start', 'KIE'],
				['Start', 'KIE'],
			],
			input: [{ json: { toolCallId: 'call_1' } }],
		});
		expect(run.status).toBe('success');
		expect(run.runData.KIE).toHaveLength(2);
		expect(run.output('KIE', 0, 0)[0].json).toMatchObject({ state: 'success', creditsConsumed: 4 });
		expect(run.output('KIE', 0, 1)[0].json).toEqual({
			model: 'gpt-image/1.5-text-to-image',
			state: 'notSubmitted',
			reason: expect.stringMatching(/^Max Credits per Run \(6\) reached: 4 credits spent or committed in this run, and this task would cost about 4/),
		});
		expect(sim.requestsFor('createTask')).toHaveLength(1);
	});
});

