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

/** The commits reachable from `branch` made in the window, newest first, 100 per request. */
export async function listCommits(
  octokit: GitHubClient,
  repo: RepoRef,
  options: { branch: string; since: Date; until: Date }
): Promise<CommitRecord[]> {
  const commits = await octokit.paginate(octokit.rest.repos.listCommits, {
    ...repo,
    sha: options.branch,
    since: options.since.toISOString(),
    until: options.until.toISOString(),
    per_page: 100
  })
  return commits.map(c => ({
    sha: c.sha,
    parents: c.parents.map(p => p.sha),
    author: c.author && 'login' in c.author ? c.author.login : undefined,
    authorName: c.commit.author?.name ?? 'unknown',
    date: c.commit.committer?.date ?? c.commit.author?.date ?? '',
    subject: c.commit.message.split('\n', 1)[0] ?? ''
  }))
}
