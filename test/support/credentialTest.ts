/**
 * Runs a credential type's `test` the way n8n's CredentialsTester does: the test request goes
 * through n8n-core's RoutingNode (so `={{$credentials…}}` expressions resolve and `authenticate`
 * applies) over real HTTP, then the `rules` are checked.
 */
import { ExecuteContext, RoutingNode } from 'n8n-core';
import type {
	ICredentialDataDecryptedObject,
	ICredentialType,
	INode,
	INodeExecutionData,
	INodeType,
	ITaskDataConnections,
} from 'n8n-workflow';
import { NodeConnectionTypes, Workflow, createRunExecutionData } from 'n8n-workflow';

import {
	HarnessCredentialTypes,
	HarnessCredentialsHelper,
	HarnessNodeTypes,
	buildAdditionalData,
	internals,
} from './harness';

type CredentialTypeInput = ICredentialType | (new () => ICredentialType);

export interface CredentialTestResult {
	status: 'OK' | 'Error';
	message: string;
}

function getPath(data: unknown, path: string): unknown {
	const keys = path
		.replace(/\[(\w+)\]/g, '.$1')
		.split('.')
		.filter(Boolean);
	let current: unknown = data;
	for (const key of keys) {
		if (current === null || typeof current !== 'object') return undefined;
		current = (current as Record<string, unknown>)[key];
	}
	return current;
}

interface TestErrorShape {
	message?: string;
	cause?: { response?: { status: number; statusText?: string }; code?: string };
}

/**
 * Tests `data` against the credential type's `test` request and rules.
 * `data` is the decrypted credential data; the type's property defaults fill the gaps.
 */
export async function testCredential(
	credentialType: CredentialTypeInput,
	data: ICredentialDataDecryptedObject,
	options: { otherCredentialTypes?: ICredentialType[] } = {},
): Promise<CredentialTestResult> {
	internals.ensureContainer();
	await internals.useBinaryMode('default');
	const type = typeof credentialType === 'function' ? new credentialType() : credentialType;
	if (!type.test) {
		return { status: 'Error', message: 'No testing function found for this credential.' };
	}
	const { request, rules } = type.test;

	const credentialTypes = new HarnessCredentialTypes([
		type,
		...(options.otherCredentialTypes ?? []),
	]);
	const credentialsHelper = new HarnessCredentialsHelper(credentialTypes, { [type.name]: data });
	const decrypted = credentialsHelper.applyDefaults(type.name, data);

	// n8n's tester runs a copy of the NoOp node whose only property routes the test request.
	const testNodeType: INodeType = {
		description: {
			displayName: 'No Operation, do nothing',
			name: 'noOp',
			group: ['organization'],
			version: 1,
			description: 'Credential test carrier',
			defaults: { name: 'No Operation' },
			inputs: [NodeConnectionTypes.Main],
			outputs: [NodeConnectionTypes.Main],
			credentials: [{ name: type.name, required: true }],
			properties: [
				{
					displayName: 'Temp',
					name: 'temp',
					type: 'string',
					routing: { request },
					default: '',
				},
			],
		},
	};
	const node: INode = {
		id: 'temp',
		name: 'Temp-Node',
		type: 'n8n-nodes-base.noOp',
		typeVersion: 1,
		position: [0, 0],
		parameters: {},
		credentials: { [type.name]: { id: 'credential-test', name: 'Credential under test' } },
	};
	const workflow = new Workflow({
		nodes: [node],
		connections: {},
		active: false,
		nodeTypes: new HarnessNodeTypes([testNodeType]),
	});
	const additionalData = buildAdditionalData({
		credentialsHelper,
		workflowId: 'credential-test',
		webhookBaseUrl: 'http://localhost:5678/',
	});
	const inputData: ITaskDataConnections = { main: [[{ json: {} }]] };
	const context = new ExecuteContext(
		workflow,
		node,
		additionalData,
		'internal',
		createRunExecutionData(),
		0,
		[],
		inputData,
		{ node, data: {}, source: null },
		[],
	);
	const routingNode = new RoutingNode(context, testNodeType, {
		id: 'credential-test',
		name: 'Credential under test',
		type: type.name,
		data: decrypted,
	});

	let response: INodeExecutionData[][] | null | undefined;
	try {
		response = await routingNode.runNode();
	} catch (caught) {
		const error = caught as TestErrorShape;
		if (error.cause?.response) {
			const { status, statusText } = error.cause.response;
			for (const rule of rules ?? []) {
				if (rule.type === 'responseCode' && status === rule.properties.value) {
					return { status: 'Error', message: rule.properties.message };
				}
			}
			if (status < 199 || status > 299) {
				return { status: 'Error', message: statusText || `Received HTTP status code: ${status}` };
			}
		} else if (error.cause?.code) {
			return { status: 'Error', message: error.cause.code };
		}
		return { status: 'Error', message: String(error.message) };
	}

	for (const rule of rules ?? []) {
		if (rule.type === 'responseSuccessBody') {
			const json = response?.[0]?.[0]?.json;
			if (getPath(json, rule.properties.key) === rule.properties.value) {
				return { status: 'Error', message: rule.properties.message };
			}
		}
	}
	return { status: 'OK', message: 'Connection successful!' };
}
