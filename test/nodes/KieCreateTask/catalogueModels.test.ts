import { getFamily } from '../../../nodes/shared/families';
import { getModel, MODELS } from '../../../nodes/shared/registry';
import { startSimulator, type Simulator } from '../../../simulator';
import { inputFrom, requiredValues, SAMPLE_URL } from '../../support/model-samples';
import { FAST, model, runNode, SIM_ACCOUNT } from '../setup';

let sim: Simulator;
beforeAll(async () => {
	sim = await startSimulator({ apiKey: SIM_ACCOUNT, genMs: 150 });
});
afterAll(async () => await sim.close());
beforeEach(() => sim.reset());

const MARKET = MODELS.filter((entry) => entry.api === 'market');

async function createTask(body: unknown): Promise<{ code: number; msg: string }> {
	const response = await fetch(`${sim.url}/api/v1/jobs/createTask`, {
		method: 'POST',
		headers: { authorization: `Bearer ${SIM_ACCOUNT}`, 'content-type': 'application/json' },
		body: JSON.stringify(body),
	});
	return (await response.json()) as { code: number; msg: string };
}

describe('catalogue models against the simulator over HTTP', () => {
	it('covers every Market model of the registry', () => {
		expect(MARKET.length).toBeGreaterThanOrEqual(120);
	});

	it.each(MARKET.map((entry) => [entry.id]))('%s: the default request is accepted, one without a required field is not', async (id) => {
		const definition = getModel(id)!;
		const { input, issues } = inputFrom(definition, requiredValues(definition));
		expect(issues).toEqual([]);
		const body = getFamily('market').buildCreateBody(definition, input);
		const answer = await createTask(body);
		expect({ id, ...answer }).toMatchObject({ id, code: 200 });

		// A rule the schema cannot say: without any of its fields the simulator refuses too.
		for (const group of definition.requireOneOf ?? []) {
			const partial = { ...input };
			for (const key of group) delete partial[key];
			const rejected = await createTask(getFamily('market').buildCreateBody(definition, partial));
			expect({ id, ...rejected }).toMatchObject({ id, code: 422, msg: expect.stringContaining(`${group.join(' or ')} is required`) });
		}

		const required = definition.fields.find((field) => field.required);
		if (required) {
			const partial = { ...input };
			delete partial[required.name];
			const rejected = await createTask(getFamily('market').buildCreateBody(definition, partial));
			expect(rejected.code).toBe(422);
			expect(rejected.msg).toContain(required.name);
		}
	});
});

describe('KIE Create Task: catalogue models end to end', () => {
	const creates = () => sim.requestsFor('createTask');

	it('a rule the schema cannot say is checked before anything is sent: MiniMax H3 image-to-video needs a frame, PixVerse V6 extend a video', async () => {
		for (const [id, parameters, message] of [
			['minimax-h3/image-to-video', { duration: 6 }, 'Item 1: "Input URLs" (parameter "inputUrls", sent as "first_frame_url") is required unless "Last Frame URL" (sent as "last_frame_url") is set'],
			['pixverse-v6/extend', { quality: '720p', duration: 5 }, 'Item 1: "Task ID" (parameter "taskId") is required unless "Video URL" (sent as "video_url") is set'],
		] as const) {
			const run = await runNode(sim, 'kieCreateTask', { model: model(id), prompt: 'a paper boat', ...parameters, options: FAST });
			expect(run.status).toBe('error');
			expect(run.error?.message).toContain(message);
		}
		expect(creates()).toHaveLength(0);
		const framed = await runNode(sim, 'kieCreateTask', { model: model('minimax-h3/image-to-video'), prompt: 'a paper boat', duration: 6, lastFrameUrl: SAMPLE_URL, options: FAST });
		expect(framed.status).toBe('success');
		expect(creates()[0].body).toEqual({ model: 'minimax-h3/image-to-video', input: { prompt: 'a paper boat', last_frame_url: SAMPLE_URL, duration: 6, resolution: '2K' } });
	});

	it('Kling 2.6 text-to-video sends its string enum duration and required sound flag', async () => {
		const definition = getModel('kling-2.6/text-to-video')!;
		const run = await runNode(sim, 'kieCreateTask', {
			...requiredValues(definition),
			model: model(definition.id),
			prompt: 'a paper boat on a river',
			duration: '10',
			options: FAST,
		} as never);
		expect(run.status).toBe('success');
		expect(creates()[0].body).toEqual({
			model: 'kling-2.6/text-to-video',
			input: { prompt: 'a paper boat on a river', sound: false, aspect_ratio: '1:1', duration: '10' },
		});
		expect(run.output('KIE')[0].json).toMatchObject({ model: 'kling-2.6/text-to-video', state: 'success' });
	});

	it('Ideogram V3 Edit sends one image URL from Input URLs and an added seed', async () => {
		const run = await runNode(sim, 'kieCreateTask', {
			model: model('ideogram/v3-edit'),
			prompt: 'replace the sky',
			inputUrls: 'https://example.com/photo.png',
			maskUrl: 'https://example.com/mask.png',
			additionalFields: { seed: 7 },
			options: FAST,
		});
		expect(run.status).toBe('success');
		expect(creates()[0].body).toEqual({
			model: 'ideogram/v3-edit',
			input: {
				prompt: 'replace the sky',
				image_url: 'https://example.com/photo.png',
				mask_url: 'https://example.com/mask.png',
				rendering_speed: 'BALANCED',
				expand_prompt: true,
				seed: 7,
			},
		});
	});

	it('ElevenLabs dialogue takes its JSON list', async () => {
		const dialogue = [
			{ text: 'Hello there.', voice: 'Adam' },
			{ text: 'Hi!', voice: 'Bella' },
		];
		const run = await runNode(sim, 'kieCreateTask', {
			model: model('elevenlabs/text-to-dialogue-v3'),
			dialogue: JSON.stringify(dialogue),
			options: FAST,
		});
		expect(run.status).toBe('success');
		expect(creates()[0].body).toEqual({ model: 'elevenlabs/text-to-dialogue-v3', input: { dialogue, stability: 0.5 } });
	});

	it('Wan 2.7 Image leaves its empty optional lists out', async () => {
		const definition = getModel('wan/2-7-image')!;
		const run = await runNode(sim, 'kieCreateTask', { ...requiredValues(definition), model: model(definition.id), options: FAST } as never);
		expect(run.status).toBe('success');
		const input = (creates()[0].body as { input: Record<string, unknown> }).input;
		expect(input.prompt).toBe('a red fox in the snow');
		expect(input).not.toHaveProperty('color_palette');
		expect(input).not.toHaveProperty('bbox_list');
		expect(input).not.toHaveProperty('input_urls');
	});

	it('refuses a value outside a string enum, and a list where one URL is expected, before any request', async () => {
		const bad = await runNode(sim, 'kieCreateTask', {
			model: model('kling-2.6/text-to-video'),
			prompt: 'p',
			duration: '7',
			options: FAST,
		});
		expect(bad.error?.message).toBe('Item 1: "Duration" (parameter "duration") must be one of 5, 10 (got "7")');
		const list = await runNode(sim, 'kieCreateTask', {
			model: model('qwen/image-edit'),
			prompt: 'p',
			inputUrls: `${SAMPLE_URL}, ${SAMPLE_URL}`,
			options: FAST,
		});
		expect(list.error?.message).toBe('Item 1: "Input URLs" (parameter "inputUrls", sent as "image_url") takes one URL (got 2)');
		expect(sim.requests).toHaveLength(0);
	});
});
