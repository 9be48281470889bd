import { commentMarker, composeCommentBody, MAX_COMMENT_LENGTH } from './comment-body.js'
import type { Logger } from '../runtime/logger.js'
import {
  apiMessageOf,
  createAtMostOnce,
  httpStatusOf,
  isRateLimitError,
  NO_RETRY,
  type GitHubClient
} from './octokit.js'

export { commentMarker, composeCommentBody, MAX_COMMENT_LENGTH } from './comment-body.js'

export interface UpsertCommentOptions {
  octokit: GitHubClient
  owner: string
  repo: string
  issueNumber: number
  /** Identifies our comment among the others, e.g. 'gate'; letters, digits, '.', '_', '-'. */
  marker: string
  body: string
  logger: Logger
  /** Shown when the body had to be cut, e.g. "the full report is in the job summary". */
  truncationNote?: string
  /** Who the token comments as: only that identity's comments are ever edited (see resolveCommentAuthor). */
  author: CommentAuthor
}

/**
 * The identity whose comments are ours. A user token (PAT, OAuth, a GitHub App's user-to-server token)
 * is asked with `GET /user`. An installation token (GITHUB_TOKEN, or a GitHub App's) is refused there
 * with 403 "Resource not accessible by integration", and no REST call an installation token may make
 * names its App; its comments are authored by the App's bot account (`github-actions[bot]` for
 * GITHUB_TOKEN, `<app-slug>[bot]` otherwise), a Bot-type account no person can comment as.
 */
export type CommentAuthor = { kind: 'user'; login: string } | { kind: 'app' }

/** GITHUB_TOKEN's identity: preferred among bots, since it is the token the actions default to. */
export const GITHUB_ACTIONS_BOT = 'github-actions[bot]'

export async function resolveCommentAuthor(octokit: GitHubClient): Promise<CommentAuthor> {
  try {
    const { data } = await octokit.rest.users.getAuthenticated()
    return { kind: 'user', login: data.login }
  } catch (error) {
    if (httpStatusOf(error) === 403 && !isRateLimitError(error)) return { kind: 'app' }
    throw error
  }
}

interface CommentUser {
  login?: string
  type?: string
}

/** A comment only our own identity could have written; a person who pastes our marker never qualifies. */
function writtenBy(user: CommentUser | null | undefined, author: CommentAuthor): boolean {
  if (!user?.login) return false
  if (author.kind === 'user') return user.login.toLowerCase() === author.login.toLowerCase()
  return user.type === 'Bot' && user.login.endsWith('[bot]')
}

export type UpsertCommentResult =
  | { status: 'created' | 'updated'; commentId: number; url: string; truncated: boolean }
  | { status: 'skipped'; reason: string }

function permissionProblem(error: unknown): string | undefined {
  if (httpStatusOf(error) !== 403 || isRateLimitError(error)) return undefined
  return (
    `GitHub refused the PR comment (403: ${apiMessageOf(error)}). A fork pull request or a workflow without ` +
    "'permissions: pull-requests: write' gets a read-only token; the report is still in the job summary."
  )
}

/**
 * Two runs that both found no comment each create one; afterwards only the first would be edited,
 * and the other would show its old verdict (a stale "Passed") for ever. Only comments with our marker
 * by the very account of the one we keep go; a failure to remove one only warns.
 */
async function removeTwins(options: UpsertCommentOptions, twins: { id: number; html_url: string }[]) {
  for (const twin of twins) {
    try {
      await options.octokit.rest.issues.deleteComment({
        owner: options.owner,
        repo: options.repo,
        comment_id: twin.id
      })
      options.logger.info(`Removed duplicate PR comment ${twin.html_url}`)
    } catch (error) {
      options.logger.warning(`Could not remove duplicate PR comment ${twin.html_url}: ${apiMessageOf(error)}`)
    }
  }
}

/**
 * The edited comment, or undefined when it is gone (404): someone deleted it after the list was read,
 * and failing there would leave the pull request with no verdict at all.
 */
async function updateUnlessDeleted(options: UpsertCommentOptions, commentId: number, body: string) {
  try {
    const { data } = await options.octokit.rest.issues.updateComment({
      owner: options.owner,
      repo: options.repo,
      comment_id: commentId,
      body
    })
    return data
  } catch (error) {
    if (httpStatusOf(error) === 404) return undefined
    throw error
  }
}

/**
 * Keeps exactly one comment of ours per PR: finds it by its hidden marker (all pages), edits it in
 * place, or creates it. A read-only token (fork PR) is not an error: the comment is skipped.
 */
export async function upsertPullRequestComment(options: UpsertCommentOptions): Promise<UpsertCommentResult> {
  const { octokit, owner, repo, issueNumber, logger } = options
  const marker = commentMarker(options.marker)
  const { text, truncated } = composeCommentBody(options.marker, options.body, options.truncationNote)
  if (truncated) logger.warning(`PR comment cut to ${MAX_COMMENT_LENGTH} characters (GitHub's limit)`)
  const listOurs = async () => {
    const comments = await octokit.paginate(octokit.rest.issues.listComments, {
      owner,
      repo,
      issue_number: issueNumber,
      per_page: 100
    })
    // Only a comment that STARTS with our marker counts, and only one our identity wrote: anyone can
    // paste the marker into a comment of their own, and editing it would put our verdict under their name.
    return comments.filter(c => c.body?.startsWith(marker) && writtenBy(c.user, options.author))
  }
  try {
    const candidates = await listOurs()
    const ours = candidates.find(c => c.user?.login === GITHUB_ACTIONS_BOT) ?? candidates[0]
    if (ours) {
      const twins = candidates.filter(c => c.id !== ours.id && c.user?.login === ours.user?.login)
      await removeTwins(options, twins)
      if (ours.body === text) {
        logger.info(`PR comment ${ours.html_url} is already up to date`)
        return { status: 'updated', commentId: ours.id, url: ours.html_url, truncated }
      }
      const updated = await updateUnlessDeleted(options, ours.id, text)
      if (updated) {
        logger.info(`Updated PR comment ${updated.html_url}`)
        return { status: 'updated', commentId: updated.id, url: updated.html_url, truncated }
      }
      logger.info(`PR comment ${ours.html_url} was deleted during the run; posting the verdict anew`)
    }
    const known = new Set(candidates.map(c => c.id))
    const data = await createAtMostOnce(
      async () =>
        (
          await octokit.rest.issues.createComment({
            owner,
            repo,
            issue_number: issueNumber,
            body: text,
            request: NO_RETRY
          })
        ).data,
      async () => (await listOurs()).find(c => !known.has(c.id) && c.body === text)
    )
    logger.info(`Created PR comment ${data.html_url} as ${data.user?.login ?? 'an unknown user'}`)
    return { status: 'created', commentId: data.id, url: data.html_url, truncated }
  } catch (error) {
    const reason = permissionProblem(error)
    if (!reason) throw error
    logger.warning(reason)
    return { status: 'skipped', reason }
  }
}
