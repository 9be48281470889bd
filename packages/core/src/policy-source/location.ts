import * as path from 'node:path'
import type { RepoRef } from '../github/context.js'
import { assertRef, assertRepositoryPath, parseRepositoryInput } from '../github/repository-input.js'
import type { TrustSource } from '../github/trusted-file.js'
import { ConfigurationError } from '../runtime/errors.js'
import { resolveInWorkspace } from '../runtime/paths.js'

/** A policy kept in another repository (org-required workflows), read through the contents API. */
export interface CentralPolicy {
  repository: RepoRef
  /** Branch, tag or commit; the repository's default branch when absent. */
  ref?: string
  /** The inputs that named the repository and the ref, for errors. */
  inputNames?: { repository: string; ref: string }
}

export interface PolicyLocation {
  /** Repository-relative path: in the workspace, or in the central repository. */
  path: string
  /** The user named it, so it must exist; the default path may be absent (built-in defaults). */
  explicit: boolean
  /** On pull_request and merge_group: which version decides, the merge-base's or the PR's own. */
  source: TrustSource
  /** When set it decides, whatever the pull request has. */
  central?: CentralPolicy
  /** The input that named the path, for errors. */
  inputName: string
}

/**
 * The repository-relative path git knows the file by. Taken from the words the user wrote, not from
 * the checkout's links: a pull request that turns `.github` into a link must not move the lookup to a
 * path the base never had (and so to the defaults).
 */
export function policyPathInRepository(inputName: string, userPath: string, workspace: string): string {
  resolveInWorkspace(inputName, userPath, workspace)
  const relative = path.relative(path.resolve(workspace), path.resolve(workspace, userPath))
  if (relative === '' || relative.startsWith('..') || path.isAbsolute(relative))
    throw new ConfigurationError(
      `Input '${inputName}' (${userPath}) must name a file inside the repository, relative to its root.`
    )
  return relative.split(path.sep).join('/')
}

/** Where a central policy is read, as errors and the evidence name it: `owner/repo@ref:path`. */
export function centralOrigin(repository: RepoRef, path: string, ref: string | undefined): string {
  return `${repository.owner}/${repository.repo}${ref ? `@${ref}` : ''}:${path}`
}

/**
 * The central policy the inputs name, checked before anything is read: a repository written owner/repo
 * and a ref that cannot leave the repository's refs. undefined when no repository is named.
 */
export function centralPolicyFrom(
  inputs: { repository?: string; ref?: string; path: string; token?: string },
  names: { repository: string; ref: string; path: string; token?: string }
): CentralPolicy | undefined {
  if (inputs.repository === undefined) {
    refuseWithoutRepository(inputs, names)
    return undefined
  }
  assertRepositoryPath(inputs.path, names.path)
  if (inputs.ref !== undefined) assertRef(inputs.ref, names.ref)
  return {
    repository: parseRepositoryInput(inputs.repository, names.repository),
    ref: inputs.ref,
    inputNames: { repository: names.repository, ref: names.ref }
  }
}

/**
 * A ref or a policy token without the repository they are for: whoever set a token expects the central
 * policy to decide, and the workspace's own (or the defaults) would decide without a word.
 */
function refuseWithoutRepository(
  inputs: { ref?: string; token?: string },
  names: { repository: string; ref: string; token?: string }
): void {
  if (inputs.ref !== undefined)
    throw new ConfigurationError(
      `Input '${names.ref}' is only read with '${names.repository}'; set both or neither.`
    )
  if (inputs.token !== undefined && names.token !== undefined)
    throw new ConfigurationError(
      `Input '${names.token}' is set but '${names.repository}' is empty, so no central policy is read with it; set '${names.repository}' to the policy's owner/repo, or remove '${names.token}'.`
    )
}
