import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { itemError } from '../../shared/transport/errors';
import type { RequestPacer } from '../../shared/transport/pacer';

/**
 * One operation for one input item: the JSON of the output items it produces. `pacer` is the execution's
 * pacer: catalogue requests take its catalogue lane (KIE: 1 request per second per account).
 */
export type AccountAction = (this: IExecuteFunctions, itemIndex: number, pacer: RequestPacer) => Promise<IDataObject[]>;

/** The model id of the "Model" resource locator, checked. */
export function modelIdParam(ctx: IExecuteFunctions, itemIndex: number): string {
	const id = String(ctx.getNodeParameter('model', itemIndex, '', { extractValue: true }) ?? '').trim();
	if (!id || id.split('/').some((segment) => segment === '' || segment === '.' || segment === '..')) {
		throw itemError(
			ctx,
			itemIndex,
			`"Model" must be a KIE model id (got "${id}")`,
			'Pick a model from the list, or enter an id such as gpt-image/1.5-text-to-image.',
		);
	}
	return id;
}
