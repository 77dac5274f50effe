import { sleep } from 'n8n-workflow';

import type { MarketRecord, Simulator } from '../../simulator';

/** Reads a Market task's record from the simulator until it ends (success or fail), as a client polls. */
export async function pollUntilDone(sim: Simulator, taskId: string, apiKey: string, timeoutMs = 3000): Promise<MarketRecord> {
	const started = Date.now();
	for (;;) {
		const res = await fetch(`${sim.url}/api/v1/jobs/recordInfo?taskId=${encodeURIComponent(taskId)}`, { headers: { Authorization: `Bearer ${apiKey}` } });
		const answer = (await res.json()) as { code: number; data: MarketRecord };
		if (answer.code !== 200) throw new Error(`recordInfo of ${taskId} answered code ${answer.code}`);
		if (answer.data.state === 'success' || answer.data.state === 'fail') return answer.data;
		if (Date.now() - started > timeoutMs) throw new Error(`task ${taskId} still ${answer.data.state}`);
		await sleep(20);
	}
}
