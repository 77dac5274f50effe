/**
 * The KIE Trigger's "Signature Check" line (loadOptions method `signatureState`), run as n8n's editor runs
 * it: through n8n-core's real LoadOptionsContext with the harness credentials. It must say what the
 * receiver does with the same credential, and its value must change nothing the node does.
 */
import { LoadOptionsContext } from 'n8n-core';
import type { ICredentialDataDecryptedObject, IDataObject, INode, INodeParameters, INodePropertyOptions } from 'n8n-workflow';
import { Workflow } from 'n8n-workflow';

import { KieApi } from '../../../credentials/KieApi.credentials';
import { KieTrigger } from '../../../nodes/KieTrigger/KieTrigger.node';
import { SIGNATURE_STATE_TEXTS, SIGNATURE_STATE_VALUE } from '../../../nodes/shared/methods/signatureState';
import { signCallback, startSimulator, type Simulator } from '../../../simulator';
import {
	buildAdditionalData,
	HarnessCredentialsHelper,
	HarnessCredentialTypes,
	HarnessNodeTypes,
	internals,
	runWebhook,
	type WebhookCallResult,
} from '../../support/harness';
import { SIM_ACCOUNT } from '../setup';

let sim: Simulator;
beforeAll(async () => {
	sim = await startSimulator({ apiKey: SIM_ACCOUNT, genMs: 100, callbackRetries: 0 });
});
afterAll(async () => {
	await sim.close();
});

const kieApi = (webhookHmacKey?: string): ICredentialDataDecryptedObject => ({
	apiKey: SIM_ACCOUNT,
	baseUrl: sim.url,
	uploadBaseUrl: sim.url,
	...(webhookHmacKey === undefined ? {} : { webhookHmacKey }),
});

interface EditorState {
	/** The credential's data; undefined = the credential store cannot give it (not decryptable, deleted). */
	credential?: ICredentialDataDecryptedObject;
	/** Whether the node names a credential at all (none picked yet: false). */
	picked?: boolean;
	parameters?: INodeParameters;
}

/** Runs `signatureState` as the editor's options request does. */
async function signatureCheck({ credential, picked = true, parameters = {} }: EditorState): Promise<INodePropertyOptions[]> {
	internals.ensureContainer();
	const trigger = new KieTrigger();
	const nodeTypes = new HarnessNodeTypes([trigger]);
	const credentialsHelper = new HarnessCredentialsHelper(new HarnessCredentialTypes([new KieApi()]), credential ? { kieApi: credential } : {});
	const node: INode = {
		id: 'signature-state-node',
		name: 'KIE Trigger',
		type: trigger.description.name,
		typeVersion: 1,
		position: [0, 0],
		parameters,
		...(picked ? { credentials: { kieApi: { id: 'kieApi-test', name: 'KIE API (test)' } } } : {}),
	};
	const workflow = new Workflow({ id: 'signature-state-workflow', nodes: [node], connections: {}, active: false, nodeTypes });
	const additionalData = buildAdditionalData({ credentialsHelper, workflowId: 'signature-state-workflow', webhookBaseUrl: 'http://localhost:5678/' });
	additionalData.currentNodeParameters = parameters;
	const context = new LoadOptionsContext(workflow, node, additionalData, 'parameters.signatureState');
	const method = trigger.methods.loadOptions.signatureState;
	return await method.call(context);
}

const option = (state: keyof typeof SIGNATURE_STATE_TEXTS) => [{ ...SIGNATURE_STATE_TEXTS[state], value: SIGNATURE_STATE_VALUE }];

describe('KIE Trigger: Signature Check (in the editor)', () => {
	it('says "On" when the credential has a Webhook HMAC Key, and never names the key', async () => {
		const result = await signatureCheck({ credential: kieApi('whk_secret_key_for_the_panel') });
		expect(result).toEqual(option('on'));
		expect(result[0].name).toBe('On: only callbacks signed by KIE are accepted');
		expect(JSON.stringify(result)).not.toContain('whk_secret_key_for_the_panel');
	});

	it('says "On" for a key with spaces around it (the receiver trims the key)', async () => {
		expect(await signatureCheck({ credential: kieApi('  whk_padded  ') })).toEqual(option('on'));
	});

	it.each([
		['empty', ''],
		['only spaces', '   '],
		['only whitespace', ' \t\n '],
		['not set', undefined],
	])('says "Off" for a key that is %s, and that callbacks are refused', async (_name, key) => {
		const result = await signatureCheck({ credential: kieApi(key) });
		expect(result).toEqual(option('off'));
		expect(result[0].name).toBe('Off: the credential has no Webhook HMAC Key, so callbacks are refused (HTTP 401)');
	});

	it('says "Off" and that each task is read from KIE when Allow Unsigned Callbacks is on', async () => {
		const result = await signatureCheck({ credential: kieApi(''), parameters: { allowUnsigned: true } });
		expect(result).toEqual(option('offAllowed'));
		expect(result[0].name).toBe('Off: the credential has no Webhook HMAC Key, so each task is read from KIE');
		// With a key, Allow Unsigned Callbacks changes nothing: still "On".
		expect(await signatureCheck({ credential: kieApi('whk_k'), parameters: { allowUnsigned: true } })).toEqual(option('on'));
	});

	it('leaves both outcomes open when Allow Unsigned Callbacks is an expression the editor did not resolve', async () => {
		const result = await signatureCheck({ credential: kieApi(''), parameters: { allowUnsigned: '={{ $vars.allow }}' } });
		expect(result).toEqual(option('offByExpression'));
		expect(result[0].name).toBe('Off: the credential has no Webhook HMAC Key');
	});

	it.each([
		['no credential is picked', { picked: false }],
		['the picked credential cannot be read', { credential: undefined }],
	])('says "Unknown" (and does not fail) when %s', async (_name, state: EditorState) => {
		const result = await signatureCheck(state);
		expect(result).toEqual(option('unknown'));
		expect(result[0].name).toBe('Unknown: pick a KIE API credential');
	});

	it('always gives one option whose value is the parameter\'s default, so the editor never calls the value unsupported', async () => {
		const param = new KieTrigger().description.properties.find((p) => p.name === 'signatureState')!;
		for (const state of [{ credential: kieApi('k') }, { credential: kieApi('') }, { picked: false }]) {
			const result = await signatureCheck(state);
			expect(result).toHaveLength(1);
			expect(result[0].value).toBe(param.default);
			expect(result[0].description).toEqual(expect.any(String));
		}
	});
});

// ---------------------------------------------------------------------------------------------------------
// The panel agrees with the receiver, and its value changes nothing at run time.
// ---------------------------------------------------------------------------------------------------------

let tasks = 0;
const body = (taskId: string) => ({ code: 200, msg: 'ok', data: { taskId, model: 'm', state: 'success', resultJson: '{"resultUrls":["https://e.com/a.png"]}' } });

/** A callback for a new task, signed with `key` (or unsigned), at the Trigger of a new workflow. */
async function callback(credentialKey: string | undefined, options: { signWith?: string; parameters?: INodeParameters } = {}): Promise<WebhookCallResult & { taskId: string }> {
	const taskId = `task_signature_state_${++tasks}`;
	const at = Math.floor(Date.now() / 1000);
	const headers: Record<string, string> = { 'content-type': 'application/json' };
	if (options.signWith !== undefined) {
		headers['x-webhook-timestamp'] = String(at);
		headers['x-webhook-signature'] = signCallback(options.signWith, taskId, at);
	}
	const result = await runWebhook(KieTrigger, options.parameters ?? {}, { kieApi: kieApi(credentialKey) }, { method: 'POST', body: body(taskId), headers }, {
		staticData: {},
		workflowId: `signature-state-${tasks}`,
	});
	return { ...result, taskId };
}

describe('KIE Trigger: Signature Check agrees with the receiver', () => {
	it.each([
		['a key', 'whk_agree_key'],
		['a key with spaces around it', '  whk_agree_key  '],
		['an empty key', ''],
		['a key of only spaces', '   '],
		['a key of only whitespace', '\t \n'],
		['no key', undefined],
	])('%s', async (_name, key) => {
		const [shown] = await signatureCheck({ credential: kieApi(key) });
		// Signed with the key as the receiver uses it (trimmed): accepted exactly when the panel says "On".
		const signed = await callback(key, { signWith: (key ?? '').trim() || 'some other key' });
		// Unsigned, with Allow Unsigned Callbacks off: refused either way, for the reason the panel gives.
		const unsigned = await callback(key);
		if (shown.name === SIGNATURE_STATE_TEXTS.on.name) {
			expect(signed.statusCode).toBe(200);
			expect(signed.workflowData?.[0][0].json).toMatchObject({ taskId: signed.taskId, signatureVerified: true });
			expect(unsigned.statusCode).toBe(401);
			expect(JSON.stringify(unsigned.body)).toContain('header is missing');
		} else {
			expect(shown.name).toBe(SIGNATURE_STATE_TEXTS.off.name);
			for (const refused of [signed, unsigned]) {
				expect(refused.statusCode).toBe(401);
				expect(refused.workflowData).toBeUndefined();
				expect(JSON.stringify(refused.body)).toContain('no Webhook HMAC Key');
			}
		}
	});
});

describe('KIE Trigger: the value of Signature Check changes nothing at run time', () => {
	// Absent (a workflow saved before the parameter existed), the default, and values the node never offers.
	const values: Array<[string, INodeParameters]> = [
		['absent', {}],
		['the default', { signatureState: SIGNATURE_STATE_VALUE }],
		['"on"', { signatureState: 'on' }],
		['"off"', { signatureState: 'off' }],
		['an option name', { signatureState: SIGNATURE_STATE_TEXTS.unknown.name }],
		['an expression', { signatureState: '={{ "off" }}' }],
		['empty', { signatureState: '' }],
	];
	/** The answer and the item, with the task id of the call left out. */
	const outcome = (result: WebhookCallResult & { taskId: string }) =>
		JSON.parse(JSON.stringify({ status: result.statusCode, body: result.body, items: result.workflowData ?? null }).split(result.taskId).join('<task>')) as IDataObject;

	it('with a key: a signed callback starts the workflow, an unsigned one is refused, whatever the value', async () => {
		const baseline = { signed: outcome(await callback('whk_unchanged', { signWith: 'whk_unchanged' })), unsigned: outcome(await callback('whk_unchanged')) };
		expect(baseline.signed.status).toBe(200);
		expect(baseline.unsigned.status).toBe(401);
		for (const [, parameters] of values) {
			expect(outcome(await callback('whk_unchanged', { signWith: 'whk_unchanged', parameters }))).toEqual(baseline.signed);
			expect(outcome(await callback('whk_unchanged', { parameters }))).toEqual(baseline.unsigned);
		}
	});

	it('without a key: a callback is refused, or read from KIE with Allow Unsigned Callbacks, whatever the value', async () => {
		const baseline = {
			refused: outcome(await callback('', { signWith: 'whk_anything' })),
			// The simulator knows no such task: Allow Unsigned Callbacks reads it from KIE and refuses it as unknown.
			read: outcome(await callback('', { parameters: { allowUnsigned: true } })),
		};
		expect(baseline.refused.status).toBe(401);
		expect(baseline.read).toMatchObject({ status: 404, body: { msg: 'Rejected: unknown task' } });
		for (const [, parameters] of values) {
			expect(outcome(await callback('', { signWith: 'whk_anything', parameters }))).toEqual(baseline.refused);
			expect(outcome(await callback('', { parameters: { ...parameters, allowUnsigned: true } }))).toEqual(baseline.read);
		}
	});
});
