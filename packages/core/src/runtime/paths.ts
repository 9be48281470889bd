import { realpathSync } from 'node:fs'
import * as path from 'node:path'
import { ConfigurationError } from './errors.js'

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
