import * as path from 'node:path'
import type { PullRequestBase } from '../github/pull-request-base.js'
import { comparePolicies, type PolicyChange } from '../policy/compare.js'
import { getErrorMessage } from '../runtime/errors.js'
import { readWorkspaceFile } from '../runtime/paths.js'
import type { OtherPolicy, PolicyDecider, PolicySources } from '../policy-source/resolve.js'
import type { EvaluatedFinding, GateVerdict } from './verdict.js'

/*
 * What a pull request changes about the checks that judge it: the policy, the scanners' ignore files,
 * `nosemgrep`-like comments in the files it touches. None of it decides the verdict; all of it is shown.
 */

/** Files that tell a scanner what not to report, by name wherever they sit. */
export const IGNORE_FILE_NAMES: ReadonlySet<string> = new Set([
  '.semgrepignore',
  '.trivyignore',
  '.trivyignore.yaml',
  '.grype.yaml',
  '.grype.yml',
  'osv-scanner.toml'
])

export interface IgnoreFileChange {
  path: string
  status: (typeof STATUS)[keyof typeof STATUS]
  added: string[]
  removed: string[]
  /** Why the PR's version could not be read (a link or a directory in its place). */
  problem?: string
}

export interface OtherPolicyReview {
  role: OtherPolicy['role']
  origin: string
  /** The verdict the other version would give, beside the deciding one. */
  verdict?: GateVerdict
  error?: string
  /** From the reviewed (base) version to the pull request's. */
  changes: PolicyChange[]
}

export interface OwnChecksReview {
  decidedBy: PolicyDecider
  decidingOrigin: string
  other?: OtherPolicyReview
  ignoreFiles: IgnoreFileChange[]
  /** In-source suppressions in files the change added or modified. */
  suppressionsInChangedFiles: EvaluatedFinding[]
}

/** Lines the second text has that the first has not, and the other way round; blank lines are left out. */
export function lineChanges(before: string, after: string): { added: string[]; removed: string[] } {
  const lines = (text: string) =>
    text
      .split(/\r?\n/)
      .map(line => line.trimEnd())
      .filter(line => line !== '')
  const left = new Map<string, number>()
  for (const line of lines(before)) left.set(line, (left.get(line) ?? 0) + 1)
  const added: string[] = []
  for (const line of lines(after)) {
    const n = left.get(line) ?? 0
    if (n > 0) left.set(line, n - 1)
    else added.push(line)
  }
  const removed = [...left].flatMap(([line, n]) => Array<string>(n).fill(line))
  return { added, removed }
}

const STATUS = { A: 'added', C: 'copied', M: 'modified', R: 'renamed', T: 'retyped' } as const

/** Ignore files the change adds or modifies, with the lines it adds and removes (base read from git objects). */
export async function ignoreFileChanges(
  base: PullRequestBase,
  workspace: string
): Promise<IgnoreFileChange[]> {
  const changes: IgnoreFileChange[] = []
  for (const change of base.changes) {
    if (!IGNORE_FILE_NAMES.has(path.posix.basename(change.path))) continue
    const before = change.previous ? ((await base.read(change.previous.path)) ?? '') : ''
    let after = ''
    let problem: string | undefined
    try {
      after = readWorkspaceFile(workspace, change.path, change.path) ?? ''
    } catch (error) {
      problem = getErrorMessage(error)
    }
    changes.push({ path: change.path, status: STATUS[change.status], ...lineChanges(before, after), problem })
  }
  return changes
}

export async function reviewOwnChecks(args: {
  sources: PolicySources
  otherVerdict: GateVerdict | undefined
  verdict: GateVerdict
  base: PullRequestBase | undefined
  workspace: string
}): Promise<OwnChecksReview> {
  const { sources, base } = args
  const { other, deciding } = sources
  return {
    decidedBy: sources.decidedBy,
    decidingOrigin: deciding.origin,
    other: other && {
      role: other.role,
      origin: other.origin,
      verdict: args.otherVerdict,
      error: other.error,
      changes: !other.policy
        ? []
        : other.role === 'proposed'
          ? comparePolicies(deciding.policy, other.policy)
          : comparePolicies(other.policy, deciding.policy)
    },
    ignoreFiles: base ? await ignoreFileChanges(base, args.workspace) : [],
    suppressionsInChangedFiles: base
      ? args.verdict.findings.filter(
          e => e.inSource && e.finding.location && base.changed(e.finding.location.path)
        )
      : []
  }
}
