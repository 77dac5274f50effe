import { INSTANCE_RULES, N8N3_DEFAULT_RULES, describeReport, readMigrationReport } from '../../../scripts/lib/migration-report';
import { N8N3_SSRF_BLOCKED_IP_RANGES, n8n3DefaultsEnv, webhookUrlEnv } from '../../../scripts/lib/n8n3-defaults';

/** n8n 2.41's built-in SSRF block list (@n8n/config SSRF_DEFAULT_BLOCKED_IP_RANGES). */
const N8N2_BLOCKED = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '127.0.0.0/8', '::1/128', '169.254.0.0/16', 'fe80::/10', 'fc00::/7', 'fd00::/8', '0.0.0.0/8', '192.0.0.0/24', '192.0.2.0/24', '198.18.0.0/15', '198.51.100.0/24', '203.0.113.0/24'];

describe('the "n8n 3 defaults" profile', () => {
	it('a single process: binary data on the file system in n8n 3\'s storage folder, manual executions left alone', () => {
		const env = n8n3DefaultsEnv({ userFolder: '/tmp/u' });
		expect(env).toMatchObject({
			N8N_UNVERIFIED_PACKAGES_ENABLED: 'true',
			N8N_DEFAULT_BINARY_DATA_MODE: 'filesystem',
			N8N_STORAGE_PATH: '/tmp/u/.n8n/storage',
			N8N_RUNNERS_TASK_TIMEOUT: '60',
			N8N_SSRF_PROTECTION_ENABLED: 'true',
			N8N_SSRF_ALLOWED_IP_RANGES: '127.0.0.1/32',
		});
		expect(env).not.toHaveProperty('OFFLOAD_MANUAL_EXECUTIONS_TO_WORKERS');
	});

	it('queue mode: binary data in the database, manual executions on workers', () => {
		expect(n8n3DefaultsEnv({ userFolder: '/tmp/u', queue: true })).toMatchObject({ N8N_DEFAULT_BINARY_DATA_MODE: 'database', OFFLOAD_MANUAL_EXECUTIONS_TO_WORKERS: 'true' });
	});

	it("n8n 3's SSRF block list is 2.41's written out plus the shared address space and the IPv6 transition ranges (never the `default` keyword)", () => {
		const ranges = N8N3_SSRF_BLOCKED_IP_RANGES.split(',');
		expect(ranges).not.toContain('default');
		expect(ranges).toEqual([...N8N2_BLOCKED, '100.64.0.0/10', '64:ff9b::/96', '64:ff9b:1::/48', '2002::/16', '2001::/32']);
		expect(n8n3DefaultsEnv({ userFolder: '/u', allowedIpRanges: '10.1.2.3/32' }).N8N_SSRF_ALLOWED_IP_RANGES).toBe('10.1.2.3/32');
	});

	it('names the webhook URL as n8n 3 does', () => {
		expect(webhookUrlEnv('http://127.0.0.1:5678/')).toEqual({ N8N_WEBHOOK_URL: 'http://127.0.0.1:5678/' });
	});

	it("sets every default that n8n's Migration Report asks about", () => {
		const env = n8n3DefaultsEnv({ userFolder: '/u', queue: true });
		expect(N8N3_DEFAULT_RULES.size).toBe(7);
		for (const rule of N8N3_DEFAULT_RULES) expect(Object.keys(env)).toContain(INSTANCE_RULES[rule].setting);
	});
});

describe("n8n's Migration Report", () => {
	/** A stand-in for n8n's REST API with the report's answer shapes (n8n 2.41.1's breaking-changes module). */
	function fakeRest(answers: Record<string, unknown>) {
		const asked: string[] = [];
		return {
			asked,
			request: async (method: string, route: string) => {
				asked.push(`${method} ${route}`);
				if (!(`${method} ${route}` in answers)) throw new Error(`unexpected ${method} ${route}`);
				return answers[`${method} ${route}`];
			},
		};
	}
	const REPORT = {
		report: {
			currentVersion: '2.41.1',
			workflowResults: [
				{ ruleId: 'agent-node-version-v3', ruleTitle: 'AI Agent versions below 2 are removed', nbAffectedWorkflows: 1 },
				{ ruleId: 'get-paired-item-v3', nbAffectedWorkflows: 0 },
			],
			instanceResults: [
				{ ruleId: 'unverified-packages-v3', ruleTitle: 'Unverified community packages are disabled by default', instanceIssues: [{ title: 'Instance relies on the current default for unverified packages' }] },
				{ ruleId: 'some-new-rule-v3', ruleTitle: 'New', instanceIssues: [{ title: 'Something new' }] },
				{ ruleId: 'in-memory-binary-data-v3', instanceIssues: [] },
			],
		},
	};

	it('refreshes the report for the next major version and reads the affected workflows of every rule that found any', async () => {
		const rest = fakeRest({
			'POST /rest/breaking-changes/report/refresh?version=v3': REPORT,
			'GET /rest/breaking-changes/report/agent-node-version-v3': { affectedWorkflows: [{ id: 'wf1', name: 'KIE: AI agent', issues: [{ title: "Node 'AI Agent' uses AI Agent version 1.7" }] }] },
		});
		const report = await readMigrationReport(rest, { n8nMajor: 2 });
		expect(rest.asked).toEqual(['POST /rest/breaking-changes/report/refresh?version=v3', 'GET /rest/breaking-changes/report/agent-node-version-v3']);
		expect(report).toEqual({
			version: 'v3',
			currentVersion: '2.41.1',
			workflowIssues: [{ ruleId: 'agent-node-version-v3', workflowId: 'wf1', workflowName: 'KIE: AI agent', issues: ["Node 'AI Agent' uses AI Agent version 1.7"] }],
			instanceIssues: [
				{ ruleId: 'unverified-packages-v3', title: 'Unverified community packages are disabled by default', issues: ['Instance relies on the current default for unverified packages'] },
				{ ruleId: 'some-new-rule-v3', title: 'New', issues: ['Something new'] },
			],
		});
	});

	it('n8n 1.x reports on v2', async () => {
		const rest = fakeRest({ 'POST /rest/breaking-changes/report/refresh?version=v2': { report: { currentVersion: '1.123.81', workflowResults: [], instanceResults: [] } } });
		expect(await readMigrationReport(rest, { n8nMajor: 1 })).toEqual({ version: 'v2', currentVersion: '1.123.81', workflowIssues: [], instanceIssues: [] });
	});

	it('says which issues are the examples\', and which instance issues are about the host, and flags a rule nobody classified', async () => {
		const lines = describeReport(
			{
				version: 'v3',
				currentVersion: '2.41.1',
				workflowIssues: [
					{ ruleId: 'agent-node-version-v3', workflowId: 'ours', workflowName: 'KIE: AI agent', issues: ["Node 'AI Agent' uses AI Agent version 1.7"] },
					{ ruleId: 'agent-node-version-v3', workflowId: 'theirs', workflowName: 'Someone else', issues: ['x'] },
				],
				instanceIssues: [
					{ ruleId: 'unverified-packages-v3', title: 'Unverified', issues: ['Instance relies on the current default for unverified packages'] },
					{ ruleId: 'some-new-rule-v3', title: 'New', issues: ['Something new'] },
				],
			},
			{ ownWorkflowIds: new Set(['ours']) },
		);
		expect(lines).toEqual([
			'n8n Migration Report (n8n 2.41.1 → v3)',
			'  example workflows with issues: 1',
			"    ✗ KIE: AI agent (agent-node-version-v3): Node 'AI Agent' uses AI Agent version 1.7",
			'  instance: Instance relies on the current default for unverified packages (unverified-packages-v3; not the package: the host relies on the old default for unverified community packages (expected until n8n verifies this package))',
			'  instance: Something new (some-new-rule-v3; NOT YET CLASSIFIED (scripts/lib/migration-report.js))',
		]);
	});
});
