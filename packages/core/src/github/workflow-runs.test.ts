import { describe, expect, it } from '@jest/globals'
import { startGitHubApiDouble } from '../../../../test/support/github-api-double.js'
import { memoryLogger } from '../runtime/logger.js'
import { listArtifacts } from './artifacts.js'
import { createOctokit, type GitHubClient } from './octokit.js'
import { getWorkflowRun, listWorkflowRuns } from './workflow-runs.js'

const repo = { owner: 'octo-org', repo: 'app' }
const REPO_ID = 42

/** A client that answers getWorkflowRun with one run, as GitHub serves it. */
function client(headRepository: { id: number } | null): GitHubClient {
  const data = {
    id: 1,
    name: 'Deploy preview',
    path: '.github/workflows/preview.yml',
    head_branch: 'main',
    event: 'workflow_run',
    status: 'completed',
    conclusion: 'failure',
    created_at: '2026-09-20T00:00:00Z',
    run_attempt: 1,
    head_sha: 'f'.repeat(40),
    repository: { id: REPO_ID },
    head_repository: headRepository
  }
  return { rest: { actions: { getWorkflowRun: () => Promise.resolve({ data }) } } } as unknown as GitHubClient
}

describe('WorkflowRunRecord.fromFork: whose commit a run built', () => {
  it('is false for a run of this repository’s own commit', async () => {
    expect((await getWorkflowRun(client({ id: REPO_ID }), repo, 1)).fromFork).toBe(false)
  })

  it('is true for a run of another repository’s commit', async () => {
    expect((await getWorkflowRun(client({ id: REPO_ID + 1 }), repo, 1)).fromFork).toBe(true)
  })

  // GitHub serves head_repository: null once the fork is deleted (github/rest-api-description#1586);
  // this repository, whose runs are being read, still exists, so the run's commit was another's.
  it('is true when the head repository no longer exists (a deleted fork)', async () => {
    expect((await getWorkflowRun(client(null), repo, 1)).fromFork).toBe(true)
  })
})

describe('a token that may not read Actions', () => {
  it("names the endpoint and 'actions: read', not GitHub's bare 403", async () => {
    const api = await startGitHubApiDouble()
    try {
      const octokit = createOctokit({
        token: 'ghs_x',
        baseUrl: api.url,
        logger: memoryLogger(),
        timeUnitMs: 1,
        registerSecret: () => {}
      })
      api.fail('actions/list-workflow-runs-for-repo', { kind: 'forbidden' })
      const window = { from: new Date('2026-09-01T00:00:00Z'), to: new Date('2026-09-30T00:00:00Z') }
      await expect(listWorkflowRuns(octokit, repo, window)).rejects.toThrow(
        /^403: Resource not accessible by integration; .*actions\/runs.*'permissions: actions: read'/
      )
      api.fail('actions/list-artifacts-for-repo', { kind: 'forbidden' })
      await expect(listArtifacts(octokit, repo, { name: 'x', since: window.from })).rejects.toThrow(
        /^403: Resource not accessible by integration; .*actions\/artifacts.*'permissions: actions: read'/
      )
      api.assertNoSpecViolations()
    } finally {
      await api.close()
    }
  })
})
