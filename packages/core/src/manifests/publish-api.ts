import type { RepoRef } from '../github/context.js'
import type { CommitInfo, GitData } from '../github/git-data.js'
import { ConfigurationError } from '../runtime/errors.js'
import type { Logger } from '../runtime/logger.js'
import {
  advanceParents,
  judgeHead,
  mayBeUpdateMerge,
  newerClaim,
  refuseBaseAsBranch,
  readUpdateMerges,
  rebuildClaim,
  type HistoryReads
} from './bump-head.js'
import { buildChange, checkPlan, type Change } from './change.js'
import { commitManifests } from './commit-manifests.js'
import { findDeclined, type DeclinedPullRequest, type Proposal } from './declined.js'
import type { BumpRunOptions } from './options.js'
import type { BumpRequest } from './plan.js'
import {
  commitMessage,
  composePullRequest,
  type BumpStory,
  type PullRequestText
} from './pull-request-text.js'
import { syncPullRequest } from './pull-request-sync.js'
import { gitBlobSha } from './sources.js'

/** Attempts before giving up when other runs keep moving the branch. */
export const MAX_ATTEMPTS = 5

export interface PublishPlace {
  repository: RepoRef
  base: string
  branch: string
  request: BumpRequest
  story: Omit<BumpStory, 'plan' | 'target'>
}

export type Published =
  | { kind: 'no-change'; change: Change }
  /** A person closed the pull request that proposed this version without merging it: nothing was written. */
  | { kind: 'declined'; change: Change; pullRequest: DeclinedPullRequest }
  | {
      kind: 'published' | 'superseded'
      change: Change
      commit: CommitInfo
      /** Whether this run moved the branch (false: it held this change, or a newer one, already). */
      wrote: boolean
      /** Absent when the git-push path had no token to open one with. */
      pullRequest?: { number: number; url: string }
      created: boolean
      text: PullRequestText
    }

/**
 * A file of the archive must be the file of the commit: an archive applies `export-subst`, so each file
 * about to change is checked against its blob sha in the commit (`export-ignore` paths are read from the
 * tree: commit-manifests.ts).
 */
async function confirmArchive(git: GitData, change: Change, commit: string): Promise<void> {
  for (const edit of change.plan.edits) {
    const found = await git.fileSha(edit.file, commit)
    if (!found || !('sha' in found) || found.sha !== gitBlobSha(edit.before))
      throw new Error(
        `${edit.file} in GitHub's archive of ${commit.slice(0, 12)} is not the file of that commit (a .gitattributes export rule?); nothing was written.`
      )
  }
}

/** The history reads of an "Update branch" merge: commits as GitHub has them, ancestry compared by GitHub. */
const apiHistory = (git: GitData, baseSha: string): HistoryReads => ({
  commit: sha => git.commit(sha),
  inBase: sha => git.inHistoryOf(baseSha, sha)
})

/**
 * The API path: rebuild the change from the head of the base branch (its archive: one request whatever
 * the repository's size), commit it through the Git Data API unsigned by us so GitHub signs it, move the
 * bump branch with compare-and-swap, and keep one pull request for it. When another run moved the
 * branch in between, everything is read again and rebuilt.
 */
export async function publishThroughApi(
  git: GitData,
  options: BumpRunOptions,
  place: PublishPlace,
  logger: Logger
): Promise<Published> {
  const name = `${place.repository.owner}/${place.repository.repo}`
  refuseBaseAsBranch(place.branch, place.base, options.inputNames)
  for (let attempt = 1; ; attempt++) {
    const baseSha = await git.branchHead(place.base)
    if (!baseSha) throw new ConfigurationError(`The base branch ${place.base} does not exist in ${name}.`)
    const baseCommit = await git.commit(baseSha)
    const readBase = await commitManifests(git, baseCommit, manifestsOf(options, name), logger)
    const change = buildChange(readBase, place.request)
    checkPlan(change.plan, place.request.target, options)
    if (change.plan.edits.length === 0) return { kind: 'no-change', change }
    await confirmArchive(git, change, baseSha)

    const headSha = await git.branchHead(place.branch)
    const head = headSha ? await git.commit(headSha) : undefined
    const story: BumpStory = { ...place.story, target: place.request.target, plan: change.plan }
    let text = composePullRequest(story)
    const tree = await treeOf(git, baseCommit.tree, change)
    const claim = head?.parents[0] === baseSha ? newerClaim(head, place.request.target) : undefined
    const theirs = claim
      ? await rebuildClaim(readBase, place.request, claim, theirChange =>
          treeOf(git, baseCommit.tree, theirChange)
        )
      : undefined
    const updateMerge = mayBeUpdateMerge(head, baseSha, place.request.target, options.requireVerified)
      ? await readUpdateMerges(
          head,
          { baseSha, target: place.request.target, requireSigned: options.requireVerified },
          apiHistory(git, baseSha)
        )
      : undefined
    let verdict = judgeHead(
      {
        head,
        baseSha,
        ours: tree,
        requireSigned: options.requireVerified,
        ...(theirs ? { theirs: theirs.tree } : {}),
        ...(updateMerge ? { updateMerge } : {})
      },
      place.request.target,
      options,
      place.branch
    )
    const declinedIn = (proposal: Proposal) =>
      findDeclined(git, { branch: place.branch, base: place.base, baseSha }, proposal, {
        requireSigned: options.requireVerified,
        treeOn: async (parent, target) => {
          const parentCommit = await git.commit(parent)
          const read = await commitManifests(git, parentCommit, manifestsOf(options, name), logger)
          const rebuilt = buildChange(read, { ...place.request, target })
          return rebuilt.plan.edits.length > 0 ? treeOf(git, parentCommit.tree, rebuilt) : undefined
        }
      })
    // A newer version a person declined holds nothing back: this run's version replaces it on the branch.
    const theirsDeclined =
      verdict.kind === 'superseded'
        ? await declinedIn({ target: theirs!.target, tree: theirs!.tree })
        : undefined
    if (theirsDeclined) {
      logger.info(
        `${place.branch} holds ${theirs!.target.tag}, declined in #${theirsDeclined.number}; proposing ${place.request.target.tag} instead.`
      )
      verdict = { kind: 'advance' }
    }
    const declined =
      verdict.kind === 'superseded' ? undefined : await declinedIn({ target: place.request.target, tree })
    if (declined) return { kind: 'declined', change, pullRequest: declined }

    let commit: CommitInfo
    if (verdict.kind === 'superseded') {
      logger.info(
        `${place.branch} already holds ${verdict.theirs.image}:${verdict.theirs.tag}, newer than ${place.request.target.tag}; leaving it.`
      )
      commit = head!
      text = composePullRequest({
        ...withoutOrigin(place.story),
        target: theirs!.target,
        plan: theirs!.change.plan
      })
    } else if (verdict.kind === 'adopt') commit = head!
    else {
      const made = await git.createCommit(
        commitMessage(text),
        tree,
        advanceParents(baseSha, head, updateMerge !== undefined)
      )
      checkSigned(made, options)
      const moved = head
        ? await git.advanceBranch(place.branch, made.sha)
        : await git.createBranch(place.branch, made.sha)
      if (moved === 'taken' || moved === 'moved-on') {
        if (attempt >= MAX_ATTEMPTS)
          throw new Error(
            `Other runs moved ${place.branch} ${attempt} times while this run wrote it; run again.`
          )
        logger.info(
          `Another run moved ${place.branch} since it was read; rebuilding from ${place.base} (attempt ${attempt + 1}).`
        )
        continue
      }
      commit = made
      logger.info(
        `${head ? 'Advanced' : 'Created'} ${place.branch} at ${made.sha} (GitHub signature: ${made.verification}).`
      )
    }
    const synced = await syncPullRequest(
      git,
      options,
      { branch: place.branch, base: place.base, ours: commit, text },
      logger
    )
    return {
      kind: verdict.kind === 'superseded' ? 'superseded' : 'published',
      change,
      commit,
      wrote: commit !== head,
      pullRequest: { number: synced.pullRequest.number, url: synced.pullRequest.url },
      created: synced.created,
      text
    }
  }
}

const manifestsOf = (options: BumpRunOptions, source: string) => ({
  paths: options.paths,
  inputName: options.inputNames.paths,
  source
})

/** The tree of `baseTree` with the change's edits; GitHub names it, so building it is how its sha is known. */
async function treeOf(git: GitData, baseTree: string, change: Change): Promise<string> {
  return git.createTree(
    baseTree,
    await Promise.all(
      change.plan.edits.map(async edit => ({
        path: edit.file,
        mode: change.set.modes.get(edit.file) ?? ('100644' as const),
        sha: await git.createBlob(edit.after)
      }))
    )
  )
}

/** The story of a version another run published: where its digest came from is not known here. */
export function withoutOrigin(story: PublishPlace['story']): PublishPlace['story'] {
  const rest = { ...story }
  delete rest.digestOrigin
  return rest
}

/** GitHub signs commits it creates for an App or GITHUB_TOKEN; a personal access token's are unsigned. */
function checkSigned(commit: CommitInfo, options: BumpRunOptions): void {
  if (commit.verified || !options.requireVerified) return
  throw new ConfigurationError(
    `GitHub did not sign the bump commit (verification: ${commit.verification}), so the branch was not moved. A personal access token gives unsigned API commits: use a GitHub App token (actions/create-github-app-token) in '${options.inputNames.token}', or set '${options.inputNames.requireVerified}' to false.`
  )
}
