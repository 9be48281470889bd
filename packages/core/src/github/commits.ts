import type { RepoRef } from './context.js'
import type { GitHubClient } from './octokit.js'

export interface CommitRecord {
  sha: string
  parents: string[]
  /** The GitHub account of the author, when GitHub could tell. */
  author?: string
  authorName: string
  /** Committer date: when the commit was made (a rebase or squash makes it on merge). */
  date: string
  /** The first line of the message. */
  subject: string
}

/**
 * The commits reachable from `tip` made in the window, newest first, 100 per request. `tip` is a commit
 * id (a branch's, from `branchTip`): GitHub resolves a bare name the way git does, a tag of the same name
 * before the branch, so a tag named like the branch could choose the history listed.
 */
export async function listCommits(
  octokit: GitHubClient,
  repo: RepoRef,
  options: { tip: string; since: Date; until: Date }
): Promise<CommitRecord[]> {
  if (!/^[0-9a-f]{40}(?:[0-9a-f]{24})?$/i.test(options.tip))
    throw new Error(`listCommits needs a commit id, not a name: ${JSON.stringify(options.tip)}`)
  const commits = await octokit.paginate(octokit.rest.repos.listCommits, {
    ...repo,
    sha: options.tip,
    since: options.since.toISOString(),
    until: options.until.toISOString(),
    per_page: 100
  })
  return commits.map(commitRecordOf)
}

type ApiCommit = Awaited<ReturnType<GitHubClient['rest']['repos']['listCommits']>>['data'][number]

/** A commit as the commits and compare endpoints give it. */
export function commitRecordOf(c: ApiCommit): CommitRecord {
  return {
    sha: c.sha,
    parents: c.parents.map(p => p.sha),
    author: c.author && 'login' in c.author ? c.author.login : undefined,
    authorName: c.commit.author?.name ?? 'unknown',
    date: c.commit.committer?.date ?? c.commit.author?.date ?? '',
    subject: c.commit.message.split('\n', 1)[0] ?? ''
  }
}
