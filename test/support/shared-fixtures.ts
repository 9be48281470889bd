import { describe, it } from '@jest/globals'
import { existsSync } from 'node:fs'

import { REPO_ROOT } from './repo-root.js'
import { SHARED_FIXTURES, sharedFixture } from './shared-path.js'

export { REPO_ROOT, SHARED_FIXTURES, sharedFixture }

export const sharedFixturesPresent = existsSync(SHARED_FIXTURES)

export const MISSING_FIXTURES_MESSAGE = `${SHARED_FIXTURES} is absent: clone the shared fixtures beside the repository (or set SECURE_PIPELINE_SHARED) to run the conformance suites`

/**
 * `describe` when ../shared/fixtures exists. Without it the body is never called, so nothing lists or
 * reads a fixture while jest collects tests (`describe.skip` would still run the body): the suite shows
 * one skipped test that says why. Under CI (`CI` set, as GitHub Actions and .ci/run do) a missing folder
 * is a failure instead, so a pipeline that lost its fixtures cannot pass by skipping them.
 */
export function describeWithSharedFixtures(name: string, body: () => void): void {
  if (sharedFixturesPresent) {
    describe(name, body)
    return
  }
  if (process.env.CI) {
    describe(name, () => {
      it('needs the shared fixtures in CI', () => {
        throw new Error(MISSING_FIXTURES_MESSAGE)
      })
    })
    return
  }
  // Straight to stderr: jest's default reporter hides console output of a file whose tests all skipped.
  process.stderr.write(`SKIPPED "${name}": ${MISSING_FIXTURES_MESSAGE}.\n`)
  describe(name, () => {
    it.skip(`SKIPPED: ${MISSING_FIXTURES_MESSAGE}`, () => undefined)
  })
}
