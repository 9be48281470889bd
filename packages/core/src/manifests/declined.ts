import type { GitData } from '../github/git-data.js'
import { readCommitMessage } from './pull-request-text.js'
import type { BumpTarget } from './target.js'

/**
 * Pull requests of the branch read, newest first, in one request: the newest closed one says what became
 * of the last proposal, and older ones were answered by the proposals after them.
 */
export const RECENT_PULL_REQUESTS = 20

/** What a run is about to open a pull request for: a version, and the tree it builds for it on the base. */
export interface Proposal {
  target: BumpTarget
  tree: string
}

export interface DeclinedPullRequest {
  number: number
  url: string
}

/**
 * The closed, unmerged pull request that proposed exactly this version for this branch, when the newest
 * such one did: a person declined it, so it is not opened again. Its title, body and head commit message
 * are anyone's to write, so a claim in them is believed only when the pull request's head commit is what
 * this action builds for this version on that commit's first parent (its tree), and GitHub signed it when
 * signatures are required: text alone can never hold back another version. Any open pull request of the
 * branch (one reopened by a person) means nothing was declined: the run updates it.
 */
export async function findDeclined(
  git: GitData,
  place: { branch: string; base: string; baseSha: string },
  proposal: Proposal,
  check: {
    requireSigned: boolean
    /** The tree this action builds for `target` on another commit than the base head. */
    treeOn: (parent: string, target: BumpTarget) => Promise<string | undefined>
  }
): Promise<DeclinedPullRequest | undefined> {
  const pulls = await git.recentPullRequests(place.branch, place.base, RECENT_PULL_REQUESTS)
  if (pulls.some(p => p.state === 'open')) return undefined
  const closed = pulls.find(p => !p.merged)
  if (!closed) return undefined
  const head = await git.commit(closed.headSha)
  const claim = readCommitMessage(head.message)?.metadata
  const { target } = proposal
  const same = claim?.image === target.image && claim.tag === target.tag && claim.digest === target.digest
  const parent = head.parents[0]
  if (!same || parent === undefined || (check.requireSigned && !head.verified)) return undefined
  const tree = parent === place.baseSha ? proposal.tree : await check.treeOn(parent, target)
  if (tree !== head.tree) return undefined
  // A pull request reopened long ago can be older than the page read: ask for the open one itself.
  if (await git.openPullRequest(place.branch, place.base)) return undefined
  return { number: closed.number, url: closed.url }
}
