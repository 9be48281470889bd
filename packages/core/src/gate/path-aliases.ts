import type { FileChange } from '../github/git.js'
import { toRepoPath } from '../findings/sarif/read-helpers.js'
import type { LoadedReport } from './load-reports.js'
import type { BrokenInput } from './verdict.js'

/*
 * A report names a file by a path the readers normalise: a SARIF uri is percent-decoded, and every reader
 * turns `\` into `/`. Semgrep writes file names into its SARIF as they are, so a file the change adds as
 * `src%2Flegacy%2Fx.js` or `src\legacy\x.js` reads as `src/legacy/x.js`: a path-scoped exception of the base
 * policy then waives it, and a `nosemgrep` in it is taken for one in a file the change did not touch.
 */

/** The path a reader may make of each file the change made under another name, with that name. */
function aliasesOfChanges(changes: readonly FileChange[]): Map<string, string> {
  const aliases = new Map<string, string>()
  for (const { path } of changes) {
    if (!path.includes('%') && !path.includes('\\')) continue
    const alias = toRepoPath(path)
    if (alias !== undefined && alias !== path && !aliases.has(alias)) aliases.set(alias, path)
  }
  return aliases
}

/**
 * Each report with a finding at a path that may be another name of a file the change made: which file it
 * is in cannot be told, so the report cannot be judged (fail closed). One broken input per report.
 */
export function findingsOnAliasedPaths(
  changes: readonly FileChange[],
  reports: readonly LoadedReport[]
): BrokenInput[] {
  const aliases = aliasesOfChanges(changes)
  if (aliases.size === 0) return []
  const broken: BrokenInput[] = []
  for (const { file, report } of reports) {
    const finding = report.findings.find(f => f.location && aliases.has(f.location.path))
    if (!finding) continue
    const alias = finding.location!.path
    broken.push({
      source: file,
      message: `a finding at ${alias} may be in ${aliases.get(alias)}, which this change adds or changes: readers decode percent-escapes and backslashes in file names, so the two cannot be told apart; rename the file without them`
    })
  }
  return broken
}
