// The demo run (scripts/demo.mjs): every page of miniprogram_demo in miniprogram-simulate,
// requiring the package exactly as DevTools built it into miniprogram_npm.
const npm = '<rootDir>/miniprogram_demo/miniprogram/miniprogram_npm/miniprogram-rx'

/** @type {import('jest').Config} */
module.exports = {
  rootDir: __dirname,
  roots: ['<rootDir>/miniprogram_demo/test'],
  testMatch: ['**/*.demo.js'],
  testEnvironment: 'jsdom',
  transform: {},
  moduleNameMapper: {
    '^miniprogram-rx$': npm + '/index.js',
    '^miniprogram-rx/rxjs$': npm + '/rxjs.js',
    '^miniprogram-rx/testing$': '<rootDir>/dist/testing.cjs',
    // under jsdom, `ws` would resolve to its browser stub; the demo server needs the Node one
    '^ws$': require.resolve('ws'),
  },
  testTimeout: 30000,
}
