/** Jest runs the TypeScript sources directly; `npm test` type-checks first. */
module.exports = {
  testEnvironment: 'node',
  roots: ["<rootDir>/test"],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { diagnostics: false }] },
  testTimeout: 30000,
  // Tests reach loopback only: any other connection is refused before it leaves the machine (and said on stderr).
  setupFiles: ['<rootDir>/test/helpers/loopbackOnly.js'],
  // One build of dist/ and one Azurite for the whole run, instead of one per suite (each suite's tables get a fresh prefix).
  globalSetup: '<rootDir>/test/helpers/globalSetup.ts',
  globalTeardown: '<rootDir>/test/helpers/globalTeardown.ts',
  // Most long suites wait (leases, polls, child processes) rather than compute: more workers than the
  // 2 cores overlap those waits.
  maxWorkers: 4,
  testSequencer: '<rootDir>/test/helpers/slowSuitesFirst.js',
};
