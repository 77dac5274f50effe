import { callbackTaskId, callbackTaskIds, detectCallbackFamily, normalizeCallback } from '../../../nodes/shared/families';

// Payloads as the KIE docs show them (reference/kie-api.md §4).
const MARKET_SUCCESS = {
	code: 200,
	msg: 'Playground task completed successfully.',
	data: {
		taskId: 'e989621f54392584b05867f87b160672',
		model: 'nano-banana-pro',
		state: 'success',
		param: '{"callBackUrl":"https://your-domain.com/api/callback","model":"nano-banana-pro","input":{"prompt":"p"}}',
		resultJson: '{"resultUrls":["https://example.com/generated-image.jpg"]}',
		consumeCredits: 100,
		remainedCredits: 2510330,
		costTime: 8,
		createTime: 1755599634000,
		completeTime: 1755599644000,
		updateTime: 1755599644000,
	},
};
const MARKET_FAILURE = {
	code: 501,
	msg: 'Playground task failed.',
	data: {
		taskId: 'bd3a37c523149e4adf45a3ddb5faf1a8',
		model: 'nano-banana-pro',
		state: 'fail',
		failCode: '500',
		failMsg: 'Internal server error',
		param: '{}',
		consumeCredits: 0,
		remainedCredits: 2510430,
		costTime: 0,
		createTime: 1755596341000,
		completeTime: 1755597081000,
		updateTime: 1755597097000,
	},
};
const FOUR_O_SUCCESS = { code: 200, msg: 'Gpt4o-image generated successfully.', data: { taskId: 'task12345', info: { result_urls: ['https://example.com/result/image1.png'] } } };
const FOUR_O_FAILURE = { code: 400, msg: 'Your content was flagged by OpenAI', data: { taskId: 'task12345', info: null } };
const VEO_SUCCESS = {
	code: 200,
	msg: 'Veo3.1 video generated successfully.',
	data: { taskId: 'veo_task_1', promptJson: '{"prompt":"a dog"}', info: { resultUrls: ['https://example.com/v.mp4'], originUrls: ['https://example.com/o.mp4'], resolution: '1080p' }, fallbackFlag: false },
};
const VEO_4K = { code: 200, msg: '4K Video generated successfully.', data: { taskId: 'veo_4k', info: { resultUrls: ['https://example.com/4k.mp4'], imageUrls: ['https://example.com/4k.jpg'] } } };
const RUNWAY_SUCCESS = {
	code: 200,
	msg: 'All generated successfully.',
	data: { task_id: 'ee603959-debb-48d1-98c4-a6d1c717eba6', video_id: '485da89c', video_url: 'https://file.com/k/xxxxxxx.mp4', image_url: 'https://file.com/m/xxxxxxxx.png' },
};
const RUNWAY_FAILURE = { code: 400, msg: 'Inappropriate content', data: { task_id: 'rw_2', video_id: '', video_url: '', image_url: '' } };
const suno = (callbackType: string, code = 200) => ({
	code,
	msg: 'All generated successfully.',
	data: {
		callbackType,
		task_id: '2fac9f72',
		data: callbackType === 'text' || callbackType === 'error' ? [] : [
			{ id: 'e231', audio_url: 'https://example.cn/1.mp3', stream_audio_url: 'https://example.cn/s1', image_url: 'https://example.cn/1.jpeg', model_name: 'chirp-v3-5', title: 'Iron Man', duration: 198.44 },
			...(callbackType === 'complete' ? [{ id: 'e232', audio_url: 'https://example.cn/2.mp3', model_name: 'chirp-v3-5', title: 'Iron Man 2' }] : []),
		],
	},
});

describe('callback normalizer', () => {
	it('reads the task id from data.task_id, then data.taskId, then taskId', () => {
		expect(callbackTaskId({ taskId: 'top', data: { task_id: 'snake', taskId: 'camel' } })).toBe('snake');
		expect(callbackTaskId({ taskId: 'top', data: { taskId: 'camel' } })).toBe('camel');
		expect(callbackTaskId({ taskId: 'top', data: {} })).toBe('top');
		expect(callbackTaskId({})).toBeUndefined();
		// Every id named, without repeats: more than one means the fields disagree.
		expect(callbackTaskIds({ taskId: 'a', data: { task_id: 'a', taskId: 'a' } })).toEqual(['a']);
		expect(callbackTaskIds({ taskId: 'top', data: { taskId: 'camel' } })).toEqual(['camel', 'top']);
		expect(callbackTaskIds({ data: { task_id: '', taskId: null } })).toEqual([]);
	});

	it('Market success and failure', () => {
		const ok = normalizeCallback(MARKET_SUCCESS);
		expect(ok.family).toBe('market');
		expect(ok.result).toMatchObject({
			taskId: 'e989621f54392584b05867f87b160672',
			model: 'nano-banana-pro',
			state: 'success',
			resultUrls: ['https://example.com/generated-image.jpg'],
			creditsConsumed: 100,
			costTime: 8,
			completeTime: '2025-08-19T10:34:04.000Z',
		});
		const failed = normalizeCallback(MARKET_FAILURE);
		expect(failed.result).toMatchObject({ state: 'failed', failCode: '500', failMsg: 'Internal server error', resultUrls: [] });
		expect(failed.code).toBe(501);
	});

	it('4o Image success (data.info.result_urls) and failure (info null)', () => {
		expect(normalizeCallback(FOUR_O_SUCCESS)).toMatchObject({
			family: '4o',
			result: { taskId: 'task12345', model: '4o-image', state: 'success', resultUrls: ['https://example.com/result/image1.png'] },
		});
		expect(normalizeCallback(FOUR_O_FAILURE)).toMatchObject({
			family: '4o',
			result: { state: 'failed', failCode: '400', failMsg: 'Your content was flagged by OpenAI', resultUrls: [] },
		});
	});

	it('Veo generation and 4K (data.info.resultUrls)', () => {
		expect(normalizeCallback(VEO_SUCCESS)).toMatchObject({ family: 'veo', result: { taskId: 'veo_task_1', state: 'success', resultUrls: ['https://example.com/v.mp4'] } });
		expect(normalizeCallback(VEO_4K)).toMatchObject({ family: 'veo', result: { resultUrls: ['https://example.com/4k.mp4'] } });
		expect(normalizeCallback({ code: 422, msg: 'Your request was rejected by Flow', data: { taskId: 'v', promptJson: '{}', info: null } }).result).toMatchObject({
			state: 'failed',
			failCode: '422',
		});
	});

	it('Runway (snake_case): the video is the result, image_url the cover (not a result)', () => {
		expect(normalizeCallback(RUNWAY_SUCCESS)).toMatchObject({
			family: 'runway',
			result: {
				taskId: 'ee603959-debb-48d1-98c4-a6d1c717eba6',
				state: 'success',
				resultUrls: ['https://file.com/k/xxxxxxx.mp4'],
				coverUrl: 'https://file.com/m/xxxxxxxx.png',
			},
		});
		expect(normalizeCallback(RUNWAY_FAILURE).result).not.toHaveProperty('coverUrl');
		expect(normalizeCallback(RUNWAY_FAILURE).result).toMatchObject({ state: 'failed', failCode: '400', failMsg: 'Inappropriate content' });
	});

	it('Suno stages: text and first are pending, complete succeeds, error fails', () => {
		expect(normalizeCallback(suno('text'))).toMatchObject({ family: 'suno', stage: 'text', result: { state: 'pending', taskId: '2fac9f72' } });
		expect(normalizeCallback(suno('first'))).toMatchObject({ stage: 'first', result: { state: 'pending', resultUrls: ['https://example.cn/1.mp3'] } });
		expect(normalizeCallback(suno('complete'))).toMatchObject({
			stage: 'complete',
			result: { state: 'success', model: 'chirp-v3-5', resultUrls: ['https://example.cn/1.mp3', 'https://example.cn/2.mp3'] },
		});
		expect(normalizeCallback(suno('error', 501)).result).toMatchObject({ state: 'failed', failCode: '501' });
	});

	it('Luma modify: {taskId, promptJson, resultUrls}; a failure (code 500) has no resultUrls', () => {
		const ok = { code: 200, msg: 'Modify record generated successfully.', data: { taskId: 'lm_1', promptJson: '{"prompt":"p","videoUrl":"https://e.com/in.mp4"}', resultUrls: ['https://e.com/l/out.mp4'] } };
		expect(normalizeCallback(ok)).toMatchObject({ family: 'luma', result: { taskId: 'lm_1', model: 'luma/modify', state: 'success', resultUrls: ['https://e.com/l/out.mp4'] } });
		const failed = { code: 500, msg: 'Modify record generation failed.', data: { taskId: 'lm_1', promptJson: '{"prompt":"p"}' } };
		expect(normalizeCallback(failed)).toMatchObject({ family: 'luma', result: { state: 'failed', failCode: '500', failMsg: 'Modify record generation failed.', resultUrls: [] } });
		// The record-shaped body (what the simulator sent) is Luma's too.
		const recordShaped = { code: 200, msg: 'success', data: { taskId: 'lm_2', paramJson: '{}', successFlag: 1, response: { taskId: 'lm_2', resultUrls: ['https://e.com/l/2.mp4'], originUrls: ['https://e.com/in.mp4'] } } };
		expect(normalizeCallback(recordShaped)).toMatchObject({ family: 'luma', result: { state: 'success', resultUrls: ['https://e.com/l/2.mp4'] } });
	});

	it('Veo failures without info: {taskId, fallbackFlag} (400, the 422 "fallback channels"), and the 4K failure {taskId}', () => {
		const policy = { code: 400, msg: 'Your prompt was flagged by Website as violating content policies.', data: { taskId: 'veo_f', fallbackFlag: false } };
		expect(normalizeCallback(policy)).toMatchObject({ family: 'veo', result: { taskId: 'veo_f', state: 'failed', failCode: '400', failMsg: policy.msg, resultUrls: [] } });
		const fallback = { code: 422, msg: 'Your request was rejected by Flow. You may consider using our other fallback channels', data: { taskId: 'veo_f', fallbackFlag: false } };
		expect(normalizeCallback(fallback)).toMatchObject({ family: 'veo', result: { state: 'failed', failCode: '422' } });
		const fourK = { code: 500, msg: 'The 4K version of this video is unavailable. Please try a different video.', data: { taskId: 'veo_4k' } };
		expect(normalizeCallback(fourK)).toMatchObject({ family: 'veo', result: { taskId: 'veo_4k', state: 'failed', failCode: '500', failMsg: fourK.msg } });
		// A bare {taskId} without a word about 4K tells no family.
		expect(detectCallbackFamily({ code: 500, msg: 'Internal error', data: { taskId: 'x' } })).toBe('unknown');
	});

	it('Aleph: result_image_url is the cover, not a result', () => {
		const body = { code: 200, msg: 'success', data: { result_video_url: 'https://file.com/k/a.mp4', result_image_url: 'https://file.com/m/a.png' }, taskId: 'al_1' };
		expect(normalizeCallback(body)).toMatchObject({ family: 'aleph', result: { resultUrls: ['https://file.com/k/a.mp4'], coverUrl: 'https://file.com/m/a.png' } });
	});

	it('keeps creditsConsumed from every shape: Market callbacks today (creditsConsumed), older docs (consumeCredits), other families', () => {
		const today = { ...MARKET_SUCCESS, data: { ...MARKET_SUCCESS.data, consumeCredits: undefined, remainedCredits: undefined, creditsConsumed: 0.8 } };
		expect(normalizeCallback(today).result.creditsConsumed).toBe(0.8);
		expect(normalizeCallback(MARKET_SUCCESS).result.creditsConsumed).toBe(100);
		expect(normalizeCallback({ ...VEO_SUCCESS, data: { ...VEO_SUCCESS.data, creditsConsumed: 60 } }).result.creditsConsumed).toBe(60);
		expect(normalizeCallback({ ...FOUR_O_SUCCESS, data: { ...FOUR_O_SUCCESS.data, consumeCredits: 6 } }).result.creditsConsumed).toBe(6);
	});

	it('Suno: tracks sharing a URL give it once; lyrics variants with status "complete"; the 400 lyrics callback with data null fails', () => {
		const same = suno('complete');
		(same.data.data as Array<Record<string, unknown>>)[1].audio_url = 'https://example.cn/1.mp3';
		expect(normalizeCallback(same).result.resultUrls).toEqual(['https://example.cn/1.mp3']);
		const lyrics = {
			code: 200,
			msg: 'All generated successfully.',
			data: {
				callbackType: 'complete',
				task_id: 'ly_1',
				data: [
					{ error_message: '', status: 'complete', text: '[Verse] a', title: 'A' },
					{ error_message: 'moderation', status: 'failed', text: '', title: 'B' },
				],
			},
		};
		expect(normalizeCallback(lyrics)).toMatchObject({ family: 'suno', stage: 'complete', result: { state: 'success', model: 'suno/lyrics', lyrics: [{ title: 'A', text: '[Verse] a' }] } });
		const rejected = { code: 400, msg: 'Song Description flagged for moderation', data: { callbackType: 'complete', task_id: 'ly_1', data: null } };
		expect(normalizeCallback(rejected)).toMatchObject({ family: 'suno', stage: 'complete', result: { state: 'failed', failCode: '400', failMsg: rejected.msg, resultUrls: [] } });
	});

	it('detects the families', () => {
		expect([MARKET_SUCCESS, FOUR_O_SUCCESS, VEO_SUCCESS, RUNWAY_SUCCESS, suno('complete')].map(detectCallbackFamily)).toEqual(['market', '4o', 'veo', 'runway', 'suno']);
	});
});
