import type { INodeProperties } from 'n8n-workflow';

import { downloadOptions } from '../shared/helpers/options';

export const DEFAULT_TIMESTAMP_WINDOW_S = 300;

export const triggerProperties: INodeProperties[] = [
	{
		displayName:
			'Give this workflow\'s Production URL to KIE as the callback URL, for example in KIE Create Task → Options → Callback URL. With a Webhook HMAC Key in the credential, only callbacks signed by KIE are accepted.',
		name: 'setupNotice',
		type: 'notice',
		default: '',
	},
	{
		displayName: 'Trigger On',
		name: 'events',
		type: 'options',
		default: 'all',
		options: [
			{ name: 'All Results', value: 'all', description: 'Start for every task that ends, successful or not' },
			{ name: 'Successful Tasks Only', value: 'success' },
			{ name: 'Failed Tasks Only', value: 'failure' },
		],
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Allow Unsigned Callbacks',
				name: 'allowUnsigned',
				type: 'boolean',
				default: false,
				description:
					'Whether to accept callbacks without a signature when the credential has no Webhook HMAC Key. Ignored when a key is set: then every callback must be signed. Anyone who knows the URL can then start this workflow.',
			},
			...downloadOptions,
			{
				displayName: 'Include Intermediate Stages',
				name: 'includeStages',
				type: 'boolean',
				default: false,
				description: 'Whether to also start for Suno\'s "text" and "first" stages, not only when all tracks are complete',
			},
			{
				displayName: 'Signature Window (Seconds)',
				name: 'timestampWindow',
				type: 'number',
				default: DEFAULT_TIMESTAMP_WINDOW_S,
				typeOptions: { minValue: 1 },
				description: 'How far X-Webhook-Timestamp may be from now. Older (or future) callbacks are rejected as replays.',
			},
		],
	},
];
