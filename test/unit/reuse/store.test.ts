import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { Workflow } from 'n8n-workflow';

import {
	DEFAULT_MAX_BYTES,
	MAX_REUSE_WINDOW_MS,
	REUSE_FIELD,
	openReuse,
	resetProcessReuse,
	reuseKey,
	staticDataWritable,
	type ReuseContext,
	type ReuseOptions,
} from '../../../nodes/shared/reuse';

const MODEL = 'gpt-image/1.5-text-to-image';
const DAY = 24 * 60 * 60 * 1000;
const key = (prompt: string, extra: IDataObject = {}) => reuseKey({ modelId: MODEL, input: { prompt, ...extra } });

interface Fake extends ReuseContext {
	staticData: IDataObject;
	context: IDataObject;
}

/** A node context with the parts the store uses; static data and execution context are plain objects. */
function fakeCtx(options: { mode?: string; active?: boolean; workflowId?: string; node?: string; staticData?: IDataObject; context?: IDataObject } = {}): Fake {
	const staticData = options.staticData ?? {};
	const context = options.context ?? {};
	return {
		staticData,
		context,
		getMode: () => options.mode ?? 'trigger',
		getWorkflow: () => ({ id: options.workflowId ?? 'wf-1', active: options.active ?? true }),
		getNode: () => ({ name: options.node ?? 'KIE Create Task' }),
		getWorkflowStaticData: () => staticData,
		getContext: () => context,
	};
}

const task = (n: number, createdAt?: number) => ({ taskId: `task_${n}`, model: MODEL, family: 'market', createdAt });

beforeEach(() => resetProcessReuse());

describe('Reuse Results store', () => {
	it('accepts n8n’s IExecuteFunctions as its context', () => {
		const ctx = {} as IExecuteFunctions;
		const asReuse: ReuseContext = ctx;
		expect(asReuse).toBe(ctx);
	});

	it('finds a task remembered earlier, in a later execution, through static data', () => {
		const staticData: IDataObject = {};
		const first = openReuse(fakeCtx({ staticData }));
		const slot = first.slot(key('a fox'));
		expect(first.find(slot)).toBeUndefined();
		first.remember(slot, task(1));
		resetProcessReuse(); // another process: only static data carries it
		const second = openReuse(fakeCtx({ staticData: JSON.parse(JSON.stringify(staticData)) }));
		expect(second.find(second.slot(key('a fox')))).toMatchObject({ taskId: 'task_1', model: MODEL, family: 'market', source: 'workflow' });
		expect(second.find(second.slot(key('a cat')))).toBeUndefined();
	});

	it('writes static data immediately, on the object n8n saves, as a new object each time', () => {
		const staticData: IDataObject = {};
		const store = openReuse(fakeCtx({ staticData }));
		const slot = store.slot(key('x'));
		store.remember(slot, task(1));
		const before = staticData[REUSE_FIELD];
		expect(before).toEqual({ v: 1, e: [expect.objectContaining({ k: slot, t: 'task_1', m: MODEL, f: 'market' })] });
		store.remember(store.slot(key('y')), task(2));
		expect(staticData[REUSE_FIELD]).not.toBe(before);
	});

	it('marks n8n’s observable static data as changed (so that n8n saves it)', () => {
		const workflow = new Workflow({ id: 'wf', nodes: [], connections: {}, active: true, nodeTypes: { getByName: () => undefined, getByNameAndVersion: () => undefined, getKnownTypes: () => ({}) } as never, staticData: { 'node:Other': { cursor: 42 } } });
		const nodeData = workflow.getStaticData('node', { name: 'KIE Create Task' } as never);
		expect(workflow.staticData.__dataChanged).toBe(false);
		const store = openReuse({ ...fakeCtx(), getWorkflowStaticData: () => nodeData });
		store.remember(store.slot(key('x')), task(1));
		expect(workflow.staticData.__dataChanged).toBe(true);
		const saved = JSON.parse(JSON.stringify(workflow.staticData)) as IDataObject;
		expect(saved['node:Other']).toEqual({ cursor: 42 });
		expect((saved['node:KIE Create Task'] as IDataObject)[REUSE_FIELD]).toMatchObject({ v: 1 });
	});

	it('keeps the execution’s own record in the node context (what a Retry of the execution starts from)', () => {
		const context: IDataObject = {};
		const store = openReuse(fakeCtx({ mode: 'webhook', active: false, context }));
		store.remember(store.slot(key('x')), task(7));
		resetProcessReuse();
		const retried = openReuse(fakeCtx({ mode: 'retry', active: false, context: JSON.parse(JSON.stringify(context)) }));
		expect(retried.find(retried.slot(key('x')))).toMatchObject({ taskId: 'task_7', source: 'execution' });
	});

	describe('writes static data only where n8n loaded it and saves it', () => {
		it.each([
			['manual', true, false, false],
			['trigger', true, false, true],
			['webhook', true, false, true],
			['trigger', false, false, false], // a queue worker (n8n 2.x) or a copy of the workflow
			['retry', false, true, false], // Retry with original workflow
			['retry', true, false, false], // retry without this node's record: not known to be loaded
			['retry', true, true, true], // Retry with currently saved workflow
		])('mode %s, active %s, record %s → %s', (mode, active, hasRecord, writable) => {
			expect(staticDataWritable(fakeCtx({ mode, active }), hasRecord)).toBe(writable);
			const staticData: IDataObject = hasRecord ? { [REUSE_FIELD]: { v: 1, e: [] } } : {};
			const store = openReuse(fakeCtx({ mode, active, staticData }));
			expect(store.persistsInWorkflow).toBe(writable);
			store.remember(store.slot(key('x')), task(1));
			expect(((staticData[REUSE_FIELD] as IDataObject | undefined)?.e as unknown[] | undefined)?.length ?? 0).toBe(writable ? 1 : 0);
		});
	});

	it('remembers manual executions in this process only, by workflow and node', () => {
		const manual = openReuse(fakeCtx({ mode: 'manual' }));
		manual.remember(manual.slot(key('x')), task(3));
		const again = openReuse(fakeCtx({ mode: 'manual' }));
		expect(again.find(again.slot(key('x')))).toMatchObject({ taskId: 'task_3', source: 'process' });
		const otherNode = openReuse(fakeCtx({ mode: 'manual', node: 'KIE Create Task1' }));
		expect(otherNode.find(otherNode.slot(key('x')))).toBeUndefined();
		const otherWorkflow = openReuse(fakeCtx({ mode: 'manual', workflowId: 'wf-2' }));
		expect(otherWorkflow.find(otherWorkflow.slot(key('x')))).toBeUndefined();
		resetProcessReuse();
		const restarted = openReuse(fakeCtx({ mode: 'manual' }));
		expect(restarted.find(restarted.slot(key('x')))).toBeUndefined();
	});

	it('reuses only within the window, capped at 14 days', () => {
		let now = 1_000_000_000_000;
		const staticData: IDataObject = {};
		const open = (options: ReuseOptions = {}) => openReuse(fakeCtx({ staticData }), { now: () => now, ...options });
		const store = open({ windowMs: DAY });
		store.remember(store.slot(key('x')), task(1));
		now += DAY - 1;
		expect(open({ windowMs: DAY }).find(key('x'))).toBeDefined();
		now += 2;
		expect(open({ windowMs: DAY }).find(key('x'))).toBeUndefined();
		expect(open({ windowMs: 30 * DAY }).windowMs).toBe(MAX_REUSE_WINDOW_MS);
		expect(open({ windowMs: 30 * DAY }).find(key('x'))).toBeDefined();
		now += 14 * DAY;
		expect(open({ windowMs: 30 * DAY }).find(key('x'))).toBeUndefined();
		expect(open({ windowMs: 0 }).find(key('x'))).toBeUndefined();
		// Entries older than 14 days leave static data at the next write.
		open().remember(key('y'), task(2));
		expect(((staticData[REUSE_FIELD] as IDataObject).e as IDataObject[]).map((e) => e.t)).toEqual(['task_2']);
	});

	it('keeps at most N entries, oldest dropped', () => {
		const staticData: IDataObject = {};
		const store = openReuse(fakeCtx({ staticData }), { maxEntries: 10 });
		for (let i = 0; i < 25; i++) store.remember(store.slot(key(`p${i}`)), task(i));
		const entries = (staticData[REUSE_FIELD] as IDataObject).e as IDataObject[];
		expect(entries.map((e) => e.t)).toEqual(Array.from({ length: 10 }, (_, i) => `task_${i + 15}`));
		resetProcessReuse();
		const later = openReuse(fakeCtx({ staticData }), { maxEntries: 10 });
		expect(later.find(later.slot(key('p14')))).toBeUndefined();
		expect(later.find(later.slot(key('p15')))).toMatchObject({ taskId: 'task_15' });
	});

	it('keeps static data within its byte budget (the default holds well over 1,000 entries)', () => {
		const staticData: IDataObject = {};
		const store = openReuse(fakeCtx({ staticData }));
		for (let i = 0; i < 3000; i++) {
			store.remember(store.slot(key(`prompt ${i}`)), { taskId: `3f9c2a61b0e84d7c9a5e${String(i).padStart(12, '0')}`, model: 'bytedance/seedance-1-pro-fast-image-to-video', family: 'market' });
		}
		const size = Buffer.byteLength(JSON.stringify(staticData[REUSE_FIELD]), 'utf8');
		expect(size).toBeLessThanOrEqual(DEFAULT_MAX_BYTES);
		const count = ((staticData[REUSE_FIELD] as IDataObject).e as unknown[]).length;
		expect(count).toBeGreaterThan(1000);
		expect(count).toBeLessThanOrEqual(2000);
		const small = openReuse(fakeCtx({ staticData: {} }), { maxBytes: 4096 });
		const smallData: IDataObject = {};
		const bounded = openReuse(fakeCtx({ staticData: smallData }), { maxBytes: 4096 });
		for (let i = 0; i < 200; i++) bounded.remember(bounded.slot(key(`q${i}`)), task(i));
		expect(Buffer.byteLength(JSON.stringify(smallData[REUSE_FIELD]), 'utf8')).toBeLessThanOrEqual(4096);
		expect(small.windowMs).toBeGreaterThan(0);
	});

	it('never stores the input, a URL or a secret', () => {
		const staticData: IDataObject = {};
		const context: IDataObject = {};
		const store = openReuse(fakeCtx({ staticData, context }));
		const input = {
			prompt: 'SECRET-PROMPT a portrait of my neighbour',
			image_urls: ['https://files.example/private/photo.png?token=SECRET-TOKEN'],
			callBackUrl: 'https://n8n.example/webhook-waiting/9?signature=SECRET-SIGNATURE',
		};
		const slot = store.slot(reuseKey({ modelId: MODEL, input, explicitKey: undefined }));
		store.remember(slot, task(1));
		expect(() => store.remember(slot, { taskId: 'https://kie.example/task/1?token=x', model: MODEL, family: 'market' })).toThrow(/not a URL/);
		for (const stored of [JSON.stringify(staticData), JSON.stringify(context)]) {
			for (const needle of ['SECRET', 'neighbour', 'http', 'files.example', 'token', 'signature', 'photo']) {
				expect(stored).not.toContain(needle);
			}
		}
		// An explicit Reuse Key (e.g. a row id or an e-mail address) is stored only as a hash.
		store.remember(store.slot(reuseKey({ modelId: MODEL, explicitKey: 'SECRET-row-jane@example.com' })), task(3));
		expect(JSON.stringify(staticData)).not.toMatch(/SECRET|jane|example/);
		expect(JSON.stringify(context)).not.toMatch(/SECRET|jane|example/);
		// A URL in the model or family is not stored either.
		store.remember(slot, { taskId: 'task_2', model: 'https://evil.example/m', family: 'market' });
		expect(JSON.stringify(staticData)).not.toContain('evil');
	});

	it('ignores stored entries it cannot trust', () => {
		const staticData: IDataObject = {
			[REUSE_FIELD]: {
				v: 1,
				e: [
					{ k: 'not-a-hash', t: 'task_1', m: MODEL, f: 'market', c: Date.now() },
					{ k: key('url'), t: 'https://x.example/?a=1', m: MODEL, f: 'market', c: Date.now() },
					{ k: key('ok'), t: 'task_ok', m: MODEL, f: 'market', c: Date.now() },
					'garbage',
				],
			},
		};
		const store = openReuse(fakeCtx({ staticData }));
		expect(store.find(key('url'))).toBeUndefined();
		expect(store.find(key('ok'))).toMatchObject({ taskId: 'task_ok' });
	});

	describe('identical items in one run', () => {
		it('by default: the n-th identical item gets the n-th task (4 rows make 4 tasks; a retry reuses all 4)', () => {
			const context: IDataObject = {};
			const run = openReuse(fakeCtx({ context }));
			const slots = [0, 1, 2, 3].map(() => run.slot(key('same')));
			expect(new Set(slots).size).toBe(4);
			expect(slots[0]).toBe(key('same'));
			for (const slot of slots) expect(run.find(slot)).toBeUndefined();
			slots.forEach((slot, i) => run.remember(slot, task(i)));
			const retry = openReuse(fakeCtx({ mode: 'retry', context }));
			expect([0, 1, 2, 3].map(() => retry.find(retry.slot(key('same')))?.taskId)).toEqual(['task_0', 'task_1', 'task_2', 'task_3']);
			// A fifth row in a later run is new.
			const later = openReuse(fakeCtx({ context }));
			const five = [0, 1, 2, 3, 4].map(() => later.find(later.slot(key('same')))?.taskId);
			expect(five[4]).toBeUndefined();
		});

		it('with Reuse Within Run: identical items share one slot', () => {
			const run = openReuse(fakeCtx(), { shareWithinRun: true });
			const slots = [0, 1, 2].map(() => run.slot(key('same')));
			expect(new Set(slots)).toEqual(new Set([key('same')]));
			run.remember(slots[0], task(1));
			expect(run.find(slots[2])).toMatchObject({ taskId: 'task_1' });
		});
	});

	it('forgets a slot everywhere (e.g. its task failed at KIE)', () => {
		const staticData: IDataObject = {};
		const context: IDataObject = {};
		const store = openReuse(fakeCtx({ staticData, context }));
		const slot = store.slot(key('x'));
		store.remember(slot, task(1));
		store.forget(slot);
		expect(store.find(slot)).toBeUndefined();
		expect(JSON.stringify(staticData)).not.toContain('task_1');
		expect(JSON.stringify(context)).not.toContain('task_1');
	});

	it('prefers the newest of the records that know a slot', () => {
		const now = Date.now();
		const staticData: IDataObject = { [REUSE_FIELD]: { v: 1, e: [{ k: key('x'), t: 'old', m: MODEL, f: 'market', c: now - 1000 }] } };
		const context: IDataObject = { [REUSE_FIELD]: { v: 1, e: [{ k: key('x'), t: 'new', m: MODEL, f: 'market', c: now }] } };
		expect(openReuse(fakeCtx({ staticData, context })).find(key('x'))).toMatchObject({ taskId: 'new', source: 'execution' });
	});

	it('refuses a slot that is not a key', () => {
		const store = openReuse(fakeCtx());
		expect(() => store.slot('row-1')).toThrow(/sha256/);
		expect(() => store.find('https://x')).toThrow(/sha256/);
	});
});
