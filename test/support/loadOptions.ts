/**
 * Runs a node's `methods.listSearch` and `methods.resourceMapping` functions the way n8n's editor does: through n8n-core's real
 * LoadOptionsContext, with the harness credentials, so requests go over real HTTP with the
 * credential's authentication applied.
 */
import { LoadOptionsContext } from 'n8n-core';
import type {
	ICredentialDataDecryptedObject,
	INode,
	INodeListSearchResult,
	INodeParameters,
	INodeType,
	ResourceMapperFields,
} from 'n8n-workflow';
import { Workflow } from 'n8n-workflow';

import { KieApi } from '../../credentials/KieApi.credentials';
import {
	HarnessCredentialTypes,
	HarnessCredentialsHelper,
	HarnessNodeTypes,
	buildAdditionalData,
	internals,
} from './harness';

export interface ListSearchOptions {
	/** Decrypted credential data by credential type name; none = a node without credentials. */
	credentials?: Record<string, ICredentialDataDecryptedObject>;
	parameters?: INodeParameters;
	filter?: string;
	paginationToken?: string;
}

/** n8n-core's real LoadOptionsContext for a one-node workflow of `type`, as the editor's requests build it. */
function loadOptionsContext(type: INodeType, path: string, options: ListSearchOptions): LoadOptionsContext {
	internals.ensureContainer();
	const nodeTypes = new HarnessNodeTypes([type]);
	const credentialTypes = new HarnessCredentialTypes([new KieApi()]);
	const credentialsHelper = new HarnessCredentialsHelper(credentialTypes, options.credentials ?? {});
	const node: INode = {
		id: 'list-search-node',
		name: 'KIE',
		type: type.description.name,
		typeVersion: 1,
		position: [0, 0],
		parameters: options.parameters ?? {},
	};
	if (options.credentials) {
		node.credentials = Object.fromEntries(
			Object.keys(options.credentials).map((name) => [name, { id: `${name}-test`, name: `${name} (test)` }]),
		);
	}
	const workflow = new Workflow({
		id: 'list-search-workflow',
		nodes: [node],
		connections: {},
		active: false,
		nodeTypes,
	});
	const additionalData = buildAdditionalData({
		credentialsHelper,
		workflowId: 'list-search-workflow',
		webhookBaseUrl: 'http://localhost:5678/',
	});
	// What the editor sends with the request: the node's parameters as they are on the canvas.
	additionalData.currentNodeParameters = node.parameters;
	return new LoadOptionsContext(workflow, node, additionalData, path);
}

export async function runListSearch(
	nodeType: new () => INodeType,
	method: string,
	options: ListSearchOptions = {},
): Promise<INodeListSearchResult> {
	const type = new nodeType();
	const search = type.methods?.listSearch?.[method];
	if (!search) throw new Error(`${type.description.name} has no listSearch method ${method}`);
	return await search.call(loadOptionsContext(type, 'parameters.model', options), options.filter, options.paginationToken);
}

/** Runs a `methods.resourceMapping` function as n8n's resource-mapper-fields request does. */
export async function runResourceMapping(
	nodeType: new () => INodeType,
	method: string,
	options: ListSearchOptions & { path?: string } = {},
): Promise<ResourceMapperFields> {
	const type = new nodeType();
	const mapping = type.methods?.resourceMapping?.[method];
	if (!mapping) throw new Error(`${type.description.name} has no resourceMapping method ${method}`);
	return await mapping.call(loadOptionsContext(type, options.path ?? 'parameters.modelInput', options));
}
