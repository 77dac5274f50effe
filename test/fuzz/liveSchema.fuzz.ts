import fc from 'fast-check';

import { modelFromLiveSchema } from '../../nodes/shared/registry/liveSchema';
import { clockMs, fuzz } from './support';

/**
 * KIE's live schema of a model is a document from outside: the editor reads it to list the Model Input
 * fields, and every run reads it again. Random nested documents with `$ref`s between components (cycles
 * included) must never throw and never stall: each is read in under 50 ms.
 */

const COMPONENTS = ['A', 'B', 'C', 'D', 'E', 'F', 'Pixel%20Forge', 'Pixel Forge ', 'constructor', '__proto__'];
const ref = fc.constantFrom(...COMPONENTS).map((name) => ({ $ref: `#/components/schemas/${encodeURIComponent(name.trim()) === name ? name : name.replace(/ /g, '%20')}` }));
const fieldName = fc.oneof(fc.constantFrom('prompt', 'aspect_ratio', 'image_urls', 'constructor', '__proto__', 'toString', 'hasOwnProperty', ''), fc.string({ maxLength: 12 }));

const { schema } = fc.letrec<{ schema: unknown; object: unknown }>((tie) => ({
	schema: fc.oneof(
		{ depthSize: 'small', withCrossShrink: true },
		ref,
		fc.record({ type: fc.constantFrom('string', 'number', 'integer', 'boolean', 'array', 'object', 'null', 'weird') }, { requiredKeys: [] }),
		fc.record({ type: fc.constant(['string', 'null']), enum: fc.array(fc.oneof(fc.string({ maxLength: 4 }), fc.integer(), fc.constant(null)), { maxLength: 5 }) }),
		fc.record({ type: fc.constant('array'), items: tie('schema'), minItems: fc.integer({ min: -1, max: 5 }) }, { requiredKeys: ['type'] }),
		tie('object'),
		fc.record({ oneOf: fc.array(tie('schema'), { maxLength: 8 }) }),
		fc.record({ anyOf: fc.array(tie('schema'), { maxLength: 8 }) }),
		fc.record({ allOf: fc.array(tie('schema'), { maxLength: 8 }) }),
		fc.record({ $ref: fc.oneof(fc.string({ maxLength: 20 }), fc.constant('#/'), fc.constant('#/components/schemas/missing')) }),
		fc.anything({ maxDepth: 2 }),
	),
	object: fc.record(
		{
			type: fc.constant('object'),
			properties: fc.dictionary(fieldName, tie('schema'), { maxKeys: 8 }),
			required: fc.array(fieldName, { maxLength: 4 }),
			oneOf: fc.array(tie('schema'), { maxLength: 4 }),
		},
		{ requiredKeys: ['type'] },
	),
}));

const document = fc
	.record({
		components: fc.dictionary(fc.constantFrom(...COMPONENTS), schema, { maxKeys: COMPONENTS.length }),
		input: schema,
		wrap: fc.boolean(),
	})
	.map(({ components, input, wrap }) => ({
		openapi: '3.1.0',
		paths: {
			'/api/v1/jobs/createTask': {
				post: {
					requestBody: {
						content: {
							'application/json': {
								schema: wrap ? { type: 'object', properties: { model: { type: 'string' }, input } } : { $ref: '#/components/schemas/A' },
							},
						},
					},
				},
			},
		},
		components: { schemas: components },
	}));

/** How long one read takes, in ms: the least of up to three tries when the first is slow (a GC pause is not the reader's). */
function readMs(doc: unknown): number {
	let best = Infinity;
	for (let attempt = 0; attempt < 3 && best > 50; attempt++) {
		const started = clockMs();
		const result = modelFromLiveSchema('acme/fuzz-model', doc);
		best = Math.min(best, clockMs() - started);
		if (!('model' in result) && !('reason' in result)) throw new Error('neither a model nor a reason');
	}
	return best;
}

describe('fuzz: the live schema reader', () => {
	it('reads random nested and cyclic documents without a throw, each in under 50 ms', async () => {
		const figures = await fuzz('live schema reader: random nested/cyclic documents', document, (doc) => {
			const ms = readMs(doc);
			if (ms > 50) throw new Error(`took ${ms.toFixed(1)} ms`);
		});
		expect(figures.failures).toBe(0);
	});

	it('reads random JSON of any shape as a document without a throw', async () => {
		const figures = await fuzz('live schema reader: any JSON', fc.anything({ maxDepth: 6, maxKeys: 8 }), (doc) => {
			readMs(doc);
		});
		expect(figures.failures).toBe(0);
	});
});
