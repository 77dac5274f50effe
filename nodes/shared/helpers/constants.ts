export const CREDENTIAL_NAME = 'kieApi';
export const USER_AGENT = 'n8n-nodes-kie-ai (+https://github.com/n8n-nodes-kie-ai/n8n-nodes-kie-ai)';

export const DEFAULT_MODEL_ID = 'gpt-image/1.5-text-to-image';

export const DEFAULT_POLL_INTERVAL_S = 3;
export const DEFAULT_POLL_TIMEOUT_S = 900;

export const KIE_LOGS_URL = 'https://kie.ai/logs';
