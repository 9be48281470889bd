import { readActionsContext } from '../github/context.js'
import { Git } from '../github/git.js'
import { resolvePullRequestBase, type PullRequestBase } from '../github/pull-request-base.js'
import type { Logger } from '../runtime/logger.js'

/**
 * The base of the change the runner's event is about: the merge-base on pull_request, `base_sha` on
 * merge_group, undefined on other events and outside Actions (no event at all).
 */
export async function changeBaseFromEnv(
  env: Record<string, string | undefined>,
  workspace: string,
  logger: Logger
): Promise<PullRequestBase | undefined> {
  if (!env.GITHUB_EVENT_NAME) return undefined
  return resolvePullRequestBase(readActionsContext(env), workspace, logger)
}

/** Which of these workspace paths the repository tracks: committed files, not this run's outputs. */
export function committedFilesIn(
  workspace: string,
  env: Record<string, string | undefined>
): (files: readonly string[]) => Promise<ReadonlySet<string>> {
  return files => Git.trackedFiles(workspace, files, { env })
}
