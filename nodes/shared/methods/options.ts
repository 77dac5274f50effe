import type { INodeProperties } from 'n8n-workflow';

import { DEFAULT_POLL_INTERVAL_S, DEFAULT_POLL_TIMEOUT_S } from '../api/tasks';
import { DEFAULT_DOWNLOAD_LIMIT_MB } from '../output/download';

/** Options shared by the nodes that wait for tasks and hand over their files. */
const downloadResultsOption: INodeProperties = {
	displayName: 'Download Results',
	name: 'downloadResults',
	type: 'boolean',
	default: false,
	description:
		'Whether to download the result files as binary data (data, data_1, …, in result order), streamed. KIE deletes results after 14 days.',
};

/** With "Download Results": keep the result URLs next to the files, or hand over the files only. */
const downloadOutputOption: INodeProperties = {
	displayName: 'Download Output',
	name: 'downloadOutput',
	type: 'options',
	default: 'both',
	displayOptions: { show: { downloadResults: [true] } },
	options: [
		{
			name: 'Files and URLs',
			value: 'both',
			description: 'The files as binary, and the JSON with resultUrls',
		},
		{
			name: 'Files Only',
			value: 'binary',
			description: 'The files as binary; the JSON leaves out resultUrls (the links expire)',
		},
	],
	description: 'What the output item holds besides the task\'s fields. Both list the files in `files`.',
};

/** With "Download Results": the largest file downloaded. */
const maxDownloadSizeOption: INodeProperties = {
	displayName: 'Download Size Limit (MB)',
	name: 'maxDownloadSizeMB',
	type: 'number',
	default: DEFAULT_DOWNLOAD_LIMIT_MB,
	typeOptions: { minValue: 0 },
	displayOptions: { show: { downloadResults: [true] } },
	description: `A result file larger than this fails the item, with the task ID in the error. Checked from the Content-Length header first, then while the file streams. Default ${DEFAULT_DOWNLOAD_LIMIT_MB} MB; 0 means no limit.`,
};

/** The download options in the alphabetical order of an options collection. */
export const downloadOptions: INodeProperties[] = [downloadOutputOption, downloadResultsOption, maxDownloadSizeOption];

/** The raw KIE record is large and rarely needed, so it is opt-in. */
export const includeRawOption: INodeProperties = {
	displayName: 'Include Raw Record',
	name: 'includeRaw',
	type: 'boolean',
	default: false,
	description:
		'Whether to add the task record as KIE returned it (`raw`, with its JSON-string fields parsed), e.g. to read a field the node does not output',
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
