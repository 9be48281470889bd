import * as path from 'node:path'
import { manifestBody } from './manifest-dependencies.js'

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
