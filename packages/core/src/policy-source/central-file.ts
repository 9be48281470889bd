import { readRepositoryFile } from '../github/contents.js'
import { createOctokit, type CreateOctokitOptions } from '../github/octokit.js'
import type { Logger } from '../runtime/logger.js'
import { centralOrigin } from './location.js'
import type { ReadCentralFile } from './resolve.js'

/*
 * The GitHub client behind a central policy, for an action that calls the API for nothing else. It loads
 * Octokit: import this file only when a central policy is named.
 */

export interface CentralPolicyReaderOptions {
  token: string
  /** The input that holds the token, named when it is empty. */
  tokenInput: string
  env: Record<string, string | undefined>
  logger: Logger
  /** Test seams for the API double: time scale and retry counts. */
  octokit?: Partial<CreateOctokitOptions>
}

/**
 * Reads a central policy file through the contents API, as the gate does: the origin is written
 * `owner/repo@ref:path` (`owner/repo:path` on the default branch). The token is registered as a secret
 * (masked in the log) when the client is made, and goes nowhere but the API's Authorization header.
 */
export function createCentralPolicyReader(options: CentralPolicyReaderOptions): ReadCentralFile {
  const octokit = createOctokit({
    token: options.token,
    tokenInput: options.tokenInput,
    logger: options.logger,
    env: options.env,
    ...options.octokit
  })
  return async (repository, path, ref) => {
    const origin = centralOrigin(repository, path, ref)
    const file = await readRepositoryFile({ octokit, repository, path, ref })
    return { text: file?.text, origin, blobSha: file?.sha }
  }
}
