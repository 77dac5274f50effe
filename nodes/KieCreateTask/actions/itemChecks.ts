import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { fieldDisplayName, paramName } from '../../shared/registry';
import type { ModelDefinition } from '../../shared/registry/types';
import { itemError } from '../../shared/transport/errors';

// Checks of one item that the registry's schema cannot make (prepare.ts runs them before anything is sent).

/**
 * An id that defaults to an expression reading the input item (Suno's toolbox) and came out empty: an
 * error naming the field and where the id comes from, before anything is sent.
 */
export function checkEmptyIds(ctx: IExecuteFunctions, itemIndex: number, model: ModelDefinition): void {
	for (const field of model.fields) {
		if (!field.whenEmpty) continue;
		const value = ctx.getNodeParameter(paramName(model, field), itemIndex, '') as unknown;
		if (value === undefined || value === null || String(value).trim() === '') {
			throw itemError(
				ctx,
				itemIndex,
				`"${fieldDisplayName(model, field)}" (parameter "${paramName(model, field)}") is empty`,
				`${model.displayName} needs it. ${field.whenEmpty} Nothing was sent to KIE.`,
			);
		}
	}
}

/** A model's documented windows (Replace Section 6–60 s, Persona 10–30 s), checked before anything is sent. */
export function checkSpans(ctx: IExecuteFunctions, itemIndex: number, model: ModelDefinition, input: IDataObject): void {
	for (const span of model.spans ?? []) {
		const start = Number(input[span.start]);
		const end = Number(input[span.end]);
		if (!Number.isFinite(start) || !Number.isFinite(end)) continue;
		const label = (key: string) => {
			const field = model.fields.find((candidate) => candidate.name === key);
			return field ? `"${fieldDisplayName(model, field)}"` : key;
		};
		const length = Math.round((end - start) * 100) / 100;
		const duration = span.maxShareOfTrack ? trackDuration(ctx, itemIndex, input.audioId) : undefined;
		const problem =
			start >= end
				? `${label(span.start)} (${start}) must be less than ${label(span.end)} (${end})`
				: end - start < span.min || end - start > span.max
					? `${label(span.start)} to ${label(span.end)} spans ${length} s; ${model.displayName} takes ${span.min}–${span.max} s`
					: duration !== undefined && end > duration
						? `${label(span.end)} (${end}) is after the end of the track (${duration} s)`
						: duration !== undefined && end - start > duration * span.maxShareOfTrack!
							? `${label(span.start)} to ${label(span.end)} spans ${length} s, more than ${span.maxShareOfTrack! * 100} % of the ${duration} s track`
							: undefined;
		if (problem) throw itemError(ctx, itemIndex, problem, `Model ${model.id}. Nothing was sent to KIE.`);
	}
}

/** The duration of a track the input item lists (`tracks` of a Suno task's output), if it does. */
function trackDuration(ctx: IExecuteFunctions, itemIndex: number, audioId: unknown): number | undefined {
	const tracks = ctx.getInputData()[itemIndex]?.json?.tracks;
	if (!Array.isArray(tracks)) return undefined;
	const track = (tracks as IDataObject[]).find((entry) => entry && entry.id === audioId);
	const duration = Number(track?.duration);
	return Number.isFinite(duration) && duration > 0 ? duration : undefined;
}

