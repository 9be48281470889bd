import { commitRecordOf, type CommitRecord } from './commits.js'
import type { RepoRef } from './context.js'
import { httpStatusOf, type GitHubClient } from './octokit.js'

/**
 * The commit a branch points to, or undefined when there is no such branch. Read from the branches
 * endpoint, which knows only branches: a bare name elsewhere (compare, commits) may resolve to a tag of
 * the same name first, as git resolves it, and a tag can point anywhere.
 */
export async function branchTip(
  octokit: GitHubClient,
  repo: RepoRef,
  branch: string
): Promise<string | undefined> {
  try {
    const { data } = await octokit.rest.repos.getBranch({ ...repo, branch })
    return data.commit.sha
  } catch (error) {
    if (httpStatusOf(error) === 404) return undefined
    throw error
  }
}

/**
 * Whether `sha` is `tip` or one of its ancestors: GitHub's comparison `tip...sha` says `identical` or
 * `behind`. Compared as commit ids, so no ref name can be taken for another. One commit per page keeps the
 * answer small (a commit behind the tip lists none anyway). GitHub answers 404 for a commit it does not
 * know and for one with no history in common with the tip: neither is on the branch. Any other failure
 * propagates, so that a caller cannot mistake "GitHub could not say" for "yes".
 */
export async function inHistoryOf(
  octokit: GitHubClient,
  repo: RepoRef,
  commits: { tip: string; sha: string }
): Promise<boolean> {
  try {
    const { data } = await octokit.rest.repos.compareCommitsWithBasehead({
      ...repo,
      basehead: `${commits.tip}...${commits.sha}`,
      per_page: 1
    })
    return data.status === 'identical' || data.status === 'behind'
  } catch (error) {
    if (httpStatusOf(error) === 404) return false
    throw error
  }
}

const COMPARE_PAGE = 100

/**
 * The commits `head` has that `base` lacks (git's `base...head`), newest first, read by commit ids. GitHub
 * lists them oldest first, so past the first page the newest pages are read, at most `maxPages` in all:
 * `complete` is false when some were left unread. Undefined on a 404: GitHub knows one of the commits not,
 * or they share no history.
 */
export async function commitsAhead(
  octokit: GitHubClient,
  repo: RepoRef,
  commits: { base: string; head: string; maxPages: number }
): Promise<{ commits: CommitRecord[]; complete: boolean } | undefined> {
  const read = (page: number) =>
    octokit.rest.repos.compareCommitsWithBasehead({
      ...repo,
      basehead: `${commits.base}...${commits.head}`,
      per_page: COMPARE_PAGE,
      page
    })
  try {
    const first = (await read(1)).data
    const pages = Math.ceil(first.total_commits / COMPARE_PAGE)
    const later: CommitRecord[][] = []
    for (let page = pages; page > 1 && later.length + 1 < commits.maxPages; page--)
      later.push((await read(page)).data.commits.map(commitRecordOf).reverse())
    const newestFirst = [...later.flat(), ...first.commits.map(commitRecordOf).reverse()]
    return { commits: newestFirst, complete: later.length + 1 >= pages }
  } catch (error) {
    if (httpStatusOf(error) === 404) return undefined
    throw error
  }
}
