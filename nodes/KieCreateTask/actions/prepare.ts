import type { IDataObject, IExecuteFunctions, INodeParameterResourceLocator, NodeOperationError, ResourceMapperField } from 'n8n-workflow';

import { getFamily, withCreatePath, type ApiFamily } from '../../shared/families';
import { DEFAULT_POLL_TIMEOUT_S, defaultPollIntervalMs } from '../../shared/api/tasks';
import { downloadSettings, type DownloadSettings } from '../../shared/output/download';
import { itemError } from '../../shared/transport/errors';
import { withoutTrailingSlashes } from '../../shared/transport';
import { getModel } from '../../shared/registry';
import { type ModelDefinition } from '../../shared/registry/types';
import { ADDITIONAL_FIELDS_PARAM, MODEL_PARAM } from '../../shared/registry/properties';
import {
	collectModelInput,
	formatIssue,
	ownValue,
	validateModelInput,
	type ValidationIssue,
} from '../../shared/registry/validation';
import { MODEL_INPUT_PARAM, modelFromMapperFields } from '../../shared/registry/mapper';
import type { LiveSchemaResult } from '../../shared/registry/liveSchema';
import { binaryOptionsSet, planBinaryInputs, type BinaryInputPlan } from './binaryInputs';
import { checkEmptyIds, checkSpans } from './itemChecks';

export type Completion = 'submit' | 'poll' | 'callback';

export interface CreateOptions {
	additionalInput?: string | IDataObject;
	batching?: { createsPerWindow?: number; windowSeconds?: number; pollsPerSecond?: number; concurrentTasks?: number };
	callBackUrl?: string;
	callbackContext?: { values?: Array<{ key?: string; value?: string }> };
	downloadOutput?: string;
	downloadResults?: boolean;
	includeRaw?: boolean;
	inputImagesFromBinary?: string;
	limitWait?: number;
	maskFromBinary?: string;
	maxCreditsPerRun?: number;
	maxDownloadSizeMB?: number;
	pollInterval?: number;
	requestTimeout?: number;
	reuseKey?: string | number;
	reuseResults?: boolean;
	reuseWindow?: number;
	timeout?: number;
}

/** Everything needed to submit one item, checked before any paid request is sent. */
export interface TaskPlan {
	itemIndex: number;
	modelId: string;
	family: ApiFamily;
	/**
	 * The model's input as validated (without the URLs of files still to upload). The request body is
	 * built from it once, just before the create (`createBody`), after any upload.
	 */
	input: IDataObject;
	callBackUrl?: string;
	/** Binary properties to upload before the create; their URLs then join `input`. */
	binaryInputs?: BinaryInputPlan;
	completion: Completion;
	download: DownloadSettings;
	/** Options → Include Raw Record. */
	includeRaw: boolean;
	pollIntervalMs: number;
	pollTimeoutMs: number;
	/** With completion "callback": how long the execution waits for the callbacks; 0 = no limit. */
	limitWaitMs: number;
	requestTimeoutMs: number;
	/** Options set (e.g. left from another completion mode) that this item's mode does not use: said in a hint. */
	unusedOptions: string[];
}

interface PrepareContext {
	/** The execution's resume URL, used as callBackUrl with completion "callback". */
	resumeUrl?: string;
	/** Running as an AI tool: a tool cannot pause the execution, so "callback" polls instead. */
	isTool?: boolean;
	/** "Wait for Callback" polls instead (KIE could not reach the resume URL): no callBackUrl is sent. */
	pollInstead?: boolean;
	/**
	 * The model ids of KIE's live catalogue (undefined when it could not be read). An id that is not built
	 * in is accepted in "From List" mode when the catalogue lists it.
	 */
	liveModels?: ReadonlySet<string>;
	/** KIE's live schema of each model of the run that is not built in (read once per run), by model id. */
	liveSchemas?: ReadonlyMap<string, LiveSchema>;
}

/** A live schema as the run read it: the model it gives, why it gives none, or why it could not be read. */
export type LiveSchema = LiveSchemaResult | { error: string };

/** Why a live model has no fields from KIE's schema now: its reason, or why the schema could not be read. */
function noFieldsWhy(live: LiveSchema | undefined): string {
	return live && 'reason' in live ? live.reason : live && 'error' in live ? `KIE's schema of it could not be read (${live.error})` : 'KIE has no schema of it';
}

/**
 * The input of a model that is not built in: "Model Input" (the fields of KIE's live schema) and
 * "Additional Input (JSON)", validated against the live schema, or against the fields the editor stored
 * with the parameter when the schema cannot be read now. Without either, Additional Input alone, as is.
 * Files from binary go to the field KIE's schema gives for them (planBinaryInputs), so they need the
 * schema as read by this run: the editor's stored fields do not say which fields take files.
 */
function liveModelInput(
	ctx: IExecuteFunctions,
	itemIndex: number,
	id: string,
	additional: IDataObject,
	live: LiveSchema | undefined,
	options: CreateOptions,
): { input: Record<string, unknown>; binaryInputs?: BinaryInputPlan } {
	const liveModel = live && 'model' in live ? live.model : undefined;
	const binaryOptions = binaryOptionsSet(options);
	if (binaryOptions.length > 0 && !liveModel) {
		throw invalid(
			ctx,
			itemIndex,
			`"${binaryOptions[0]}" needs KIE's schema of "${id}" to know which field takes the files, and there is none now`,
			`${noFieldsWhy(live)}. Run again later, or upload the files with KIE Upload File and give their URLs in "Model Input" or "Additional Input (JSON)". Nothing was uploaded or sent to KIE.`,
		);
	}
	const mapper = ctx.getNodeParameter(MODEL_INPUT_PARAM, itemIndex, null) as { value?: IDataObject | null; schema?: ResourceMapperField[] } | null;
	const values = mapper?.value && typeof mapper.value === 'object' ? mapper.value : {};
	const model = liveModel ?? modelFromMapperFields(id, mapper?.schema);
	if (model) {
		// The mapper's values by KIE key (optional numbers and booleans included).
		const getParam = (param: string) => (param === ADDITIONAL_FIELDS_PARAM ? values : ownValue(values, param));
		const collected = collectModelInput(model, getParam);
		const input = { ...collected.input, ...additional };
		// As for a built-in model: files checked now, the item validated with stand-ins for their URLs.
		const planned = planBinaryInputs(ctx, itemIndex, model, input, options);
		const issues = [...collected.issues, ...validateModelInput(model, planned.input)];
		if (issues.length) throw issuesError(ctx, itemIndex, id, issues);
		return { input, binaryInputs: planned.plan };
	}
	if (Object.keys(additional).length === 0) {
		throw invalid(
			ctx,
			itemIndex,
			`Model "${id}" is not built in and KIE gives no input fields for it, so its input must come from "Additional Input (JSON)"`,
			`${noFieldsWhy(live)}. Add Options → Additional Input (JSON) with the model's input fields, e.g. {"prompt": "a red fox"}. Nothing was sent to KIE.`,
		);
	}
	return { input: additional };
}

/**
 * Some families reject a create without `callBackUrl` (Suno: 422 "Please enter callBackUrl."; the
 * Runway docs call it required). When the user polls or submits without a Callback URL, the node sends
 * this path on the user's own n8n (its webhook base URL). n8n answers it 404 ("webhook not
 * registered"): the callback starts and resumes nothing and reaches no third party, KIE stops after its
 * retries, and the result is read from KIE as usual. The execution's resume URL is not used: a later
 * Wait node of the same execution would be resumed by the stray callback.
 */
export const UNUSED_CALLBACK_PATH = 'webhook/kie-ai-callback-unused';

function unusedCallbackUrl(ctx: IExecuteFunctions, itemIndex: number, modelId: string): string {
	const base = withoutTrailingSlashes(String(ctx.getInstanceBaseUrl() ?? ''));
	if (!/^https?:\/\/[^\s]+$/i.test(base)) {
		throw invalid(
			ctx,
			itemIndex,
			`Model ${modelId} needs a callback URL`,
			'KIE rejects this API without callBackUrl, and n8n has no webhook base URL to send instead. Set Options → Callback URL (e.g. a KIE Trigger workflow\'s Production URL). Nothing was sent to KIE.',
		);
	}
	return `${base}/${UNUSED_CALLBACK_PATH}`;
}

/** Appends "Callback Context" pairs to a callback URL as query parameters. */
export function withCallbackContext(url: string, pairs: Array<{ key?: string; value?: string }>): string {
	const entries = pairs.filter((pair) => (pair.key ?? '').trim() !== '');
	if (entries.length === 0) return url;
	const parsed = new URL(url);
	for (const { key, value } of entries) parsed.searchParams.append(String(key).trim(), String(value ?? ''));
	return parsed.toString();
}

function invalid(ctx: IExecuteFunctions, itemIndex: number, message: string, description: string): NodeOperationError {
	return itemError(ctx, itemIndex, message, description);
}

function parseAdditionalInput(ctx: IExecuteFunctions, value: unknown, itemIndex: number): IDataObject {
	if (value === undefined || value === null || value === '') return {};
	let parsed = value;
	if (typeof value === 'string') {
		try {
			parsed = JSON.parse(value);
		} catch {
			throw invalid(ctx, itemIndex, '"Additional Input (JSON)" is not valid JSON', 'Give a JSON object, e.g. {"seed": 42}.');
		}
	}
	if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
		throw invalid(ctx, itemIndex, '"Additional Input (JSON)" must be a JSON object', 'Give a JSON object, e.g. {"seed": 42}.');
	}
	return parsed as IDataObject;
}

/** The model id of an item, and whether it was picked "From List" (undefined when empty). */
export function modelChoice(ctx: IExecuteFunctions, itemIndex: number): { id: string; fromList: boolean } {
	const locator = ctx.getNodeParameter(MODEL_PARAM, itemIndex) as INodeParameterResourceLocator | string;
	const id = String(typeof locator === 'object' ? (locator.value ?? '') : locator).trim();
	return { id, fromList: typeof locator === 'object' && locator.mode === 'list' };
}

function resolveModel(ctx: IExecuteFunctions, itemIndex: number, liveModels?: ReadonlySet<string>): { id: string; model?: ModelDefinition } {
	const { id, fromList } = modelChoice(ctx, itemIndex);
	if (!id) {
		throw invalid(ctx, itemIndex, '"Model" is empty', 'Pick a model from the list, or enter a KIE model id.');
	}
	const model = getModel(id);
	// "From List" offers the built-in models and those of KIE's live catalogue; "By ID" sends any id.
	if (!model && fromList && !liveModels?.has(id)) {
		throw invalid(
			ctx,
			itemIndex,
			`"Model" has an unknown value "${id}"`,
			liveModels
				? `Neither this node nor KIE's live catalogue lists it. Pick one of the listed models (see docs/models.md), or switch "Model" to "By ID" to send any id.`
				: `It is not built in, and KIE's live catalogue could not be read to confirm it. Switch "Model" to "By ID" to send it anyway, with its input in Options → Additional Input (JSON).`,
		);
	}
	return { id, model };
}

function issuesError(ctx: IExecuteFunctions, itemIndex: number, modelId: string, issues: ValidationIssue[]): NodeOperationError {
	const [first, ...rest] = issues;
	const more = rest.length ? ` Also: ${rest.map(formatIssue).join('; ')}.` : '';
	return invalid(ctx, itemIndex, formatIssue(first), `Model ${modelId}. Nothing was sent to KIE.${more}`);
}

/** Reads and validates one item's parameters. Throws a NodeOperationError naming the item and field. */
export function prepareTask(this: IExecuteFunctions, itemIndex: number, context: PrepareContext = {}): TaskPlan {
	const { id, model } = resolveModel(this, itemIndex, context.liveModels);
	const options = this.getNodeParameter('options', itemIndex, {}) as CreateOptions;
	const additional = parseAdditionalInput(this, options.additionalInput, itemIndex);

	let input: Record<string, unknown>;
	let binaryInputs: BinaryInputPlan | undefined;
	if (model) {
		// An id read from the input item (Suno's toolbox) that came out empty says where it comes from.
		checkEmptyIds(this, itemIndex, model);
		const getParam = (param: string) => this.getNodeParameter(param, itemIndex, null);
		const collected = collectModelInput(model, getParam);
		input = { ...collected.input, ...additional };
		// Files from binary are checked against the model's limits now, and the item is validated with
		// stand-ins for their URLs, so nothing is uploaded for an item that would be rejected.
		const planned = planBinaryInputs(this, itemIndex, model, input, options);
		binaryInputs = planned.plan;
		const issues = [...collected.issues, ...validateModelInput(model, planned.input)];
		if (issues.length) throw issuesError(this, itemIndex, model.id, issues);
		checkSpans(this, itemIndex, model, input as IDataObject);
	} else {
		({ input, binaryInputs } = liveModelInput(this, itemIndex, id, additional, context.liveSchemas?.get(id), options));
	}

	// As a tool the node always waits for the result: the agent needs it in the same call.
	const chosen = context.isTool ? 'poll' : (this.getNodeParameter('completion', itemIndex, 'poll') as Completion);
	let callBackUrl = (options.callBackUrl ?? '').trim();
	if (chosen === 'callback' && callBackUrl) {
		throw invalid(
			this,
			itemIndex,
			'"Callback URL" cannot be combined with Completion "Wait for Callback"',
			'"Wait for Callback" sends this execution\'s own resume URL to KIE. Remove the Callback URL option, or use Completion "Submit Only" to send callbacks to a KIE Trigger workflow.',
		);
	}
	const completion: Completion = chosen === 'callback' && context.pollInstead ? 'poll' : chosen;
	if (completion === 'callback') {
		callBackUrl = context.resumeUrl ?? '';
	} else if (callBackUrl) {
		if (!/^https?:\/\/[^\s]+$/i.test(callBackUrl)) {
			throw invalid(this, itemIndex, `"Callback URL" must be an http(s) URL (got "${callBackUrl}")`, 'Nothing was sent to KIE.');
		}
		callBackUrl = withCallbackContext(callBackUrl, options.callbackContext?.values ?? []);
	}
	const family = withCreatePath(getFamily(model?.api ?? 'market'), model?.createPath);
	if (!callBackUrl && family.requiresCallBackUrl) callBackUrl = unusedCallbackUrl(this, itemIndex, model?.id ?? id);
	const seconds = (value: number | undefined, fallback: number) =>
		Math.max(0, Number.isFinite(Number(value)) && value !== undefined ? Number(value) : fallback) * 1000;
	return {
		itemIndex,
		modelId: model?.id ?? id,
		family,
		input: input as IDataObject,
		callBackUrl: callBackUrl || undefined,
		binaryInputs,
		completion,
		download: downloadSettings(options),
		includeRaw: options.includeRaw === true,
		// Without a Poll Interval: 3 s for image models, 10 s for video and audio (KIE's guidance).
		pollIntervalMs: Math.max(
			100,
			options.pollInterval === undefined || options.pollInterval === null || String(options.pollInterval) === ''
				? defaultPollIntervalMs(model?.media)
				: seconds(options.pollInterval, 0),
		),
		pollTimeoutMs: seconds(options.timeout, DEFAULT_POLL_TIMEOUT_S),
		limitWaitMs: completion === 'callback' ? seconds(options.limitWait, 0) : 0,
		requestTimeoutMs: Math.max(1000, seconds(options.requestTimeout, 60)),
		unusedOptions: unusedOptions(options, chosen, (options.callBackUrl ?? '').trim()),
	};
}

const isSet = (value: unknown) => value !== undefined && value !== null && String(value) !== '';

/**
 * Options that keep a value the item's completion mode does not use (the editor hides them in that mode,
 * but a value set in another mode stays in the workflow): each named, with what to do, so that no value is
 * ignored without a word.
 */
export function unusedOptions(options: CreateOptions, completion: Completion, callBackUrl: string): string[] {
	const unused: string[] = [];
	const mode = { poll: '"Wait Until Done (Poll)"', callback: '"Wait for Callback"', submit: '"Submit Only"' }[completion];
	if (Number(options.limitWait) > 0 && completion !== 'callback') {
		unused.push(`Options → "Limit Wait Time" applies only to Completion "Wait for Callback", so it is not used with ${mode}; remove it or use Timeout`);
	}
	if (completion === 'submit') {
		if (options.downloadResults === true) unused.push('Options → "Download Results" is not used with Completion "Submit Only" (there is no result yet); download with KIE Get Task or the KIE Trigger');
		if (isSet(options.pollInterval) || isSet(options.timeout)) unused.push('Options → "Poll Interval" and "Timeout" are not used with Completion "Submit Only", which does not poll');
	}
	const context = (options.callbackContext?.values ?? []).some((pair) => String(pair?.key ?? '').trim() !== '');
	if (context && (completion === 'callback' || callBackUrl === '')) {
		unused.push(
			completion === 'callback'
				? 'Options → "Callback Context" is not used with Completion "Wait for Callback" (the items come back to this execution); remove it'
				: 'Options → "Callback Context" is added to Options → "Callback URL" only, which is not set; set it or remove the context',
		);
	}
	return unused;
}

/** The request body of a plan: built once, just before the create, from its input (with uploaded files). */
export function createBody(plan: Pick<TaskPlan, 'family' | 'modelId' | 'callBackUrl'>, input: IDataObject): IDataObject {
	return plan.family.buildCreateBody({ id: plan.modelId }, input, plan.callBackUrl);
}
