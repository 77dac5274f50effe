import type { INodeParameters } from 'n8n-workflow';

import { KieCreateTask } from '../../nodes/KieCreateTask/KieCreateTask.node';
import { KieGetTask } from '../../nodes/KieGetTask/KieGetTask.node';
import type { ReceivedCallback, Simulator } from '../../simulator';
import { resumeExecution, runWorkflow, type InputItem, type ResumeResult, type RunResult } from '../support/harness';

// The simulator's accepted API key; not a real secret.
export const SIM_ACCOUNT = 'simulator account 01';

export function credentialsFor(sim: Simulator, apiKey = SIM_ACCOUNT) {
	return { kieApi: { apiKey, baseUrl: sim.url, uploadBaseUrl: sim.url, webhookHmacKey: '' } };
}

export const model = (value: string, mode: 'list' | 'id' = 'list') => ({ __rl: true, mode, value });

/** Runs one KIE node after the harness start node, against the simulator, over real HTTP. */
export async function runNode(
	sim: Simulator,
	type: 'kieCreateTask' | 'kieGetTask',
	parameters: INodeParameters,
	options: { input?: InputItem[]; continueOnFail?: boolean; apiKey?: string; abortAfterMs?: number } = {},
): Promise<RunResult> {
	return await runWorkflow({
		nodeTypes: [KieCreateTask, KieGetTask],
		credentials: credentialsFor(sim, options.apiKey),
		nodes: [{ name: 'KIE', type, parameters, continueOnFail: options.continueOnFail }],
		input: options.input ?? [{ json: {} }],
		abortAfterMs: options.abortAfterMs,
	});
}

/** Fast polling for tests: the simulator finishes tasks in a few hundred milliseconds. */
export const FAST: INodeParameters = { pollInterval: 0.1, timeout: 20 };

/** Hands callbacks the simulator sent to a waiting execution, one after another, as n8n's resume endpoint does. */
export async function deliverCallbacks(waiting: RunResult, callbacks: ReceivedCallback[]): Promise<ResumeResult[]> {
	const answers: ResumeResult[] = [];
	for (const callback of callbacks) {
		answers.push(await resumeExecution(waiting, { body: callback.body as never, headers: callback.headers as never, url: callback.path }));
	}
	return answers;
}

/** The node's warning hints of a run (its info hints, e.g. the run's credits, left out). */
export function warningsOf(result: RunResult, node = 'KIE'): string[] {
	const hints = (result.runData[node]?.[0] as { hints?: Array<{ message: string; type?: string }> } | undefined)?.hints ?? [];
	return hints.filter((hint) => hint.type !== 'info').map((hint) => hint.message);
}

/** The node's info hints of a run (the run's credits). */
export function infoHintsOf(result: RunResult, node = 'KIE'): string[] {
	const hints = (result.runData[node]?.[0] as { hints?: Array<{ message: string; type?: string }> } | undefined)?.hints ?? [];
	return hints.filter((hint) => hint.type === 'info').map((hint) => hint.message);
}
