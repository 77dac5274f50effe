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

/** How long a step may take on a busy machine: the editor waits for what a user waits for, never a fixed time. */
const STEP_MS = 60000;

/** Waits until `check()` (run in the page's process) holds twice in a row, 250 ms apart: the panel has settled. */
async function settled(page, check, arg, timeout = STEP_MS) {
	await page.waitForFunction(check, arg, { timeout, polling: 250 });
	await page.waitForTimeout(250);
	await page.waitForFunction(check, arg, { timeout, polling: 250 });
}

/** No input of the parameter panel says "Loading options..." (n8n asks the node for a list). */
const NO_LOADING = () => ![...document.querySelectorAll('[data-test-id="ndv"] input')].some((input) => /^Loading options/.test(input.value));

/** A parameter input of the panel; `within` narrows it (e.g. Model Input's mapping fields). */
function parameterInput(page, param, within) {
	return (within ?? page).locator(`[data-test-id="parameter-input-${param}"]`).first();
}

/** n8n's editor (2.40 and 1.123), as a user drives it: the node panel and the parameter panel (NDV). */
const editor = {
	/** Opens a new, empty workflow and waits for the canvas. */
	async newWorkflow(page, baseUrl) {
		await page.goto(`${baseUrl}/workflow/new`);
		await page.locator('[data-test-id="node-creator-plus-button"]').waitFor({ timeout: STEP_MS });
	},

	/**
	 * Opens the node panel, types `text` into its search, and returns the results once the list has settled
	 * (its first entry matches the text): name and description.
	 */
	async searchNodes(page, text) {
		await page.locator('[data-test-id="node-creator-plus-button"]').click();
		await page.locator('[data-test-id="node-creator-search-bar"], [data-test-id="search-bar"]').first().waitFor({ timeout: STEP_MS });
		await page.keyboard.type(text);
		await settled(
			page,
			([wanted]) => {
				const names = [...document.querySelectorAll('[data-test-id="item-iterator-item"] [data-test-id="node-creator-item-name"]')];
				const first = names[0]?.textContent ?? '';
				const signature = names.map((name) => name.textContent).join('|');
				const previous = window.__kieSearchSignature;
				window.__kieSearchSignature = signature;
				return first.toLowerCase().includes(wanted.toLowerCase()) && previous === signature;
			},
			[text],
		);
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
		await this.openedPanel(page);
	},

	/**
	 * Adds the KIE Trigger to a new workflow's trigger panel, where n8n lists it as the app "KIE" with its
	 * "Trigger On" choices as events, and waits for its parameter panel.
	 */
	async addTrigger(page, baseUrl) {
		await this.newWorkflow(page, baseUrl);
		await this.searchNodes(page, 'KIE');
		// Named "KIE" (n8n 1.123's panel shows no descriptions there).
		const app = page.locator('[data-test-id="node-creator-item-name"]', { hasText: /^\s*KIE\s*$/ });
		await page.locator('[data-test-id="item-iterator-item"]').filter({ has: app }).first().click();
		await page.locator('[data-test-id="item-iterator-item"]').filter({ hasText: 'On all results' }).first().click();
		await this.openedPanel(page);
	},

	/** After a pick in the node panel: "Add to workflow" when n8n shows a community node's details, then the parameter panel. */
	async openedPanel(page) {
		const ndv = page.locator('[data-test-id="ndv"]');
		const addToWorkflow = page.getByRole('button', { name: 'Add to workflow' });
		await ndv.or(addToWorkflow).first().waitFor({ timeout: STEP_MS });
		if (await addToWorkflow.isVisible()) await addToWorkflow.click();
		await ndv.waitFor({ timeout: STEP_MS });
		await settled(page, NO_LOADING);
	},

	/** The text an options parameter shows (its selected option's name), once its options have loaded. */
	async optionText(page, param, { within } = {}) {
		const input = parameterInput(page, param, within).locator('input').first();
		await input.waitFor({ timeout: STEP_MS });
		// n8n shows "Loading options..." while it asks the node for the list (longer on a busy machine).
		await settled(page, NO_LOADING);
		return await input.inputValue();
	},

	/** The text of a text parameter (a textarea or an input). */
	async textValue(page, param, { within } = {}) {
		const field = parameterInput(page, param, within).locator('textarea, input').first();
		await field.waitFor({ timeout: STEP_MS });
		return await field.inputValue();
	},

	/** Types `text` into a text parameter, as a user does, and leaves the field (n8n keeps the value). */
	async typeText(page, param, text, { within } = {}) {
		const field = parameterInput(page, param, within).locator('textarea, input').first();
		await field.waitFor({ timeout: STEP_MS });
		await field.click();
		await field.fill(text);
		await field.press('Tab');
		await page.waitForFunction(
			([selector, value]) => [...document.querySelectorAll(selector)].some((element) => element.value === value),
			[`[data-test-id="parameter-input-${param}"] textarea, [data-test-id="parameter-input-${param}"] input`, text],
			{ timeout: STEP_MS },
		);
	},

	/** Picks the option named `name` of an options parameter, as a user does, and waits until the field shows it. */
	async pickOption(page, param, name, { within } = {}) {
		await settled(page, NO_LOADING);
		await parameterInput(page, param, within).click();
		const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
		// An option is its name alone, or its name above its description.
		const items = page.locator('.el-select-dropdown__item:visible');
		const option = items
			.filter({ hasText: new RegExp(`^\\s*${escaped}\\s*$`) })
			.or(items.filter({ has: page.getByText(name, { exact: true }) }))
			.first();
		await option.waitFor({ timeout: STEP_MS });
		await option.click();
		// The list closes (n8n 1.123 keeps it on screen during its closing transition).
		await page.locator('.el-select-dropdown__item:visible').first().waitFor({ state: 'hidden', timeout: STEP_MS });
		const input = parameterInput(page, param, within).locator('input').first();
		await page.waitForFunction(([element, value]) => element?.value === value, [await input.elementHandle(), name], { timeout: STEP_MS });
	},

	/**
	 * Picks a model in the Model field: opens its list, searches, clicks the entry named `name`, and waits
	 * until the field shows it and the new model's parameters have loaded their options.
	 */
	async pickModel(page, search, name) {
		await page.locator('[data-test-id="rlc-input"]').click();
		await page.keyboard.type(search);
		const item = page.locator('[data-test-id="rlc-item"]').filter({ hasText: name }).first();
		await item.waitFor({ timeout: STEP_MS });
		await item.click();
		await settled(
			page,
			([wanted]) => {
				const field = document.querySelector('[data-test-id="rlc-input"]');
				const input = field?.matches('input') ? field : field?.querySelector('input');
				return (input?.value ?? field?.textContent ?? '').includes(wanted);
			},
			[name],
		);
		await settled(page, NO_LOADING);
	},

	/** The text the Model field shows. */
	async modelText(page) {
		return await page.locator('[data-test-id="rlc-input"] input, [data-test-id="rlc-input"]').first().inputValue().catch(async () => await page.locator('[data-test-id="rlc-input"]').first().innerText());
	},

	/** Model Input's fields (a live model's): waits until the field `id` is there, and returns their container. */
	async modelInputFields(page, id) {
		const mapper = page.locator('[data-test-id="mapping-fields-container"]');
		await mapper.locator(`[data-test-id="parameter-input-${id}"]`).first().waitFor({ timeout: STEP_MS });
		await settled(page, NO_LOADING);
		return mapper;
	},

	/**
	 * Whether the node's Options collection (the last collection of the panel) offers the option named
	 * `displayName` in its "Add Option" list: n8n 2.x's dropdown menu, or 1.123's select.
	 */
	async offersOption(page, displayName) {
		const trigger = page
			.locator('[data-test-id="collection-parameter-add"]:visible, [data-test-id="collection-parameter-add-dropdown"]:visible, .add-option:visible')
			.last();
		await trigger.waitFor({ timeout: STEP_MS });
		await trigger.click();
		// The list's entries (n8n 2.x marks them; 1.123's are its select's items), once they show their names.
		const items = page.locator('[data-test-id="collection-parameter-option"]:visible, .el-select-dropdown__item:visible').filter({ hasText: /\S/ });
		await items.first().waitFor({ timeout: STEP_MS });
		const names = (await items.allTextContents()).map((text) => text.trim());
		// Closed as a user closes it: a second click on the list (Escape would close the whole panel).
		await trigger.click();
		await page.waitForFunction(
			() => ![...document.querySelectorAll('[data-test-id="collection-parameter-option"], .el-select-dropdown__item')].some((item) => item.checkVisibility?.() ?? item.offsetParent !== null),
			undefined,
			{ timeout: STEP_MS },
		);
		return names.includes(displayName);
	},
};

module.exports = { editor, ensureChromium, launchBrowser, signIn };
