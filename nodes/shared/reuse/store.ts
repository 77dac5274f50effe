import type { IDataObject } from 'n8n-workflow';

import { BoundedMap } from '../webhook/store';
import { sha256Hex } from './key';

/**
 * Reuse Results: which task a reuse key (see key.ts) was created as, so that the same request is not paid
 * for twice. Three records, all bounded, none holding an input, a URL or a secret (only key hashes, task
 * ids, model ids, family names and times):
 *
 * - the execution's own record: the node's execution context (`getContext('node')`). n8n saves it with the
 *   execution's data and a Retry of the execution from the executions list starts from that data, so a
 *   retried execution finds what the failed one created, in every mode (regular or queue, original or
 *   saved workflow). Retry On Fail runs the node again in the same execution, with the same context.
 * - the workflow's static data (`getWorkflowStaticData('node')`): n8n saves it at the end of a production
 *   execution (success or error, not when canceled) and loads it when a trigger or webhook starts the next
 *   one, in regular mode. Written only where n8n loaded it (see `staticDataWritable`).
 * - this process's memory, by workflow id and node name: manual executions (n8n never saves their static
 *   data), and every execution this process runs (a queue worker, a retry whose static data n8n did not
 *   load).
 */

/** KIE keeps a task's result 14 days: a task older than that is never reused. */
export const MAX_REUSE_WINDOW_MS = 14 * 24 * 60 * 60 * 1000;
export const DEFAULT_REUSE_WINDOW_MS = 24 * 60 * 60 * 1000;
/** Entries kept per node in static data and in the execution context. */
export const DEFAULT_MAX_ENTRIES = 2000;
/** JSON bytes of the entries kept per node in static data and in the execution context (~1,400 entries). */
export const DEFAULT_MAX_BYTES = 256 * 1024;
/** Entries kept in this process's memory, over all workflows and nodes. */
export const PROCESS_MAX_ENTRIES = 20_000;

/** Where the store keeps its record in the node's static data and execution context. */
export const REUSE_FIELD = 'kieReuse';
const FORMAT = 1;

/** One remembered task, as stored: short field names, no input, no URL. */
export interface ReuseEntry {
	/** The slot: the reuse key (sha256 hex) of the item, or of its n-th occurrence in a run (see `slot`). */
	k: string;
	/** KIE's task id. */
	t: string;
	/** The model id. */
	m: string;
	/** The API family name (market, veo, suno…). */
	f: string;
	/** When the task was created (ms since epoch). */
	c: number;
}

interface StoredRecord {
	v: number;
	/** Oldest first. */
	e: ReuseEntry[];
}

export interface ReusedTask {
	taskId: string;
	model: string;
	family: string;
	/** ms since epoch. */
	createdAt: number;
	/** Which record had it (the newest of them when more did). */
	source: 'execution' | 'workflow' | 'process';
}

export interface RememberedTask {
	taskId: string;
	model: string;
	family: string;
	/** Default: now. */
	createdAt?: number;
}

/** The part of `IExecuteFunctions` the store uses (kept small so that it can be faked in tests). */
export interface ReuseContext {
	getMode(): string;
	getWorkflow(): { id?: string | null; active?: boolean | null };
	getNode(): { name: string };
	getWorkflowStaticData(type: 'node' | 'global'): IDataObject;
	getContext?(type: 'node' | 'flow'): IDataObject;
}

export interface ReuseOptions {
	/** Only tasks created within this window are reused; capped at 14 days (KIE keeps results that long). */
	windowMs?: number;
	/**
	 * Items of one run with the same key share one task ("Reuse Within Run"). Off (default): the n-th item
	 * with a key gets the n-th task created for that key, so 4 identical rows still make 4 tasks, and a
	 * retry of that run reuses all 4.
	 */
	shareWithinRun?: boolean;
	maxEntries?: number;
	maxBytes?: number;
	/** For tests. */
	now?: () => number;
}

export interface ReuseStore {
	/** The window in effect (ms), after the cap. */
	readonly windowMs: number;
	/** Whether this execution writes the workflow's static data (see `staticDataWritable`). */
	readonly persistsInWorkflow: boolean;
	/**
	 * The slot of the next item with `key`: call once per item, in item order, before creating anything.
	 * The first item with a key gets the key itself, the n-th (n ≥ 1, counted from 0) a hash of key and n;
	 * with `shareWithinRun` every item gets the key itself.
	 */
	slot(key: string): string;
	/** The task remembered for `slot` and created within the window, if any. */
	find(slot: string): ReusedTask | undefined;
	/** Remembers `task` for `slot`, at once in every record this execution writes. */
	remember(slot: string, task: RememberedTask): void;
	/** Forgets `slot` (e.g. its task failed at KIE or cannot be read with this credential). */
	forget(slot: string): void;
}

// ---------------------------------------------------------------------------------------------

const processRecord = new BoundedMap<string, ReuseEntry>(PROCESS_MAX_ENTRIES, MAX_REUSE_WINDOW_MS);

/** Forgets what this process remembers (tests: a new process). */
export function resetProcessReuse(): void {
	processRecord.clear();
}

const HEX_64 = /^[0-9a-f]{64}$/;
/** A value that could be a URL or carry one: never stored. */
const URL_LIKE = /:\/\/|[?#\s@]|^\/\//;

function cleanText(value: unknown, max: number): string | undefined {
	if (typeof value !== 'string') return undefined;
	const text = value.trim();
	if (text === '' || text.length > max || URL_LIKE.test(text)) return undefined;
	return text;
}

function validEntry(value: unknown): ReuseEntry | undefined {
	if (typeof value !== 'object' || value === null) return undefined;
	const raw = value as Record<string, unknown>;
	const k = typeof raw.k === 'string' && HEX_64.test(raw.k) ? raw.k : undefined;
	const t = cleanText(raw.t, 200);
	const m = cleanText(raw.m, 200) ?? '';
	const f = cleanText(raw.f, 50) ?? '';
	const c = typeof raw.c === 'number' && Number.isFinite(raw.c) ? raw.c : undefined;
	if (!k || !t || c === undefined) return undefined;
	return { k, t, m, f, c };
}

/** `{"v":1,"e":[` … `]}` */
const RECORD_OVERHEAD = 16;

function entryBytes(entry: ReuseEntry): number {
	return Buffer.byteLength(JSON.stringify(entry), 'utf8') + 1;
}

/**
 * One bounded record (static data or execution context): entries in insertion order, one per slot, at most
 * `maxEntries` and `maxBytes` of JSON, none older than 14 days; the oldest go first.
 */
class BoundedRecord {
	readonly entries = new Map<string, ReuseEntry>();
	private bytes = 0;

	constructor(
		stored: unknown,
		private readonly maxEntries: number,
		private readonly maxBytes: number,
		private readonly now: () => number,
	) {
		const list = (stored as Partial<StoredRecord> | undefined)?.e;
		if (Array.isArray(list)) {
			for (const raw of list) {
				const entry = validEntry(raw);
				if (entry) this.put(entry);
			}
		}
		this.dropExpired();
		this.trim();
	}

	get(slot: string): ReuseEntry | undefined {
		return this.entries.get(slot);
	}

	put(entry: ReuseEntry): void {
		this.delete(entry.k);
		this.entries.set(entry.k, entry);
		this.bytes += entryBytes(entry);
	}

	delete(slot: string): boolean {
		const old = this.entries.get(slot);
		if (!old) return false;
		this.entries.delete(slot);
		this.bytes -= entryBytes(old);
		return true;
	}

	/** Drops the oldest entries while over the count or the byte budget. */
	trim(): void {
		for (const slot of this.entries.keys()) {
			if (this.entries.size <= this.maxEntries && this.bytes + RECORD_OVERHEAD <= this.maxBytes) break;
			this.delete(slot);
		}
	}

	/** Drops entries older than 14 days (never reused: KIE no longer has their results). */
	dropExpired(): void {
		const oldest = this.now() - MAX_REUSE_WINDOW_MS;
		for (const [slot, entry] of this.entries) if (entry.c < oldest) this.delete(slot);
	}

	toStored(): StoredRecord {
		const oldest = this.now() - MAX_REUSE_WINDOW_MS;
		return { v: FORMAT, e: [...this.entries.values()].filter((entry) => entry.c >= oldest) };
	}
}

/**
 * Whether n8n saves this execution's static data after it loaded it from the database, so that writing it
 * keeps what other nodes and earlier executions stored:
 * - never in manual executions (n8n does not save them);
 * - only when the workflow runs as active (published). In regular mode n8n builds the workflow of a trigger
 *   or webhook execution from the database, active, with its static data. A queue worker builds it from the
 *   execution's stored snapshot, which keeps neither the static data nor the active flag (n8n 2.40
 *   `toWorkflowSnapshot`, 1.123 `ExecutionRepository.createNewExecution`; `JobProcessor` reloads static
 *   data only for a resumed execution, and 1.123 for a new one, still inactive), and a retry (either kind)
 *   runs an inactive copy without it (`ExecutionService.retry`): n8n would then overwrite the workflow's
 *   static data with only what this run wrote;
 * - a retry writes only when it found this node's record (never, as n8n runs retries today).
 */
export function staticDataWritable(ctx: ReuseContext, hasRecord: boolean): boolean {
	const mode = ctx.getMode();
	if (mode === 'manual') return false;
	if (ctx.getWorkflow().active !== true) return false;
	if (mode === 'retry' && !hasRecord) return false;
	return true;
}

function processKey(ctx: ReuseContext, slot: string): string {
	return `${ctx.getWorkflow().id ?? ''}\n${ctx.getNode().name}\n${slot}`;
}

function safely<T>(read: () => T): T | undefined {
	try {
		return read();
	} catch {
		return undefined;
	}
}

/**
 * Opens the reuse records of the node `ctx` runs: its execution context, the workflow's static data and
 * this process's memory. Open once per node run (per `execute()` call).
 */
export function openReuse(ctx: ReuseContext, options: ReuseOptions = {}): ReuseStore {
	const now = options.now ?? Date.now;
	const maxEntries = Math.max(1, Math.floor(options.maxEntries ?? DEFAULT_MAX_ENTRIES));
	const maxBytes = Math.max(1024, Math.floor(options.maxBytes ?? DEFAULT_MAX_BYTES));
	const requested = typeof options.windowMs === 'number' && !Number.isNaN(options.windowMs) ? options.windowMs : DEFAULT_REUSE_WINDOW_MS;
	const windowMs = Math.min(Math.max(0, requested), MAX_REUSE_WINDOW_MS);

	const context = typeof ctx.getContext === 'function' ? safely(() => ctx.getContext!('node')) : undefined;
	const staticData = safely(() => ctx.getWorkflowStaticData('node'));
	const storedStatic = staticData?.[REUSE_FIELD];
	const executionRecord = context ? new BoundedRecord(context[REUSE_FIELD], maxEntries, maxBytes, now) : undefined;
	const workflowRecord = staticData ? new BoundedRecord(storedStatic, maxEntries, maxBytes, now) : undefined;
	const persistsInWorkflow = staticData !== undefined && staticDataWritable(ctx, storedStatic !== undefined);

	const occurrences = new Map<string, number>();

	const save = () => {
		if (context && executionRecord) context[REUSE_FIELD] = executionRecord.toStored() as unknown as IDataObject;
		// A new object each time: n8n marks static data changed on assignment (nested pushes may go unseen).
		if (persistsInWorkflow && workflowRecord) staticData![REUSE_FIELD] = workflowRecord.toStored() as unknown as IDataObject;
	};

	const checkSlot = (slot: string) => {
		if (!HEX_64.test(slot)) throw new TypeError('Reuse Results: a slot is a sha256 hex from slot()');
	};

	return {
		windowMs,
		persistsInWorkflow,

		slot(key: string): string {
			checkSlot(key);
			if (options.shareWithinRun) return key;
			const n = occurrences.get(key) ?? 0;
			occurrences.set(key, n + 1);
			return n === 0 ? key : sha256Hex(`${key}#${n}`);
		},

		find(slot: string): ReusedTask | undefined {
			checkSlot(slot);
			if (windowMs <= 0) return undefined;
			const since = now() - windowMs;
			const found: Array<[ReuseEntry | undefined, ReusedTask['source']]> = [
				[executionRecord?.get(slot), 'execution'],
				[workflowRecord?.get(slot), 'workflow'],
				[processRecord.get(processKey(ctx, slot)), 'process'],
			];
			let best: ReusedTask | undefined;
			for (const [entry, source] of found) {
				if (!entry || entry.c < since) continue;
				if (best && best.createdAt >= entry.c) continue;
				best = { taskId: entry.t, model: entry.m, family: entry.f, createdAt: entry.c, source };
			}
			return best;
		},

		remember(slot: string, task: RememberedTask): void {
			checkSlot(slot);
			const entry = validEntry({ k: slot, t: task.taskId, m: task.model, f: task.family, c: task.createdAt ?? now() });
			if (!entry) throw new TypeError('Reuse Results: a task id (not a URL) is needed to remember a task');
			for (const record of [executionRecord, persistsInWorkflow ? workflowRecord : undefined]) {
				if (!record) continue;
				record.put(entry);
				record.trim();
			}
			processRecord.set(processKey(ctx, slot), entry, Math.max(1, entry.c + MAX_REUSE_WINDOW_MS - now()));
			save();
		},

		forget(slot: string): void {
			checkSlot(slot);
			let changed = false;
			if (executionRecord?.delete(slot)) changed = true;
			// Forgotten here even when this execution does not write static data: it is not found again.
			if (workflowRecord?.delete(slot) && persistsInWorkflow) changed = true;
			processRecord.delete(processKey(ctx, slot));
			if (changed) save();
		},
	};
}
