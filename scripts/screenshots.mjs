#!/usr/bin/env node
// Screenshots for the README, taken from a running local n8n (`npm start` in another terminal): the
// node panel searched for "KIE", the KIE Create Task parameters after a model switch, a live model's
// fields (from the simulator's schema of Acme Pixel Forge 3), the KIE Trigger panel, and the spreadsheet
// example on the canvas. Uses Debian's Chromium through playwright-core; it
// never downloads a browser (scripts/lib/browser.js installs Debian's package when it is missing).
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const { editor, launchBrowser, signIn } = require('./lib/browser.js');
const local = require('./lib/local-n8n.js');

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const BASE = process.env.N8N_URL ?? `http://localhost:${process.env.N8N_PORT ?? 5678}`;
const EMAIL = process.env.N8N_OWNER_EMAIL ?? 'demo@kie.local';
// The password `npm start` made for its demo folder (and printed), unless N8N_OWNER_PASSWORD is set.
const PASSWORD = process.env.N8N_OWNER_PASSWORD ?? local.readDemoSecrets(local.demoFolder())?.ownerPassword;
const OUT = path.join(ROOT, 'docs', 'images');

function say(message) {
	process.stdout.write(`[screenshots] ${message}\n`);
}

async function shot(page, name) {
	const file = path.join(OUT, name);
	await page.screenshot({ path: file });
	say(`saved ${path.relative(ROOT, file)}`);
}

async function main() {
	const health = await fetch(`${BASE}/healthz/readiness`).catch(() => undefined);
	if (!health?.ok) throw new Error(`no n8n at ${BASE}: run "npm start" in another terminal first`);
	if (!PASSWORD) throw new Error('no demo password: run "npm start" once (it makes one), or set N8N_OWNER_PASSWORD');
	fs.mkdirSync(OUT, { recursive: true });

	const browser = await launchBrowser();
	try {
		const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
		say(`signing in to ${BASE} as ${EMAIL}`);
		await signIn(page, BASE, { email: EMAIL, password: PASSWORD });

		say('searching the node panel of a new workflow for "KIE"');
		await editor.newWorkflow(page, BASE);
		await editor.searchNodes(page, 'KIE');
		await shot(page, 'node-panel-search.png');

		say('KIE Create Task: aspect ratio and quality set on GPT Image 1.5, then the model switched to Kling 2.6');
		await editor.addNode(page, 'KIE Create Task');
		await editor.typeText(page, 'prompt', 'A lighthouse on a cliff at dawn, watercolor');
		await editor.pickOption(page, 'aspectRatio', '3:2');
		await editor.pickOption(page, 'quality', 'high');
		await editor.pickModel(page, 'kling 2.6 text', 'Kling 2.6 · Text to Video');
		await shot(page, 'create-task-parameters.png');

		say('KIE Create Task with a live model: the fields of KIE\'s schema of Acme Pixel Forge 3 (simulator), starting with the prompt and aspect ratio set before');
		await editor.pickModel(page, 'pixel forge', 'Acme Pixel Forge 3');
		const mapper = await editor.modelInputFields(page, 'num_images');
		await editor.pickOption(page, 'num_images', '2', { within: mapper });
		await shot(page, 'live-model-fields.png');

		say('the KIE Trigger panel');
		await page.keyboard.press('Escape');
		// The trigger picker lists KIE Trigger as the app "KIE", with its "Trigger On" choices as events.
		await editor.addTrigger(page, BASE);
		await editor.optionText(page, 'signatureState');
		await shot(page, 'trigger-panel.png');

		say('the spreadsheet example on the canvas');
		await page.keyboard.press('Escape');
		await page.goto(`${BASE}/workflow/kieExampleSheet01`);
		await page.locator('[data-test-id="canvas-node"]').filter({ hasText: 'KIE Create Task' }).first().waitFor({ timeout: 30000 });
		await page.keyboard.press('Shift+1').catch(() => undefined); // zoom to fit
		await page.waitForTimeout(1500);
		await shot(page, 'workflow-spreadsheet.png');
	} finally {
		await browser.close();
	}
}

main().catch((error) => {
	process.stderr.write(`${error.stack ?? error}\n`);
	process.exit(1);
});
