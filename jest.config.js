// Five projects so CI can run and report them separately: unit tests live beside the code and stay
// offline and fast; integration tests (*.integration.test.ts, beside the code) run real tools (semgrep,
// kustomize, git servers) or reach a registry; bundle tests spawn dist/ the way the runner does;
// conformance reads ../shared/fixtures; screenshot tests render pages in Debian's Chromium.
const transform = {
  '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: '<rootDir>/tsconfig.json' }]
}
const common = {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  moduleFileExtensions: ['ts', 'js', 'json'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform,
  rootDir: '.'
}

export default {
  // No watchman on these machines; probing for it made workers stall.
  watchman: false,
  // A hang detector, not a speed check: on a loaded 2-core machine the first request to the GitHub API
  // double compiles validators from GitHub's 10 MB description and can pass jest's 5 s default.
  testTimeout: 60_000,
  globalSetup: '<rootDir>/test/support/jest-global-setup.js',
  globalTeardown: '<rootDir>/test/support/jest-global-teardown.js',
  projects: [
    {
      ...common,
      displayName: 'unit',
      testMatch: ['<rootDir>/{actions,packages}/*/src/**/*.test.ts', '<rootDir>/test/unit/**/*.test.ts'],
      testPathIgnorePatterns: ['/node_modules/', '\\.integration\\.test\\.ts$']
    },
    {
      ...common,
      displayName: 'integration',
      testMatch: [
        '<rootDir>/{actions,packages}/*/src/**/*.integration.test.ts',
        '<rootDir>/test/integration/**/*.test.ts'
      ]
    },
    { ...common, displayName: 'bundle', testMatch: ['<rootDir>/test/bundle/**/*.test.ts'] },
    { ...common, displayName: 'conformance', testMatch: ['<rootDir>/test/conformance/**/*.test.ts'] },
    { ...common, displayName: 'screenshot', testMatch: ['<rootDir>/test/screenshot/**/*.test.ts'] }
  ]
}
