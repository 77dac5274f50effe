/** One recorded KIE answer or callback, with what the package is expected to make of it (see sources.md). */
export interface CorpusSample {
	id: string;
	/** The corpus's family name: market, 4o, flux-kontext, veo, veo-1080p, runway, aleph, luma, suno, suno-lyrics, account, upload, error, scenario, … */
	family: string;
	/** record, callback, envelope, error, create, credit, download-url, stream, poll, auto-find. */
	kind: string;
	/** "GET /api/v1/jobs/recordInfo", "POST <callBackUrl> (…)", … */
	endpoint: string;
	provenance: string;
	source: unknown;
	note: string;
	expected: Record<string, unknown>;
	body: unknown;
}

/** `<repository>/../shared/kie-corpus`. */
export const CORPUS_DIR: string;

/** Every `*.json` sample of the folder, sorted by file name; throws when the folder is missing or empty. */
export function loadCorpus(dir?: string): Array<{ file: string; sample: CorpusSample }>;
