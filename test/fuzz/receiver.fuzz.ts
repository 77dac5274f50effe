import fc from 'fast-check';
import type { IDataObject } from 'n8n-workflow';

import { KieTrigger } from '../../nodes/KieTrigger/KieTrigger.node';
import { kieSignature } from '../../nodes/shared/webhook/signature';
import { runWebhook } from '../support/harness';
import { fuzz } from './support';

/**
 * The KIE Trigger's webhook is a public URL: anybody can POST any body with any headers. With a Webhook
 * HMAC Key, nothing starts the workflow unless it carries a valid signature over the one task id its body
 * names, and one callback (task, timestamp, MAC) starts it at most once. Nothing is read from KIE (the
 * credential points nowhere reachable), nothing throws, and no answer holds a secret.
 */

const ACCOUNT = 'fuzz-account-0123456789';
const HMAC = 'fuzz-hmac-key-0123456789';
const credentials = { kieApi: { apiKey: ACCOUNT, baseUrl: 'http://127.0.0.1:9', uploadBaseUrl: 'http://127.0.0.1:9', webhookHmacKey: HMAC } };
const TASKS = ['task_a', 'task_b', 'task_c'];

const taskId = fc.oneof(fc.constantFrom(...TASKS), fc.string({ maxLength: 12 }));
const resultJson = fc.oneof(fc.constant('{"resultUrls":["https://e.com/a.png"]}'), fc.string({ maxLength: 40 }), fc.json({ maxDepth: 2 }));
/** Bodies shaped like KIE callbacks (every family's id fields), and anything else. */
const body = fc.oneof(
	fc.record(
		{
			code: fc.oneof(fc.constant(200), fc.integer()),
			msg: fc.string({ maxLength: 20 }),
			data: fc.record(
				{ taskId, task_id: taskId, state: fc.constantFrom('success', 'fail', 'waiting', 'weird'), resultJson, callbackType: fc.constantFrom('text', 'first', 'complete', 'error'), info: fc.anything({ maxDepth: 2 }) },
				{ requiredKeys: [] },
			),
			taskId,
		},
		{ requiredKeys: [] },
	),
	fc.anything({ maxDepth: 3 }).map((value) => (value && typeof value === 'object' && !Array.isArray(value) ? (value as IDataObject) : { value: value as never })),
);
/** Signature headers: none, random, valid for some task and time, valid in another spelling, for another key. */
const headers = fc.record({
	task: fc.constantFrom(...TASKS),
	ageS: fc.oneof(fc.constant(0), fc.integer({ min: -400, max: 400 })),
	kind: fc.constantFrom('none', 'random', 'valid', 'validHex', 'validUrl', 'otherKey', 'partial'),
	random: fc.string({ maxLength: 80 }),
	query: fc.dictionary(fc.string({ maxLength: 8 }), fc.string({ maxLength: 8 }), { maxKeys: 3 }),
});

/** The only task id a callback body names (data.task_id, data.taskId or taskId), if exactly one. */
function namedTask(value: IDataObject): string | undefined {
	const data = value.data && typeof value.data === 'object' ? (value.data as IDataObject) : {};
	const ids = new Set([data.task_id, data.taskId, value.taskId].filter((id): id is string => typeof id === 'string' && id !== ''));
	return ids.size === 1 ? [...ids][0] : undefined;
}

describe('fuzz: the callback receiver (KIE Trigger with a Webhook HMAC Key)', () => {
	it('starts a workflow only for a valid signature over the task the body names, once per callback, and never leaks a secret', async () => {
		const started = new Set<string>();
		const nowS = Math.floor(Date.now() / 1000);
		let workflows = 0;
		// The first call loads n8n's execution code: not a case of the receiver's own.
		await runWebhook(KieTrigger, { events: 'all', options: {} } as never, credentials, { method: 'POST', body: {}, headers: {} }, { staticData: {}, workflowId: 'fuzz-receiver-warm-up' });
		const figures = await fuzz('receiver: random bodies and headers at the KIE Trigger', fc.record({ body, headers }), async ({ body: callback, headers: spec }) => {
			const at = String(nowS + spec.ageS);
			const mac = Buffer.from(kieSignature(spec.kind === 'otherKey' ? `${HMAC}!` : HMAC, spec.task, at), 'base64');
			const signature = {
				none: undefined,
				random: spec.random,
				valid: mac.toString('base64'),
				validHex: mac.toString('hex').toUpperCase(),
				validUrl: mac.toString('base64url'),
				otherKey: mac.toString('base64'),
				partial: mac.toString('base64').slice(0, 20),
			}[spec.kind];
			const requestHeaders: Record<string, string> = { 'content-type': 'application/json' };
			if (spec.kind !== 'none') requestHeaders['x-webhook-timestamp'] = spec.kind === 'random' ? spec.random.slice(0, 12) : at;
			if (signature !== undefined) requestHeaders['x-webhook-signature'] = signature;
			const result = await runWebhook(KieTrigger, { events: 'all', options: {} } as never, credentials, { method: 'POST', body: callback, headers: requestHeaders, query: spec.query }, {
				staticData: {},
				workflowId: `fuzz-receiver-${++workflows}`,
			});
			if (![200, 400, 401, 404, 429, 503].includes(result.statusCode)) throw new Error(`answered ${result.statusCode}`);
			const answer = JSON.stringify(result.body ?? '') + JSON.stringify(result.workflowData ?? '');
			if (answer.includes(HMAC) || answer.includes(ACCOUNT)) throw new Error('a secret in the answer');
			if (!result.workflowData) return true;
			const authentic = ['valid', 'validHex', 'validUrl'].includes(spec.kind) && Math.abs(spec.ageS) <= 300 && namedTask(callback) === spec.task;
			if (!authentic) throw new Error(`started a workflow for ${spec.kind} (age ${spec.ageS} s, body names ${namedTask(callback)}, signed ${spec.task})`);
			const callbackKey = `${spec.task}.${at}`;
			if (started.has(callbackKey)) throw new Error(`callback ${callbackKey} started a workflow twice`);
			started.add(callbackKey);
			return true;
		});
		expect(figures.failures).toBe(0);
		// The generator reaches the accepting path too, not only refusals.
		expect(started.size).toBeGreaterThan(0);
	});
});
