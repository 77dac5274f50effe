import { AVAILABILITY } from '../../../nodes/shared/registry/availability';
import { getModel } from '../../../nodes/shared/registry';
import { modelListName } from '../../../nodes/shared/methods/listSearch';
import { describeKieAnswer } from '../../../nodes/shared/transport/errors';
import { startSimulator, type Simulator } from '../../../simulator';
import { FAST, model, runNode, SIM_ACCOUNT, warningsOf } from '../setup';

/**
 * Models KIE paused (the Sora 2 models since June 2026): still in the picker, marked; a hint before the
 * create; KIE's "temporarily paused" answer becomes an error that names the model and what to use instead.
 */
let sim: Simulator;
beforeAll(async () => {
	sim = await startSimulator({ apiKey: SIM_ACCOUNT, genMs: 50 });
});
afterAll(async () => await sim.close());
beforeEach(() => sim.reset());

const SORA = 'sora-2-text-to-video';

describe('models KIE paused', () => {
	it('every Sora 2 model is marked paused, and the picker says so in its name', () => {
		const sora = ['sora-2-text-to-video', 'sora-2-image-to-video', 'sora-2-pro-text-to-video', 'sora-2-pro-image-to-video', 'sora-2-pro-storyboard', 'sora-2-characters', 'sora-watermark-remover'];
		expect(Object.keys(AVAILABILITY).sort()).toEqual([...sora].sort());
		for (const id of sora) {
			expect(getModel(id)?.availability?.state).toBe('paused');
			expect(modelListName(getModel(id)!)).toMatch(/ \(paused by KIE\)$/);
		}
		expect(modelListName(getModel('gpt-image/1.5-text-to-image')!)).toBe('GPT Image 1.5 · Text to Image');
		// Alternatives named in the error are built-in models.
		for (const availability of Object.values(AVAILABILITY)) for (const id of availability.alternatives ?? []) expect(getModel(id)).toBeDefined();
	});

	it('KIE\'s "temporarily paused" answer: an error naming the model and the alternatives, nothing charged, a hint before', async () => {
		sim.setModelPaused(SORA, true);
		const before = sim.credits;
		const result = await runNode(sim, 'kieCreateTask', { model: model(SORA), prompt: 'a paper boat', options: FAST });
		expect(result.status).toBe('error');
		expect(result.error?.message).toBe(`Item 1: KIE has paused ${getModel(SORA)!.displayName} (${SORA}): "This interface is temporarily paused"`);
		expect(result.error?.description).toBe(
			`${AVAILABILITY[SORA].note} KIE did not accept the task, so nothing was charged. KIE names no successor; ${getModel('veo3.1')!.displayName} (veo3.1) or ${getModel('kling-2.6/text-to-video')!.displayName} (kling-2.6/text-to-video) make the same kind of result: pick one in "Model", or try again later.`,
		);
		expect(sim.credits).toBe(before);
		expect(sim.tasks.size).toBe(0);
		expect(sim.requestsFor('createTask')).toHaveLength(1); // refused once, not sent again
	});

	it('with Continue On Fail the refused item is an error row with its model; a hint said it before', async () => {
		sim.setModelPaused(SORA, true);
		const result = await runNode(sim, 'kieCreateTask', { model: model(SORA), prompt: 'a paper boat', options: FAST }, { continueOnFail: true });
		expect(result.status).toBe('success');
		expect(result.output('KIE')[0].json).toMatchObject({ model: SORA, error: expect.stringContaining('KIE has paused') });
		expect(warningsOf(result)).toEqual([expect.stringMatching(new RegExp(`^${getModel(SORA)!.displayName.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\(${SORA}\\) is paused by KIE \\(since 2026-06\\): KIE paused its Sora 2 models`))]);
	});

	it('a paused model KIE serves again works as before (the mark is a warning, not a refusal)', async () => {
		const result = await runNode(sim, 'kieCreateTask', { model: model(SORA), prompt: 'a paper boat', options: FAST });
		expect(result.status).toBe('success');
		expect(result.output('KIE')[0].json).toMatchObject({ state: 'success' });
	});

	it('a live model KIE paused: the same error with its id, and "pick another model" (no alternatives known), nothing charged', async () => {
		const LIVE = 'acme/pixel-forge-3';
		sim.setModelPaused(LIVE, true);
		const before = sim.credits;
		const result = await runNode(sim, 'kieCreateTask', {
			model: { __rl: true, mode: 'id', value: LIVE },
			options: { ...FAST, additionalInput: '{"prompt": "a paper boat"}' },
		});
		expect(result.status).toBe('error');
		expect(result.error?.message).toBe(`Item 1: KIE has paused ${LIVE}: "This interface is temporarily paused"`);
		expect(result.error?.description).toBe('KIE did not accept the task, so nothing was charged. Pick another model in "Model", or try again later.');
		expect(sim.credits).toBe(before);
		expect(sim.tasks.size).toBe(0);
	});

	it('any answer saying "paused" is described as a paused model, whatever its code', () => {
		for (const code of [500, 422, 400]) expect(describeKieAnswer(code, 'This interface is temporarily paused', 'create').title).toBe('KIE has paused this model');
		expect(describeKieAnswer(500, 'Server error').title).not.toBe('KIE has paused this model');
	});
});
