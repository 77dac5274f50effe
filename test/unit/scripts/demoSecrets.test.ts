import {
	DEMO_SECRETS_FILE,
	FIXED_ENCRYPTION_KEY,
	demoSecrets,
	makePrivateDir,
	n8nEnv,
	randomEncryptionKey,
	randomOwnerPassword,
	readDemoSecrets,
	withImportFile,
	writeSecretFile,
} from '../../../scripts/lib/local-n8n';
import { dirname, exists, join, modeOf, readText, removeFolder, setMode, tempFolder, withEnv, writeN8nConfig } from './files';

/** `npm start`'s secrets: a random owner password and encryption key per demo folder, kept 0600, reused. */

describe('npm start: the demo secrets', () => {
	let root: string;
	beforeEach(() => {
		root = tempFolder('kie-secrets-');
	});
	afterEach(() => removeFolder(root));

	it('makes a random owner password that n8n accepts, and a random 32-byte encryption key', () => {
		const passwords = new Set(Array.from({ length: 50 }, () => randomOwnerPassword()));
		expect(passwords.size).toBe(50);
		for (const password of passwords) {
			expect(password).toMatch(/^[A-Za-z0-9_-]{20}$/);
			expect(password).toMatch(/[0-9]/);
			expect(password).toMatch(/[A-Z]/);
			expect(password).toMatch(/[a-z]/);
		}
		const key = randomEncryptionKey();
		expect(Buffer.from(key, 'base64url')).toHaveLength(32);
		expect(randomEncryptionKey()).not.toBe(key);
	});

	it('draws again until the password has a digit, an upper- and a lower-case letter', () => {
		// 15 random bytes are 20 characters of base64url: drawn as these.
		const draws = ['abcdefghijklmnopqrst', 'ABCDEFGHIJklmnopqrst', 'ABCDEFGHIJ0123456789', 'Abcdefghijklmnopqrs1'].map((text) => Buffer.from(text, 'base64url'));
		const randomBytes = jest.fn(() => draws.shift()!);
		expect(randomOwnerPassword(randomBytes as never)).toBe('Abcdefghijklmnopqrs1');
		expect(randomBytes).toHaveBeenCalledTimes(4);
	});

	it('makes them on the first start, in a file of mode 0600, and reuses them on later starts', () => {
		const folder = join(root, 'demo');
		makePrivateDir(folder);
		expect(modeOf(folder)).toBe(0o700);

		const first = demoSecrets(folder);
		const file = join(folder, DEMO_SECRETS_FILE);
		expect(first).toMatchObject({ file, created: true, fixedKey: false });
		expect(modeOf(file)).toBe(0o600);
		expect(JSON.parse(readText(file))).toEqual({ ownerPassword: first.ownerPassword, encryptionKey: first.encryptionKey });

		const again = demoSecrets(folder, {
			randomPassword: () => 'never-used',
			randomKey: () => 'never-used',
		});
		expect(again).toMatchObject({ ownerPassword: first.ownerPassword, encryptionKey: first.encryptionKey, created: false });
		expect(readDemoSecrets(folder)).toEqual({ ownerPassword: first.ownerPassword, encryptionKey: first.encryptionKey });

		// Another demo folder has other secrets.
		const other = demoSecrets(join(root, 'demo-1.123.81'));
		expect(other.ownerPassword).not.toBe(first.ownerPassword);
		expect(other.encryptionKey).not.toBe(first.encryptionKey);
	});

	it('narrows a secrets file that was made readable by others back to 0600', () => {
		const folder = join(root, 'demo');
		demoSecrets(folder);
		setMode(join(folder, DEMO_SECRETS_FILE), 0o644);
		expect(demoSecrets(folder).created).toBe(false);
		expect(modeOf(join(folder, DEMO_SECRETS_FILE))).toBe(0o600);
	});

	it('keeps the key n8n already wrote to .n8n/config (a folder made by an older npm start, with the fixed key)', () => {
		const folder = join(root, 'demo');
		writeN8nConfig(folder, FIXED_ENCRYPTION_KEY);
		const drawn = randomOwnerPassword();
		const secrets = demoSecrets(folder, { randomPassword: () => drawn, randomKey: () => 'never-used' });
		expect(secrets).toMatchObject({ ownerPassword: drawn, encryptionKey: FIXED_ENCRYPTION_KEY, created: true, fixedKey: true });
		expect(readDemoSecrets(folder)).toEqual({ ownerPassword: drawn, encryptionKey: FIXED_ENCRYPTION_KEY });
		expect(modeOf(join(folder, DEMO_SECRETS_FILE))).toBe(0o600);
	});

	it("follows n8n's key when it differs from the one kept (n8n refuses to start with another)", () => {
		const folder = join(root, 'demo');
		const kept = demoSecrets(folder);
		const n8nKey = randomEncryptionKey();
		writeN8nConfig(folder, n8nKey);
		const secrets = demoSecrets(folder);
		expect(secrets).toMatchObject({ ownerPassword: kept.ownerPassword, encryptionKey: n8nKey, created: true, fixedKey: false });
		expect(readDemoSecrets(folder)?.encryptionKey).toBe(n8nKey);
	});

	it('gives n8n the key it is given, else N8N_ENCRYPTION_KEY, else the fixed key of the test suites', () => {
		const base = { userFolder: root, port: 1, brokerPort: 2 };
		const demoKey = randomEncryptionKey();
		const envKey = randomEncryptionKey();
		withEnv('N8N_ENCRYPTION_KEY', undefined, () => {
			expect(n8nEnv({ ...base, encryptionKey: demoKey }).N8N_ENCRYPTION_KEY).toBe(demoKey);
			expect(n8nEnv(base).N8N_ENCRYPTION_KEY).toBe(FIXED_ENCRYPTION_KEY);
		});
		withEnv('N8N_ENCRYPTION_KEY', envKey, () => {
			expect(n8nEnv(base).N8N_ENCRYPTION_KEY).toBe(envKey);
			expect(n8nEnv({ ...base, encryptionKey: demoKey }).N8N_ENCRYPTION_KEY).toBe(demoKey);
		});
	});
});

describe('npm start: secret and import files', () => {
	let root: string;
	beforeEach(() => {
		root = tempFolder('kie-import-');
	});
	afterEach(() => removeFolder(root));

	it('writes a secret file 0600 in a folder it creates 0700, also over a file that was readable by others', () => {
		const file = join(root, 'import', 'credentials.json');
		writeSecretFile(file, '[{"apiKey":"secret"}]');
		expect(modeOf(file)).toBe(0o600);
		expect(modeOf(dirname(file))).toBe(0o700);
		setMode(file, 0o644);
		writeSecretFile(file, '[]');
		expect(modeOf(file)).toBe(0o600);
		expect(readText(file)).toBe('[]');
	});

	it('deletes an import file after the import, and passes its result on', async () => {
		const file = join(root, 'credentials.json');
		const seen: Array<{ text: string; mode: number }> = [];
		const result = await withImportFile(file, '{"apiKey":"secret"}', async (target) => {
			seen.push({ text: readText(target), mode: modeOf(target) });
			return 'imported';
		});
		expect(result).toBe('imported');
		expect(seen).toEqual([{ text: '{"apiKey":"secret"}', mode: 0o600 }]);
		expect(exists(file)).toBe(false);
	});

	it('deletes an import file also when the import fails', async () => {
		const file = join(root, 'workflow.json');
		await expect(
			withImportFile(file, '{}', async () => {
				throw new Error('n8n import:workflow exited with 1');
			}),
		).rejects.toThrow('n8n import:workflow exited with 1');
		expect(exists(file)).toBe(false);
	});
});
