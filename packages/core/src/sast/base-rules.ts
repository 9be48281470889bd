import { lstatSync, readFileSync } from 'node:fs'
import * as path from 'node:path'
import type { Git } from '../github/git.js'
import { BrokenInputError, getErrorMessage } from '../runtime/errors.js'
import { MAX_BASE_BLOB_BYTES } from './base-tree.js'

/** A rule file of the repository's own configs as the base branch has it at its tip. */
export interface BaseRuleFile {
  /** Repository-relative path. */
  path: string
  content: Buffer
  /** The change touched it: the checkout no longer has it as the merge-base did (edited, removed, a link). */
  edited: boolean
}

/** Where a change's rule files are read. */
export interface RuleCommits {
  /**
   * The base branch's tip: its rules run. A pull request chooses where it forks, so a branch started
   * before the base added or tightened a rule would otherwise escape it.
   */
  deciding: string
  /** Where the change forked: what it edited is told against this, not against what the base did since. */
  mergeBase: string
}

/** What Semgrep loads from a config directory: YAML files, not its `.test.yaml` targets or `.fixed` files. */
function isRuleFile(file: string): boolean {
  const name = path.basename(file)
  return /\.ya?ml$/.test(name) && !/\.test\.ya?ml$/.test(name) && !name.split('.').slice(1).includes('fixed')
}

function existsInWorkspace(file: string): boolean {
  try {
    lstatSync(file)
    return true
  } catch {
    return false
  }
}

function sameInWorkspace(file: string, content: Buffer): boolean {
  try {
    return lstatSync(file).isFile() && readFileSync(file).equals(content)
  } catch {
    return false
  }
}

/** Rule file paths under the configs at `commit`, with their blob ids. */
async function ruleBlobsAt(
  git: Git,
  commit: string,
  configs: readonly { file: string; directory: boolean }[],
  workspace: string
): Promise<Map<string, string>> {
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
  return listed
}

/**
 * Whether the change touched the file at `file`, the merge-base having had `blob` there (or nothing). A
 * merge-base version too large to read cannot be compared: it counts as touched, which only names it.
 */
function touched(file: string, blob: string | undefined, blobs: Map<string, Buffer>): boolean {
  if (blob === undefined) return existsInWorkspace(file)
  const content = blobs.get(blob)
  return !content || !sameInWorkspace(file, content)
}

/**
 * The base branch tip's versions of every rule file under the repository's own local configs (absolute
 * paths in the workspace, each a file or a directory of rule files), each marked `edited` when the change
 * touched it since the merge-base. Run after the checkout's rules, a change can add rules but not drop or
 * weaken one before it is merged, nor skip one the base added or tightened after it forked. Unchanged
 * files are returned too: the engine keeps the last rule loaded under an id, so a file the change adds (or
 * edits) could otherwise replace an unchanged file's rule by taking its id. A file over the size Semgrep
 * would read is named, not read.
 */
export async function baseRuleFiles(
  git: Git,
  commits: RuleCommits,
  configs: readonly { file: string; directory: boolean }[],
  workspace: string
): Promise<{ files: BaseRuleFile[]; tooLarge: string[] }> {
  try {
    return await readBaseRuleFiles(git, commits, configs, workspace)
  } catch (error) {
    // Fail closed: running without the base branch's rules would let a change escape them.
    throw new BrokenInputError(
      'git',
      `could not read the base branch's rule files at ${commits.deciding.slice(0, 12)} (${getErrorMessage(error)}); check out with 'fetch-depth: 0' so the base commit is present`
    )
  }
}

async function readBaseRuleFiles(
  git: Git,
  commits: RuleCommits,
  configs: readonly { file: string; directory: boolean }[],
  workspace: string
): Promise<{ files: BaseRuleFile[]; tooLarge: string[] }> {
  const deciding = await ruleBlobsAt(git, commits.deciding, configs, workspace)
  const forked =
    commits.mergeBase === commits.deciding
      ? deciding
      : await ruleBlobsAt(git, commits.mergeBase, configs, workspace)
  const blobs = await git.readBlobs(
    [...new Set([...deciding.values(), ...forked.values()])],
    MAX_BASE_BLOB_BYTES
  )
  const files: BaseRuleFile[] = []
  const tooLarge: string[] = []
  for (const [file, blob] of deciding) {
    const content = blobs.get(blob)
    if (!content) tooLarge.push(file)
    else
      files.push({
        path: file,
        content,
        edited: touched(path.join(workspace, file), forked.get(file), blobs)
      })
  }
  return { files, tooLarge }
}
