import { choosePort, freePort, isPortFree } from '../../../scripts/lib/local-n8n';
import { occupyPort } from '../../support/busy-port';

/** `npm start` when a port is already taken: it names the port and how to choose another. */
describe('npm start: busy ports', () => {
	let busy: { port: number; close(): Promise<void> };
	beforeAll(async () => {
		busy = await occupyPort();
	});
	afterAll(async () => await busy.close());

	it('keeps a free port', async () => {
		const free = await freePort();
		expect(await choosePort('n8n', free, 'N8N_PORT', true)).toBe(free);
	});

	it('refuses a busy port the user chose, saying which and how to choose another', async () => {
		await expect(choosePort('n8n', busy.port, 'N8N_PORT', true)).rejects.toThrow(
			new RegExp(
				`^port ${busy.port} \\(N8N_PORT, for n8n\\) is already in use by another program\\. Stop that program, or choose another port, e\\.g\\. N8N_PORT=${busy.port + 10} npm start$`,
			),
		);
	});

	it('moves off a busy default port to a free one', async () => {
		const port = await choosePort('the KIE simulator', busy.port, 'KIE_SIM_PORT', false);
		expect(port).not.toBe(busy.port);
		expect(await isPortFree(port)).toBe(true);
	});
});
