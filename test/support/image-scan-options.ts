// What tests of runImageScan share: a push event (no merge-base to resolve), and options that differ from
// a test's own only where it says so.
import type { ActionsContext } from '../../packages/core/src/github/context.js'
import type { ImageScanOptions } from '../../packages/core/src/image-scan/run.js'

export const PUSH_CONTEXT: ActionsContext = {
  eventName: 'push',
  repo: { owner: 'o', repo: 'r' },
  sha: '0'.repeat(40),
  ref: 'refs/heads/main',
  serverUrl: 'https://github.com',
  apiUrl: 'https://api.github.com',
  payload: {}
}

/** The action's input names, as actions/image-scan passes them for messages. */
export const IMAGE_SCAN_INPUT_NAMES: ImageScanOptions['inputs'] = {
  input: 'input',
  vex: 'vex',
  engineVersion: 'engine-version',
  enginePath: 'engine-path',
  maxAge: 'db-max-age',
  allowStale: 'allow-stale-db',
  offline: 'offline',
  repositories: 'db-repositories'
}

/** Options for one scan: a 120 h maximum DB age, no VEX, a 5-minute deadline, unless `given` says. */
export function imageScanOptions(
  given: Pick<ImageScanOptions, 'workspace' | 'source' | 'engine' | 'scanners'> &
    Partial<Omit<ImageScanOptions, 'db'>> & {
      db: Pick<ImageScanOptions['db'], 'root' | 'repositories'> & Partial<ImageScanOptions['db']>
    }
): ImageScanOptions {
  return {
    vex: [],
    vexSource: 'base',
    ignoreUnfixed: false,
    deadlineMs: 300_000,
    inputs: IMAGE_SCAN_INPUT_NAMES,
    ...given,
    db: { maxAgeHours: 120, allowStale: false, offline: false, ...given.db }
  }
}
