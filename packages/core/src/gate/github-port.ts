import { uploadSarif } from '../github/code-scanning.js'
import {
  isForkPullRequest,
  pullRequestNumber,
  readActionsContext,
  type ActionsContext
} from '../github/context.js'
import { Git } from '../github/git.js'
import { createOctokit, type CreateOctokitOptions } from '../github/octokit.js'
import { resolveCommentAuthor, upsertPullRequestComment, type CommentAuthor } from '../github/pr-comment.js'
import { sarifUploadTarget } from '../github/upload-target.js'
import { sha256Hex } from '../findings/sha256.js'
import { getErrorMessage } from '../runtime/errors.js'
import type { Logger } from '../runtime/logger.js'
import { createCentralPolicyReader } from '../policy-source/central-file.js'
import type { ReadCentralFile } from '../policy-source/resolve.js'
import type { GateGitHub, ReportingStatus } from './ports.js'

/**
 * Each gate keeps its own comment: the workflow, the job and the caller's key (a matrix leg's image)
 * name it, so a passing gate never overwrites the verdict of another that failed on the same pull request.
 */
export function gateCommentMarker(env: Record<string, string | undefined>, key = ''): string {
  const identity = [env.GITHUB_WORKFLOW ?? '', env.GITHUB_JOB ?? '', key]
  if (identity.every(part => part === '')) return 'gate'
  return `gate-${sha256Hex(identity.join('\u0000')).slice(0, 16)}`
}

export interface GateGitHubOptions {
  /** Comments and uploads; empty skips them. */
  token: string
  /** Reads the central policy (policy-repository); default `token`. */
  policyToken?: string
  /** Told apart from other gates' comments on the same pull request (see gateCommentMarker). */
  commentKey?: string
  env: Record<string, string | undefined>
  /** The checkout the reports were read from: the upload is filed under its commit. */
  workspace?: string
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
  const client = (token: string) => createOctokit({ token, logger, env: options.env, ...options.octokit })
  const octokit = options.token ? client(options.token) : undefined
  // A token scoped to the policy repository alone could neither comment nor upload here.
  // Made on the first read: most runs have no central policy.
  let readCentral: ReadCentralFile | undefined
  const centralReader = () =>
    (readCentral ??= createCentralPolicyReader({
      token: options.policyToken || options.token,
      tokenInput: options.policyToken ? 'policy-token' : 'token',
      env: options.env,
      logger,
      octokit: options.octokit
    }))
  const marker = gateCommentMarker(options.env, options.commentKey)
  const issueNumber = context ? pullRequestNumber(context) : undefined
  let author: Promise<CommentAuthor> | undefined
  return {
    canComment: octokit !== undefined && issueNumber !== undefined,
    async upsertComment(body: string): Promise<ReportingStatus> {
      if (!octokit) return { status: 'skipped', detail: "input 'token' is empty" }
      if (!context || issueNumber === undefined) return { status: 'skipped', detail: 'not a pull request' }
      try {
        author ??= resolveCommentAuthor(octokit)
        const r = await upsertPullRequestComment({
          octokit,
          owner: context.repo.owner,
          repo: context.repo.repo,
          issueNumber,
          marker,
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
      if (!octokit) return { status: 'unavailable', detail: "input 'token' is empty" }
      try {
        const checkedOut = options.workspace
          ? await Git.headCommit(options.workspace, { env: options.env })
          : undefined
        const target = sarifUploadTarget(context, checkedOut)
        if (target.because)
          logger.info(`SARIF filed under ${target.ref}, ${target.commitSha}: ${target.because}`)
        const r = await uploadSarif({
          octokit,
          owner: context.repo.owner,
          repo: context.repo.repo,
          sarif,
          commitSha: target.commitSha,
          ref: target.ref,
          logger
        })
        if (r.status === 'unavailable') return { status: 'unavailable', detail: r.reason }
        return { status: 'done', detail: `uploaded as ${r.sarifId}` }
      } catch (error) {
        return { status: 'failed', detail: getErrorMessage(error) }
      }
    },
    readRepositoryFile: (repository, path, ref) => centralReader()(repository, path, ref)
  }
}
