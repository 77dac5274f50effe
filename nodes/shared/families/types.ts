import type { IDataObject } from 'n8n-workflow';

import type { TaskResult } from './result';
import type { ApiStyleName, ModelDefinition } from '../registry/types';

/** A KIE callback in the shape every node outputs. */
export interface NormalizedCallback {
	/** The family whose callback shape matched (`unknown` when none did). */
	family: string;
	/** Suno's `callbackType` (text, first, complete, error) or another family's stage name. */
	stage: string | null;
	/** The envelope `code` and `msg` of the callback. */
	code: number | null;
	msg: string | null;
	result: TaskResult;
}

/** What a callback body holds besides its family's own fields. */
interface CallbackEnvelope {
	taskId: string;
	code: number | null;
	msg: string | null;
}

/** How a family's callbacks look, as KIE documents them. */
interface CallbackShape {
	/**
	 * How surely `data` (the callback's `data`) is one of this family's callbacks: 0 not at all; the
	 * family with the highest score reads it (4o Image, Veo and Flux Kontext all put their result in `info`:
	 * the families with a more specific shape score higher).
	 */
	matches(data: IDataObject, body: IDataObject): number;
	/** Turns the callback into the normalized result (and Suno's stage). */
	normalize(data: IDataObject, envelope: CallbackEnvelope): { stage?: string | null; result: TaskResult };
}

/** How one KIE API family creates tasks, reads them back, reports their state and calls back. */
export interface ApiFamily {
	name: ApiStyleName;
	displayName: string;
	/** The family's callbacks (none for an operation KIE never calls back for). */
	callback?: CallbackShape;
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
	/**
	 * The create answer is the result (Suno's timestamped lyrics, persona, boost style): there is no task to
	 * read or wait for, `normalize` reads the answer's `data`, and KIE Get Task does not offer the family.
	 */
	synchronous?: boolean;
	/** Builds the create body from a model's validated `input`. */
	buildCreateBody(model: Pick<ModelDefinition, 'id'>, input: Record<string, unknown>, callBackUrl?: string): IDataObject;
	/** Reads the task id from the create answer's `data` (and, where KIE returns none, the sent body). */
	taskIdFromCreate(data: unknown, body?: IDataObject): string | undefined;
	/** The query of the details endpoint for a task id (default `{ taskId }`). */
	recordQuery?(taskId: string): IDataObject;
	/** Turns a record (the `data` of the details endpoint) into the normalized result. */
	normalize(record: IDataObject, fallback: { taskId: string; model?: string }): TaskResult;
}
