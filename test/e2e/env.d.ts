import type { Simulator, SimulatorOptions } from '../../simulator';

export interface ImportedWorkflow {
	file: string;
	id: string;
	name: string;
	workflow: { nodes: Array<{ name: string; type: string }> };
}

/** What `n8n execute --rawOutput` prints: the run data of the execution. */
export interface ExecuteOutput {
	data: {
		resultData: {
			error?: { message: string };
			runData: Record<string, Array<{ data?: { main: Array<Array<{ json: Record<string, unknown>; pairedItem?: unknown; binary?: Record<string, { data: string; id?: string; storedAt?: string; fileName?: string; mimeType?: string }> }>> }; error?: { message: string } }>>;
		};
	};
	status?: string;
	finished?: boolean;
}

/** n8n's Migration Report, as scripts/lib/migration-report.js reads it. */
export interface MigrationReport {
	/** The version it reports on: v3 on n8n 2.x, v2 on n8n 1.x. */
	version: string;
	/** The n8n version that made it. */
	currentVersion: string;
	workflowIssues: Array<{ ruleId: string; workflowId: string; workflowName: string; issues: string[] }>;
	instanceIssues: Array<{ ruleId: string; title: string; issues: string[] }>;
}
/** Every instance rule of the report, with why it is not about a community package (`setting`: a default n8n 3 changes). */
export const INSTANCE_RULES: Record<string, { setting?: string; why: string }>;
/** The instance rules about a default n8n 3 changes. */
export const N8N3_DEFAULT_RULES: Set<string>;
export function describeReport(report: MigrationReport, options?: { ownWorkflowIds?: Set<string> }): string[];

export interface N8nRest {
	request<T = unknown>(method: string, route: string, body?: unknown): Promise<T>;
}

export interface E2E {
	sim: Simulator;
	/** n8n's SSRF protection is on (KIE_E2E_SSRF=1 or the n8n 3 defaults), with 127.0.0.1 (the simulator) allowed. */
	ssrf: boolean;
	/** The environment of the n8n processes (what `execute` and the server run with). */
	env: Record<string, string>;
	n8nMajor: number;
	userFolder: string;
	/** The `npm pack` tarball installed in this n8n. */
	tarball: string;
	/** Where it was installed: `<userFolder>/.n8n/nodes/node_modules/n8n-nodes-kie-ai`. */
	installedAt: string;
	port: number;
	baseUrl: string;
	imported: ImportedWorkflow[];
	rest: N8nRest;
	workflowId(file: string): string;
	execute(id: string): Promise<ExecuteOutput>;
	startServer(): Promise<unknown>;
	serverLogs(): string;
	waitForPublished(id: string, timeoutMs?: number): Promise<unknown>;
	loadedTypes(): Promise<{
		nodes: Array<{ name: string; displayName: string; version: number | number[]; usableAsTool?: boolean }>;
		credentials: Array<{ name: string; displayName: string }>;
	}>;
	runInServer(id: string, triggerName: string): Promise<string>;
	listExecutions(workflowId: string): Promise<Array<{ id: string; status: string; mode: string }>>;
	waitForExecution(id: string, statuses: string[], timeoutMs?: number): Promise<{ status: string; data: ExecuteOutput['data'] }>;
	getExecution(id: string): Promise<{ status: string; data: ExecuteOutput['data'] }>;
	migrationReport(): Promise<MigrationReport>;
	stop(): Promise<void>;
}

export function startE2E(options?: {
	/** Options of the simulator, over the defaults and REAL_KIE_SIM (realKie on, notIndexedMs 1200). */
	simulator?: SimulatorOptions;
	extraWorkflows?: Array<{ file: string; workflow: unknown }>;
	/** Credentials imported besides the KIE one; a workflow that names one by id keeps it. */
	extraCredentials?: (simulatorUrl: string) => Array<{ id: string; name: string; type: string; data: Record<string, unknown> }>;
	/** Default true: import the example workflows besides `extraWorkflows`. */
	withExamples?: boolean;
}): Promise<E2E>;
export function submitForm(
	baseUrl: string,
	formPath: string,
	values: Array<string | { bytes: Buffer; fileName: string; mimeType: string }>,
	options?: { timeoutMs?: number },
): Promise<{ executionId: string; status: string; page: string; formWaitingUrl: string }>;
export function report(line: string): void;
/** The newest version of n8n's AI Agent in the n8n under test. */
export function latestAgentVersion(): Promise<number>;
export const SIM_KEY: string;
export const HMAC_KEY: string;
/** The simulator's real-KIE behaviours every e2e scenario runs with: `{ realKie: true, notIndexedMs: 1200 }`. */
export const REAL_KIE_SIM: Readonly<Pick<SimulatorOptions, 'realKie' | 'notIndexedMs'>>;
export const E2E_OWNER: { email: string; password: string; firstName: string; lastName: string };
/** The n8n version under test (N8N_VERSION, 2.40.7 by default). */
export const N8N_VERSION: string;
/** A public-looking host name that resolves to 127.0.0.2 inside the e2e n8n (a DNS preload). */
export const PUBLIC_NAME_ON_LOOPBACK: string;
/** KIE_E2E_SSRF=1 or the n8n 3 defaults: the e2e n8n runs with its SSRF protection on. */
export const SSRF_PROTECTION: boolean;
/** KIE_N8N3_DEFAULTS=1: the "n8n 3 defaults" profile (scripts/lib/n8n3-defaults.js) on the newest installable 2.x. */
export const N8N3_DEFAULTS: boolean;
/** What the run is called in test names and reports: "n8n 2.40.7", or "n8n 3 defaults (n8n 2.41.1)". */
export const PROFILE: string;
