import { createHash, createHmac, timingSafeEqual } from 'crypto';

/** The signed string of a KIE callback: the task id and the timestamp header, joined by a dot. */
export function kieSignature(key: string, taskId: string, timestamp: string, encoding: 'base64' | 'hex' = 'base64'): string {
	return kieMac(key, taskId, timestamp).toString(encoding);
}

function kieMac(key: string, taskId: string, timestamp: string): Buffer {
	return createHmac('sha256', key).update(`${taskId}.${timestamp}`, 'utf8').digest();
}

/** An HMAC-SHA256 is 32 bytes. */
const MAC_BYTES = 32;
const HEX = /^[0-9a-fA-F]{64}$/;
const BASE64 = /^[A-Za-z0-9+/]{43}=?$/;
const BASE64URL = /^[A-Za-z0-9_-]{43}=?$/;

/**
 * The MAC bytes of an X-Webhook-Signature, or undefined for anything that is not one. The spellings
 * accepted, and nothing else: base64 (KIE's), with or without its `=`; base64url, with or without `=`;
 * hex, in any case. Each is exactly one 32-byte MAC: no whitespace, no line breaks, no trailing text, no
 * mixed alphabets, and no base64 whose last character carries bits beyond the 256 (the non-canonical
 * spellings of the same bytes are refused, so one MAC has a known, finite set of spellings).
 */
export function decodeMac(signature: string): Buffer | undefined {
	if (signature.length > 64) return undefined;
	if (HEX.test(signature)) return Buffer.from(signature, 'hex');
	let base64: string;
	if (BASE64.test(signature)) base64 = signature;
	else if (BASE64URL.test(signature)) base64 = signature.replace(/-/g, '+').replace(/_/g, '/');
	else return undefined;
	const bytes = Buffer.from(base64, 'base64');
	if (bytes.length !== MAC_BYTES || bytes.toString('base64').slice(0, 43) !== base64.slice(0, 43)) return undefined;
	return bytes;
}

/**
 * The one replay key of a verified callback: its MAC's bytes (whatever spelling carried them), its
 * timestamp and its task id. The MAC and the timestamp never hold a dot, so the key names one callback.
 * The receiver keys the replay record on this, never on the header's text.
 */
export function replayKey(taskId: string, timestamp: string, mac: Buffer): string {
	return `${mac.toString('base64url')}.${timestamp}.${taskId}`;
}

type SignatureCheck =
	| { ok: true; mac: Buffer; replayKey: string }
	| { ok: false; reason: 'missing-headers' | 'missing-task-id' | 'bad-timestamp' | 'stale-timestamp' | 'bad-signature' };

/** How far X-Webhook-Timestamp may be from now, in seconds, unless the Trigger's Signature Window says otherwise. */
export const DEFAULT_SIGNATURE_WINDOW_S = 300;
export const MAX_SIGNATURE_WINDOW_S = 3600;

/**
 * The signature window in seconds from a setting: clamped to 1–3,600; anything that is not a number (an
 * expression that gave text, an empty field) is the default, so the freshness check is never off.
 */
export function signatureWindowS(value: unknown): number {
	const number = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
	if (!Number.isFinite(number)) return DEFAULT_SIGNATURE_WINDOW_S;
	return Math.min(MAX_SIGNATURE_WINDOW_S, Math.max(1, Math.round(number)));
}

interface SignatureInput {
	key: string;
	taskId: string | undefined;
	timestamp: string | undefined;
	signature: string | undefined;
	/** Accepted distance between the timestamp and now, in seconds. */
	windowS: number;
	nowMs: number;
}

/**
 * Checks X-Webhook-Signature = base64(HMAC-SHA256(key, taskId + "." + timestamp)) and the timestamp
 * window. The header is decoded first (see decodeMac: base64, base64url or hex, strictly), then its bytes
 * are compared with the expected MAC's in constant time. A valid signature gives the MAC's bytes and the
 * callback's replay key (see replayKey); replays are the receiver's (see replay.ts).
 */
export function verifyKieSignature(input: SignatureInput): SignatureCheck {
	const { key, taskId, timestamp, signature } = input;
	if (!timestamp || !signature) return { ok: false, reason: 'missing-headers' };
	if (!taskId) return { ok: false, reason: 'missing-task-id' };
	if (!/^\d{1,13}$/.test(timestamp)) return { ok: false, reason: 'bad-timestamp' };
	const seconds = Number(timestamp) > 1e11 ? Number(timestamp) / 1000 : Number(timestamp);
	if (Math.abs(input.nowMs / 1000 - seconds) > input.windowS) return { ok: false, reason: 'stale-timestamp' };
	const mac = decodeMac(signature);
	if (!mac || !timingSafeEqual(mac, kieMac(key, taskId, timestamp))) return { ok: false, reason: 'bad-signature' };
	return { ok: true, mac, replayKey: replayKey(taskId, timestamp, mac) };
}

export const SIGNATURE_FAILURES: Record<Exclude<SignatureCheck, { ok: true }>['reason'], string> = {
	'missing-headers': 'the X-Webhook-Timestamp or X-Webhook-Signature header is missing',
	'missing-task-id': 'the body has no task id (data.task_id, data.taskId or taskId)',
	'bad-timestamp': 'X-Webhook-Timestamp is not a Unix time',
	'stale-timestamp': 'X-Webhook-Timestamp is outside the accepted window',
	'bad-signature': 'X-Webhook-Signature does not match the webhook HMAC key',
};

/** The header that authenticates a nudge of a "Wait for Callback" batch when the credential has a key. */
export const NUDGE_TOKEN_HEADER = 'X-Kie-Nudge-Token';

/**
 * The nudge token of one waiting batch: base64url(HMAC-SHA256(webhookHmacKey, "kie-nudge." + executionId +
 * "." + nodeName)). The node keeps it in its batch record (the node's context, which the recovery example
 * reads through n8n's API); the resume webhook recomputes it from the key and never trusts the record's.
 */
export function kieNudgeToken(key: string, executionId: string, nodeName: string): string {
	return createHmac('sha256', key).update(`kie-nudge.${executionId}.${nodeName}`, 'utf8').digest('base64url');
}

/** Compares a secret someone sent with the expected one in constant time (whatever their lengths). */
export function sameSecret(given: string, expected: string): boolean {
	const digest = (text: string) => createHash('sha256').update(text, 'utf8').digest();
	return timingSafeEqual(digest(given), digest(expected)) && given.length === expected.length;
}
