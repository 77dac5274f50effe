// A stand-in for OpenAI's chat completions API on loopback, for the AI-tool end-to-end test: an agent's
// first turn is answered with a call of its first tool (with `toolArguments`); a turn that carries a tool
// result is answered with a reply quoting it. Plain responses and server-sent events (stream: true) both.
const http = require('http');

function completion(model, message, finishReason) {
	return { id: `chatcmpl-${Date.now()}`, object: 'chat.completion', created: Math.floor(Date.now() / 1000), model, choices: [{ index: 0, message, logprobs: null, finish_reason: finishReason }], usage: { prompt_tokens: 10, completion_tokens: 10, total_tokens: 20 } };
}

function chunk(model, delta, finishReason = null) {
	return { id: 'chatcmpl-stream', object: 'chat.completion.chunk', created: Math.floor(Date.now() / 1000), model, choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }] };
}

/** What the model answers to `body`: a tool call on the first turn, a reply with the tool's result after. */
function answer(body, toolArguments) {
	const messages = body.messages ?? [];
	const toolResults = messages.filter((message) => message.role === 'tool');
	if (toolResults.length === 0 && body.tools?.length) {
		const name = body.tools[0].function.name;
		return { message: { role: 'assistant', content: null, tool_calls: [{ id: 'call_kie_1', type: 'function', function: { name, arguments: JSON.stringify(toolArguments) } }] }, finishReason: 'tool_calls' };
	}
	const last = toolResults[toolResults.length - 1];
	const content = typeof last?.content === 'string' ? last.content : JSON.stringify(last?.content ?? '');
	return { message: { role: 'assistant', content: `Tool result: ${content}` }, finishReason: 'stop' };
}

/** Starts the fake on a free loopback port. `requests` holds every request body, in order. */
function startFakeOpenAi({ toolArguments = {} } = {}) {
	const requests = [];
	const server = http.createServer((req, res) => {
		let raw = '';
		req.on('data', (data) => (raw += data));
		req.on('end', () => {
			if (req.method === 'GET' && req.url.endsWith('/models')) {
				res.writeHead(200, { 'content-type': 'application/json' });
				return res.end(JSON.stringify({ object: 'list', data: [{ id: 'gpt-4o-mini', object: 'model', owned_by: 'fake' }] }));
			}
			if (req.method !== 'POST' || !req.url.endsWith('/chat/completions')) {
				res.writeHead(404, { 'content-type': 'application/json' });
				return res.end(JSON.stringify({ error: { message: `fake OpenAI: no route ${req.method} ${req.url}` } }));
			}
			const body = JSON.parse(raw || '{}');
			requests.push(body);
			const { message, finishReason } = answer(body, toolArguments);
			const model = body.model ?? 'gpt-4o-mini';
			if (!body.stream) {
				res.writeHead(200, { 'content-type': 'application/json' });
				return res.end(JSON.stringify(completion(model, message, finishReason)));
			}
			res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
			const send = (data) => res.write(`data: ${JSON.stringify(data)}\n\n`);
			const delta = message.tool_calls
				? { role: 'assistant', content: null, tool_calls: message.tool_calls.map((call, index) => ({ index, ...call })) }
				: { role: 'assistant', content: message.content };
			send(chunk(model, delta));
			send(chunk(model, {}, finishReason));
			if (body.stream_options?.include_usage) send({ ...chunk(model, {}), choices: [], usage: { prompt_tokens: 10, completion_tokens: 10, total_tokens: 20 } });
			res.end('data: [DONE]\n\n');
		});
	});
	return new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const { port } = server.address();
			resolve({
				url: `http://127.0.0.1:${port}/v1`,
				requests,
				close: () => new Promise((done) => server.close(() => done())),
			});
		});
	});
}

module.exports = { startFakeOpenAi };
