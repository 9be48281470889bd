import { describe } from '@jest/globals'
import { existsSync } from 'node:fs'
import * as path from 'node:path'

import { REPO_ROOT } from './repo-root.js'

export { REPO_ROOT }

/** The real data written by public projects; read in place, never copied into this repo. */
export const SHARED_FIXTURES = path.resolve(
  process.env.SECURE_PIPELINE_SHARED ?? path.join(REPO_ROOT, '..', 'shared'),
  'fixtures'
)

export const sharedFixturesPresent = existsSync(SHARED_FIXTURES)

export function sharedFixture(...parts: string[]): string {
  return path.join(SHARED_FIXTURES, ...parts)
}

/** `describe` when ../shared/fixtures exists; otherwise a skipped block that says why. */
export function describeWithSharedFixtures(name: string, body: () => void): void {
  if (sharedFixturesPresent) {
    describe(name, body)
    return
  }
  console.warn(`SKIPPED "${name}": ${SHARED_FIXTURES} is absent (CI fails when it is).`)
  describe.skip(name, body)
}
