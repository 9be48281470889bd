import { lstatSync, readFileSync } from 'node:fs'
import * as path from 'node:path'
import type { Git } from '../github/git.js'
import { MAX_BASE_BLOB_BYTES } from './base-tree.js'

/** A rule file of the repository's own configs as the merge-base had it. */
export interface MergeBaseRuleFile {
  /** Repository-relative path. */
  path: string
  content: Buffer
  /** The checkout no longer has it as it was: edited, removed, or replaced by a link. */
  edited: boolean
}

/** What Semgrep loads from a config directory: YAML files, not its `.test.yaml` targets or `.fixed` files. */
function isRuleFile(file: string): boolean {
  const name = path.basename(file)
  return /\.ya?ml$/.test(name) && !/\.test\.ya?ml$/.test(name) && !name.split('.').slice(1).includes('fixed')
}

function sameInWorkspace(file: string, content: Buffer): boolean {
  try {
    return lstatSync(file).isFile() && readFileSync(file).equals(content)
  } catch {
    return false
  }
}

/**
 * The merge-base versions of every rule file under the repository's own local configs (absolute paths in
 * the workspace, each a file or a directory of rule files), each marked `edited` when the checkout no
 * longer has it as it was: edited, removed, or replaced by a link. Run after the checkout's rules, a change
 * can add rules but not drop or weaken one before it is merged. Unchanged files are returned too: the
 * engine keeps the last rule loaded under an id, so a file the change adds (or edits) could otherwise
 * replace an unchanged file's rule by taking its id. A file over the size Semgrep would read is named, not
 * read.
 */
export async function mergeBaseRuleFiles(
  git: Git,
  commit: string,
  configs: readonly { file: string; directory: boolean }[],
  workspace: string
): Promise<{ files: MergeBaseRuleFile[]; tooLarge: string[] }> {
  const listed = new Map<string, string>()
  for (const config of configs) {
    const relative = path.relative(workspace, config.file).split(path.sep).join('/')
    const wanted = (file: string) =>
      config.directory
        ? (relative === '' || file.startsWith(`${relative}/`)) && isRuleFile(file)
        : file === relative
    for (const file of await git.listFiles(commit, relative || '.'))
      if (wanted(file.path)) listed.set(file.path, file.blob)
  }
  const blobs = await git.readBlobs([...new Set(listed.values())], MAX_BASE_BLOB_BYTES)
  const files: MergeBaseRuleFile[] = []
  const tooLarge: string[] = []
  for (const [file, blob] of listed) {
    const content = blobs.get(blob)
    if (!content) tooLarge.push(file)
    else files.push({ path: file, content, edited: !sameInWorkspace(path.join(workspace, file), content) })
  }
  return { files, tooLarge }
}
