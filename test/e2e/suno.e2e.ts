import { PROFILE, startE2E, type E2E, type ExecuteOutput } from './env';

/**
 * One Suno chain in a real n8n (`n8n execute`): generate music, then Convert to WAV and Separate Vocals
 * (split_stem) of its first track, with Download Results. The toolbox nodes take the task and track ids
 * from the generate node's output by default (nothing is mapped here); the WAV comes out as one binary
 * file, the stems as one binary file per stem, named by its stem.
 */
const KIE_CREDENTIAL = { id: 'kieE2ECredential', name: 'KIE API (simulator)' };
const model = (value: string) => ({ __rl: true, mode: 'list', value });
const OPTIONS = { pollInterval: 1, downloadResults: true };

const node = (index: number, name: string, type: string, parameters: Record<string, unknown>, kie = true) => ({
	id: `e2e00000-0000-4000-8000-0000000005${String(index).padStart(2, '0')}`,
	name,
	type,
	typeVersion: 1,
	position: [index * 220, index === 3 ? 200 : 0],
	parameters,
	...(kie ? { credentials: { kieApi: KIE_CREDENTIAL } } : {}),
});

const SUNO_CHAIN = {
	file: 'e2e-suno-chain.json',
	workflow: {
		id: 'kieE2ESunoChain',
		name: 'KIE: Suno generate, then WAV and stems of the first track',
		active: false,
		nodes: [
			node(0, 'Start', 'n8n-nodes-base.manualTrigger', {}, false),
			node(1, 'Generate', 'n8n-nodes-kie-ai.kieCreateTask', { model: model('suno/generate'), prompt: 'A calm piano piece about rain', completion: 'poll', options: { pollInterval: 1 } }),
			node(2, 'WAV', 'n8n-nodes-kie-ai.kieCreateTask', { model: model('suno/convert-to-wav'), completion: 'poll', options: OPTIONS }),
			node(3, 'Stems', 'n8n-nodes-kie-ai.kieCreateTask', { model: model('suno/separate-vocals'), separationType: 'split_stem', completion: 'poll', options: OPTIONS }),
		],
		connections: {
			Start: { main: [[{ node: 'Generate', type: 'main', index: 0 }]] },
			Generate: {
				main: [
					[
						{ node: 'WAV', type: 'main', index: 0 },
						{ node: 'Stems', type: 'main', index: 0 },
					],
				],
			},
		},
		settings: { executionOrder: 'v1' },
	},
};

const STEMS = ['vocals', 'backing_vocals', 'drums', 'bass', 'guitar', 'keyboard', 'percussion', 'strings', 'synth', 'fx', 'brass', 'woodwinds'];

let e2e: E2E;
beforeAll(async () => {
	e2e = await startE2E({ withExamples: false, extraWorkflows: [SUNO_CHAIN] });
});
afterAll(async () => {
	await e2e?.stop();
});

const nodeOutput = (output: ExecuteOutput, name: string) => output.data.resultData.runData[name]?.[0]?.data?.main[0] ?? [];

describe(`Suno toolbox on ${PROFILE}`, () => {
	it('generate → WAV and split stems of the first track: the WAV file and one binary file per stem', async () => {
		e2e.sim.reset();
		const output = await e2e.execute(e2e.workflowId(SUNO_CHAIN.file));
		expect(output.data.resultData.error?.message).toBeUndefined();

		const [generated] = nodeOutput(output, 'Generate');
		const firstTrack = (generated.json.tracks as Array<{ id: string }>)[0].id;
		const wavCreate = e2e.sim.requests.find((request) => request.path === '/api/v1/wav/generate');
		const stemsCreate = e2e.sim.requests.find((request) => request.path === '/api/v1/vocal-removal/generate');
		expect(wavCreate?.body).toMatchObject({ taskId: generated.json.taskId, audioId: firstTrack });
		expect(stemsCreate?.body).toMatchObject({ taskId: generated.json.taskId, audioId: firstTrack, type: 'split_stem' });

		const [wav] = nodeOutput(output, 'WAV');
		expect(wav.json).toMatchObject({ model: 'suno/convert-to-wav', state: 'success' });
		const wavFile = wav.binary!.data;
		expect(wavFile).toMatchObject({ mimeType: 'audio/wav', fileName: expect.stringMatching(/\.wav$/) });
		const bytes = Buffer.from(wavFile.data, 'base64');
		expect([bytes.subarray(0, 4).toString('ascii'), bytes.subarray(8, 12).toString('ascii')]).toEqual(['RIFF', 'WAVE']);

		const [stems] = nodeOutput(output, 'Stems');
		expect(stems.json).toMatchObject({ model: 'suno/separate-vocals', state: 'success' });
		expect(Object.keys(stems.json.stems as object)).toEqual(STEMS);
		const files = Object.values(stems.binary!);
		expect(files.map((file) => file.fileName)).toEqual(STEMS.map((stem) => `${stem}.mp3`));
		for (const file of files) {
			expect(file.mimeType).toBe('audio/mpeg');
			expect(Buffer.from(file.data, 'base64').subarray(0, 3).toString('ascii')).toBe('ID3');
		}
	}, 180_000);
});
