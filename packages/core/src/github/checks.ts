import type { RepoRef } from './context.js'
import type { GitHubClient } from './octokit.js'

/** A check run or a commit status, by the name a branch protection requires it under. */
export interface CheckRecord {
  name: string
  /** Check runs: queued/in_progress/completed; statuses: the state (success, failure, error, pending). */
  status: string
  /** success, failure, neutral, skipped, cancelled, timed_out, action_required, stale, or a status state. */
  conclusion: string | null
  kind: 'check-run' | 'status'
}

/** The latest check run of each name on a commit. */
export async function listCheckRuns(
  octokit: GitHubClient,
  repo: RepoRef,
  ref: string
): Promise<CheckRecord[]> {
  const runs = await octokit.paginate(octokit.rest.checks.listForRef, {
    ...repo,
    ref,
    filter: 'latest',
    per_page: 100
  })
  return runs.map(r => ({ name: r.name, status: r.status, conclusion: r.conclusion, kind: 'check-run' }))
}

/** GitHub pages a commit's combined status by `page` alone: no link header says whether more follow. */
const STATUS_PAGE = 100
/** A bound on a runaway `total_count`: 5,000 contexts on one commit is no pipeline's. */
const MAX_STATUS_PAGES = 50

/** The latest commit status of each context on a commit (the older status API some CI systems use). */
export async function listCommitStatuses(
  octokit: GitHubClient,
  repo: RepoRef,
  ref: string
): Promise<CheckRecord[]> {
  const records: CheckRecord[] = []
  for (let page = 1; page <= MAX_STATUS_PAGES; page++) {
    const { data } = await octokit.rest.repos.getCombinedStatusForRef({
      ...repo,
      ref,
      per_page: STATUS_PAGE,
      page
    })
    for (const s of data.statuses)
      records.push({ name: s.context, status: s.state, conclusion: s.state, kind: 'status' })
    if (data.statuses.length < STATUS_PAGE || records.length >= data.total_count) break
  }
  return records
}
