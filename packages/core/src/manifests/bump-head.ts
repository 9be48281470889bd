import type { CommitInfo } from '../github/git-data.js'
import { ConfigurationError } from '../runtime/errors.js'
import { branchIsNewer, buildChange, readCommitMessage, type Change } from './change.js'
import type { BumpRunOptions } from './options.js'
import type { BumpRequest } from './plan.js'
import type { BumpMetadata } from './pull-request-text.js'
import type { ManifestSet } from './sources.js'
import { parseBumpTarget, type BumpTarget } from './target.js'

/**
 * What a run does with the head it found on the bump branch. Anyone who may push can put a commit
 * there, and its message (metadata, title) is theirs to write: only its tree, compared with a tree this
 * run built itself, and GitHub's signature say what it is.
 */
export type HeadVerdict =
  /** No branch yet: create it. */
  | { kind: 'create' }
  /** The head holds exactly the tree this run built: keep it. */
  | { kind: 'adopt' }
  /** The head holds exactly what this action builds from its parent for a newer version: leave it. */
  | { kind: 'superseded'; theirs: BumpMetadata }
  /**
   * An earlier bump of this image (or the base itself, or GitHub's "Update branch" merge of base commits
   * into one): advance it, fast-forward only.
   */
  | { kind: 'advance' }

/**
 * What a two-parent head stands on, read only when judgeHead may need it: GitHub's "Update branch" button
 * puts such a merge on the bump branch, and its message is GitHub's, with no bump metadata in it. Pressed
 * again before the next run, it puts another merge on that one.
 */
export interface UpdateMerge {
  /** The head and the merges under it, first parent by first parent. */
  merges: { commit: CommitInfo; /** The base head or one of its ancestors. */ secondParentInBase: boolean }[]
  /** What the last merge's first parent is. */
  firstParent: CommitInfo
}

/** Merges read under a head at most: a longer chain is refused as any head of someone else's is. */
export const MAX_UPDATE_MERGES = 5

/** The reads `readUpdateMerges` needs, answered by each publisher its own way (API, or the clone). */
export interface HistoryReads {
  commit(sha: string): Promise<CommitInfo>
  /** Whether `sha` is the base head or one of its ancestors. */
  inBase(sha: string): Promise<boolean>
}

export interface HeadFacts {
  head: CommitInfo | undefined
  baseSha: string
  /** The tree this run built: the base with its edits. */
  ours: string
  /** The tree this action builds, from the head's first parent, for the newer version its metadata names. */
  theirs?: string
  /** Whether a head must carry GitHub's signature to be kept or advanced (API commits). */
  requireSigned: boolean
  /** Read by the publisher when `mayBeUpdateMerge` says so. */
  updateMerge?: UpdateMerge
}

function vouched(commit: CommitInfo, requireSigned: boolean): boolean {
  return commit.verified || !requireSigned
}

/** Whether a commit's message says it is a bump of the image by this action (anyone can write that). */
function namesImage(commit: CommitInfo, target: BumpTarget): boolean {
  return readCommitMessage(commit.message)?.metadata?.image === target.image
}

/**
 * Whether judgeHead could advance this head only as an "Update branch" merge: the publisher then reads
 * its `UpdateMerge` facts, which cost requests or a deeper fetch, and for no other head.
 */
export function mayBeUpdateMerge(
  head: CommitInfo | undefined,
  baseSha: string,
  target: BumpTarget,
  requireSigned: boolean
): head is CommitInfo & { parents: [string, string] } {
  return (
    head !== undefined &&
    head.sha !== baseSha &&
    head.parents.length === 2 &&
    vouched(head, requireSigned) &&
    !namesImage(head, target)
  )
}

/**
 * The merges under a head that `mayBeUpdateMerge` let through, first parent by first parent, down to the
 * first commit that is not one (or the limit); a merge bringing in anything outside the base ends it.
 */
export async function readUpdateMerges(
  head: CommitInfo & { parents: [string, string] },
  facts: { baseSha: string; target: BumpTarget; requireSigned: boolean },
  reads: HistoryReads
): Promise<UpdateMerge> {
  const merges: UpdateMerge['merges'] = []
  for (let merge: CommitInfo = head; ;) {
    const secondParentInBase = await reads.inBase(merge.parents[1]!)
    const firstParent = await reads.commit(merge.parents[0]!)
    merges.push({ commit: merge, secondParentInBase })
    if (
      !secondParentInBase ||
      merges.length >= MAX_UPDATE_MERGES ||
      !mayBeUpdateMerge(firstParent, facts.baseSha, facts.target, facts.requireSigned)
    )
      return { merges, firstParent }
    merge = firstParent
  }
}

/**
 * Merges that bring nothing but base commits onto a commit this action would advance over by itself.
 * Their trees are never kept (advancing writes the tree this run built), but their history is: a second
 * parent outside the base would carry someone's commits into a rebase merge of the pull request.
 */
function isUpdateMerge(facts: HeadFacts, target: BumpTarget): boolean {
  const { head, updateMerge } = facts
  if (!head || !updateMerge || updateMerge.merges[0]?.commit.sha !== head.sha) return false
  const { merges, firstParent } = updateMerge
  const linked = merges.every(
    ({ commit }, i) =>
      commit.parents.length === 2 && commit.parents[0] === (merges[i + 1]?.commit ?? firstParent).sha
  )
  return (
    linked &&
    merges.every(m => m.secondParentInBase && vouched(m.commit, facts.requireSigned)) &&
    vouched(firstParent, facts.requireSigned) &&
    namesImage(firstParent, target)
  )
}

/**
 * The parents of a commit that advances `head` (none: creates the branch) to a tree built on the base:
 * the head alone when the base is one of its parents already, else the base first and the head, so the
 * pull request's first-parent line is the base and no commit of the branch is lost. Over "Update branch"
 * merges the base always comes first: their trees are not checked against the merge GitHub would make,
 * and a merge that also changed files of its own would leave the bump commit's diff against its first
 * parent undoing them, and `git revert` of the bump putting them back.
 */
export function advanceParents(
  baseSha: string,
  head: CommitInfo | undefined,
  overUpdateMerges = false
): string[] {
  if (!head || head.sha === baseSha || (!overUpdateMerges && head.parents.includes(baseSha)))
    return [head?.sha ?? baseSha]
  return [baseSha, head.sha]
}

/** The metadata of a head that claims a newer version of the image: the one case `theirs` is built for. */
export function newerClaim(head: CommitInfo | undefined, target: BumpTarget): BumpMetadata | undefined {
  const theirs = head ? readCommitMessage(head.message)?.metadata : undefined
  return branchIsNewer(theirs, target) ? theirs : undefined
}

/** The claimed version as a target, when it is one this action could have been given at all. */
function claimedTarget(ours: BumpTarget, claim: BumpMetadata): BumpTarget | undefined {
  try {
    return parseBumpTarget(
      { image: ours.image, tag: claim.tag, digest: claim.digest },
      { image: 'image', tag: 'tag', digest: 'digest' }
    )
  } catch {
    return undefined
  }
}

/**
 * What this action builds on the base for the newer version a head on the base claims: only such a head
 * can be left standing (judgeHead), so the base's manifests, already read, are all it needs. The
 * publisher writes the tree (through the API, or into its clone).
 */
export async function rebuildClaim(
  baseManifests: () => ManifestSet,
  request: BumpRequest,
  claim: BumpMetadata,
  writeTree: (change: Change) => Promise<string>
): Promise<{ tree: string; change: Change; target: BumpTarget } | undefined> {
  const target = claimedTarget(request.target, claim)
  if (!target) return undefined
  const change = buildChange(baseManifests, { ...request, target })
  if (change.plan.edits.length === 0) return undefined
  return { tree: await writeTree(change), change, target }
}

export function judgeHead(
  facts: HeadFacts,
  target: BumpTarget,
  options: Pick<BumpRunOptions, 'inputNames' | 'branch'>,
  branch: string
): HeadVerdict {
  const { head, baseSha } = facts
  if (!head) return { kind: 'create' }
  if (head.sha === baseSha) return { kind: 'advance' }
  const signed = vouched(head, facts.requireSigned)
  const onBase = head.parents[0] === baseSha
  if (signed && onBase && head.tree === facts.ours) return { kind: 'adopt' }
  const claim = newerClaim(head, target)
  // On the base only: a head on a commit of someone else's (the base plus their files) would be left
  // standing, and described as nothing but a newer version.
  if (claim && signed && onBase && facts.theirs !== undefined && head.tree === facts.theirs)
    return { kind: 'superseded', theirs: claim }
  if (signed && (namesImage(head, target) || isUpdateMerge(facts, target))) return { kind: 'advance' }
  throw new ConfigurationError(
    `The branch ${branch}${options.branch ? ` (input '${options.inputNames.branch}')` : ''} already exists and its head ${head.sha.slice(0, 12)} is not a ${facts.requireSigned ? 'GitHub-signed ' : ''}bump of ${target.image} by this action, so it was left as it is: delete that branch${options.branch ? ` or name another one in '${options.inputNames.branch}'` : ''}, then run again.`
  )
}

/** A branch equal to the base would commit straight to it; refused before anything is read or written. */
export function refuseBaseAsBranch(
  branch: string,
  base: string | undefined,
  names: Pick<BumpRunOptions['inputNames'], 'branch'>
): void {
  if (base !== undefined && branch === base)
    throw new ConfigurationError(
      `Input '${names.branch}' (${branch}) is the base branch; the bump goes on a branch of its own for a pull request: name another one, or leave '${names.branch}' empty.`
    )
}
