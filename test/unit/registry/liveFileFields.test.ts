import { getModel } from '../../../nodes/shared/registry';
import { LIVE_ONLY } from '../../../nodes/shared/registry/availability';
import { isFileUrlField, liveImageField, liveMaskField, liveModelInfo, modelFromLiveSchema } from '../../../nodes/shared/registry/liveSchema';
import type { ModelField } from '../../../nodes/shared/registry/types';

/** Which field of a live model takes files from binary (KIE Create Task's "Input Images From Binary", "Mask From Binary"). */

const url = (name: string, extra: Partial<ModelField> = {}): ModelField => ({ name, type: 'string', description: '', ...extra });
const urls = (name: string, extra: Partial<ModelField> = {}): ModelField => ({ name, type: 'array', itemsType: 'string', description: '', ...extra });
const imageOf = (fields: ModelField[]) => liveImageField(fields)?.name;

describe('isFileUrlField', () => {
	it('a field KIE\'s schema gives format uri, or named …url / …urls, of strings', () => {
		expect(isFileUrlField(url('source', { format: 'uri' }))).toBe(true);
		expect(isFileUrlField(urls('image_urls'))).toBe(true);
		expect(isFileUrlField(url('imageUrl'))).toBe(true);
		expect(isFileUrlField(url('first_frame'))).toBe(true);
		expect(isFileUrlField(url('prompt'))).toBe(false);
		expect(isFileUrlField({ name: 'image_urls', type: 'array', itemsType: 'object', description: '' })).toBe(false);
		expect(isFileUrlField({ name: 'image_url', type: 'integer', description: '' })).toBe(false);
		expect(isFileUrlField(url('callback_url', { format: 'uri' }))).toBe(false);
		expect(isFileUrlField(url('webhookUrl'))).toBe(false);
	});
});

describe('liveImageField: the same field every time', () => {
	it('Kling 3.0 Omni transformation (a required video list, an optional image list): image_urls', () => {
		expect(imageOf([url('prompt'), urls('video_urls', { required: true }), urls('image_urls')])).toBe('image_urls');
	});

	it('Wan 3.0 (first and last frames, reference lists of each medium): reference_image_urls, the catalogue adapter\'s order', () => {
		const wan = [url('prompt'), url('first_frame_url'), url('last_frame_url'), urls('reference_image_urls'), urls('reference_video_urls'), urls('reference_audio_urls'), urls('reference_file_urls'), urls('reference_link_urls')];
		expect(imageOf(wan)).toBe('reference_image_urls');
		// Without the known names: the first field naming an image or frame, in the schema's order.
		expect(imageOf([url('last_frame_url'), url('start_photo_url')])).toBe('last_frame_url');
	});

	it('the first required candidate, else the first', () => {
		expect(imageOf([urls('image_urls'), url('image_url', { required: true })])).toBe('image_url');
		expect(imageOf([urls('style_image_urls'), urls('subject_image_urls')])).toBe('style_image_urls');
	});

	it('a URL field naming no medium when none names an image; never a video, audio or mask field', () => {
		expect(imageOf([url('prompt'), url('source_url', { format: 'uri' })])).toBe('source_url');
		expect(imageOf([url('video_url', { format: 'uri' }), urls('audio_urls'), url('mask_url', { format: 'uri' })])).toBeUndefined();
		expect(imageOf([url('mask_image_url'), url('image_url')])).toBe('image_url');
		expect(imageOf([url('prompt')])).toBeUndefined();
	});

	it('is set as the live model\'s imageField only from KIE\'s schema', () => {
		const doc = {
			openapi: '3.1.0',
			paths: { '/api/v1/jobs/createTask': { post: { requestBody: { content: { 'application/json': { schema: { type: 'object', properties: { input: { type: 'object', properties: { prompt: { type: 'string' }, image_urls: { type: 'array', items: { type: 'string' } } } } } } } } } } } },
		};
		const result = modelFromLiveSchema('acme/x', doc);
		expect('model' in result && result.model.imageField).toBe('image_urls');
	});
});

describe('liveMaskField', () => {
	it('a file-URL field with "mask" in its name, the first required one, else the first', () => {
		expect(liveMaskField([url('image_url'), url('mask_url', { format: 'uri' })])?.name).toBe('mask_url');
		expect(liveMaskField([url('mask_image'), url('maskUrl', { required: true })])?.name).toBe('maskUrl');
		expect(liveMaskField([url('image_url'), { name: 'mask_indexs', type: 'array', itemsType: 'integer', description: '' }])).toBeUndefined();
	});
});

describe('liveModelInfo', () => {
	it('a live-only model: its name, media and kind from LIVE_ONLY; a built-in one from the registry', () => {
		const wan = LIVE_ONLY.find((entry) => entry.id === 'wan/3-0-video')!;
		expect(liveModelInfo('wan/3-0-video', null)).toEqual({ displayName: wan.displayName, media: 'video', kind: 'text-to-video' });
		const gpt = getModel('gpt-image/1.5-text-to-image')!;
		expect(liveModelInfo(gpt.id, null)).toEqual({ displayName: gpt.displayName, media: 'image', kind: gpt.kind });
	});

	it('another model: its name from the document\'s title, its media from its id, title and description', () => {
		expect(liveModelInfo('acme/x', { info: { title: 'Acme X', description: 'Text to video' } })).toEqual({ displayName: 'Acme X', media: 'video' });
		expect(liveModelInfo('acme/voice-tts', {})).toEqual({ media: 'audio' });
		expect(liveModelInfo('acme/x', { info: { title: 'Acme Speech 2' } })).toEqual({ displayName: 'Acme Speech 2', media: 'audio' });
		expect(liveModelInfo('acme/x', 'not a document')).toEqual({ media: 'image' });
	});
});
