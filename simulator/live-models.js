'use strict';

/**
 * OpenAPI 3.1 documents of the simulator's extra (not built-in) Market models that KIE has synced,
 * served by GET /api/v1/models/{model}/schema (catalogue-api.js) and used to validate their creates
 * (validate.js `validateOpenapiCreateTask`). They carry the quirks of KIE's real documents
 * (kie-api.md §7), so the package's live-schema parser meets them in the tests:
 *
 * - `acme/pixel-forge-3` (image): `input` is a `$ref` to `#/components/schemas/Pixel%20Forge%20Input`
 *   whose component key is `"Pixel Forge Input "` (percent-encoded in the ref, a plain space and a
 *   trailing space in the key); `style` is another `$ref`; `num_images` is a string enum of numbers.
 * - `acme/motion-blend-1` (video): `input` is an inline `oneOf` of two object variants, text to video
 *   and image to video; `negative_prompt` is typed `["string", "null"]` (an OpenAPI 3.1 type array);
 *   `duration` is a string enum of numbers.
 *
 * Each call builds a fresh document (callers may mutate what they get).
 */

const CREATE_TASK_PATH = '/api/v1/jobs/createTask';

/** The envelope of the createTask answer and the error codes of the Market `ApiResponse` schema. */
function apiResponseSchema() {
	return {
		type: 'object',
		properties: {
			code: {
				type: 'integer',
				enum: [200, 401, 402, 404, 422, 429, 455, 500, 501, 505],
				description:
					'200 success (accepted), 401 unauthorized, 402 insufficient credits, 404 not found, 422 validation error, 429 rate limited, 455 service unavailable, 500 server error, 501 generation failed, 505 feature disabled',
			},
			msg: { type: 'string' },
			data: {
				type: 'object',
				properties: { taskId: { type: 'string' }, recordId: { type: 'string' } },
			},
		},
	};
}

/** The Market callback payload (kie-api.md §4.2). */
function callbackSchema() {
	return {
		type: 'object',
		properties: {
			code: { type: 'integer', enum: [200, 501] },
			msg: { type: 'string' },
			data: {
				type: 'object',
				properties: {
					taskId: { type: 'string' },
					model: { type: 'string' },
					state: { type: 'string', enum: ['success', 'fail'] },
					resultJson: { type: 'string', description: 'JSON text: {"resultUrls": [...]}' },
					failCode: { type: ['string', 'null'] },
					failMsg: { type: ['string', 'null'] },
				},
			},
		},
	};
}

/**
 * A whole document around a request component: the createTask operation with its request body
 * (a `$ref` to `components.schemas[requestKey]`), its answer and its callback.
 */
function documentFor({ title, description, requestKey, request, extraComponents }) {
	return {
		openapi: '3.1.0',
		info: { title, version: '1.0.0', description },
		servers: [{ url: 'https://api.kie.ai' }],
		paths: {
			[CREATE_TASK_PATH]: {
				post: {
					summary: `Create a ${title} task`,
					operationId: `create-${title.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`,
					security: [{ BearerAuth: [] }],
					requestBody: {
						required: true,
						content: { 'application/json': { schema: { $ref: `#/components/schemas/${encodeURIComponent(requestKey)}` } } },
					},
					responses: {
						200: {
							description: 'Task accepted; body code 200 with data.taskId (other body codes are errors)',
							content: { 'application/json': { schema: { $ref: '#/components/schemas/ApiResponse' } } },
						},
					},
					callbacks: {
						onTaskFinished: {
							'{$request.body#/callBackUrl}': {
								post: {
									requestBody: { content: { 'application/json': { schema: { $ref: '#/components/schemas/Callback' } } } },
									responses: { 200: { description: 'Callback received' } },
								},
							},
						},
					},
				},
			},
		},
		components: {
			securitySchemes: { BearerAuth: { type: 'http', scheme: 'bearer' } },
			schemas: {
				[requestKey]: request,
				...extraComponents,
				ApiResponse: apiResponseSchema(),
				Callback: callbackSchema(),
			},
		},
	};
}

function requestSchema(modelId, input) {
	return {
		type: 'object',
		properties: {
			model: { type: 'string', enum: [modelId] },
			callBackUrl: { type: 'string', format: 'uri' },
			input,
		},
		required: ['model', 'input'],
	};
}

function pixelForgeDocument() {
	const id = 'acme/pixel-forge-3';
	return documentFor({
		title: 'Acme Pixel Forge 3',
		description: 'Text to image and image to image (simulator only).',
		requestKey: 'Pixel Forge Request',
		// The ref is percent-encoded; the key has plain spaces and a trailing one (a KIE quirk).
		request: requestSchema(id, { $ref: '#/components/schemas/Pixel%20Forge%20Input' }),
		extraComponents: {
			'Pixel Forge Input ': {
				type: 'object',
				properties: {
					prompt: { type: 'string', maxLength: 2000, description: 'What to draw' },
					aspect_ratio: {
						type: 'string',
						enum: ['1:1', '3:2', '2:3', '16:9', '9:16'],
						default: '1:1',
						description: 'Aspect ratio of the images',
					},
					num_images: {
						type: 'string',
						enum: ['1', '2', '4'],
						default: '1',
						description: 'How many images to generate (a string)',
					},
					seed: { type: 'integer', minimum: 0, maximum: 2147483647, description: 'Random seed, for repeatable results' },
					enhance_prompt: { type: 'boolean', default: true, description: 'Let the model rewrite the prompt' },
					image_urls: {
						type: 'array',
						items: { type: 'string', format: 'uri' },
						maxItems: 4,
						description: 'Reference images (up to 4 URLs)',
					},
					style: { $ref: '#/components/schemas/Style' },
				},
				required: ['prompt'],
			},
			Style: {
				type: 'string',
				enum: ['photo', 'illustration', '3d'],
				default: 'photo',
				description: 'Rendering style',
			},
		},
	});
}

function motionBlendDocument() {
	const id = 'acme/motion-blend-1';
	const prompt = () => ({ type: 'string', maxLength: 1500, description: 'What happens in the video' });
	const negativePrompt = () => ({ type: ['string', 'null'], maxLength: 500, description: 'What to avoid (optional)' });
	const duration = () => ({ type: 'string', enum: ['5', '10'], default: '5', description: 'Length in seconds' });
	return documentFor({
		title: 'Acme Motion Blend 1',
		description: 'Text to video or image to video (simulator only).',
		requestKey: 'Motion Blend Request',
		request: requestSchema(id, {
			oneOf: [
				{
					title: 'Text to video',
					type: 'object',
					properties: { prompt: prompt(), negative_prompt: negativePrompt(), duration: duration() },
					required: ['prompt'],
				},
				{
					title: 'Image to video',
					type: 'object',
					properties: {
						prompt: prompt(),
						image_url: { type: 'string', format: 'uri', description: 'The first frame' },
						negative_prompt: negativePrompt(),
						duration: duration(),
					},
					required: ['prompt', 'image_url'],
				},
			],
		}),
		extraComponents: {},
	});
}

/** Document builders of the extra models that have a schema, by model id. */
const LIVE_MODEL_DOCUMENTS = {
	'acme/pixel-forge-3': pixelForgeDocument,
	'acme/motion-blend-1': motionBlendDocument,
};

module.exports = { CREATE_TASK_PATH, LIVE_MODEL_DOCUMENTS };
