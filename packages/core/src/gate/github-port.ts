import { uploadSarif } from '../github/code-scanning.js'
import { readRepositoryFile } from '../github/contents.js'
import {
  isForkPullRequest,
  pullRequestNumber,
  readActionsContext,
  type ActionsContext
} from '../github/context.js'
import { createOctokit, type CreateOctokitOptions } from '../github/octokit.js'
import { resolveCommentAuthor, upsertPullRequestComment, type CommentAuthor } from '../github/pr-comment.js'
import { getErrorMessage } from '../runtime/errors.js'
import type { Logger } from '../runtime/logger.js'
import type { RepositoryFile } from '../github/contents.js'
import type { GateGitHub, ReportingStatus } from './ports.js'

export const GATE_COMMENT_MARKER = 'gate'

export interface GateGitHubOptions {
  token: string
  env: Record<string, string | undefined>
  logger: Logger
  /** Test seams for the API double: time scale and retry counts. */
  octokit?: Partial<CreateOctokitOptions>
  context?: ActionsContext
}

/**
 * The gate's GitHub side effects and reads. The comment and the upload degrade instead of failing the
 * run: reporting is separate from gating, and a fork PR or a repository without GHAS is a normal situation.
 * Without a repository context (a run outside Actions) only reading another repository's file works.
 */
export function createGateGitHub(options: GateGitHubOptions): GateGitHub {
  const { logger } = options
  let context: ActionsContext | undefined
  try {
    context = options.context ?? readActionsContext(options.env)
  } catch (error) {
    logger.warning(`No repository context, so no PR comment or upload: ${getErrorMessage(error)}`)
  }
  const octokit = createOctokit({ token: options.token, logger, env: options.env, ...options.octokit })
  const issueNumber = context ? pullRequestNumber(context) : undefined
  let author: Promise<CommentAuthor> | undefined
  return {
    canComment: issueNumber !== undefined,
    async upsertComment(body: string): Promise<ReportingStatus> {
      if (!context || issueNumber === undefined) return { status: 'skipped', detail: 'not a pull request' }
      try {
        author ??= resolveCommentAuthor(octokit)
        const r = await upsertPullRequestComment({
          octokit,
          owner: context.repo.owner,
          repo: context.repo.repo,
          issueNumber,
          marker: GATE_COMMENT_MARKER,
          body,
          logger,
          truncationNote: 'the full report is in the job summary',
          author: await author
        })
        if (r.status === 'skipped') {
          const why = isForkPullRequest(context)
            ? `${r.reason} (pull request from a fork: the token is read-only)`
            : r.reason
          return { status: 'skipped', detail: why }
        }
        return { status: 'done', detail: `${r.status} ${r.url}` }
      } catch (error) {
        return { status: 'failed', detail: getErrorMessage(error) }
      }
    },
    async uploadSarif(sarif: string): Promise<ReportingStatus> {
      if (!context) return { status: 'unavailable', detail: 'no repository context' }
      try {
        const r = await uploadSarif({
          octokit,
          owner: context.repo.owner,
          repo: context.repo.repo,
          sarif,
          commitSha: context.sha,
          ref: context.ref,
          logger
        })
        if (r.status === 'unavailable') return { status: 'unavailable', detail: r.reason }
        return { status: 'done', detail: `uploaded as ${r.sarifId}` }
      } catch (error) {
        return { status: 'failed', detail: getErrorMessage(error) }
      }
    },
    async readRepositoryFile(repository, path, ref): Promise<RepositoryFile> {
      const origin = `${repository.owner}/${repository.repo}${ref ? `@${ref}` : ''}:${path}`
      const file = await readRepositoryFile({ octokit, repository, path, ref })
      return { text: file?.text, origin, blobSha: file?.sha }
    }
  }
}
