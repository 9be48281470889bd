import { isNullSha, type BranchActivity } from '../../github/activities.js'
import type { CommitRecord } from '../../github/commits.js'
import type { RunWindow } from '../../github/workflow-runs.js'
import type { Logger } from '../../runtime/logger.js'
import type { MetricsGitHub } from '../ports.js'

/** A commit that reached the branch in the period by GitHub's push time, though the listing missed it. */
export interface PushedCommit {
  commit: CommitRecord
  pushedAt: string
}

/** An update of the branch in the period whose commits GitHub could not all list. */
export interface UnreconciledPush {
  at: string
  type: BranchActivity['type']
  after: string
  reason: string
}

/**
 * The branch's commits by GitHub's push times: `missed` are those the listing by commit date (which whoever
 * pushes sets) did not put on the first-parent chain; `forcePushes` rewrote the history.
 */
export type PushReconciliation =
  | {
      status: 'read'
      activities: number
      missed: PushedCommit[]
      forcePushes: BranchActivity[]
      unreconciled: UnreconciledPush[]
    }
  | { status: 'unavailable'; reason: string }

interface Walk {
  commits: CommitRecord[]
  complete: boolean
}

/** The first-parent line from `tip` down to the first commit `isBase` says was there before. */
function firstParents(
  tip: string,
  lookup: ReadonlyMap<string, CommitRecord>,
  isBase: (sha: string) => boolean
): Walk {
  const commits: CommitRecord[] = []
  for (let sha: string | undefined = tip; sha !== undefined && !isBase(sha);) {
    const commit = lookup.get(sha)
    if (!commit || commits.length > lookup.size) return { commits, complete: false }
    commits.push(commit)
    sha = commit.parents[0]
  }
  return { commits, complete: true }
}

/**
 * The first-parent commits one update put on the branch: from the commits already listed when they reach
 * its `before` (no request), else from GitHub's comparison of `before...after` (a force push, a backdated
 * commit in between). `start` is the branch's tip when the period began: it and its history were on the
 * branch before, so a walk ends there too. After a force push in the period `before` may lack that history
 * (a reset to an old commit, then back): `rewritten` then compares `start...after` as well, and keeps only
 * the commits that were not on the branch when the period began. A branch created again in the period
 * (deleted, then pushed) is compared with `start`: only a branch created in the period has no base.
 */
async function commitsOf(
  github: MetricsGitHub,
  activity: BranchActivity,
  listed: ReadonlyMap<string, CommitRecord>,
  history: { start?: string; rewritten: boolean }
): Promise<Walk & { reason?: string }> {
  const start = history.start
  const fromListed = firstParents(activity.after, listed, sha => sha === activity.before || sha === start)
  if (fromListed.complete) return fromListed
  // A branch deleted in the period and created again: what it was created at, against the period's start.
  const base = isNullSha(activity.before) ? start : activity.before
  if (base === undefined)
    return { ...fromListed, reason: 'the branch was created: its earlier history is not a change' }
  const ahead = await github.commitsAhead(base, activity.after)
  if (!ahead)
    return {
      ...fromListed,
      reason: `GitHub could not compare ${base.slice(0, 12)}...${activity.after.slice(0, 12)}`
    }
  let aheadBySha = new Map(ahead.commits.map(c => [c.sha, c]))
  if (history.rewritten && start !== undefined && start !== base && !aheadBySha.has(start)) {
    // Only what the period's start lacks is new; when that cannot be read in full, keep all (never fewer).
    const sinceStart = await github.commitsAhead(start, activity.after)
    if (sinceStart?.complete) {
      const isNew = new Set(sinceStart.commits.map(c => c.sha))
      aheadBySha = new Map([...aheadBySha].filter(([sha]) => isNew.has(sha)))
    }
  }
  const walk = firstParents(activity.after, aheadBySha, sha => sha === start || !aheadBySha.has(sha))
  return ahead.complete
    ? walk
    : { commits: walk.commits, complete: false, reason: 'too many commits: only the newest were read' }
}

/**
 * Reconciles the listed changes with GitHub's record of the branch's updates in the window, whose times the
 * pusher cannot set: every commit an update put on the branch must be on the chain of changes; one that is
 * not (a commit backdated to before the period, or one behind it) is returned as missed, with its push time.
 * Requests: a page per 100 updates, and a comparison for an update the listed commits do not explain.
 */
export async function reconcilePushes(
  github: MetricsGitHub,
  options: {
    branch: string
    window: RunWindow
    listed: readonly CommitRecord[]
    chain: readonly CommitRecord[]
  }
): Promise<PushReconciliation> {
  const read = await github.branchActivities(options.branch, options.window)
  if (read.status === 'unavailable') return read
  const listed = new Map(options.listed.map(c => [c.sha, c]))
  const covered = new Set(options.chain.map(c => c.sha))
  const missed: PushedCommit[] = []
  const unreconciled: UnreconciledPush[] = []
  // Oldest first: a commit pushed, dropped and pushed again reached the branch the first time.
  const oldestFirst = [...read.value].reverse()
  const first = oldestFirst[0]?.before
  const history = { start: first === undefined || isNullSha(first) ? undefined : first, rewritten: false }
  for (const activity of oldestFirst) {
    const walk = isNullSha(activity.after)
      ? { commits: [], complete: true }
      : await commitsOf(github, activity, listed, history)
    if (activity.type !== 'push' && activity.type !== 'pr_merge' && activity.type !== 'merge_queue_merge')
      history.rewritten = true
    if (!walk.complete)
      unreconciled.push({
        at: activity.at,
        type: activity.type,
        after: activity.after,
        reason: walk.reason ?? 'its commits could not be listed'
      })
    for (const commit of walk.commits) {
      if (covered.has(commit.sha)) continue
      covered.add(commit.sha)
      missed.push({ commit, pushedAt: activity.at })
    }
  }
  return {
    status: 'read',
    activities: read.value.length,
    missed,
    forcePushes: read.value.filter(a => a.type === 'force_push'),
    unreconciled
  }
}

/** What the report says of the push times: read (how many updates, which rewrote the history) or why not. */
export type PushSource =
  | {
      status: 'read'
      activities: number
      forcePushes: Array<Pick<BranchActivity, 'at' | 'actor' | 'before' | 'after'>>
      unreconciled: UnreconciledPush[]
    }
  | { status: 'off' | 'unavailable'; reason: string }

/** The source as the report states it; what could not be reconciled is logged as a warning too. */
export function pushSource(pushes: PushReconciliation, branch: string, logger: Logger): PushSource {
  if (pushes.status === 'unavailable') {
    logger.warning(
      `push times of ${branch}: ${pushes.reason}; the change records come from commit dates alone, which whoever pushes sets: a direct push of a backdated commit could be missing`
    )
    return pushes
  }
  for (const u of pushes.unreconciled)
    logger.warning(
      `push times of ${branch}: the ${u.type} at ${u.at} (to ${u.after.slice(0, 12)}) could not be reconciled: ${u.reason}; a commit it put on the branch could be missing from the change records`
    )
  return {
    status: 'read',
    activities: pushes.activities,
    forcePushes: pushes.forcePushes.map(({ at, actor, before, after }) => ({ at, actor, before, after })),
    unreconciled: pushes.unreconciled
  }
}
