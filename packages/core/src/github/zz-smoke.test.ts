import { afterAll, beforeAll, expect, it } from '@jest/globals'
import { startGitHubApiDouble, type GitHubApiDouble } from '../../../../test/support/github-api-double.js'
import { metricsData } from '../../../../test/support/github-api-metrics.js'
import { createOctokit } from './octokit.js'
import { memoryLogger } from '../runtime/logger.js'
import { listWorkflowRuns } from './workflow-runs.js'
let double: GitHubApiDouble
beforeAll(async () => { double = await startGitHubApiDouble() }, 60000)
afterAll(async () => { await double.close() })
it('runs', async () => {
  const repo = double.repo('acme', 'app')
  for (let i = 0; i < 250; i++) metricsData(repo).runs.push({ id: i + 1, workflow: 'CI', path: '.github/workflows/ci.yml', branch: 'main', event: 'push', status: 'completed', conclusion: i % 5 ? 'success' : 'failure', createdAt: new Date(Date.parse('2026-03-01T00:00:00Z') + i * 3600_000).toISOString().replace(/\.\d+Z/, 'Z'), headSha: 'a'.repeat(40) })
  const octokit = createOctokit({ token: 't', baseUrl: double.url, logger: memoryLogger(), registerSecret: () => {} })
  const runs = await listWorkflowRuns(octokit, { owner: 'acme', repo: 'app' }, { from: new Date('2026-03-02T00:00:00Z'), to: new Date('2026-03-20T00:00:00Z') })
  console.log(runs.length, double.requests.length, JSON.stringify(double.failures).slice(0, 3000))
  expect(double.failures).toEqual([])
}, 60000)
