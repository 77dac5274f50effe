import type { IExecuteFunctions } from 'n8n-workflow';

import { batchNudgeToken, parseBatch, type BatchRecord } from '../../../nodes/KieCreateTask/actions/batch';
import { kieNudgeToken } from '../../../nodes/shared/webhook/signature';

const record: BatchRecord = {
	v: 2,
	resumeUrl: 'http://localhost:5678/webhook-waiting/12',
	since: '2026-11-30T12:00:00.000Z',
	items: 2,
	download: { output: 'url', maxSizeMB: 200 },
	includeRaw: false,
	tasks: [{ item: 1, taskId: 'task_1', family: 'market', model: 'gpt-image/1.5-text-to-image' }],
	unsubmitted: [{ item: 0, json: { error: 'Item 1: "Prompt" is required' } }],
	settled: [],
};

describe('Wait for Callback batch record', () => {
	it('reads back what was saved', () => {
		expect(parseBatch(JSON.stringify(record))).toEqual(record);
	});

	it('keeps the nudge token, and still reads a record saved before it existed (v stays 2)', () => {
		const withToken = { ...record, nudgeToken: 'abc_DEF-123' };
		expect(parseBatch(JSON.stringify(withToken))).toEqual(withToken);
		expect(parseBatch(JSON.stringify(record))?.nudgeToken).toBeUndefined();
	});

	it('batchNudgeToken: the token of this execution and node with a Webhook HMAC Key, none without', async () => {
		const ctx = (webhookHmacKey: string) =>
			({ getCredentials: async () => ({ webhookHmacKey }), getExecutionId: () => '77', getNode: () => ({ name: 'KIE' }) }) as unknown as IExecuteFunctions;
		expect(await batchNudgeToken(ctx(' whk_key '))).toBe(kieNudgeToken('whk_key', '77', 'KIE'));
		expect(await batchNudgeToken(ctx(''))).toBeUndefined();
	});

	it('is undefined for anything that is not a batch', () => {
		for (const text of [undefined, '', 'not json', '{"v":1,"tasks":[]}', '{"v":2}', 42]) expect(parseBatch(text)).toBeUndefined();
	});
});
