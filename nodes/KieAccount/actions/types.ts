import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import { CATALOGUE_MIN_GAP_MS } from '../../shared/api/catalogue';
import { itemError } from '../../shared/transport/errors';

/**
 * Spaces the catalogue requests of one execution: each starts at least `gapMs` after the previous one
 * ended (KIE counts a request when it arrives, which is before its answer comes back).
 */
export interface CataloguePacer {
	run<T>(request: () => Promise<T>): Promise<T>;
}

export function createPacer(ctx: IExecuteFunctions, gapMs = CATALOGUE_MIN_GAP_MS): CataloguePacer {
	let lastEnd: number | undefined;
	return {
		async run(request) {
			if (lastEnd !== undefined) {
				const due = lastEnd + gapMs - Date.now();
				if (due > 0) await sleep(due, ctx.getExecutionCancelSignal());
			}
			try {
				return await request();
			} finally {
				lastEnd = Date.now();
			}
		},
	};
}

/** One operation for one input item: the JSON of the output items it produces. */
export type AccountAction = (this: IExecuteFunctions, itemIndex: number, pacer: CataloguePacer) => Promise<IDataObject[]>;

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
