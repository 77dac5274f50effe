import { createHash } from 'crypto';
import type { IDataObject } from 'n8n-workflow';

import { BoundedMap } from './store';

/**
 * The replay record and the delivery record of the webhooks, in process memory (bounded) and, for the KIE
 * Trigger, mirrored in the workflow's static data (bounded too), so that they outlive a restart.
 *
 * Both are checked and marked in one synchronous step: simultaneous deliveries handled by one n8n process
 * cannot both pass.
 */

/** A callback's first use (`new`), KIE sending the same callback again (`redelivery`), or a replay. */
export type ReplayVerdict = 'new' | 'redelivery' | 'replay';

const SIGNATURES = new BoundedMap<string, string>(20_000);
const DELIVERIES = new BoundedMap<string, true>(20_000, 24 * 3600_000);
const MIRRORED_SIGNATURES = 500;
const MIRRORED_DELIVERIES = 1000;

/** Forgets every callback this process has seen (a fresh process; for tests). */
export function forgetCallbacks(): void {
	SIGNATURES.clear();
}

/** A short digest of a callback body, to tell a redelivery (same body) from a replay (another body). */
export function bodyDigest(body: unknown): string {
	return createHash('sha256').update(JSON.stringify(body ?? null)).digest('base64').slice(0, 22);
}

/** The Trigger's copy in static data: replay key → [expiry in ms, body digest]. */
type MirroredSignatures = Record<string, [number, string]>;

function mirroredSignatures(mirror: IDataObject | undefined, nowMs: number): MirroredSignatures | undefined {
	if (!mirror) return undefined;
	const record = (mirror.signatures && typeof mirror.signatures === 'object' ? mirror.signatures : {}) as MirroredSignatures;
	for (const [key, entry] of Object.entries(record)) {
		if (!Array.isArray(entry) || entry[0] < nowMs) delete record[key];
	}
	mirror.signatures = record as unknown as IDataObject;
	return record;
}

/**
 * Records a verified callback by its replay key (signature.ts's `replayKey`: the task id, the timestamp and
 * the MAC's bytes, never the header's text, so that another spelling of the same MAC is the same
 * callback): the first time it is `new`; again with the same body it is KIE's `redelivery`; with another
 * body it is a `replay` (KIE does not sign the body). Kept for `keepMs` (twice the window: a timestamp
 * older than the window is refused anyway).
 *
 * One record for every webhook of the process (KIE Triggers and resume webhooks alike): KIE sends a
 * callback to the one URL its task names, so a signature seen at one webhook and then sent to another is
 * a replay there too (with another body), or a copy that starts nothing (with the same body).
 */
export function recordSignature(
	replayKey: string,
	digest: string,
	keepMs: number,
	options: { mirror?: IDataObject; nowMs?: number } = {},
): ReplayVerdict {
	const nowMs = options.nowMs ?? Date.now();
	const key = replayKey;
	const mirrored = mirroredSignatures(options.mirror, nowMs);
	const own = mirrored && Object.prototype.hasOwnProperty.call(mirrored, replayKey) ? mirrored[replayKey] : undefined;
	const seen = SIGNATURES.get(key) ?? (Array.isArray(own) ? own[1] : undefined);
	if (seen !== undefined) return seen === digest ? 'redelivery' : 'replay';
	SIGNATURES.set(key, digest, keepMs);
	if (mirrored) {
		mirrored[replayKey] = [nowMs + keepMs, digest];
		const names = Object.keys(mirrored);
		for (const name of names.slice(0, Math.max(0, names.length - MIRRORED_SIGNATURES))) delete mirrored[name];
	}
	return 'new';
}

/**
 * Marks a delivery (for example task id + state + stage) as handled; false when it already was, in this
 * process or (with `mirror`, the Trigger's static data) before.
 */
export function firstDelivery(scope: string, delivery: string, mirror?: IDataObject): boolean {
	const key = `${scope}\n${delivery}`;
	const list = mirror ? (Array.isArray(mirror.deliveries) ? (mirror.deliveries as string[]) : []) : undefined;
	if (DELIVERIES.has(key) || list?.includes(delivery)) return false;
	DELIVERIES.set(key, true);
	if (mirror && list) {
		list.push(delivery);
		if (list.length > MIRRORED_DELIVERIES) list.splice(0, list.length - MIRRORED_DELIVERIES);
		mirror.deliveries = list;
	}
	return true;
}
