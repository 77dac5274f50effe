import type { IDataObject } from 'n8n-workflow';

import type { TaskResult } from '../helpers/normalize';
import type { ApiStyleName, ModelDefinition } from '../registry/types';

/** How one KIE API family creates tasks, reads them back and reports their state. */
export interface ApiFamily {
	name: ApiStyleName;
	displayName: string;
	createPath: string;
	recordPath: string;
	/** Builds the create body from a model's validated `input`. */
	buildCreateBody(model: Pick<ModelDefinition, 'id'>, input: Record<string, unknown>, callBackUrl?: string): IDataObject;
	/** Reads the task id from the create answer's `data`. */
	taskIdFromCreate(data: unknown): string | undefined;
	/** Turns a record (the `data` of the details endpoint) into the normalized result. */
	normalize(record: IDataObject, fallback: { taskId: string; model?: string }): TaskResult;
}
