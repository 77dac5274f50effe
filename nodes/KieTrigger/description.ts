import type { INodeProperties } from 'n8n-workflow';

import { downloadOptions, includeRawOption } from '../shared/methods/options';
import { SIGNATURE_STATE_TYPE_OPTIONS, SIGNATURE_STATE_VALUE } from '../shared/methods/signatureState';
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
			'<b>While you build</b>: click <i>Listen for test event</i>. Open <i>Webhook URLs</i> at the top of this node\'s parameters, copy the <b>Test URL</b>, and use it as <i>Options → Callback URL</i> of a KIE Create Task node (Completion <i>Submit Only</i>), then run that node. The callback shows up here.<br /><br />' +
			'<b>In production</b>: publish this workflow and use the <b>Production URL</b> from the same place instead.<br /><br />' +
			'KIE must be able to reach the URL: a <code>localhost</code> or private-network address works only with the local KIE simulator. Set n8n\'s <code>WEBHOOK_URL</code> to your public address.<br /><br />' +
			'<b>Signatures</b>: <i>Signature Check</i> in the parameters says what applies to the credential picked. With a <i>Webhook HMAC Key</i> in the KIE API credential, only callbacks signed by KIE are accepted; others are refused (HTTP 401). Without a key, callbacks are refused unless <i>Allow Unsigned Callbacks</i> is on; then the task a callback names is read from KIE, and nothing in the callback itself is trusted. In each output item, <code>signatureVerified</code> is true when KIE\'s signature was checked, and false when it was not (then <code>readFromKie</code> is true: the result was read from KIE).',
		active:
			'KIE calls this workflow at its <b>Production URL</b> whenever a task created with that URL as its <i>Callback URL</i> ends. Executions show up in the <a data-key="executions">executions list</a>.<br /><br />' +
			'<b>Signatures</b>: with a <i>Webhook HMAC Key</i> in the KIE API credential, only callbacks signed by KIE start the workflow (others get HTTP 401); without a key, only with <i>Allow Unsigned Callbacks</i> on. In each output item, <code>signatureVerified</code> is true when KIE\'s signature was checked.',
	},
	activationHint:
		'Once the workflow works, publish it and give KIE the Production URL (under Webhook URLs at the top of the parameters) as the Callback URL, so callbacks start it without this button.',
};

export const triggerProperties: INodeProperties[] = [
	{
		displayName:
			'Copy the Test URL (while you build) or the Production URL (once the workflow is published) from "Webhook URLs" at the top of this panel, and use it as Options → Callback URL of a KIE Create Task node. KIE must be able to reach it: a localhost or private-network URL only works with the local KIE simulator, so set n8n\'s WEBHOOK_URL to your public address.',
		name: 'setupNotice',
		type: 'notice',
		default: '',
	},
	{
		// Informational only: it states the picked credential's signature state (see signatureState.ts, also
		// for why its typeOptions live there). The node never reads it; at run time the credential decides.
		// Its one option's value is always the default, so saved workflows neither carry it nor depend on it.
		displayName: 'Signature Check',
		name: 'signatureState',
		type: 'options',
		typeOptions: SIGNATURE_STATE_TYPE_OPTIONS,
		default: SIGNATURE_STATE_VALUE,
		description:
			'What the KIE API credential picked above means for callbacks: on when it has a Webhook HMAC Key, then only callbacks signed by KIE are accepted. This line only informs; to change it, edit the credential.',
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
			'Whether to accept callbacks that carry no KIE signature while the KIE API credential has no Webhook HMAC Key. Nothing in such a callback is trusted: the task it names is read from KIE (a task KIE does not know is refused), and the item says the signature was not checked and its result was read from KIE. At most about 2 such reads per second per trigger (bursts of 15); beyond that a callback is answered with HTTP 503, so KIE sends it again. Ignored when the credential has a key: then every callback must be signed.',
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
					'With a Webhook HMAC Key: how far the time KIE signed a callback at (its X-Webhook-Timestamp header) may be from now, 1 to 3,600 seconds. Older (or future) callbacks are refused as replays. A value that is not a number counts as 300.',
			},
		],
	},
];
