import type {
	IAuthenticateGeneric,
	Icon,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';

// n8n's credential test rules are equality checks, so every documented non-200 body code
// gets a rule; `undefined` catches an answer that is not a KIE envelope at all.
const KIE_TEST_FAILURES: Array<[number | undefined, string]> = [
	[400, 'KIE rejected the test request (code 400). Check the Base URL.'],
	[401, 'KIE rejected the API key (code 401). Check the key at https://kie.ai/api-key.'],
	[402, 'The KIE account has no credits left (code 402). Top up at https://kie.ai/pricing.'],
	[404, 'No KIE API at this Base URL (code 404). Check the Base URL.'],
	[405, 'The Base URL does not accept this request (code 405). Check the Base URL.'],
	[422, 'KIE rejected the test request (code 422). Check the Base URL.'],
	[429, 'KIE rate-limited the test (code 429). Wait a few seconds and retry.'],
	[433, 'This API key has reached its usage limit (code 433). Raise it at https://kie.ai/api-key.'],
	[451, 'KIE refused access from here (code 451). Check the key IP whitelist at https://kie.ai/api-key.'],
	[455, 'KIE is under maintenance (code 455). Try again later.'],
	[500, 'KIE had a server error (code 500). Try again later.'],
	[501, 'KIE reported a failure (code 501). Try again later.'],
	[505, 'This KIE feature is disabled (code 505).'],
	[550, 'KIE is overloaded (code 550). Try again later.'],
	[undefined, 'The Base URL did not answer with a KIE envelope ({code, msg, data}), or it answered with a redirect (not followed). Check the Base URL.'],
];

// The test sends the API key, so it follows no redirect: n8n's client would send the key along to
// wherever a redirect points. A redirect answer fails the test instead: with its own message on n8n 2.x;
// on n8n 1.123, whose client reads `ignoreHttpStatusErrors` as a plain flag, the redirect comes back as
// an answer without a KIE envelope and fails on the envelope rule above.
const REDIRECT_STATUSES = [301, 302, 303, 307, 308];
const REDIRECT_MESSAGE =
	'KIE answered with a redirect, which the test did not follow: the API key was not sent there. Check the Base URL: it should be KIE\'s own API host (or your proxy), which answers without redirecting.';

export class KieApi implements ICredentialType {
	name = 'kieApi';

	displayName = 'KIE API';

	icon: Icon = { light: 'file:../icons/kie.svg', dark: 'file:../icons/kie.dark.svg' };

	documentationUrl = 'https://github.com/n8n-nodes-kie-ai/n8n-nodes-kie-ai#credentials';

	properties: INodeProperties[] = [
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'Your KIE API key, from https://kie.ai/api-key',
		},
		{
			displayName: 'Webhook HMAC Key',
			name: 'webhookHmacKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description:
				'Optional. The webhookHmacKey from https://kie.ai/settings. When set, the KIE Trigger and callback resumes accept only callbacks signed with it.',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'https://api.kie.ai',
			description: 'The KIE API host. Change it only for a proxy or a local simulator.',
		},
		{
			displayName: 'Upload Base URL',
			name: 'uploadBaseUrl',
			type: 'string',
			default: 'https://kieai.redpandaai.co',
			description: 'The KIE File Upload API host. Change it only for a proxy or a local simulator.',
		},
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: {
				Authorization: '=Bearer {{$credentials.apiKey}}',
			},
		},
	};

	// KIE answers HTTP 200 with the error in the body `code`, so each non-200 code gets a rule. Any HTTP
	// status is read as an answer, except a redirect: it is not followed, and fails the test.
	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl.replace(/\\/+$/, "")}}',
			url: '/api/v1/chat/credit',
			method: 'GET',
			disableFollowRedirect: true,
			ignoreHttpStatusErrors: { ignore: true, except: REDIRECT_STATUSES },
		},
		// n8n's tester reads each rule by its type: a `responseCode` rule on an HTTP status that failed the
		// request (here only a redirect), a `responseSuccessBody` rule on an answer. Its type declares one
		// kind per list; both kinds are read.
		rules: [
			...REDIRECT_STATUSES.map((status) => ({
				type: 'responseCode' as const,
				properties: { value: status, message: REDIRECT_MESSAGE },
			})),
			...KIE_TEST_FAILURES.map(([code, message]) => ({
				type: 'responseSuccessBody' as const,
				properties: { key: 'code', value: code, message },
			})),
		] as ICredentialTestRequest['rules'],
	};
}
