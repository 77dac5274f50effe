import type { INodeProperties } from 'n8n-workflow';

import { fieldDisplayName, MODELS } from './index';
import { effectiveDefault, isAdditionalField, MODEL_PARAM } from './properties';
import type { ApiStyleName, ModelDefinition, ModelField, ModelMedia } from './types';

/**
 * What an AI agent is told about KIE Create Task used as its tool. n8n builds the tool's description
 * from a `toolDescription` parameter (it adds a generic one only when the node has none), so the node
 * brings its own, one per model, shown only in the tool variant (`@tool`). Its default names the model,
 * the inputs with their allowed values, what comes back and how long the call takes. The editor swaps
 * it for the new model's text on a model switch, unless the user wrote their own.
 */

const TYPICAL_TIME: Record<ModelMedia, string> = {
	image: '10 s to 2 min',
	video: '1 to 10 min',
	audio: '30 s to 5 min',
};

const MEDIA_NOUN: Record<ModelMedia, string> = { image: 'images', video: 'videos', audio: 'audio' };

/** At most this many inputs are described; required ones and lists of allowed values come first. */
const MAX_INPUTS = 6;
const MAX_VALUES = 16;
/** …and at most this many characters of them (a list of 16 voice ids tells an agent little). */
const MAX_VALUES_CHARS = 120;

function describeInput(model: ModelDefinition, field: ModelField): string {
	const label = fieldDisplayName(model, field).toLowerCase();
	if (field.enum) {
		const values: string[] = [];
		for (const value of field.enum.slice(0, MAX_VALUES).map(String)) {
			if (values.length > 0 && values.join('|').length + value.length + 1 > MAX_VALUES_CHARS) break;
			values.push(value);
		}
		const fallback = effectiveDefault(field);
		return `${label}: ${values.join('|')}${field.enum.length > values.length ? '|…' : ''}${fallback !== undefined ? ` (default ${String(fallback)})` : ''}`;
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

/**
 * The APIs whose call is answered at once, with no task to wait for (the families mark them `synchronous`;
 * a unit test keeps the two in step: the registry cannot read the families).
 */
export const ANSWERED_AT_ONCE: ReadonlySet<ApiStyleName> = new Set<ApiStyleName>(['suno-sync']);

/** What a call of the model returns: the same JSON for every model, with its own result fields. */
function returns(model: ModelDefinition): string {
	const extra = (model.outputFields ?? []).map((name) => `, ${name}`).join('');
	return `returns JSON {taskId, state: success|failed, resultUrls${extra}, error, creditsConsumed}.`;
}

/** The tool description of one model. */
export function toolDescriptionFor(model: ModelDefinition): string {
	const inputs = toolInputs(model).map((field) => describeInput(model, field));
	const wait = ANSWERED_AT_ONCE.has(model.api) ? 'Answers at once' : `Waits ${TYPICAL_TIME[model.media]}`;
	return [
		`Creates ${MEDIA_NOUN[model.media]} with ${model.displayName}.`,
		inputs.length ? `Inputs: ${inputs.join('; ')}.` : '',
		`${wait}; ${returns(model)}`,
		PAID_CALL,
	]
		.filter(Boolean)
		.join(' ');
}

/** Said by every tool description: a call is paid (what it cost comes back as creditsConsumed). */
const PAID_CALL = 'Each call is paid: do not repeat one that succeeded.';

const GENERIC_TOOL_DESCRIPTION = `Creates images, videos or audio with a KIE.AI model. Waits for the result (seconds for an image, minutes for a video); returns JSON {taskId, state: success|failed, resultUrls, error, creditsConsumed}. ${PAID_CALL}`;

/** The `toolDescription` parameters of Create Task: one per model, and one for a model given by id. */
export function toolDescriptionProperties(models: readonly ModelDefinition[] = MODELS): INodeProperties[] {
	// One copy per model: kept small (no description of its own, no typeOptions; the tool notice explains it).
	const base = { displayName: 'Description', name: 'toolDescription', type: 'string' as const };
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
