import type { IDataObject } from 'n8n-workflow';

/** What a test sends to a webhook: the parts n8n's express layer would have parsed. */
export interface WebhookRequestSpec {
	method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD';
	/** Parsed body (what `getBodyData()` returns). A string or Buffer is kept as the raw body too. */
	body?: IDataObject | IDataObject[] | string | Buffer;
	headers?: Record<string, string | string[]>;
	query?: Record<string, string | string[]>;
	params?: Record<string, string>;
	/** Raw body bytes; default: the body as n8n's body parser saw it (JSON text for objects). */
	rawBody?: Buffer | string;
	/** Request path and query, e.g. `/webhook-waiting/12?signature=abc`. */
	url?: string;
}

/** Everything the node wrote through `getResponseObject()`. */
export interface RecordedResponse {
	statusCode?: number;
	headers: Record<string, string>;
	body?: unknown;
	/** `send`, `json` or `end` was called. */
	ended: boolean;
}

export interface FakeRequest {
	method: string;
	url: string;
	originalUrl: string;
	path: string;
	body: unknown;
	rawBody: Buffer;
	headers: Record<string, string | string[]>;
	query: Record<string, string | string[]>;
	params: Record<string, string>;
	header(name: string): string | string[] | undefined;
	get(name: string): string | string[] | undefined;
	readRawBody(): Promise<void>;
	contentType: string | undefined;
}

export interface FakeResponse {
	recorded: RecordedResponse;
	headersSent: boolean;
	statusCode: number;
	status(code: number): FakeResponse;
	sendStatus(code: number): FakeResponse;
	setHeader(name: string, value: string | number): FakeResponse;
	header(name: string, value: string | number): FakeResponse;
	set(name: string, value: string | number): FakeResponse;
	type(value: string): FakeResponse;
	getHeader(name: string): string | undefined;
	send(body?: unknown): FakeResponse;
	json(body: unknown): FakeResponse;
	end(body?: unknown): FakeResponse;
	writeHead(code: number, headers?: Record<string, string>): FakeResponse;
	write(chunk: unknown): boolean;
	on(): FakeResponse;
	once(): FakeResponse;
}

function lowerCaseKeys<T>(record: Record<string, T> | undefined): Record<string, T> {
	const out: Record<string, T> = {};
	for (const [key, value] of Object.entries(record ?? {})) out[key.toLowerCase()] = value;
	return out;
}

function isBuffer(value: unknown): value is Buffer {
	return typeof value === 'object' && value !== null && Buffer.isBuffer(value);
}

/** A small stand-in for the express Request n8n hands to `webhook()`. */
export function createFakeRequest(spec: WebhookRequestSpec): FakeRequest {
	const headers = lowerCaseKeys(spec.headers);
	const { body } = spec;
	let rawBody: Buffer;
	if (spec.rawBody !== undefined) {
		rawBody = isBuffer(spec.rawBody) ? spec.rawBody : Buffer.from(spec.rawBody);
	} else if (body === undefined) {
		rawBody = Buffer.alloc(0);
	} else if (isBuffer(body)) {
		rawBody = body;
	} else if (typeof body === 'string') {
		rawBody = Buffer.from(body);
	} else {
		rawBody = Buffer.from(JSON.stringify(body));
	}
	if (headers['content-type'] === undefined && body !== undefined && !isBuffer(body)) {
		headers['content-type'] = typeof body === 'string' ? 'text/plain' : 'application/json';
	}
	if (headers['content-length'] === undefined && rawBody.length > 0) {
		headers['content-length'] = String(rawBody.length);
	}
	const url = spec.url ?? '/';
	const parsedUrl = new URL(url, 'http://harness.local');
	const query: Record<string, string | string[]> = { ...spec.query };
	if (spec.query === undefined) {
		for (const key of new Set(parsedUrl.searchParams.keys())) {
			const values = parsedUrl.searchParams.getAll(key);
			query[key] = values.length === 1 ? values[0] : values;
		}
	}
	const header = (name: string) => headers[name.toLowerCase()];
	const contentType = headers['content-type'];
	return {
		method: spec.method ?? 'POST',
		url,
		originalUrl: url,
		path: parsedUrl.pathname,
		body: body === undefined ? {} : body,
		rawBody,
		headers,
		query,
		params: { ...spec.params },
		header,
		get: header,
		readRawBody: async () => {},
		contentType: typeof contentType === 'string' ? contentType : undefined,
	};
}

/** A small stand-in for the express Response; records what the node writes. */
export function createFakeResponse(): FakeResponse {
	const recorded: RecordedResponse = { headers: {}, ended: false };
	const res: FakeResponse = {
		recorded,
		headersSent: false,
		statusCode: 200,
		status(code) {
			recorded.statusCode = code;
			res.statusCode = code;
			return res;
		},
		sendStatus(code) {
			res.status(code);
			return res.end();
		},
		setHeader(name, value) {
			recorded.headers[name.toLowerCase()] = String(value);
			return res;
		},
		header: (name, value) => res.setHeader(name, value),
		set: (name, value) => res.setHeader(name, value),
		type: (value) => res.setHeader('content-type', value),
		getHeader: (name) => recorded.headers[name.toLowerCase()],
		send(body) {
			if (body !== undefined) recorded.body = body;
			return res.end();
		},
		json(body) {
			res.setHeader('content-type', 'application/json');
			recorded.body = body;
			return res.end();
		},
		end(body) {
			if (body !== undefined) recorded.body = body;
			recorded.statusCode ??= res.statusCode;
			recorded.ended = true;
			res.headersSent = true;
			return res;
		},
		writeHead(code, headers) {
			res.status(code);
			for (const [name, value] of Object.entries(headers ?? {})) res.setHeader(name, value);
			return res;
		},
		write(chunk) {
			const previous = recorded.body;
			recorded.body =
				typeof previous === 'string' ? previous + String(chunk) : String(chunk as string);
			return true;
		},
		on: () => res,
		once: () => res,
	};
	return res;
}
