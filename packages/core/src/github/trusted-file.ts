import { getErrorMessage } from '../runtime/errors.js'
import { readWorkspaceFile } from '../runtime/paths.js'
import type { PullRequestBase } from './pull-request-base.js'

/** Which version of a file the pull request controls decides: the reviewed base, or the PR's own. */
export type TrustSource = 'base' | 'head'
export const TRUST_SOURCES: readonly TrustSource[] = ['base', 'head']

export interface FileVersion {
  /** undefined when the file does not exist in this version. */
  text: string | undefined
  /** Where it was read: `merge-base <sha>`, `base branch <sha>`, `workspace`, or a central `owner/repo@ref`. */
  origin: string
}

export interface TrustedFile {
  path: string
  /** The version that decides this run. */
  deciding: FileVersion
  /**
   * The pull request's own version, set when it differs from the deciding one: the policy or ignore
   * file the PR proposes, shown beside the verdict but never deciding it.
   */
  proposed?: FileVersion
}

export interface TrustedFileOptions {
  workspace: string
  source: TrustSource
  /** The change's base; undefined on events that judge a branch as it is (push, schedule). */
  base: PullRequestBase | undefined
  /** Named in errors, e.g. "Policy file" or ".semgrepignore". */
  what: string
  maxBytes?: number
}

/**
 * The reviewed version of a file: at the base branch's tip, which is the merge-base unless the pull
 * request forked from an older commit (its origin then says `base branch`).
 */
export async function readReviewed(
  base: PullRequestBase,
  file: string,
  maxBytes?: number
): Promise<FileVersion> {
  const reviewed = base.reviewed ?? base
  const where = reviewed.commit === base.commit ? 'merge-base' : 'base branch'
  return { text: await reviewed.read(file, maxBytes), origin: `${where} ${reviewed.commit.slice(0, 12)}` }
}

/**
 * A branch behind the base holds the older version of every file it never touched: that is no proposal.
 * Otherwise anything the workspace has other than the deciding text is the change's own.
 */
function untouchedBehind(base: PullRequestBase, file: string): boolean {
  if (!base.reviewed || base.reviewed.commit === base.commit) return false
  return !base.changed(file) && !(base.removed ?? []).includes(file.replace(/^\.\//, ''))
}

/**
 * Reads a file a pull request could use to weaken its own checks (the policy, ignore files). On a
 * change event with `source: base`, the base branch's version decides and the PR's version is only
 * proposed: a policy change is reviewed and merged first (four eyes), then it applies. Elsewhere, or
 * with `source: head`, the checkout decides.
 */
export async function readTrustedFile(file: string, options: TrustedFileOptions): Promise<TrustedFile> {
  const readHead = (): FileVersion => ({
    text: readWorkspaceFile(options.workspace, file, options.what, options.maxBytes),
    origin: 'workspace'
  })
  if (!options.base || options.source === 'head') return { path: file, deciding: readHead() }
  let head: FileVersion
  try {
    head = readHead()
  } catch (error) {
    // What the PR put there (a link, a directory) does not decide anything; it is shown as proposed.
    head = { text: undefined, origin: `workspace (${getErrorMessage(error)})` }
  }
  const deciding = await readReviewed(options.base, file, options.maxBytes)
  const same =
    head.origin === 'workspace' && (deciding.text === head.text || untouchedBehind(options.base, file))
  return same ? { path: file, deciding } : { path: file, deciding, proposed: head }
}
