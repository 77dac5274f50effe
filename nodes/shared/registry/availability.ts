import type { ModelAvailability, ModelKind, ModelMedia } from './types';

/**
 * Models KIE has paused or retired. They stay in the registry (saved workflows keep opening and keep their
 * values), marked in the picker and in docs/models.md; a create KIE refuses for it becomes an error that
 * names the model and its successor where KIE names one. Each entry says where the fact comes from.
 */

/**
 * KIE's Sora 2 models answer "This interface is temporarily paused" since June 2026 (first recorded
 * 2026-06-11 by the kie-mcp client, which dropped its Sora tools on 2026-08-31); OpenAI shut the Sora API
 * down on 2026-09-24. No successor is named. Sources: github.com/elibarnett/kie-mcp CHANGELOG (4.8.x).
 */
const SORA_PAUSED: ModelAvailability = {
	state: 'paused',
	since: '2026-06',
	note: 'KIE paused its Sora 2 models (they answer "This interface is temporarily paused"); OpenAI shut the Sora API down in September 2026.',
	alternatives: ['veo3.1', 'kling-2.6/text-to-video'],
};

export const AVAILABILITY: Readonly<Record<string, ModelAvailability>> = {
	'sora-2-text-to-video': SORA_PAUSED,
	'sora-2-image-to-video': SORA_PAUSED,
	'sora-2-pro-text-to-video': SORA_PAUSED,
	'sora-2-pro-image-to-video': SORA_PAUSED,
	'sora-2-pro-storyboard': SORA_PAUSED,
	'sora-2-characters': SORA_PAUSED,
	'sora-watermark-remover': SORA_PAUSED,
};

/** A model KIE offers that is not built in: it works as a live model ("Model" → By ID, then "Model Input"). */
export interface LiveOnlyModel {
	/** KIE's model id, as typed in "Model" → By ID. */
	id: string;
	displayName: string;
	family: string;
	kind: ModelKind;
	media: ModelMedia;
	/** KIE's docs page of the model. */
	docsUrl: string;
	/** Where the model and its id are recorded, and why it is not built in. */
	source: string;
}

/** A third-party MCP server for KIE whose registry and changelog name the slugs (its 4.7.0 to 5.3.0, 2026-07 to 2026-09). */
const KIE_MCP_REGISTRY = 'github.com/elibarnett/kie-mcp data/registry-video.mjs';
const KIE_MCP_CHANGELOG = 'github.com/elibarnett/kie-mcp CHANGELOG.md';
/** A third-party SDK's schemas, which cite KIE's docs page of each model. */
const APICITY = 'github.com/justintanner/apicity packages/provider/kie/src/model-schemas.ts';

const KLING_OMNI = `${APICITY}; ${KIE_MCP_REGISTRY} (ids \`kling-3.0-omni/*\`, CHANGELOG 4.9.0). Live because the allowed values of some fields are not confirmed (the resolutions; for some variants the aspect ratios or durations): the two sources differ.`;
const WAN_3 = `${APICITY}; ${KIE_MCP_REGISTRY}. Live because the two sources disagree on the duration range and the default resolution and audio, and the accepted files are not documented.`;
const GEMINI_TTS = 'Live because kie-mcp describes a second input shape (text + voice_name) that the schema source does not.';

/**
 * KIE models known to work only as live models today (docs/research/catalogue-2026-12.md, 2026-12-07): KIE
 * lists them, but their input is not documented well enough to build them in (a field's allowed values are
 * missing, or two sources disagree), so their fields come from KIE's live schema when they are used
 * ("Model" → By ID, then "Model Input"). docs/models.md lists them from here, with their source; KIE Account's
 * Get Model Schema takes their name and media from here.
 */
export const LIVE_ONLY: readonly LiveOnlyModel[] = [
	{ id: 'kling-3.0-omni/text-to-video', displayName: 'Kling 3.0 Omni · Text to Video', family: 'Kling', kind: 'text-to-video', media: 'video', docsUrl: 'https://docs.kie.ai/market/kling/v3-omni-text-to-video.md', source: KLING_OMNI },
	{ id: 'kling-3.0-omni/image-to-video', displayName: 'Kling 3.0 Omni · Image to Video', family: 'Kling', kind: 'image-to-video', media: 'video', docsUrl: 'https://docs.kie.ai/market/kling/v3-omni-image-to-video.md', source: KLING_OMNI },
	{
		id: 'kling-3.0-omni/reference-to-video',
		displayName: 'Kling 3.0 Omni · Reference to Video',
		family: 'Kling',
		kind: 'reference-to-video',
		media: 'video',
		docsUrl: 'https://docs.kie.ai/market/kling/v3-omni-reference-to-video.md',
		source: `${KLING_OMNI} Its limits on images and videos together are checked by KIE only.`,
	},
	{ id: 'kling-3.0-omni/transformation', displayName: 'Kling 3.0 Omni · Transformation', family: 'Kling', kind: 'video-to-video', media: 'video', docsUrl: 'https://docs.kie.ai/market/kling/v3-omni-transformation.md', source: KLING_OMNI },
	{ id: 'wan/3-0-video', displayName: 'Wan 3.0 · Video', family: 'Wan', kind: 'text-to-video', media: 'video', docsUrl: 'https://docs.kie.ai/market/wan/3-0-video.md', source: WAN_3 },
	{ id: 'wan/3-0-video-prime', displayName: 'Wan 3.0 Prime · Video', family: 'Wan', kind: 'text-to-video', media: 'video', docsUrl: 'https://docs.kie.ai/market/wan/3-0-video-prime.md', source: WAN_3 },
	{
		id: 'grok-imagine-image-2-0/image-edit',
		displayName: 'Grok Imagine Image 2.0 · Image Edit',
		family: 'Grok Imagine',
		kind: 'image-edit',
		media: 'image',
		docsUrl: 'https://docs.kie.ai/market/grok-imagine-image-2-0/image-to-image.md',
		source: `${KIE_MCP_CHANGELOG} 5.3.0; a table generated from KIE's docs on 2026-10-07 (required: aspect_ratio, image_urls). Live because the sources disagree on its input: KIE moved region edits to grok-imagine-image-2-0/segment-edit (kie-mcp 5.3.0) and this id now takes whole images only; its aspect ratios are not confirmed.`,
	},
	{ id: 'google/gemini-3-1-flash-tts', displayName: 'Gemini 3.1 Flash TTS', family: 'Google', kind: 'text-to-speech', media: 'audio', docsUrl: 'https://docs.kie.ai/market/google/gemini-3-1-flash-tts.md', source: `${APICITY}; ${KIE_MCP_CHANGELOG} 4.7.0. ${GEMINI_TTS}` },
	{ id: 'google/gemini-2-5-pro-tts', displayName: 'Gemini 2.5 Pro TTS', family: 'Google', kind: 'text-to-speech', media: 'audio', docsUrl: 'https://docs.kie.ai/google/gemini-2-5-pro-tts.md', source: `${APICITY}; ${KIE_MCP_CHANGELOG} 4.7.0. ${GEMINI_TTS}` },
	{
		id: 'google/gemini-3-8-flash-tts',
		displayName: 'Gemini 3.8 Flash TTS',
		family: 'Google',
		kind: 'text-to-speech',
		media: 'audio',
		docsUrl: 'https://docs.kie.ai/market/google/gemini-3-8-flash-tts.md',
		source: `${KIE_MCP_CHANGELOG} 5.3.0. ${GEMINI_TTS} Its fields are assumed to be those of Gemini 3.1 Flash TTS, not checked against a schema.`,
	},
	{
		id: 'google/gemini-3-8-flash-lite-tts',
		displayName: 'Gemini 3.8 Flash Lite TTS',
		family: 'Google',
		kind: 'text-to-speech',
		media: 'audio',
		docsUrl: 'https://docs.kie.ai/market/google/gemini-3-8-flash-lite-tts.md',
		source: `${KIE_MCP_CHANGELOG} 5.3.0. ${GEMINI_TTS} Its fields are assumed to be those of Gemini 3.1 Flash TTS, not checked against a schema.`,
	},
];
