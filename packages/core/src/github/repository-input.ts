import { ConfigurationError } from '../runtime/errors.js'
import type { RepoRef } from './context.js'

/*
 * Repository names, refs and paths given as inputs, checked before they go into an API URL. Kept apart
 * from the API client so checking inputs does not load it.
 */

/** Branches, tags and commit SHAs: no `..`, no leading `-` or `/`, nothing a URL or git would reinterpret. */
const REF = /^(?!-)(?!\/)(?!.*\.\.)(?!.*\/\/)[A-Za-z0-9._/-]{1,200}(?<!\/)(?<!\.lock)$/

export function assertRef(ref: string, inputName: string): void {
  if (!REF.test(ref))
    throw new ConfigurationError(
      `Input '${inputName}' ('${ref}') is not a branch, tag or commit SHA: use letters, digits, '.', '_', '-' and '/'.`
    )
}

/** A repository-relative file path: no leading '/', no `..` part, no NUL. */
export function assertRepositoryPath(file: string, inputName: string): void {
  const parts = file.split('/')
  if (file === '' || file.startsWith('/') || file.includes('\0') || parts.some(p => p === '..' || p === ''))
    throw new ConfigurationError(
      `Input '${inputName}' ('${file}') must be a path inside the repository, like .github/secure-pipeline.yml.`
    )
}

/** `owner/repo` as an input gives it. */
export function parseRepositoryInput(value: string, inputName: string): RepoRef {
  const match = /^([A-Za-z0-9_.-]+)\/([A-Za-z0-9_.-]+)$/.exec(value.trim())
  if (!match || match[1]!.startsWith('.') || match[2] === '.' || match[2] === '..')
    throw new ConfigurationError(`Input '${inputName}' ('${value}') must be a repository written owner/repo.`)
  return { owner: match[1]!, repo: match[2]! }
}
