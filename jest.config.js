/** One jest run for every kind of test: unit, integration (DynamoDB Local), cdk and e2e.
 *  DynamoDB Local is started once for the whole run by the global setup. */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.(t|j)sx?$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } }],
  },
  // middy and jose are ESM-only: let swc compile them to CommonJS for jest.
  transformIgnorePatterns: ['/node_modules/(?!(@middy|jose)/)'],
  globalSetup: '<rootDir>/test/helpers/global-setup.ts',
  globalTeardown: '<rootDir>/test/helpers/global-teardown.ts',
  setupFiles: ['<rootDir>/test/helpers/env.ts'],
  testTimeout: 60000,
  maxWorkers: 2,
};
