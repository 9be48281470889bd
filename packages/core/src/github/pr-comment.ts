import { ConfigurationError } from '../runtime/errors.js'
import type { Logger } from '../runtime/logger.js'
import { apiMessageOf, httpStatusOf, isRateLimitError, type GitHubClient } from './octokit.js'

/** GitHub refuses issue comments longer than this many characters. */
export const MAX_COMMENT_LENGTH = 65_536

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

export function commentMarker(marker: string): string {
  if (!/^[A-Za-z0-9._-]{1,64}$/.test(marker)) {
    throw new ConfigurationError(`Comment marker '${marker}' may only hold letters, digits, '.', '_' and '-'`)
  }
  return `<!-- secure-pipeline:${marker} -->`
}

/**
 * Marker line + body, cut to GitHub's limit. The cut never splits a surrogate pair and closes a code
 * fence left open, so the truncated comment still renders.
 */
export function composeCommentBody(
  marker: string,
  body: string,
  note = 'see the job summary for the full report'
): { text: string; truncated: boolean } {
  const head = `${commentMarker(marker)}\n`
  const full = head + body
  if (full.length <= MAX_COMMENT_LENGTH) return { text: full, truncated: false }
  const tail = (omitted: number) =>
    `\n\n---\n_Truncated: ${omitted.toLocaleString('en-US')} characters omitted; ${note}._`
  // Reserve room for the tail with the largest omitted count it could show, and for closing a fence.
  const reserve = tail(body.length).length + '\n```'.length
  let keep = MAX_COMMENT_LENGTH - head.length - reserve
  if (keep < 0) throw new ConfigurationError('The truncation note is longer than a whole GitHub comment')
  const code = body.charCodeAt(keep - 1)
  if (code >= 0xd800 && code <= 0xdbff) keep -= 1
  let kept = body.slice(0, keep)
  if ((kept.match(/^\s*(```|~~~)/gm) ?? []).length % 2 === 1) kept += '\n```'
  return { text: head + kept + tail(body.length - keep), truncated: true }
}

function permissionProblem(error: unknown): string | undefined {
  if (httpStatusOf(error) !== 403 || isRateLimitError(error)) return undefined
  return (
    `GitHub refused the PR comment (403: ${apiMessageOf(error)}). A fork pull request or a workflow without ` +
    "'permissions: pull-requests: write' gets a read-only token; the report is still in the job summary."
  )
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
  try {
    const comments = await octokit.paginate(octokit.rest.issues.listComments, {
      owner,
      repo,
      issue_number: issueNumber,
      per_page: 100
    })
    // Only a comment that STARTS with our marker counts, and only one our identity wrote: anyone can
    // paste the marker into a comment of their own, and editing it would put our verdict under their name.
    const candidates = comments.filter(c => c.body?.startsWith(marker) && writtenBy(c.user, options.author))
    const ours = candidates.find(c => c.user?.login === GITHUB_ACTIONS_BOT) ?? candidates[0]
    if (ours) {
      if (ours.body === text) {
        logger.info(`PR comment ${ours.html_url} is already up to date`)
        return { status: 'updated', commentId: ours.id, url: ours.html_url, truncated }
      }
      const { data } = await octokit.rest.issues.updateComment({
        owner,
        repo,
        comment_id: ours.id,
        body: text
      })
      logger.info(`Updated PR comment ${data.html_url}`)
      return { status: 'updated', commentId: data.id, url: data.html_url, truncated }
    }
    const { data } = await octokit.rest.issues.createComment({
      owner,
      repo,
      issue_number: issueNumber,
      body: text
    })
    logger.info(`Created PR comment ${data.html_url} as ${data.user?.login ?? 'an unknown user'}`)
    return { status: 'created', commentId: data.id, url: data.html_url, truncated }
  } catch (error) {
    const reason = permissionProblem(error)
    if (!reason) throw error
    logger.warning(reason)
    return { status: 'skipped', reason }
  }
}
