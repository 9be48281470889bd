import type { PullRequestRecord } from '../../github/pull-requests.js'
import { deploymentOf } from '../drift/timeline.js'
import type { Deployment, Observation } from '../drift/status.js'
import type { ChangeRecord } from './records.js'

const SHA = /\b[0-9a-f]{40}\b/g

/** A merged pull request under the bump prefix that is not counted as the pipeline's, and why. */
export interface RefusedBump {
  pull: PullRequestRecord
  reason: string
}

export interface BumpPullRequests {
  counted: PullRequestRecord[]
  refused: RefusedBump[]
}

/**
 * Why a pull request under the prefix cannot be shown to be bump-manifest-pr's: a branch name, title,
 * body and labels are anyone's to write. What its opener cannot choose is the repository the head
 * branch is in (a fork's is not the manifests repository) and the opener's account type (the action
 * opens them as a GitHub App or GITHUB_TOKEN, a Bot account no person can act as).
 */
function notThePipelines(pull: PullRequestRecord, repository: string): string | undefined {
  if (!pull.headRepository) return `opened from a repository since deleted (a fork), not from ${repository}`
  if (pull.headRepository.toLowerCase() !== repository.toLowerCase())
    return `opened from ${pull.headRepository}, not from ${repository}`
  if (pull.authorType !== 'Bot')
    return `opened by ${pull.author}, not by a GitHub App or GITHUB_TOKEN as bump-manifest-pr does`
  return undefined
}

/** Merged pull requests from a branch under the prefix bump-manifest-pr uses, counted only when provably its own. */
export function bumpPullRequests(
  pulls: readonly PullRequestRecord[],
  prefix: string,
  repository: string
): BumpPullRequests {
  const result: BumpPullRequests = { counted: [], refused: [] }
  for (const pull of pulls) {
    if (!pull.mergedAt || !pull.headRef.startsWith(prefix)) continue
    const reason = notThePipelines(pull, repository)
    if (reason) result.refused.push({ pull, reason })
    else result.counted.push(pull)
  }
  return result
}

/** The commits a bump PR's title or body names: the changes it says it promotes. */
function namedCommits(pull: PullRequestRecord): string[] {
  return `${pull.title}\n${pull.body}`.toLowerCase().match(SHA) ?? []
}

/**
 * Adds to each record the bump PR that promoted it (the first merged one whose title or body names one of
 * its commits or its PR's head) and where that was deployed; without a bump PR, a deployment of the
 * change's own commit (manifests kept in the same repository) is still found. A refused bump that names a
 * change is noted on it, so an auditor sees what was left out and why.
 */
export function addPromotion(
  records: ChangeRecord[],
  bumps: BumpPullRequests,
  repository: string,
  deployed: { deployments: readonly Deployment[]; observations: readonly Observation[] }
): void {
  const byCommit = new Map<string, ChangeRecord>()
  for (const r of records) {
    for (const sha of r.commits) byCommit.set(sha, r)
    if (r.pullRequest) byCommit.set(r.pullRequest.headSha, r)
  }
  for (const { pull, reason } of bumps.refused)
    for (const record of new Set(namedCommits(pull).flatMap(sha => byCommit.get(sha) ?? [])))
      record.notes.push(
        `bump pull request #${pull.number} (${pull.url}) is not counted as its promotion: ${reason}`
      )
  const ordered = [...bumps.counted].sort((a, b) => Date.parse(a.mergedAt!) - Date.parse(b.mergedAt!))
  for (const bump of ordered) {
    for (const sha of namedCommits(bump)) {
      const record = byCommit.get(sha)
      if (!record || record.bump) continue
      record.bump = {
        repository,
        number: bump.number,
        url: bump.url,
        mergedAt: bump.mergedAt,
        mergeCommit: bump.mergeCommitSha
      }
    }
  }
  for (const r of records) {
    const revision = r.bump?.mergeCommit ?? r.commit
    const where = deploymentOf(revision, deployed.deployments, deployed.observations)
    if (where)
      r.deployed = {
        app: where.app,
        revision,
        at: where.at === undefined ? undefined : new Date(where.at).toISOString()
      }
  }
}

/** The revision the pipeline last promoted: the newest bump PR's merge commit. */
export function lastPromoted(bumps: readonly PullRequestRecord[]): string | undefined {
  return [...bumps]
    .filter(b => b.mergeCommitSha)
    .sort((a, b) => Date.parse(b.mergedAt!) - Date.parse(a.mergedAt!))[0]?.mergeCommitSha
}
