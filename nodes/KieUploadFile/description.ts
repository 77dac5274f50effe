import type { INodeProperties } from 'n8n-workflow';

import { DEFAULT_UPLOAD_PATH } from '../shared/api/upload';

export const uploadFileProperties: INodeProperties[] = [
	{
		displayName: 'Source',
		name: 'source',
		type: 'options',
		default: 'binary',
		description: 'Where the file comes from',
		options: [
			{
				name: 'Binary',
				value: 'binary',
				description: 'A binary property of the input item, streamed to KIE (any size)',
			},
			{
				name: 'URL',
				value: 'url',
				description: 'A public URL that KIE downloads itself (30 s limit, up to 100 MB recommended)',
			},
			{
				name: 'Base64',
				value: 'base64',
				description: 'Base64 data or a data: URL (up to 10 MB)',
			},
		],
	},
	{
		displayName: 'Input Binary Field',
		name: 'binaryPropertyName',
		type: 'string',
		default: 'data',
		required: true,
		hint: 'The name of the input binary field containing the file to upload',
		displayOptions: { show: { source: ['binary'] } },
	},
	{
		displayName: 'File URL',
		name: 'fileUrl',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. https://example.com/image.png',
		description: 'Public http(s) URL of the file; KIE downloads it',
		displayOptions: { show: { source: ['url'] } },
	},
	{
		displayName: 'Base64 Data',
		name: 'base64Data',
		type: 'string',
		default: '',
		required: true,
		typeOptions: { rows: 3 },
		placeholder: 'e.g. data:image/png;base64,iVBORw0KGgo…',
		description: 'Plain base64 or a data URL (data:image/png;base64,…). Up to 10 MB; use Source "Binary" for larger files.',
		displayOptions: { show: { source: ['base64'] } },
	},
	{
		displayName: 'Upload Path',
		name: 'uploadPath',
		type: 'string',
		default: DEFAULT_UPLOAD_PATH,
		description: 'Folder on KIE\'s file host, without leading or trailing slash',
	},
	{
		displayName: 'File Name',
		name: 'fileName',
		type: 'string',
		default: '',
		placeholder: 'e.g. photo.png',
		description:
			'Name of the file at KIE, with its extension. Empty: the binary\'s file name (Binary), or a random name (URL, Base64). A file with the same name in the same Upload Path is overwritten.',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Keep Binary',
				name: 'keepBinary',
				type: 'boolean',
				default: false,
				description: 'Whether to keep the input item\'s binary data in the output item',
			},
		],
	},
];
