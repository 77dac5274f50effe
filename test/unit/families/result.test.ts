import { FOUR_O_IMAGE } from '../../../nodes/shared/families/fourOImage';
import { MARKET } from '../../../nodes/shared/families/market';
import { costTimeSeconds, extractResultUrls, splitCover, taskResult, toIsoTime } from '../../../nodes/shared/families/result';
import { ALEPH, RUNWAY } from '../../../nodes/shared/families/runway';
import { LUMA } from '../../../nodes/shared/families/luma';
import { VEO } from '../../../nodes/shared/families/veo';
import { SUNO } from '../../../nodes/shared/families/suno';
import { taskJson } from '../../../nodes/shared/output/items';

describe('normalizer: Market records', () => {
	const success = {
		taskId: 'task_12345678',
		model: 'grok-imagine/text-to-image',
		state: 'success',
		param: '{"model":"grok-imagine/text-to-image","callBackUrl":"https://your-domain.com/api/callback","input":{"prompt":"...","aspect_ratio":"3:2"}}',
		resultJson: '{"resultUrls":["https://example.com/generated-content.jpg"]}',
		failCode: '',
		failMsg: '',
		costTime: 15000,
		completeTime: 1698765432000,
		createTime: 1698765400000,
		updateTime: 1698765432000,
	};

	it('normalizes the documented success record', () => {
		const result = MARKET.normalize(success, { taskId: 'x' });
		expect(result).toMatchObject({
			taskId: 'task_12345678',
			model: 'grok-imagine/text-to-image',
			state: 'success',
			resultUrls: ['https://example.com/generated-content.jpg'],
			failCode: null,
			failMsg: null,
			// The docs' 15000 (ms) for a task of 32 s: in seconds, as real KIE sends it.
			costTime: 15,
			createTime: '2023-10-31T15:16:40.000Z',
			completeTime: '2023-10-31T15:17:12.000Z',
		});
		expect(result.raw.param).toEqual({
			model: 'grok-imagine/text-to-image',
			callBackUrl: 'https://your-domain.com/api/callback',
			input: { prompt: '...', aspect_ratio: '3:2' },
		});
		expect(result.raw.resultJson).toEqual({ resultUrls: ['https://example.com/generated-content.jpg'] });
	});

	it('normalizes the documented failure record', () => {
		const result = MARKET.normalize(
			{ ...success, state: 'fail', resultJson: '', failCode: '422', failMsg: 'Invalid prompt: prompt contains prohibited content' },
			{ taskId: 'x' },
		);
		expect(result).toMatchObject({ state: 'failed', failCode: '422', resultUrls: [] });
		expect(result.failMsg).toContain('prohibited');
	});

	it.each(['waiting', 'queuing', 'generating'])('treats state %s as pending', (state) => {
		expect(MARKET.normalize({ ...success, state, resultJson: '' }, { taskId: 'x' }).state).toBe('pending');
	});

	it('prefers the parsed `response` object and reads creditsConsumed (live shape)', () => {
		const result = MARKET.normalize(
			{ taskId: 't', state: 'success', resultJson: '', response: { resultUrls: ['https://a/1.png', 'https://a/2.png'] }, creditsConsumed: 3 },
			{ taskId: 't' },
		);
		expect(result.resultUrls).toEqual(['https://a/1.png', 'https://a/2.png']);
		expect(result.creditsConsumed).toBe(3);
	});

	it('reads consumeCredits from callbacks and a nested `input` string in param', () => {
		const result = MARKET.normalize(
			{ taskId: 't', state: 'success', consumeCredits: 100, param: '{"model":"m","input":"{\\"prompt\\":\\"p\\"}"}', resultJson: '{"resultUrls":[]}' },
			{ taskId: 't' },
		);
		expect(result.creditsConsumed).toBe(100);
		expect(result.raw.param).toEqual({ model: 'm', input: { prompt: 'p' } });
	});

	it.each([
		[0, 'pending'],
		[1, 'success'],
		[2, 'failed'],
		[3, 'failed'],
	])('falls back to successFlag %i → %s when state is missing', (flag, state) => {
		expect(MARKET.normalize({ taskId: 't', successFlag: flag }, { taskId: 't' }).state).toBe(state);
	});

	it('recovers result URLs from a malformed resultJson instead of dropping paid work', () => {
		const result = MARKET.normalize(
			{ taskId: 't', state: 'success', resultJson: '{"resultUrls":["https://cdn.example/x.png"' },
			{ taskId: 't' },
		);
		expect(result.resultUrls).toEqual(['https://cdn.example/x.png']);
		expect(result.raw.resultJson).toBe('{"resultUrls":["https://cdn.example/x.png"');
	});

	it('reads the real record: null failCode/failMsg, no updateTime, operationType, paramJson, costTime in seconds', () => {
		const real = {
			taskId: '32b1348d0d6bf09b002a88315528e574',
			model: 'nano-banana-2',
			state: 'success',
			param: '{"input":"{\\"prompt\\":\\"p\\"}","model":"nano-banana-2"}',
			paramJson: '{"input":"{\\"prompt\\":\\"p\\"}","model":"nano-banana-2"}',
			operationType: 'nano-banana-2',
			resultJson: '{"resultUrls":["https://tempfile.aiquickdraw.com/na2/x.jpeg"]}',
			failCode: null,
			failMsg: null,
			costTime: 274,
			completeTime: 1774509366025,
			createTime: 1774509092129,
			creditsConsumed: 4,
		};
		const result = MARKET.normalize(real, { taskId: 'x' });
		expect(result).toMatchObject({ state: 'success', failCode: null, failMsg: null, costTime: 274, creditsConsumed: 4, resultUrls: ['https://tempfile.aiquickdraw.com/na2/x.jpeg'] });
		expect(result.raw.paramJson).toEqual({ input: { prompt: 'p' }, model: 'nano-banana-2' });
		expect(result.raw.operationType).toBe('nano-banana-2');
	});

	it('reads costTime as seconds, and as milliseconds only when it cannot be seconds', () => {
		expect(costTimeSeconds({ costTime: 274, createTime: 1774509092129, completeTime: 1774509366025 })).toBe(274);
		expect(costTimeSeconds({ costTime: 15000, createTime: 1698765400000, completeTime: 1698765432000 })).toBe(15);
		expect(costTimeSeconds({ costTime: 5, createTime: 1789644035000, completeTime: 1789644040779 })).toBe(5);
		expect(costTimeSeconds({ costTime: 8 })).toBe(8);
		expect(costTimeSeconds({ costTime: null })).toBeNull();
	});

	it('uses the fallback task id and model when the record lacks them', () => {
		const result = MARKET.normalize({ state: 'generating' }, { taskId: 'fallback', model: 'gpt-image/1.5-text-to-image' });
		expect(result).toMatchObject({ taskId: 'fallback', model: 'gpt-image/1.5-text-to-image', state: 'pending' });
	});
});

describe('normalizer: 4o Image records', () => {
	const base = {
		taskId: 'task_4o_abc123',
		paramJson: '{"prompt":"A serene mountain landscape","size":"1:1"}',
		createTime: '2024-01-15 10:30:00',
	};

	it('reads the quickstart success shape (result_urls, string times)', () => {
		const result = FOUR_O_IMAGE.normalize(
			{ ...base, completeTime: '2024-01-15 10:35:00', response: { result_urls: ['https://example.com/generated-image.png'] }, successFlag: 1, errorCode: null, errorMessage: null, progress: '1.00' },
			{ taskId: 'x' },
		);
		expect(result).toMatchObject({
			taskId: 'task_4o_abc123',
			model: '4o-image',
			state: 'success',
			resultUrls: ['https://example.com/generated-image.png'],
			createTime: '2024-01-15T10:30:00.000Z',
			completeTime: '2024-01-15T10:35:00.000Z',
			failCode: null,
		});
		expect(result.raw.paramJson).toEqual({ prompt: 'A serene mountain landscape', size: '1:1' });
	});

	it('reads the schema success shape (resultUrls, epoch ms)', () => {
		const result = FOUR_O_IMAGE.normalize(
			{ ...base, createTime: 1705314600000, response: { resultUrls: ['https://e/1.png', 'https://e/2.png'] }, successFlag: 1 },
			{ taskId: 'x' },
		);
		expect(result.resultUrls).toHaveLength(2);
		expect(result.createTime).toBe('2024-01-15T10:30:00.000Z');
	});

	it('reads generating and failed records', () => {
		expect(FOUR_O_IMAGE.normalize({ ...base, response: null, successFlag: 0, progress: '0.50' }, { taskId: 'x' }).state).toBe('pending');
		const failed = FOUR_O_IMAGE.normalize(
			{ ...base, response: { result_urls: [] }, successFlag: 2, errorCode: 400, errorMessage: 'Generation failed, please try again or contact support' },
			{ taskId: 'x' },
		);
		expect(failed).toMatchObject({ state: 'failed', failCode: '400', failMsg: 'Generation failed, please try again or contact support' });
	});

	it('reads the status strings', () => {
		expect(FOUR_O_IMAGE.normalize({ status: 'GENERATE_FAILED' }, { taskId: 'x' }).state).toBe('failed');
		expect(FOUR_O_IMAGE.normalize({ status: 'CREATE_TASK_FAILED' }, { taskId: 'x' }).state).toBe('failed');
		expect(FOUR_O_IMAGE.normalize({ status: 'SUCCESS' }, { taskId: 'x' }).state).toBe('success');
		expect(FOUR_O_IMAGE.normalize({ status: 'GENERATING' }, { taskId: 'x' }).state).toBe('pending');
	});
});

describe('normalizer: own-API records as real KIE sends them', () => {
	it('Runway and Aleph: the cover image is coverUrl, not a result', () => {
		const runway = RUNWAY.normalize(
			{ taskId: 'rw', state: 'success', generateTime: '2023-08-15 14:30:45', videoInfo: { videoUrl: 'https://file.com/k/v.mp4', imageUrl: 'https://file.com/m/c.png' }, failCode: null },
			{ taskId: 'rw' },
		);
		expect(runway).toMatchObject({ resultUrls: ['https://file.com/k/v.mp4'], coverUrl: 'https://file.com/m/c.png' });
		const aleph = ALEPH.normalize({ taskId: 'al', successFlag: 1, response: { resultVideoUrl: 'https://file.com/k/v.mp4', resultImageUrl: 'https://file.com/m/c.png' } }, { taskId: 'al' });
		expect(aleph).toMatchObject({ resultUrls: ['https://file.com/k/v.mp4'], coverUrl: 'https://file.com/m/c.png' });
		expect(ALEPH.normalize({ taskId: 'al', successFlag: 0, response: null }, { taskId: 'al' })).not.toHaveProperty('coverUrl');
	});

	it('Veo: response.taskId, fullResultUrls null, hasAudioList and seeds stay in raw', () => {
		const result = VEO.normalize(
			{ taskId: 'v', response: { taskId: 'v', originUrls: null, resultUrls: ['https://e.com/v.mp4'], fullResultUrls: null, hasAudioList: [true], seeds: [1] }, successFlag: 1, completeTime: 1776728275000, createTime: 1776728214000, errorCode: null, errorMessage: null },
			{ taskId: 'v' },
		);
		expect(result).toMatchObject({ state: 'success', resultUrls: ['https://e.com/v.mp4'], completeTime: '2026-04-20T23:37:55.000Z' });
	});

	it('Luma: response.resultUrls is the result, originUrls (the input video) is not', () => {
		const result = LUMA.normalize({ taskId: 'l', successFlag: 1, response: { originUrls: ['https://e.com/in.mp4'], resultUrls: ['https://e.com/out.mp4'] } }, { taskId: 'l' });
		expect(result.resultUrls).toEqual(['https://e.com/out.mp4']);
	});

	it('Suno: audioUrl per track (not sourceAudioUrl), epoch-ms createTime', () => {
		const result = SUNO.normalize(
			{
				taskId: 's',
				parentMusicId: '',
				param: '',
				response: { sunoData: [{ audioUrl: 'https://e.com/a.mp3', sourceAudioUrl: 'https://cdn1.suno.ai/a.mp3', sourceStreamAudioUrl: 'https://cdn1.suno.ai/a.mp3', sourceImageUrl: 'https://cdn2.suno.ai/a.jpeg', modelName: 'chirp-fenix', createTime: 1776499082098 }] },
				status: 'SUCCESS',
				type: 'chirp-fenix',
				operationType: 'generate',
				createTime: 1776499031000,
			},
			{ taskId: 's' },
		);
		expect(result).toMatchObject({ model: 'chirp-fenix', state: 'success', resultUrls: ['https://e.com/a.mp3'], createTime: '2026-04-18T07:57:11.000Z' });
	});

	it('splitCover: an image after the first URL is the cover', () => {
		expect(splitCover(['https://e.com/v.mp4', 'https://e.com/c.png?x=1'])).toEqual({ resultUrls: ['https://e.com/v.mp4'], coverUrl: 'https://e.com/c.png?x=1' });
		expect(splitCover(['https://e.com/a.png', 'https://e.com/b.mp4'])).toEqual({ resultUrls: ['https://e.com/a.png', 'https://e.com/b.mp4'] });
	});
});

describe('normalizer: helpers', () => {
	it('converts times', () => {
		expect(toIsoTime(1698765432000)).toBe('2023-10-31T15:17:12.000Z');
		expect(toIsoTime(1698765432)).toBe('2023-10-31T15:17:12.000Z');
		expect(toIsoTime('2024-01-15 10:30:00')).toBe('2024-01-15T10:30:00.000Z');
		expect(toIsoTime(null)).toBeNull();
		expect(toIsoTime('')).toBeNull();
		expect(toIsoTime('not a date')).toBeNull();
	});

	it('extracts URLs from every documented key without duplicates', () => {
		expect(
			extractResultUrls({ resultUrls: ['https://a/1'] }, '{"result_urls":["https://a/1","https://a/2"]}', { images: [{ url: 'https://a/3' }] }),
		).toEqual(['https://a/1', 'https://a/2', 'https://a/3']);
	});
});

describe('taskJson: the output item of a task', () => {
	const failed = taskResult({ taskId: 't1', model: 'm', state: 'failed', failCode: '422', failMsg: 'bad prompt', raw: { state: 'fail' } });

	it('leads with taskId, model, state and resultUrls; a failure carries failCode and failMsg', () => {
		const json = taskJson({ ...failed, creditsConsumed: 2 });
		expect(json).toEqual({ taskId: 't1', model: 'm', state: 'failed', resultUrls: [], failCode: '422', failMsg: 'bad prompt', creditsConsumed: 2 });
		expect(Object.keys(json)).toEqual(['taskId', 'model', 'state', 'resultUrls', 'failCode', 'failMsg', 'creditsConsumed']);
	});

	it('leaves out what KIE did not report and the failure fields of a success; raw only when asked, last', () => {
		const success = taskResult({ taskId: 't2', model: 'm', state: 'success', resultUrls: ['https://e.com/a.png'], lyrics: [], raw: { a: 1 } });
		expect(taskJson(success)).toEqual({ taskId: 't2', model: 'm', state: 'success', resultUrls: ['https://e.com/a.png'], lyrics: [] });
		const withRaw = taskJson(success, { includeRaw: true, extra: { family: 'market' } });
		expect(Object.keys(withRaw)).toEqual(['taskId', 'model', 'state', 'resultUrls', 'lyrics', 'family', 'raw']);
		expect(withRaw.raw).toEqual({ a: 1 });
	});
});
