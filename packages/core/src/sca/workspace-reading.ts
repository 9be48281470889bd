import * as path from 'node:path'
import { manifestBody, tomlEntries, type TomlEntry } from './manifest-dependencies.js'

/** The text of a regular file the walk found, through the lockfile reader; undefined for any other. */
export type ReadText = (file: string) => string | undefined

/** The directories (relative to the lockfile's) a lockfile's workspace takes in, or why that is unknown. */
export type Members = ((dir: string) => boolean) | { why: string }

/** The file of this name in the lockfile's directory (its workspace's root manifest). */
export const besideLockfile = (lockfile: string, name: string) =>
  path.posix.join(path.posix.dirname(lockfile), name)

export const notRead = (file: string) => ({
  why: `${file} is not read: it is missing, a symbolic link, left out of the scan or too large`
})

/** The text of a workspace's root manifest, bounded as any manifest is, or why it is not read. */
export function rootManifest(file: string, read: ReadText): string | { why: string } {
  const text = read(file)
  if (text === undefined) return notRead(file)
  const body = manifestBody(text)
  return typeof body === 'string' ? body : { why: `${file} is not read: ${body.why}` }
}

/** The entries of a TOML file's text (tomlEntries), or why it is not TOML. */
export function tomlOf(file: string, text: string): TomlEntry[] | { why: string } {
  try {
    return tomlEntries(text)
  } catch (error) {
    return {
      why: `${file} ${error instanceof Error ? error.message.replace(/^it /, '') : 'is not valid TOML'}`
    }
  }
}

/** A workspace path as a relative one: without a leading `./` and trailing `/`. */
export function plainPath(pattern: string): string {
  let start = 0
  while (pattern.startsWith('./', start)) start += 2
  let end = pattern.length
  while (end > start && pattern[end - 1] === '/') end--
  return pattern.slice(start, end)
}
