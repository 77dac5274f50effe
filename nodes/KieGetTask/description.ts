import type { INodeProperties } from 'n8n-workflow';

import { FAMILIES } from '../shared/families';
import { downloadOptions, includeRawOption, pollIntervalOption, pollTimeoutOption } from '../shared/methods/options';

/** The Family value that finds the family by reading the task id. */
export const AUTO = 'auto';

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
		default: AUTO,
		description:
			'Which KIE API created the task. Auto finds it: it reads the task from the family of the input item\'s model (when the item comes from KIE Create Task), else from Market (most models), then the other APIs, and outputs the family it found. Pick the family to save those reads.',
		options: [
			{
				name: 'Auto (Find the Family)',
				value: AUTO,
				description: 'Read the task from each API until one knows it (one read for most tasks); the output names the family',
			},
			...Object.values(FAMILIES)
				.filter((family) => !family.synchronous)
				.map((family) => ({ name: family.displayName, value: family.name })),
		],
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
