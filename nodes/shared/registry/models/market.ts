import CATALOGUE_JSON from '../catalogue/kie-models.json';
import type { FieldType, FieldValue, ModelDefinition, ModelField, ModelKind, ModelMedia } from '../types';

/**
 * Every Market model of KIE's catalogue (`../catalogue/kie-models.json`, also the simulator's
 * contract), converted into registry definitions by one typed adapter. Small per-model overrides
 * (`OVERRIDES`) fix what the catalogue cannot express; hand-written definitions (GPT Image 1.5) win
 * over the catalogue in `../index.ts`.
 */

/** One input field as the catalogue records it. */
interface CatalogueField {
	name: string;
	type: FieldType;
	required?: boolean;
	enum?: FieldValue[];
	/** Scalars; a few array fields carry `[]` or `[""]`, which the adapter drops. */
	default?: FieldValue | unknown[];
	min?: number;
	max?: number;
	maxLength?: number;
	minItems?: number;
	maxItems?: number;
	itemsType?: 'string' | 'number' | 'integer' | 'object';
	itemProperties?: string[];
	accept?: string[];
	maxFileSizeMB?: number;
	description: string;
	/** Provenance remark, e.g. "present only in an older doc version". */
	note?: string;
}

/** One model as the catalogue records it. */
interface CatalogueEntry {
	id: string;
	family: string;
	kind: string;
	media: ModelMedia;
	endpoint: 'jobs';
	input: CatalogueField[];
	source?: string[];
	notes?: string;
	/** Groups of input keys of which at least one must be set (a rule the schema cannot say). */
	requireOneOf?: string[][];
}

export const CATALOGUE: readonly CatalogueEntry[] = CATALOGUE_JSON as unknown as CatalogueEntry[];

/** The company behind each catalogue family; families not listed are their own provider. */
export const FAMILY_PROVIDERS: Record<string, string> = {
	Seedream: 'ByteDance',
	Bytedance: 'ByteDance',
	'Omnihuman 1.5': 'ByteDance',
	Volcengine: 'ByteDance',
	Google: 'Google',
	'Gemini Omni': 'Google',
	'Flux-2': 'Black Forest Labs',
	'Grok Imagine': 'xAI',
	'GPT Image': 'OpenAI',
	Sora2: 'OpenAI',
	Qwen: 'Alibaba',
	Wan: 'Alibaba',
	'Z-image': 'Alibaba',
	Hailuo: 'MiniMax',
	Kling: 'Kuaishou',
	Topaz: 'Topaz Labs',
};

/**
 * The fields that take input images, most specific first. A model's `imageField` (the stable
 * `inputUrls` parameter) is its first required candidate, else its first candidate.
 */
const IMAGE_FIELDS = [
	'input_urls',
	'image_urls',
	'image_url',
	'image_input',
	'reference_image_urls',
	'image',
	'first_frame_url',
	'first_frame',
	'reference_image',
];

/** Fields holding URLs of hosted files although their name does not say "url". */
const URL_FIELDS = new Set(['image', 'image_input', 'first_frame', 'reference_image', 'reference_video', 'reference_voice']);

/** Labels where the parameter name alone reads badly. */
const LABELS: Record<string, string> = {
	n: 'Number of Images',
	n_frames: 'Duration (Frames Setting)',
	nsfw_checker: 'NSFW Checker',
	cfg_scale: 'CFG Scale',
	pe_fast_mode: 'Prompt Enhancer Fast Mode',
	templ_start_seconds: 'Template Start (Seconds)',
	duration_seconds: 'Duration (Seconds)',
	frames_per_second: 'Frames per Second',
	bbox_list: 'Bounding Box List',
	open_scenedet: 'Scene Detection',
};

/** Parameter names shared across models for the same concept, so a value survives a model switch. */
const PARAMS: Record<string, string> = { ratio: 'aspectRatio' };

const RATIO = /^(\d+:\d+|auto)$/i;
const ASPECT_FIELDS = ['aspect_ratio', 'ratio'];

/**
 * An `image_size` whose values are aspect ratios (Qwen Image 2) is the model's aspect ratio, when the
 * model has no field of that name; elsewhere `image_size` is a size preset ("square_hd").
 */
function sharedParam(entry: CatalogueEntry, field: CatalogueField): string | undefined {
	if (PARAMS[field.name]) return PARAMS[field.name];
	const ratios = field.name === 'image_size' && field.enum?.length && field.enum.every((value) => RATIO.test(String(value)));
	if (ratios && !entry.input.some((other) => ASPECT_FIELDS.includes(other.name))) return 'aspectRatio';
	return undefined;
}

/** Per-model corrections the catalogue data cannot express. */
const OVERRIDES: Record<string, { fields?: Record<string, Partial<ModelField>>; imageField?: string | null }> = {
	// The schema lost its enums; the page text names the modes, the sibling image-to-video model has the ratios.
	'grok-imagine/text-to-video': {
		fields: {
			mode: { enum: ['fun', 'normal', 'spicy'], default: 'normal' },
			aspect_ratio: { enum: ['2:3', '3:2', '1:1', '16:9', '9:16'], default: '16:9' },
		},
	},
	// Per-shot prompts apply only to multi-shot output.
	'kling-3.0/video': { fields: { multi_prompt: { showWhen: { multiShots: [true] } } } },
	// The video is the input; the optional reference image is the only image input.
	'happyhorse/video-edit': { imageField: 'reference_image' },
	// Reference images are the model's image input; the first frame is an optional extra.
	'wan/2-7-r2v': { imageField: 'reference_image' },
};

const CONDITIONAL_NOTE =
	/conditional|only (applies|required|needed|when|if)|not always|test before enforcing|requiredness|even though/i;

function escapeRegExp(text: string): string {
	return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * A catalogue field marked required is only conditionally required (so not enforced) when its `note`
 * says so, when the model's `notes` talks about required-ness and names the field, or when its own
 * description starts with "Optional". The simulator (test/simulator/validate.js) applies the same rule.
 */
export function isConditionallyRequired(entry: CatalogueEntry, field: CatalogueField): boolean {
	if (field.note && CONDITIONAL_NOTE.test(field.note)) return true;
	if (entry.notes && /required/i.test(entry.notes)) {
		const named = new RegExp(`(^|[^a-z0-9_])${escapeRegExp(field.name)}([^a-z0-9_]|$)`, 'i');
		if (named.test(entry.notes)) return true;
	}
	return /^optional\b/i.test(field.description.trim());
}

function isUrlField(field: CatalogueField): boolean {
	if (field.type !== 'string' && !(field.type === 'array' && (field.itemsType ?? 'string') === 'string')) return false;
	return Boolean(field.accept) || /url/i.test(field.name) || URL_FIELDS.has(field.name);
}

function isScalar(value: unknown): value is FieldValue {
	return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}

function describeField(field: CatalogueField): string {
	const text = field.description.trim();
	if (!field.note) return text;
	return `${text.replace(/\.$/, '')}. Only in older KIE docs; may be ignored.`;
}

function convertField(entry: CatalogueEntry, field: CatalogueField): ModelField {
	const required = field.required === true && !isConditionallyRequired(entry, field);
	const out: ModelField = { name: field.name, type: field.type, description: describeField(field) };
	if (LABELS[field.name]) out.label = LABELS[field.name];
	const param = sharedParam(entry, field);
	if (param) out.param = param;
	if (required) out.required = true;
	if (field.enum) out.enum = [...field.enum];
	// Array defaults ([] or [""]) and an empty default of a required text are placeholders, not values.
	if (isScalar(field.default) && !(required && field.default === '')) out.default = field.default;
	for (const key of ['min', 'max', 'maxLength', 'minItems', 'maxItems', 'maxFileSizeMB'] as const) {
		if (field[key] !== undefined) out[key] = field[key];
	}
	if (field.type === 'array') out.itemsType = field.itemsType ?? 'string';
	if (field.itemProperties) out.itemProperties = [...field.itemProperties];
	if (field.accept) out.accept = [...field.accept];
	if (isUrlField(field)) out.format = 'uri';
	if (field.name === 'prompt' || field.name === 'text' || field.name === 'negative_prompt') out.multiline = true;
	return out;
}

function pickImageField(fields: ModelField[]): string | undefined {
	const candidates = IMAGE_FIELDS.map((name) => fields.find((field) => field.name === name)).filter(
		(field): field is ModelField => field !== undefined,
	);
	return (candidates.find((field) => field.required) ?? candidates[0])?.name;
}

// ---- display names ------------------------------------------------------------------------------

/** How the first segment of an id reads (the product line). */
const PRODUCTS: Record<string, string> = {
	'flux-2': 'Flux.2',
	google: '',
	'gpt-image': 'GPT Image',
	'grok-imagine': 'Grok Imagine',
	ideogram: 'Ideogram',
	qwen: 'Qwen Image',
	qwen2: 'Qwen Image 2',
	recraft: 'Recraft',
	bytedance: 'ByteDance',
	seedream: 'Seedream',
	topaz: 'Topaz',
	wan: 'Wan',
	hailuo: 'Hailuo',
	'happyhorse-1-1': 'HappyHorse 1.1',
	happyhorse: 'HappyHorse',
	infinitalk: 'InfiniteTalk',
	'kling-2.6': 'Kling 2.6',
	'kling-3.0': 'Kling 3.0',
	kling: 'Kling',
	'omnihuman-1-5': 'OmniHuman 1.5',
	volcengine: 'Volcengine',
	elevenlabs: 'ElevenLabs',
};

/** Words that are not simply capitalised. */
const WORDS: Record<string, string> = {
	to: 'to',
	gpt: 'GPT',
	ai: 'AI',
	v1: 'V1',
	v2: 'V2',
	v3: 'V3',
	v4: 'V4',
	r2v: 'Reference to Video',
	a14b: 'A14B',
	videoedit: 'Video Edit',
	imagen4: 'Imagen 4',
	seedream: 'Seedream',
	seedance: 'Seedance',
	omnihuman: 'OmniHuman',
	elevenlabs: 'ElevenLabs',
	'z-image': 'Z-Image',
	sora: 'Sora',
	tts: 'TTS',
};

/** Trailing tasks that become the "— Task" part of a display name. */
const TASK = /(?:^|-)((?:text|image|video|speech|reference|audio)-to-(?:image|video|speech|dialogue)(?:-[a-z0-9]+)*|image-edit|edit|upscale|image-upscale|video-upscale|remove-background|crisp-upscale|reframe|remix|character(?:-edit|-remix)?|motion-control|extend|audio-isolation|sound-effect(?:-v2)?|speech-to-text|human-identification|subject-detection|from-audio|storyboard|characters|watermark-remover|animate-move|animate-replace|video-to-video-lip-sync|ai-avatar-(?:pro|standard)|video-edit|videoedit|r2v)$/;

function words(text: string): string {
	// "2-5" and "1-5" are versions (2.5); "2.6" stays.
	const joined = text.replace(/(^|-)(v?\d+)-(\d+)(?=-|$)/g, '$1$2.$3');
	if (WORDS[joined]) return WORDS[joined];
	return joined
		.split('-')
		.filter(Boolean)
		.map((word) => WORDS[word] ?? word.charAt(0).toUpperCase() + word.slice(1))
		.join(' ');
}

/** A readable name from a model id: `kling-2.6/text-to-video` → "Kling 2.6 · Text to Video". */
export function displayNameFor(id: string): string {
	const slash = id.indexOf('/');
	const head = slash === -1 ? '' : id.slice(0, slash);
	let rest = slash === -1 ? id : id.slice(slash + 1);
	let product = head ? (PRODUCTS[head] ?? words(head)) : '';
	let task = '';
	const match = TASK.exec(rest);
	if (match) {
		task = words(match[1]);
		rest = rest.slice(0, match.index);
	}
	const name = [product, words(rest)].filter(Boolean).join(' ');
	product = name || task;
	return task && name ? `${name} · ${task}` : product;
}

const DISPLAY_NAMES: Record<string, string> = {
	'z-image': 'Z-Image · Text to Image',
	'nano-banana-2': 'Nano Banana 2',
	'nano-banana-pro': 'Nano Banana Pro',
	'google/nano-banana': 'Nano Banana · Text to Image',
	'google/nano-banana-edit': 'Nano Banana · Edit',
	'omnihuman-1-5': 'OmniHuman 1.5 · Avatar Lip Sync',
	'gemini-omni-video': 'Gemini Omni Video',
	'grok-imagine-video-1-5-preview': 'Grok Imagine Video 1.5 (Preview)',
	'bytedance/seedance-2': 'Seedance 2',
	'bytedance/seedance-2-fast': 'Seedance 2 Fast',
	'bytedance/seedance-2-mini': 'Seedance 2 Mini',
	'bytedance/seedance-1.5-pro': 'Seedance 1.5 Pro',
	'bytedance/seedream': 'Seedream 3 · Text to Image',
	'bytedance/seedream-v4-edit': 'Seedream V4 · Edit',
	'bytedance/seedream-v4-text-to-image': 'Seedream V4 · Text to Image',
	'bytedance/v1-lite-image-to-video': 'Seedance V1 Lite · Image to Video',
	'bytedance/v1-lite-text-to-video': 'Seedance V1 Lite · Text to Video',
	'bytedance/v1-pro-fast-image-to-video': 'Seedance V1 Pro Fast · Image to Video',
	'bytedance/v1-pro-image-to-video': 'Seedance V1 Pro · Image to Video',
	'bytedance/v1-pro-text-to-video': 'Seedance V1 Pro · Text to Video',
	'sora-2-characters': 'Sora 2 · Characters',
	'sora-watermark-remover': 'Sora · Watermark Remover',
	'wan/2-2-a14b-speech-to-video-turbo': 'Wan 2.2 A14B Turbo · Speech to Video',
	'wan/2-2-a14b-image-to-video-turbo': 'Wan 2.2 A14B Turbo · Image to Video',
	'wan/2-2-a14b-text-to-video-turbo': 'Wan 2.2 A14B Turbo · Text to Video',
	'kling/v2-1-pro': 'Kling V2.1 Pro · Image to Video',
	'kling/v2-1-standard': 'Kling V2.1 Standard · Image to Video',
	'wan/2-7-image': 'Wan 2.7 Image',
	'wan/2-7-image-pro': 'Wan 2.7 Image Pro',
	'hailuo/02-image-to-video-pro': 'Hailuo 02 Pro · Image to Video',
	'hailuo/02-image-to-video-standard': 'Hailuo 02 Standard · Image to Video',
	'hailuo/02-text-to-video-pro': 'Hailuo 02 Pro · Text to Video',
	'hailuo/02-text-to-video-standard': 'Hailuo 02 Standard · Text to Video',
	'hailuo/2-3-image-to-video-pro': 'Hailuo 2.3 Pro · Image to Video',
	'hailuo/2-3-image-to-video-standard': 'Hailuo 2.3 Standard · Image to Video',
	'kling/v2-5-turbo-image-to-video-pro': 'Kling V2.5 Turbo Pro · Image to Video',
	'kling/v2-5-turbo-text-to-video-pro': 'Kling V2.5 Turbo Pro · Text to Video',
	'elevenlabs/text-to-speech-multilingual-v2': 'ElevenLabs · Text to Speech (Multilingual V2)',
	'elevenlabs/text-to-speech-turbo-2-5': 'ElevenLabs · Text to Speech (Turbo 2.5)',
	'elevenlabs/text-to-dialogue-v3': 'ElevenLabs · Text to Dialogue (V3)',
	'elevenlabs/sound-effect-v2': 'ElevenLabs · Sound Effect V2',
	// Added after the November catalogue (Catalogue II): KIE's own spelling of the brand names.
	'minimax-h3/text-to-video': 'MiniMax H3 · Text to Video',
	'minimax-h3/image-to-video': 'MiniMax H3 · Image to Video',
	'minimax-h3/reference-to-video': 'MiniMax H3 · Reference to Video',
	'bytedance/seedance-2-5': 'Seedance 2.5 · Video',
	'seedream/5-pro-layer-decomposition': 'Seedream 5 Pro · Layer Decomposition',
	'grok-imagine-image-2-0/segment-map': 'Grok Imagine Image 2.0 · Segment Map',
	'grok-imagine-image-2-0/segment-edit': 'Grok Imagine Image 2.0 · Segment Edit',
	'pixverse-v6/text-to-video': 'PixVerse V6 · Text to Video',
	'pixverse-v6/image-to-video': 'PixVerse V6 · Image to Video',
	'pixverse-v6/transition': 'PixVerse V6 · Transition',
	'pixverse-v6/extend': 'PixVerse V6 · Extend',
	'pixverse-v6/reference-to-video': 'PixVerse V6 · Reference to Video',
};

// ---- the adapter --------------------------------------------------------------------------------

function docsUrlFor(entry: CatalogueEntry): string | undefined {
	const source = (entry.source ?? []).find((url) => url.startsWith('https://docs.kie.ai/')) ?? entry.source?.[0];
	return source?.replace(/\.md$/, '');
}

/** One catalogue entry as a registry definition. */
function convertEntry(entry: CatalogueEntry): ModelDefinition {
	const override = OVERRIDES[entry.id] ?? {};
	const fields = entry.input.map((field) => {
		const converted = convertField(entry, field);
		return { ...converted, ...(override.fields?.[field.name] ?? {}) };
	});
	const imageField = override.imageField === null ? undefined : (override.imageField ?? pickImageField(fields));
	const model: ModelDefinition = {
		id: entry.id,
		displayName: DISPLAY_NAMES[entry.id] ?? displayNameFor(entry.id),
		family: entry.family,
		provider: FAMILY_PROVIDERS[entry.family] ?? entry.family,
		kind: entry.kind as ModelKind,
		media: entry.media,
		api: 'market',
		fields,
	};
	if (imageField) model.imageField = imageField;
	if (entry.requireOneOf?.length) model.requireOneOf = entry.requireOneOf;
	const docsUrl = docsUrlFor(entry);
	if (docsUrl) model.docsUrl = docsUrl;
	return model;
}

/** Every Market model of the catalogue, in catalogue order. */
export const MARKET_MODELS: ModelDefinition[] = CATALOGUE.map(convertEntry);
