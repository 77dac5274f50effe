import { FOUR_O_IMAGE } from '../../../nodes/shared/families/fourOImage';
import { MARKET } from '../../../nodes/shared/families/market';
import { extractResultUrls, taskResult, toIsoTime } from '../../../nodes/shared/families/result';
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
			costTime: 15000,
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
