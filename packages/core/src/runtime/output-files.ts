import { closeSync, constants, lstatSync, mkdirSync, openSync, unlinkSync, writeSync } from 'node:fs'
import * as path from 'node:path'
import { ConfigurationError } from './errors.js'
import { walkFiles } from './walk.js'

/*
 * Every file an action writes into the workspace goes through here. A pull request controls what is
 * in the checkout, so a committed `secure-pipeline/sast.sarif -> /home/runner/.bashrc`, or a
 * `secure-pipeline -> /elsewhere` directory link, must not make a write land outside it; and a
 * committed "output" must never stand in for the one this run was to produce.
 */

const WRITE_FLAGS = constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | (constants.O_NOFOLLOW ?? 0)

/** Whether a path relative to the workspace leaves it: `..` or `../x`, never a name like `..cache`. */
function leaves(relative: string): boolean {
  return relative === '..' || relative.startsWith(`..${path.sep}`) || path.isAbsolute(relative)
}

function inside(workspace: string, file: string): string {
  const relative = path.relative(workspace, file)
  if (relative === '' || leaves(relative))
    throw new ConfigurationError(`${file} is not a file inside the workspace ${workspace}.`)
  return relative
}

/**
 * Where an output input (`sarif-file`, `sbom-file`) points, by its words alone: resolved under the
 * workspace without following links, unlike `resolveInWorkspace`. A link the pull request committed at
 * that path would otherwise choose which workspace file is overwritten (another scanner's SARIF, the
 * checkout's .git/config); `prepareOutputFile` then removes such a link and refuses linked directories.
 */
export function resolveOutputFile(inputName: string, userPath: string, workspace: string): string {
  return resolveByWords(inputName, userPath, workspace, false)
}

/**
 * Where an output directory input (`output-dir`) points, by its words alone, like `resolveOutputFile`: a
 * directory link committed there (`secure-pipeline/gate -> ../src`) is refused by `prepareOutputFile`,
 * never followed onto the repository's own files. The workspace itself is a directory too.
 */
export function resolveOutputDirectory(inputName: string, userPath: string, workspace: string): string {
  return resolveByWords(inputName, userPath, workspace, true)
}

function resolveByWords(inputName: string, userPath: string, workspace: string, directory: boolean): string {
  if (userPath.includes('\0')) throw new ConfigurationError(`Input '${inputName}' contains a NUL byte.`)
  const resolved = path.resolve(workspace, userPath)
  const relative = path.relative(workspace, resolved)
  if ((relative === '' && !directory) || leaves(relative))
    throw new ConfigurationError(
      `Input '${inputName}' (${userPath}) points outside the workspace ${workspace}; use a path inside the repository.`
    )
  return resolved
}

/**
 * Walks the directories above `file` from the workspace down: each must be a real directory, never a
 * link. With `create`, missing ones are made; without, false says one is missing (nothing below exists).
 */
function walkParents(workspace: string, file: string, create: boolean): boolean {
  const parts = inside(workspace, file).split(path.sep)
  let current = workspace
  for (const part of parts.slice(0, -1)) {
    current = path.join(current, part)
    const info = lstatOrUndefined(current)
    if (!info) {
      if (!create) return false
      mkdirSync(current)
    } else if (info.isSymbolicLink())
      throw new ConfigurationError(
        `${path.relative(workspace, current)} is a symbolic link; outputs are never written through one. Remove it from the repository.`
      )
    else if (!info.isDirectory())
      throw new ConfigurationError(
        `${path.relative(workspace, current)} is a file where a directory is needed.`
      )
  }
  return true
}

/**
 * Creates the directories above `file` that are missing, each a real directory (never through a link),
 * and removes whatever a previous step or the pull request left at `file` itself: a file or a link.
 * Returns `file`. Call it when the action starts, before anything can fail.
 */
export function prepareOutputFile(workspace: string, file: string): string {
  walkParents(workspace, file, true)
  removeFileOrLink(workspace, file)
  return file
}

/**
 * Deletes an earlier output (or a link planted in its place); a directory there is refused. The
 * directories above it are checked first: through a linked one, the file deleted would be elsewhere.
 */
export function removeStaleOutput(workspace: string, file: string): void {
  if (walkParents(workspace, file, false)) removeFileOrLink(workspace, file)
}

/**
 * Deletes what an earlier run, or the pull request, left where this run may or may not write (a
 * summary's overflow file), so that what is there afterwards is only this run's. Under a directory that
 * is a link, a file or missing, nothing of the workspace is there to delete, and a later write refuses
 * the path itself; a directory at the file is refused, as for any output.
 */
export function removeLeftoverOutput(workspace: string, file: string): void {
  let underRealDirectories: boolean
  try {
    underRealDirectories = walkParents(workspace, file, false)
  } catch (error) {
    if (error instanceof ConfigurationError) return
    throw error
  }
  if (underRealDirectories) removeFileOrLink(workspace, file)
}

function removeFileOrLink(workspace: string, file: string): void {
  const info = lstatOrUndefined(file)
  if (!info) return
  if (info.isDirectory() && !info.isSymbolicLink())
    throw new ConfigurationError(
      `${path.relative(workspace, file)} is a directory where an output file goes; remove it or choose another path.`
    )
  unlinkSync(file)
}

/**
 * Removes every symbolic link under an output directory and returns them (workspace-relative). The
 * directory is uploaded as evidence afterwards, and actions/upload-artifact reads through links: one the
 * pull request committed there (`gate/env -> /proc/self/environ`) would publish the runner's files.
 */
export function removeLinksUnder(workspace: string, directory: string, inputName: string): string[] {
  const relative = path.relative(workspace, directory)
  // The workspace itself is no evidence folder: its links are the repository's own.
  if (relative === '') return []
  if (leaves(relative)) throw new ConfigurationError(`${directory} is not inside the workspace ${workspace}.`)
  const links: string[] = []
  const start = relative.split(path.sep).join('/')
  const onSymlink = (link: string) => void links.push(link)
  walkFiles(workspace, { start, inputName, maxEntries: 10_000, skipDirs: new Set(), onSymlink })
  for (const link of links) unlinkSync(path.join(workspace, link))
  return links
}

/** Opens `file` for writing without following a link in its last part (O_NOFOLLOW). */
export function openOutputFile(file: string): number {
  try {
    return openSync(file, WRITE_FLAGS, 0o644)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ELOOP')
      throw new ConfigurationError(`${file} is a symbolic link; refusing to write through it.`)
    throw error
  }
}

/** Writes a whole output file: parents made as real directories, never through a link. */
export function writeOutputFile(workspace: string, file: string, data: string | Uint8Array): void {
  prepareOutputFile(workspace, file)
  const fd = openOutputFile(file)
  try {
    writeAll(fd, typeof data === 'string' ? Buffer.from(data) : data)
  } finally {
    closeSync(fd)
  }
}

/** writeSync may write less than asked; loop until every byte is out. */
export function writeAll(fd: number, bytes: Uint8Array): void {
  for (let offset = 0; offset < bytes.length;) offset += writeSync(fd, bytes, offset)
}

function lstatOrUndefined(file: string) {
  try {
    return lstatSync(file)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw error
  }
}
