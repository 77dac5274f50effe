import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { errorItem } from '../../shared/output/items';
import { accountPacer } from '../../shared/transport';
import { itemError, toNodeError } from '../../shared/transport/errors';
import type { AccountOperation } from '../description';
import { estimateCostAction } from './estimateCost';
import { getCreditsAction } from './getCredits';
import { getDownloadUrlAction } from './getDownloadUrl';
import { getModelPriceAction } from './getModelPrice';
import { getModelSchemaAction } from './getModelSchema';
import { getModelSuccessRateAction } from './getModelSuccessRate';
import { listModelsAction } from './listModels';
import type { AccountAction } from './types';

const ACTIONS: Record<AccountOperation, AccountAction> = {
	estimateCost: estimateCostAction,
	getCredits: getCreditsAction,
	getDownloadUrl: getDownloadUrlAction,
	getModelPrice: getModelPriceAction,
	getModelSchema: getModelSchemaAction,
	getModelSuccessRate: getModelSuccessRateAction,
	listModels: listModelsAction,
};

/**
 * KIE Account: runs the operation once per input item, in order. Catalogue requests of one
 * execution are spaced 1 s apart (KIE allows 1 request/second per account for the four catalogue
 * endpoints); a 429 that still happens is retried by the transport.
 */
export async function runAccountOperation(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const items = this.getInputData();
	const pacer = await accountPacer.call(this);
	const output: INodeExecutionData[] = [];
	for (let i = 0; i < items.length; i++) {
		try {
			const operation = this.getNodeParameter('operation', i) as AccountOperation;
			const action = ACTIONS[operation];
			if (!action) {
				throw itemError(this, i, `The operation "${operation}" is not supported`);
			}
			for (const json of await action.call(this, i, pacer)) output.push({ json, pairedItem: { item: i } });
		} catch (error) {
			if (!this.continueOnFail()) throw toNodeError(this, error, i);
			output.push(errorItem(i, error as Error));
		}
	}
	return output;
}
