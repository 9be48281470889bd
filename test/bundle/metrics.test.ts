import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { createHash } from 'node:crypto'
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import * as path from 'node:path'
import { SEVERITIES } from '../../packages/core/src/findings/finding.js'
import { startGitHubApiDouble, type GitHubApiDouble } from '../support/github-api-double.js'
import { metricsData, type RunSeed } from '../support/github-api-metrics.js'
import { startHttpFileServer, type HttpFileServer } from '../support/http-file-server.js'
import {
  copyGitOpsExamples,
  DAY,
  evidenceHistory,
  iso,
  seedAlerts,
  seedChanges,
  seedRunCommits,
  seedWorkflowRuns,
  type ChangeKind,
  type ChangeTruth,
  type EvidenceHistory
} from '../support/metrics-history.js'
import { REPO_ROOT } from '../support/repo-root.js'
import { nodeRuntimes, runBundle, type BundleRun } from '../support/run-bundle.js'
import { zipArchive } from '../support/zip-writer.js'

const TOKEN = 'ghs_metricsBundleSentinel0123456789'
const END = Date.parse('2026-10-01T00:00:00Z')
const FROM = END - 90 * DAY
const KINDS: ChangeKind[] = [
  'approved',
  'rebase',
  'no-approval',
  'merge-commit',
  'self-approval',
  'approved-after-merge',
  'failing-checks',
  'direct-push'
]
const CLEAN: ChangeKind[] = ['approved', 'rebase', 'merge-commit']

/**
 * The generator's lifetimes, read the way the README defines MTTR, each gate's history on its own; not the
 * code under test.
 */
function expectedMttr(histories: EvidenceHistory[]): Record<string, number | null> {
  return Object.fromEntries(
    SEVERITIES.map(s => {
      const days = histories.flatMap(history => daysToRemediate(history, s))
      const mean = days.reduce((a, b) => a + b, 0) / days.length
      return [s, days.length ? Math.round(mean * 100) / 100 : null]
    })
  )
}

function daysToRemediate(history: EvidenceHistory, severity: string): number[] {
  return history.findings
    .filter(f => f.severity === severity && f.close !== undefined)
    .flatMap(f => {
      const first = history.runs.find(r => r.index >= f.open && !(r.broken && f.scanner === 'trivy'))!
      const gone = history.runs.find(r => r.index >= f.close! && !r.broken)
      if (!gone || first.index === 0 || gone.time < FROM || gone.time > END) return []
      return [(gone.time - first.time) / DAY]
    })
}

function expectedRate(runs: RunSeed[]): string {
  const decided = runs.filter(
    r =>
      r.branch === 'main' &&
      Date.parse(r.createdAt) >= FROM &&
      Date.parse(r.createdAt) <= END &&
      r.status === 'completed' &&
      ['success', 'failure', 'timed_out', 'startup_failure'].includes(r.conclusion!)
  )
  const rate = decided.filter(r => r.conclusion === 'success').length / decided.length
  return String(Math.round(rate * 10_000) / 10_000)
}

describe.each(nodeRuntimes())('metrics bundle on $label', ({ node }) => {
  let double: GitHubApiDouble
  let blobs: HttpFileServer
  let workspace: string
  let truth: { changes: ChangeTruth[]; runs: RunSeed[]; histories: EvidenceHistory[] }
  let run: BundleRun

  beforeAll(async () => {
    double = await startGitHubApiDouble({ token: TOKEN })
    blobs = await startHttpFileServer()
    workspace = mkdtempSync(path.join(tmpdir(), 'metrics-bundle-'))
    const repo = double.repo('octo-org', 'octo-repo')
    const data = metricsData(repo)
    data.blobOrigin = blobs.origin
    data.protection = { requiredApprovals: 1, contexts: ['secure-pipeline'], strict: true }
    // Two gates on the branch, as a matrix over two images uploads them: one artifact name per gate.
    const histories = [15, 16].map((seed, i) =>
      evidenceHistory({
        seed,
        start: FROM - 20 * DAY + i * 3600_000,
        end: END - DAY,
        runs: 60,
        findings: 150,
        brokenRuns: [30],
        exceptionShare: 0.1,
        repository: 'octo-org/octo-repo'
      })
    )
    // The gates tested commits of main: a run whose commit is not on the branch is not read as the branch's.
    const tested = histories.flatMap(h => h.runs).sort((a, b) => a.time - b.time)
    const base = seedRunCommits(
      repo,
      tested.map(r => r.commit),
      FROM - 9 * DAY
    )
    const changes = seedChanges(repo, {
      seed: 12,
      start: FROM + DAY,
      end: END - DAY,
      kinds: Array.from({ length: 120 }, (_, i) => KINDS[i % KINDS.length]!),
      base
    })
    const runs = seedWorkflowRuns(repo, { seed: 13, count: 700, start: FROM - 20 * DAY, end: END })
    seedAlerts(repo, { seed: 14, count: 250, start: FROM - 30 * DAY, end: END })
    let id = 20_000
    const upload = (name: string, r: { runId: number; commit: string; time: number }, text: string) => {
      const zip = zipArchive({ 'evidence.json': text })
      data.artifacts.push({
        id: ++id,
        name,
        runId: r.runId,
        branch: 'main',
        headSha: r.commit,
        createdAt: iso(r.time + 60_000),
        zip
      })
      blobs.setFile(`/artifacts/${id}.zip`, zip)
    }
    histories.forEach((history, i) => {
      for (const r of history.runs) {
        upload(
          ['secure-pipeline-gate-api', 'secure-pipeline-gate-web'][i]!,
          r,
          JSON.stringify(history.document(r.index))
        )
        // Another artifact of the same runs, which the default name prefix leaves alone.
        if (r.index % 10 === 0) upload('coverage-report', r, '{}')
      }
    })
    copyGitOpsExamples(workspace, path.join(REPO_ROOT, 'examples/metrics'))
    double.fail('actions/list-workflow-runs-for-repo', { kind: 'secondary-rate-limit', retryAfterSeconds: 1 })
    truth = { changes, runs, histories }
    run = await runBundle('metrics', {
      node,
      workspace,
      inputs: { token: TOKEN, end: '2026-10-01T00:00:00Z', deployments: 'status/**/*.json' },
      env: { GITHUB_API_URL: double.url },
      timeoutMs: 240_000
    })
  }, 300_000)

  afterAll(async () => {
    await double.close()
    await blobs.close()
    rmSync(workspace, { recursive: true, force: true })
  })

  it('succeeds with valid GitHub requests, the rate limit retried, the token never shown', () => {
    expect([run.status, run.stderr]).toEqual([0, ''])
    double.assertNoSpecViolations()
    expect(double.requestsFor('actions/list-workflow-runs-for-repo')[0]!.status).toBe(429)
    expect(run.stdout).toMatch(/secondary rate limit hit for GET \S*\/actions\/runs/)
    // Masked first, then never written again.
    const shown = run.stdout.split('\n').filter(l => l.includes(TOKEN))
    expect(shown).toEqual([`::add-mask::${TOKEN}`])
    expect(JSON.stringify(run.outputs) + run.summary).not.toContain(TOKEN)
    for (const r of blobs.requests) expect(JSON.stringify(r.headers)).not.toContain(TOKEN)
  })

  it('outputs MTTR, build success rate, changes and flags that match the generated history', () => {
    const mttr = expectedMttr(truth.histories)
    expect(Object.values(mttr).filter(days => days !== null).length).toBeGreaterThanOrEqual(3)
    expect(JSON.parse(run.outputs.mttr!)).toEqual(mttr)
    expect(run.outputs['build-success-rate']).toBe(expectedRate(truth.runs))
    expect(run.outputs.changes).toBe(String(truth.changes.length))
    expect(run.outputs['flagged-changes']).toBe(
      String(truth.changes.filter(c => !CLEAN.includes(c.kind)).length)
    )
    expect(Number(run.outputs['drift-events'])).toBeGreaterThan(0)
    expect(run.outputs['branch-protection-score']).toMatch(/^\d+$/)
    expect(run.outputs).toMatchObject({
      'metrics-file': 'secure-pipeline/metrics/metrics.json',
      'html-report': 'secure-pipeline/metrics/report.html',
      'bundle-dir': 'secure-pipeline/metrics'
    })
  })

  it('writes the evidence bundle: every file listed in SHA256SUMS with its digest, runs and commits covered', () => {
    const dir = path.join(workspace, run.outputs['bundle-dir']!)
    const sums = readFileSync(path.join(dir, 'SHA256SUMS'), 'utf8').trim().split('\n')
    const listed = sums.map(line => line.split('  ')[1])
    expect(listed.sort()).toEqual(
      readdirSync(dir)
        .filter(f => f !== 'SHA256SUMS')
        .sort()
    )
    for (const line of sums) {
      const [digest, name] = line.split('  ')
      expect(
        createHash('sha256')
          .update(readFileSync(path.join(dir, name!)))
          .digest('hex')
      ).toBe(digest)
    }
    const coverage = JSON.parse(readFileSync(path.join(dir, 'coverage.json'), 'utf8'))
    expect(coverage.gateRuns).toHaveLength(truth.histories.reduce((n, h) => n + h.runs.length, 0))
    expect(coverage.brokenEvidence).toEqual([])
    expect(coverage.commits).toHaveLength(truth.changes.reduce((n, c) => n + c.commits.length, 0))
    const csv = readFileSync(path.join(workspace, run.outputs['change-records-csv']!), 'utf8')
    expect(csv.trim().split('\r\n')).toHaveLength(truth.changes.length + 1)
    const sample = JSON.parse(readFileSync(path.join(workspace, run.outputs['sample-file']!), 'utf8'))
    expect(sample.sample).toHaveLength(25)
    expect(sample.seed).toBe('2026-07-03..2026-10-01')
  })

  it('writes a job summary with the tables', () => {
    expect(run.summary).toContain('secure-pipeline metrics')
    expect(run.summary).toMatch(/\|\s*critical\s*\|/)
    expect(run.summary).toContain('Change records')
  })

  it('refuses a period it cannot read with one error line naming the input, before any request', async () => {
    const before = double.requests.length
    const ws = mkdtempSync(path.join(tmpdir(), 'metrics-bundle-bad-'))
    writeFileSync(path.join(ws, '.keep'), '')
    const bad = await runBundle('metrics', {
      node,
      workspace: ws,
      inputs: { token: TOKEN, period: 'forever' },
      env: { GITHUB_API_URL: double.url }
    })
    rmSync(ws, { recursive: true, force: true })
    expect(bad.status).toBe(1)
    expect(bad.stdout.split('\n').filter(l => l.startsWith('::error'))).toEqual([
      expect.stringMatching(/^::error::.*Input 'period' \('forever'\) must be a length like 90d/)
    ])
    expect(double.requests.length).toBe(before)
  })
})
