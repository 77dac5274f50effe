// n8n's own Migration Report (Settings → Migration Report; `GET /rest/breaking-changes/report`), read through
// n8n's REST API with an owner's session: what the next major version breaks, per workflow and per instance.
// n8n 2.x reports on v3, n8n 1.x on v2. Used by the end-to-end suite and by `npm run migration-report`.

/**
 * Every instance-level rule of n8n's report (v3 in n8n 2.x, v2 in n8n 1.x), with why it is not about a
 * community package: each is about a setting of the host, how n8n is installed, or a feature of n8n itself.
 * A rule not listed here (a newer n8n's) is reported as not yet classified, and the suite fails until it is.
 * `setting`: the default n8n 3 changes, which the "n8n 3 defaults" profile sets (scripts/lib/n8n3-defaults.js).
 * @type {Record<string, { setting?: string, why: string }>}
 */
const INSTANCE_RULES = {
	'unverified-packages-v3': { setting: 'N8N_UNVERIFIED_PACKAGES_ENABLED', why: 'the host relies on the old default for unverified community packages (expected until n8n verifies this package)' },
	'in-memory-binary-data-v3': { setting: 'N8N_DEFAULT_BINARY_DATA_MODE', why: 'the host stores binary data in memory' },
	'task-runner-task-timeout-v3': { setting: 'N8N_RUNNERS_TASK_TIMEOUT', why: "the host relies on the task runner's old timeout" },
	'ssrf-default-blocked-ranges-v3': { setting: 'N8N_SSRF_BLOCKED_IP_RANGES', why: "the host's SSRF protection uses the built-in block list" },
	'storage-path-rename-v3': { setting: 'N8N_STORAGE_PATH', why: "the host's binary data folder is renamed" },
	'offload-manual-executions-v3': { setting: 'OFFLOAD_MANUAL_EXECUTIONS_TO_WORKERS', why: 'the host runs manual executions on main in queue mode' },
	'compression-node-limits-v3': { setting: 'N8N_COMPRESSION_NODE_MAX_DECOMPRESSED_SIZE_BYTES', why: "the host relies on the compression node's old limits" },
	'docker-only-deployment-v3': { why: 'n8n is not installed from its Docker image' },
	'workflow-import-url-removed-v3': { why: "an editor feature n8n 3 removes (listed on every instance)" },
	'chat-hub-deprecated-v3': { why: "n8n's chat hub" },
	'pre-execute-error-creates-execution-v3': { why: 'a setting of the host' },
	'caller-policy-default-any-v3': { why: "the host's default sub-workflow caller policy" },
	'external-secrets-project-roles-default-v3': { why: "the host's external secrets" },
	'binary-data-storage-v2': { why: "the host's binary data mode" },
	'cli-activate-all-workflows-v2': { why: "n8n's command line" },
	'dotenv-upgrade-v2': { why: "the host's .env files" },
	'oauth-callback-auth-v2': { why: "the host's OAuth callback setting" },
	'queue-worker-max-stalled-count-v2': { why: "the host's queue settings" },
	'removed-database-types-v2': { why: "the host's database" },
	'settings-file-permissions-v2': { why: "the host's settings file" },
	'sqlite-legacy-driver-v2': { why: "the host's SQLite driver" },
	'task-runner-docker-image-v2': { why: "the host's task runner image" },
	'task-runners-v2': { why: "the host's task runners" },
	'tunnel-option-v2': { why: "n8n's tunnel option" },
	'workflow-hooks-deprecated-v2': { why: "the host's workflow hooks" },
};
/** The rules about a default n8n 3 changes: under the "n8n 3 defaults" profile none may be listed. */
const N8N3_DEFAULT_RULES = new Set(Object.keys(INSTANCE_RULES).filter((id) => INSTANCE_RULES[id].setting));

/** The target version of the report on an n8n of this major version. */
const targetVersion = (n8nMajor) => `v${n8nMajor + 1}`;

/**
 * Reads the report (refreshed, so it covers workflows imported just before) and the affected workflows of
 * every rule that found any. Resolves with `{ version, currentVersion, workflowIssues, instanceIssues }`:
 * `workflowIssues`: `{ ruleId, workflowId, workflowName, issues: [title] }`; `instanceIssues`:
 * `{ ruleId, title, issues: [title] }`; `currentVersion`: the n8n version that made it.
 */
async function readMigrationReport(rest, { n8nMajor }) {
	const version = targetVersion(n8nMajor);
	const answer = await rest.request('POST', `/rest/breaking-changes/report/refresh?version=${version}`);
	const report = answer.report ?? answer;
	const workflowIssues = [];
	for (const result of report.workflowResults ?? []) {
		if (!result.nbAffectedWorkflows) continue;
		const detail = await rest.request('GET', `/rest/breaking-changes/report/${encodeURIComponent(result.ruleId)}`);
		for (const workflow of detail.affectedWorkflows ?? []) {
			workflowIssues.push({ ruleId: result.ruleId, workflowId: workflow.id, workflowName: workflow.name, issues: (workflow.issues ?? []).map((issue) => issue.title) });
		}
	}
	const instanceIssues = (report.instanceResults ?? [])
		.filter((result) => (result.instanceIssues ?? []).length > 0)
		.map((result) => ({ ruleId: result.ruleId, title: result.ruleTitle, issues: result.instanceIssues.map((issue) => issue.title) }));
	return { version, currentVersion: report.currentVersion, workflowIssues, instanceIssues };
}

/** The lines a person reads: one per issue, the package's workflows first. */
function describeReport({ version, currentVersion, workflowIssues, instanceIssues }, { ownWorkflowIds = new Set() } = {}) {
	const lines = [`n8n Migration Report (n8n ${currentVersion} → ${version})`];
	const own = workflowIssues.filter((issue) => ownWorkflowIds.has(issue.workflowId));
	lines.push(`  example workflows with issues: ${own.length === 0 ? 'none' : own.length}`);
	for (const issue of own) lines.push(`    ✗ ${issue.workflowName} (${issue.ruleId}): ${issue.issues.join('; ')}`);
	for (const issue of instanceIssues) {
		const rule = INSTANCE_RULES[issue.ruleId];
		const why = rule ? `not the package: ${rule.why}` : 'NOT YET CLASSIFIED (scripts/lib/migration-report.js)';
		lines.push(`  instance: ${issue.issues.join('; ')} (${issue.ruleId}; ${why})`);
	}
	return lines;
}

module.exports = { readMigrationReport, describeReport, INSTANCE_RULES, N8N3_DEFAULT_RULES, targetVersion };
