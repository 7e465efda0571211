// Integration tests: real Kafka, schema registry and PostgreSQL from the local stack, which
// the global setup starts when it is not running. Serial: they share one broker and database.
const preset = require('./jest.preset.js');

module.exports = {
  ...preset,
  displayName: 'integration',
  rootDir: __dirname,
  testMatch: ['<rootDir>/{apps,libs,tools}/**/*.int-spec.ts'],
  globalSetup: '<rootDir>/tools/test/global-setup.ts',
  testTimeout: 120_000,
  maxWorkers: 1,
};
