import { importGraph } from '../support/imports';

/**
 * The layout of nodes/ (README, Development): what each shared folder may import. A folder imports only
 * folders below it, so no import runs back up the tree and there are no import circles.
 */
const MAY_IMPORT: Record<string, string[]> = {
	transport: [],
	registry: [],
	host: [],
	families: ['registry'],
	api: ['transport', 'registry', 'families'],
	output: ['transport', 'registry', 'families', 'api'],
	webhook: ['transport', 'registry', 'families', 'api', 'output'],
	methods: ['transport', 'registry', 'families', 'api', 'output'],
	reuse: ['webhook'],
};

const graph = importGraph();
const sharedFolder = (file: string) => /^nodes\/shared\/([^/]+)\//.exec(file)?.[1];
const nodeFolder = (file: string) => /^nodes\/(Kie\w+)\//.exec(file)?.[1];

describe('layout of nodes/', () => {
	it('has no folder named helpers, and every shared folder is a known one', () => {
		const folders = new Set(Object.keys(graph).map(sharedFolder).filter(Boolean));
		expect([...folders].sort()).toEqual(Object.keys(MAY_IMPORT).sort());
	});

	it('lets each shared folder import only the folders below it, and never a node', () => {
		const wrong: string[] = [];
		for (const [file, imports] of Object.entries(graph)) {
			const from = sharedFolder(file);
			if (!from) continue;
			for (const target of imports) {
				const to = sharedFolder(target);
				if (to === from) continue;
				if (!to || !MAY_IMPORT[from].includes(to)) wrong.push(`${file} → ${target}`);
			}
		}
		expect(wrong).toEqual([]);
	});

	it('keeps each node to its own folder and the shared code', () => {
		const wrong = Object.entries(graph).flatMap(([file, imports]) => {
			const node = nodeFolder(file);
			return node ? imports.filter((target) => nodeFolder(target) && nodeFolder(target) !== node).map((target) => `${file} → ${target}`) : [];
		});
		expect(wrong).toEqual([]);
	});

	it('has no import circles', () => {
		const circles: string[] = [];
		const state = new Map<string, 'open' | 'done'>();
		const visit = (file: string, trail: string[]) => {
			if (state.get(file) === 'done') return;
			if (state.get(file) === 'open') {
				circles.push([...trail.slice(trail.indexOf(file)), file].join(' → '));
				return;
			}
			state.set(file, 'open');
			for (const target of graph[file] ?? []) visit(target, [...trail, file]);
			state.set(file, 'done');
		};
		for (const file of Object.keys(graph)) visit(file, []);
		expect(circles).toEqual([]);
	});
});
