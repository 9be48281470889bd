import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { startGitHubApiDouble, type GitHubApiDouble } from '../../../../test/support/github-api-double.js'
import { metricsData } from '../../../../test/support/github-api-metrics.js'
import { memoryLogger } from '../runtime/logger.js'
import { listCommitStatuses } from './checks.js'
import { createOctokit, type GitHubClient } from './octokit.js'

const repo = { owner: 'acme', repo: 'statuses' }
const REF = 'c'.repeat(40)

let api: GitHubApiDouble
let octokit: GitHubClient

beforeAll(async () => {
  api = await startGitHubApiDouble()
  // A monorepo's commit can carry a status per service and environment: 230 contexts, the required one last.
  const statuses = [
    ...Array.from({ length: 229 }, (_, i) => ({ context: `deploy/${i}`, state: 'success' as const })),
    { context: 'secure-pipeline/gate', state: 'failure' as const }
  ]
  metricsData(api.repo(repo.owner, repo.repo)).statuses.set(REF, statuses)
  octokit = createOctokit({
    token: 'ghp_x',
    baseUrl: api.url,
    logger: memoryLogger(),
    timeUnitMs: 1,
    registerSecret: () => {}
  })
})

afterAll(async () => {
  await api.close()
  api.assertNoSpecViolations()
})

describe('listCommitStatuses', () => {
  it('reads every context of a commit, past the first page of 100', async () => {
    const statuses = await listCommitStatuses(octokit, repo, REF)
    expect(statuses).toHaveLength(230)
    expect(statuses.find(s => s.name === 'secure-pipeline/gate')).toEqual({
      name: 'secure-pipeline/gate',
      status: 'failure',
      conclusion: 'failure',
      kind: 'status'
    })
  })

  it('reads a commit without statuses as none', async () => {
    await expect(listCommitStatuses(octokit, repo, 'd'.repeat(40))).resolves.toEqual([])
  })
})
