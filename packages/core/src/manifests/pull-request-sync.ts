import type { CommitInfo, GitData, PullRequestInfo } from '../github/git-data.js'
import { getErrorMessage } from '../runtime/errors.js'
import type { Logger } from '../runtime/logger.js'
import type { BumpRunOptions } from './options.js'
import { readCommitMessage, type PullRequestText } from './pull-request-text.js'

/** GITHUB_TOKEN's account: pull requests it opens start no workflow runs. */
const GITHUB_TOKEN_ACCOUNT = 'github-actions[bot]'

export interface SyncedPullRequest {
  pullRequest: PullRequestInfo
  created: boolean
  updated: boolean
}

const SYNC_ROUNDS = 5

/**
 * Makes the one open pull request for the branch show what the branch head holds: opened if there is
 * none, its title and body updated if they differ. For the head this run wrote or checked, the text is
 * this run's own; the head is read again afterwards, and when another run moved it on, that run's text
 * is taken from its commit, so the text that stays is always the last commit's. A commit's message is
 * anyone's to write: it is only read from a commit of this action GitHub signed (when signatures are
 * required), and a head that is none of these stops the run before the pull request is touched.
 */
export async function syncPullRequest(
  git: GitData,
  options: Pick<BumpRunOptions, 'labels' | 'reviewers' | 'autoMerge' | 'inputNames' | 'requireVerified'>,
  place: { branch: string; base: string; ours: CommitInfo; text: PullRequestText },
  logger: Logger
): Promise<SyncedPullRequest> {
  let last: SyncedPullRequest | undefined
  for (let round = 0; round < SYNC_ROUNDS; round++) {
    const head = await git.branchHead(place.branch)
    if (head === undefined)
      throw new Error(`The branch ${place.branch} was deleted while this run was opening its pull request.`)
    const text = head === place.ours.sha ? place.text : textOf(await git.commit(head), options, place.branch)
    let pullRequest = await git.openPullRequest(place.branch, place.base)
    let created = false
    let updated = false
    if (!pullRequest) {
      const made = await git.createPullRequest(place.branch, place.base, text.title, text.body)
      if (made === 'exists') continue // another run opened it a moment ago: update that one
      pullRequest = made
      created = true
      await decorate(git, options, pullRequest, logger)
    } else if (pullRequest.title !== text.title || pullRequest.body !== text.body) {
      pullRequest = await git.updatePullRequest(pullRequest.number, text.title, text.body)
      updated = true
    }
    last = {
      pullRequest,
      created: created || (last?.created ?? false),
      updated: updated || (last?.updated ?? false)
    }
    if ((await git.branchHead(place.branch)) === head) break
  }
  if (!last)
    throw new Error(`Could not open a pull request for ${place.branch} after ${SYNC_ROUNDS} attempts.`)
  if (last.created && last.pullRequest.author === GITHUB_TOKEN_ACCOUNT)
    logger.warning(
      `Pull request #${last.pullRequest.number} was opened with GITHUB_TOKEN, so no workflow runs on it (GitHub does not start workflows for events GITHUB_TOKEN causes): its checks will not run. Pass a GitHub App token (actions/create-github-app-token) in '${options.inputNames.token}'.`
    )
  return last
}

/** The text of a head another run wrote after this one. */
function textOf(
  commit: CommitInfo,
  options: Pick<BumpRunOptions, 'requireVerified'>,
  branch: string
): PullRequestText {
  const text = readCommitMessage(commit.message)
  if (!text || (options.requireVerified && !commit.verified))
    throw new Error(
      `${branch} moved to ${commit.sha.slice(0, 12)} while this run opened its pull request, and that commit is not a ${options.requireVerified ? 'GitHub-signed ' : ''}bump by this action; the pull request was left as it is.`
    )
  return { title: text.title, body: text.body }
}

/** Labels, reviewers and auto-merge, set once when the pull request is opened; a person may change them later. */
async function decorate(
  git: GitData,
  options: Pick<BumpRunOptions, 'labels' | 'reviewers' | 'autoMerge'>,
  pullRequest: PullRequestInfo,
  logger: Logger
): Promise<void> {
  const attempt = async (what: string, step: () => Promise<void>) => {
    try {
      await step()
    } catch (error) {
      logger.warning(`Could not ${what} on pull request #${pullRequest.number}: ${getErrorMessage(error)}`)
    }
  }
  if (options.labels.length > 0)
    await attempt('add labels', () => git.addLabels(pullRequest.number, options.labels))
  const teams = options.reviewers.filter(r => r.includes('/')).map(r => r.slice(r.indexOf('/') + 1))
  const users = options.reviewers.filter(r => !r.includes('/'))
  if (users.length + teams.length > 0)
    await attempt('request reviewers', () => git.requestReviewers(pullRequest.number, users, teams))
  if (options.autoMerge)
    await attempt('enable auto-merge (allow it in the repository settings)', () =>
      git.enableAutoMerge(
        pullRequest.nodeId,
        options.autoMerge!.toUpperCase() as 'MERGE' | 'SQUASH' | 'REBASE'
      )
    )
}
