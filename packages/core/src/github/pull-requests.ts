import type { RepoRef } from './context.js'
import type { GitHubClient } from './octokit.js'

export interface PullRequestRecord {
  number: number
  title: string
  author: string
  /** The opener's account type: `Bot` for a GitHub App or GITHUB_TOKEN, which no person can open one as. */
  authorType?: string
  url: string
  headRef: string
  /** `owner/repo` of the head branch: a fork's differs from the base's; absent once the fork is deleted. */
  headRepository?: string
  headSha: string
  baseRef: string
  mergedAt?: string
  mergedBy?: string
  mergeCommitSha?: string
  /** The description, cut to its first 4 KiB: enough to find the commit a bump PR promotes. */
  body: string
}

const BODY_KEPT = 4096

type ApiPull = {
  number: number
  title: string
  html_url: string
  user: { login: string; type?: string } | null
  head: { ref: string; sha: string; repo?: { full_name: string } | null }
  base: { ref: string }
  merged_at: string | null
  merge_commit_sha: string | null
  body?: string | null
}

function record(p: ApiPull): PullRequestRecord {
  return {
    number: p.number,
    title: p.title,
    author: p.user?.login ?? 'ghost',
    authorType: p.user?.type,
    url: p.html_url,
    headRef: p.head.ref,
    headRepository: p.head.repo?.full_name,
    headSha: p.head.sha,
    baseRef: p.base.ref,
    mergedAt: p.merged_at ?? undefined,
    mergeCommitSha: p.merge_commit_sha ?? undefined,
    body: (p.body ?? '').slice(0, BODY_KEPT)
  }
}

/**
 * Pull requests merged into `base` since `since`, most recently updated first: the list is sorted by
 * update time, so the first page whose oldest entry was last updated before `since` is the last one read.
 */
export async function listMergedPullRequests(
  octokit: GitHubClient,
  repo: RepoRef,
  options: { base?: string; since: Date; until: Date }
): Promise<PullRequestRecord[]> {
  const since = options.since.getTime()
  const until = options.until.getTime()
  const merged: PullRequestRecord[] = []
  const pages = octokit.paginate.iterator(octokit.rest.pulls.list, {
    ...repo,
    state: 'closed',
    ...(options.base ? { base: options.base } : {}),
    sort: 'updated',
    direction: 'desc',
    per_page: 100
  })
  for await (const { data } of pages) {
    let older = false
    for (const p of data) {
      if (Date.parse(p.updated_at) < since) older = true
      if (!p.merged_at) continue
      const at = Date.parse(p.merged_at)
      if (at >= since && at <= until) merged.push(record(p))
    }
    if (older) break
  }
  return merged
}

/** The merged pull requests a commit belongs to (a rebase merge puts several commits on the branch). */
export async function pullRequestsForCommit(
  octokit: GitHubClient,
  repo: RepoRef,
  sha: string
): Promise<PullRequestRecord[]> {
  const { data } = await octokit.rest.repos.listPullRequestsAssociatedWithCommit({
    ...repo,
    commit_sha: sha,
    per_page: 100
  })
  return data.filter(p => p.merged_at).map(p => record(p as ApiPull))
}

export interface ReviewRecord {
  reviewer: string
  state: string
  submittedAt?: string
  commitId?: string
}

export async function listReviews(
  octokit: GitHubClient,
  repo: RepoRef,
  pullNumber: number
): Promise<ReviewRecord[]> {
  const reviews = await octokit.paginate(octokit.rest.pulls.listReviews, {
    ...repo,
    pull_number: pullNumber,
    per_page: 100
  })
  return reviews.map(r => ({
    reviewer: r.user?.login ?? 'ghost',
    state: r.state,
    submittedAt: r.submitted_at ?? undefined,
    commitId: r.commit_id ?? undefined
  }))
}
