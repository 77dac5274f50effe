import type { IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

/** What KIE's File Upload API returns, normalized (see reference/kie-api.md §6). */
export interface UploadResult {
	downloadUrl: string;
	fileName: string;
	filePath: string;
	fileSize: number;
	mimeType: string;
	uploadedAt: string;
	/** Uploaded files are kept 24 h by the newest docs. */
	expiresAt: string;
}

export interface UploadOptions {
	/** Folder on KIE's file host, without leading or trailing slash (default n8n/uploads). */
	uploadPath?: string;
	fileName?: string;
	/** MIME types the target model accepts; checked before anything is sent. */
	accept?: string[];
	/** Size limit of the target model, in MB; checked before anything is sent. */
	maxFileSizeMB?: number;
	/** What the file is for, named in errors (e.g. `"Input URLs" of gpt-image/1.5-image-to-image`). */
	purpose?: string;
}

// Placeholder API for the Files issue: implemented by the Upload File work.
export async function uploadBinary(
	this: IExecuteFunctions,
	itemIndex: number,
	_binaryPropertyName: string,
	_options: UploadOptions = {},
): Promise<UploadResult> {
	throw new NodeOperationError(this.getNode(), 'Binary upload is not implemented yet', { itemIndex });
}
