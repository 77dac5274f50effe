import type { ModelDefinition, ModelField } from '../types';

// Suno has its own endpoints and camelCase bodies; every create needs `callBackUrl` (the node supplies
// one, see prepare.ts). Source: reference/kie-api.md §9 (docs.kie.ai Suno API; Chinese edition
// 171–176, 186). Conditional rules the registry cannot express (custom mode needs style and title,
// and a prompt unless instrumental) are checked by KIE. The KIE `model` key is the parameter
// "modelVersion": "model" is the node's model picker.

const VERSIONS = ['V4', 'V4_5', 'V4_5PLUS', 'V4_5ALL', 'V5', 'V5_5'];

const version = (values: string[], fallback: string): ModelField => ({
	name: 'model',
	param: 'modelVersion',
	label: 'Suno Model',
	type: 'string',
	required: true,
	enum: values,
	default: fallback,
	description: 'The Suno model version',
});
const UPLOAD_URL: ModelField = {
	name: 'uploadUrl',
	label: 'Audio URL',
	type: 'string',
	required: true,
	format: 'uri',
	description: 'URL of the source audio (up to 8 minutes)',
};
const custom = (flag: string): Pick<ModelField, 'showWhen'> => ({ showWhen: { [flag]: [true] } });
const prompt = (description: string, extra: Partial<ModelField> = {}): ModelField => ({
	name: 'prompt',
	type: 'string',
	multiline: true,
	description,
	...extra,
});
const STYLE: ModelField = { name: 'style', type: 'string', description: 'Music style, e.g. "Jazz" or "Classical"' };
const TITLE: ModelField = { name: 'title', type: 'string', maxLength: 100, description: 'Title of the track (V4 and V4_5ALL: 80 characters)' };
const NEGATIVE_TAGS: ModelField = { name: 'negativeTags', type: 'string', description: 'Styles or traits to leave out (optional)' };
const VOCAL_GENDER: ModelField = {
	name: 'vocalGender',
	type: 'string',
	enum: ['m', 'f'],
	description: 'Preferred voice: m (male) or f (female); a preference, not a guarantee',
};
const CUSTOM_MODE: ModelField = {
	name: 'customMode',
	type: 'boolean',
	required: true,
	default: false,
	description: 'Whether to set style and title yourself (the prompt then holds the lyrics)',
};
const INSTRUMENTAL: ModelField = {
	name: 'instrumental',
	type: 'boolean',
	required: true,
	default: false,
	description: 'Whether the track has no vocals',
};
const DEFAULT_PARAM_FLAG: ModelField = {
	name: 'defaultParamFlag',
	label: 'Custom Parameters',
	type: 'boolean',
	required: true,
	default: false,
	description: 'Whether to use the prompt, style, title and start time given here instead of the original track\'s',
};
const CONTINUE_AT: ModelField = {
	name: 'continueAt',
	label: 'Continue At (Seconds)',
	type: 'number',
	min: 0,
	...custom('defaultParamFlag'),
	description: 'Where the extension starts, in seconds: more than 0 and less than the track length',
};

const common = {
	family: 'Suno',
	provider: 'Suno',
	kind: 'audio',
	media: 'audio',
	api: 'suno',
} as const;


// Suno's toolbox on an existing track (docs/research/suno-toolbox.md, from KIE's Suno API pages). The
// task and track ids default to the input item of a KIE Create Task of a Suno music model (its `taskId`
// and `tracks`); the identical id fields merge into one parameter each.
const FROM_MUSIC = 'Connect this node after a KIE Create Task of a Suno music model (its output has taskId and tracks), or enter the ID.';
const TASK_ID: ModelField = {
	name: 'taskId',
	label: 'Task ID',
	type: 'string',
	required: true,
	default: '={{ $json.taskId }}',
	description: "ID of the Suno music task (default: the input item's taskId)",
	whenEmpty: FROM_MUSIC,
};
const AUDIO_ID: ModelField = {
	name: 'audioId',
	label: 'Audio ID',
	type: 'string',
	required: true,
	default: '={{ $json.tracks && $json.tracks.length ? $json.tracks[0].id : "" }}',
	description: "ID of the track (default: the input item's first track)",
	whenEmpty: FROM_MUSIC,
};
const tool = {
	family: 'Suno',
	provider: 'Suno',
	kind: 'audio',
	media: 'audio',
} as const;

const TOOLBOX: ModelDefinition[] = [
	{
		...tool,
		id: 'suno/convert-to-wav',
		displayName: 'Suno · Convert to WAV',
		api: 'suno-wav',
		docsUrl: 'https://docs.kie.ai/suno-api/convert-to-wav',
		fields: [TASK_ID, AUDIO_ID],
	},
	{
		...tool,
		id: 'suno/separate-vocals',
		displayName: 'Suno · Separate Vocals / Split Stems',
		outputFields: ['stems', 'stemIds'],
		kind: 'audio-isolation',
		api: 'suno-stems',
		docsUrl: 'https://docs.kie.ai/suno-api/separate-vocals',
		fields: [
			TASK_ID,
			AUDIO_ID,
			{
				name: 'type',
				param: 'separationType',
				label: 'Separation',
				type: 'string',
				required: true,
				enum: ['separate_vocal', 'split_stem'],
				default: 'separate_vocal',
				description: 'separate_vocal: vocals and instrumental (10 credits); split_stem: up to 12 stems (50 credits)',
			},
		],
	},
	{
		...tool,
		id: 'suno/generate-midi',
		displayName: 'Suno · Generate MIDI',
		outputFields: ['midi'],
		kind: 'other',
		api: 'suno-midi',
		docsUrl: 'https://docs.kie.ai/suno-api/generate-midi',
		fields: [
			{
				...TASK_ID,
				description: "ID of a finished Separate Vocals / Split Stems task (default: the input item's taskId)",
				whenEmpty: 'Connect this node after a KIE Create Task of "Suno · Separate Vocals / Split Stems", or enter its task ID.',
			},
			{ name: 'audioId', label: 'Stem ID', param: 'stemId', type: 'string', description: 'One stem (stemIds of the separation); empty: all stems' },
		],
	},
	{
		...tool,
		id: 'suno/music-video',
		displayName: 'Suno · Create Music Video',
		kind: 'audio-to-video',
		media: 'video',
		api: 'suno-mp4',
		docsUrl: 'https://docs.kie.ai/suno-api/create-music-video',
		fields: [
			TASK_ID,
			AUDIO_ID,
			{ name: 'author', type: 'string', maxLength: 50, description: 'Artist name shown on the video' },
			{ name: 'domainName', type: 'string', maxLength: 50, description: 'Watermark at the bottom of the video' },
		],
	},
	{
		...tool,
		id: 'suno/cover-image',
		displayName: 'Suno · Generate Cover Image',
		kind: 'other',
		media: 'image',
		api: 'suno-cover',
		docsUrl: 'https://docs.kie.ai/suno-api/cover-suno',
		fields: [TASK_ID],
	},
	{
		...tool,
		id: 'suno/replace-section',
		displayName: 'Suno · Replace Section',
		outputFields: ['tracks'],
		api: 'suno',
		createPath: '/api/v1/generate/replace-section',
		docsUrl: 'https://docs.kie.ai/suno-api/replace-section',
		spans: [{ start: 'infillStartS', end: 'infillEndS', min: 6, max: 60, maxShareOfTrack: 0.5 }],
		fields: [
			TASK_ID,
			AUDIO_ID,
			prompt('Lyrics of the new section', { required: true }),
			{ ...STYLE, name: 'tags', required: true },
			{ ...TITLE, required: true },
			{ name: 'infillStartS', label: 'Start (Seconds)', type: 'number', required: true, min: 0, description: 'Start of the section; the section is 6–60 s and at most half the track' },
			{ name: 'infillEndS', label: 'End (Seconds)', type: 'number', required: true, min: 0, description: 'End of the section' },
			{ name: 'fullLyrics', type: 'string', multiline: true, description: 'The whole lyrics after the change (optional)' },
			NEGATIVE_TAGS,
		],
	},
	{
		...tool,
		id: 'suno/sounds',
		displayName: 'Suno · Generate Sounds',
		outputFields: ['tracks'],
		kind: 'sound-effect',
		api: 'suno',
		createPath: '/api/v1/generate/sounds',
		docsUrl: 'https://docs.kie.ai/suno-api/generate-sounds',
		fields: [
			prompt('The sound to make', { required: true, maxLength: 500 }),
			version(['V5', 'V5_5'], 'V5'),
			{ name: 'soundLoop', type: 'boolean', default: false, description: 'Whether the sound loops' },
			{ name: 'soundTempo', label: 'Tempo (BPM)', type: 'integer', min: 1, max: 300, description: 'Tempo in beats per minute' },
			{
				name: 'soundKey',
				type: 'string',
				enum: ['C', 'C#', 'D', 'D#', 'E', 'F', 'F#', 'G', 'G#', 'A', 'A#', 'B', 'Cm', 'C#m', 'Dm', 'D#m', 'Em', 'Fm', 'F#m', 'Gm', 'G#m', 'Am', 'A#m', 'Bm'],
				description: 'Musical key (default: any)',
			},
			{ name: 'grabLyrics', type: 'boolean', default: false, description: 'Whether to capture lyrics' },
		],
	},
	{
		...tool,
		id: 'suno/mashup',
		displayName: 'Suno · Generate Mashup',
		outputFields: ['tracks'],
		api: 'suno',
		createPath: '/api/v1/generate/mashup',
		docsUrl: 'https://docs.kie.ai/suno-api/generate-mashup',
		imageField: 'uploadUrlList',
		fields: [
			{ name: 'uploadUrlList', label: 'Audio URLs', type: 'array', itemsType: 'string', format: 'uri', required: true, minItems: 2, maxItems: 2, description: 'The two tracks to mix (public URLs)' },
			CUSTOM_MODE,
			version(VERSIONS, 'V5'),
			prompt('Non-custom mode: a description. Custom mode: the exact lyrics (not needed for instrumentals).'),
			{ ...STYLE, ...custom('customMode') },
			{ ...TITLE, maxLength: 80, ...custom('customMode'), description: 'Title of the track' },
			INSTRUMENTAL,
			VOCAL_GENDER,
		],
	},
	{
		...tool,
		id: 'suno/timestamped-lyrics',
		displayName: 'Suno · Timestamped Lyrics',
		outputFields: ['alignedWords'],
		kind: 'other',
		api: 'suno-sync',
		createPath: '/api/v1/generate/get-timestamped-lyrics',
		docsUrl: 'https://docs.kie.ai/suno-api/get-timestamped-lyrics',
		fields: [TASK_ID, AUDIO_ID],
	},
	{
		...tool,
		id: 'suno/persona',
		displayName: 'Suno · Generate Persona',
		outputFields: ['personaId'],
		kind: 'other',
		api: 'suno-sync',
		createPath: '/api/v1/generate/generate-persona',
		docsUrl: 'https://docs.kie.ai/suno-api/generate-persona',
		spans: [{ start: 'vocalStart', end: 'vocalEnd', min: 10, max: 30 }],
		fields: [
			TASK_ID,
			AUDIO_ID,
			{ name: 'name', param: 'personaName', label: 'Persona Name', type: 'string', required: true, description: 'Name of the persona' },
			{ name: 'description', param: 'personaDescription', label: 'Persona Description', type: 'string', required: true, description: 'What the persona sounds like' },
			{ name: 'vocalStart', label: 'Vocal Start (Seconds)', type: 'number', min: 0, default: 0, description: 'Start of the vocal sample; the sample is 10–30 s' },
			{ name: 'vocalEnd', label: 'Vocal End (Seconds)', type: 'number', min: 0, default: 30, description: 'End of the vocal sample' },
			STYLE,
		],
	},
	{
		...tool,
		id: 'suno/boost-style',
		displayName: 'Suno · Boost Style',
		outputFields: ['style'],
		kind: 'other',
		api: 'suno-sync',
		createPath: '/api/v1/style/generate',
		docsUrl: 'https://docs.kie.ai/suno-api/boost-music-style',
		fields: [{ name: 'content', label: 'Style', type: 'string', required: true, description: 'The style to expand, e.g. "Pop, Mysterious"' }],
	},
];

export const SUNO_MODELS: ModelDefinition[] = [
	{
		...common,
		id: 'suno/generate',
		displayName: 'Suno · Generate Music',
		outputFields: ['tracks'],
		docsUrl: 'https://docs.kie.ai/suno-api/generate-music',
		fields: [
			prompt('Non-custom mode: a description of the song. Custom mode: the exact lyrics (not needed for instrumentals).'),
			CUSTOM_MODE,
			INSTRUMENTAL,
			version(VERSIONS, 'V5'),
			{ ...STYLE, ...custom('customMode'), description: 'Music style (custom mode: required)' },
			{ ...TITLE, ...custom('customMode'), description: 'Title of the track (custom mode: required; V4 and V4_5ALL: 80 characters)' },
			NEGATIVE_TAGS,
			VOCAL_GENDER,
			{ name: 'personaId', label: 'Persona ID', type: 'string', ...custom('customMode'), description: 'Persona to apply (optional, custom mode)' },
		],
	},
	{
		...common,
		id: 'suno/extend',
		displayName: 'Suno · Extend Music',
		outputFields: ['tracks'],
		createPath: '/api/v1/generate/extend',
		docsUrl: 'https://docs.kie.ai/suno-api/extend-music',
		fields: [
			{ name: 'audioId', label: 'Audio ID', type: 'string', required: true, description: 'The ID of the track to extend (sunoData[].id of a Suno task)' },
			DEFAULT_PARAM_FLAG,
			version(VERSIONS, 'V5'),
			prompt('How the music continues (with Custom Parameters: required)', custom('defaultParamFlag')),
			{ ...STYLE, ...custom('defaultParamFlag') },
			{ ...TITLE, ...custom('defaultParamFlag') },
			CONTINUE_AT,
			NEGATIVE_TAGS,
			VOCAL_GENDER,
		],
	},
	{
		...common,
		id: 'suno/upload-cover',
		displayName: 'Suno · Upload and Cover Audio',
		outputFields: ['tracks'],
		createPath: '/api/v1/generate/upload-cover',
		docsUrl: 'https://docs.kie.ai/suno-api/upload-and-cover-audio',
		imageField: 'uploadUrl',
		fields: [
			UPLOAD_URL,
			prompt('Non-custom mode: a description. Custom mode: the exact lyrics (not needed for instrumentals).'),
			CUSTOM_MODE,
			INSTRUMENTAL,
			version(VERSIONS, 'V5'),
			{ ...STYLE, ...custom('customMode') },
			{ ...TITLE, ...custom('customMode') },
			NEGATIVE_TAGS,
			VOCAL_GENDER,
		],
	},
	{
		...common,
		id: 'suno/upload-extend',
		displayName: 'Suno · Upload and Extend Audio',
		outputFields: ['tracks'],
		createPath: '/api/v1/generate/upload-extend',
		docsUrl: 'https://docs.kie.ai/suno-api/upload-and-extend-audio',
		imageField: 'uploadUrl',
		fields: [
			UPLOAD_URL,
			DEFAULT_PARAM_FLAG,
			INSTRUMENTAL,
			version(VERSIONS, 'V5'),
			prompt('How the music continues (with Custom Parameters: required)', custom('defaultParamFlag')),
			{ ...STYLE, ...custom('defaultParamFlag') },
			{ ...TITLE, ...custom('defaultParamFlag') },
			CONTINUE_AT,
			NEGATIVE_TAGS,
			VOCAL_GENDER,
		],
	},
	{
		...common,
		id: 'suno/add-instrumental',
		displayName: 'Suno · Add Instrumental',
		outputFields: ['tracks'],
		createPath: '/api/v1/generate/add-instrumental',
		docsUrl: 'https://docs.kie.ai/suno-api/add-instrumental',
		imageField: 'uploadUrl',
		fields: [
			{ ...UPLOAD_URL, description: 'URL of the vocals (or other audio) to add an accompaniment to' },
			{ ...TITLE, required: true },
			{ name: 'tags', type: 'string', required: true, description: 'Styles to include, e.g. "relaxing, piano"' },
			{ ...NEGATIVE_TAGS, required: true, description: 'Styles or traits to leave out' },
			version(['V4_5PLUS', 'V5', 'V5_5'], 'V4_5PLUS'),
			VOCAL_GENDER,
		],
	},
	{
		...common,
		id: 'suno/add-vocals',
		displayName: 'Suno · Add Vocals',
		outputFields: ['tracks'],
		createPath: '/api/v1/generate/add-vocals',
		docsUrl: 'https://docs.kie.ai/suno-api/add-vocals',
		imageField: 'uploadUrl',
		fields: [
			{ ...UPLOAD_URL, description: 'URL of the instrumental to sing over' },
			prompt('What the vocals sing and how', { required: true }),
			{ ...TITLE, required: true },
			{ ...STYLE, required: true },
			{ ...NEGATIVE_TAGS, required: true, description: 'Styles or traits to leave out' },
			version(['V4_5PLUS', 'V5', 'V5_5'], 'V4_5PLUS'),
			VOCAL_GENDER,
		],
	},
	{
		id: 'suno/lyrics',
		displayName: 'Suno · Generate Lyrics',
		outputFields: ['lyrics'],
		family: 'Suno',
		provider: 'Suno',
		kind: 'other',
		media: 'audio',
		api: 'suno-lyrics',
		docsUrl: 'https://docs.kie.ai/suno-api/generate-lyrics',
		fields: [prompt('What the lyrics are about: theme, mood, style (up to 200 words)', { required: true })],
	},
	...TOOLBOX,
];
