import type { ModelDefinition, ModelField } from '../types';

// Veo 3.1 has its own endpoints and camelCase body. Source: reference/kie-api.md §9 (docs.kie.ai
// "Generate Veo 3.1 Video", "Extend", "Get 1080P Video", "Get 4K Video"; Chinese edition 157–160).
// The KIE `model` key is the parameter "modelVersion": "model" is the node's model picker.

const TASK_ID: ModelField = {
	name: 'taskId',
	label: 'Task ID',
	type: 'string',
	required: true,
	description: 'The task ID of the Veo 3.1 video (from a generate task)',
};
const INDEX: ModelField = {
	name: 'index',
	label: 'Video Index',
	type: 'integer',
	min: 0,
	default: 0,
	description: 'Which video of the task, from 0',
};

const common = {
	family: 'Veo 3.1',
	provider: 'Google',
	media: 'video',
	docsUrl: 'https://docs.kie.ai/veo3-api/generate-veo-3-video',
} as const;

export const VEO_MODELS: ModelDefinition[] = [
	{
		...common,
		id: 'veo3.1',
		displayName: 'Veo 3.1 · Generate Video',
		kind: 'text-to-video',
		api: 'veo',
		imageField: 'imageUrls',
		fields: [
			{ name: 'prompt', type: 'string', required: true, multiline: true, description: 'The video to generate; with images, how they should move' },
			{
				name: 'imageUrls',
				type: 'array',
				itemsType: 'string',
				format: 'uri',
				maxItems: 3,
				description: 'Optional image URLs: 1 is animated, 2 are the first and last frame (Reference mode takes reference images)',
			},
			{
				name: 'model',
				param: 'modelVersion',
				label: 'Veo Model',
				type: 'string',
				required: true,
				enum: ['veo3', 'veo3_fast', 'veo3_lite'],
				default: 'veo3_fast',
				description: 'Veo 3.1 Quality, Fast or Lite',
			},
			{
				name: 'generationType',
				type: 'string',
				enum: ['TEXT_2_VIDEO', 'FIRST_AND_LAST_FRAMES_2_VIDEO', 'REFERENCE_2_VIDEO'],
				description: 'Generation mode (optional). Reference mode: Fast only, 16:9 or 9:16, 8 s.',
			},
			{ name: 'aspectRatio', type: 'string', enum: ['16:9', '9:16', 'Auto'], default: '16:9', description: 'Aspect ratio of the video' },
			{ name: 'resolution', type: 'string', enum: ['720p', '1080p', '4k'], default: '720p', description: 'Resolution of the video' },
			{ name: 'duration', type: 'integer', enum: [4, 6, 8], default: 8, description: 'Length in seconds (Reference mode: 8 only)' },
			{
				name: 'enableFallback',
				type: 'boolean',
				default: false,
				description: 'Whether KIE may switch to a fallback model when Veo rejects the request',
			},
			{
				name: 'enableTranslation',
				type: 'boolean',
				default: true,
				description: 'Whether KIE translates the prompt to English first',
			},
			{ name: 'watermark', type: 'string', description: 'Watermark text (optional)' },
		],
	},
	{
		...common,
		id: 'veo3.1/extend',
		displayName: 'Veo 3.1 · Extend Video',
		kind: 'video-to-video',
		api: 'veo',
		createPath: '/api/v1/veo/extend',
		docsUrl: 'https://docs.kie.ai/veo3-api/extend-veo-3-video',
		fields: [
			{ ...TASK_ID, description: 'The task ID of the Veo 3.1 video to extend (not a 1080p video)' },
			{ name: 'prompt', type: 'string', required: true, multiline: true, description: 'What happens in the extension' },
			{
				name: 'model',
				param: 'modelVersion',
				label: 'Extend Model',
				type: 'string',
				enum: ['fast', 'quality', 'lite'],
				default: 'fast',
				description: 'The extension model',
			},
			{ name: 'watermark', type: 'string', description: 'Watermark text (optional)' },
		],
	},
	{
		...common,
		id: 'veo3.1/4k',
		displayName: 'Veo 3.1 · Get 4K Video',
		kind: 'video-to-video',
		api: 'veo',
		createPath: '/api/v1/veo/get-4k-video',
		docsUrl: 'https://docs.kie.ai/veo3-api/get-veo-3-4k-video',
		fields: [TASK_ID, INDEX],
	},
	{
		...common,
		id: 'veo3.1/1080p',
		displayName: 'Veo 3.1 · Get 1080p Video',
		kind: 'video-to-video',
		api: 'veo-1080p',
		docsUrl: 'https://docs.kie.ai/veo3-api/get-veo-3-1080-p-video',
		fields: [TASK_ID, INDEX],
	},
];
