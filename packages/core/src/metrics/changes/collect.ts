import type { BranchActivity } from '../../github/activities.js'
import type { CommitRecord } from '../../github/commits.js'
import type { PullRequestRecord } from '../../github/pull-requests.js'
import type { RunWindow } from '../../github/workflow-runs.js'
import type { MetricsGitHub } from '../ports.js'
import { mapPooled } from '../../runtime/pool.js'
import { reconcilePushes, type PushedCommit, type PushReconciliation } from './pushes.js'
import type { CollectedChange } from './records.js'

const IN_FLIGHT = 4

/** The branch's first-parent chain among the listed commits, from the newest. */
function firstParentChain(commits: readonly CommitRecord[]): CommitRecord[] {
  const bySha = new Map(commits.map(c => [c.sha, c]))
  const chain: CommitRecord[] = []
  for (
    let c: CommitRecord | undefined = commits[0];
    c && chain.length < commits.length;
    c = bySha.get(c.parents[0] ?? '')
  )
    chain.push(c)
  return chain
}

/** What GitHub's push record says of a change that its commits do not: when misdated ones reached the branch. */
function pushFacts(
  commits: readonly CommitRecord[],
  missed: ReadonlyMap<string, PushedCommit>,
  window: RunWindow,
  forcePushes: readonly BranchActivity[],
  listed: ReadonlySet<string>
): Pick<CollectedChange, 'pushed' | 'forcePushes' | 'replacedBy' | 'restored'> {
  const inWindow = (date: string) =>
    Date.parse(date) >= window.from.getTime() && Date.parse(date) <= window.to.getTime()
  const misdated = commits.filter(c => missed.has(c.sha) && !inWindow(c.date))
  const at = misdated.map(c => missed.get(c.sha)!.pushedAt).sort((a, b) => Date.parse(b) - Date.parse(a))[0]
  const has = (sha: string) => commits.some(c => c.sha === sha)
  const rewrites = forcePushes.filter(f => has(f.after))
  const replacedBy = forcePushes.filter(f => has(f.before))
  return {
    ...(at ? { pushed: { at, misdated } } : {}),
    ...(rewrites.length ? { forcePushes: rewrites } : {}),
    ...(replacedBy.length ? { replacedBy } : {}),
    // Listed from the branch's tip: a force push took the branch away from it, and a later update brought it back.
    ...(replacedBy.length && listed.has(commits[0]!.sha) ? { restored: true } : {})
  }
}

/**
 * The changes that reached `branch` in the window, one per pull request or direct push, with their reviews
 * and the checks on the commit that was tested. The branch's first-parent history is the list of changes:
 * the other commits of a merge came in with its pull request. The commits are listed by commit date, which
 * whoever pushes sets; GitHub's push times (`reconcilePushes`) add those the dates hid. Requests: a page per
 * 100 commits, per 100 pull requests and per 100 pushes, then per change its reviews and checks (and
 * statuses when a required check is not a check run), and for a commit no merge commit explains, the pull
 * requests it belongs to (rebase merges).
 */
export async function collectChanges(
  github: MetricsGitHub,
  options: { branch: string; window: RunWindow; requiredChecks?: readonly string[] }
): Promise<{ changes: CollectedChange[]; pushes: PushReconciliation }> {
  const listed = await github.commits(options.branch, options.window)
  const chain = firstParentChain(listed)
  const pushes = await reconcilePushes(github, { ...options, listed, chain })
  const missed = new Map(pushes.status === 'read' ? pushes.missed.map(m => [m.commit.sha, m]) : [])
  const onBranch = [...chain, ...[...missed.values()].map(m => m.commit)]
  if (onBranch.length === 0) return { changes: [], pushes }
  const pulls = await github.mergedPullRequests(github.repository, options.branch, options.window)
  const byMergeCommit = new Map(
    pulls.flatMap(p => (p.mergeCommitSha ? [[p.mergeCommitSha, p] as const] : []))
  )
  const unexplained = onBranch.filter(c => !byMergeCommit.has(c.sha))
  const found = await mapPooled(unexplained, IN_FLIGHT, async c =>
    (await github.pullRequestsForCommit(c.sha)).find(p => p.baseRef === options.branch && p.mergedAt)
  )
  const pullOf = new Map<string, PullRequestRecord | undefined>(byMergeCommit)
  unexplained.forEach((c, i) => pullOf.set(c.sha, found[i]))

  const groups = new Map<string, { commits: CommitRecord[]; pull?: PullRequestRecord }>()
  for (const c of onBranch) {
    const pull = pullOf.get(c.sha)
    const key = pull ? `#${pull.number}` : c.sha
    const group = groups.get(key)
    if (group) group.commits.push(c)
    else groups.set(key, { commits: [c], pull })
  }
  const required = options.requiredChecks ?? []
  const forcePushes = pushes.status === 'read' ? pushes.forcePushes : []
  const listedShas = new Set(listed.map(c => c.sha))
  const changes = await mapPooled([...groups.values()], IN_FLIGHT, async ({ commits, pull }) => {
    const ref = pull?.headSha ?? commits[0]!.sha
    const reviews = pull ? await github.reviews(pull.number) : []
    const checks = await github.checkRuns(ref)
    const names = new Set(checks.map(c => c.name))
    if (required.some(name => !names.has(name))) checks.push(...(await github.commitStatuses(ref)))
    return {
      commits,
      pull,
      reviews,
      checks,
      ...pushFacts(commits, missed, options.window, forcePushes, listedShas)
    }
  })
  return { changes, pushes }
}
