#!/usr/bin/env node
// Screenshots for the README, taken from a running local n8n (`npm start` in another terminal):
// the spreadsheet example on the canvas, and the KIE Create Task parameter panel.
// Uses Debian's Chromium through playwright-core; it never downloads a browser
// (install it with `apt-get install chromium`).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const BASE = process.env.N8N_URL ?? 'http://localhost:5678';
const EMAIL = process.env.N8N_OWNER_EMAIL ?? 'demo@kie.local';
const PASSWORD = process.env.N8N_OWNER_PASSWORD ?? 'KieDemo-2026';
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const OUT = path.join(ROOT, 'docs', 'images');

function say(message) {
	process.stdout.write(`[screenshots] ${message}\n`);
}

async function main() {
	if (!fs.existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} not found: install it with "apt-get install chromium"`);
	const health = await fetch(`${BASE}/healthz/readiness`).catch(() => undefined);
	if (!health?.ok) throw new Error(`no n8n at ${BASE}: run "npm start" in another terminal first`);
	fs.mkdirSync(OUT, { recursive: true });

	const browser = await chromium.launch({
		executablePath: CHROMIUM,
		headless: true,
		args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
	});
	try {
		const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
		say(`signing in to ${BASE} as ${EMAIL}`);
		await page.goto(`${BASE}/signin`);
		await page.locator('input[type="email"], input[name="emailOrLdapLoginId"]').first().fill(EMAIL);
		await page.locator('input[type="password"]').first().fill(PASSWORD);
		await page.locator('button[type="submit"], [data-test-id="form-submit-button"]').first().click();
		await page.waitForURL((url) => !url.pathname.startsWith('/signin'), { timeout: 30000 });

		say('opening the spreadsheet example');
		await page.goto(`${BASE}/workflow/kieExampleSheet01`);
		const node = page.locator('[data-test-id="canvas-node"]').filter({ hasText: 'KIE Create Task' }).first();
		await node.waitFor({ timeout: 30000 });
		await page.keyboard.press('Shift+1').catch(() => undefined); // zoom to fit
		await page.waitForTimeout(1500);
		const workflowShot = path.join(OUT, 'workflow-spreadsheet.png');
		await page.screenshot({ path: workflowShot });
		say(`saved ${path.relative(ROOT, workflowShot)}`);

		say('opening the KIE Create Task parameters');
		await node.dblclick();
		const panel = page.locator('[data-test-id="ndv"]').first();
		await panel.waitFor({ timeout: 30000 });
		await page.waitForTimeout(1500);
		const panelShot = path.join(OUT, 'create-task-parameters.png');
		await page.screenshot({ path: panelShot });
		say(`saved ${path.relative(ROOT, panelShot)}`);
	} finally {
		await browser.close();
	}
}

main().catch((error) => {
	process.stderr.write(`${error.stack ?? error}\n`);
	process.exit(1);
});
