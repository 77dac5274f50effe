/** Fuzz suite (`npm run fuzz`): fast-check properties over the inputs an attacker controls (see SECURITY.md). */
/** @type {import('jest').Config} */
module.exports = {
	testEnvironment: 'node',
	roots: ['<rootDir>/test/fuzz'],
	testMatch: ['**/*.fuzz.ts'],
	transform: {
		'^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.test.json', diagnostics: { warnOnly: false } }],
	},
	moduleFileExtensions: ['ts', 'js', 'json'],
	testTimeout: 600000,
	setupFilesAfterEnv: ['<rootDir>/test/support/fresh-pacers.ts'],
};
