/** `node <script> ...args` from the project root, in its own process. */
export function runScript(script: string, args?: string[], options?: { timeoutMs?: number; env?: Record<string, string> }): { status: number | null; stdout: string; stderr: string };
