import type { Browser, Page } from 'playwright-core';

import { editor, launchBrowser, signIn } from '../../scripts/lib/browser';
import { E2E_OWNER, startE2E, type E2E } from './env';

/**
 * The editor as a new user meets it, in a real n8n (2.40.7, or 1.123.81 with N8N_VERSION) with the package
 * installed as a community package, and a real browser (Chromium driven by playwright-core): the node panel
 * finds every KIE node, a setting survives a model switch (to a live model too), options show only where they
 * apply, and the KIE Trigger says what the credential means for callbacks. Every step waits for what a user
 * waits for (a list loaded, a field shown), never a fixed time, so the suite passes on a busy machine.
 */
let e2e: E2E;
let browser: Browser;
let page: Page;
beforeAll(async () => {
	e2e = await startE2E({ withExamples: false });
	await e2e.startServer();
	browser = await launchBrowser();
	page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
	await signIn(page, e2e.baseUrl, E2E_OWNER);
});
afterAll(async () => {
	await browser?.close();
	await e2e?.stop();
});

describe('the editor: a new user finds the nodes and keeps settings across models', () => {
	it('finds all five KIE nodes by typing "KIE" in the node panel of a new workflow, before any other hit', async () => {
		await editor.newWorkflow(page, e2e.baseUrl);
		const results = await editor.searchNodes(page, 'KIE');
		const ours = results.slice(0, 5);
		// The panel of a new workflow asks for a trigger first; it lists KIE Trigger under the app's name.
		expect(ours.map((result) => result.name).sort()).toEqual(['KIE', 'KIE Account', 'KIE Create Task', 'KIE Get Task', 'KIE Upload File']);
		// n8n 2.x shows each entry's description; 1.123's trigger panel lists entries by name only.
		const triggerDescription = e2e.n8nMajor >= 2 ? 'Starts the workflow when KIE.AI calls back with the result of a task' : '';
		expect(ours.find((result) => result.name === 'KIE')?.description).toBe(triggerDescription);
		expect(results.slice(5).some((result) => result.name.startsWith('KIE'))).toBe(false);
	});

	it('adds KIE Create Task, which shows the default model by name', async () => {
		await editor.addNode(page, 'KIE Create Task');
		expect(await editor.modelText(page)).toBe('GPT Image 1.5 · Text to Image');
		expect(await editor.optionText(page, 'aspectRatio')).toBe('Default (1:1)');
	});

	it('keeps the aspect ratio and the quality when the model changes and changes back', async () => {
		await editor.pickOption(page, 'aspectRatio', '3:2');
		await editor.pickOption(page, 'quality', 'high');
		expect(await editor.optionText(page, 'aspectRatio')).toBe('3:2');

		await editor.pickModel(page, '4o', '4o Image');
		// 4o Image calls its aspect ratio "Size", and offers 3:2; it has no quality setting, and says so.
		await page.locator('[data-test-id="parameter-input-aspectRatio"]').waitFor();
		expect(await page.locator('[data-test-id="parameter-item"]').filter({ hasText: 'Size' }).count()).toBeGreaterThan(0);
		expect(await editor.optionText(page, 'aspectRatio')).toBe('3:2');
		await expect(page.getByText('"Quality" keeps the value you set for another model', { exact: false }).isVisible()).resolves.toBe(true);

		await editor.pickModel(page, 'gpt image 1.5 text', 'GPT Image 1.5 · Text to Image');
		expect(await editor.optionText(page, 'aspectRatio')).toBe('3:2');
		expect(await editor.optionText(page, 'quality')).toBe('high');
	});

	it('keeps the prompt and the aspect ratio through a live model: they appear in its Model Input, and are still there after switching back', async () => {
		await editor.typeText(page, 'prompt', 'A lighthouse on a cliff at dawn');
		await editor.pickOption(page, 'aspectRatio', '3:2');

		await editor.pickModel(page, 'pixel forge', 'Acme Pixel Forge 3');
		const mapper = await editor.modelInputFields(page, 'aspect_ratio');
		expect(await editor.textValue(page, 'prompt', { within: mapper })).toBe('A lighthouse on a cliff at dawn');
		expect(await editor.optionText(page, 'aspect_ratio', { within: mapper })).toBe('3:2');
		// The notice of a kept setting is true for a live model: it does not say "this model has no such setting".
		await expect(page.getByText('a model from KIE\'s live list gets it in its Model Input field of the same name', { exact: false }).first().isVisible()).resolves.toBe(true);
		await expect(page.getByText('this model has no such setting', { exact: false }).count()).resolves.toBe(0);

		await editor.pickModel(page, 'gpt image 1.5 text', 'GPT Image 1.5 · Text to Image');
		expect(await editor.textValue(page, 'prompt')).toBe('A lighthouse on a cliff at dawn');
		expect(await editor.optionText(page, 'aspectRatio')).toBe('3:2');
		expect(await editor.optionText(page, 'quality')).toBe('high');
	});

	it('offers Limit Wait Time only with Wait for Callback, and Mask From Binary only for a model with a mask', async () => {
		expect(await editor.optionText(page, 'completion')).toBe('Wait Until Done (Poll)');
		expect(await editor.offersOption(page, 'Limit Wait Time (Seconds)')).toBe(false);
		expect(await editor.offersOption(page, 'Mask From Binary')).toBe(false);
		expect(await editor.offersOption(page, 'Timeout (Seconds)')).toBe(true);

		await editor.pickOption(page, 'completion', 'Wait for Callback');
		expect(await editor.offersOption(page, 'Limit Wait Time (Seconds)')).toBe(true);
		expect(await editor.offersOption(page, 'Callback URL')).toBe(false);

		await editor.pickOption(page, 'completion', 'Wait Until Done (Poll)');
		expect(await editor.offersOption(page, 'Limit Wait Time (Seconds)')).toBe(false);
		await editor.pickModel(page, '4o', '4o Image');
		expect(await editor.offersOption(page, 'Mask From Binary')).toBe(true);
	});

	it('marks a model KIE paused in the picker and the field, and offers Reuse Results for every model', async () => {
		expect(await editor.offersOption(page, 'Reuse Results')).toBe(true);
		await editor.pickModel(page, 'sora 2 text', 'Sora 2 · Text to Video (paused by KIE)');
		expect(await editor.modelText(page)).toBe('Sora 2 · Text to Video (paused by KIE)');
		expect(await editor.offersOption(page, 'Reuse Results')).toBe(true);
		await editor.pickModel(page, '4o', '4o Image');
	});

	it('shows the model\'s name on the canvas, with the completion mode when it does not poll', async () => {
		await editor.pickOption(page, 'completion', 'Wait for Callback');
		await page.keyboard.press('Escape');
		const node = page.locator('[data-test-id="canvas-node"]').filter({ hasText: 'KIE Create Task' }).first();
		await node.waitFor({ timeout: 60000 });
		await expect(node.getByText('4o Image (GPT-Image-1) · Text to Image (Wait for Callback)', { exact: false }).count()).resolves.toBeGreaterThan(0);
		await expect(node.getByText('4o-image', { exact: true }).count()).resolves.toBe(0);
	});
});

describe('the editor: the KIE Trigger says what the credential means for callbacks', () => {
	it('names the credential\'s signature state (the e2e credential has a Webhook HMAC Key), without internal field names', async () => {
		await editor.addTrigger(page, e2e.baseUrl);
		expect(await editor.optionText(page, 'signatureState')).toBe('On: only callbacks signed by KIE are accepted');
		await expect(page.getByText('"Webhook URLs"', { exact: false }).first().isVisible()).resolves.toBe(true);
		await expect(page.locator('[data-test-id="ndv"]').getByText('readFromKie', { exact: false }).count()).resolves.toBe(0);
	});
});
