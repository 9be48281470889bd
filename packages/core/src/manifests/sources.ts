import { lstatSync, readFileSync } from 'node:fs'
import * as path from 'node:path'
import { selectFiles, selectPaths } from '../runtime/glob.js'
import type { ManifestFile } from './plan.js'
import { readTarball, type TarEntry } from './tar.js'
import { MAX_MANIFEST_BYTES } from './yaml-source.js'

/** Manifest files with git's mode for each, so an edited file keeps its executable bit. */
export interface ManifestSet {
  files: ManifestFile[]
  modes: Map<string, '100644' | '100755'>
  /**
   * Matching paths that are not read: symbolic links (never followed) and files over the size limit,
   * with their bytes when they are in memory anyway (an archive), to tell whether they name the image.
   */
  skipped: { file: string; reason: string; bytes?: Uint8Array }[]
}

const TOO_LARGE = `over ${MAX_MANIFEST_BYTES} bytes; not read`

/** The files under `root` that `paths` selects; links are never followed (the walker skips them). */
export function localManifests(root: string, paths: string[], inputName: string): ManifestSet {
  const set: ManifestSet = { files: [], modes: new Map(), skipped: [] }
  for (const file of selectFiles(root, paths, inputName).files) {
    const full = path.join(root, file)
    const info = lstatSync(full)
    if (!info.isFile()) continue
    if (info.size > MAX_MANIFEST_BYTES) set.skipped.push({ file, reason: TOO_LARGE })
    else {
      set.files.push({ path: file, bytes: readFileSync(full) })
      set.modes.set(file, info.mode & 0o111 ? '100755' : '100644')
    }
  }
  return set
}

/** The files of a repository archive (GitHub's tarball of one commit) that `paths` selects. */
export function archiveManifests(
  archive: Uint8Array,
  paths: string[],
  inputName: string,
  source: string
): ManifestSet {
  const entries = new Map(readTarball(archive, source).map(entry => [entry.path, entry]))
  const set: ManifestSet = { files: [], modes: new Map(), skipped: [] }
  for (const file of selectPaths([...entries.keys()], paths, inputName)) addEntry(set, entries.get(file)!)
  return set
}

/** One file of a commit into the set: a symbolic link or an oversize file is listed, never read as YAML. */
export function addEntry(set: ManifestSet, entry: TarEntry): void {
  const file = entry.path
  if (entry.mode === '120000') set.skipped.push({ file, reason: 'a symbolic link; never followed' })
  else if (entry.bytes.length > MAX_MANIFEST_BYTES)
    set.skipped.push({ file, reason: TOO_LARGE, bytes: entry.bytes })
  else {
    set.files.push({ path: file, bytes: entry.bytes })
    set.modes.set(file, entry.mode)
  }
}

/**
 * The sha git gives these bytes as a blob, to compare with what a tree says a file holds. node:crypto
 * is loaded here, by the API push only: loading it costs a dry run 4 to 6 ms of its start.
 */
export function gitBlobSha(bytes: Uint8Array): string {
  return process
    .getBuiltinModule('node:crypto')
    .createHash('sha1')
    .update(`blob ${bytes.length}\0`)
    .update(bytes)
    .digest('hex')
}
