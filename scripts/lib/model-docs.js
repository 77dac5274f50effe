'use strict';

/**
 * Renders docs/models.md from the model registry. Shared by scripts/generate-model-docs.mjs (which
 * passes the compiled registry from dist/) and the jest test that keeps the file up to date (which
 * passes the TypeScript sources). Pure: no file system access here.
 */

const KIND_TITLES = {
	'text-to-image': 'Text to image',
	'image-to-image': 'Image to image',
	'image-edit': 'Image editing',
	'image-reframe': 'Image reframing',
	upscale: 'Image upscaling',
	'background-removal': 'Background removal',
	'text-to-video': 'Text to video',
	'image-to-video': 'Image to video',
	'reference-to-video': 'Reference to video',
	'video-to-video': 'Video to video',
	'video-extend': 'Video extension',
	'video-upscale': 'Video upscaling',
	'storyboard-video': 'Storyboard video',
	'motion-control': 'Motion control',
	'avatar-lip-sync': 'Avatars and lip sync from audio',
	'lip-sync': 'Lip sync',
	'audio-to-video': 'Audio to video',
	'character-creation': 'Character creation',
	'watermark-removal': 'Watermark removal',
	analysis: 'Analysis',
	'text-to-speech': 'Text to speech',
	'speech-to-text': 'Speech to text',
	'sound-effect': 'Sound effects',
	'audio-isolation': 'Audio isolation',
	audio: 'Audio and music',
	other: 'Other',
};

const API_NAMES = { market: 'Market jobs' };

function cell(value) {
	return String(value ?? '')
		.replace(/\|/g, '\\|')
		.replace(/\s*\n\s*/g, ' ')
		.trim();
}

function code(value) {
	return `\`${String(value).replace(/`/g, "'")}\``;
}

/** A heading's anchor as GitHub makes it. */
function anchor(title) {
	return title.toLowerCase().replace(/[^a-z0-9 -]/g, '').replace(/ /g, '-');
}

function typeOf(field) {
	if (field.type === 'array') {
		if (field.itemsType === 'object') return 'list of objects (JSON)';
		return field.format === 'uri' ? 'list of URLs' : `list of ${field.itemsType || 'string'}s`;
	}
	if (field.type === 'string' && field.format === 'uri') return 'URL';
	return field.type;
}

function limitsOf(field) {
	const parts = [];
	if (field.enum) parts.push(field.enum.map((value) => code(JSON.stringify(value))).join(', '));
	if (field.min !== undefined || field.max !== undefined) parts.push(`${field.min ?? '…'} – ${field.max ?? '…'}`);
	if (field.maxLength !== undefined) parts.push(`≤ ${field.maxLength} chars`);
	if (field.minItems !== undefined || field.maxItems !== undefined) {
		parts.push(`${field.minItems ?? 0} – ${field.maxItems ?? '…'} items`);
	}
	if (field.itemProperties) parts.push(`items: {${field.itemProperties.join(', ')}}`);
	if (field.accept) parts.push(field.accept.map((type) => type.replace(/^[a-z]+\//, '')).join('/'));
	if (field.maxFileSizeMB !== undefined) parts.push(`≤ ${field.maxFileSizeMB} MB`);
	if (field.showWhen) {
		parts.push(`only when ${Object.entries(field.showWhen).map(([key, values]) => `${key} = ${values.join('/')}`).join(', ')}`);
	}
	return parts.join('; ');
}

const LIVE_TITLE = 'Live models (not built in)';

/**
 * The section on live models: how to use one, which field takes files from binary, and the models known to
 * work only as live models (the registry's LIVE_ONLY, less any built in since), each with its source.
 */
function liveSection(models) {
	const lines = [
		`## ${LIVE_TITLE}`,
		'',
		'KIE offers models this node has no entry for. Each works as a **live model**: in KIE Create Task set **Model** to',
		'**By ID** and type its KIE model id (or pick it **From List**, where the models of KIE\'s live list are marked "(live)").',
		'The node reads the model\'s input fields from KIE\'s live schema of it (`GET /api/v1/models/{id}/schema`) and shows',
		'them under **Model Input**; each item is validated against them before anything is paid, and they are sent as',
		'they are. Without a schema (KIE has not published one, or it cannot be read), give the input in Options →',
		'**Additional Input (JSON)**. KIE Account → **Get Model Schema** outputs the same fields and a `toolDescription`',
		'for KIE Create Task Tool\'s Description.',
		'',
		'**Files from binary.** *Input Images From Binary* uploads the files (as for a built-in model: checked first, then',
		'uploaded to KIE\'s file host just before the create) and sends their URLs in the live field for input images: among',
		'the fields that take a file URL (format `uri` in KIE\'s schema, or a string or list of strings named `…url` or',
		'`…urls`) and are not a mask, those named like an image (`input_urls`, `image_urls`, `image_url`, `image_input`,',
		'`reference_image_urls`, `image`, `first_frame_url`, `first_frame`, `reference_image` in that order, then any other',
		'naming an image, frame or photo), else those naming no video, audio, voice, music, sound, file or link; of these the',
		'first required one, else the first. A list field gets the files after the URLs given in **Model Input**; a',
		'single-URL field takes one file in all. *Mask From Binary* goes to the field that takes a file URL and has',
		'"mask" in its name. A model without such a field, or whose schema cannot be read when the node runs, fails',
		'before anything is uploaded or paid; to send files to another field, upload them with KIE Upload File and give',
		'their URLs in **Model Input**.',
		'',
	];
	if (models.length === 0) return lines;
	lines.push(
		`These ${models.length} models KIE offers are known to work only as live models today: their input is not documented`,
		'well enough to build them in (a field\'s allowed values are missing, or the sources disagree).',
		'',
		'| Model | Model ID | Media | Kind | KIE docs | Source, and why live |',
		'|---|---|---|---|---|---|',
	);
	for (const entry of models) {
		lines.push(`| ${cell(entry.displayName)} | ${code(entry.id)} | ${entry.media} | ${KIND_TITLES[entry.kind] || entry.kind} | [docs](${entry.docsUrl}) | ${cell(entry.source)} |`);
	}
	lines.push('');
	return lines;
}

/**
 * @param {object} registry
 * @param {ReadonlyArray<any>} registry.MODELS every registered model
 * @param {(model: any, field: any) => string} registry.paramName
 * @param {(field: any) => boolean} registry.isAdditionalField
 * @param {ReadonlyArray<any>} [registry.LIVE_ONLY] the models known to work only as live models (availability.ts)
 * @param {(model: any) => {method: string, path: string, body: object}} [registry.exampleRequest] a model's example
 *   request (registry/examples.ts): shown under each model
 * @returns {string} the Markdown of docs/models.md
 */
function renderModelDocs({ MODELS, paramName, isAdditionalField, LIVE_ONLY = [], exampleRequest }) {
	const kinds = [];
	for (const model of MODELS) if (!kinds.includes(model.kind)) kinds.push(model.kind);
	const order = Object.keys(KIND_TITLES);
	kinds.sort((a, b) => (order.indexOf(a) + 1 || order.length + 1) - (order.indexOf(b) + 1 || order.length + 1));

	const lines = [
		'# Models',
		'',
		'<!-- Generated by `npm run build && npm run docs:models` (scripts/generate-model-docs.mjs) from the model registry. Do not edit by hand. -->',
		'',
		`KIE Create Task knows ${MODELS.length} models. Pick one under **Model**; its parameters appear below it.`,
		'Parameters named `additionalFields.…` are under **Additional Fields** and are sent only when added.',
		'"Default" is what the node sends when the parameter is left alone (empty: nothing is sent).',
		'`*` marks a required parameter.',
		'',
	];
	for (const kind of kinds) {
		const models = MODELS.filter((model) => model.kind === kind);
		lines.push(`- [${KIND_TITLES[kind] || kind}](#${anchor(KIND_TITLES[kind] || kind)}) (${models.length})`);
	}
	// A model built in since is listed with the others.
	const builtIn = new Set(MODELS.map((model) => model.id));
	const liveOnly = LIVE_ONLY.filter((entry) => !builtIn.has(entry.id));
	lines.push(`- [${LIVE_TITLE}](#${anchor(LIVE_TITLE)}) (${liveOnly.length})`);
	lines.push('');
	for (const kind of kinds) {
		lines.push(`## ${KIND_TITLES[kind] || kind}`, '');
		for (const model of MODELS.filter((entry) => entry.kind === kind)) {
			lines.push(`### ${model.displayName}${model.availability ? ` (${model.availability.state} by KIE)` : ''}`, '');
			if (model.availability) {
				lines.push(`> **${model.availability.state === 'paused' ? 'Paused' : 'Retired'} by KIE since ${model.availability.since}.** ${model.availability.note} It stays here so that saved workflows keep opening; KIE refuses its tasks (and charges nothing for them).`, '');
			}
			const facts = [
				`Model ID ${code(model.id)}`,
				`provider ${model.provider}`,
				`family ${model.family}`,
				`API ${API_NAMES[model.api] || model.api}`,
			];
			if (model.docsUrl) facts.push(`[KIE docs](${model.docsUrl})`);
			lines.push(`${facts.join(' · ')}`, '');
			lines.push('| Parameter | KIE field | Type | Required | Allowed values / limits | Default | Description |');
			lines.push('|---|---|---|---|---|---|---|');
			for (const field of model.fields) {
				const param = paramName(model, field);
				const name = isAdditionalField(field) ? `additionalFields.${param}` : param;
				const defaultValue = field.default !== undefined ? code(JSON.stringify(field.default)) : field.required && field.enum ? code(JSON.stringify(field.enum[0])) : '';
				lines.push(
					`| ${code(name)} | ${code(field.name)} | ${typeOf(field)} | ${field.required ? 'yes *' : ''} | ${cell(limitsOf(field))} | ${defaultValue} | ${cell(field.description)} |`,
				);
			}
			if (model.requireOneOf && model.requireOneOf.length) {
				lines.push('', `At least one of: ${model.requireOneOf.map((group) => group.map(code).join(' or ')).join('; ')}.`);
			}
			if (exampleRequest) {
				const example = exampleRequest(model);
				lines.push(
					'',
					'<details><summary>Example: what the node sends with only the required fields set</summary>',
					'',
					`${example.method} ${code(example.path)}${example.method === 'GET' ? ' (as query parameters)' : ''}`,
					'',
					'```json',
					JSON.stringify(example.body, null, 2),
					'```',
					'',
					'</details>',
				);
			}
			lines.push('');
		}
	}
	lines.push(...liveSection(liveOnly));
	return `${lines.join('\n').replace(/\n+$/, '')}\n`;
}

module.exports = { renderModelDocs, KIND_TITLES };
