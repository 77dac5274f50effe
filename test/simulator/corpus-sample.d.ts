/** `<repository>/../shared/kie-corpus`. */
export const CORPUS_DIR: string;
/** The `body` of a corpus sample, or undefined when the corpus is not on this machine. */
export function corpusBody(id: string): Record<string, unknown> | undefined;
