import type { ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import { searchModels } from '../registry';

/** The model picker: registered models, searchable by id, name, family and provider. */
export async function searchModelList(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
	return {
		results: searchModels(filter).map((model) => ({
			name: `${model.displayName} (${model.provider})`,
			value: model.id,
			url: model.docsUrl,
		})),
	};
}
