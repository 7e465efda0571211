module.exports = {
  displayName: 'normalizer',
  preset: '../../jest.preset.js',
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
  // The app's unit tests arrive with its features; its boot is proven by the integration test.
  passWithNoTests: true,
};
