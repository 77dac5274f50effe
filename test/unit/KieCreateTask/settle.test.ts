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

describe('BatchSettler: a task is settled once', () => {
	it('a second signed callback for an already settled task (another result) changes nothing', () => {
		const settler = new BatchSettler(record(2));
		const real = result('t0', 'success');
		expect(settler.settle(real)).toBe(true);
		const forged = { ...result('t0', 'success'), resultUrls: ['https://evil.example/x.png'] } as TaskResult;
		expect(settler.settle(forged)).toBe(false);
		expect(settler.settle(result('t0', 'failed'))).toBe(false);
		expect(settler.settled.get('t0')).toBe(real);
		expect(settler.isSettled('t0')).toBe(true);
		expect(settler.settle(result('t1', 'pending'))).toBe(false);
		expect(settler.isSettled('t1')).toBe(false);
	});

	it('a read that comes back after a signed callback settled its task does not replace it', async () => {
		const settler = new BatchSettler(record(1));
		settler.signal('t0');
		let answer: (value: TaskResult) => void = () => undefined;
		const pass = settler.pass(async () => await new Promise<TaskResult>((resolve) => (answer = resolve)));
		await Promise.resolve();
		const signed = result('t0', 'success');
		settler.settle(signed);
		answer({ ...result('t0', 'failed') } as TaskResult);
		await pass;
		expect(settler.settled.get('t0')).toBe(signed);
	});

	it('readNewestFirst never replaces a settled task', async () => {
		const first = result('t1', 'success');
		const settled = new Map<string, TaskResult>();
		await readNewestFirst(record(2).tasks, settled, async (entry) => {
			// Settled meanwhile (a signed callback while this read was on the wire).
			if (entry.taskId === 't1') settled.set('t1', first);
			return result(entry.taskId, 'failed');
		});
		expect(settled.get('t1')).toBe(first);
		expect(settled.get('t0')?.state).toBe('failed');
	});
});

describe('BatchSettler: rounds', () => {
	const INTERVAL = 300;

	it('coalesces unsigned callers: a flood within the interval costs two rounds, and each caller waits for a round that starts after it arrived', async () => {
		const ended = new Set<string>();
		const { reads, read } = kie(ended);
		const settler = new BatchSettler(record(3), Date.now, INTERVAL);
		const started = Date.now();
		const first = settler.pass(read, { paced: true });
		await first;
		expect(reads).toEqual(['t2']);
		// The tasks end; 20 unsigned callers arrive inside the interval.
		for (const taskId of ['t0', 't1', 't2']) ended.add(taskId);
		const callers = Array.from({ length: 20 }, () => settler.pass(read, { paced: true }));
		await Promise.all(callers);
		expect(Date.now() - started).toBeGreaterThanOrEqual(INTERVAL - 20);
		expect(settler.rounds).toBe(2);
		expect(reads).toEqual(['t2', 't2', 't1', 't0']);
		expect(settler.done).toBe(true);
		expect([settler.claim(), settler.claim()]).toEqual([true, false]);
	});

	it('a paced caller right after a round waits until the interval has passed', async () => {
		const { read } = kie(new Set());
		const settler = new BatchSettler(record(1), Date.now, INTERVAL);
		await settler.pass(read, { paced: true });
		const before = Date.now();
		await settler.pass(read, { paced: true });
		expect(Date.now() - before).toBeGreaterThanOrEqual(INTERVAL - 20);
		expect(settler.rounds).toBe(2);
	});

	it('a signed caller does not wait for the interval, and hurries the pending round for those who joined it', async () => {
		const { reads, read } = kie(new Set());
		const settler = new BatchSettler(record(1), Date.now, 60_000);
		await settler.pass(read, { paced: true });
		const before = Date.now();
		const unsigned = settler.pass(read, { paced: true });
		const signed = settler.pass(read);
		await Promise.all([unsigned, signed]);
		expect(Date.now() - before).toBeLessThan(5_000);
		expect(settler.rounds).toBe(2);
		expect(reads).toHaveLength(2);
	});

	it('signed callers that arrive during a round join one next round, not parallel ones', async () => {
		const ended = new Set(['t0', 't1', 't2', 't3']);
		let inFlight = 0;
		let most = 0;
		const read = async (entry: BatchTask) => {
			inFlight++;
			most = Math.max(most, inFlight);
			for (let i = 0; i < 5; i++) await Promise.resolve();
			inFlight--;
			return result(entry.taskId, ended.has(entry.taskId) ? 'success' : 'pending');
		};
		const settler = new BatchSettler(record(4));
		settler.signal('t3');
		await Promise.all([settler.pass(read), settler.pass(read), settler.pass(read), settler.pass(read)]);
		expect(most).toBe(1);
		expect(settler.rounds).toBe(1); // the next round found the batch done and read nothing
		expect(settler.done).toBe(true);
	});

	it('those waiting for the next round are released at once when a signed callback ends the batch', async () => {
		const { reads, read } = kie(new Set());
		const settler = new BatchSettler(record(1), Date.now, 60_000);
		await settler.pass(read, { paced: true });
		const before = Date.now();
		const waiting = settler.pass(read, { paced: true });
		settler.settle(result('t0', 'success'));
		await waiting;
		expect(Date.now() - before).toBeLessThan(5_000);
		expect(reads).toEqual(['t0']);
		expect(settler.done).toBe(true);
	});

	it('a failed round fails its callers only; the next round runs', async () => {
		const settler = new BatchSettler(record(1), Date.now, INTERVAL);
		let fail = true;
		const read = async (entry: BatchTask) => {
			if (fail) throw new Error('429');
			return result(entry.taskId, 'success');
		};
		const first = settler.pass(read, { paced: true });
		const second = settler.pass(read, { paced: true });
		await expect(first).rejects.toThrow('429');
		fail = false;
		await expect(second).resolves.toBeUndefined();
		expect(settler.done).toBe(true);
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
