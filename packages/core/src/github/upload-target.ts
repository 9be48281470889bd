import { pullRequestNumber, pullRequestRefs, type ActionsContext } from './context.js'

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
 * pull request head is filed under the PR's head ref, as GitHub's own CodeQL action files it. On
 * pull_request_target GITHUB_REF is the base branch: the PR's code filed there would replace the base
 * branch's analysis and close its alerts, so any other commit of a pull request is filed under the PR.
 */
export function sarifUploadTarget(context: ActionsContext, checkedOut: string | undefined): UploadTarget {
  const asRun = { commitSha: context.sha, ref: context.ref }
  if (!checkedOut || checkedOut.toLowerCase() === context.sha.toLowerCase()) return asRun
  const pullNumber =
    /^refs\/pull\/(\d+)\/merge$/.exec(context.ref)?.[1] ?? pullRequestNumber(context)?.toString()
  const head = pullRequestRefs(context)?.head.sha
  if (pullNumber && head?.toLowerCase() === checkedOut.toLowerCase())
    return {
      commitSha: checkedOut,
      ref: `refs/pull/${pullNumber}/head`,
      because: `the workspace has the pull request's head ${checkedOut.slice(0, 12)} checked out, not ${context.sha.slice(0, 12)} (GITHUB_SHA)`
    }
  return {
    commitSha: checkedOut,
    ref: pullNumber ? `refs/pull/${pullNumber}/merge` : context.ref,
    because: `the workspace has ${checkedOut.slice(0, 12)} checked out, not GITHUB_SHA ${context.sha.slice(0, 12)}`
  }
}
