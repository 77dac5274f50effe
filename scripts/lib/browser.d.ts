import type { Browser, Page } from 'playwright-core';

export function ensureChromium(): string;
export function launchBrowser(): Promise<Browser>;
export function signIn(page: Page, baseUrl: string, account: { email: string; password: string }): Promise<void>;
export const editor: {
	newWorkflow(page: Page, baseUrl: string): Promise<void>;
	searchNodes(page: Page, text: string): Promise<Array<{ name: string; description: string }>>;
	addNode(page: Page, name: string): Promise<void>;
	optionText(page: Page, param: string): Promise<string>;
	pickOption(page: Page, param: string, name: string): Promise<void>;
	pickModel(page: Page, search: string, name: string): Promise<void>;
	modelText(page: Page): Promise<string>;
};
