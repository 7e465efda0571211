module.exports = {
  displayName: 'ops',
  preset: '../../jest.preset.js',
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
  // promtool runs as a child process: checking and unit-testing the rules takes a few seconds.
  testTimeout: 60_000,
};
