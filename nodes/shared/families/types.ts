import type { IDataObject } from 'n8n-workflow';

import type { TaskResult } from './result';
import type { ApiStyleName, ModelDefinition } from '../registry/types';

/** How one KIE API family creates tasks, reads them back and reports their state. */
export interface ApiFamily {
	name: ApiStyleName;
	displayName: string;
	createPath: string;
	/** The create call's method (default POST); a GET sends the body as query parameters. */
	createMethod?: 'GET' | 'POST';
	recordPath: string;
	/**
	 * KIE rejects a create without `callBackUrl` (Suno: 422 "Please enter callBackUrl."). The node then
	 * supplies one even when the user polls (see prepare.ts).
	 */
	requiresCallBackUrl?: boolean;
	/** KIE never calls back for this family (Veo 1080p is read synchronously): "Wait for Callback" polls. */
	noCallbacks?: boolean;
	/** Builds the create body from a model's validated `input`. */
	buildCreateBody(model: Pick<ModelDefinition, 'id'>, input: Record<string, unknown>, callBackUrl?: string): IDataObject;
	/** Reads the task id from the create answer's `data` (and, where KIE returns none, the sent body). */
	taskIdFromCreate(data: unknown, body?: IDataObject): string | undefined;
	/** The query of the details endpoint for a task id (default `{ taskId }`). */
	recordQuery?(taskId: string): IDataObject;
	/** Turns a record (the `data` of the details endpoint) into the normalized result. */
	normalize(record: IDataObject, fallback: { taskId: string; model?: string }): TaskResult;
}
