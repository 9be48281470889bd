import type { FileChange } from '../github/git.js'
import type { IgnoreRules } from './ignore.js'
import type { ScanMode } from './mode.js'
import { fitsArgv, normalizeRepoPath, planDiffTargets, type TargetPlan } from './targets.js'

/** Regular files only: a symlink's blob is its target path, a gitlink has no content here. */
const REGULAR_FILE = new Set(['100644', '100755'])

export interface ScanPlanInput {
  mode: ScanMode
  /** Repository-relative path to scan (`.` for all). */
  scanPath: string
  /** The `exclude` input's patterns. */
  exclude: readonly string[]
  ignore: IgnoreRules
  /** Languages of all configured rules, or undefined when a config could not be read (registry). */
  languages: readonly string[] | undefined
  /** True for a path that is a symbolic link in the checkout. */
  isLink: (file: string) => boolean
}

/** What one engine run scans, decided before anything runs. */
export interface ScanPlan {
  /** What the engine scans in the checkout: the changed files themselves, or the scan path. */
  targets: string[]
  /** The targets are the changed files by name (not the scan path they would not fit on a command line as). */
  named: boolean
  /** Diff scans: the changed files a rule can apply to; findings anywhere else are dropped. */
  diff?: TargetPlan
  /** Diff scans: changes of those files whose merge-base version is scanned beside them. */
  previous: FileChange[]
  /** Every `--exclude`: the deciding ignore patterns, then the input's (which thus win over a `!`). */
  exclude: string[]
  /** A diff scan where no changed file is left to scan: the engine is not started. */
  skip: boolean
}

/**
 * Full scan: the scan path. Diff scan: the changed files under it that are not excluded or ignored and
 * that a rule can read, passed to the engine by name (which bypasses its excludes, so they are applied
 * here), or the scan path when there are too many for one command line.
 */
export function planScan(input: ScanPlanInput): ScanPlan {
  const scanPath = normalizeRepoPath(input.scanPath) || '.'
  const exclude = [...input.ignore.patterns, ...input.exclude]
  if (input.mode.kind === 'full')
    return { targets: [scanPath], named: false, previous: [], exclude, skip: false }
  const diff = planDiffTargets({
    changed: input.mode.changes.map(change => change.path),
    scanPath,
    exclude: input.exclude,
    ignore: input.ignore.patterns,
    languages: input.languages,
    isLink: input.isLink
  })
  const wanted = new Set(diff.targets)
  const previous = input.mode.changes.filter(
    change => wanted.has(change.path) && change.previous && REGULAR_FILE.has(change.previous.mode)
  )
  const named = diff.targets.length > 0 && fitsArgv(diff.targets)
  return {
    targets: named ? diff.targets : [scanPath],
    named,
    diff,
    previous,
    exclude,
    skip: !diff.targets.length
  }
}
