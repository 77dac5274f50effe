import type { ILoadOptionsFunctions, INodePropertyOptions } from 'n8n-workflow';

import { getModel } from '../registry';
import { defaultOptionName, MODEL_PARAM, sharedSettingParams } from '../registry/properties';
import { sharedOptions, sharedOptionsMethod } from '../registry/settings';

type LoadOptionsMethod = (this: ILoadOptionsFunctions) => Promise<INodePropertyOptions[]>;

/** The model id of the node in the editor (undefined while it is an expression or empty). */
export function currentModelId(ctx: ILoadOptionsFunctions): string | undefined {
	const value = ctx.getCurrentNodeParameter(MODEL_PARAM, { extractValue: true });
	return typeof value === 'string' && value.trim() && !value.startsWith('=') ? value.trim() : undefined;
}

/**
 * One loadOptions method per shared setting (`aspectRatioOptions`, `resolutionOptions`…): the values the
 * chosen model accepts, after "Default (…)". Reads only the registry: no request leaves n8n.
 */
export const sharedSettingOptions: Record<string, LoadOptionsMethod> = Object.fromEntries(
	[...sharedSettingParams()].map((param) => [
		sharedOptionsMethod(param),
		async function (this: ILoadOptionsFunctions) {
			const id = currentModelId(this);
			return sharedOptions(param, id ? getModel(id) : undefined, defaultOptionName);
		},
	]),
);
