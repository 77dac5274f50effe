import type { INodeProperties, IWebhookDescription } from 'n8n-workflow';

import { DEFAULT_MODEL_ID, getModel, MODELS } from '../shared/registry';
import { MODEL_INPUT_PARAM } from '../shared/registry/mapper';
import { downloadOptions, includeRawOption, pollIntervalOption, pollTimeoutOption } from '../shared/methods/options';
import { MASK_FIELDS } from './actions/binaryInputs';
import { modelListName } from '../shared/methods/listSearch';
import { buildModelProperties, MODEL_PARAM } from '../shared/registry/properties';
import { getFamily } from '../shared/families';
import { toolDescriptionProperties } from '../shared/registry/tool';

/**
 * The canvas subtitle: the model's name as the picker shows it, then the completion mode in words
 * ("Wait for Callback"); nothing for Poll, the default, and for the AI tool, which always polls. n8n gives
 * the expression the Model's id (not the name the picker stored), so the names of the built-in models go
 * with it, as n8n's own OpenAI node passes a function; a live model or an id typed "By ID" shows its id.
 */
function subtitleOf(id: unknown, completion: unknown, names: Record<string, string>): string {
	const value = id !== null && typeof id === 'object' ? (id as { value?: unknown }).value : id;
	const text = String(value ?? '');
	// Plain syntax only: n8n's expression sandbox runs it.
	const name = {}.hasOwnProperty.call(names, text) ? names[text] : text;
	const mode = completion === 'callback' ? ' (Wait for Callback)' : completion === 'submit' ? ' (Submit Only)' : '';
	return name + mode;
}

export const SUBTITLE = `={{(${subtitleOf.toString()})($parameter["model"], $parameter["completion"], ${JSON.stringify(
	Object.fromEntries(MODELS.map((model) => [model.id, modelListName(model)])),
)})}}`;

export const modelProperty: INodeProperties = {
	displayName: 'Model',
	name: MODEL_PARAM,
	type: 'resourceLocator',
	// With its name, so a new node shows the model's name, not its id.
	default: { mode: 'list', value: DEFAULT_MODEL_ID, cachedResultName: modelListName(getModel(DEFAULT_MODEL_ID)!) },
	required: true,
	description:
		'The KIE model to run. Its parameters appear below. Settings several models share (aspect ratio, quality, resolution, duration…) keep their value when you switch models; a value the new model does not accept is marked.',
	modes: [
		{
			displayName: 'From List',
			name: 'list',
			type: 'list',
			typeOptions: { searchListMethod: 'searchModelList', searchable: true },
		},
		{
			displayName: 'By ID',
			name: 'id',
			type: 'string',
			placeholder: 'e.g. gpt-image/1.5-text-to-image',
			hint: 'Any KIE model id. For a model this node does not know, "Model Input" below lists the fields of KIE\'s live schema of it.',
		},
	],
};

/**
 * A model that is not built in: its input fields come from KIE's live schema of the model (read when the
 * model is picked, cached an hour), validated the same way before anything is sent.
 */
const modelInputProperty: INodeProperties = {
	displayName: 'Model Input',
	name: MODEL_INPUT_PARAM,
	type: 'resourceMapper',
	noDataExpression: true,
	default: { mappingMode: 'defineBelow', value: null },
	description: 'The input fields of a model this node does not know, from KIE\'s live schema of the model',
	typeOptions: {
		loadOptionsDependsOn: [`${MODEL_PARAM}.value`],
		resourceMapper: {
			resourceMapperMethod: 'getModelInputFields',
			mode: 'add',
			valuesLabel: 'Model Input',
			fieldWords: { singular: 'field', plural: 'fields' },
			addAllFields: true,
			multiKeyMatch: false,
			supportAutoMap: false,
			hideNoDataError: true,
		},
	},
	// Shown for any model id that is not built in (and hidden while Model is empty).
	displayOptions: { hide: { model: ['', ...MODELS.map((model) => model.id)] } },
};

const completionProperty: INodeProperties = {
	displayName: 'Completion',
	name: 'completion',
	type: 'options',
	default: 'poll',
	// As an AI tool the node always waits for the result (see toolNoticeProperty).
	displayOptions: { hide: { '@tool': [true] } },
	options: [
		{
			name: 'Wait Until Done (Poll)',
			value: 'poll',
			description: 'Poll KIE until the task ends, then output the result',
		},
		{
			name: 'Wait for Callback',
			value: 'callback',
			description:
				'Pause the execution and resume it when KIE calls back with the result (no polling while waiting). Needs an n8n reachable by KIE (WEBHOOK_URL).',
		},
		{
			name: 'Submit Only',
			value: 'submit',
			description: 'Return the task ID at once; read the result later with KIE Get Task or a callback',
		},
	],
};

const callbackNoticeProperty: INodeProperties = {
	displayName:
		'The execution pauses until KIE has called back for every task, then goes on once with all the results. KIE must reach this n8n at its public address (n8n\'s WEBHOOK_URL); on a local n8n the node polls instead and says so. If a callback never comes, the next callback of the batch completes it, or the example "KIE: recover stalled callback batches" asks KIE for the results. With Options → Limit Wait Time, tasks not finished by then come out as state "waiting" with their task IDs.',
	name: 'callbackNotice',
	type: 'notice',
	default: '',
	displayOptions: { show: { completion: ['callback'] }, hide: { '@tool': [true] } },
};

/** The built-in models whose KIE API rejects a create without a callback URL (Suno, Runway). */
export const CALLBACK_REQUIRED_MODEL_IDS = MODELS.filter((model) => getFamily(model.api).requiresCallBackUrl === true).map((model) => model.id);

/**
 * Why n8n's log shows "unknown webhook … kie-ai-callback-unused": KIE calls back even when the node polls,
 * and this model's API requires a callback URL (see UNUSED_CALLBACK_PATH).
 */
const unusedCallbackNoticeProperty: INodeProperties = {
	displayName:
		'KIE requires a callback URL for this model, even when the node polls. Without Options → Callback URL, the node gives KIE this n8n\'s address /webhook/kie-ai-callback-unused, which nothing listens on: n8n answers it 404 and its log shows "Received request for unknown webhook … kie-ai-callback-unused". That is expected and harmless: the result is read by polling, and the callback reaches no one else.',
	name: 'unusedCallbackNotice',
	type: 'notice',
	default: '',
	displayOptions: { show: { completion: ['poll', 'submit'], [MODEL_PARAM]: CALLBACK_REQUIRED_MODEL_IDS } },
};

const toolNoticeProperty: INodeProperties = {
	displayName:
		'As a tool, the node submits the task and waits until the media is ready (it polls KIE), then gives the agent a short JSON result: taskId, state, resultUrls and, on failure, error. Description is what the agent is told: a summary of the chosen model (its inputs, allowed values, result and duration) that you may edit. Let the agent fill an input with "Let the model define this parameter".',
	name: 'toolNotice',
	type: 'notice',
	default: '',
	displayOptions: { show: { '@tool': [true] } },
};

/** Options that apply only with some completion modes (inside the Options collection, "/" is the node's). */
const onlyWhen = (completion: string[]): INodeProperties['displayOptions'] => ({ show: { '/completion': completion } });

/** A download option that applies only where a result comes back (not with "Submit Only"). */
function withResults(option: INodeProperties): INodeProperties {
	return { ...option, displayOptions: { ...(option.displayOptions ?? {}), hide: { '/completion': ['submit'] } } };
}

/** The built-in models with a mask input (4o Image, Ideogram edits…), for "Mask From Binary". */
export const MASK_MODEL_IDS = MODELS.filter((model) => model.fields.some((field) => MASK_FIELDS.includes(field.name))).map((model) => model.id);

/**
 * Hidden for the built-in models that cannot use an option, so still shown for a live model or a model
 * given by an expression (the run checks those, before anything is uploaded or paid for).
 */
const hiddenForBuiltInWithout = (has: (model: (typeof MODELS)[number]) => boolean): INodeProperties['displayOptions'] => ({
	hide: { '/model': MODELS.filter((model) => !has(model)).map((model) => model.id) },
});

export const optionsProperty: INodeProperties = {
	displayName: 'Options',
	name: 'options',
	type: 'collection',
	placeholder: 'Add Option',
	default: {},
	options: [
		{
			displayName: 'Additional Input (JSON)',
			name: 'additionalInput',
			type: 'json',
			default: '{}',
			description:
				'Extra fields merged into the model\'s input, for fields this node does not list or models it does not know (when KIE has no schema of them). They are validated where the model or its schema is known.',
		},
		{
			displayName: 'Batching',
			name: 'batching',
			type: 'collection',
			placeholder: 'Add Limit',
			default: {},
			description:
				'The limits of the KIE account that requests are paced under. Defaults are KIE\'s documented limits; change them only if KIE raised yours. Every execution in this n8n process that uses the same account and setting shares one pacer; processes (queue-mode workers) adapt to each other through KIE\'s 429 answers. Concurrent Tasks applies to this execution.',
			options: [
				{
					displayName: 'Concurrent Tasks',
					name: 'concurrentTasks',
					type: 'number',
					default: 100,
					typeOptions: { minValue: 1 },
					description: 'With "Wait Until Done": how many submitted tasks are waited on at once; the next item is submitted when one ends',
				},
				{
					displayName: 'Creates per Window',
					name: 'createsPerWindow',
					type: 'number',
					default: 20,
					typeOptions: { minValue: 1 },
					description: 'New tasks sent per window (KIE: 20 per 10 seconds)',
				},
				{
					displayName: 'Polls per Second',
					name: 'pollsPerSecond',
					type: 'number',
					default: 10,
					typeOptions: { minValue: 0.1, numberPrecision: 2 },
					description: 'Status checks per second across all tasks of the execution (KIE: about 10)',
				},
				{
					displayName: 'Window (Seconds)',
					name: 'windowSeconds',
					type: 'number',
					default: 10,
					typeOptions: { minValue: 0.01, numberPrecision: 2 },
					description: 'The length of the window of Creates per Window',
				},
			],
		},
		{
			displayName: 'Callback Context',
			name: 'callbackContext',
			type: 'fixedCollection',
			typeOptions: { multipleValues: true },
			default: {},
			placeholder: 'Add Context Value',
			displayOptions: { hide: { '/completion': ['callback'] } },
			description:
				'Key/value pairs added to the Callback URL as query parameters. The KIE Trigger outputs them as `context`, so a row ID or other correlation data comes back with the result.',
			options: [
				{
					displayName: 'Value',
					name: 'values',
					values: [
						{ displayName: 'Key', name: 'key', type: 'string', default: '', placeholder: 'e.g. rowId' },
						{ displayName: 'Value', name: 'value', type: 'string', default: '', placeholder: 'e.g. 42' },
					],
				},
			],
		},
		{
			displayName: 'Callback URL',
			name: 'callBackUrl',
			type: 'string',
			default: '',
			placeholder: 'e.g. https://n8n.example.com/webhook/…/callback',
			displayOptions: { hide: { '/completion': ['callback'] } },
			description:
				'KIE POSTs the result here when the task ends, for example the production URL of a KIE Trigger workflow. Not used with "Wait for Callback", which uses this execution\'s own resume URL.',
		},
		{
			displayName: 'Check Credits First',
			name: 'checkCreditsFirst',
			type: 'boolean',
			default: false,
			description:
				'Whether to read the account balance once before submitting anything, and stop without submitting when it is below Minimum Credits',
		},
		...downloadOptions.map(withResults),
		includeRawOption,
		{
			displayName: 'Input Images From Binary',
			name: 'inputImagesFromBinary',
			type: 'string',
			default: '',
			displayOptions: hiddenForBuiltInWithout((model) => model.imageField !== undefined),
			placeholder: 'e.g. data, data_1',
			description:
				'Binary properties of the input item to upload to KIE\'s file host (free, kept 24 h) and send as input images, after the URLs of "Input URLs" (for a live model: of its image URL field in "Model Input"). Separate names with commas. Their type, size and count are checked against the model before anything is uploaded.',
		},
		{
			displayName: 'Limit Wait Time (Seconds)',
			name: 'limitWait',
			type: 'number',
			default: 0,
			displayOptions: onlyWhen(['callback']),
			typeOptions: { minValue: 0 },
			description:
				'The longest time the execution waits for KIE\'s callbacks; 0 (the default) waits without a limit. When the limit passes, the execution goes on with one item per input item: state "waiting" and the task ID for each task KIE had not finished (read it later with KIE Get Task), the result for each that had.',
		},
		{
			displayName: 'Mask From Binary',
			name: 'maskFromBinary',
			type: 'string',
			default: '',
			displayOptions: hiddenForBuiltInWithout((model) => MASK_MODEL_IDS.includes(model.id)),
			placeholder: 'e.g. mask',
			description:
				'For a model with a mask input (4o Image, Ideogram V3 Edit…, or a live model whose schema has a mask URL field): the binary property that holds the mask image. It is uploaded to KIE\'s file host and sent as the model\'s mask URL. Use instead of "Mask URL".',
		},
		{
			displayName: 'Max Credits per Run',
			name: 'maxCreditsPerRun',
			type: 'number',
			default: 0,
			typeOptions: { minValue: 0, numberPrecision: 2 },
			description:
				'The most this run may spend; 0 (the default) sets no limit. Items are submitted in order while the credits KIE reported so far, plus an estimate for the tasks still running and for the next one, stay within it. The estimate is the most KIE reported in this run for the same model and settings, or the price from KIE\'s price data when it reads without doubt; otherwise one task goes first, alone, to learn it. Items the budget does not cover come out as state "notSubmitted" with the reason, and are never paid for.',
		},
		{
			displayName: 'Minimum Credits',
			name: 'minimumCredits',
			type: 'number',
			default: 10,
			typeOptions: { minValue: 0, numberPrecision: 2 },
			displayOptions: { show: { checkCreditsFirst: [true] } },
			description: 'With "Check Credits First": the lowest balance at which tasks are still submitted, e.g. the cost of the whole batch',
		},
		{
			...pollIntervalOption,
			displayOptions: { hide: { '/completion': ['submit'] } },
			description:
				'Time between status checks at first; without this option, 3 s for image models and 10 s for video and audio. KIE asks for slower polling as a task runs longer, so later checks are spaced out to 5–30 s, and never faster than Batching → Polls per Second allows.',
		},
		{
			displayName: 'Request Timeout (Seconds)',
			name: 'requestTimeout',
			type: 'number',
			default: 60,
			typeOptions: { minValue: 1 },
			description: 'How long to wait for KIE to answer one request. A create that gets no answer is never sent again, to avoid paying twice.',
		},
		{
			displayName: 'Reuse Key',
			name: 'reuseKey',
			type: 'string',
			default: '',
			displayOptions: { show: { reuseResults: [true] } },
			placeholder: 'e.g. {{ $json.row_number }}',
			description:
				'With "Reuse Results": what makes two items the same request, e.g. a row ID; only a hash of it is kept. Empty (the default): the model and its whole input, with files from binary by their content.',
		},
		{
			displayName: 'Reuse Results',
			name: 'reuseResults',
			type: 'boolean',
			default: false,
			description:
				'Whether an item that asks for exactly what an earlier run of this node asked for (the same model and input, or the same Reuse Key) gets that task instead of a new, paid one: its result, or its progress when it still runs. Retries of a failed execution, Retry On Fail and reruns all reuse; each reused item says "reused": true. Only hashes and task IDs are kept, never the input.',
		},
		{
			displayName: 'Reuse Window (Hours)',
			name: 'reuseWindow',
			type: 'number',
			default: 24,
			typeOptions: { minValue: 0, maxValue: 336, numberPrecision: 2 },
			displayOptions: { show: { reuseResults: [true] } },
			description:
				'With "Reuse Results": only tasks created this many hours ago or less are reused. KIE keeps results 14 days (336 hours). Identical items of one run still make one task each (3 identical rows are 3 variations); their retry reuses each.',
		},
		{ ...pollTimeoutOption, displayOptions: { hide: { '/completion': ['submit'] } } },
	],
};

export const createTaskProperties: INodeProperties[] = [
	toolNoticeProperty,
	modelProperty,
	modelInputProperty,
	...toolDescriptionProperties(),
	...buildModelProperties(),
	completionProperty,
	callbackNoticeProperty,
	unusedCallbackNoticeProperty,
	optionsProperty,
];

/**
 * The resume webhook of "Wait for Callback": KIE POSTs to the execution's resume URL
 * ($execution.resumeUrl), which n8n routes here. Restart webhooks are never registered with a remote
 * service, so the node needs no webhook lifecycle methods.
 */
export const RESUME_WEBHOOKS: IWebhookDescription[] = [
	{
		name: 'default',
		httpMethod: 'POST',
		responseMode: 'onReceived',
		path: '',
		restartWebhook: true,
	},
];
