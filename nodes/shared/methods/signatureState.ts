import type { ILoadOptionsFunctions, INodePropertyOptions } from 'n8n-workflow';

import { CREDENTIAL_NAME } from '../transport';

/**
 * The KIE Trigger's "Signature Check" line: the signature state of the credential picked in the editor,
 * as the one option of an options parameter (n8n's notices are static text). It only informs: the node
 * never reads the parameter; at run time the receiver (shared/webhook/receiver.ts) decides from the
 * credential, as always. The option's value is always SIGNATURE_STATE_VALUE, the parameter's default, so
 * the value is never "not supported" in the editor and is not written into saved workflows; only its name
 * and description change.
 */
export const SIGNATURE_STATE_VALUE = 'credential';

/**
 * The parameter's typeOptions: the method, reloaded by the editor when the picked credential or Allow
 * Unsigned Callbacks changes. Kept here rather than inline in the description: the n8n-nodes-base rules
 * for loadOptions parameters ask for a "… Name or ID" label and "Choose from the list, or specify an ID
 * using an expression" as description, which fit a picker of records by ID, not this read-only line
 * (n8n's scanner ignores eslint-disable comments, so they could not be turned off for it either). The
 * shared settings of KIE Create Task are built the same way (registry/properties.ts).
 */
export const SIGNATURE_STATE_TYPE_OPTIONS = { loadOptionsMethod: 'signatureState', loadOptionsDependsOn: ['allowUnsigned'] };

export type SignatureState = 'on' | 'off' | 'offAllowed' | 'offByExpression' | 'unknown';

/**
 * Whether the credential's Webhook HMAC Key counts as set: exactly the receiver's test (its
 * `credentials.webhookHmacKey?.trim()`), so a key of only spaces is no key. A value that is not text is
 * `undefined`: the receiver cannot use it (the panel then says it cannot tell).
 */
export function hasWebhookHmacKey(value: unknown): boolean | undefined {
	if (value === undefined || value === null) return false;
	if (typeof value !== 'string') return undefined;
	return value.trim() !== '';
}

/** The texts shown for each state (an end-to-end browser test asserts on the names). */
export const SIGNATURE_STATE_TEXTS: Record<SignatureState, { name: string; description: string }> = {
	on: {
		name: 'On: only callbacks signed by KIE are accepted',
		description:
			'The KIE API credential has a Webhook HMAC Key, so a callback starts this workflow only when it carries a valid KIE signature. Any other callback is refused with HTTP 401, whether Allow Unsigned Callbacks is on or off.',
	},
	off: {
		name: 'Off: the credential has no Webhook HMAC Key, so callbacks are refused (HTTP 401)',
		description:
			'The KIE API credential has no Webhook HMAC Key, so no signature can be checked, and every callback is refused with HTTP 401. Add the key (from kie.ai/settings) to the credential, or turn on Allow Unsigned Callbacks: then the task a callback names is read from KIE, and nothing in the callback itself is trusted.',
	},
	offAllowed: {
		name: 'Off: the credential has no Webhook HMAC Key, so each task is read from KIE',
		description:
			'The KIE API credential has no Webhook HMAC Key, so no signature can be checked. Allow Unsigned Callbacks is on: the task a callback names is read from KIE, and nothing in the callback itself is trusted (a task KIE does not know is refused). Add the key (from kie.ai/settings) to the credential to accept only callbacks signed by KIE.',
	},
	offByExpression: {
		name: 'Off: the credential has no Webhook HMAC Key',
		description:
			'The KIE API credential has no Webhook HMAC Key, so no signature can be checked. Allow Unsigned Callbacks is set by an expression: when it gives true, the task a callback names is read from KIE and nothing in the callback itself is trusted; otherwise every callback is refused with HTTP 401.',
	},
	unknown: {
		name: 'Unknown: pick a KIE API credential',
		description:
			'The KIE API credential could not be read, so this panel cannot tell whether callbacks must be signed. Pick a KIE API credential (or check that the one picked opens). When a callback arrives, the node reads the credential itself: with a Webhook HMAC Key only callbacks signed by KIE are accepted.',
	},
};

/**
 * The state for a credential key test (see hasWebhookHmacKey) and Allow Unsigned Callbacks as the editor
 * sends it (it resolves an expression there, as the parameter depends on it). As at run time, only `true`
 * turns it on; an expression the editor could not resolve leaves both outcomes open.
 */
export function signatureStateOf(hasKey: boolean | undefined, allowUnsigned: unknown): SignatureState {
	if (hasKey === undefined) return 'unknown';
	if (hasKey) return 'on';
	if (allowUnsigned === true) return 'offAllowed';
	return typeof allowUnsigned === 'string' && allowUnsigned.startsWith('=') ? 'offByExpression' : 'off';
}

/**
 * loadOptions method `signatureState`: one option naming the state. Reads the credential's Webhook HMAC
 * Key only to tell whether it is set; the key is never returned, logged or put in an error. A credential
 * that cannot be read (none picked, not decryptable) gives "Unknown", never an error.
 */
export async function signatureState(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	let hasKey: boolean | undefined;
	try {
		const credentials = await this.getCredentials<{ webhookHmacKey?: unknown }>(CREDENTIAL_NAME);
		hasKey = hasWebhookHmacKey(credentials?.webhookHmacKey);
	} catch {
		hasKey = undefined;
	}
	let allowUnsigned: unknown;
	try {
		allowUnsigned = this.getCurrentNodeParameter('allowUnsigned');
	} catch {
		allowUnsigned = undefined;
	}
	const state = signatureStateOf(hasKey, allowUnsigned);
	return [{ ...SIGNATURE_STATE_TEXTS[state], value: SIGNATURE_STATE_VALUE }];
}
