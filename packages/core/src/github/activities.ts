import type { RepoRef } from './context.js'
import { apiMessageOf, httpStatusOf, type GitHubClient } from './octokit.js'
import { readIfPermitted, type Readable } from './readable.js'

/** What GitHub did to a ref: its `activity_type`. */
export type ActivityType =
  'push' | 'force_push' | 'branch_creation' | 'branch_deletion' | 'pr_merge' | 'merge_queue_merge'

/** One update of a branch as GitHub recorded it. */
export interface BranchActivity {
  type: ActivityType
  /** The commit the branch pointed to before, and after; forty zeros when it did not exist. */
  before: string
  after: string
  /** GitHub's own time of the update: whoever pushed cannot set it, unlike a commit's dates. */
  at: string
  actor?: string
}

/** A `before` or `after` of a branch that did not exist on that side of the update. */
export const isNullSha = (sha: string) => /^0+$/.test(sha)

/**
 * The updates of `branch` GitHub recorded from `since` to `until`, newest first: 100 per request, up to the
 * first page that reaches past `since` (the list follows cursors in its Link header). Unavailable, not
 * failed, on a 403 or a 404: the token lacks 'contents: read', or this GitHub Enterprise Server has no
 * activity list; and on a server error the client's retries did not get past. The push times only check
 * the records the commits give: losing them to an outage of one endpoint must not lose the records too.
 */
export async function listBranchActivities(
  octokit: GitHubClient,
  repo: RepoRef,
  options: { branch: string; since: Date; until: Date }
): Promise<Readable<BranchActivity[]>> {
  try {
    return await readBranchActivities(octokit, repo, options)
  } catch (error) {
    const status = httpStatusOf(error)
    if (status === undefined || status < 500) throw error
    return {
      status: 'unavailable',
      reason: `${status}: ${apiMessageOf(error)}; GitHub's activity list failed after retries`
    }
  }
}

function readBranchActivities(
  octokit: GitHubClient,
  repo: RepoRef,
  options: { branch: string; since: Date; until: Date }
): Promise<Readable<BranchActivity[]>> {
  const since = options.since.getTime()
  const until = options.until.getTime()
  return readIfPermitted(async () => {
    const found: BranchActivity[] = []
    const pages = octokit.paginate.iterator(octokit.rest.repos.listActivities, {
      ...repo,
      ref: `refs/heads/${options.branch}`,
      direction: 'desc',
      per_page: 100
    })
    for await (const { data } of pages) {
      let older = false
      for (const a of data) {
        const at = Date.parse(a.timestamp)
        if (at < since) older = true
        else if (at <= until)
          found.push({
            type: a.activity_type,
            before: a.before,
            after: a.after,
            at: a.timestamp,
            actor: a.actor?.login
          })
      }
      if (older) break
    }
    return found
  }, "the branch's push times need a token with 'contents: read' and a GitHub that lists repository activity")
}
