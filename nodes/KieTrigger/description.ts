import type { INodeProperties } from 'n8n-workflow';

import { downloadOptions, includeRawOption } from '../shared/methods/options';
import { DEFAULT_SIGNATURE_WINDOW_S } from '../shared/webhook/signature';

/**
 * The trigger panel, written for KIE: KIE has no page where a user registers a webhook; the URL goes
 * with each task, as the Callback URL of KIE Create Task.
 */
export const TRIGGER_PANEL = {
	header: 'Listen for KIE callbacks',
	executionsHelp: {
		inactive:
			'KIE calls back once per task, at the <b>Callback URL</b> given when the task was created. There is nothing to set up at KIE.<br /><br />' +
			'<b>While you build</b>: click <i>Listen for test event</i>, copy the <b>Test URL</b> above, and use it as <i>Options → Callback URL</i> of a KIE Create Task node (Completion <i>Submit Only</i>), then run that node. The callback shows up here.<br /><br />' +
			'<b>In production</b>: publish this workflow and use the <b>Production URL</b> instead.<br /><br />' +
			'KIE must be able to reach the URL: a <code>localhost</code> or private-network address works only with a local KIE simulator. Set n8n\'s <code>WEBHOOK_URL</code> to your public address.<br /><br />' +
			'<b>Signatures</b>: with a <i>Webhook HMAC Key</i> in the KIE API credential, every callback must carry a valid KIE signature, and others are refused (HTTP 401). Without a key, callbacks are refused unless <i>Allow Unsigned Callbacks</i> is on; then the task a callback names is read from KIE, and nothing in the callback is trusted. Each output item says whether its signature was verified (<code>signatureVerified</code>).',
		active:
			'KIE calls this workflow at its <b>Production URL</b> whenever a task created with that URL as its <i>Callback URL</i> ends. Executions show up in the <a data-key="executions">executions list</a>.<br /><br />' +
			'<b>Signatures</b>: with a <i>Webhook HMAC Key</i> in the KIE API credential, only callbacks signed by KIE start the workflow (others get HTTP 401). Each item says whether its signature was verified (<code>signatureVerified</code>).',
	},
	activationHint:
		'Once the workflow works, publish it and give KIE the Production URL as the Callback URL, so callbacks start it without this button.',
};

export const triggerProperties: INodeProperties[] = [
	{
		displayName:
			'Use the Test URL (while building) or the Production URL (once published) as the Callback URL of KIE Create Task. KIE must reach it: a localhost URL only works with the local simulator. With a Webhook HMAC Key in the credential, only callbacks signed by KIE are accepted.',
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
		displayName: 'Allow Unsigned Callbacks',
		name: 'allowUnsigned',
		type: 'boolean',
		default: false,
		description:
			'Whether to accept callbacks without a signature when the KIE API credential has no Webhook HMAC Key. Their body is not trusted: the task is read from KIE (a task ID KIE does not know is refused), and the item has signatureVerified false, contextVerified false and readFromKie true. These reads are limited to about 2 per second per trigger (bursts of 10); beyond that a callback is answered 503, so KIE sends it again. Ignored when a key is set: then every callback must be signed.',
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
				default: DEFAULT_SIGNATURE_WINDOW_S,
				typeOptions: { minValue: 1, maxValue: 3600 },
				description:
					'With a Webhook HMAC Key: how far X-Webhook-Timestamp may be from now, 1 to 3,600 seconds. Older (or future) callbacks are rejected as replays. A value that is not a number counts as 300.',
			},
		],
	},
];
