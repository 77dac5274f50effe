import type { ModelDefinition } from '../types';

// Luma modify has its own endpoints and camelCase body. Source: reference/kie-api.md §9 (Luma quickstart).
export const LUMA_MODELS: ModelDefinition[] = [
	{
		id: 'luma/modify',
		displayName: 'Luma · Modify Video',
		family: 'Luma',
		provider: 'Luma AI',
		kind: 'video-to-video',
		media: 'video',
		api: 'luma',
		docsUrl: 'https://docs.kie.ai/luma-api/generate-luma-modify-video',
		imageField: 'videoUrl',
		fields: [
			{ name: 'prompt', type: 'string', required: true, multiline: true, description: 'How to modify the video' },
			{
				name: 'videoUrl',
				label: 'Video URL',
				type: 'string',
				required: true,
				format: 'uri',
				accept: ['video/mp4', 'video/quicktime', 'video/x-msvideo'],
				maxFileSizeMB: 500,
				description: 'URL of the video to modify: MP4, MOV or AVI, up to 500 MB and 10 s',
			},
			{ name: 'watermark', type: 'string', description: 'Watermark text (optional)' },
		],
	},
];
