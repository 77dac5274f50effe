import { BatchSettler, batchItems, readNewestFirst } from '../../../nodes/KieCreateTask/actions/settle';
import type { BatchRecord, BatchTask } from '../../../nodes/KieCreateTask/actions/batch';
import type { TaskResult } from '../../../nodes/shared/families/result';

const task = (index: number): BatchTask => ({ item: index, taskId: `t${index}`, family: 'market', model: 'm' });
const result = (taskId: string, state: TaskResult['state']) =>
	({ taskId, model: 'm', state, resultUrls: state === 'success' ? [`https://e.com/${taskId}.png`] : [], raw: {} }) as unknown as TaskResult;

function record(count: number): BatchRecord {
	return {
		v: 2,
		resumeUrl: 'http://n8n/webhook-waiting/1',
		since: '2026-11-30T12:00:00.000Z',
		items: count,
		download: { output: 'url', maxSizeMB: 200 },
		includeRaw: false,
		tasks: Array.from({ length: count }, (_, index) => task(index)),
		unsubmitted: [],
		settled: [],
	};
}

/** A KIE stand-in: which tasks have ended, and every read made. */
function kie(ended: Set<string>) {
	const reads: string[] = [];
	const read = async (entry: BatchTask) => {
		reads.push(entry.taskId);
		await Promise.resolve();
		return result(entry.taskId, ended.has(entry.taskId) ? 'success' : 'pending');
	};
	return { reads, read };
}

describe('readNewestFirst', () => {
	it('reads unsettled tasks from the newest, and stops at the first that still runs', async () => {
		const { reads, read } = kie(new Set(['t0', 't1', 't3']));
		const settled = new Map([['t4', result('t4', 'success')]]);
		await readNewestFirst(record(5).tasks, settled, read);
		expect(reads).toEqual(['t3', 't2']);
		expect([...settled.keys()].sort()).toEqual(['t3', 't4']);
	});

	it('does not read a task again that this pass read already', async () => {
		const { reads, read } = kie(new Set());
		await readNewestFirst(record(3).tasks, new Map(), read, new Map([['t2', result('t2', 'pending')]]));
		expect(reads).toEqual([]);
	});
});

describe('BatchSettler', () => {
	it('starts from the tasks that had ended before the wait', () => {
		const batch = { ...record(2), settled: [result('t0', 'success'), result('other', 'success')] };
		const settler = new BatchSettler(batch);
		expect(settler.open).toBe(1);
		expect(settler.has('other')).toBe(false);
	});

	it('joins simultaneous callbacks into one pass that goes round once more for the new signals', async () => {
		const ended = new Set(['t0', 't1', 't2', 't3']);
		const { reads, read } = kie(ended);
		const settler = new BatchSettler(record(4));
		settler.signal('t3');
		const first = settler.pass(read);
		settler.signal('t2');
		settler.signal('t1');
		const second = settler.pass(read);
		await Promise.all([first, second]);
		expect(settler.done).toBe(true);
		// t3 (signal) + t2, t1, t0 (newest first); the second round's signals were already settled.
		expect(reads).toEqual(['t3', 't2', 't1', 't0']);
		expect(settler.reads).toBe(4);
	});

	it('lets one caller claim the resume, and another after a minute without one', () => {
		let now = 0;
		const settler = new BatchSettler(record(1), () => now);
		expect(settler.claim()).toBe(false); // not done
		settler.settle(result('t0', 'success'));
		settler.settle(result('t9', 'success')); // not in the batch: ignored
		expect(settler.claim()).toBe(true);
		expect(settler.claim()).toBe(false);
		expect(settler.claimed).toBe(true);
		now = 61_000;
		expect(settler.claimed).toBe(false);
		expect(settler.claim()).toBe(true);
		settler.unclaim();
		expect(settler.claim()).toBe(true);
	});

	it('keeps what was read, and the signals not read, when a read fails', async () => {
		const settler = new BatchSettler(record(3));
		settler.signal('t2');
		settler.signal('t0');
		let calls = 0;
		await expect(
			settler.pass(async (entry) => {
				if (++calls === 2) throw new Error('429');
				return result(entry.taskId, 'success');
			}),
		).rejects.toThrow('429');
		expect([...settler.settled.keys()]).toEqual(['t2']);
		const { reads, read } = kie(new Set(['t0', 't1']));
		await settler.pass(read);
		expect(reads).toEqual(['t0', 't1']);
		expect(settler.done).toBe(true);
	});

	it.each([
		['every callback arrives', 0],
		['the first half of the callbacks came while the node was submitting (refused by n8n)', 20],
	])('settles 40 tasks with at most 2N reads when %s (unsigned: each callback is read)', async (_name, lost) => {
		const N = 40;
		const ended = new Set<string>();
		const { reads, read } = kie(ended);
		const settler = new BatchSettler(record(N));
		// Tasks end in a shuffled order; each delivered callback signals its task and runs a pass.
		const order = Array.from({ length: N }, (_, index) => index).sort((a, b) => ((a * 7919) % 41) - ((b * 7919) % 41));
		for (const [position, index] of order.entries()) {
			ended.add(`t${index}`);
			if (position < lost) continue;
			settler.signal(`t${index}`);
			await settler.pass(read);
		}
		expect(settler.done).toBe(true);
		expect(reads.length).toBeLessThanOrEqual(2 * N);
	});
});

describe('batchItems', () => {
	it('outputs one item per input item, in input order, with the errors of failed and unsubmitted items', () => {
		const batch: BatchRecord = {
			...record(2),
			items: 3,
			tasks: [
				{ item: 2, taskId: 't2', family: 'market', model: 'm' },
				{ item: 0, taskId: 't0', family: 'market', model: 'm' },
			],
			unsubmitted: [{ item: 1, json: { error: 'Item 2: "Prompt" is required' } }],
		};
		const failed = { ...result('t2', 'failed'), failMsg: 'boom' } as TaskResult;
		const items = batchItems(batch, new Map([['t0', result('t0', 'success')], ['t2', failed]]));
		expect(items.map(({ item }) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(items.map(({ item }) => item.json.error)).toEqual([undefined, 'Item 2: "Prompt" is required', 'Task t2 failed at KIE: boom']);
	});
});
