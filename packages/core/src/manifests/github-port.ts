import type { RepoRef } from '../github/context.js'
import { GitData } from '../github/git-data.js'
import { createOctokit, type CreateOctokitOptions } from '../github/octokit.js'
import type { Logger } from '../runtime/logger.js'

export interface BumpGitHubOptions {
  token: string
  tokenInput: string
  env: Record<string, string | undefined>
  logger: Logger
  /** Test seams for the API double: time scale and retry counts. */
  octokit?: Partial<CreateOctokitOptions>
}

/** The Git Data and pulls client for a repository, on one Octokit made when first needed. */
export function bumpGitHub(options: BumpGitHubOptions): (repository: RepoRef) => GitData {
  let octokit: ReturnType<typeof createOctokit> | undefined
  return repository => {
    octokit ??= createOctokit({
      token: options.token,
      tokenInput: options.tokenInput,
      logger: options.logger,
      env: options.env,
      ...options.octokit
    })
    return new GitData({ octokit, repository, tokenInput: options.tokenInput })
  }
}
