/** Creates a directory under the OS temp dir; it is removed at process exit (or by removeTempDirs). */
export function makeTempDir(prefix?: string): string;
export function removeDir(dir: string): void;
/** Removes every directory created by makeTempDir that still exists. */
export function removeTempDirs(): void;
export function readFile(file: string): Buffer;
/** Every file below `dir`, recursively (empty when `dir` does not exist). */
export function listFiles(dir: string): string[];
export interface SilentLogger {
	error(...args: unknown[]): void;
	warn(...args: unknown[]): void;
	info(...args: unknown[]): void;
	debug(...args: unknown[]): void;
	scoped(...args: unknown[]): SilentLogger;
}
export function createSilentLogger(): SilentLogger;
/** The class used as DI token for n8n's Logger. */
export function getLoggerToken(): abstract new (...args: never[]) => unknown;
