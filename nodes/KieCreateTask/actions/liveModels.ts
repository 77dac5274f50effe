import type { IExecuteFunctions } from 'n8n-workflow';

import { cachedLiveModels, cachedModelSchema, knownLiveModels } from '../../shared/api/catalogue';
import { addOutputHint } from '../../shared/host';
import { getModel } from '../../shared/registry';
import { liveModelInfo, modelFromLiveSchema, schemaDrift } from '../../shared/registry/liveSchema';
import type { Pacer } from '../../shared/transport/pacer';
import { modelChoice, type LiveSchema, type TaskPlan } from './prepare';

/**
 * KIE Create Task's steps for models that are not built in ("live" models, whose fields come from KIE's
 * schema of them) and for KIE's catalogue as it is now: read before validation what the items need of the
 * live list and schemas, and after validation warn where KIE's catalogue disagrees with a built-in model.
 * Every read goes through the account's catalogue lane of the pacer and the per-process caches.
 */

export interface LiveCatalogue {
	/** The ids of KIE's live list, when an item needed it and it could be read. */
	liveModels?: ReadonlySet<string>;
	/** KIE's live schema of each model of the run that is not built in, by model id. */
	liveSchemas: Map<string, LiveSchema>;
}

/**
 * The ids of KIE's live catalogue, read (once per process and 10 minutes, see cachedLiveModels) only when
 * an item picked "From List" a model that is not built in. Undefined when it could not be read.
 */
async function liveModelsIfNeeded(ctx: IExecuteFunctions, count: number, pacer: Pacer): Promise<ReadonlySet<string> | undefined> {
	let needed = false;
	for (let i = 0; i < count && !needed; i++) {
		const { id, fromList } = modelChoice(ctx, i);
		needed = fromList && id !== '' && getModel(id) === undefined;
	}
	if (!needed) return undefined;
	const live = await cachedLiveModels.call(ctx, '', { pacer });
	return live ? new Set(live.map((model) => model.model)) : undefined;
}

/**
 * KIE's live schema of each of `ids`, read once per run (and at most once an hour per process:
 * cachedModelSchema) through the account's catalogue lane.
 */
async function liveSchemasOf(ctx: IExecuteFunctions, ids: Iterable<string>, pacer: Pacer, into = new Map<string, LiveSchema>()): Promise<Map<string, LiveSchema>> {
	for (const id of ids) {
		if (into.has(id)) continue;
		const answer = await cachedModelSchema.call(ctx, id, { pacer });
		// Its name and media from the registry, LIVE_ONLY or the document (for its error texts and hints).
		into.set(id, 'error' in answer ? answer : modelFromLiveSchema(id, answer.openapi, liveModelInfo(id, answer.openapi)));
	}
	return into;
}

/**
 * The models of the run that are not built in: their input fields and validation come from KIE's live
 * schema. A model picked "From List" that KIE's live catalogue does not list is refused without a read.
 */
function liveModelIds(ctx: IExecuteFunctions, count: number, liveModels: ReadonlySet<string> | undefined): Set<string> {
	const ids = new Set<string>();
	for (let i = 0; i < count; i++) {
		let choice = { id: '', fromList: false };
		try {
			choice = modelChoice(ctx, i);
		} catch {
			// The item's own validation names what is wrong with its model.
		}
		const { id, fromList } = choice;
		if (id && !getModel(id) && (!fromList || liveModels?.has(id))) ids.add(id);
	}
	return ids;
}

/** The ids of KIE's live list as this process has it now, without a request (see knownLiveModels). */
async function knownLiveIds(ctx: IExecuteFunctions): Promise<ReadonlySet<string> | undefined> {
	const list = await knownLiveModels.call(ctx);
	return list ? new Set(list.map((model) => model.model)) : undefined;
}

/** What the items of a run need of KIE's live catalogue before they are validated. */
export async function readLiveCatalogue(ctx: IExecuteFunctions, count: number, pacer: Pacer): Promise<LiveCatalogue> {
	const liveModels = await liveModelsIfNeeded(ctx, count, pacer);
	const liveSchemas = await liveSchemasOf(ctx, liveModelIds(ctx, count, liveModels), pacer);
	return { liveModels, liveSchemas };
}

/**
 * The drift guard, after validation and before anything is paid for: it reads KIE's live schemas of the
 * built-in Market models of the valid items and, where one requires a field the registry lacks or no longer
 * lists a value an item chose, or where KIE's live list (when this process has it) no longer lists the model,
 * gives one execution hint per finding (never an error: the registry's validation already passed). At most
 * five hints.
 */
export async function warnOfDrift(ctx: IExecuteFunctions, plans: TaskPlan[], pacer: Pacer, catalogue: LiveCatalogue): Promise<void> {
	const builtInMarket = new Set(plans.filter((plan) => getModel(plan.modelId)?.api === 'market').map((plan) => plan.modelId));
	const schemas = await liveSchemasOf(ctx, builtInMarket, pacer, catalogue.liveSchemas);
	const notes = new Set<string>();
	// KIE's live list, when this process has it anyway (read for a live model of this run, or by the editor's
	// model picker within the last minutes; never read just for this): a built-in model it no longer lists may
	// have been paused, retired or renamed. Said before the first paid create; the task is still sent.
	const known = catalogue.liveModels ?? (builtInMarket.size ? await knownLiveIds(ctx) : undefined);
	for (const id of known ? builtInMarket : []) {
		if (known!.has(id)) continue;
		const model = getModel(id)!;
		notes.add(`${model.displayName} (${id}) is no longer in KIE's live model list: KIE may have paused, retired or renamed it. The task is sent as before; if KIE refuses it, pick its successor in "Model".`);
	}
	// A model KIE paused or retired (availability.ts): its create is likely refused (and then free).
	for (const id of new Set(plans.map((plan) => plan.modelId))) {
		const model = getModel(id);
		if (!model?.availability) continue;
		notes.add(`${model.displayName} (${id}) is ${model.availability.state} by KIE (since ${model.availability.since}): ${model.availability.note} The task is sent all the same; KIE charges nothing for a task it refuses.`);
	}
	for (const plan of plans) {
		const builtIn = getModel(plan.modelId);
		const live = schemas.get(plan.modelId);
		if (!builtIn || !live || !('model' in live)) continue;
		for (const note of schemaDrift(builtIn, live.model, plan.input)) notes.add(`${builtIn.displayName} (${builtIn.id}), item ${plan.itemIndex + 1}: ${note}.`);
	}
	for (const note of [...notes].slice(0, 5)) addOutputHint(ctx, note);
}
