/** End-to-end suite: a real n8n (2.40.7, or N8N_VERSION=1.123.81) from the project cache, the simulator, and the example workflows. */
/** @type {import('jest').Config} */
module.exports = {
	testEnvironment: 'node',
	roots: ['<rootDir>/test/e2e'],
	testMatch: ['**/*.e2e.ts'],
	transform: {
		'^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.test.json' }],
	},
	moduleFileExtensions: ['ts', 'js', 'json'],
	// The first run installs n8n into .n8n-local/ (about 5 minutes); later runs reuse it.
	testTimeout: 900000,
	maxWorkers: 1,
};
