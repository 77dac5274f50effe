export interface ChunkedServer {
	/** e.g. http://127.0.0.1:PORT; GET /bytes/<n>.<png|mp4|bin>[?length=1] */
	url: string;
	close(): Promise<void>;
}
export function startChunkedServer(): Promise<ChunkedServer>;
