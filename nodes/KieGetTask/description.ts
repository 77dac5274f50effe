import type { INodeProperties } from 'n8n-workflow';

import { FAMILIES } from '../shared/families';
import { downloadOptions, includeRawOption, pollIntervalOption, pollTimeoutOption } from '../shared/helpers/options';

export const getTaskProperties: INodeProperties[] = [
	{
		displayName: 'Task ID',
		name: 'taskId',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. task_gpt-image_1765968156336',
		description: 'The task ID returned by KIE Create Task or a callback',
	},
	{
		displayName: 'Family',
		name: 'family',
		type: 'options',
		default: 'market',
		description:
			'Which KIE API created the task. Market covers most models; 4o Image, Flux Kontext, Veo 3.1, Runway, Luma and Suno have their own. Veo extend and 4K tasks are read as Veo 3.1; Suno extend, cover and add-vocals tasks as Suno.',
		options: Object.values(FAMILIES).map((family) => ({ name: family.displayName, value: family.name })),
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			...downloadOptions,
			includeRawOption,
			{ ...pollIntervalOption, displayOptions: { show: { waitUntilDone: [true] } } },
			{ ...pollTimeoutOption, displayOptions: { show: { waitUntilDone: [true] } } },
			{
				displayName: 'Wait Until Done',
				name: 'waitUntilDone',
				type: 'boolean',
				default: false,
				description: 'Whether to poll until the task ends instead of returning its current state',
			},
		],
	},
];
