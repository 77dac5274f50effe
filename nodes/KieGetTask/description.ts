import type { INodeProperties } from 'n8n-workflow';

import { FAMILIES } from '../shared/families';
import { DEFAULT_POLL_INTERVAL_S, DEFAULT_POLL_TIMEOUT_S } from '../shared/helpers/constants';

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
		description: 'Which KIE API created the task. Market covers most models; 4o Image has its own API.',
		options: Object.values(FAMILIES).map((family) => ({ name: family.displayName, value: family.name })),
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Download Results',
				name: 'downloadResults',
				type: 'boolean',
				default: false,
				description: 'Whether to download the result files as binary data (data, data_1, …)',
			},
			{
				displayName: 'Poll Interval (Seconds)',
				name: 'pollInterval',
				type: 'number',
				default: DEFAULT_POLL_INTERVAL_S,
				typeOptions: { minValue: 0.1 },
				description: 'With "Wait Until Done": time between status checks at first; later checks are spaced out to 5–30 s',
			},
			{
				displayName: 'Timeout (Seconds)',
				name: 'timeout',
				type: 'number',
				default: DEFAULT_POLL_TIMEOUT_S,
				typeOptions: { minValue: 1 },
				description: 'With "Wait Until Done": how long to wait before giving up; the task keeps running at KIE',
			},
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
