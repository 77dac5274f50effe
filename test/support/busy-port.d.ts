export function occupyPort(): Promise<{ port: number; close(): Promise<void> }>;
