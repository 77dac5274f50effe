import { parseBatch, type BatchRecord } from '../../../nodes/KieCreateTask/actions/batch';

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

	it('is undefined for anything that is not a batch', () => {
		for (const text of [undefined, '', 'not json', '{"v":1,"tasks":[]}', '{"v":2}', 42]) expect(parseBatch(text)).toBeUndefined();
	});
});
