import type { ModelDefinition } from '../types';

// Runway and Runway Aleph have their own endpoints and camelCase bodies. Source:
// reference/kie-api.md §9 (docs.kie.ai Runway API; Chinese edition 110, 112, 114).

const WATERMARK = {
	name: 'waterMark',
	label: 'Watermark',
	type: 'string',
	description: 'Watermark text; empty for none',
} as const;

export const RUNWAY_MODELS: ModelDefinition[] = [
	{
		id: 'runway',
		displayName: 'Runway · Generate Video',
		family: 'Runway',
		provider: 'Runway',
		kind: 'text-to-video',
		media: 'video',
		api: 'runway',
		docsUrl: 'https://docs.kie.ai/runway-api/generate-ai-video',
		imageField: 'imageUrl',
		fields: [
			{ name: 'prompt', type: 'string', required: true, multiline: true, maxLength: 1800, description: 'The video to generate; with an image, how it should move' },
			{ name: 'imageUrl', label: 'Input Image URL', type: 'string', format: 'uri', description: 'Optional image to animate; it then sets the aspect ratio' },
			{ name: 'duration', type: 'integer', required: true, enum: [5, 10], default: 5, description: 'Length in seconds (10 s is 720p only)' },
			{ name: 'quality', type: 'string', required: true, enum: ['720p', '1080p'], default: '720p', description: 'Resolution (1080p is 5 s only)' },
			{
				name: 'aspectRatio',
				type: 'string',
				enum: ['16:9', '4:3', '1:1', '3:4', '9:16'],
				default: '16:9',
				description: 'Aspect ratio; needed without an image, ignored with one',
			},
			WATERMARK,
		],
	},
	{
		id: 'runway/extend',
		displayName: 'Runway · Extend Video',
		family: 'Runway',
		provider: 'Runway',
		kind: 'video-to-video',
		media: 'video',
		api: 'runway',
		createPath: '/api/v1/runway/extend',
		docsUrl: 'https://docs.kie.ai/runway-api/extend-ai-video',
		fields: [
			{ name: 'taskId', label: 'Task ID', type: 'string', required: true, description: 'The task ID of the Runway video to extend' },
			{ name: 'prompt', type: 'string', required: true, multiline: true, description: 'What happens next in the video' },
			{ name: 'quality', type: 'string', required: true, enum: ['720p', '1080p'], default: '720p', description: 'Resolution' },
			WATERMARK,
		],
	},
	{
		id: 'runway/aleph',
		displayName: 'Runway Aleph · Transform Video',
		family: 'Runway Aleph',
		provider: 'Runway',
		kind: 'video-to-video',
		media: 'video',
		api: 'aleph',
		docsUrl: 'https://docs.kie.ai/runway-api/generate-aleph-video',
		imageField: 'videoUrl',
		fields: [
			{ name: 'prompt', type: 'string', required: true, multiline: true, description: 'How to transform the video' },
			{ name: 'videoUrl', label: 'Video URL', type: 'string', required: true, format: 'uri', description: 'URL of the video to transform' },
			{
				name: 'aspectRatio',
				type: 'string',
				enum: ['16:9', '9:16', '4:3', '3:4', '1:1', '21:9'],
				description: 'Aspect ratio of the output (optional)',
			},
			{ name: 'referenceImage', label: 'Reference Image URL', type: 'string', format: 'uri', description: 'Optional image that guides style or content' },
			WATERMARK,
		],
	},
];
