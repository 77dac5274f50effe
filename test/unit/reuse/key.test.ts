import { createHash } from 'crypto';

import {
	binaryContentHash,
	canonicalJson,
	itemBinaryHash,
	reuseKey,
} from '../../../nodes/shared/reuse';

/** A stream of chunks, as n8n hands over a file kept outside memory. */
async function* chunks(...parts: Buffer[]): AsyncGenerator<Buffer> {
	for (const part of parts) yield part;
}

const MODEL = 'gpt-image/1.5-text-to-image';

describe('reuse key', () => {
	it('is a sha256 hex of a canonical JSON, not the input', () => {
		const key = reuseKey({ modelId: MODEL, input: { prompt: 'a red fox in the snow' } });
		expect(key).toMatch(/^[0-9a-f]{64}$/);
		expect(key).not.toContain('fox');
		expect(key).toBe(reuseKey({ modelId: MODEL, input: { prompt: 'a red fox in the snow' } }));
	});

	it('does not depend on the order of keys, at any depth', () => {
		const a = reuseKey({ modelId: MODEL, input: { prompt: 'p', size: '1:1', extra: { b: 1, a: [2, { y: 1, x: 2 }] } } });
		const b = reuseKey({ modelId: MODEL, input: { extra: { a: [2, { x: 2, y: 1 }], b: 1 }, size: '1:1', prompt: 'p' } });
		expect(a).toBe(b);
		expect(canonicalJson({ b: 1, a: { d: 1, c: 2 } })).toBe('{"a":{"c":2,"d":1},"b":1}');
	});

	it('keeps the order of lists (the order files and values are sent in)', () => {
		expect(reuseKey({ modelId: MODEL, input: { urls: ['a', 'b'] } })).not.toBe(
			reuseKey({ modelId: MODEL, input: { urls: ['b', 'a'] } }),
		);
	});

	it('tells the number 5 from the string "5" (they are different requests); JSON spellings of one number agree', () => {
		const number = reuseKey({ modelId: MODEL, input: { n: 5 } });
		expect(reuseKey({ modelId: MODEL, input: { n: '5' } })).not.toBe(number);
		expect(reuseKey({ modelId: MODEL, input: { n: 5.0 } })).toBe(number);
		expect(reuseKey({ modelId: MODEL, input: { n: 5e0 } })).toBe(number);
		expect(canonicalJson({ z: -0, nan: NaN, inf: Infinity })).toBe('{"inf":null,"nan":null,"z":0}');
	});

	it('drops what JSON drops and applies toJSON, as the request would be sent', () => {
		const date = new Date('2026-01-02T03:04:05.000Z');
		expect(reuseKey({ modelId: MODEL, input: { p: 'x', gone: undefined } })).toBe(reuseKey({ modelId: MODEL, input: { p: 'x' } }));
		expect(reuseKey({ modelId: MODEL, input: { at: date } })).toBe(reuseKey({ modelId: MODEL, input: { at: date.toISOString() } }));
		expect(canonicalJson([undefined, 1])).toBe('[null,1]');
	});

	it('leaves the callback URL out (a retry has another resume URL)', () => {
		expect(reuseKey({ modelId: MODEL, input: { prompt: 'p', callBackUrl: 'https://n8n.example/webhook-waiting/1?signature=abc' } })).toBe(
			reuseKey({ modelId: MODEL, input: { prompt: 'p', callBackUrl: 'https://n8n.example/webhook-waiting/2?signature=def' } }),
		);
	});

	it('gives another key for another model', () => {
		expect(reuseKey({ modelId: MODEL, input: { prompt: 'p' } })).not.toBe(reuseKey({ modelId: 'flux-2/pro-text-to-image', input: { prompt: 'p' } }));
	});

	it('counts binary inputs by content, never by file name', async () => {
		const png = Buffer.from('89504e470d0a1a0a-image-bytes');
		const same = await binaryContentHash(Buffer.from(png));
		const other = await binaryContentHash(Buffer.from('other bytes'));
		expect(same).toBe(createHash('sha256').update(png).digest('hex'));
		// By stream as by buffer.
		expect(await binaryContentHash(chunks(png.subarray(0, 5), png.subarray(5)))).toBe(same);
		const a = reuseKey({ modelId: MODEL, input: { prompt: 'p' }, binaryHashes: { image_urls: [same] } });
		expect(reuseKey({ modelId: MODEL, input: { prompt: 'p' }, binaryHashes: { image_urls: same } })).toBe(a);
		expect(reuseKey({ modelId: MODEL, input: { prompt: 'p' }, binaryHashes: { image_urls: [other] } })).not.toBe(a);
		expect(reuseKey({ modelId: MODEL, input: { prompt: 'p' } })).not.toBe(a);

		// Two items with the same bytes under different names and types: the same key.
		const files: Record<string, { id?: string; data: string; fileName: string }> = {
			a: { data: png.toString('base64'), fileName: 'cat.png' },
			b: { data: png.toString('base64'), fileName: 'IMG_0001.jpeg' },
		};
		const ctx = {
			helpers: {
				assertBinaryData: (i: number) => files[i === 0 ? 'a' : 'b'],
				getBinaryDataBuffer: async (i: number) => Buffer.from(files[i === 0 ? 'a' : 'b'].data, 'base64'),
			},
		};
		expect(await itemBinaryHash(ctx, 0, 'data')).toBe(same);
		expect(await itemBinaryHash(ctx, 1, 'data')).toBe(same);
		// Kept outside memory (filesystem/S3): read as a stream.
		const streamed = {
			helpers: {
				assertBinaryData: () => ({ id: 'filesystem-v2:x', data: 'filesystem-v2' }),
				getBinaryDataBuffer: async () => {
					throw new Error('not read whole');
				},
				getBinaryStream: async () => chunks(png),
			},
		};
		expect(await itemBinaryHash(streamed, 0, 'data')).toBe(same);
	});

	it('uses an explicit Reuse Key instead of the input, per model', () => {
		const byRow = reuseKey({ modelId: MODEL, input: { prompt: 'first wording' }, explicitKey: 'row-17' });
		expect(reuseKey({ modelId: MODEL, input: { prompt: 'second wording' }, explicitKey: 'row-17' })).toBe(byRow);
		expect(reuseKey({ modelId: MODEL, input: {}, explicitKey: ' row-17 ' })).toBe(byRow);
		expect(reuseKey({ modelId: MODEL, explicitKey: 'row-18' })).not.toBe(byRow);
		expect(reuseKey({ modelId: 'flux-2/pro-text-to-image', explicitKey: 'row-17' })).not.toBe(byRow);
		expect(reuseKey({ modelId: MODEL, explicitKey: 17 })).toBe(reuseKey({ modelId: MODEL, explicitKey: '17' }));
		// Empty: the input counts.
		expect(reuseKey({ modelId: MODEL, input: { prompt: 'p' }, explicitKey: '  ' })).toBe(reuseKey({ modelId: MODEL, input: { prompt: 'p' } }));
		// Not the same as an input hash that happens to spell the same.
		expect(byRow).not.toBe(reuseKey({ modelId: MODEL, input: { x: 'row-17' } }));
	});

	it('differs by scope (e.g. another credential) when one is given', () => {
		expect(reuseKey({ modelId: MODEL, input: { p: 1 }, scope: 'cred-a' })).not.toBe(reuseKey({ modelId: MODEL, input: { p: 1 }, scope: 'cred-b' }));
		expect(reuseKey({ modelId: MODEL, input: { p: 1 }, scope: '' })).toBe(reuseKey({ modelId: MODEL, input: { p: 1 } }));
	});

	it('refuses a missing model and an input that refers to itself', () => {
		expect(() => reuseKey({ modelId: ' ', input: {} })).toThrow(/model id/);
		const input: Record<string, unknown> = { a: 1 };
		input.self = input;
		expect(() => reuseKey({ modelId: MODEL, input })).toThrow(/refers to itself/);
	});
});
