// A Grype v6 vulnerability DB written by tools/grype-test-db (Grype's own writer) with the GitHub advisory
// the demo image's lodash 4.17.20 is affected by, and the listing `grype db update` reads it from.
import { spawnSync } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'
import * as path from 'node:path'
import { toolPath } from './tools-path.js'

/** What Grype must report on the demo image with this DB. */
export const GRYPE_TEST_ADVISORY = {
  id: 'GHSA-35jh-r3h4-6jhm',
  cve: 'CVE-2021-23337',
  package: 'lodash',
  installed: '4.17.20',
  fixed: '4.17.21',
  purl: 'pkg:npm/lodash@4.17.20'
} as const

export interface GrypeTestDb {
  /** The directory holding vulnerability.db (what `grype db import` takes). */
  dir: string
  /** The build time written into the DB, to the second. */
  builtAt: Date
  /** Files a listing URL serves, by path under it: `v6/latest.json` and the archive it names. */
  listing: Record<string, Buffer>
}

/** Writes the DB into `dir`, built at `builtAt`. */
export function writeGrypeTestDb(dir: string, builtAt = new Date()): GrypeTestDb {
  const stamp = builtAt.toISOString().replace(/\.\d{3}Z$/, 'Z')
  const result = spawnSync(toolPath('grype-test-db'), ['-out', dir, '-built-at', stamp], {
    encoding: 'utf8'
  })
  if (result.status !== 0)
    throw new Error(`grype-test-db failed (run npm run tools): ${result.error?.message ?? result.stderr}`)
  const listingDir = path.join(dir, 'listing', 'v6')
  const listing = Object.fromEntries(
    readdirSync(listingDir).map(name => [`v6/${name}`, readFileSync(path.join(listingDir, name))])
  )
  return { dir, builtAt: new Date(stamp), listing }
}
