import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { startSimulator, type Simulator } from '../../../simulator';
import { FAST, model, runNode, SIM_ACCOUNT } from '../setup';

/**
 * The 20 Market models built in by Catalogue II (added to KIE since November 2026), each run by KIE Create
 * Task against the simulator (which validates the request against the same catalogue entry): the parameters a
 * user sets and the exact body KIE receives, defaults filled in with each model's own spelling.
 */
let sim: Simulator;
beforeAll(async () => {
	sim = await startSimulator({ apiKey: SIM_ACCOUNT, genMs: 50 });
});
afterAll(async () => await sim.close());
beforeEach(() => sim.reset());

const CASES: Array<[string, INodeParameters, IDataObject]> = [
	[
		"minimax-h3/text-to-video",
		{"prompt": "a red fox in the snow", "aspectRatio": "21:9", "duration": 6},
		{"prompt": "a red fox in the snow", "aspect_ratio": "21:9", "duration": 6, "resolution": "2K"},
	],
	[
		"minimax-h3/image-to-video",
		{"prompt": "a red fox in the snow", "duration": 6, "lastFrameUrl": "https://example.com/last.png"},
		{"prompt": "a red fox in the snow", "last_frame_url": "https://example.com/last.png", "duration": 6, "resolution": "2K"},
	],
	[
		"minimax-h3/reference-to-video",
		{"prompt": "a red fox in the snow", "duration": 6},
		{"prompt": "a red fox in the snow", "aspect_ratio": "adaptive", "duration": 6, "resolution": "2K"},
	],
	[
		"bytedance/seedance-2-5",
		{"prompt": "a red fox in the snow", "returnLastFrame": false, "generateAudio": true, "nsfwChecker": false},
		{"prompt": "a red fox in the snow", "return_last_frame": false, "generate_audio": true, "resolution": "720p", "aspect_ratio": "adaptive", "duration": 5, "output_format": "mp4", "nsfw_checker": false},
	],
	[
		"seedream/5-pro-text-to-image",
		{"prompt": "a red fox in the snow", "quality": "basic"},
		{"prompt": "a red fox in the snow", "aspect_ratio": "1:1", "quality": "basic", "output_format": "png"},
	],
	[
		"seedream/5-pro-image-to-image",
		{"prompt": "a red fox in the snow", "inputUrls": "https://example.com/sample-0.png", "quality": "basic"},
		{"prompt": "a red fox in the snow", "image_urls": ["https://example.com/sample-0.png"], "aspect_ratio": "1:1", "quality": "basic", "output_format": "png"},
	],
	[
		"seedream/5-pro-layer-decomposition",
		{"prompt": "a red fox in the snow", "inputUrls": "https://example.com/sample.png"},
		{"image_url": "https://example.com/sample.png", "prompt": "a red fox in the snow", "size": "auto", "output_format": "jpeg"},
	],
	[
		"qwen3/text-to-image",
		{"prompt": "a red fox in the snow", "nsfwChecker": false, "promptExtend": true, "seed": 1},
		{"prompt": "a red fox in the snow", "image_size": "16:9", "output_format": "png", "prompt_extend": true, "nsfw_checker": false, "seed": 1},
	],
	[
		"qwen3/image-to-image",
		{"prompt": "a red fox in the snow", "inputUrls": "https://example.com/sample-0.png", "nsfwChecker": false, "promptExtend": true, "seed": 1},
		{"prompt": "a red fox in the snow", "image_size": "16:9", "output_format": "png", "prompt_extend": true, "nsfw_checker": false, "seed": 1, "image_urls": ["https://example.com/sample-0.png"], "resolution": "1K"},
	],
	[
		"qwen3/pro-text-to-image",
		{"prompt": "a red fox in the snow", "nsfwChecker": false, "promptExtend": true, "seed": 1},
		{"prompt": "a red fox in the snow", "image_size": "16:9", "output_format": "png", "prompt_extend": true, "nsfw_checker": false, "seed": 1},
	],
	[
		"qwen3/pro-image-to-image",
		{"prompt": "a red fox in the snow", "inputUrls": "https://example.com/sample-0.png", "nsfwChecker": false, "promptExtend": true, "seed": 1},
		{"prompt": "a red fox in the snow", "image_size": "16:9", "output_format": "png", "prompt_extend": true, "nsfw_checker": false, "seed": 1, "image_urls": ["https://example.com/sample-0.png"], "resolution": "1K"},
	],
	[
		"grok-imagine-image-2-0/text-to-image",
		{"prompt": "a red fox in the snow", "aspectRatio": "1:1"},
		{"prompt": "a red fox in the snow", "aspect_ratio": "1:1"},
	],
	[
		"grok-imagine-image-2-0/segment-map",
		{"taskId": "sample"},
		{"task_id": "sample"},
	],
	[
		"grok-imagine-image-2-0/segment-edit",
		{"prompt": "a red fox in the snow", "taskId": "sample"},
		{"prompt": "a red fox in the snow", "task_id": "sample"},
	],
	[
		"pixverse-v6/text-to-video",
		{"prompt": "a red fox in the snow", "aspectRatio": "16:9", "quality": "720p", "duration": 5, "generateAudioSwitch": false, "generateMultiClipSwitch": false},
		{"prompt": "a red fox in the snow", "aspect_ratio": "16:9", "quality": "720p", "duration": 5, "generate_audio_switch": false, "generate_multi_clip_switch": false},
	],
	[
		"pixverse-v6/image-to-video",
		{"prompt": "a red fox in the snow", "inputUrls": "https://example.com/sample-0.png", "quality": "720p", "generateAudioSwitch": false, "generateMultiClipSwitch": false, "duration": 5},
		{"prompt": "a red fox in the snow", "image_urls": ["https://example.com/sample-0.png"], "quality": "720p", "duration": 5, "generate_audio_switch": false, "generate_multi_clip_switch": false},
	],
	[
		"pixverse-v6/transition",
		{"prompt": "a red fox in the snow", "quality": "720p", "duration": 5, "generateAudioSwitch": false, "firstFrameImageUrl": "https://example.com/sample.png", "lastFrameImageUrl": "https://example.com/sample.png"},
		{"prompt": "a red fox in the snow", "first_frame_image_url": "https://example.com/sample.png", "last_frame_image_url": "https://example.com/sample.png", "quality": "720p", "duration": 5, "generate_audio_switch": false},
	],
	[
		"pixverse-v6/extend",
		{"prompt": "a red fox in the snow", "quality": "360p", "videoUrl": "https://example.com/clip.mp4", "duration": 1},
		{"prompt": "a red fox in the snow", "video_url": "https://example.com/clip.mp4", "quality": "360p", "duration": 1},
	],
	[
		"pixverse-v6/reference-to-video",
		{"prompt": "a red fox in the snow", "aspectRatio": "16:9", "quality": "720p", "duration": 5, "generateAudioSwitch": false, "imageReferences": "[{\"image_url\":\"sample 0\",\"type\":\"sample 0\",\"ref_name\":\"sample 0\"}]"},
		{"prompt": "a red fox in the snow", "image_references": [{"image_url": "sample 0", "type": "sample 0", "ref_name": "sample 0"}], "aspect_ratio": "16:9", "quality": "720p", "duration": 5, "generate_audio_switch": false},
	],
	[
		"nano-banana-2-lite",
		{"prompt": "a red fox in the snow", "aspectRatio": "auto"},
		{"prompt": "a red fox in the snow", "aspect_ratio": "auto"},
	],
];

describe('Catalogue II models: the exact request KIE Create Task sends', () => {
	it.each(CASES)('%s', async (id, parameters, input) => {
		const run = await runNode(sim, 'kieCreateTask', { ...parameters, model: model(id), options: FAST });
		expect(run.status).toBe('success');
		expect(sim.requestsFor('createTask').map((request) => request.body)).toEqual([{ model: id, input }]);
		expect(run.output('KIE')[0].json).toMatchObject({ model: id, state: 'success' });
	});
});
