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

export const SUNO_MODELS: ModelDefinition[] = [
	{
		...common,
		id: 'suno/generate',
		displayName: 'Suno · Generate Music',
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
		family: 'Suno',
		provider: 'Suno',
		kind: 'other',
		media: 'audio',
		api: 'suno-lyrics',
		docsUrl: 'https://docs.kie.ai/suno-api/generate-lyrics',
		fields: [prompt('What the lyrics are about: theme, mood, style (up to 200 words)', { required: true })],
	},
];
