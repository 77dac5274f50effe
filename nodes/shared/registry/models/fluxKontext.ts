import type { ModelDefinition, ModelField } from '../types';

// Flux Kontext has its own endpoints and camelCase body; the registry id is sent as `model`. Source:
// reference/kie-api.md §9 (docs.kie.ai "Generate or Edit Image", Chinese edition 049).
const FIELDS: ModelField[] = [
	{
		name: 'prompt',
		type: 'string',
		required: true,
		multiline: true,
		description: 'The image to generate, or the change to make to the input image. English only, unless Enable Translation is on.',
	},
	{
		name: 'inputImage',
		label: 'Input Image URL',
		type: 'string',
		format: 'uri',
		description: 'URL of an image to edit (edit mode). Leave empty to generate a new image.',
	},
	{
		name: 'aspectRatio',
		type: 'string',
		enum: ['21:9', '16:9', '4:3', '1:1', '3:4', '9:16'],
		default: '16:9',
		description: 'Aspect ratio of the output image',
	},
	{
		name: 'outputFormat',
		type: 'string',
		enum: ['jpeg', 'png'],
		default: 'jpeg',
		description: 'File format of the output image',
	},
	{
		name: 'enableTranslation',
		type: 'boolean',
		default: true,
		description: 'Whether KIE translates a non-English prompt to English first',
	},
	{
		name: 'promptUpsampling',
		type: 'boolean',
		default: false,
		description: 'Whether KIE enhances the prompt (may take longer)',
	},
	{
		name: 'safetyTolerance',
		type: 'integer',
		enum: [0, 1, 2, 3, 4, 5, 6],
		default: 2,
		description: 'Moderation level from 0 (strictest) to 6 when generating, 0 to 2 when editing',
	},
	{
		name: 'watermark',
		type: 'string',
		description: 'Watermark identifier to add to the image (optional)',
	},
];

const base: Omit<ModelDefinition, 'id' | 'displayName'> = {
	family: 'Flux Kontext',
	provider: 'Black Forest Labs',
	kind: 'text-to-image',
	media: 'image',
	api: 'flux-kontext',
	docsUrl: 'https://docs.kie.ai/flux-kontext-api/generate-or-edit-image',
	imageField: 'inputImage',
	fields: FIELDS,
};

export const FLUX_KONTEXT_MODELS: ModelDefinition[] = [
	{ ...base, id: 'flux-kontext-pro', displayName: 'Flux Kontext Pro · Generate or Edit Image' },
	{ ...base, id: 'flux-kontext-max', displayName: 'Flux Kontext Max · Generate or Edit Image' },
];
