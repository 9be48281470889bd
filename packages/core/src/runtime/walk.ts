import { readdirSync, realpathSync } from 'node:fs'
import * as path from 'node:path'
import { ConfigurationError } from './errors.js'

export const DEFAULT_SKIPPED_DIRS: ReadonlySet<string> = new Set(['.git', 'node_modules'])
export const MAX_WALKED_ENTRIES = 200_000

export interface WalkOptions {
  /** Repository-relative directory to start from ('' or '.' for the root). */
  start?: string
  skipDirs?: ReadonlySet<string>
  maxEntries?: number
  /** Called with each symbolic link met (repository-relative); links are never followed. */
  onSymlink?: (file: string) => void
  /** Called with each directory skipped by name (`skipDirs`), repository-relative. */
  onSkippedDir?: (dir: string) => void
  /** Named in the error when the walk passes `maxEntries`. */
  inputName: string
}

/** The directory part of a glob before its first wildcard: the only place a walk for it needs to start. */
export function staticPrefix(pattern: string): string {
  const fixed: string[] = []
  for (const part of pattern.split('/').slice(0, -1)) {
    if (/[*?[\]{}!]/.test(part)) break
    fixed.push(part)
  }
  return fixed.join('/')
}

/**
 * The real path of `root/relative` when every part of it is a real directory inside the root, else
 * undefined: a committed `secure-pipeline -> /elsewhere` link must not take a walk outside the workspace.
 */
export function containedDirectory(root: string, relative: string): string | undefined {
  try {
    const realRoot = realpathSync(root)
    const expected = path.join(realRoot, relative)
    return realpathSync(path.join(root, relative)) === expected ? expected : undefined
  } catch {
    return undefined
  }
}

/**
 * The one directory walker: every regular file under `start`, repository-relative with forward
 * slashes, sorted. Symbolic links are reported and never followed, the start directory must be
 * reachable without one, and past `maxEntries` the walk stops with a ConfigurationError.
 */
export function walkFiles(root: string, options: WalkOptions): string[] {
  const start = options.start === '.' ? '' : (options.start ?? '')
  const skip = options.skipDirs ?? DEFAULT_SKIPPED_DIRS
  const max = options.maxEntries ?? MAX_WALKED_ENTRIES
  const base = containedDirectory(root, start)
  if (base === undefined) {
    if (start !== '' && options.onSymlink && isReachableLink(root, start)) options.onSymlink(start)
    return []
  }
  const files: string[] = []
  const pending = [start]
  let seen = 0
  while (pending.length > 0) {
    const dir = pending.pop() as string
    let entries
    try {
      entries = readdirSync(path.join(root, dir), { withFileTypes: true })
    } catch {
      continue // vanished or unreadable: it holds nothing to check
    }
    for (const entry of entries) {
      if (++seen > max) {
        throw new ConfigurationError(
          `The workspace has over ${max} entries below '${start || '.'}'; narrow '${options.inputName}' or check out less.`
        )
      }
      const rel = dir === '' ? entry.name : `${dir}/${entry.name}`
      if (entry.isSymbolicLink()) options.onSymlink?.(rel)
      else if (entry.isDirectory()) {
        if (!skip.has(entry.name)) pending.push(rel)
        else options.onSkippedDir?.(rel)
      } else if (entry.isFile()) files.push(rel)
    }
  }
  return files.sort()
}

function isReachableLink(root: string, relative: string): boolean {
  try {
    realpathSync(path.join(root, relative))
    return true
  } catch {
    return false
  }
}
