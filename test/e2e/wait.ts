import { sleep } from 'n8n-workflow';

/** Calls `probe` every 300 ms until it gives a value; throws after `timeoutMs`. */
export async function waitFor<T>(probe: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
	const started = Date.now();
	for (;;) {
		const value = await probe();
		if (value !== undefined) return value;
		if (Date.now() - started > timeoutMs) throw new Error('timed out waiting');
		await sleep(300);
	}
}
