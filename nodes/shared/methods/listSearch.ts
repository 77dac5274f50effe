import type { ILoadOptionsFunctions, INodeListSearchItems, INodeListSearchResult } from 'n8n-workflow';

import { cachedLiveModels, type LiveModel } from '../api/catalogue';
import { getModel, searchModels } from '../registry';
import { type ModelDefinition } from '../registry/types';

/** Marks list entries that come from KIE's live catalogue and are not built in. */
const LIVE_MODEL_MARK = '(live)';

/** The kinds in the order the picker groups them; other kinds follow, alphabetically. */
const KIND_ORDER = [
	'text-to-image',
	'image-to-image',
	'image-edit',
	'text-to-video',
	'image-to-video',
	'video-to-video',
	'audio',
	'other',
] as const;

const KIND_LABELS: Record<string, string> = {
	'text-to-image': 'Text to Image',
	'image-to-image': 'Image to Image',
	'image-edit': 'Image Edit',
	'text-to-video': 'Text to Video',
	'image-to-video': 'Image to Video',
	'video-to-video': 'Video to Video',
	audio: 'Audio',
	other: 'Other',
};

const AUDIO_WORDS = /\b(audio|speech|voice|music|sound|song|lyrics|tts)\b/;

/** A kind id from any spelling: `image-edit`, KIE's task type "Image Edit", "Text to Speech" (audio)… */
export function normalizeKind(value: string | undefined): string {
	const text = (value ?? '').toLowerCase().trim();
	if (!text) return 'other';
	if (AUDIO_WORDS.test(text.replace(/[-_]+/g, ' '))) return 'audio';
	const id = text.replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
	if (id === 'image-editing' || id === 'edit') return 'image-edit';
	return id || 'other';
}

export function kindLabel(kind: string): string {
	return (
		KIND_LABELS[kind] ??
		kind
			.split('-')
			.map((word, index) => (index > 0 && ['to', 'and', 'of'].includes(word) ? word : word.charAt(0).toUpperCase() + word.slice(1)))
			.join(' ')
	);
}

function kindRank(kind: string): number {
	const index = (KIND_ORDER as readonly string[]).indexOf(kind);
	return index === -1 ? KIND_ORDER.length : index;
}

/** The kind a live model is grouped under: its first task type we can name. */
function liveKind(model: LiveModel): string {
	const kinds = model.taskType.map(normalizeKind);
	return kinds.find((kind) => kindRank(kind) < KIND_ORDER.length) ?? kinds[0] ?? 'other';
}

/**
 * A list entry's name: the model's name, then its kind as a compact tag when the name does not say it
 * ("Nano Banana 2 · Image Edit"). The list is sorted by kind, so each kind forms a block.
 */
function entryName(name: string, kind: string): string {
	const label = kindLabel(kind);
	return name.includes(' · ') || name.toLowerCase().includes(label.toLowerCase()) ? name : `${name} · ${label}`;
}

/**
 * How the picker names a built-in model (also the name a new node shows before anything is picked, and the
 * canvas subtitle): a model KIE paused or retired says so ("Sora 2 · Text to Video (paused by KIE)").
 */
export function modelListName(model: ModelDefinition): string {
	const name = entryName(model.displayName, normalizeKind(model.kind));
	return model.availability ? `${name} (${model.availability.state} by KIE)` : name;
}

function liveText(model: LiveModel, kind: string): string {
	return `${model.model} ${model.slug} ${model.title} ${model.provider} ${model.taskType.join(' ')} ${kind} ${kindLabel(kind)}`.toLowerCase();
}

/** The same rule as the registry search: the whole phrase, else every word somewhere. */
function filterLive(models: LiveModel[], filter: string | undefined): LiveModel[] {
	const phrase = (filter ?? '').toLowerCase().trim();
	if (!phrase) return models;
	const texts = new Map(models.map((model) => [model, liveText(model, liveKind(model))]));
	const byPhrase = models.filter((model) => texts.get(model)!.includes(phrase));
	if (byPhrase.length) return byPhrase;
	const terms = phrase.split(/\s+/);
	return models.filter((model) => terms.every((term) => texts.get(model)!.includes(term)));
}

interface Entry {
	kind: string;
	item: INodeListSearchItems;
}

function builtInEntry(model: ModelDefinition, live?: LiveModel): Entry {
	const kind = normalizeKind(model.kind);
	return {
		kind,
		item: {
			name: modelListName(model),
			value: model.id,
			url: model.docsUrl,
			...(live?.pricingDesc ? { description: live.pricingDesc } : {}),
		},
	};
}

function liveEntry(model: LiveModel): Entry {
	const kind = liveKind(model);
	const price = model.pricingDesc ? ` ${model.pricingDesc}.` : '';
	return {
		kind,
		item: {
			name: `${entryName(model.title, kind)} ${LIVE_MODEL_MARK}`,
			value: model.model,
			description:
				`Listed by KIE but not built into this node: its input fields ("Model Input") come from KIE's live ` +
				`schema of the model.${price}`,
		},
	};
}

/**
 * Merges the built-in models with KIE's live list (`undefined` = not available): built-in models
 * first within each kind, models only KIE knows marked "(live)". Sorted by kind, then name.
 */
export function mergeModelList(filter: string | undefined, live: LiveModel[] | undefined): INodeListSearchItems[] {
	const liveById = new Map((live ?? []).map((model) => [model.model, model]));
	const entries: Array<Entry & { builtIn: boolean }> = searchModels(filter).map((model) => ({
		...builtInEntry(model, liveById.get(model.id)),
		builtIn: true,
	}));
	for (const model of filterLive(live ?? [], filter)) {
		if (getModel(model.model)) continue;
		entries.push({ ...liveEntry(model), builtIn: false });
	}
	entries.sort(
		(a, b) =>
			kindRank(a.kind) - kindRank(b.kind) ||
			kindLabel(a.kind).localeCompare(kindLabel(b.kind)) ||
			Number(b.builtIn) - Number(a.builtIn) ||
			a.item.name.localeCompare(b.item.name),
	);
	return entries.map((entry) => entry.item);
}

/**
 * The model picker: the built-in models plus, when the credential can read KIE's catalogue, the
 * models KIE lists that this node does not know. The catalogue is fetched once (unfiltered) and
 * cached for 10 minutes (see cachedLiveModels), then filtered here, so typing sends no requests.
 * Searchable by id, name, family, provider and kind.
 */
export async function searchModelList(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
	const live = await cachedLiveModels.call(this, '');
	return { results: mergeModelList(filter, live) };
}
