import * as path from 'node:path'
import type { Finding } from '../findings/finding.js'
import { appliedSuppressions } from '../findings/suppression.js'
import type { PullRequestBase } from '../github/pull-request-base.js'
import { comparePolicies, type PolicyChange } from '../policy/compare.js'
import { getErrorMessage } from '../runtime/errors.js'
import { readWorkspaceFile } from '../runtime/paths.js'
import type { OtherPolicy, PolicyDecider, PolicySources } from '../policy-source/resolve.js'
import { insertedLines } from './line-diff.js'
import type { EvaluatedFinding, GateVerdict } from './verdict.js'

/*
 * What a pull request changes about the checks that judge it: the policy, the scanners' ignore files,
 * `nosemgrep`-like comments in the files it touches. None of it decides the verdict; all of it is shown.
 * (With `in-source-suppressions: reviewed`, a suppression the change adds is worked out here and counts.)
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
  /** Files whose suppressions were all taken as the change's, because a version could not be read. */
  suppressionFilesUnread: UnreadFile[]
}

export interface UnreadFile {
  path: string
  problem: string
}

/** Either version of a source file is read up to this size to tell whether a suppression's lines are new. */
const SOURCE_MAX_BYTES = 8 * 1024 * 1024

export interface SuppressionsByChange {
  /** Findings whose in-source suppression the change adds: their line, or the one above, is not the base's. */
  findings: Set<Finding>
  /** Files a version of which could not be read: every suppression in them is taken as the change's. */
  unread: UnreadFile[]
}

const accepted = (f: Finding) => appliedSuppressions(f).some(s => s.kind === 'inSource')

/** The base's text of a file the change made, from git objects: none when the change added, copied or retyped it. */
async function baseText(base: PullRequestBase, file: string): Promise<string | undefined> {
  const change = base.changes.find(c => c.path === file)
  // A file inside a submodule the change added or moved has no entry: nothing of the base to carry.
  if (!change || !change.previous || change.status === 'C' || change.status === 'T') return undefined
  return base.read(change.status === 'R' ? change.previous.path : file, SOURCE_MAX_BYTES)
}

/** Words of the in-source suppressions scanners read from a comment on the line above a finding. */
const SUPPRESSION_COMMENT = /nosemgrep|nosec|noqa|nosonar|checkov:skip|kics-scan|trivy:ignore|eslint-disable/i

/**
 * Which in-source suppressions the change under check adds. A suppression in a file the change made is
 * the change's when a line diff from the base version inserts the finding's start line, or the line above
 * when that line holds a suppression comment (where `# nosemgrep` may sit): a file the base did not have
 * is new throughout. A copy of a suppressed line the base has elsewhere is inserted all the same. The pull request's version is read from the workspace without following a link; a link, a
 * directory, a file too large or missing, or a base that cannot be read makes every suppression in it the
 * change's, and so does a finding without a file. Never the other way round: what cannot be told counts.
 */
export async function suppressionsAddedByChange(
  base: PullRequestBase,
  workspace: string,
  findings: readonly Finding[]
): Promise<SuppressionsByChange> {
  const byFile = new Map<string, Finding[]>()
  const added = new Set<Finding>()
  for (const f of findings) {
    if (!accepted(f)) continue
    // Without a file nothing says the base had it: a file the change adds under a directory named `C:`
    // reads as no repository path (a drive letter), and its finding comes without a location.
    if (!f.location) {
      added.add(f)
      continue
    }
    if (!base.changed(f.location.path)) continue
    const file = f.location.path.replace(/^\.\//, '')
    const list = byFile.get(file)
    if (list) list.push(f)
    else byFile.set(file, [f])
  }
  const unread: UnreadFile[] = []
  for (const [file, list] of byFile) {
    let after: string | undefined
    let before: string | undefined
    try {
      after = readWorkspaceFile(workspace, file, 'source file', SOURCE_MAX_BYTES)
      if (after === undefined) throw new Error(`${file} is not in the checkout`)
      before = await baseText(base, file)
    } catch (error) {
      unread.push({ path: file, problem: getErrorMessage(error) })
      for (const f of list) added.add(f)
      continue
    }
    const lines = after.split(/\r?\n/)
    const inserted = before === undefined ? undefined : insertedLines(before.split(/\r?\n/), lines)
    const isNew = (line: number) => inserted === undefined || line > lines.length || inserted.has(line)
    for (const f of list) {
      const start = f.location?.startLine
      // Without a line, or past the end of the file, nothing says the base had it. The line above counts
      // only when it holds a suppression comment (Semgrep's `// nosemgrep` may sit there).
      if (start === undefined || start < 1 || isNew(start)) added.add(f)
      else if (start > 1 && isNew(start - 1) && SUPPRESSION_COMMENT.test(lines[start - 2]!)) added.add(f)
    }
  }
  return { findings: added, unread }
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

/** Ignore files that list patterns or advisory ids one a line: a line taken out is one thing ignored less. */
const LINE_LIST_IGNORE_FILES: ReadonlySet<string> = new Set(['.semgrepignore', '.trivyignore'])

/**
 * Whether a change to an ignore file can only make a scanner ignore less: it takes lines out of a list
 * that stays where it was, and none of them is a `!` that re-included files. Anything else may waive
 * more: an added line, a version that cannot be read (the scanner may still follow the link), a file
 * moved to cover another tree, a line taken out of YAML or TOML (an expiry, a path that narrowed an entry).
 */
export function onlyIgnoresLess(change: IgnoreFileChange): boolean {
  return (
    change.added.length === 0 &&
    change.problem === undefined &&
    change.status !== 'renamed' &&
    LINE_LIST_IGNORE_FILES.has(path.posix.basename(change.path)) &&
    !change.removed.some(line => line.trimStart().startsWith('!'))
  )
}

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
  /** Files whose suppressions could not be told apart (`reviewed` only). */
  suppressionFilesUnread?: UnreadFile[]
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
      : [],
    suppressionFilesUnread: args.suppressionFilesUnread ?? []
  }
}
