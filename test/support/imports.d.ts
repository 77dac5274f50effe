/** Every source file under `dirs` (default nodes/ and credentials/) with the repository paths of the files it imports. */
export function importGraph(dirs?: string[]): Record<string, string[]>;
