import type { INodeProperties } from 'n8n-workflow';

import { DEFAULT_MODEL_ID } from '../shared/helpers/constants';
import { downloadResultsOption, pollIntervalOption, pollTimeoutOption } from '../shared/helpers/options';
import { buildModelProperties, MODEL_PARAM } from '../shared/registry/properties';

export const modelProperty: INodeProperties = {
	displayName: 'Model',
	name: MODEL_PARAM,
	type: 'resourceLocator',
	default: { mode: 'list', value: DEFAULT_MODEL_ID },
	required: true,
	description: 'The KIE model to run. Its parameters appear below once it is selected.',
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
			hint: 'Any KIE model id. For a model this node does not know, give its input in Options → Additional Input (JSON).',
		},
	],
};

export const completionProperty: INodeProperties = {
	displayName: 'Completion',
	name: 'completion',
	type: 'options',
	default: 'poll',
	options: [
		{
			name: 'Wait Until Done (Poll)',
			value: 'poll',
			description: 'Poll KIE until the task ends, then output the result',
		},
		{
			name: 'Submit Only',
			value: 'submit',
			description: 'Return the task ID at once; read the result later with KIE Get Task or a callback',
		},
	],
};

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
				'Extra fields merged into the model\'s input, for fields this node does not list or models it does not know. They are validated where the model is known.',
		},
		{
			displayName: 'Callback URL',
			name: 'callBackUrl',
			type: 'string',
			default: '',
			placeholder: 'e.g. https://n8n.example.com/webhook/kie',
			description: 'KIE POSTs the result here when the task ends (for example a KIE Trigger workflow\'s production URL)',
		},
		downloadResultsOption,
		pollIntervalOption,
		{
			displayName: 'Request Timeout (Seconds)',
			name: 'requestTimeout',
			type: 'number',
			default: 60,
			typeOptions: { minValue: 1 },
			description: 'How long to wait for KIE to answer one request. A create that gets no answer is never sent again, to avoid paying twice.',
		},
		pollTimeoutOption,
	],
};

export const createTaskProperties: INodeProperties[] = [
	modelProperty,
	...buildModelProperties(),
	completionProperty,
	optionsProperty,
];
