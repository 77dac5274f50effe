import type { Simulator } from '../../simulator';

export interface QueueWorker {
	name: string;
	server: { stop(): Promise<void>; logs(): string };
}

export interface QueueExecution {
	id: string;
	status: string;
	data: { resultData: { error?: { message: string }; runData: Record<string, Array<{ data?: { main: Array<Array<{ json: Record<string, unknown> }>> } }>> } };
}

export interface QueueEnv {
	sim: Simulator;
	queue: {
		database: string;
		prefix: string;
		mainUrl: string;
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
	report(line: string): void;
	stop(): Promise<{ databases: number; keys: number; processes: number }>;
}

export function startQueueEnv(options?: { packageRoot?: string; genMs?: number; realKie?: boolean }): Promise<QueueEnv>;
export function reach(places: { pg?: { port: number }; redis?: { port: number } }): Promise<void>;
export const HMAC_KEY: string;
