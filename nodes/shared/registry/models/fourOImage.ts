import type { ModelDefinition } from '../types';

// The 4o Image API (GPT-Image-1) has its own endpoints and camelCase body. Source: the 4o quickstart
// seed and docs.kie.ai "Generate 4o Image". The newest schema drops some fields, so all but `size`
// stay optional.
export const FOUR_O_IMAGE_MODELS: ModelDefinition[] = [
	{
		id: '4o-image',
		displayName: '4o Image (GPT-Image-1)',
		family: '4o Image',
		provider: 'OpenAI',
		kind: 'text-to-image',
		media: 'image',
		api: '4o',
		docsUrl: 'https://docs.kie.ai/4o-image-api/generate-4-o-image',
		imageField: 'filesUrl',
		requireOneOf: [['prompt', 'filesUrl']],
		fields: [
			{
				name: 'prompt',
				type: 'string',
				multiline: true,
				description: 'What to generate or how to edit the input images. Needs a prompt, input images, or both.',
			},
			{
				name: 'filesUrl',
				type: 'array',
				itemsType: 'string',
				format: 'uri',
				maxItems: 5,
				accept: ['image/jpeg', 'image/png', 'image/webp'],
				maxFileSizeMB: 25,
				description:
					'URLs of up to 5 input images to edit or vary, separated by commas or new lines (optional)',
			},
			{
				// The aspect ratio, under its KIE name: the shared "aspectRatio" parameter keeps the value
				// across a model switch.
				name: 'size',
				param: 'aspectRatio',
				label: 'Size',
				type: 'string',
				required: true,
				enum: ['1:1', '3:2', '2:3'],
				default: '1:1',
				description: 'Aspect ratio of the generated image',
			},
			{
				name: 'nVariants',
				label: 'Variants',
				type: 'integer',
				enum: [1, 2, 4],
				default: 1,
				description: 'How many images to generate (the price depends on it)',
			},
			{
				name: 'maskUrl',
				label: 'Mask URL',
				type: 'string',
				format: 'uri',
				description:
					'Optional mask image URL: black areas are edited, white areas kept. Must match the input image size; ignored with more than one input image.',
			},
			{
				name: 'isEnhance',
				label: 'Enhance Prompt',
				type: 'boolean',
				default: false,
				description: 'Whether KIE should enhance the prompt before generating',
			},
			{
				name: 'enableFallback',
				type: 'boolean',
				default: false,
				description: 'Whether KIE may switch to a fallback model when GPT-4o is unavailable',
			},
			{
				name: 'fallbackModel',
				type: 'string',
				enum: ['FLUX_MAX', 'GPT_IMAGE_1'],
				default: 'FLUX_MAX',
				showWhen: { enableFallback: [true] },
				description: 'The model to fall back to',
			},
		],
	},
];
