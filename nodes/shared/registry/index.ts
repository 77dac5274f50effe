import { FLUX_KONTEXT_MODELS } from './models/fluxKontext';
import { FOUR_O_IMAGE_MODELS } from './models/fourOImage';
import { GPT_IMAGE_MODELS } from './models/gptImage';
import { LUMA_MODELS } from './models/luma';
import { MARKET_MODELS } from './models/market';
import { RUNWAY_MODELS } from './models/runway';
import { SUNO_MODELS } from './models/suno';
import { VEO_MODELS } from './models/veo';
import { AVAILABILITY } from './availability';
import type { ModelDefinition, ModelField } from './types';

export type * from './types';

/** The model a new KIE Create Task node starts with. */
export const DEFAULT_MODEL_ID = 'gpt-image/1.5-text-to-image';

/** Hand-written definitions (the seeds) win over the catalogue's entries with the same id. */
const HAND_WRITTEN = new Set(GPT_IMAGE_MODELS.map((model) => model.id));

/** Every registered model. The node's parameters, validation and request bodies all come from here. */
export const MODELS: readonly ModelDefinition[] = [
	...GPT_IMAGE_MODELS,
	...MARKET_MODELS.filter((model) => !HAND_WRITTEN.has(model.id)),
	...FOUR_O_IMAGE_MODELS,
	...FLUX_KONTEXT_MODELS,
	...VEO_MODELS,
	...RUNWAY_MODELS,
	...LUMA_MODELS,
	...SUNO_MODELS,
].map((model) => (AVAILABILITY[model.id] ? { ...model, availability: AVAILABILITY[model.id] } : model));

const BY_ID = new Map(MODELS.map((model) => [model.id, model]));

export function getModel(id: string): ModelDefinition | undefined {
	return BY_ID.get(id);
}

/** The parameter name that always receives input image URLs, whatever the model calls the field. */
const INPUT_URLS_PARAM = 'inputUrls';

function camelCase(name: string): string {
	return name.replace(/[_-]+([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

export function paramName(model: ModelDefinition, field: ModelField): string {
	if (field.param) return field.param;
	if (model.imageField === field.name) return INPUT_URLS_PARAM;
	return camelCase(field.name);
}

/** Labels are computed for every field when the node loads, several times: once is enough. */
const labels = new WeakMap<ModelDefinition, Map<ModelField, string>>();

/** A Map, not an object: a key from outside (a live field named `constructor`) must not find Object.prototype's members. */
const ACRONYMS = new Map([
	['url', 'URL'],
	['urls', 'URLs'],
	['id', 'ID'],
	['ids', 'IDs'],
	['json', 'JSON'],
]);

/** A key as a label: `aspectRatio` or `aspect_ratio` → "Aspect Ratio", `image_urls` → "Image URLs". */
export function labelOf(key: string): string {
	return key
		.replace(/([a-z0-9])([A-Z])/g, '$1 $2')
		.split(/[\s_-]+/)
		.filter(Boolean)
		.map((word) => ACRONYMS.get(word.toLowerCase()) ?? word.charAt(0).toUpperCase() + word.slice(1))
		.join(' ');
}

export function fieldDisplayName(model: ModelDefinition, field: ModelField): string {
	if (field.label) return field.label;
	let byField = labels.get(model);
	if (!byField) labels.set(model, (byField = new Map()));
	let label = byField.get(field);
	if (label === undefined) {
		label = labelOf(paramName(model, field));
		byField.set(field, label);
	}
	return label;
}

/**
 * Free-text search over id, name, family, provider and kind, for the model picker. Models that contain
 * the whole phrase win; otherwise every word must match somewhere.
 */
export function searchModels(filter?: string): ModelDefinition[] {
	const phrase = (filter ?? '').toLowerCase().trim();
	if (!phrase) return [...MODELS];
	// The kind also in words ("text to video"), as the picker shows it.
	const text = (model: ModelDefinition) =>
		`${model.id} ${model.displayName} ${model.family} ${model.provider} ${model.kind} ${model.kind.replace(/-/g, ' ')} ${model.media}`.toLowerCase();
	const byPhrase = MODELS.filter((model) => text(model).includes(phrase));
	if (byPhrase.length) return byPhrase;
	const terms = phrase.split(/\s+/);
	return MODELS.filter((model) => terms.every((term) => text(model).includes(term)));
}
