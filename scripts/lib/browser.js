// A real browser for the end-to-end suite and the README screenshots: Debian's Chromium, driven by
// playwright-core (which never downloads a browser of its own). Installs Chromium from Debian's
// packages when it is missing and this runs as root (CI, a fresh machine); otherwise says how.
const { spawnSync } = require('child_process');
const fs = require('fs');

const { log } = require('./n8n-install');

const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

// Without the background-networking flags Chromium keeps calling Google's servers, which a closed
// network refuses many times a second.
const CHROMIUM_ARGS = [
	'--no-sandbox',
	'--disable-gpu',
	'--disable-quic',
	'--no-first-run',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
];

function aptGet(args) {
	return spawnSync('apt-get', args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
}

/** The path of a Chromium binary, installing Debian's package first when it is missing. */
function ensureChromium() {
	if (fs.existsSync(CHROMIUM)) return CHROMIUM;
	const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
	if (!isRoot || spawnSync('which', ['apt-get']).status !== 0) {
		throw new Error(`${CHROMIUM} not found: install Debian's Chromium ("apt-get install chromium"), or set CHROMIUM_PATH`);
	}
	log('Chromium is missing: installing Debian\'s chromium package (first run only, about a minute)');
	let result = aptGet(['install', '-y', '--no-install-recommends', 'chromium']);
	if (result.status !== 0) {
		aptGet(['update']);
		result = aptGet(['install', '-y', '--no-install-recommends', 'chromium']);
	}
	if (result.status !== 0 || !fs.existsSync(CHROMIUM)) {
		throw new Error(`could not install chromium with apt-get:\n${String(result.stderr).slice(-2000)}`);
	}
	return CHROMIUM;
}

/** Starts headless Chromium (installed on first use). */
async function launchBrowser() {
	const { chromium } = require('playwright-core');
	return await chromium.launch({ executablePath: ensureChromium(), headless: true, args: CHROMIUM_ARGS });
}

/** Signs in to n8n's editor as `email`. */
async function signIn(page, baseUrl, { email, password }) {
	await page.goto(`${baseUrl}/signin`);
	await page.locator('input[type="email"], input[name="emailOrLdapLoginId"]').first().fill(email);
	await page.locator('input[type="password"]').first().fill(password);
	await page.locator('button[type="submit"], [data-test-id="form-submit-button"]').first().click();
	await page.waitForURL((url) => !url.pathname.startsWith('/signin'), { timeout: 60000 });
}

/** n8n's editor (2.40 and 1.123), as a user drives it: the node panel and the parameter panel (NDV). */
const editor = {
	/** Opens a new, empty workflow and waits for the canvas. */
	async newWorkflow(page, baseUrl) {
		await page.goto(`${baseUrl}/workflow/new`);
		await page.locator('[data-test-id="node-creator-plus-button"]').waitFor({ timeout: 60000 });
	},

	/** Opens the node panel, types `text` into its search, and returns the results: name and description. */
	async searchNodes(page, text) {
		await page.locator('[data-test-id="node-creator-plus-button"]').click();
		await page.locator('[data-test-id="node-creator-search-bar"], [data-test-id="search-bar"]').first().waitFor();
		await page.keyboard.type(text);
		await page.waitForTimeout(1000);
		// A node is listed as a node, or as an app with actions (KIE Account, whose operations are actions).
		const items = page.locator('[data-test-id="item-iterator-item"]');
		const results = [];
		for (let i = 0; i < (await items.count()); i++) {
			const item = items.nth(i);
			// An entry without a description (an app in n8n 1.123's panel) has none: no waiting for one.
			const description = item.locator('[data-test-id="node-creator-item-description"]');
			results.push({
				name: (await item.locator('[data-test-id="node-creator-item-name"]').first().innerText()).trim(),
				description: (await description.count()) ? (await description.first().innerText()).trim() : '',
			});
		}
		return results;
	},

	/**
	 * Adds the node named `name` from the node panel's results and waits for its parameter panel. A node of
	 * an installed community package first shows its details ("Installed", "Via npm"): "Add to workflow" adds it.
	 */
	async addNode(page, name) {
		await page.locator('[data-test-id="item-iterator-item"]').filter({ has: page.getByText(name, { exact: true }) }).first().click();
		const ndv = page.locator('[data-test-id="ndv"]');
		const addToWorkflow = page.getByRole('button', { name: 'Add to workflow' });
		await ndv.or(addToWorkflow).first().waitFor({ timeout: 30000 });
		if (await addToWorkflow.isVisible()) await addToWorkflow.click();
		await ndv.waitFor({ timeout: 30000 });
	},

	/** The text an options parameter shows (its selected option's name). */
	async optionText(page, param, { timeoutMs = 15000 } = {}) {
		// n8n shows "Loading options..." while it asks the node for the list (longer on a busy machine).
		const input = page.locator(`[data-test-id="parameter-input-${param}"] input`).first();
		const started = Date.now();
		for (;;) {
			const text = await input.inputValue();
			if (!/^Loading options/.test(text) || Date.now() - started > timeoutMs) return text;
			await page.waitForTimeout(200);
		}
	},

	/** Picks the option named `name` of an options parameter, as a user does. */
	async pickOption(page, param, name) {
		await page.locator(`[data-test-id="parameter-input-${param}"]`).click();
		const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
		const option = page.locator('.el-select-dropdown__item:visible').filter({ hasText: new RegExp(`^\\s*${escaped}\\s*$`) }).first();
		await option.click();
		await page.waitForTimeout(400);
	},

	/** Picks a model in the Model field: opens its list, searches, and clicks the entry named `name`. */
	async pickModel(page, search, name) {
		await page.locator('[data-test-id="rlc-input"]').click();
		await page.keyboard.type(search);
		const item = page.locator('[data-test-id="rlc-item"]').filter({ hasText: name }).first();
		await item.waitFor({ timeout: 15000 });
		await item.click();
		// The parameters of the new model, and their options, load after the pick.
		await page.waitForTimeout(1500);
	},

	/** The text the Model field shows. */
	async modelText(page) {
		return await page.locator('[data-test-id="rlc-input"] input, [data-test-id="rlc-input"]').first().inputValue().catch(async () => await page.locator('[data-test-id="rlc-input"]').first().innerText());
	},
};

module.exports = { editor, ensureChromium, launchBrowser, signIn };
