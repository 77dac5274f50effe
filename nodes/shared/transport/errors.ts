import type { IExecuteFunctions } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

/** Where a user finds every task of the account, with its status. */
export const KIE_LOGS_URL = 'https://kie.ai/logs';

/** What each KIE body `code` means, and what the user can do about it. */
interface KieCodeInfo {
	title: string;
	nextStep: string;
}

export const KIE_CODE_MESSAGES: Record<number, KieCodeInfo> = {
	400: {
		title: 'KIE rejected the request as malformed',
		nextStep: 'Check the parameters named in KIE\'s message.',
	},
	401: {
		title: 'KIE rejected the API key',
		nextStep: 'Check the API key in the KIE API credential; keys are managed at https://kie.ai/api-key.',
	},
	402: {
		title: 'The KIE account does not have enough credits',
		nextStep: 'Add credits at https://kie.ai/pricing, then run the workflow again.',
	},
	404: {
		title: 'KIE could not find the resource',
		nextStep: 'Check the task id and its family (KIE Get Task finds it with Family "Auto"), and the Base URL of the credential. Task records are kept for 2 months.',
	},
	422: {
		title: 'KIE rejected the parameters',
		nextStep: 'Fix the field named in KIE\'s message; the model\'s documented limits are listed in docs/models.md.',
	},
	429: {
		title: 'KIE rate-limited the request',
		nextStep: 'KIE accepts 20 new tasks per 10 seconds and about 10 status checks per second per account, shared by every execution using it. Lower Options → Batching, run fewer executions at once, or wait and run again; rejected requests were not accepted or billed.',
	},
	433: {
		title: 'This API key reached its usage limit',
		nextStep: 'Raise the hourly, daily or total cap of this key at https://kie.ai/api-key, or use another key.',
	},
	451: {
		title: 'KIE could not download an input file',
		nextStep: 'Make sure every input URL is public and reachable; upload files to KIE first (KIE Upload File) when in doubt.',
	},
	455: {
		title: 'KIE is under maintenance',
		nextStep: 'Wait a few minutes and run again; see https://kie.ai for status.',
	},
	500: {
		title: 'KIE had a server error',
		nextStep: 'Try again later. If it repeats, contact support@kie.ai with the task id.',
	},
	501: {
		title: 'KIE reports that generation failed',
		nextStep: 'Change the prompt or inputs and try again; check https://kie.ai/logs for details.',
	},
	505: {
		title: 'This KIE feature is currently disabled',
		nextStep: 'Use another model, or try again later.',
	},
	550: {
		title: 'KIE\'s queue is full and rejected the task',
		nextStep: 'Try again in a few minutes; the task was not accepted.',
	},
};

export function describeKieCode(code: number): KieCodeInfo {
	return (
		KIE_CODE_MESSAGES[code] ?? {
			title: `KIE answered with code ${code}`,
			nextStep: 'Check KIE\'s message; the codes are listed at https://docs.kie.ai.',
		}
	);
}

/**
 * KIE's maintenance answer, whatever its code: the documented 455, but live KIE also answers
 * `{"code":500,"msg":"The server is currently being maintained, please try again later~"}` (corpus
 * error-envelope-2). Matched on whole words ("maintained", "maintenance"), case-insensitively.
 */
const MAINTENANCE_MSG = /\b(?:maintained|maintenance)\b/i;

/** True when KIE's message says the server is under maintenance (see MAINTENANCE_MSG). */
export function isMaintenanceMessage(msg: unknown): boolean {
	return typeof msg === 'string' && MAINTENANCE_MSG.test(msg);
}

/**
 * KIE's answer for a model it has paused: "This interface is temporarily paused" (the Sora 2 models since
 * June 2026; the code of that answer was not recorded). Matched on the word, case-insensitively.
 */
const PAUSED_MSG = /\bpaused\b/i;

/** True when KIE's message says the model (or its interface) is paused (see PAUSED_MSG). */
export function isPausedMessage(msg: unknown): boolean {
	return typeof msg === 'string' && PAUSED_MSG.test(msg);
}

/** 433 when the key's daily cap is reached: "The current number of points used by apiKey has exceeded the daily limit". */
const DAILY_LIMIT_MSG = /daily\s+limit/i;

/**
 * What an error answer means, from its code and KIE's message: `describeKieCode`, except that a
 * maintenance message is described as maintenance whatever the code (a create answered so is not sent
 * again unless its code says KIE did not accept it: a 500 may have been accepted), and a 433 that names
 * the daily limit says so.
 */
export function describeKieAnswer(code: number, msg?: string, kind?: 'read' | 'create' | 'upload'): KieCodeInfo {
	if (code !== 455 && isMaintenanceMessage(msg)) {
		const maintenance = KIE_CODE_MESSAGES[455];
		const notResent =
			kind === 'create' && !REJECTED_NOT_ACCEPTED.has(code)
				? ` KIE answered code ${code}, so the request was not sent again automatically: check ${KIE_LOGS_URL} before running this item again.`
				: '';
		return { title: maintenance.title, nextStep: `${maintenance.nextStep}${notResent}` };
	}
	if (isPausedMessage(msg)) {
		return {
			title: 'KIE has paused this model',
			nextStep: 'KIE takes no new tasks of it for now and did not accept this one. Pick another model, or try again later.',
		};
	}
	if (code === 433 && typeof msg === 'string' && DAILY_LIMIT_MSG.test(msg)) {
		return {
			title: 'This API key reached its daily usage limit',
			nextStep:
				'KIE caps the credits an API key may use per day, and this key used its daily cap; the request was not accepted. ' +
				'Raise the daily limit of the key at https://kie.ai/api-key, use another key, or run again when the limit resets.',
		};
	}
	return describeKieCode(code);
}

/** Body codes that mean "not accepted, try again later": safe to resend even for a paid create. */
export const REJECTED_NOT_ACCEPTED = new Set([429, 455]);

/** Body codes worth retrying for a read (GET) request. */
export const RETRYABLE_READ_CODES = new Set([429, 455, 500, 550]);

/** Connection errors that happen before the request reaches KIE: nothing was sent. */
export const NOT_SENT_ERROR_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

/** An item as the editor counts it: from 1. */
export function itemLabel(itemIndex: number): string {
	return `Item ${itemIndex + 1}`;
}

/**
 * An error about one item, named once and counted from 1 as the editor counts items. n8n's editor adds
 * "[item N]", counted from 0, to the message of an error that carries an item index, so the index stays
 * out of the error and the message names the item instead.
 */
export function itemError(
	ctx: Pick<IExecuteFunctions, 'getNode'>,
	itemIndex: number,
	message: string,
	description?: string,
): NodeOperationError {
	return new NodeOperationError(ctx.getNode(), `${itemLabel(itemIndex)}: ${message}`, description ? { description } : {});
}

/** Keeps n8n's own errors as they are and wraps anything else, so the UI shows node context. */
export function toNodeError(ctx: Pick<IExecuteFunctions, 'getNode'>, error: unknown, itemIndex?: number): NodeApiError | NodeOperationError {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) return error;
	const message = (error as Error)?.message ?? String(error);
	return itemIndex === undefined ? new NodeOperationError(ctx.getNode(), message) : itemError(ctx, itemIndex, message);
}
