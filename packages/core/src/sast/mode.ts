import type { TriState } from '../runtime/inputs.js'
import type { Logger } from '../runtime/logger.js'
import { ConfigurationError } from '../runtime/errors.js'
import { comparisonTarget, type ActionsContext } from '../github/context.js'
import { Git, type FileChange } from '../github/git.js'
import { changedFiles, resolveMergeBase } from '../github/merge-base.js'

export type ScanMode =
  | { kind: 'full'; reason: string }
  | {
      kind: 'diff'
      /** Findings present at this commit are not reported. */
      baseline: string
      head: string
      /** Files added, copied, modified or renamed since `baseline`, with their blobs there. */
      changes: FileChange[]
      reason: string
    }

/** Events whose checks are about a change rather than a branch state: scan only what they changed. */
const DIFF_EVENTS = new Set(['pull_request', 'pull_request_target', 'merge_group'])

/**
 * `diff: auto` scans pull requests and merge queue entries against their merge-base and everything else
 * (push to the default branch, schedule, dispatch) in full. `true` forces a diff scan wherever the event
 * has a base (push: `before`), `false` always scans in full.
 */
export async function decideScanMode(
  diff: TriState,
  ctx: ActionsContext,
  workspace: string,
  logger: Logger
): Promise<ScanMode> {
  if (diff === 'false') return { kind: 'full', reason: "input 'diff' is false" }
  if (diff === 'auto' && !DIFF_EVENTS.has(ctx.eventName)) {
    return { kind: 'full', reason: `${ctx.eventName || 'this'} event scans the whole tree` }
  }
  const target = comparisonTarget(ctx)
  if (target.kind === 'none') {
    if (diff === 'true')
      throw new ConfigurationError(`Input 'diff' is true but ${target.reason}; set diff: auto or false.`)
    return { kind: 'full', reason: target.reason }
  }
  const git = await Git.create(workspace)
  const head = await git.resolveCommit('HEAD')
  if (!head)
    throw new ConfigurationError(`'${workspace}' has no HEAD commit; run actions/checkout before this step.`)
  const base =
    target.kind === 'branch'
      ? await resolveMergeBase({ git, baseRef: target.baseRef, logger })
      : await resolveMergeBase({ git, baseSha: target.baseSha, logger })
  const changes = await changedFiles(git, base.mergeBase, head)
  const what = target.kind === 'branch' ? `merge-base with '${target.baseRef}'` : `base commit`
  return {
    kind: 'diff',
    baseline: base.mergeBase,
    head,
    changes,
    reason: `${ctx.eventName}: ${changes.length} file(s) changed since the ${what} ${base.mergeBase.slice(0, 12)}`
  }
}
