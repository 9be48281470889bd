import { ConfigurationError } from '../runtime/errors.js'
import type { RepoRef } from './context.js'
import { apiMessageOf, httpStatusOf, isRateLimitError, type GitHubClient } from './octokit.js'

export interface RepositoryFileOptions {
  octokit: GitHubClient
  repository: RepoRef
  path: string
  /** Branch, tag or commit; the repository's default branch when absent. */
  ref?: string
  /** Larger files are refused (default 1 MiB: the contents API inlines files up to that size). */
  maxBytes?: number
}

export interface RepositoryFile {
  /** undefined when the repository has no such file at that ref. */
  text: string | undefined
  /** Where it was read, e.g. `octo-org/policies@main:secure-pipeline.yml`. */
  origin: string
  /** The git blob sha GitHub reports for it. */
  blobSha?: string
}

export interface RepositoryFileContent {
  text: string
  /** The git blob sha of the file. */
  sha: string
}

function cannotRead(options: RepositoryFileOptions, error: unknown, problem?: string): ConfigurationError {
  const { owner, repo } = options.repository
  return new ConfigurationError(
    `${problem ?? `The token cannot read ${owner}/${repo}`} (${httpStatusOf(error)}: ${apiMessageOf(error)}). GITHUB_TOKEN reads only the repository of the workflow; give a token with 'contents: read' on ${owner}/${repo}.`
  )
}

/**
 * A 404 is GitHub's answer for a missing file, but also for a ref that does not exist and for a private
 * repository the token cannot see: only the first is "no such file", the others are the user's to fix.
 */
async function missingFile(options: RepositoryFileOptions, error: unknown): Promise<undefined> {
  const { octokit, repository } = options
  const where = `${repository.owner}/${repository.repo}`
  if (/no commit found for the ref/i.test(apiMessageOf(error)))
    throw new ConfigurationError(
      `${where} has no branch, tag or commit '${options.ref ?? ''}' (404: ${apiMessageOf(error)}).`
    )
  try {
    await octokit.request('GET /repos/{owner}/{repo}', { ...repository })
  } catch (lookup) {
    if (httpStatusOf(lookup) === 404)
      throw cannotRead(options, lookup, `${where} does not exist or the token cannot see it`)
    throw lookup
  }
  return undefined
}

/**
 * One file of a repository at a ref, through the contents API: undefined when there is no such file
 * (404). A directory, a symbolic link or a submodule at the path is not a file and is refused.
 */
export async function readRepositoryFile(
  options: RepositoryFileOptions
): Promise<RepositoryFileContent | undefined> {
  const { octokit, repository } = options
  const maxBytes = options.maxBytes ?? 1024 * 1024
  let data: unknown
  try {
    // `{+path}` keeps the slashes: an encoded `%2F` is refused for fine-grained tokens (octokit.js#2422).
    const response = await octokit.request('GET /repos/{owner}/{repo}/contents/{+path}', {
      owner: repository.owner,
      repo: repository.repo,
      path: options.path.split('/').map(encodeURIComponent).join('/'),
      ...(options.ref ? { ref: options.ref } : {})
    })
    data = response.data
  } catch (error) {
    const status = httpStatusOf(error)
    if (status === 404) return missingFile(options, error)
    if ((status === 401 || status === 403) && !isRateLimitError(error)) throw cannotRead(options, error)
    throw error
  }
  const where = `${repository.owner}/${repository.repo}:${options.path}`
  const file = data as { type?: string; encoding?: string; content?: string; size?: number; sha?: string }
  if (Array.isArray(data) || file.type !== 'file')
    throw new ConfigurationError(
      `${where} is a ${Array.isArray(data) ? 'directory' : (file.type ?? 'thing')}, not a file.`
    )
  if ((file.size ?? 0) > maxBytes || file.encoding !== 'base64' || typeof file.content !== 'string')
    throw new ConfigurationError(`${where} is ${file.size ?? '?'} bytes, over the ${maxBytes}-byte limit.`)
  return { text: Buffer.from(file.content, 'base64').toString('utf8'), sha: file.sha ?? '' }
}
