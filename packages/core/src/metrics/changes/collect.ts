import type { CommitRecord } from '../../github/commits.js'
import type { PullRequestRecord } from '../../github/pull-requests.js'
import type { RunWindow } from '../../github/workflow-runs.js'
import type { MetricsGitHub } from '../ports.js'
import { mapPooled } from '../../runtime/pool.js'
import type { CollectedChange } from './records.js'

const IN_FLIGHT = 4

/**
 * The changes that reached `branch` in the window, one per pull request or direct push, with their reviews
 * and the checks on the commit that was tested. The branch's first-parent history is the list of changes:
 * the other commits of a merge came in with its pull request. Requests: a page per 100 commits and per 100
 * pull requests, then per change its reviews and checks (and statuses when a required check is not a check
 * run), and for a commit no merge commit explains, the pull requests it belongs to (rebase merges).
 */
export async function collectChanges(
  github: MetricsGitHub,
  options: { branch: string; window: RunWindow; requiredChecks?: readonly string[] }
): Promise<CollectedChange[]> {
  const commits = await github.commits(options.branch, options.window)
  if (commits.length === 0) return []
  const bySha = new Map(commits.map(c => [c.sha, c]))
  const chain: CommitRecord[] = []
  for (
    let c: CommitRecord | undefined = commits[0];
    c && chain.length < commits.length;
    c = bySha.get(c.parents[0] ?? '')
  )
    chain.push(c)
  const pulls = await github.mergedPullRequests(github.repository, options.branch, options.window)
  const byMergeCommit = new Map(
    pulls.flatMap(p => (p.mergeCommitSha ? [[p.mergeCommitSha, p] as const] : []))
  )
  const unexplained = chain.filter(c => !byMergeCommit.has(c.sha))
  const found = await mapPooled(unexplained, IN_FLIGHT, async c =>
    (await github.pullRequestsForCommit(c.sha)).find(p => p.baseRef === options.branch && p.mergedAt)
  )
  const pullOf = new Map<string, PullRequestRecord | undefined>(byMergeCommit)
  unexplained.forEach((c, i) => pullOf.set(c.sha, found[i]))

  const groups = new Map<string, { commits: CommitRecord[]; pull?: PullRequestRecord }>()
  for (const c of chain) {
    const pull = pullOf.get(c.sha)
    const key = pull ? `#${pull.number}` : c.sha
    const group = groups.get(key)
    if (group) group.commits.push(c)
    else groups.set(key, { commits: [c], pull })
  }
  const required = options.requiredChecks ?? []
  return mapPooled([...groups.values()], IN_FLIGHT, async ({ commits, pull }) => {
    const ref = pull?.headSha ?? commits[0]!.sha
    const reviews = pull ? await github.reviews(pull.number) : []
    const checks = await github.checkRuns(ref)
    const names = new Set(checks.map(c => c.name))
    if (required.some(name => !names.has(name))) checks.push(...(await github.commitStatuses(ref)))
    return { commits, pull, reviews, checks }
  })
}
