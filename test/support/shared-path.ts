import * as path from 'node:path'
import { REPO_ROOT } from './repo-root.js'

// Where ../shared/fixtures is, without jest: the demo and the benches read the fixtures too.

/** The real data written by public projects; read in place, never copied into this repo. */
export const SHARED_FIXTURES = path.resolve(
  process.env.SECURE_PIPELINE_SHARED ?? path.join(REPO_ROOT, '..', 'shared'),
  'fixtures'
)

export function sharedFixture(...parts: string[]): string {
  return path.join(SHARED_FIXTURES, ...parts)
}
