import type { INodeProperties } from 'n8n-workflow';

import { fieldDisplayName, MODELS } from './index';
import { effectiveDefault, isAdditionalField, MODEL_PARAM } from './properties';
import type { ModelDefinition, ModelField, ModelMedia } from './types';

/**
 * What an AI agent is told about KIE Create Task used as its tool. n8n builds the tool's description
 * from a `toolDescription` parameter (it adds a generic one only when the node has none), so the node
 * brings its own, one per model, shown only in the tool variant (`@tool`). Its default names the model,
 * the inputs with their allowed values, what comes back and how long the call takes. The editor swaps
 * it for the new model's text on a model switch, unless the user wrote their own.
 */

const TYPICAL_TIME: Record<ModelMedia, string> = {
	image: 'usually 10 s to 2 min',
	video: 'usually 1 to 10 min',
	audio: 'usually 30 s to 5 min',
};

const MEDIA_NOUN: Record<ModelMedia, string> = { image: 'images', video: 'videos', audio: 'audio' };

/** At most this many inputs are described; required ones and lists of allowed values come first. */
const MAX_INPUTS = 6;
const MAX_VALUES = 16;

function describeInput(model: ModelDefinition, field: ModelField): string {
	const label = fieldDisplayName(model, field).toLowerCase();
	if (field.enum) {
		const values = field.enum.slice(0, MAX_VALUES).map(String).join('|');
		const fallback = effectiveDefault(field);
		return `${label}: ${values}${field.enum.length > MAX_VALUES ? '|…' : ''}${fallback !== undefined ? ` (default ${String(fallback)})` : ''}`;
	}
	if (field.required && field.name !== model.imageField) return `${label} (required)`;
	if (field.format === 'uri') return `${label} (public URL${field.type === 'array' ? 's' : ''})`;
	if (field.type === 'boolean') return `${label}: true|false`;
	return label;
}

/** The inputs worth telling an agent about: required ones and settings with allowed values first. */
function toolInputs(model: ModelDefinition): ModelField[] {
	const fields = model.fields.filter(
		(field) => !isAdditionalField(field) && field.type !== 'object' && !(field.type === 'array' && field.itemsType === 'object'),
	);
	const rank = (field: ModelField) => (field.required ? 0 : field.enum ? 1 : field.name === model.imageField ? 2 : 3);
	return [...fields].sort((a, b) => rank(a) - rank(b)).slice(0, MAX_INPUTS);
}

/** The tool description of one model. */
export function toolDescriptionFor(model: ModelDefinition): string {
	const inputs = toolInputs(model).map((field) => describeInput(model, field));
	return [
		`Creates ${MEDIA_NOUN[model.media]} with the KIE.AI model ${model.displayName} (${model.id}).`,
		inputs.length ? `Inputs: ${inputs.join('; ')}.` : '',
		`Waits until the result is ready (${TYPICAL_TIME[model.media]}), then returns JSON {taskId, state: success|failed, resultUrls, error}.`,
		PAID_CALL,
	]
		.filter(Boolean)
		.join(' ');
}

/** Said by every tool description: a call is paid, and what it cost comes back. */
const PAID_CALL = 'Each call is a paid task: creditsConsumed says what it cost; do not repeat a call that succeeded.';

const GENERIC_TOOL_DESCRIPTION = `Creates images, videos or audio with a KIE.AI model. Waits until the result is ready (seconds for an image, minutes for a video), then returns JSON {taskId, state: success|failed, resultUrls, error}. ${PAID_CALL}`;

/** The `toolDescription` parameters of Create Task: one per model, and one for a model given by id. */
export function toolDescriptionProperties(models: readonly ModelDefinition[] = MODELS): INodeProperties[] {
	// One copy per model: kept small (no description of its own; the tool notice explains it).
	const base = { displayName: 'Description', name: 'toolDescription', type: 'string' as const, typeOptions: { rows: 4 } };
	return [
		...models.map((model) => ({
			...base,
			default: toolDescriptionFor(model),
			displayOptions: { show: { '@tool': [true], [MODEL_PARAM]: [model.id] } },
		})),
		{
			...base,
			default: GENERIC_TOOL_DESCRIPTION,
			displayOptions: { show: { '@tool': [true] }, hide: { [MODEL_PARAM]: models.map((model) => model.id) } },
		},
	];
}
