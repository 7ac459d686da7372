/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  // the newcomer fixture is a user's app with its own jest config (scripts/newcomer.mjs)
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/newcomer/fixture/'],
  transform: {
    // Type checking is `npm run typecheck`'s job; tests only transpile (much faster).
    '^.+\\.tsx?$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.test.json' }],
  },
  moduleFileExtensions: ['ts', 'js', 'json'],
  // Tests and the README examples import the package by its public names.
  moduleNameMapper: {
    '^miniprogram-rx$': '<rootDir>/src/index.ts',
    '^miniprogram-rx/testing$': '<rootDir>/src/testing/index.ts',
    '^miniprogram-rx/rxjs$': '<rootDir>/src/rxjs.ts',
    // under jsdom, `ws` would resolve to its browser stub; the host needs the Node one
    '^ws$': require.resolve('ws'),
  },
  testTimeout: 20000,
  // The full suite is bound by real sockets and servers; two workers suit the 2-core CI.
  maxWorkers: 2,
}
