import { type INode, type INodeParameters, NodeHelpers } from 'n8n-workflow';

import { KieCreateTask } from '../../../nodes/KieCreateTask/KieCreateTask.node';
import { MODELS, paramName } from '../../../nodes/shared/registry';
import { KEPT_SETTING_MIN_FAMILIES } from '../../../nodes/shared/registry/settings';

/**
 * The editor loads KIE Create Task's whole description (every model's fields) when it opens: it has a
 * budget. bench/node-size.mjs prints the figure and the load time (bench/RESULTS.md).
 */
const BUDGET_BYTES = 300_000;

const description = new KieCreateTask().description;
const bytes = (value: unknown) => Buffer.byteLength(JSON.stringify(value));

describe('KIE Create Task description size', () => {
	it(`stays under ${BUDGET_BYTES} bytes with every built-in model`, () => {
		expect(MODELS.length).toBeGreaterThan(150);
		expect(bytes(description)).toBeLessThan(BUDGET_BYTES);
	});

	it('pays per model only for what differs: one small tool description each, no options of its own', () => {
		const tool = description.properties.filter((property) => property.name === 'toolDescription');
		expect(tool).toHaveLength(MODELS.length + 1);
		for (const property of tool) expect(property.typeOptions).toBeUndefined();
		// The texts are the bulk: on average well under 600 bytes a model, property included.
		expect(bytes(tool) / tool.length).toBeLessThan(600);
	});

	it(`keeps a setting across a model switch only when models of ${KEPT_SETTING_MIN_FAMILIES} families have it`, () => {
		const kept = description.properties.filter((property) => property.type === 'hidden').map((property) => property.name);
		expect(kept).toEqual(expect.arrayContaining(['prompt', 'aspectRatio', 'quality', 'inputUrls', 'resolution', 'duration']));
		// Settings of one family's variants (Suno's custom mode, ElevenLabs' voice) are not kept.
		expect(kept).not.toContain('customMode');
		expect(kept).not.toContain('voice');
		for (const name of kept) {
			const families = new Set(
				MODELS.filter((model) => model.fields.some((field) => paramName(model, field) === name)).map((model) => model.family),
			);
			expect(families.size).toBeGreaterThanOrEqual(KEPT_SETTING_MIN_FAMILIES);
		}
	});

	it('a setting of one family only goes back to its default after a model without it, as n8n\'s parameters do', () => {
		const node = (parameters: INodeParameters): INode => ({ id: 'n', name: 'KIE', type: 'kieCreateTask', typeVersion: 1, position: [0, 0], parameters });
		const full = (values: INodeParameters) => NodeHelpers.getNodeParameters(description.properties, values, true, false, node(values), description)!;
		const switchTo = (values: INodeParameters, id: string) => {
			const kept = NodeHelpers.getNodeParameters(description.properties, values, false, false, node(values), description)!;
			return full({ ...kept, model: { __rl: true, mode: 'list', value: id } });
		};
		let values = full({ model: { __rl: true, mode: 'list', value: 'suno/generate' }, customMode: true, prompt: 'a sea shanty' });
		expect(values).toMatchObject({ customMode: true });
		values = switchTo(values, 'gpt-image/1.5-text-to-image');
		values = switchTo(values, 'suno/generate');
		// The prompt is kept (many families have it), Custom Mode is not (Suno's own).
		expect(values).toMatchObject({ customMode: false, prompt: 'a sea shanty' });
	});
});
