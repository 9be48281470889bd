import type { PullRequestRecord } from '../../github/pull-requests.js'
import { deploymentOf } from '../drift/timeline.js'
import type { Deployment, Observation } from '../drift/status.js'
import type { ChangeRecord } from './records.js'

const SHA = /\b[0-9a-f]{40}\b/g

/** Bump pull requests: merged, from a branch under the prefix bump-manifest-pr uses. */
export function bumpPullRequests(pulls: readonly PullRequestRecord[], prefix: string): PullRequestRecord[] {
  return pulls.filter(p => p.mergedAt && p.headRef.startsWith(prefix))
}

/**
 * Adds to each record the bump PR that promoted it (the first merged one whose title or body names one of
 * its commits or its PR's head) and where that was deployed; without a bump PR, a deployment of the
 * change's own commit (manifests kept in the same repository) is still found.
 */
export function addPromotion(
  records: ChangeRecord[],
  bumps: readonly PullRequestRecord[],
  repository: string,
  deployed: { deployments: readonly Deployment[]; observations: readonly Observation[] }
): void {
  const byCommit = new Map<string, ChangeRecord>()
  for (const r of records) {
    for (const sha of r.commits) byCommit.set(sha, r)
    if (r.pullRequest) byCommit.set(r.pullRequest.headSha, r)
  }
  const ordered = [...bumps].sort((a, b) => Date.parse(a.mergedAt!) - Date.parse(b.mergedAt!))
  for (const bump of ordered) {
    for (const sha of `${bump.title}\n${bump.body}`.toLowerCase().match(SHA) ?? []) {
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
