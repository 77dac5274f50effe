import net from 'net';

import { choosePort } from '../../scripts/lib/local-n8n';

/** `npm start` when a port is already taken: it names the port and how to choose another. */
describe('npm start: busy ports', () => {
	let server: net.Server;
	let busy: number;
	beforeAll(async () => {
		server = net.createServer();
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		busy = (server.address() as net.AddressInfo).port;
	});
	afterAll(async () => await new Promise<void>((resolve) => server.close(() => resolve())));

	it('keeps a free port', async () => {
		const free = await new Promise<number>((resolve) => {
			const probe = net.createServer().listen(0, '127.0.0.1', () => {
				const { port } = probe.address() as net.AddressInfo;
				probe.close(() => resolve(port));
			});
		});
		expect(await choosePort('n8n', free, 'N8N_PORT', true)).toBe(free);
	});

	it('refuses a busy port the user chose, saying which and how to choose another', async () => {
		await expect(choosePort('n8n', busy, 'N8N_PORT', true)).rejects.toThrow(
			new RegExp(`^port ${busy} \\(N8N_PORT, for n8n\\) is already in use by another program\\. Stop that program, or choose another port, e\\.g\\. N8N_PORT=${busy + 10} npm start$`),
		);
	});

	it('moves off a busy default port to a free one', async () => {
		const port = await choosePort('the KIE simulator', busy, 'KIE_SIM_PORT', false);
		expect(port).not.toBe(busy);
		await new Promise<void>((resolve, reject) => {
			const check = net.createServer().once('error', reject).listen(port, '127.0.0.1', () => check.close(() => resolve()));
		});
	});
});
