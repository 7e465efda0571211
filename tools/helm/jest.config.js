module.exports = {
  displayName: 'helm-chart',
  preset: '../../jest.preset.js',
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
  // Each test runs the Helm binary; loading and compiling the Kubernetes schemas takes ~1 s.
  testTimeout: 30_000,
};
