'use strict';

/**
 * GPT Image 1.5 request schemas, transcribed from the seed OpenAPI documents
 * (shared/seeds/001_d8e79bc2493ae714.txt = image-to-image,
 *  shared/seeds/002_8b1d3b5c7bb41e1b.txt = text-to-image).
 * Only the parts that matter for validation are kept (descriptions shortened).
 * For these two models the seeds win over kie-models.json / kie-api.md.
 *
 * Deviation from the seed, on purpose: the seed marks only `model` as required at the top level;
 * the simulator also requires `input` (kie-api.md §2: "every model needs input").
 */

const callBackUrl = {
	type: 'string',
	format: 'uri',
	description: 'The URL to receive generation task completion updates.',
};

const aspectRatioEnum = ['1:1', '2:3', '3:2'];
const qualityEnum = ['medium', 'high'];

module.exports = {
	'gpt-image/1.5-text-to-image': {
		source: 'https://docs.kie.ai/market/gpt-image/1.5-text-to-image (seed 002)',
		operationId: 'gpt-image-1-5-text-to-image',
		type: 'object',
		required: ['model'],
		properties: {
			model: {
				type: 'string',
				enum: ['gpt-image/1.5-text-to-image'],
				default: 'gpt-image/1.5-text-to-image',
			},
			callBackUrl,
			input: {
				type: 'object',
				description: 'Input parameters for the generation task',
				properties: {
					prompt: {
						type: 'string',
						description: 'A text description of the image you want to generate',
					},
					aspect_ratio: {
						type: 'string',
						enum: aspectRatioEnum,
						default: '1:1',
						description: 'Width-height ratio of the image, determining its visual form.',
					},
					quality: {
						type: 'string',
						enum: qualityEnum,
						default: 'medium',
						description: 'Quality: medium=balanced, high=slow/detailed.',
					},
				},
				required: ['prompt', 'aspect_ratio', 'quality'],
			},
		},
	},
	'gpt-image/1.5-image-to-image': {
		source: 'https://docs.kie.ai/market/gpt-image/1.5-image-to-image (seed 001)',
		operationId: 'gpt-image-1-5-image-to-image',
		type: 'object',
		required: ['model'],
		properties: {
			model: {
				type: 'string',
				enum: ['gpt-image/1.5-image-to-image'],
				default: 'gpt-image/1.5-image-to-image',
			},
			callBackUrl,
			input: {
				type: 'object',
				description: 'Input parameters for the generation task',
				properties: {
					input_urls: {
						type: 'array',
						items: { type: 'string', format: 'uri' },
						maxItems: 16,
						description:
							'Upload an image file to use as input for the API (File URL after upload, not file content; Accepted types: image/jpeg, image/png, image/webp; Max size: 10.0MB)',
						accept: ['image/jpeg', 'image/png', 'image/webp'],
						maxFileSizeMB: 10,
					},
					prompt: {
						type: 'string',
						description: 'A text description of the image you want to generate',
					},
					aspect_ratio: {
						type: 'string',
						enum: aspectRatioEnum,
						default: '3:2',
						description: 'Width-height ratio of the image, determining its visual form.',
					},
					quality: {
						type: 'string',
						enum: qualityEnum,
						default: 'medium',
						description: 'Quality: medium=balanced, high=slow/detailed.',
					},
				},
				required: ['input_urls', 'prompt', 'aspect_ratio', 'quality'],
			},
		},
	},
};
