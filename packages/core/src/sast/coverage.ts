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
 * The tracked files under the scan path, put through the diff scan's own target filter, so both modes
 * agree on what a scan can read. Untracked files are not counted: a checkout has none worth scanning.
 */
export async function countFullScanFiles(workspace: string, input: CoverageInput): Promise<FullScanCoverage> {
  const tracked = await Git.listTracked(workspace, [normalizeRepoPath(input.scanPath) || '.'])
  if (!tracked) return { known: false, reason: 'not a git checkout' }
  return { known: true, plan: planDiffTargets({ ...input, changed: tracked }) }
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
    return `Nothing was scanned: ${where} holds no file git tracks. Point it at the code to scan. The step does not fail.`
  const fixes = [
    `point '${names.path}' at the code to scan`,
    excluded > 0 ? "narrow 'exclude' or .semgrepignore" : '',
    unsupported > 0 ? `add rules for those languages with input '${names.config}'` : ''
  ].filter(Boolean)
  return `Nothing was scanned: ${where} holds no file the rules read (${leftOutReasons(coverage.plan).join(', ')}). ${capitalize(fixes.join(', or '))}. The step does not fail.`
}

const capitalize = (text: string) => text.charAt(0).toUpperCase() + text.slice(1)
