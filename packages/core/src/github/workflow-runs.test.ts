import { describe, expect, it } from '@jest/globals'
import type { GitHubClient } from './octokit.js'
import { getWorkflowRun } from './workflow-runs.js'

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
