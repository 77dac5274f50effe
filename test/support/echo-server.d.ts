export interface EchoRequest {
	method: string;
	path: string;
	query: Record<string, string>;
	headers: Record<string, string | string[] | undefined>;
	body: unknown;
	/** The client closed the connection before /slow answered. */
	aborted: boolean;
}
export interface EchoServer {
	url: string;
	port: number;
	requests: EchoRequest[];
	close(): Promise<void>;
}
export function startEchoServer(options?: {
	port?: number;
	/** A loopback address to listen on (default 127.0.0.1). */
	host?: string;
	apiKey?: string;
	credits?: number;
}): Promise<EchoServer>;
