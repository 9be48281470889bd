import { existsSync, lstatSync, readFileSync, realpathSync } from 'node:fs'
import * as path from 'node:path'
import { ConfigurationError } from './errors.js'
import { containedDirectory } from './walk.js'

export function workspaceRoot(env: NodeJS.ProcessEnv = process.env): string {
  return path.resolve(env.GITHUB_WORKSPACE ?? process.cwd())
}

function realpathOfExistingPrefix(target: string): string {
  let current = target
  const rest: string[] = []
  for (;;) {
    try {
      return path.join(realpathSync(current), ...rest)
    } catch {
      const parent = path.dirname(current)
      if (parent === current) return target
      rest.unshift(path.basename(current))
      current = parent
    }
  }
}

/**
 * Resolves a user-given path under the workspace and refuses anything that leaves it:
 * `..`, absolute paths elsewhere, NUL bytes, and symlinks that point outside.
 */
export function resolveInWorkspace(inputName: string, userPath: string, root = workspaceRoot()): string {
  if (userPath.includes('\0')) throw new ConfigurationError(`Input '${inputName}' contains a NUL byte.`)
  const realRoot = realpathOfExistingPrefix(root)
  const resolved = realpathOfExistingPrefix(path.resolve(root, userPath))
  const relative = path.relative(realRoot, resolved)
  if (relative.startsWith('..') || path.isAbsolute(relative)) {
    throw new ConfigurationError(
      `Input '${inputName}' (${userPath}) points outside the workspace ${root}; use a path inside the repository.`
    )
  }
  return resolved
}

/**
 * A regular file inside the workspace as text, or undefined when there is none. The pull request made
 * the checkout, so a link (to /etc/passwd or anywhere) or a directory in the file's place is refused
 * with an error naming `what`, and so is a file over `maxBytes`.
 */
export function readWorkspaceFile(
  workspace: string,
  relative: string,
  what: string,
  maxBytes = 1024 * 1024
): string | undefined {
  if (path.isAbsolute(relative) || relative.split(/[\\/]/).includes('..') || relative.includes('\0'))
    throw new ConfigurationError(`${what} ${relative} is not a path inside the repository.`)
  const file = path.join(workspace, relative)
  const parent = path.dirname(relative)
  if (containedDirectory(workspace, parent === '.' ? '' : parent) === undefined) {
    if (!existsSync(path.join(workspace, parent))) return undefined
    throw new ConfigurationError(`${what} ${relative}: ${parent} is a symbolic link or not a directory.`)
  }
  let info
  try {
    info = lstatSync(file)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw unreadable(what, relative, error)
  }
  if (info.isSymbolicLink())
    throw new ConfigurationError(`${what} ${relative} is a symbolic link; it is read only as a regular file.`)
  if (!info.isFile()) throw new ConfigurationError(`${what} ${relative} is not a regular file.`)
  if (info.size > maxBytes)
    throw new ConfigurationError(
      `${what} ${relative} is ${info.size} bytes, over the ${maxBytes}-byte limit.`
    )
  try {
    return readFileSync(file, 'utf8')
  } catch (error) {
    throw unreadable(what, relative, error)
  }
}

/**
 * Node's message names the runner's absolute path, and this one may reach the summary and the evidence
 * file: the repository path and the error code say as much to the user.
 */
function unreadable(what: string, relative: string, error: unknown): ConfigurationError {
  const code = (error as NodeJS.ErrnoException).code ?? 'an unknown error'
  return new ConfigurationError(`${what} ${relative} cannot be read (${code}).`)
}

/**
 * Whether `relative`, a path inside the workspace, is a symbolic link or lies under one: why a walk that
 * never follows links found nothing there. Only the links themselves are looked at, never their targets.
 */
export function reachedThroughLink(workspace: string, relative: string): boolean {
  const parts = relative.split(/[\\/]/).filter(part => part !== '' && part !== '.')
  if (path.isAbsolute(relative) || relative.includes('\0') || parts.includes('..')) return false
  for (let depth = 1; depth <= parts.length; depth++) {
    let info
    try {
      info = lstatSync(path.join(workspace, ...parts.slice(0, depth)))
    } catch {
      return false // missing, or under a file (ENOTDIR): nothing there to explain
    }
    if (info.isSymbolicLink()) return true
  }
  return false
}
