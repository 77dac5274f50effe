import type { IBinaryData, IDataObject, IExecuteFunctions, NodeOperationError } from 'n8n-workflow';

import { itemError } from '../../shared/transport/errors';
import { uploadBinary } from '../../shared/api/upload';
import { fieldDisplayName } from '../../shared/registry';
import { liveMaskField } from '../../shared/registry/liveSchema';
import type { ModelDefinition, ModelField } from '../../shared/registry/types';
import { parseList } from '../../shared/registry/validation';

/** Binary properties of one item to upload to KIE's file host before its task is created. */
export interface BinaryInputPlan {
	/** The KIE key that takes the input files (the model's `imageField`). */
	field: string;
	/** The field takes one URL (a string), not a list. */
	single: boolean;
	/** Binary property names, in the order their URLs are sent (after the URLs of "Input URLs"). */
	properties: string[];
	/** The KIE key of the mask (4o `maskUrl`) and the binary property that holds it. */
	maskField?: string;
	/** The mask field takes a list of URLs (a live model's schema may say so): the mask is sent as a list of one. */
	maskList?: boolean;
	maskProperty?: string;
	maskPurpose?: string;
	accept?: string[];
	maxFileSizeMB?: number;
	/** Named in upload errors. */
	purpose: string;
}

interface BinaryInputOptions {
	inputImagesFromBinary?: string;
	maskFromBinary?: string;
}

const MB = 1024 * 1024;

const MIME_BY_EXTENSION: Record<string, string> = {
	png: 'image/png',
	jpg: 'image/jpeg',
	jpeg: 'image/jpeg',
	webp: 'image/webp',
	gif: 'image/gif',
	mp4: 'video/mp4',
	mov: 'video/quicktime',
	webm: 'video/webm',
	mp3: 'audio/mpeg',
	wav: 'audio/wav',
	m4a: 'audio/mp4',
};

/** A stand-in URL for a file not uploaded yet, so the item is validated as it will be sent. */
const PENDING_UPLOAD_URL = 'https://upload.pending.invalid/';

/** The MIME type of a binary property, from n8n's metadata or else its file extension. */
function binaryMimeType(binary: IBinaryData): string | undefined {
	let mimeType = (binary.mimeType ?? '').split(';')[0].trim().toLowerCase();
	if (mimeType === 'image/jpg') mimeType = 'image/jpeg';
	if (mimeType && mimeType !== 'application/octet-stream') return mimeType;
	const extension = (binary.fileExtension ?? binary.fileName?.split('.').pop() ?? '').toLowerCase();
	return MIME_BY_EXTENSION[extension] ?? (mimeType || undefined);
}

/** The size of a binary property in bytes, when n8n knows it without reading the file. */
function binarySize(binary: IBinaryData): number | undefined {
	if (typeof binary.bytes === 'number') return binary.bytes;
	if (binary.id || !binary.data) return undefined;
	// In-memory binary data is base64.
	const padding = binary.data.endsWith('==') ? 2 : binary.data.endsWith('=') ? 1 : 0;
	return Math.floor((binary.data.length * 3) / 4) - padding;
}

/** Whether `mimeType` matches one of `accept` (`image/png`, `image/*`). */
function accepts(accept: string[], mimeType: string): boolean {
	return accept.some((entry) => {
		const pattern = entry.trim().toLowerCase();
		if (pattern === '*/*') return true;
		return pattern.endsWith('/*') ? mimeType.startsWith(pattern.slice(0, -1)) : mimeType === pattern;
	});
}

function fail(ctx: IExecuteFunctions, itemIndex: number, message: string, description: string): NodeOperationError {
	return itemError(ctx, itemIndex, message, `${description} Nothing was uploaded or sent to KIE.`);
}

function readBinary(ctx: IExecuteFunctions, itemIndex: number, property: string, option: string): IBinaryData {
	const binary = ctx.getInputData()[itemIndex]?.binary?.[property];
	if (!binary) {
		const present = Object.keys(ctx.getInputData()[itemIndex]?.binary ?? {});
		throw fail(
			ctx,
			itemIndex,
			`"${option}" names binary property "${property}", which the item does not have`,
			present.length ? `The item's binary properties: ${present.join(', ')}.` : 'The item has no binary data.',
		);
	}
	return binary;
}

function checkFile(
	ctx: IExecuteFunctions,
	itemIndex: number,
	binary: IBinaryData,
	property: string,
	label: string,
	model: ModelDefinition,
	field: ModelField,
): void {
	const name = binary.fileName ? `"${binary.fileName}" (binary property "${property}")` : `binary property "${property}"`;
	const mimeType = binaryMimeType(binary);
	if (field.accept?.length && (!mimeType || !accepts(field.accept, mimeType))) {
		throw fail(
			ctx,
			itemIndex,
			`${name} is ${mimeType ?? 'of unknown type'}, but "${label}" of ${model.id} accepts ${field.accept.join(', ')}`,
			'Convert the file, or pick a model that accepts this type.',
		);
	}
	const size = binarySize(binary);
	if (field.maxFileSizeMB && size !== undefined && size > field.maxFileSizeMB * MB) {
		throw fail(
			ctx,
			itemIndex,
			`${name} has ${(size / MB).toFixed(1)} MB, but "${label}" of ${model.id} takes files up to ${field.maxFileSizeMB} MB`,
			'Resize or compress the file first.',
		);
	}
}

export const MASK_FIELDS = ['maskUrl', 'mask_url'];

/** The options that upload files from binary, as the user sees them. */
export function binaryOptionsSet(options: BinaryInputOptions): string[] {
	const set: string[] = [];
	if (parseList(options.inputImagesFromBinary ?? '').length > 0) set.push('Input Images From Binary');
	if (String(options.maskFromBinary ?? '').trim()) set.push('Mask From Binary');
	return set;
}

/** A model that is not built in (its fields from KIE's live schema). */
const isLive = (model: ModelDefinition) => model.family === 'Live';

/**
 * The limits a file is checked against: the field's, else for a live model (KIE's schema gives no file
 * types) an image, as the option's name says.
 */
function fileLimits(model: ModelDefinition, field: ModelField): ModelField {
	return isLive(model) && !field.accept ? { ...field, accept: ['image/*'] } : field;
}

/**
 * Reads "Input Images From Binary" and "Mask From Binary" and checks them against the model's limits
 * (MIME type, file size, and the number of files counting the URLs already given) before anything is
 * uploaded. Returns the plan and the input with stand-in URLs, to validate as a whole.
 *
 * The files go to the model's `imageField`: for a live model the field KIE's schema gives for input images
 * (liveImageField), and the mask to its mask field (liveMaskField).
 */
export function planBinaryInputs(
	ctx: IExecuteFunctions,
	itemIndex: number,
	model: ModelDefinition,
	input: Record<string, unknown>,
	options: BinaryInputOptions,
): { plan?: BinaryInputPlan; input: Record<string, unknown> } {
	const properties = parseList(options.inputImagesFromBinary ?? '');
	const maskProperty = String(options.maskFromBinary ?? '').trim();
	if (properties.length === 0 && !maskProperty) return { input };
	const field = model.imageField ? model.fields.find((candidate) => candidate.name === model.imageField) : undefined;
	const withPending: Record<string, unknown> = { ...input };
	let plan: BinaryInputPlan | undefined;
	if (properties.length > 0) {
		if (!field) {
			throw isLive(model)
				? fail(
						ctx,
						itemIndex,
						`KIE's schema of ${model.id} has no field for input images, so "Input Images From Binary" cannot be used`,
						`Its fields: ${model.fields.map((candidate) => candidate.name).join(', ')}. A field takes files when KIE's schema gives it format "uri" or its name ends in "url" or "urls"; one that takes videos or audio is not used for images. Remove the option, or upload the files with KIE Upload File and give their URLs in "Model Input".`,
					)
				: fail(ctx, itemIndex, `Model ${model.id} takes no input files, so "Input Images From Binary" cannot be used`, 'Remove the option, or pick an image-to-image or edit model.');
		}
		const label = fieldDisplayName(model, field);
		const limits = fileLimits(model, field);
		const single = field.type !== 'array';
		const existing = input[field.name] === undefined ? [] : Array.isArray(input[field.name]) ? (input[field.name] as unknown[]) : [input[field.name]];
		const max = single ? 1 : field.maxItems;
		const total = existing.length + properties.length;
		if (max !== undefined && total > max) {
			throw fail(
				ctx,
				itemIndex,
				`"${label}" of ${model.id} takes at most ${max} file${max === 1 ? '' : 's'} (got ${total}: ${existing.length} from "${label}", ${properties.length} from "Input Images From Binary")`,
				'Send fewer files.',
			);
		}
		for (const property of properties) {
			checkFile(ctx, itemIndex, readBinary(ctx, itemIndex, property, 'Input Images From Binary'), property, label, model, limits);
		}
		const pending = properties.map((_, index) => `${PENDING_UPLOAD_URL}${index}`);
		withPending[field.name] = single ? pending[0] : [...existing, ...pending];
		plan = {
			field: field.name,
			single,
			properties,
			accept: limits.accept,
			maxFileSizeMB: limits.maxFileSizeMB,
			purpose: `"${label}" of ${model.id}`,
		};
	}
	if (maskProperty) {
		const maskField = model.fields.find((candidate) => MASK_FIELDS.includes(candidate.name)) ?? (isLive(model) ? liveMaskField(model.fields) : undefined);
		if (!maskField) {
			throw isLive(model)
				? fail(ctx, itemIndex, `KIE's schema of ${model.id} has no mask field, so "Mask From Binary" cannot be used`, `Its fields: ${model.fields.map((candidate) => candidate.name).join(', ')}. A mask field takes a file URL and has "mask" in its name. Remove the option.`)
				: fail(ctx, itemIndex, `Model ${model.id} takes no mask, so "Mask From Binary" cannot be used`, 'Remove the option, or pick 4o Image.');
		}
		const label = fieldDisplayName(model, maskField);
		if (input[maskField.name] !== undefined) {
			throw fail(ctx, itemIndex, `"${label}" and "Mask From Binary" are both set`, 'Keep one of them.');
		}
		// A mask is an image of the same model: the input files' type and size limits apply.
		const limits = fileLimits(model, { ...maskField, accept: maskField.accept ?? field?.accept, maxFileSizeMB: maskField.maxFileSizeMB ?? field?.maxFileSizeMB });
		checkFile(ctx, itemIndex, readBinary(ctx, itemIndex, maskProperty, 'Mask From Binary'), maskProperty, label, model, limits);
		withPending[maskField.name] = maskField.type === 'array' ? [`${PENDING_UPLOAD_URL}mask`] : `${PENDING_UPLOAD_URL}mask`;
		plan = {
			...(plan ?? { field: field?.name ?? maskField.name, single: false, properties: [], purpose: `"${label}" of ${model.id}` }),
			maskField: maskField.name,
			maskList: maskField.type === 'array' || undefined,
			maskProperty,
			maskPurpose: `"${label}" of ${model.id}`,
		};
		plan.accept ??= limits.accept;
		plan.maxFileSizeMB ??= limits.maxFileSizeMB;
	}
	return { plan, input: withPending };
}

/**
 * Uploads an item's binary inputs to KIE's file host and returns its input with their download URLs:
 * after the URLs of "Input URLs", in the order of "Input Images From Binary".
 */
export async function uploadBinaryInputs(
	this: IExecuteFunctions,
	itemIndex: number,
	plan: BinaryInputPlan,
	input: Record<string, unknown>,
): Promise<IDataObject> {
	const upload = async (property: string, purpose: string) =>
		(
			await uploadBinary.call(this, itemIndex, property, {
				accept: plan.accept,
				maxFileSizeMB: plan.maxFileSizeMB,
				purpose,
			})
		).downloadUrl;
	const result: IDataObject = { ...(input as IDataObject) };
	if (plan.properties.length > 0) {
		const urls: string[] = [];
		for (const property of plan.properties) urls.push(await upload(property, plan.purpose));
		const existing = input[plan.field] === undefined ? [] : Array.isArray(input[plan.field]) ? (input[plan.field] as string[]) : [input[plan.field] as string];
		result[plan.field] = plan.single ? urls[0] : [...existing, ...urls];
	}
	if (plan.maskField && plan.maskProperty) {
		const url = await upload(plan.maskProperty, plan.maskPurpose ?? plan.maskField);
		result[plan.maskField] = plan.maskList ? [url] : url;
	}
	return result;
}
