import type { ModelAvailability } from './types';

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
