import { getErrorMessage } from '../runtime/errors.js'
import { readWorkspaceFile } from '../runtime/paths.js'
import type { PullRequestBase } from './pull-request-base.js'

/** Which version of a file the pull request controls decides: the reviewed base, or the PR's own. */
export type TrustSource = 'base' | 'head'
export const TRUST_SOURCES: readonly TrustSource[] = ['base', 'head']

export interface FileVersion {
  /** undefined when the file does not exist in this version. */
  text: string | undefined
  /** Where it was read: `merge-base <sha>`, `workspace`, or a central `owner/repo@ref`. */
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
 * Reads a file a pull request could use to weaken its own checks (the policy, ignore files). On a
 * change event with `source: base`, the merge-base version decides and the PR's version is only
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
  const deciding: FileVersion = {
    text: await options.base.read(file, options.maxBytes),
    origin: `merge-base ${options.base.commit.slice(0, 12)}`
  }
  const same = deciding.text === head.text && head.origin === 'workspace'
  return same ? { path: file, deciding } : { path: file, deciding, proposed: head }
}
