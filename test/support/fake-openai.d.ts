export interface FakeOpenAi {
	/** The base URL to put in an OpenAI credential (ends with /v1). */
	url: string;
	/** Every chat completion request body, in order. */
	requests: Array<{ model?: string; stream?: boolean; messages: Array<{ role: string; content: unknown }>; tools?: Array<{ function: { name: string; description?: string } }> }>;
	close(): Promise<void>;
}
/** Answers an agent's first turn with a call of its first tool (`toolArguments`), and a turn with a tool result by quoting it. */
export function startFakeOpenAi(options?: { toolArguments?: Record<string, unknown> }): Promise<FakeOpenAi>;
