import { config } from '@n8n/node-cli/eslint';

export default [
	...config,
	{
		// The simulator, tests and scripts are dev tooling, not part of the published package.
		ignores: ['dist/**', 'simulator/**', 'support/**', 'test/**', 'scripts/**', 'tools/**', 'coverage/**', '.e2e/**', '.dev/**', '.bench/**', '.queue/**', 'jest.config.js', 'gulpfile.js'],
	},
];
