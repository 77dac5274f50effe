import type { INodeProperties } from 'n8n-workflow';

export type AccountOperation =
	| 'estimateCost'
	| 'getCredits'
	| 'getDownloadUrl'
	| 'getModelPrice'
	| 'getModelSchema'
	| 'getModelSuccessRate'
	| 'listModels';

const MODEL_OPERATIONS: AccountOperation[] = ['estimateCost', 'getModelPrice', 'getModelSchema', 'getModelSuccessRate'];

const operationProperty: INodeProperties = {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	default: 'getCredits',
	options: [
		{
			name: 'Estimate Cost',
			value: 'estimateCost',
			action: 'Estimate the credits of tasks',
			description:
				'Estimate the credits of one or more tasks of a model from KIE\'s price, and say how sure the estimate is (free: reads the price only)',
		},
		{
			name: 'Get Credits',
			value: 'getCredits',
			action: 'Get the remaining credits',
			description: 'Read the account\'s remaining credits (free)',
		},
		{
			name: 'Get Download URL',
			value: 'getDownloadUrl',
			action: 'Get a download URL for a generated file',
			description: 'Get a fresh link, valid for 20 minutes, for a file KIE generated',
		},
		{
			name: 'Get Model Price',
			value: 'getModelPrice',
			action: 'Get the price of a model',
			description: 'Read how a model is billed',
		},
		{
			name: 'Get Model Schema',
			value: 'getModelSchema',
			action: 'Get the input schema of a model',
			description: 'Read a model\'s OpenAPI document: its fields, required inputs and allowed values, and the description an AI agent is given of it',
		},
		{
			name: 'Get Model Success Rate',
			value: 'getModelSuccessRate',
			action: 'Get the success rate of a model',
			description: 'Read a model\'s success rate over the last 24 hours, in 10-minute buckets',
		},
		{
			name: 'List Models',
			value: 'listModels',
			action: 'List the models KIE offers',
			description: 'List KIE\'s live model catalogue, one item per model',
		},
	],
};

const accountModelProperty: INodeProperties = {
	displayName: 'Model',
	name: 'model',
	type: 'resourceLocator',
	default: { mode: 'list', value: '' },
	required: true,
	description: 'The KIE model to look up',
	displayOptions: { show: { operation: MODEL_OPERATIONS } },
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
		},
	],
};

export const accountProperties: INodeProperties[] = [
	operationProperty,
	accountModelProperty,
	{
		displayName: 'Count',
		name: 'count',
		type: 'number',
		default: 1,
		typeOptions: { minValue: 1, numberPrecision: 0 },
		description: 'How many tasks with these settings, e.g. the rows of a sheet',
		displayOptions: { show: { operation: ['estimateCost'] } },
	},
	{
		displayName: 'Input (JSON)',
		name: 'input',
		type: 'json',
		default: '{}',
		description:
			'The model\'s input settings, as KIE Create Task sends them, e.g. {"num_images": 2}, {"duration": "10"} or {"text": "…"}. What changes the price: the number of images or videos, the duration, the text of a text-to-speech model. Give the settings the model uses by default too.',
		displayOptions: { show: { operation: ['estimateCost'] } },
	},
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		displayOptions: { show: { operation: ['listModels'] } },
		options: [
			{
				displayName: 'Provider',
				name: 'provider',
				type: 'string',
				default: '',
				placeholder: 'e.g. Kling',
				description: 'Only models of this provider',
			},
			{
				displayName: 'Search',
				name: 'q',
				type: 'string',
				default: '',
				placeholder: 'e.g. seedream',
				description: 'A keyword matched against the model ID, title and description',
			},
			{
				displayName: 'Task Type',
				name: 'taskType',
				type: 'string',
				default: '',
				placeholder: 'e.g. Text to Video',
				description: 'Only models of these task types, separated by commas (e.g. "Text to Video, Image to Video")',
			},
		],
	},
	{
		displayName: 'File URL',
		name: 'url',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. https://tempfile.aiquickdraw.com/…/result.png',
		description: 'A file URL that KIE generated: a task result URL or an upload\'s download URL. Other URLs are refused (code 422).',
		displayOptions: { show: { operation: ['getDownloadUrl'] } },
	},
	{
		displayName: '4o Image Task ID',
		name: 'taskId',
		type: 'string',
		default: '',
		placeholder: 'e.g. task_4o_1765968156336',
		description:
			'Only for a 4o Image result: its task ID. The link is then requested from the 4o Image API; leave empty for every other file.',
		displayOptions: { show: { operation: ['getDownloadUrl'] } },
	},
];
