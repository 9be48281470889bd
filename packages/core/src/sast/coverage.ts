import { Git } from '../github/git.js'
import {
  leftOutReasons,
  normalizeRepoPath,
  planDiffTargets,
  type TargetPlan,
  type TargetPlanInput
} from './targets.js'

/**
 * What a full scan could have read. SARIF has no count of files scanned, so a scan of nothing (a `path`
 * typo, code moved elsewhere, everything excluded) would otherwise read as a clean one.
 */
export type FullScanCoverage = { known: true; plan: TargetPlan } | { known: false; reason: string }

export type CoverageInput = Omit<TargetPlanInput, 'changed'>

/**
 * Past this many files the ignore patterns cost seconds per clean push (~17 s of CPU for 500,000 paths),
 * and a tree that large with nothing the rules read is no typo: the count is not taken.
 */
const MAX_COUNTED_FILES = 50_000

/**
 * The files under the scan path the engine reads, put through the diff scan's own target filter, so both
 * modes agree on what a scan can read: the tracked ones and the untracked ones .gitignore keeps (code an
 * earlier step generated), as Semgrep lists them in a git checkout.
 */
export async function countFullScanFiles(
  workspace: string,
  input: CoverageInput,
  maxFiles = MAX_COUNTED_FILES
): Promise<FullScanCoverage> {
  const files = await Git.listTracked(workspace, [normalizeRepoPath(input.scanPath) || '.'], {
    unignored: true
  })
  if (!files) return { known: false, reason: 'not a git checkout' }
  if (files.length > maxFiles)
    return { known: false, reason: `over ${maxFiles.toLocaleString('en-US')} files under the scan path` }
  return { known: true, plan: planDiffTargets({ ...input, changed: files }) }
}

/**
 * Why the scan read nothing and what to change, on one line (a `::warning::`), or undefined when a file
 * was left to scan or the count is unknown.
 */
export function fullScanNotice(
  coverage: FullScanCoverage,
  scanPath: string,
  names: { path: string; config: string }
): string | undefined {
  if (!coverage.known || coverage.plan.targets.length > 0) return undefined
  const { excluded, unsupported } = coverage.plan
  const where = `input '${names.path}' ('${scanPath}')`
  if (excluded + unsupported === 0)
    return `Nothing was scanned: ${where} holds no file (tracked, or untracked and not git-ignored). Point it at the code to scan. The step does not fail.`
  const fixes = [
    `point '${names.path}' at the code to scan`,
    excluded > 0 ? "narrow 'exclude' or .semgrepignore" : '',
    unsupported > 0 ? `add rules for those languages with input '${names.config}'` : ''
  ].filter(Boolean)
  return `Nothing was scanned: ${where} holds no file the rules read (${leftOutReasons(coverage.plan).join(', ')}). ${capitalize(fixes.join(', or '))}. The step does not fail.`
}

const capitalize = (text: string) => text.charAt(0).toUpperCase() + text.slice(1)
