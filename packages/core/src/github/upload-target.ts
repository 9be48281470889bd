import { pullRequestRefs, type ActionsContext } from './context.js'

/** The commit and ref code scanning files an upload's alerts under. */
export interface UploadTarget {
  commitSha: string
  ref: string
  /** Set when the target is not GITHUB_SHA/GITHUB_REF: why, for the log. */
  because?: string
}

/**
 * Where a SARIF upload belongs, given the commit the workspace has checked out (undefined: unknown).
 * Its locations were read from that commit: filed under GITHUB_SHA instead (a pull request's test merge
 * commit when a workflow checks out the head), its alerts land on lines of another tree. A checked-out
 * pull request head is filed under the PR's head ref, as GitHub's own CodeQL action files it.
 */
export function sarifUploadTarget(context: ActionsContext, checkedOut: string | undefined): UploadTarget {
  const asRun = { commitSha: context.sha, ref: context.ref }
  if (!checkedOut || checkedOut.toLowerCase() === context.sha.toLowerCase()) return asRun
  const pullNumber = /^refs\/pull\/(\d+)\/merge$/.exec(context.ref)?.[1]
  const head = pullRequestRefs(context)?.head.sha
  if (pullNumber && head?.toLowerCase() === checkedOut.toLowerCase())
    return {
      commitSha: checkedOut,
      ref: `refs/pull/${pullNumber}/head`,
      because: `the workspace has the pull request's head ${checkedOut.slice(0, 12)} checked out, not the merge commit ${context.sha.slice(0, 12)}`
    }
  return {
    commitSha: checkedOut,
    ref: context.ref,
    because: `the workspace has ${checkedOut.slice(0, 12)} checked out, not GITHUB_SHA ${context.sha.slice(0, 12)}`
  }
}
