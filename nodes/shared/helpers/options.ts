import type { INodeProperties } from 'n8n-workflow';

import { DEFAULT_POLL_INTERVAL_S, DEFAULT_POLL_TIMEOUT_S } from './constants';

/** Options shared by the nodes that wait for tasks and hand over their files. */
export const downloadResultsOption: INodeProperties = {
	displayName: 'Download Results',
	name: 'downloadResults',
	type: 'boolean',
	default: false,
	description:
		'Whether to download the result files as binary data (data, data_1, …) in addition to their URLs. KIE deletes results after 14 days.',
};

export const pollIntervalOption: INodeProperties = {
	displayName: 'Poll Interval (Seconds)',
	name: 'pollInterval',
	type: 'number',
	default: DEFAULT_POLL_INTERVAL_S,
	typeOptions: { minValue: 0.1 },
	description:
		'Time between status checks at first. KIE asks for slower polling as a task runs longer, so later checks are spaced out to 5–30 s.',
};

export const pollTimeoutOption: INodeProperties = {
	displayName: 'Timeout (Seconds)',
	name: 'timeout',
	type: 'number',
	default: DEFAULT_POLL_TIMEOUT_S,
	typeOptions: { minValue: 1 },
	description: 'How long to poll before giving up. The task keeps running at KIE; the error names its task ID.',
};
