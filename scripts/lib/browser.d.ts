import type { Browser, Locator, Page } from 'playwright-core';

export function ensureChromium(): string;
export function launchBrowser(): Promise<Browser>;
export function signIn(page: Page, baseUrl: string, account: { email: string; password: string }): Promise<void>;
type Within = { within?: Locator };
export const editor: {
	newWorkflow(page: Page, baseUrl: string): Promise<void>;
	searchNodes(page: Page, text: string): Promise<Array<{ name: string; description: string }>>;
	addNode(page: Page, name: string): Promise<void>;
	addTrigger(page: Page, baseUrl: string): Promise<void>;
	openedPanel(page: Page): Promise<void>;
	optionText(page: Page, param: string, options?: Within): Promise<string>;
	textValue(page: Page, param: string, options?: Within): Promise<string>;
	typeText(page: Page, param: string, text: string, options?: Within): Promise<void>;
	pickOption(page: Page, param: string, name: string, options?: Within): Promise<void>;
	pickModel(page: Page, search: string, name: string): Promise<void>;
	modelText(page: Page): Promise<string>;
	modelInputFields(page: Page, id: string): Promise<Locator>;
	offersOption(page: Page, displayName: string): Promise<boolean>;
};
