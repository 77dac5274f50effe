import { createHmac, timingSafeEqual } from 'crypto';

/** The signed string of a KIE callback: the task id and the timestamp header, joined by a dot. */
export function kieSignature(key: string, taskId: string, timestamp: string, encoding: 'base64' | 'hex' = 'base64'): string {
	return createHmac('sha256', key).update(`${taskId}.${timestamp}`, 'utf8').digest(encoding);
}

function safeEqual(a: string, b: string): boolean {
	const left = Buffer.from(a, 'utf8');
	const right = Buffer.from(b, 'utf8');
	return left.length === right.length && timingSafeEqual(left, right);
}

type SignatureCheck =
	| { ok: true }
	| { ok: false; reason: 'missing-headers' | 'missing-task-id' | 'bad-timestamp' | 'stale-timestamp' | 'bad-signature' };

/** How far X-Webhook-Timestamp may be from now, in seconds, unless the Trigger's Signature Window says otherwise. */
export const DEFAULT_SIGNATURE_WINDOW_S = 300;
const MAX_SIGNATURE_WINDOW_S = 3600;

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
 * Checks X-Webhook-Signature = base64(HMAC-SHA256(key, taskId + "." + timestamp)) in constant time,
 * a hex digest as a fallback (one public client uses it), and the timestamp window. Replays are the
 * receiver's (see replay.ts).
 */
export function verifyKieSignature(input: SignatureInput): SignatureCheck {
	const { key, taskId, timestamp, signature } = input;
	if (!timestamp || !signature) return { ok: false, reason: 'missing-headers' };
	if (!taskId) return { ok: false, reason: 'missing-task-id' };
	if (!/^\d{1,13}$/.test(timestamp)) return { ok: false, reason: 'bad-timestamp' };
	const seconds = Number(timestamp) > 1e11 ? Number(timestamp) / 1000 : Number(timestamp);
	if (Math.abs(input.nowMs / 1000 - seconds) > input.windowS) return { ok: false, reason: 'stale-timestamp' };
	const matches =
		safeEqual(kieSignature(key, taskId, timestamp, 'base64'), signature) ||
		safeEqual(kieSignature(key, taskId, timestamp, 'hex'), signature.toLowerCase());
	if (!matches) return { ok: false, reason: 'bad-signature' };
	return { ok: true };
}

export const SIGNATURE_FAILURES: Record<Exclude<SignatureCheck, { ok: true }>['reason'], string> = {
	'missing-headers': 'the X-Webhook-Timestamp or X-Webhook-Signature header is missing',
	'missing-task-id': 'the body has no task id (data.task_id, data.taskId or taskId)',
	'bad-timestamp': 'X-Webhook-Timestamp is not a Unix time',
	'stale-timestamp': 'X-Webhook-Timestamp is outside the accepted window',
	'bad-signature': 'X-Webhook-Signature does not match the webhook HMAC key',
};
