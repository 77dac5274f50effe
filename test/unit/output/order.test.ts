import type { IBinaryKeyData, IDataObject, INodeExecutionData } from 'n8n-workflow';

import { addResultFiles, type DownloadSettings } from '../../../nodes/shared/output/download';
import { errorItem, submittedJson, taskJson, toolResult } from '../../../nodes/shared/output/items';
import { LEADING_KEYS, orderedItem, orderedJson } from '../../../nodes/shared/output/order';
import { taskResult } from '../../../nodes/shared/families/result';

describe('orderedJson', () => {
	it('puts taskId, model, state and resultUrls first, in that order, and keeps the rest in its order', () => {
		const json = { completeTime: 't', resultUrls: ['u'], family: 'market', state: 'success', taskId: 'a', files: [], model: 'm' };
		expect(Object.keys(orderedJson(json))).toEqual(['taskId', 'model', 'state', 'resultUrls', 'completeTime', 'family', 'files']);
		expect(orderedJson(json)).toEqual(json);
		expect(LEADING_KEYS).toEqual(['taskId', 'model', 'state', 'resultUrls']);
	});

	it('only reorders: a missing leading key stays missing, an undefined or null value stays', () => {
		expect(orderedJson({ error: 'x', state: 'pending', taskId: 't' })).toEqual({ taskId: 't', state: 'pending', error: 'x' });
		expect(Object.keys(orderedJson({ error: 'x', state: 'pending', taskId: 't' }))).toEqual(['taskId', 'state', 'error']);
		const kept = orderedJson({ error: 'x', taskId: undefined, model: null });
		expect(Object.keys(kept)).toEqual(['taskId', 'model', 'error']);
		expect(orderedJson({})).toEqual({});
	});

	it('is idempotent, returns a new object and orders an item in place', () => {
		const json: IDataObject = { state: 'success', taskId: 'a' };
		const once = orderedJson(json);
		expect(once).not.toBe(json);
		expect(Object.keys(orderedJson(once))).toEqual(Object.keys(once));
		const item: INodeExecutionData = { json: { resultUrls: [], taskId: 'a' }, pairedItem: { item: 0 } };
		expect(orderedItem(item)).toBe(item);
		expect(Object.keys(item.json)).toEqual(['taskId', 'resultUrls']);
	});
});

describe('the output builders keep the order', () => {
	const result = taskResult({ taskId: 'task_1', model: 'm', state: 'success', resultUrls: ['https://cdn.example.com/a.png'], completeTime: '2025-01-01T00:00:00.000Z' });

	it('taskJson, submittedJson, errorItem and toolResult', () => {
		expect(Object.keys(taskJson(result, { extra: { family: 'market' } }))).toEqual(['taskId', 'model', 'state', 'resultUrls', 'family', 'completeTime']);
		expect(Object.keys(submittedJson('task_1', 'm'))).toEqual(['taskId', 'model', 'state']);
		const failed = errorItem(0, Object.assign(new Error('boom'), { description: 'why' }), { state: 'failed', taskId: 't', model: 'm' });
		expect(Object.keys(failed.json)).toEqual(['taskId', 'model', 'state', 'error', 'errorDescription']);
		expect(Object.keys(toolResult({ json: { error: 'e', resultUrls: [], state: 'failed', taskId: 't' } }).json)).toEqual(['taskId', 'state', 'resultUrls', 'error']);
	});

	describe('addResultFiles', () => {
		const binary: IBinaryKeyData = { data: { data: '', mimeType: 'image/png', fileName: 'a.png' } };
		const ctx = {
			getNode: () => ({ name: 'KIE', type: 'kieGetTask', typeVersion: 1, position: [0, 0], parameters: {} }),
			getCredentials: async () => ({ baseUrl: 'https://api.kie.ai' }),
			helpers: {
				httpRequest: async () => ({ statusCode: 200, headers: { 'content-type': 'image/png' }, body: { emit: () => true, destroy() {} } }),
				prepareBinaryData: async () => binary.data,
			},
		} as never;
		/** An item whose JSON lost the order (a caller rebuilt it). */
		const shuffled = (): INodeExecutionData => ({ json: { completeTime: 't', state: 'success', resultUrls: result.resultUrls, model: 'm', taskId: 'task_1' } });
		const run = async (settings: DownloadSettings) => {
			const item = shuffled();
			await addResultFiles.call(ctx, item, result, settings, 0);
			return item;
		};

		it('URLs and files: resultUrls stays fourth, files come last', async () => {
			const item = await run({ output: 'both', maxSizeMB: 0 });
			expect(Object.keys(item.json)).toEqual(['taskId', 'model', 'state', 'resultUrls', 'completeTime', 'files']);
			expect(Object.keys(item.binary ?? {})).toEqual(['data']);
		});

		it('Files Only: no resultUrls, files last', async () => {
			const item = await run({ output: 'binary', maxSizeMB: 0 });
			expect(Object.keys(item.json)).toEqual(['taskId', 'model', 'state', 'completeTime', 'files']);
		});

		it('URLs only: nothing downloaded, the order still applied', async () => {
			const item = await run({ output: 'url', maxSizeMB: 0 });
			expect(item.binary).toBeUndefined();
			expect(Object.keys(item.json)).toEqual(['taskId', 'model', 'state', 'resultUrls', 'completeTime']);
		});
	});
});
