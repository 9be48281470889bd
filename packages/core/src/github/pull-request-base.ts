import { BrokenInputError, getErrorMessage } from '../runtime/errors.js'
import type { Logger } from '../runtime/logger.js'
import { comparisonTarget, isPullRequestEvent, type ActionsContext } from './context.js'
import type { FileChange } from './git.js'

/**
 * What a pull request (or merge queue entry) is compared with: the merge-base with the base branch's
 * current tip for pull_request, the queue's `base_sha` for merge_group. Files read from here come
 * from git objects the pull request cannot have changed.
 */
export interface PullRequestBase {
  event: string
  commit: string
  head: string
  /** Paths the change added, copied, modified or renamed (repository-relative). */
  changes: readonly FileChange[]
  /**
   * Paths the change deleted, and the previous paths of the files it renamed: what it takes away. Absent
   * where the base was made without git (a test's fake), which then models no deletion.
   */
  removed?: readonly string[]
  /** True when the change added, copied, modified or renamed `file`. */
  changed(file: string): boolean
  /** The file's text at the base commit; undefined when it had none. */
  read(file: string, maxBytes?: number): Promise<string | undefined>
  /**
   * Where the files that decide (the policy, ignore files) are read: the base branch's current tip. A
   * pull request chooses where it forks, so a branch started before the base tightened its policy would
   * otherwise bring back what was revoked. Absent where the base was made without git (a test's fake):
   * `commit` then.
   */
  reviewed?: ReviewedBase
}

export interface ReviewedBase {
  commit: string
  read(file: string, maxBytes?: number): Promise<string | undefined>
}

/** Events whose checks judge a change that has not been reviewed and merged yet. */
export function isChangeEvent(ctx: ActionsContext): boolean {
  return isPullRequestEvent(ctx) || ctx.eventName === 'merge_group'
}

/**
 * The base of the change this run judges, or undefined on events that judge a branch as it is (push,
 * schedule, dispatch). A shallow clone is deepened until the histories meet. When git cannot tell, the
 * run cannot know what the pull request changed: that is an error, never a guess.
 */
export async function resolvePullRequestBase(
  ctx: ActionsContext,
  workspace: string,
  logger?: Logger
): Promise<PullRequestBase | undefined> {
  if (!isChangeEvent(ctx)) return undefined
  const target = comparisonTarget(ctx)
  if (target.kind === 'none')
    throw new BrokenInputError('git', `cannot tell what this change is based on: ${target.reason}`)
  try {
    // Loaded only on change events: push, schedule and dispatch runs never start git.
    const { Git } = await import('./git.js')
    const { changedFiles, resolveMergeBase } = await import('./merge-base.js')
    const git = await Git.create(workspace)
    const head = (await git.resolveCommit('HEAD')) ?? target.headSha
    const base =
      target.kind === 'branch'
        ? await resolveMergeBase({ git, baseRef: target.baseRef, logger })
        : await resolveMergeBase({ git, baseSha: target.baseSha, logger })
    const changes = await changedFiles(git, base.mergeBase, head)
    const changed = changedBy(changes)
    const renamedAway = changes.flatMap(c => (c.status === 'R' && c.previous ? [c.previous.path] : []))
    const readAt =
      (commit: string) =>
      async (file: string, maxBytes = 1024 * 1024) =>
        (await git.readFileAt(commit, file, maxBytes))?.toString('utf8')
    return {
      event: ctx.eventName,
      commit: base.mergeBase,
      head,
      changes,
      removed: [...(await git.deletions(base.mergeBase, head)), ...renamedAway],
      changed,
      read: readAt(base.mergeBase),
      reviewed: { commit: base.baseSha, read: readAt(base.baseSha) }
    }
  } catch (error) {
    throw new BrokenInputError(
      'git',
      `could not read the base of this ${ctx.eventName} (${getErrorMessage(error)}); check out with 'fetch-depth: 0' so the base commit is present`
    )
  }
}

/** Whether the change made a file: it changed the file itself, or a submodule the file lies in. */
export function changedBy(changes: readonly FileChange[]): (file: string) => boolean {
  const files = new Set(changes.map(change => change.path))
  const submodules = changes.filter(change => change.submodule).map(change => `${change.path}/`)
  return file => {
    const relative = file.replace(/^\.\//, '')
    return files.has(relative) || submodules.some(dir => relative.startsWith(dir))
  }
}
