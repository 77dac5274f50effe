/** Resolves `hostname` to `address` (default 127.0.0.1) in this process until the returned function is called. */
export function routeHost(hostname: string, address?: string): () => void;
