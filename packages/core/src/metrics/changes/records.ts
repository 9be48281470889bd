import type { BranchActivity } from '../../github/activities.js'
import type { BranchProtectionFacts } from '../../github/branch-protection.js'
import type { CheckRecord } from '../../github/checks.js'
import type { CommitRecord } from '../../github/commits.js'
import type { PullRequestRecord, ReviewRecord } from '../../github/pull-requests.js'
import type { EvidenceRun } from '../evidence-runs.js'

/** What an auditor asks about a change: SOC 2 CC8.1, ISO/IEC 27001:2022 A.8.32. */
export const CHANGE_FLAGS = [
  'direct-push',
  'backdated',
  'no-approval',
  'self-approval',
  'failing-checks',
  'failing-gate',
  'admin-bypass'
] as const
export type ChangeFlag = (typeof CHANGE_FLAGS)[number]

export interface CheckResult {
  name: string
  /** The conclusion (check run) or state (status); `missing` when a required check never reported. */
  result: string
  required: boolean
}

export interface ChangeRecord {
  /** `#123` for a pull request, the short commit for a direct push. */
  id: string
  /** The last commit the change put on the branch. */
  commit: string
  commits: string[]
  /**
   * When it reached the branch: the merge time, or the commit time of a direct push; GitHub's push time
   * when the commit is dated outside the period.
   */
  at: string
  pullRequest?: { number: number; title: string; url: string; headSha: string }
  author: string
  /** Latest review of each reviewer other than the author, submitted before the merge, that approves. */
  approvals: Array<{ reviewer: string; at?: string }>
  checks: CheckResult[]
  gate?: {
    outcome: string
    evidence: string
    sha256: string
    runId?: string
    when: 'before merge' | 'on the branch'
  }
  bump?: { repository: string; number: number; url: string; mergedAt?: string; mergeCommit?: string }
  deployed?: { app: string; revision: string; at?: string }
  flags: ChangeFlag[]
  notes: string[]
}

/** A change as collected: the commits it put on the branch and, unless pushed directly, its pull request. */
export interface CollectedChange {
  commits: CommitRecord[]
  pull?: PullRequestRecord
  reviews: ReviewRecord[]
  checks: CheckRecord[]
  /**
   * GitHub's push time, when `misdated` commits of the change are dated outside the period it reached the
   * branch in: only the push record put it in the period.
   */
  pushed?: { at: string; misdated: CommitRecord[] }
  /** Force pushes in the period that left the branch at one of its commits. */
  forcePushes?: BranchActivity[]
  /** Force pushes in the period that took the branch away from one of its commits: it reached it, then left. */
  replacedBy?: BranchActivity[]
  /** On the branch's history again after a force push in `replacedBy` took the branch away from it. */
  restored?: boolean
}

const PASSING = new Set(['success', 'neutral', 'skipped'])

/** Each reviewer's standing verdict before the merge: a later comment does not undo an approval. */
function effectiveReviews(
  reviews: readonly ReviewRecord[],
  mergedAt: string | undefined
): Map<string, ReviewRecord> {
  const cutoff = mergedAt ? Date.parse(mergedAt) : Infinity
  const latest = new Map<string, ReviewRecord>()
  const ordered = [...reviews].sort(
    (a, b) => Date.parse(a.submittedAt ?? '') - Date.parse(b.submittedAt ?? '')
  )
  for (const r of ordered) {
    if (r.state === 'COMMENTED' || r.state === 'PENDING') continue
    if (!r.submittedAt || Date.parse(r.submittedAt) > cutoff) continue
    latest.set(r.reviewer.toLowerCase(), r)
  }
  return latest
}

/** The checks on the change's head: every required one (missing if it never ran), then the others. */
function checkResults(
  checks: readonly CheckRecord[],
  required: readonly string[] | undefined
): CheckResult[] {
  const byName = new Map<string, CheckRecord>()
  for (const c of checks) if (!byName.has(c.name) || c.kind === 'check-run') byName.set(c.name, c)
  const requiredSet = new Set(required ?? [])
  const results: CheckResult[] = [...requiredSet].map(name => {
    const c = byName.get(name)
    return { name, result: c ? (c.conclusion ?? c.status) : 'missing', required: true }
  })
  for (const [name, c] of byName)
    if (!requiredSet.has(name)) results.push({ name, result: c.conclusion ?? c.status, required: false })
  return results
}

export interface RecordContext {
  branch: string
  protection?: BranchProtectionFacts
  /** Commits a ruleset bypass put on the branch (rule insights), when the token could read them. */
  bypassedCommits?: ReadonlySet<string>
  /** Gate runs by the commit they judged (branch runs) and pull request runs by PR number. */
  gateRuns: {
    byCommit: ReadonlyMap<string, EvidenceRun[]>
    byPullRequest: ReadonlyMap<number, EvidenceRun[]>
  }
}

function gateOf(
  change: CollectedChange,
  commit: string,
  at: string,
  context: RecordContext
): ChangeRecord['gate'] {
  const cutoff = Date.parse(at)
  const before = change.pull
    ? (context.gateRuns.byPullRequest.get(change.pull.number) ?? []).filter(r => r.time <= cutoff)
    : []
  const run = before[before.length - 1]
  if (run)
    return {
      outcome: run.outcome,
      evidence: run.source,
      sha256: run.sha256,
      runId: run.runId,
      when: 'before merge'
    }
  const after = context.gateRuns.byCommit.get(commit)?.[0]
  return after
    ? {
        outcome: after.outcome,
        evidence: after.source,
        sha256: after.sha256,
        runId: after.runId,
        when: 'on the branch'
      }
    : undefined
}

/**
 * What GitHub's push record says that the commits do not. A commit dated before its push is flagged: the
 * date is the pusher's to set, and backdating it hides the change from a listing of the period by date.
 */
function pushNotes(change: CollectedChange, flags: Set<ChangeFlag>): string[] {
  const notes: string[] = []
  const pushed = change.pushed
  if (pushed) {
    const pushTime = Date.parse(pushed.at)
    if (pushed.misdated.some(c => Date.parse(c.date) < pushTime)) flags.add('backdated')
    const dates = pushed.misdated.map(
      c =>
        `${c.sha.slice(0, 12)} is dated ${c.date}, set ${Date.parse(c.date) < pushTime ? 'before' : 'after'} it reached the branch`
    )
    notes.push(
      `commit date outside the period, push time ${pushed.at} (GitHub's) inside it: ${dates.join('; ')}`
    )
  }
  for (const f of change.forcePushes ?? [])
    notes.push(
      `force-pushed at ${f.at} by ${f.actor ?? 'unknown'}: the history it replaced (${f.before.slice(0, 12)}) was rewritten`
    )
  for (const f of change.replacedBy ?? [])
    notes.push(
      change.restored
        ? `taken off the branch by the force push at ${f.at} by ${f.actor ?? 'unknown'}, and back on it since`
        : `no longer on the branch: the force push at ${f.at} by ${f.actor ?? 'unknown'} replaced it`
    )
  return notes
}

/** One change as a record, with its flags. Pure: everything was collected before. */
export function toChangeRecord(change: CollectedChange, context: RecordContext): ChangeRecord {
  const last = change.commits[0]!
  const pull = change.pull
  const at = pull?.mergedAt ?? change.pushed?.at ?? last.date
  const author = pull?.author ?? last.author ?? last.authorName
  const notes: string[] = []
  const flags = new Set<ChangeFlag>()
  const reviews = effectiveReviews(change.reviews, pull?.mergedAt)
  const approving = [...reviews.values()].filter(
    r => r.state === 'APPROVED' && r.reviewer.toLowerCase() !== author.toLowerCase()
  )
  // An approval of an earlier commit never saw what was merged, though GitHub counts it unless stale
  // approvals are dismissed: pushing after the approval would otherwise hide an unreviewed change.
  const current = approving.filter(r => r.commitId === pull?.headSha)
  const approvals = current.map(r => ({ reviewer: r.reviewer, at: r.submittedAt }))
  const stale = approving.filter(r => !current.includes(r))
  if (stale.length > 0)
    notes.push(
      `approved only an earlier commit: ${stale.map(r => `${r.reviewer} (${r.commitId?.slice(0, 12) ?? 'unknown commit'})`).join(', ')}`
    )
  const protection = context.protection
  const checks = checkResults(change.checks, protection?.requiredChecks)
  const failing = checks.filter(
    c => (c.required || !protection?.requiredChecks?.length) && !PASSING.has(c.result)
  )

  if (!pull) flags.add('direct-push')
  else {
    if (approvals.length === 0) flags.add('no-approval')
    if (reviews.get(author.toLowerCase())?.state === 'APPROVED') flags.add('self-approval')
  }
  notes.push(...pushNotes(change, flags))
  if (failing.length > 0) {
    flags.add('failing-checks')
    notes.push(`not passing: ${failing.map(c => `${c.name} (${c.result})`).join(', ')}`)
  }

  // The gate's own verdict: a warn-only gate, or one branch protection does not require, passes its check.
  const gate = gateOf(change, last.sha, at, context)
  if (gate && gate.outcome !== 'pass') {
    flags.add('failing-gate')
    notes.push(`gate verdict ${gate.outcome} (${gate.when})`)
  }

  const commits = change.commits.map(c => c.sha)
  if (commits.some(sha => context.bypassedCommits?.has(sha))) {
    flags.add('admin-bypass')
    notes.push('a ruleset bypass put it on the branch (rule insights)')
  } else if (protection) {
    // Without rule insights, a change that today's protection would have stopped got around it.
    const why: string[] = []
    if (!pull && protection.pullRequestRequired) why.push('pushed without a pull request')
    // GitHub's own count, stale approvals included: fewer than required means the rule was bypassed.
    if (pull && (protection.requiredApprovals ?? 0) > approving.length)
      why.push(`${approving.length} of ${protection.requiredApprovals} required approvals`)
    if (failing.some(c => c.required)) why.push('a required check was not passing')
    if (why.length > 0) {
      flags.add('admin-bypass')
      notes.push(`against the branch's current protection: ${why.join('; ')}`)
    }
  }
  return {
    id: pull ? `#${pull.number}` : last.sha.slice(0, 12),
    commit: last.sha,
    commits,
    at,
    pullRequest: pull
      ? { number: pull.number, title: pull.title, url: pull.url, headSha: pull.headSha }
      : undefined,
    author,
    approvals,
    checks,
    gate,
    flags: [...CHANGE_FLAGS].filter(f => flags.has(f)),
    notes
  }
}

/** Flagged changes first (most flags first), then newest first. */
export function orderRecords(records: ChangeRecord[]): ChangeRecord[] {
  return [...records].sort(
    (a, b) =>
      b.flags.length - a.flags.length || Date.parse(b.at) - Date.parse(a.at) || a.id.localeCompare(b.id)
  )
}
