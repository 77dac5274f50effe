import type { ModelDefinition, ModelField } from '../types';

// Transcribed from KIE's GPT Image 1.5 OpenAPI pages (the project seeds), which win over later sources.
const PROMPT: ModelField = {
	name: 'prompt',
	type: 'string',
	required: true,
	multiline: true,
	description: 'A text description of the image you want to generate',
};

const quality = (): ModelField => ({
	name: 'quality',
	type: 'string',
	required: true,
	enum: ['medium', 'high'],
	default: 'medium',
	description: 'Medium is balanced; high is slower and more detailed',
});

const aspectRatio = (defaultValue: string): ModelField => ({
	name: 'aspect_ratio',
	type: 'string',
	required: true,
	enum: ['1:1', '2:3', '3:2'],
	default: defaultValue,
	description: 'Width-to-height ratio of the image',
});

export const GPT_IMAGE_MODELS: ModelDefinition[] = [
	{
		id: 'gpt-image/1.5-text-to-image',
		displayName: 'GPT Image 1.5 · Text to Image',
		family: 'GPT Image',
		provider: 'OpenAI',
		kind: 'text-to-image',
		media: 'image',
		api: 'market',
		docsUrl: 'https://docs.kie.ai/market/gpt-image/1.5-text-to-image',
		fields: [PROMPT, aspectRatio('1:1'), quality()],
	},
	{
		id: 'gpt-image/1.5-image-to-image',
		displayName: 'GPT Image 1.5 · Image to Image',
		family: 'GPT Image',
		provider: 'OpenAI',
		kind: 'image-to-image',
		media: 'image',
		api: 'market',
		docsUrl: 'https://docs.kie.ai/market/gpt-image/1.5-image-to-image',
		imageField: 'input_urls',
		fields: [
			{
				name: 'input_urls',
				type: 'array',
				itemsType: 'string',
				format: 'uri',
				required: true,
				minItems: 1,
				maxItems: 16,
				accept: ['image/jpeg', 'image/png', 'image/webp'],
				maxFileSizeMB: 10,
				description:
					'URLs of the input images (JPEG, PNG or WebP, up to 10 MB each, at most 16), separated by commas or new lines',
			},
			PROMPT,
			aspectRatio('3:2'),
			quality(),
		],
	},
];
