/**
 * In-process test harness: runs our nodes through n8n-core's real `WorkflowExecute`, with a small
 * credentials helper, node-type registry and binary-data service, and delivers webhook calls to
 * waiting nodes (resume) and trigger nodes the way n8n's server does.
 *
 * Global state: n8n-core reads some services from the `@n8n/di` container (binary data, instance
 * settings, logger, error reporter). The harness registers its own; runs with different
 * `binaryMode`s must not overlap in time within one test file.
 */
import 'reflect-metadata';

import { Container } from '@n8n/di';
import {
	BinaryDataService,
	ErrorReporter,
	ExecutionLifecycleHooks,
	InstanceSettings,
	WebhookContext,
	WorkflowExecute,
	prepareBinaryData,
} from 'n8n-core';
import type {
	ExecutionBaseError,
	ExecutionStatus,
	IBinaryData,
	ICredentialDataDecryptedObject,
	ICredentialType,
	ICredentials,
	IConnections,
	IDataObject,
	IExecuteFunctions,
	IHttpRequestMethods,
	IHttpRequestOptions,
	INode,
	INodeCredentials,
	INodeCredentialsDetails,
	INodeExecutionData,
	INodeParameters,
	INodeProperties,
	INodeType,
	INodeTypes,
	IRequestOptionsSimplified,
	IRun,
	IRunData,
	IRunExecutionData,
	IVersionedNodeType,
	IWebhookData,
	IWebhookDescription,
	IWebhookResponseData,
	IWorkflowBase,
	IWorkflowExecuteAdditionalData,
	WorkflowExecuteMode,
} from 'n8n-workflow';
import {
	ICredentialsHelper,
	NodeHelpers,
	Workflow,
	createRunExecutionData,
	isExpression,
	jsonStringify,
	sleep,
} from 'n8n-workflow';

import { KieApi } from '../../credentials/KieApi.credentials';
import {
	createFakeRequest,
	createFakeResponse,
	type RecordedResponse,
	type WebhookRequestSpec,
} from './http-fakes';
import { createSilentLogger, getLoggerToken, makeTempDir } from './node-env';
import { HARNESS_START_TYPE, HarnessStart } from './nodes/HarnessStart.node';

export type { RecordedResponse, WebhookRequestSpec } from './http-fakes';

type NodeTypeClass = new () => INodeType | IVersionedNodeType;
type AnyNodeType = INodeType | IVersionedNodeType;
type CredentialTypeClass = new () => ICredentialType;

/** One node of the test workflow. Parameters may be partial: n8n fills in the defaults. */
export interface NodeSpec {
	name: string;
	/** The node type's `description.name`, optionally with a package prefix (`n8n-nodes-kie-ai.kieCreateTask`). */
	type: string;
	parameters?: INodeParameters;
	/** Default: the type's latest version. */
	typeVersion?: number;
	continueOnFail?: boolean;
	onError?: INode['onError'];
	alwaysOutputData?: boolean;
	executeOnce?: boolean;
	retryOnFail?: boolean;
	maxTries?: number;
	waitBetweenTries?: number;
	disabled?: boolean;
	/** Default: one entry for every credential type the node declares that `credentials` provides. */
	credentials?: INodeCredentials;
	id?: string;
	webhookId?: string;
}

/** A file to hand to the start node as binary input. */
export interface BinaryInput {
	buffer: Buffer;
	fileName?: string;
	mimeType?: string;
}

export type InputItem =
	| IDataObject
	| {
			json: IDataObject;
			binary?: Record<string, IBinaryData | BinaryInput>;
			pairedItem?: INodeExecutionData['pairedItem'];
	  };

/** `[from, to]`, `[from, to, outputIndex]` or `[from, to, outputIndex, inputIndex]`. */
export type ConnectionTuple = [string, string, number?, number?];

export type BinaryMode = 'default' | 'filesystem';

export interface RunOptions {
	/** Our node classes; the harness adds its own start node. */
	nodeTypes: NodeTypeClass[];
	/** Default: [KieApi]. */
	credentialTypes?: CredentialTypeClass[];
	/** Decrypted credential data by credential type name; credential-type defaults fill the gaps. */
	credentials?: Record<string, ICredentialDataDecryptedObject>;
	/** Chained after the start node in order unless `connections` is given. */
	nodes: NodeSpec[];
	/** Connections (the start node is called `startNodeName`, default "Start"). */
	connections?: IConnections | ConnectionTuple[];
	/** Items the start node emits (default one empty item). Plain objects become `{ json }`. */
	input?: InputItem[];
	startNodeName?: string;
	/** Cancel the execution after this many ms (like the Stop button). */
	abortAfterMs?: number;
	/** `default` keeps binary data in memory (base64); `filesystem` stores it in a temp dir. */
	binaryMode?: BinaryMode;
	/** Default: a new id per run. */
	executionId?: string;
	workflowId?: string;
	/** n8n's WEBHOOK_URL; `$execution.resumeUrl` is `<webhookBaseUrl>webhook-waiting/<id>?signature=<token>`. */
	webhookBaseUrl?: string;
	/** Default 'manual'. */
	mode?: WorkflowExecuteMode;
	/** Workflow static data; the object is updated in place. */
	staticData?: IDataObject;
	/**
	 * Whether the workflow runs as active (published), as n8n builds it for a trigger or webhook execution in
	 * regular mode. Default false (a manual run, or a copy of the workflow).
	 */
	active?: boolean;
	settings?: IWorkflowBase['settings'];
	/** Default: a random token (n8n creates one per execution). */
	resumeToken?: string;
}

export interface RunResult {
	status: ExecutionStatus;
	finished: boolean;
	/** The execution error (e.g. a NodeApiError) if any. */
	error?: ExecutionBaseError;
	executionId: string;
	/** `$execution.resumeUrl` of this execution. */
	resumeUrl: string;
	runData: IRunData;
	waitTill?: Date;
	/** Node names in the order they finished. */
	nodeExecutionOrder: string[];
	/** Execution status values the engine reported through `setExecutionStatus` (e.g. 'waiting'). */
	reportedStatuses: ExecutionStatus[];
	/** Directory of the filesystem binary store (filesystem mode only). */
	binaryStoragePath?: string;
	/** The full `IRun` from the engine. */
	run: IRun;
	/** Output items of a node's run (default: its last run). Empty when it did not run. */
	output(nodeName: string, outputIndex?: number, runIndex?: number): INodeExecutionData[];
	/** The error recorded on a node's run (default: its last run). */
	nodeError(nodeName: string, runIndex?: number): ExecutionBaseError | undefined;
	/** Reads an item's binary property back, in either binary mode. */
	binaryBuffer(item: INodeExecutionData, prop?: string): Promise<Buffer>;
}

const DEFAULT_WEBHOOK_BASE_URL = 'http://localhost:5678/';
const DEFAULT_WORKFLOW_ID = 'harness-workflow';

// ---------------------------------------------------------------------------------------------
// DI container: services n8n-core fetches with Container.get
// ---------------------------------------------------------------------------------------------

let containerReady = false;
let n8nFolder = '';

function ensureContainer(): void {
	if (containerReady) return;
	containerReady = true;
	n8nFolder = makeTempDir('kie-harness-n8n-');
	// The real InstanceSettings reads and writes ~/.n8n/config on construction.
	const instanceSettings = {
		instanceId: 'harness-instance',
		hostId: 'main-harness',
		hmacSignatureSecret: 'harness-hmac-secret',
		encryptionKey: 'harness-encryption-key',
		n8nFolder,
		staticCacheDir: `${n8nFolder}/cache`,
		customExtensionDir: `${n8nFolder}/custom`,
		instanceType: 'main',
		instanceRole: 'leader',
		isLeader: true,
		isFollower: false,
		isMultiMain: false,
		isSingleMain: true,
		isWorker: false,
	};
	Container.set(InstanceSettings, instanceSettings as unknown as InstanceSettings);
	const silent = createSilentLogger();
	Container.set(getLoggerToken() as never, silent as never);
	const errorReporter = { error: () => {}, warn: () => {}, info: () => {} };
	Container.set(ErrorReporter, errorReporter as unknown as ErrorReporter);
}

interface BinaryStore {
	service: BinaryDataService;
	storagePath?: string;
}

const binaryStores: Partial<Record<BinaryMode, BinaryStore>> = {};

async function useBinaryMode(mode: BinaryMode): Promise<BinaryStore> {
	ensureContainer();
	let store = binaryStores[mode];
	if (!store) {
		const storagePath = mode === 'filesystem' ? makeTempDir('kie-harness-binary-') : undefined;
		const config = {
			mode,
			availableModes: ['filesystem'],
			localStoragePath: storagePath ?? `${n8nFolder}/binaryData`,
			signingSecret: 'harness-binary-signing-secret',
			dbMaxFileSize: 512,
		} as unknown as ConstructorParameters<typeof BinaryDataService>[0];
		const service = new BinaryDataService(
			config,
			Container.get(ErrorReporter),
			createSilentLogger() as unknown as ConstructorParameters<typeof BinaryDataService>[2],
		);
		// Without init() no storage manager exists and binary data stays in memory as base64,
		// which is n8n's 'default' mode.
		if (mode === 'filesystem') await service.init();
		store = { service, storagePath };
		binaryStores[mode] = store;
	}
	Container.set(BinaryDataService, store.service);
	return store;
}

// ---------------------------------------------------------------------------------------------
// Node and credential types
// ---------------------------------------------------------------------------------------------

function shortTypeName(type: string): string {
	const dot = type.lastIndexOf('.');
	return dot === -1 ? type : type.slice(dot + 1);
}

/**
 * WorkflowExecute records a node's error as a plain-object copy (`{ ...error, message, stack }`),
 * so `instanceof NodeApiError` fails on it. The registry wraps `execute()` to keep the thrown
 * error itself, by node name, for the execution in progress.
 */
function captureErrors(type: INodeType, thrown: Map<string, Error>): void {
	const execute = type.execute;
	if (!execute || (execute as { harnessWrapped?: boolean }).harnessWrapped) return;
	const wrapped = async function (this: IExecuteFunctions) {
		const name = this.getNode().name;
		const running = execute.call(this);
		// Observe the rejection; the engine still receives it through `running`.
		running.catch((error: Error) => thrown.set(name, error));
		return await running;
	};
	(wrapped as { harnessWrapped?: boolean }).harnessWrapped = true;
	type.execute = wrapped as INodeType['execute'];
}

export class HarnessNodeTypes implements INodeTypes {
	private readonly types = new Map<string, AnyNodeType>();

	/** Errors thrown by `execute()`, by node name (cleared per execution). */
	readonly thrownErrors = new Map<string, Error>();

	constructor(types: AnyNodeType[] = []) {
		for (const type of types) this.register(type);
	}

	register(type: AnyNodeType, name = type.description.name): void {
		const versions = 'nodeVersions' in type ? Object.values(type.nodeVersions) : [type];
		for (const version of versions) captureErrors(version, this.thrownErrors);
		this.types.set(shortTypeName(name), type);
	}

	getByName(nodeType: string): AnyNodeType {
		const type = this.types.get(shortTypeName(nodeType));
		if (!type) throw new Error(`The test harness does not know node type "${nodeType}"`);
		return type;
	}

	getByNameAndVersion(nodeType: string, version?: number): INodeType {
		return NodeHelpers.getVersionedNodeType(this.getByName(nodeType), version);
	}

	getKnownTypes(): IDataObject {
		return {};
	}
}

function latestVersion(type: AnyNodeType): number {
	if ('nodeVersions' in type) {
		return (
			type.description.defaultVersion ?? Math.max(...Object.keys(type.nodeVersions).map(Number))
		);
	}
	const { version, defaultVersion } = type.description;
	if (defaultVersion !== undefined) return defaultVersion;
	return Array.isArray(version) ? Math.max(...version) : version;
}

export class HarnessCredentialTypes {
	private readonly types = new Map<string, ICredentialType>();

	constructor(types: ICredentialType[]) {
		for (const type of types) this.types.set(type.name, type);
	}

	getByName(name: string): ICredentialType {
		const type = this.types.get(name);
		if (!type) throw new Error(`The test harness does not know credential type "${name}"`);
		return type;
	}

	recognizes(name: string): boolean {
		return this.types.has(name);
	}

	getParentTypes(name: string): string[] {
		const parents = this.types.get(name)?.extends ?? [];
		return parents.flatMap((parent) => [parent, ...this.getParentTypes(parent)]);
	}
}

/**
 * Credentials helper with fixed decrypted data. Like n8n's it fills in the credential type's
 * defaults and applies `authenticate` (functions, and generic ones with `={{$credentials…}}`
 * expressions resolved by the workflow's expression engine).
 */
export class HarnessCredentialsHelper extends ICredentialsHelper {
	constructor(
		readonly credentialTypes: HarnessCredentialTypes,
		private readonly data: Record<string, ICredentialDataDecryptedObject> = {},
	) {
		super();
	}

	getParentTypes(name: string): string[] {
		return this.credentialTypes.getParentTypes(name);
	}

	isCredentialUsableByNode(): boolean {
		return true;
	}

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		requestOptions: IHttpRequestOptions | IRequestOptionsSimplified,
		workflow?: Workflow,
		node?: INode,
	): Promise<IHttpRequestOptions> {
		const { authenticate } = this.credentialTypes.getByName(typeName);
		if (typeof authenticate === 'function') {
			return await authenticate(credentials, requestOptions as IHttpRequestOptions);
		}
		if (authenticate?.type === 'generic') {
			if (!workflow || !node) {
				throw new Error('Generic credential authentication needs the workflow and node');
			}
			const resolve = (value: string): string => {
				if (!isExpression(value)) return value;
				const resolved = workflow.expression.getSimpleParameterValue(
					node,
					value,
					'internal',
					{ $credentials: credentials },
					undefined,
					'',
				);
				return resolved ? String(resolved as string) : '';
			};
			const target = requestOptions as unknown as Record<string, Record<string, unknown>>;
			for (const [outerKey, entries] of Object.entries(authenticate.properties)) {
				target[outerKey] ??= {};
				for (const [key, value] of Object.entries(entries as Record<string, string>)) {
					target[outerKey][resolve(key)] = resolve(value);
				}
			}
		}
		return requestOptions as IHttpRequestOptions;
	}

	async preAuthentication(): Promise<ICredentialDataDecryptedObject | undefined> {
		return undefined;
	}

	async runPreAuthentication(): Promise<ICredentialDataDecryptedObject | undefined> {
		return undefined;
	}

	async getCredentials(
		nodeCredentials: INodeCredentialsDetails,
		type: string,
	): Promise<ICredentials> {
		const data = await this.getDecrypted(
			{} as IWorkflowExecuteAdditionalData,
			nodeCredentials,
			type,
		);
		return {
			id: nodeCredentials.id ?? undefined,
			name: nodeCredentials.name,
			type,
			data: JSON.stringify(data),
			getData: () => data,
			getDataToSave: () => ({ id: nodeCredentials.id, name: nodeCredentials.name, type, data: '' }),
			setData: () => {},
		} as unknown as ICredentials;
	}

	async getDecrypted(
		_additionalData: IWorkflowExecuteAdditionalData,
		_nodeCredentials: INodeCredentialsDetails,
		type: string,
	): Promise<ICredentialDataDecryptedObject> {
		const data = this.data[type];
		if (data === undefined) {
			throw new Error(`The test harness has no credentials of type "${type}"`);
		}
		return this.applyDefaults(type, data);
	}

	applyDefaults(
		type: string,
		data: ICredentialDataDecryptedObject,
	): ICredentialDataDecryptedObject {
		const withDefaults = NodeHelpers.getNodeParameters(
			this.getCredentialsProperties(type),
			structuredClone(data) as INodeParameters,
			true,
			false,
			null,
			null,
		);
		return { ...structuredClone(data), ...(withDefaults as ICredentialDataDecryptedObject) };
	}

	async updateCredentials(): Promise<void> {}

	async updateCredentialsOauthTokenData(): Promise<void> {}

	getCredentialsProperties(type: string): INodeProperties[] {
		const credentialType = this.credentialTypes.getByName(type);
		const inherited = (credentialType.extends ?? []).flatMap((parent) =>
			this.getCredentialsProperties(parent),
		);
		return [...inherited, ...credentialType.properties];
	}
}

// ---------------------------------------------------------------------------------------------
// additionalData
// ---------------------------------------------------------------------------------------------

interface AdditionalDataOptions {
	credentialsHelper: ICredentialsHelper;
	executionId?: string;
	workflowId: string;
	webhookBaseUrl: string;
	hooks?: ExecutionLifecycleHooks;
	reportedStatuses?: ExecutionStatus[];
}

function notAvailable(what: string) {
	return async () => {
		throw new Error(`${what} is not available in the test harness`);
	};
}

export function buildAdditionalData(
	options: AdditionalDataOptions,
): IWorkflowExecuteAdditionalData {
	const base = options.webhookBaseUrl.endsWith('/')
		? options.webhookBaseUrl
		: `${options.webhookBaseUrl}/`;
	const additionalData: Partial<IWorkflowExecuteAdditionalData> = {
		credentialsHelper: options.credentialsHelper,
		hooks: options.hooks,
		executionId: options.executionId,
		workflowId: options.workflowId,
		executeWorkflow: notAvailable('executeWorkflow'),
		getRunExecutionData: async () => undefined,
		getRuntimeCredential: async () => undefined,
		startRunnerTask: notAvailable('startRunnerTask') as never,
		logAiEvent: () => {},
		currentNodeExecutionIndex: 0,
		restApiUrl: `${base}rest`,
		instanceBaseUrl: base,
		formBaseUrl: `${base}form`,
		formWaitingBaseUrl: `${base}form-waiting`,
		formTestBaseUrl: `${base}form-test`,
		webhookBaseUrl: `${base}webhook`,
		webhookWaitingBaseUrl: `${base}webhook-waiting`,
		webhookTestBaseUrl: `${base}webhook-test`,
		mcpBaseUrl: `${base}mcp`,
		mcpTestBaseUrl: `${base}mcp-test`,
		variables: {},
		setExecutionStatus: (status) => options.reportedStatuses?.push(status),
		sendDataToUI: () => {},
		externalSecretsProxy: {
			hasProvider: () => false,
			hasSecret: () => false,
			getSecret: () => undefined,
			listProviders: () => [],
			listSecrets: () => [],
		} as unknown as IWorkflowExecuteAdditionalData['externalSecretsProxy'],
	};
	return additionalData as IWorkflowExecuteAdditionalData;
}

// ---------------------------------------------------------------------------------------------
// runWorkflow
// ---------------------------------------------------------------------------------------------

/** Everything needed to continue an execution later (resume). */
interface ExecutionState {
	mode: WorkflowExecuteMode;
	executionId: string;
	workflowId: string;
	webhookBaseUrl: string;
	nodes: INode[];
	connections: IConnections;
	settings: IWorkflowBase['settings'];
	staticData: IDataObject;
	active: boolean;
	nodeTypes: HarnessNodeTypes;
	credentialsHelper: HarnessCredentialsHelper;
	binaryMode: BinaryMode;
	resumeToken: string;
	/** The engine's execution data after the run (the waiting state for a waiting run). */
	runExecutionData: IRunExecutionData;
	consumed: boolean;
}

const executionStates = new WeakMap<RunResult, ExecutionState>();
let executionCounter = 0;

function isExecutionItem(value: InputItem): value is Extract<InputItem, { json: IDataObject }> {
	if (typeof value !== 'object' || value === null || !('json' in value)) return false;
	const json = (value as { json: unknown }).json;
	return (
		typeof json === 'object' &&
		json !== null &&
		!Array.isArray(json) &&
		Object.keys(value).every((key) => ['json', 'binary', 'pairedItem'].includes(key))
	);
}

function isBinaryInput(value: unknown): value is BinaryInput {
	return (
		typeof value === 'object' &&
		value !== null &&
		Buffer.isBuffer((value as { buffer?: unknown }).buffer)
	);
}

/** Convenience for `input: [{ json: {}, binary: { data: binaryInput(buf, 'a.png') } }]`. */
export function binaryInput(buffer: Buffer, fileName?: string, mimeType?: string): BinaryInput {
	return { buffer, fileName, mimeType };
}

async function normalizeInput(
	input: InputItem[] | undefined,
	executionId: string,
	workflowId: string,
): Promise<INodeExecutionData[]> {
	if (!input) return [{ json: {} }];
	const items: INodeExecutionData[] = [];
	for (const entry of input) {
		if (!isExecutionItem(entry)) {
			items.push({ json: entry as IDataObject });
			continue;
		}
		const item: INodeExecutionData = { json: entry.json };
		if (entry.pairedItem !== undefined) item.pairedItem = entry.pairedItem;
		if (entry.binary) {
			item.binary = {};
			for (const [key, value] of Object.entries(entry.binary)) {
				item.binary[key] = isBinaryInput(value)
					? await prepareBinaryData(
							value.buffer,
							executionId,
							workflowId,
							value.fileName,
							value.mimeType,
						)
					: value;
			}
		}
		items.push(item);
	}
	return items;
}

function toConnections(
	startName: string,
	nodes: NodeSpec[],
	connections: RunOptions['connections'],
): IConnections {
	if (connections !== undefined && !Array.isArray(connections)) return connections;
	const tuples: ConnectionTuple[] =
		connections ??
		nodes.map((node, index) => [index === 0 ? startName : nodes[index - 1].name, node.name]);
	const result: IConnections = {};
	for (const [from, to, outputIndex = 0, inputIndex = 0] of tuples) {
		const main = (result[from] ??= { main: [] }).main;
		while (main.length <= outputIndex) main.push([]);
		(main[outputIndex] ??= []).push({ node: to, type: 'main', index: inputIndex });
	}
	return result;
}

function toNode(
	spec: NodeSpec,
	index: number,
	nodeTypes: HarnessNodeTypes,
	credentialsHelper: HarnessCredentialsHelper,
	available: Record<string, unknown>,
): INode {
	const type = nodeTypes.getByName(spec.type);
	const typeVersion = spec.typeVersion ?? latestVersion(type);
	const described =
		nodeTypes.getByNameAndVersion(spec.type, typeVersion).description.credentials ?? [];
	let credentials = spec.credentials;
	if (!credentials) {
		const matching = described.filter(
			(c) =>
				available[c.name] !== undefined && credentialsHelper.credentialTypes.recognizes(c.name),
		);
		if (matching.length) {
			credentials = Object.fromEntries(
				matching.map((c) => [c.name, { id: `${c.name}-test`, name: `${c.name} (test)` }]),
			);
		}
	}
	const node: INode = {
		id: spec.id ?? `node-${index + 1}`,
		name: spec.name,
		type: spec.type,
		typeVersion,
		position: [(index + 1) * 200, 0],
		parameters: structuredClone(spec.parameters ?? {}),
	};
	if (credentials) node.credentials = credentials;
	const optional: Array<keyof NodeSpec & keyof INode> = [
		'continueOnFail',
		'onError',
		'alwaysOutputData',
		'executeOnce',
		'retryOnFail',
		'maxTries',
		'waitBetweenTries',
		'disabled',
		'webhookId',
	];
	for (const key of optional) {
		if (spec[key] !== undefined) (node as unknown as IDataObject)[key] = spec[key] as never;
	}
	return node;
}

function createWorkflow(
	state: Pick<
		ExecutionState,
		'workflowId' | 'nodes' | 'connections' | 'settings' | 'staticData' | 'nodeTypes' | 'active'
	>,
): Workflow {
	return new Workflow({
		id: state.workflowId,
		name: 'Harness workflow',
		nodes: structuredClone(state.nodes),
		connections: state.connections,
		active: state.active,
		nodeTypes: state.nodeTypes,
		staticData: state.staticData,
		settings: state.settings,
	});
}

/** Copies the workflow's static data back into the caller's object (n8n saves it after a run). */
function saveStaticData(workflow: Workflow, target: IDataObject): boolean {
	const changed = workflow.staticData.__dataChanged === true;
	const snapshot = JSON.parse(JSON.stringify(workflow.staticData)) as IDataObject;
	delete snapshot.__dataChanged;
	for (const key of Object.keys(target)) delete target[key];
	Object.assign(target, snapshot);
	return changed;
}

/** Runs the workflow built from `opts` to its end (success, error, waiting or canceled). */
export async function runWorkflow(opts: RunOptions): Promise<RunResult> {
	const binaryMode = opts.binaryMode ?? 'default';
	await useBinaryMode(binaryMode);
	const executionId = opts.executionId ?? String(++executionCounter);
	const workflowId = opts.workflowId ?? DEFAULT_WORKFLOW_ID;
	const startName = opts.startNodeName ?? 'Start';

	const nodeTypes = new HarnessNodeTypes([
		new HarnessStart(),
		...opts.nodeTypes.map((T) => new T()),
	]);
	const credentialTypes = new HarnessCredentialTypes(
		(opts.credentialTypes ?? [KieApi]).map((T) => new T()),
	);
	const credentialsHelper = new HarnessCredentialsHelper(credentialTypes, opts.credentials ?? {});

	const startNode: INode = {
		id: 'harness-start',
		name: startName,
		type: HARNESS_START_TYPE,
		typeVersion: 1,
		position: [0, 0],
		parameters: {},
	};
	const available = opts.credentials ?? {};
	const nodes = [
		startNode,
		...opts.nodes.map((spec, index) =>
			toNode(spec, index, nodeTypes, credentialsHelper, available),
		),
	];
	const state: ExecutionState = {
		mode: opts.mode ?? 'manual',
		executionId,
		workflowId,
		webhookBaseUrl: opts.webhookBaseUrl ?? DEFAULT_WEBHOOK_BASE_URL,
		nodes,
		connections: toConnections(startName, opts.nodes, opts.connections),
		settings: { executionOrder: 'v1', ...opts.settings },
		staticData: opts.staticData ?? {},
		active: opts.active === true,
		nodeTypes,
		credentialsHelper,
		binaryMode,
		resumeToken: opts.resumeToken ?? '',
		runExecutionData: undefined as unknown as IRunExecutionData,
		consumed: false,
	};
	const workflow = createWorkflow(state);
	// Default parameter values are part of the stored workflow in n8n, so keep the filled-in nodes.
	state.nodes = structuredClone(Object.values(workflow.nodes));

	const items = await normalizeInput(opts.input, executionId, workflowId);
	const runExecutionData = createRunExecutionData({
		executionData: {
			nodeExecutionStack: [
				{ node: workflow.nodes[startName], data: { main: [items] }, source: null },
			],
		},
		resumeToken: opts.resumeToken,
	});
	state.resumeToken = runExecutionData.resumeToken ?? '';
	return await execute(state, workflow, runExecutionData, opts.abortAfterMs);
}

async function execute(
	state: ExecutionState,
	workflow: Workflow,
	runExecutionData: IRunExecutionData,
	abortAfterMs?: number,
): Promise<RunResult> {
	const store = await useBinaryMode(state.binaryMode);
	const workflowData = {
		id: state.workflowId,
		name: workflow.name,
		active: state.active,
		nodes: state.nodes,
		connections: state.connections,
		settings: state.settings,
		createdAt: new Date(),
		updatedAt: new Date(),
	} as unknown as IWorkflowBase;
	const hooks = new ExecutionLifecycleHooks(state.mode, state.executionId, workflowData);
	const nodeExecutionOrder: string[] = [];
	hooks.addHandler('nodeExecuteAfter', (nodeName) => {
		nodeExecutionOrder.push(nodeName);
	});
	let resolveRun!: (run: IRun) => void;
	let rejectRun!: (error: Error) => void;
	const runPromise = new Promise<IRun>((resolve, reject) => {
		resolveRun = resolve;
		rejectRun = reject;
	});
	// The first report wins: on cancel the engine reports the canceled run at once and its
	// own promise never settles.
	hooks.addHandler('workflowExecuteAfter', (fullRunData) => resolveRun(fullRunData));
	const reportedStatuses: ExecutionStatus[] = [];
	const additionalData = buildAdditionalData({
		credentialsHelper: state.credentialsHelper,
		executionId: state.executionId,
		workflowId: state.workflowId,
		webhookBaseUrl: state.webhookBaseUrl,
		hooks,
		reportedStatuses,
	});

	state.nodeTypes.thrownErrors.clear();
	const workflowExecute = new WorkflowExecute(additionalData, state.mode, runExecutionData);
	const running = workflowExecute.processRunExecutionData(workflow);
	running.then(resolveRun, rejectRun);
	if (abortAfterMs !== undefined) {
		void sleep(abortAfterMs).then(() => running.cancel());
	}
	const run = await runPromise;
	saveStaticData(workflow, state.staticData);
	state.runExecutionData = run.data;
	const result = makeResult(state, run, nodeExecutionOrder, reportedStatuses, store);
	executionStates.set(result, state);
	return result;
}

function makeResult(
	state: ExecutionState,
	run: IRun,
	nodeExecutionOrder: string[],
	reportedStatuses: ExecutionStatus[],
	store: BinaryStore,
): RunResult {
	const { runData } = run.data.resultData;
	const taskAt = (nodeName: string, runIndex?: number) => {
		const tasks = runData[nodeName] ?? [];
		return runIndex === undefined ? tasks.at(-1) : tasks[runIndex];
	};
	const resumeUrl = new URL(
		`${buildAdditionalData({ credentialsHelper: state.credentialsHelper, workflowId: state.workflowId, webhookBaseUrl: state.webhookBaseUrl }).webhookWaitingBaseUrl}/${state.executionId}`,
	);
	if (state.resumeToken) resumeUrl.searchParams.set('signature', state.resumeToken);
	// Prefer the error instance the node threw over the engine's plain-object copy of it.
	const thrownErrors = new Map(state.nodeTypes.thrownErrors);
	const preferThrown = (recorded: ExecutionBaseError | undefined, nodeName?: string) => {
		const thrown = nodeName ? thrownErrors.get(nodeName) : undefined;
		return recorded && thrown && thrown.message === recorded.message
			? (thrown as ExecutionBaseError)
			: recorded;
	};
	const { error } = run.data.resultData;
	const executionError = preferThrown(
		error,
		(error as { node?: INode } | undefined)?.node?.name ?? run.data.resultData.lastNodeExecuted,
	);
	return {
		status: run.status,
		finished: run.finished === true,
		error: executionError,
		executionId: state.executionId,
		resumeUrl: resumeUrl.toString(),
		runData,
		waitTill: run.waitTill ?? undefined,
		nodeExecutionOrder,
		reportedStatuses,
		binaryStoragePath: store.storagePath,
		run,
		output: (nodeName, outputIndex = 0, runIndex) =>
			taskAt(nodeName, runIndex)?.data?.main?.[outputIndex] ?? [],
		nodeError: (nodeName, runIndex) => preferThrown(taskAt(nodeName, runIndex)?.error, nodeName),
		binaryBuffer: async (item, prop = 'data') => {
			const binary = item.binary?.[prop];
			if (!binary) throw new Error(`The item has no binary property "${prop}"`);
			return await store.service.getAsBuffer(binary);
		},
	};
}

/** Reads binary data back through the currently registered binary service. */
export async function readBinary(binary: IBinaryData): Promise<Buffer> {
	return await Container.get(BinaryDataService).getAsBuffer(binary);
}

// ---------------------------------------------------------------------------------------------
// Resume a waiting execution (n8n's WaitingWebhooks)
// ---------------------------------------------------------------------------------------------

export interface ResumeRequest extends WebhookRequestSpec {
	/** The path after the execution id (`/webhook-waiting/<id>/<suffix>`); default ''. */
	suffix?: string;
}

export interface ResumeResult {
	/** What n8n answers the caller: 200, or 401 (bad signature), 404, 409 (not waiting). */
	statusCode: number;
	/** The answer's body as n8n would send it. */
	body?: unknown;
	/** What the node wrote through `getResponseObject()`. */
	response: RecordedResponse;
	/** What `webhook()` returned (undefined when it was not called). */
	webhookResult?: IWebhookResponseData;
	/** `webhook()` returned workflowData and the execution continued. */
	resumed: boolean;
	/** The continued execution, when resumed. */
	run?: RunResult;
}

/** Reversible copy of the execution data, as a database round trip would make it. */
function cloneExecutionData(data: IRunExecutionData): IRunExecutionData {
	const copy = JSON.parse(jsonStringify(data, { replaceCircularRefs: true })) as IRunExecutionData;
	if (data.waitTill) copy.waitTill = new Date(data.waitTill);
	return copy;
}

function conflict(message: string): ResumeResult {
	return {
		statusCode: 409,
		body: { message },
		response: { headers: {}, ended: false },
		resumed: false,
	};
}

function resolveWebhookField(
	workflow: Workflow,
	node: INode,
	value: unknown,
	mode: WorkflowExecuteMode,
	fallback: string,
): string {
	if (typeof value !== 'string') return fallback;
	if (!isExpression(value)) return value;
	const resolved = workflow.expression.getSimpleParameterValue(
		node,
		value,
		mode,
		{},
		undefined,
		fallback,
	);
	return resolved === undefined || resolved === null ? fallback : String(resolved as string);
}

/** Answer n8n gives for `responseMode: 'onReceived'`. */
function webhookAnswer(
	result: IWebhookResponseData,
	response: RecordedResponse,
): { statusCode: number; body?: unknown } {
	if (response.ended || result.noWebhookResponse) {
		return { statusCode: response.statusCode ?? 200, body: response.body };
	}
	if (result.webhookResponse !== undefined)
		return { statusCode: 200, body: result.webhookResponse };
	if (result.workflowData !== undefined) {
		return { statusCode: 200, body: { message: 'Workflow was started' } };
	}
	return { statusCode: 200, body: { message: 'Webhook call received' } };
}

/**
 * Delivers an HTTP call to the waiting node's `restartWebhook` webhook, as n8n's WaitingWebhooks
 * does. If `webhook()` returns workflowData, the waiting node is disabled, its output replaced by
 * that data and the execution runs on to its end (`result.run`). Otherwise the execution keeps
 * waiting and `waiting` can be resumed again.
 *
 * With `url` (e.g. the `resumeUrl` KIE was given) its execution id and `signature` are checked:
 * another id answers 404, a wrong or missing signature 401.
 */
export async function resumeExecution(
	waiting: RunResult,
	request: ResumeRequest = {},
): Promise<ResumeResult> {
	const state = executionStates.get(waiting);
	if (!state) throw new Error('resumeExecution needs a RunResult returned by the harness');

	let suffix = request.suffix ?? '';
	if (request.url !== undefined) {
		const url = new URL(request.url, 'http://harness.local');
		const match = /\/webhook-waiting\/([^/]+)(?:\/(.+))?$/.exec(url.pathname);
		if (!match || match[1] !== state.executionId) {
			return {
				statusCode: 404,
				body: { message: 'The execution does not exist' },
				response: { headers: {}, ended: false },
				resumed: false,
			};
		}
		suffix = request.suffix ?? match[2] ?? '';
		if (url.searchParams.get('signature') !== state.resumeToken) {
			return {
				statusCode: 401,
				body: { error: 'Invalid token' },
				response: { headers: {}, ended: false },
				resumed: false,
			};
		}
	}
	if (state.consumed) return conflict(`The execution "${state.executionId}" has resumed already.`);
	if (state.runExecutionData.resultData.error) {
		return conflict(`The execution "${state.executionId}" has finished with error.`);
	}
	if (waiting.status !== 'waiting') {
		return conflict(`The execution "${state.executionId}" has finished already.`);
	}

	await useBinaryMode(state.binaryMode);
	const data = cloneExecutionData(state.runExecutionData);
	const lastNodeExecuted = data.resultData.lastNodeExecuted;
	const workflow = createWorkflow(state);
	const node = lastNodeExecuted ? workflow.getNode(lastNodeExecuted) : null;
	if (!node) throw new Error('The waiting execution has no last executed node');
	const nodeType = workflow.nodeTypes.getByNameAndVersion(node.type, node.typeVersion);
	const method = request.method ?? 'POST';
	const webhookDescription = (nodeType.description.webhooks ?? []).find(
		(webhook) =>
			webhook.restartWebhook === true &&
			resolveWebhookField(workflow, node, webhook.httpMethod, state.mode, 'GET') === method &&
			resolveWebhookField(workflow, node, webhook.path, state.mode, '') === suffix,
	);
	if (!webhookDescription || !nodeType.webhook) {
		return {
			statusCode: 404,
			body: {
				message: `The workflow for execution "${state.executionId}" does not contain a waiting webhook with a matching path/method.`,
			},
			response: { headers: {}, ended: false },
			resumed: false,
		};
	}

	// WaitingWebhooks: disable the waiting node, drop waitTill and the node's waiting run.
	const stack = data.executionData!.nodeExecutionStack;
	stack[0].node.disabled = true;
	data.waitTill = undefined;
	data.resultData.runData[lastNodeExecuted!]?.pop();

	const req = createFakeRequest({
		...request,
		method,
		url: request.url ?? `/webhook-waiting/${state.executionId}${suffix ? `/${suffix}` : ''}`,
	});
	const res = createFakeResponse();
	const { webhookResult } = await callWebhook({
		workflow,
		node,
		nodeType,
		webhookDescription,
		credentialsHelper: state.credentialsHelper,
		executionId: state.executionId,
		workflowId: state.workflowId,
		webhookBaseUrl: state.webhookBaseUrl,
		mode: state.mode,
		runExecutionData: data,
		req,
		res,
		method,
		path: suffix,
	});
	saveStaticData(workflow, state.staticData);
	const answer = webhookAnswer(webhookResult, res.recorded);
	if (webhookResult.workflowData === undefined) {
		return { ...answer, response: res.recorded, webhookResult, resumed: false };
	}

	stack[0].data.main = webhookResult.workflowData;
	stack[0].metadata = { ...stack[0].metadata, forwardAllOutputs: true };
	state.consumed = true;
	const next: ExecutionState = { ...state, consumed: false };
	const run = await execute(next, createWorkflow(next), data);
	return { ...answer, response: res.recorded, webhookResult, resumed: true, run };
}

/**
 * Continues a waiting execution as n8n's WaitTracker does when `waitTill` passes: the waiting
 * node is disabled and passes its original input through; no node code runs for it.
 */
export async function resumeAfterTimeout(waiting: RunResult): Promise<RunResult> {
	const state = executionStates.get(waiting);
	if (!state) throw new Error('resumeAfterTimeout needs a RunResult returned by the harness');
	if (state.consumed || waiting.status !== 'waiting') {
		throw new Error(`Execution "${state.executionId}" is not waiting`);
	}
	state.consumed = true;
	const next: ExecutionState = { ...state, consumed: false };
	return await execute(next, createWorkflow(next), cloneExecutionData(state.runExecutionData));
}

/**
 * Retries a failed execution as n8n's executions list does (ExecutionService.retry): a new execution in
 * mode "retry" that starts from the failed one's data (its nodes' contexts included), with the error and
 * the failed run of the last node dropped, so that the engine runs that node again. The workflow is the
 * one the failed execution ran ("Retry with original workflow"), inactive, with the same static data object.
 */
export async function retryExecution(failed: RunResult): Promise<RunResult> {
	const state = executionStates.get(failed);
	if (!state) throw new Error('retryExecution needs a RunResult returned by the harness');
	if (failed.status !== 'error') throw new Error(`Execution "${state.executionId}" did not fail (${failed.status})`);
	const data = cloneExecutionData(state.runExecutionData);
	delete data.resultData.error;
	const last = data.resultData.lastNodeExecuted;
	const runs = last ? data.resultData.runData[last] : undefined;
	if (runs?.length && runs[runs.length - 1].error !== undefined) runs.pop();
	const next: ExecutionState = { ...state, mode: 'retry', active: false, executionId: String(++executionCounter), consumed: false };
	return await execute(next, createWorkflow(next), data);
}

// ---------------------------------------------------------------------------------------------
// Webhook calls
// ---------------------------------------------------------------------------------------------

interface CallWebhookOptions {
	workflow: Workflow;
	node: INode;
	nodeType: INodeType;
	webhookDescription: IWebhookDescription;
	credentialsHelper: HarnessCredentialsHelper;
	executionId?: string;
	workflowId: string;
	webhookBaseUrl: string;
	mode: WorkflowExecuteMode;
	runExecutionData: IRunExecutionData | null;
	req: ReturnType<typeof createFakeRequest>;
	res: ReturnType<typeof createFakeResponse>;
	method: string;
	path: string;
	isTest?: boolean;
}

async function callWebhook(
	options: CallWebhookOptions,
): Promise<{ webhookResult: IWebhookResponseData }> {
	const additionalData = buildAdditionalData({
		credentialsHelper: options.credentialsHelper,
		executionId: options.executionId,
		workflowId: options.workflowId,
		webhookBaseUrl: options.webhookBaseUrl,
	});
	additionalData.httpRequest =
		options.req as unknown as IWorkflowExecuteAdditionalData['httpRequest'];
	additionalData.httpResponse =
		options.res as unknown as IWorkflowExecuteAdditionalData['httpResponse'];
	const webhookData: IWebhookData = {
		httpMethod: options.method as IHttpRequestMethods,
		node: options.node.name,
		path: options.path,
		webhookDescription: options.webhookDescription,
		workflowId: options.workflowId,
		workflowExecuteAdditionalData: additionalData,
		webhookId: options.node.webhookId,
		isTest: options.isTest,
	};
	const context = new WebhookContext(
		options.workflow,
		options.node,
		additionalData,
		options.mode,
		webhookData,
		[],
		options.runExecutionData,
	);
	const webhookResult = await options.nodeType.webhook!.call(context);
	return { webhookResult };
}

export interface WebhookCallOptions {
	credentialTypes?: CredentialTypeClass[];
	/**
	 * Workflow static data, shared between calls and updated in place. Default: one object per
	 * `workflowId` kept by the harness for the whole test file (see `resetWebhookStaticData`).
	 */
	staticData?: IDataObject;
	/** Default 'default'. */
	webhookName?: string;
	/** Default 'webhook' (production URL); 'manual' for the test URL. */
	mode?: WorkflowExecuteMode;
	nodeName?: string;
	typeVersion?: number;
	webhookId?: string;
	workflowId?: string;
	webhookBaseUrl?: string;
	binaryMode?: BinaryMode;
}

export interface WebhookCallResult {
	/** What `webhook()` returned. */
	webhookResult: IWebhookResponseData;
	/** `webhookResult.workflowData`: the items that would start a run. */
	workflowData?: INodeExecutionData[][];
	/** What n8n answers the caller (onReceived semantics). */
	statusCode: number;
	body?: unknown;
	/** What the node wrote through `getResponseObject()`. */
	response: RecordedResponse;
	/** The static data after the call (the shared object). */
	staticData: IDataObject;
	staticDataChanged: boolean;
	binaryBuffer(item: INodeExecutionData, prop?: string): Promise<Buffer>;
}

const sharedStaticData = new Map<string, IDataObject>();

/** Forgets the static data `runWebhook` keeps between calls. */
export function resetWebhookStaticData(): void {
	sharedStaticData.clear();
}

/**
 * Calls a trigger node's `webhook()` with a real n8n-core WebhookContext, as n8n does for a
 * production webhook call. Does not run the workflow that `workflowData` would start.
 */
export async function runWebhook(
	nodeType: (new () => INodeType) | INodeType,
	parameters: INodeParameters = {},
	credentials: Record<string, ICredentialDataDecryptedObject> = {},
	request: WebhookRequestSpec = {},
	options: WebhookCallOptions = {},
): Promise<WebhookCallResult> {
	const store = await useBinaryMode(options.binaryMode ?? 'default');
	const type = typeof nodeType === 'function' ? new nodeType() : nodeType;
	if (!type.webhook)
		throw new Error(`Node type "${type.description.name}" has no webhook() method`);
	const workflowId = options.workflowId ?? DEFAULT_WORKFLOW_ID;
	const nodeTypes = new HarnessNodeTypes([type]);
	const credentialsHelper = new HarnessCredentialsHelper(
		new HarnessCredentialTypes((options.credentialTypes ?? [KieApi]).map((T) => new T())),
		credentials,
	);
	const node = toNode(
		{
			name: options.nodeName ?? type.description.defaults.name ?? type.description.displayName,
			type: type.description.name,
			typeVersion: options.typeVersion,
			parameters,
			webhookId: options.webhookId ?? 'harness-webhook-id',
		},
		0,
		nodeTypes,
		credentialsHelper,
		credentials,
	);
	let staticData = options.staticData;
	if (!staticData) {
		staticData = sharedStaticData.get(workflowId) ?? {};
		sharedStaticData.set(workflowId, staticData);
	}
	const mode = options.mode ?? 'webhook';
	const workflow = createWorkflow({
		workflowId,
		nodes: [node],
		connections: {},
		settings: { executionOrder: 'v1' },
		staticData,
		active: false,
		nodeTypes,
	});
	const workflowNode = workflow.getNode(node.name)!;
	const versioned = nodeTypes.getByNameAndVersion(workflowNode.type, workflowNode.typeVersion);
	const webhookName = options.webhookName ?? 'default';
	const webhookDescription = (versioned.description.webhooks ?? []).find(
		(webhook) => webhook.name === webhookName && webhook.restartWebhook !== true,
	);
	if (!webhookDescription) {
		throw new Error(`Node type "${type.description.name}" has no webhook named "${webhookName}"`);
	}
	const method =
		request.method ??
		resolveWebhookField(workflow, workflowNode, webhookDescription.httpMethod, mode, 'GET');
	const path = resolveWebhookField(workflow, workflowNode, webhookDescription.path, mode, '');
	const req = createFakeRequest({
		...request,
		method: method as WebhookRequestSpec['method'],
		url: request.url ?? `/webhook/${workflowNode.webhookId}/${path}`,
	});
	const res = createFakeResponse();
	const { webhookResult } = await callWebhook({
		workflow,
		node: workflowNode,
		nodeType: versioned,
		webhookDescription,
		credentialsHelper,
		workflowId,
		webhookBaseUrl: options.webhookBaseUrl ?? DEFAULT_WEBHOOK_BASE_URL,
		mode,
		runExecutionData: null,
		req,
		res,
		method,
		path,
		isTest: mode === 'manual',
	});
	const staticDataChanged = saveStaticData(workflow, staticData);
	const answer = webhookAnswer(webhookResult, res.recorded);
	return {
		webhookResult,
		workflowData: webhookResult.workflowData,
		...answer,
		response: res.recorded,
		staticData,
		staticDataChanged,
		binaryBuffer: async (item, prop = 'data') => {
			const binary = item.binary?.[prop];
			if (!binary) throw new Error(`The item has no binary property "${prop}"`);
			return await store.service.getAsBuffer(binary);
		},
	};
}

/** Internal pieces for other support modules (credential tester). */
export const internals = { ensureContainer, useBinaryMode };
