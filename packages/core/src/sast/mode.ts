import type { TriState } from '../runtime/inputs.js'
import type { Logger } from '../runtime/logger.js'
import { ConfigurationError } from '../runtime/errors.js'
import { comparisonTarget, type ActionsContext } from '../github/context.js'
import { Git, type FileChange } from '../github/git.js'
import { changedFiles, resolveMergeBase } from '../github/merge-base.js'
import type { PullRequestBase } from '../github/pull-request-base.js'

export type ScanMode =
  | { kind: 'full'; reason: string }
  | {
      kind: 'diff'
      /** Findings present at this commit are not reported. */
      baseline: string
      head: string
      /** Files added, copied, modified or renamed since `baseline`, with their blobs there. */
      changes: readonly FileChange[]
      reason: string
    }

/** Events whose checks are about a change rather than a branch state: scan only what they changed. */
const DIFF_EVENTS = new Set(['pull_request', 'pull_request_target', 'merge_group'])

export interface ScanModeInput {
  diff: TriState
  /** The caller's name for `diff`, for the error when it cannot be honoured. */
  diffInput: string
  ctx: ActionsContext
  workspace: string
  logger: Logger
  /** The change's base when the caller resolved it already (pull requests, merge queues). */
  base?: PullRequestBase
}

/**
 * `diff: auto` scans pull requests and merge queue entries against their merge-base and everything else
 * (push to the default branch, schedule, dispatch) in full. `true` forces a diff scan wherever the event
 * has a base (push: `before`), `false` always scans in full.
 */
export async function decideScanMode(input: ScanModeInput): Promise<ScanMode> {
  const { diff, ctx } = input
  if (diff === 'false') return { kind: 'full', reason: `input '${input.diffInput}' is false` }
  if (diff === 'auto' && !DIFF_EVENTS.has(ctx.eventName)) {
    return { kind: 'full', reason: `${ctx.eventName || 'this'} event scans the whole tree` }
  }
  if (input.base) {
    const what = ctx.eventName === 'merge_group' ? 'base commit' : 'merge-base'
    return diffMode(input.base.commit, input.base.head, input.base.changes, `${ctx.eventName}: `, what)
  }
  const target = comparisonTarget(ctx)
  if (target.kind === 'none') {
    if (diff === 'true')
      throw new ConfigurationError(
        `Input '${input.diffInput}' is true but ${target.reason}; set it to auto or false.`
      )
    return { kind: 'full', reason: target.reason }
  }
  const git = await Git.create(input.workspace)
  const head = await git.resolveCommit('HEAD')
  if (!head)
    throw new ConfigurationError(
      `'${input.workspace}' has no HEAD commit; run actions/checkout before this step.`
    )
  const base =
    target.kind === 'branch'
      ? await resolveMergeBase({ git, baseRef: target.baseRef, logger: input.logger })
      : await resolveMergeBase({ git, baseSha: target.baseSha, logger: input.logger })
  const changes = await changedFiles(git, base.mergeBase, head)
  const what = target.kind === 'branch' ? `merge-base with '${target.baseRef}'` : 'base commit'
  return diffMode(base.mergeBase, head, changes, `${ctx.eventName}: `, what)
}

function diffMode(
  baseline: string,
  head: string,
  changes: readonly FileChange[],
  prefix: string,
  what: string
): ScanMode {
  return {
    kind: 'diff',
    baseline,
    head,
    changes,
    reason: `${prefix}${changes.length} file(s) changed since the ${what} ${baseline.slice(0, 12)}`
  }
}
