/** One input field of a model, as KIE documents it. */
export type FieldType = 'string' | 'number' | 'integer' | 'boolean' | 'array' | 'object';

export type FieldValue = string | number | boolean;

export interface ModelField {
	/** The key KIE expects in the request (snake_case on Market, camelCase on own-API families). */
	name: string;
	/**
	 * The n8n parameter name. Derived from `name` when absent (camelCase), and always `inputUrls`
	 * for the field that takes input images, so a workflow keeps its values across models.
	 */
	param?: string;
	/** The label in the editor; derived from the parameter name when absent. */
	label?: string;
	type: FieldType;
	required?: boolean;
	enum?: FieldValue[];
	default?: FieldValue;
	min?: number;
	max?: number;
	maxLength?: number;
	minItems?: number;
	maxItems?: number;
	itemsType?: 'string' | 'number' | 'integer' | 'object';
	/** The keys of each item when the items are objects (e.g. `{text, voice}`). */
	itemProperties?: string[];
	/** The items are URLs of hosted files (or the value is one URL). */
	format?: 'uri';
	/** MIME types the model accepts for a file input. */
	accept?: string[];
	maxFileSizeMB?: number;
	description: string;
	/** The field is shown and sent only when another parameter has one of these values. */
	showWhen?: Record<string, FieldValue[]>;
	/** A long text field (prompts). */
	multiline?: boolean;
	/**
	 * For an id that defaults to an expression reading the input item (Suno's toolbox): what to do when it
	 * is empty, said in the item's error before anything is sent.
	 */
	whenEmpty?: string;
}

/** Two number fields whose difference must lie in a range, the start below the end (checked before sending). */
export interface ModelSpan {
	start: string;
	end: string;
	min: number;
	max: number;
	/**
	 * At most this share of the track (`audioId`) the window may cover, checked when the input item lists
	 * the track's duration (`tracks` of a Suno task's output): Replace Section's 50 %.
	 */
	maxShareOfTrack?: number;
}

/**
 * How a model is called: the name of a family in nodes/shared/families (`market` for the Market jobs API,
 * or one of KIE's own-API families). A test checks that every model names one.
 */
export type ApiStyleName = string;

export type ModelKind =
	| 'text-to-image'
	| 'image-to-image'
	| 'image-edit'
	| 'image-reframe'
	| 'upscale'
	| 'background-removal'
	| 'text-to-video'
	| 'image-to-video'
	| 'reference-to-video'
	| 'video-to-video'
	| 'video-extend'
	| 'video-upscale'
	| 'storyboard-video'
	| 'motion-control'
	| 'avatar-lip-sync'
	| 'lip-sync'
	| 'audio-to-video'
	| 'character-creation'
	| 'watermark-removal'
	| 'analysis'
	| 'text-to-speech'
	| 'speech-to-text'
	| 'sound-effect'
	| 'audio-isolation'
	| 'audio'
	| 'other';

export type ModelMedia = 'image' | 'video' | 'audio';

/** KIE has paused or retired a model (see availability.ts). */
export interface ModelAvailability {
	state: 'paused' | 'retired';
	/** Since when (YYYY-MM), as far as recorded. */
	since: string;
	/** What happened, in one sentence: shown in errors, hints and docs/models.md. */
	note: string;
	/** The model KIE names as its successor, by registry id. */
	successor?: string;
	/** Built-in models that do the same kind of work, suggested when KIE names no successor. */
	alternatives?: string[];
}

export interface ModelDefinition {
	/** The registry id: the Market model id, or a family id such as `4o-image`. */
	id: string;
	displayName: string;
	/** Model family as KIE's docs group it (GPT Image, Seedream, Veo…). */
	family: string;
	provider: string;
	kind: ModelKind;
	media: ModelMedia;
	api: ApiStyleName;
	fields: ModelField[];
	/** The KIE key that takes input image URLs, if any. */
	imageField?: string;
	/** Groups of KIE keys of which at least one must be set. */
	requireOneOf?: string[][];
	docsUrl?: string;
	/**
	 * The create endpoint of an operation that is not its family's main one (Veo extend, Suno
	 * extend…). The family's details endpoint still reads the task.
	 */
	createPath?: string;
	/** KIE paused or retired it: still selectable, marked (see availability.ts). */
	availability?: ModelAvailability;
	/** Windows in seconds KIE documents (Suno Replace Section: 6–60 s), checked before anything is sent. */
	spans?: ModelSpan[];
	/**
	 * What its result holds besides the result URLs (Suno's `tracks`, `stems`, `midi`…): output fields the AI
	 * tool's description names.
	 */
	outputFields?: string[];
}
