import { binaryPropertyName, resultFileName } from '../../../nodes/shared/output/download';
import { defaultPollIntervalMs, pollDelayMs } from '../../../nodes/shared/api/tasks';

describe('polling schedule', () => {
	it('polls at the user interval for the first 30 s', () => {
		expect(pollDelayMs(0, 2000)).toBe(2000);
		expect(pollDelayMs(29_000, 2000)).toBe(2000);
	});

	it('slows to 5–10 s until two minutes, then 15–30 s', () => {
		expect(pollDelayMs(31_000, 2000)).toBe(5000);
		expect(pollDelayMs(31_000, 4000)).toBe(8000);
		expect(pollDelayMs(60_000, 9000)).toBe(10000);
		expect(pollDelayMs(121_000, 2000)).toBe(15000);
		expect(pollDelayMs(121_000, 5000)).toBe(25000);
		expect(pollDelayMs(600_000, 20000)).toBe(30000);
	});

	it('starts at 3 s for image models and 10 s for video and audio models', () => {
		expect(defaultPollIntervalMs('image')).toBe(3000);
		expect(defaultPollIntervalMs(undefined)).toBe(3000);
		expect(defaultPollIntervalMs('video')).toBe(10_000);
		expect(defaultPollIntervalMs('audio')).toBe(10_000);
		expect(pollDelayMs(150_000, defaultPollIntervalMs('video'))).toBe(30_000);
	});

	it('never polls faster than the user asked', () => {
		expect(pollDelayMs(600_000, 60_000)).toBe(60_000);
	});
});

describe('result files', () => {
	it('names binary properties in result order', () => {
		expect([0, 1, 2].map((index) => binaryPropertyName(index))).toEqual(['data', 'data_1', 'data_2']);
	});

	it('keeps the URL name and fixes the extension from the MIME type', () => {
		expect(resultFileName('https://cdn.example/a/b/result.png', 'image/png', 't', 0)).toBe('result.png');
		expect(resultFileName('https://cdn.example/a/result', 'image/jpeg', 't', 0)).toBe('result.jpg');
		expect(resultFileName('https://cdn.example/a/result.jpeg', 'image/jpeg', 't', 0)).toBe('result.jpeg');
		expect(resultFileName('https://cdn.example/a/file.bin', 'video/mp4; codecs=x', 't', 0)).toBe('file.mp4');
		expect(resultFileName('https://cdn.example/', 'image/webp', 'task_1', 2)).toBe('task_1_2.webp');
		expect(resultFileName('https://cdn.example/x%20y.png?sig=1', undefined, 't', 0)).toBe('x_y.png');
	});
});
