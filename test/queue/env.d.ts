import type { Simulator } from '../../simulator';
import type { FakeOpenAi } from '../support/fake-openai';

export interface QueueWorker {
	name: string;
	server: { stop(): Promise<void>; logs(): string };
}

export interface QueueExecution {
	id: string;
	status: string;
	mode: string;
	data: { resultData: { error?: { message: string }; runData: Record<string, Array<{ data?: { main: Array<Array<{ json: Record<string, unknown>; binary?: Record<string, { id?: string; fileName?: string }> }>> } }>> } };
}

export interface QueueEnv {
	sim: Simulator;
	queue: {
		database: string;
		prefix: string;
		mainUrl: string;
		rest: { request<T = unknown>(method: string, route: string, body?: unknown): Promise<T> };
		webhookUrl: string;
		workers: QueueWorker[];
		startWorker(index: number): Promise<QueueWorker>;
		executionsOn(worker: QueueWorker): string[];
		logs(): string;
	};
	triggerUrl: string;
	post(path: string, prompts: string[]): Promise<{ status: number; body: unknown }>;
	executions(workflowId: string): Promise<Array<{ id: string; status: string }>>;
	execution(id: string): Promise<QueueExecution>;
	waitForExecution(id: string, statuses: string[], timeoutMs?: number): Promise<QueueExecution>;
	timeline: boolean;
	openAi: FakeOpenAi;
	/** The n8n line under test: 2, or 1 for 1.123. */
	n8nMajor: number;
	/** What the stand-in model asks the KIE tool to draw. */
	agentToolPrompt: string;
	/** The PNG the editor-upload workflow makes. */
	uploadedPng: Buffer;
	/** "Execute workflow" (`trigger`) or "Execute step" (`step`, after a run with its `runData`) from the editor. */
	runManually(workflowId: string, how: { trigger?: string; step?: string; runData?: unknown }): Promise<string>;
	report(line: string): void;
	stop(): Promise<{ databases: number; keys: number; processes: number }>;
}

export function startQueueEnv(options?: { packageRoot?: string; genMs?: number; realKie?: boolean }): Promise<QueueEnv>;
export function reach(places: { pg?: { port: number }; redis?: { port: number } }): Promise<void>;
export const HMAC_KEY: string;
/** The ids of the workflows run from the editor. */
export const MANUAL_WORKFLOWS: { modes: string; editorUpload: string; formUpload: string; agent: string };
