/**
 * Runs a node's `methods.listSearch` functions the way n8n's editor does: through n8n-core's real
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

export async function runListSearch(
	nodeType: new () => INodeType,
	method: string,
	options: ListSearchOptions = {},
): Promise<INodeListSearchResult> {
	internals.ensureContainer();
	const type = new nodeType();
	const search = type.methods?.listSearch?.[method];
	if (!search) throw new Error(`${type.description.name} has no listSearch method ${method}`);
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
	const context = new LoadOptionsContext(workflow, node, additionalData, 'parameters.model');
	return await search.call(context, options.filter, options.paginationToken);
}
