/**
 * The KIE Trigger's panel in plain words: the Signature Check line's state logic (the same test of the key
 * as the receiver's), and texts that name no internal field a user cannot follow.
 */
import type { INodeProperties } from 'n8n-workflow';

import { TRIGGER_PANEL, triggerProperties } from '../../../nodes/KieTrigger/description';
import { KieTrigger } from '../../../nodes/KieTrigger/KieTrigger.node';
import {
	hasWebhookHmacKey,
	SIGNATURE_STATE_TEXTS,
	SIGNATURE_STATE_VALUE,
	signatureStateOf,
} from '../../../nodes/shared/methods/signatureState';
import { readRepoText } from '../../support/repo-files';

const param = (name: string): INodeProperties => {
	const found = triggerProperties.find((p) => p.name === name);
	if (!found) throw new Error(`no parameter ${name}`);
	return found;
};

/** Output and credential field names, and any camelCase identifier, as a user would read them in a sentence. */
const INTERNAL_NAMES = /signatureVerified|contextVerified|readFromKie|webhookHmacKey|allowUnsigned|timestampWindow|\b[a-z]+[A-Z][A-Za-z]*\b/;

describe('hasWebhookHmacKey: the receiver\'s test of the key', () => {
	it.each([
		['whk_key', true],
		['  whk_key  ', true],
		['', false],
		['   ', false],
		['\t\n ', false],
		[undefined, false],
		[null, false],
	])('%j → %s', (value, expected) => {
		expect(hasWebhookHmacKey(value)).toBe(expected);
	});

	it('cannot tell for a value that is not text (the receiver could not use it)', () => {
		expect(hasWebhookHmacKey(42)).toBeUndefined();
		expect(hasWebhookHmacKey({})).toBeUndefined();
	});
});

describe('signatureStateOf', () => {
	it.each([
		[true, undefined, 'on'],
		[true, true, 'on'],
		[false, undefined, 'off'],
		[false, false, 'off'],
		// At run time only `true` turns Allow Unsigned Callbacks on.
		[false, 'true', 'off'],
		[false, true, 'offAllowed'],
		[false, '={{ $json.allow }}', 'offByExpression'],
		[undefined, true, 'unknown'],
		[undefined, undefined, 'unknown'],
	] as const)('key %s, Allow Unsigned Callbacks %j → %s', (hasKey, allow, state) => {
		expect(signatureStateOf(hasKey, allow)).toBe(state);
	});
});

describe('the Signature Check parameter', () => {
	const signatureState = param('signatureState');

	it('comes right after the setup notice, before everything that changes what the node does', () => {
		expect(triggerProperties.map((p) => p.name).slice(0, 3)).toEqual(['setupNotice', 'signatureState', 'events']);
	});

	it('is an options parameter loaded by the node\'s signatureState method, reloaded with Allow Unsigned Callbacks', () => {
		expect(signatureState).toMatchObject({ displayName: 'Signature Check', type: 'options', default: SIGNATURE_STATE_VALUE });
		expect(signatureState.typeOptions).toEqual({ loadOptionsMethod: 'signatureState', loadOptionsDependsOn: ['allowUnsigned'] });
		expect(typeof new KieTrigger().methods.loadOptions.signatureState).toBe('function');
		expect(signatureState.description).not.toMatch(INTERNAL_NAMES);
	});

	it('states each state in words, with a full sentence as description', () => {
		expect(SIGNATURE_STATE_TEXTS.on.name).toBe('On: only callbacks signed by KIE are accepted');
		expect(SIGNATURE_STATE_TEXTS.off.name).toBe('Off: the credential has no Webhook HMAC Key, so callbacks are refused (HTTP 401)');
		expect(SIGNATURE_STATE_TEXTS.offAllowed.name).toBe('Off: the credential has no Webhook HMAC Key, so each task is read from KIE');
		expect(SIGNATURE_STATE_TEXTS.offByExpression.name).toBe('Off: the credential has no Webhook HMAC Key');
		expect(SIGNATURE_STATE_TEXTS.unknown.name).toBe('Unknown: pick a KIE API credential');
		for (const { name, description } of Object.values(SIGNATURE_STATE_TEXTS)) {
			expect(name).not.toMatch(INTERNAL_NAMES);
			expect(description).not.toMatch(INTERNAL_NAMES);
			expect(description).toMatch(/^[A-Z].*\.$/);
		}
		expect(SIGNATURE_STATE_TEXTS.off.description).toMatch(/HTTP 401/);
		expect(SIGNATURE_STATE_TEXTS.off.description).toMatch(/Allow Unsigned Callbacks/);
		expect(SIGNATURE_STATE_TEXTS.offAllowed.description).toMatch(/read from KIE, and nothing in the callback itself is trusted/);
	});

	it('is never read by the node at run time', () => {
		for (const file of ['nodes/KieTrigger/actions/receive.ts', 'nodes/shared/webhook/receiver.ts']) {
			const source = readRepoText(file);
			expect(source).toEqual(expect.any(String));
			expect(source).not.toContain('signatureState');
		}
	});
});

describe('the Trigger\'s texts, in plain words', () => {
	it('Allow Unsigned Callbacks names no internal field', () => {
		const { description } = param('allowUnsigned');
		expect(description).not.toMatch(INTERNAL_NAMES);
		expect(description).toContain('the item says the signature was not checked and its result was read from KIE');
	});

	it('the setup notice says where the URL is and what to do with it', () => {
		const notice = param('setupNotice').displayName;
		expect(notice).toContain('"Webhook URLs" at the top of this panel');
		expect(notice).toContain('Test URL');
		expect(notice).toContain('Production URL');
		expect(notice).toContain('Options → Callback URL of a KIE Create Task node');
		expect(notice).toContain('local KIE simulator');
		expect(notice).toContain('WEBHOOK_URL');
	});

	it('the trigger panel names output fields only in code, each said what it means', () => {
		const texts = [TRIGGER_PANEL.header, TRIGGER_PANEL.executionsHelp.inactive, TRIGGER_PANEL.executionsHelp.active, TRIGGER_PANEL.activationHint];
		for (const text of texts) {
			const outsideCode = text.replace(/<code>[^<]*<\/code>/g, '');
			expect(outsideCode).not.toMatch(INTERNAL_NAMES);
		}
		expect(TRIGGER_PANEL.executionsHelp.inactive).toContain('<code>signatureVerified</code> is true when KIE\'s signature was checked');
		expect(TRIGGER_PANEL.executionsHelp.inactive).toContain('Webhook URLs');
		expect(TRIGGER_PANEL.executionsHelp.inactive).toContain('Signature Check');
	});

	it('Signature Window names the header only as what it is', () => {
		const window = (param('options').options as INodeProperties[]).find((o) => o.name === 'timestampWindow')!;
		expect(window.description).toContain('the time KIE signed a callback at (its X-Webhook-Timestamp header)');
	});
});
