import * as path from 'node:path'
import { buildOsvDb, readRecordFiles } from './osv-db.js'

const USAGE = 'usage: osv-db <records-dir> <out-dir> [--ecosystem <OSV ecosystem>]...'

/**
 * `osv-db <records-dir> <out-dir>`: builds osv-scanner's offline database from a folder of OSV JSON
 * records (e.g. GitHub's advisory database). `--ecosystem X` writes an empty archive for X too, so a
 * scan of X's lockfiles runs and reports none instead of failing on a missing database.
 */
export function runOsvDbCommand(argv: readonly string[], print: (line: string) => void): number {
  const positional: string[] = []
  const ecosystems: string[] = []
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!
    if (arg === '--ecosystem' && argv[i + 1]) ecosystems.push(argv[++i]!)
    else if (arg.startsWith('--ecosystem=')) ecosystems.push(arg.slice('--ecosystem='.length))
    else if (arg === '-h' || arg === '--help') {
      print(USAGE)
      return 0
    } else positional.push(arg)
  }
  if (positional.length !== 2) {
    print(USAGE)
    return 2
  }
  const [recordsDir, outDir] = positional.map(p => path.resolve(p!)) as [string, string]
  try {
    const records = readRecordFiles(recordsDir)
    const manifest = buildOsvDb(records, outDir, { ecosystems })
    for (const [ecosystem, { advisories }] of Object.entries(manifest.ecosystems))
      print(
        `${ecosystem}: ${advisories} advisory record(s) -> ${path.join(outDir, 'osv-scalibr', ecosystem, 'all.zip')}`
      )
    print(
      `${records.length} record(s) read, ${manifest.withdrawn.length} withdrawn (kept; osv-scanner does not match them)`
    )
    if (manifest.unplaced)
      print(
        `warning: ${manifest.unplaced.length} record(s) name an affected package without an ecosystem and name (or a language purl), so no scan can match them: ${manifest.unplaced.slice(0, 20).join(', ')}`
      )
    print(
      `Use it with the sca action's offline-db input, or OSV_SCANNER_LOCAL_DB_CACHE_DIRECTORY=${outDir} osv-scanner scan source --offline-vulnerabilities --no-resolve`
    )
    return 0
  } catch (error) {
    print(`osv-db: ${error instanceof Error ? error.message : String(error)}`)
    return 1
  }
}
