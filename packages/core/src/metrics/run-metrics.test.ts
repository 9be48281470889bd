import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { createHash } from 'node:crypto'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import * as path from 'node:path'
import { startGitHubApiDouble, type GitHubApiDouble } from '../../../../test/support/github-api-double.js'
import {
  metricsData,
  putDatedCommit,
  type AlertSeed,
  type RunSeed
} from '../../../../test/support/github-api-metrics.js'
import { startHttpFileServer, type HttpFileServer } from '../../../../test/support/http-file-server.js'
import {
  DAY,
  evidenceHistory,
  FLAGS_UNDER_PROTECTION,
  iso,
  seedAlerts,
  seedChanges,
  seedRunCommits,
  seedWorkflowRuns,
  sha,
  type ChangeKind,
  type ChangeTruth,
  type EvidenceHistory
} from '../../../../test/support/metrics-history.js'
import { metricsOptions } from '../../../../test/support/metrics-options.js'
import { zipArchive } from '../../../../test/support/zip-writer.js'
import { SEVERITIES, type Severity } from '../findings/finding.js'
import { ConfigurationError } from '../runtime/errors.js'
import { JobSummary } from '../runtime/job-summary.js'
import { memoryLogger } from '../runtime/logger.js'
import { createMetricsGitHub } from './github-port.js'
import type { MetricsOptions } from './ports.js'
import { runMetrics } from './run-metrics.js'

const TOKEN = 'ghs_metricsSentinelToken42'
const END = Date.parse('2026-10-01T00:00:00Z')
const FROM = END - 90 * DAY
const KINDS: ChangeKind[] = [
  'approved',
  'approved',
  'rebase',
  'merge-commit',
  'no-approval',
  'approved-after-merge',
  'self-approval',
  'failing-checks',
  'direct-push',
  'approved'
]
/** What each kind of change must be flagged with, under protection requiring 1 approval and the pipeline check. */
let double: GitHubApiDouble
let blobs: HttpFileServer
let workspace: string

beforeAll(async () => {
  double = await startGitHubApiDouble({ token: TOKEN })
  blobs = await startHttpFileServer()
  workspace = mkdtempSync(path.join(tmpdir(), 'metrics-api-'))
}, 60_000)

afterAll(async () => {
  await double.close()
  await blobs.close()
  rmSync(workspace, { recursive: true, force: true })
})

function options(overrides: Partial<MetricsOptions> = {}): MetricsOptions {
  return metricsOptions(workspace, {
    end: new Date(END).toISOString(),
    evidenceArtifact: 'secure-pipeline-gate',
    maxArtifacts: 500,
    outputDir: path.join(workspace, 'out', String(Math.random()).slice(2)),
    inputNames: {
      period: 'period',
      end: 'end',
      evidence: 'evidence',
      deployments: 'deployments',
      outputDir: 'output-dir'
    },
    ...overrides
  })
}

async function run(owner: string, name: string, extra: Partial<MetricsOptions> = {}) {
  const logger = memoryLogger()
  const summary = new JobSummary()
  const github = createMetricsGitHub({
    token: TOKEN,
    tokenInput: 'token',
    repository: { owner, repo: name },
    env: { GITHUB_API_URL: double.url },
    logger,
    octokit: { timeUnitMs: 1, registerSecret: () => {} }
  })
  const result = await runMetrics(options(extra), {
    logger,
    summary,
    now: () => new Date(END + 3600_000),
    github,
    context: { repository: `${owner}/${name}` }
  })
  return { result, logger, summary, usage: github.usage() }
}

/** Each gate run of the branch history uploaded as the artifact its run would have uploaded. */
function uploadEvidence(
  repo: ReturnType<GitHubApiDouble['repo']>,
  history: EvidenceHistory
): Map<number, Buffer> {
  const bytes = new Map<number, Buffer>()
  for (const r of history.runs) {
    const text = Buffer.from(JSON.stringify(history.document(r.index)))
    bytes.set(r.runId, text)
    addArtifact(repo, {
      runId: r.runId,
      branch: 'main',
      headSha: r.commit,
      createdAt: iso(r.time + 60_000),
      files: { 'evidence.json': text, 'report.html': '<html></html>' }
    })
  }
  return bytes
}

let nextArtifact = 9000
function addArtifact(
  repo: ReturnType<GitHubApiDouble['repo']>,
  a: {
    runId: number
    branch: string
    headSha: string
    createdAt: string
    files: Record<string, Buffer | string>
    fromFork?: boolean
    expired?: boolean
    name?: string
  }
): number {
  const id = nextArtifact++
  const zip = zipArchive(a.files)
  metricsData(repo).artifacts.push({
    id,
    name: a.name ?? 'secure-pipeline-gate',
    runId: a.runId,
    branch: a.branch,
    headSha: a.headSha,
    createdAt: a.createdAt,
    zip,
    fromFork: a.fromFork,
    expired: a.expired
  })
  blobs.setFile(`/artifacts/${id}.zip`, zip)
  return id
}

const successRate = (runs: RunSeed[]) => {
  const decided = runs.filter(
    r =>
      r.status === 'completed' &&
      ['success', 'failure', 'timed_out', 'startup_failure'].includes(r.conclusion!)
  )
  return decided.length
    ? Math.round((decided.filter(r => r.conclusion === 'success').length / decided.length) * 10_000) / 10_000
    : null
}

const alertMttr = (alerts: AlertSeed[]) =>
  Object.fromEntries(
    ['critical', 'high', 'medium', 'low'].map(s => {
      const fixed = alerts.filter(
        a =>
          a.securitySeverity === s &&
          a.fixedAt &&
          Date.parse(a.fixedAt) >= FROM &&
          Date.parse(a.fixedAt) <= END
      )
      const mean =
        fixed.reduce((n, a) => n + Date.parse(a.fixedAt!) - Date.parse(a.createdAt), 0) / fixed.length / DAY
      return [s, fixed.length ? Math.round(mean * 100) / 100 : null]
    })
  )

/** MTTR from the generator's lifetimes (first seen, first complete run after it is gone). */
function evidenceMttr(history: EvidenceHistory, severity: Severity): number | null {
  const days = history.findings
    .filter(f => f.severity === severity && f.close !== undefined)
    .flatMap(f => {
      const first = history.runs.find(r => r.index >= f.open && !(r.broken && f.scanner === 'trivy'))!
      const gone = history.runs.find(r => r.index >= f.close! && !r.broken)
      if (!gone || first.index === 0 || gone.time < FROM || gone.time > END) return []
      return [(gone.time - first.time) / DAY]
    })
  return days.length ? Math.round((days.reduce((a, b) => a + b, 0) / days.length) * 100) / 100 : null
}

describe('metrics from the GitHub API (the OpenAPI-validating double), paginated, realistic volumes', () => {
  let truth: {
    changes: ChangeTruth[]
    runs: RunSeed[]
    alerts: AlertSeed[]
    history: EvidenceHistory
    evidence: Map<number, Buffer>
    pullRunEvidence: Map<number, Buffer>
  }
  let outcome: Awaited<ReturnType<typeof run>>
  let forkArtifact: number
  let forgedArtifact: number

  beforeAll(async () => {
    const repo = double.repo('acme', 'app')
    const data = metricsData(repo)
    data.blobOrigin = blobs.origin
    data.protection = {
      requiredApprovals: 1,
      contexts: ['secure-pipeline'],
      strict: true,
      enforceAdmins: false
    }
    data.rulesets = [
      {
        id: 7,
        name: 'main',
        rules: [{ type: 'non_fast_forward' }, { type: 'deletion' }],
        bypassActors: [{ actor_id: 5, actor_type: 'RepositoryRole', bypass_mode: 'always' }]
      }
    ]
    const history = evidenceHistory({
      seed: 31,
      start: FROM - 30 * DAY,
      end: END - 3600_000,
      runs: 120,
      findings: 250,
      brokenRuns: [40, 90],
      exceptionShare: 0.1
    })
    // The gate runs tested commits of main (the mislabelled artifact's too): only those are read as its runs.
    const base = seedRunCommits(repo, [...history.runs.map(r => r.commit), 'e'.repeat(40)], FROM - 9 * DAY)
    const changes = seedChanges(repo, {
      seed: 21,
      start: FROM + DAY,
      end: END - DAY,
      kinds: Array.from({ length: 300 }, (_, i) => KINDS[i % KINDS.length]!),
      base
    })
    const runs = seedWorkflowRuns(repo, { seed: 5, count: 1200, start: FROM - 40 * DAY, end: END + 5 * DAY })
    // Runs a fork's pull request triggered (workflow_run), named after the fork's branch, main: all failed.
    const forkRuns: RunSeed[] = [1, 2, 3].map(i => ({
      id: 70_000_000 + i,
      workflow: 'Deploy preview',
      path: '.github/workflows/preview.yml',
      branch: 'main',
      event: 'workflow_run',
      status: 'completed',
      conclusion: 'failure',
      createdAt: iso(END - i * DAY),
      headSha: 'f'.repeat(39) + i,
      fromFork: true
    }))
    metricsData(repo).runs.push(...forkRuns)
    runs.push(...forkRuns)
    const alerts = seedAlerts(repo, { seed: 6, count: 400, start: FROM - 60 * DAY, end: END })
    const evidence = uploadEvidence(repo, history)
    // The last gate run of some merged pull requests, before their merge: the verdict their change records show.
    const pullRunEvidence = new Map<number, Buffer>()
    for (const change of changes.filter((c, i) => c.pullNumber && i % 9 === 0)) {
      const doc = { ...history.document(5), generatedAt: new Date(change.at - 3600_000).toISOString() }
      const runId = 7_000_000 + change.pullNumber!
      doc.run = {
        ...doc.run,
        ref: `refs/pull/${change.pullNumber}/merge`,
        event: 'pull_request',
        runId: String(runId),
        commit: sha(`test-merge-${change.pullNumber}`)
      }
      const text = Buffer.from(JSON.stringify(doc))
      pullRunEvidence.set(change.pullNumber!, text)
      addArtifact(repo, {
        runId,
        branch: `feature/${change.pullNumber}`,
        headSha: change.headSha!,
        createdAt: iso(change.at - 3000_000),
        files: { 'gate/evidence.json': text }
      })
    }
    // A fork's pull request uploads a forged history under the same name, on a branch it called main.
    forkArtifact = addArtifact(repo, {
      runId: 666,
      branch: 'main',
      headSha: 'f'.repeat(40),
      createdAt: iso(END - DAY),
      fromFork: true,
      files: { 'evidence.json': JSON.stringify({ ...history.document(0), findings: [] }) }
    })
    // An artifact whose evidence names another run than the one that uploaded it.
    forgedArtifact = addArtifact(repo, {
      runId: 4242,
      branch: 'main',
      headSha: 'e'.repeat(40),
      createdAt: iso(END - 2 * DAY),
      files: { 'evidence.json': history.document(3).run.runId ? JSON.stringify(history.document(3)) : '' }
    })
    addArtifact(repo, {
      runId: 4343,
      branch: 'main',
      headSha: 'd'.repeat(40),
      createdAt: iso(END - 3 * DAY),
      expired: true,
      files: { 'evidence.json': '{}' }
    })
    // Rate limits on the way: a secondary limit on the runs list and a primary one on reviews, each retried.
    double.fail('actions/list-workflow-runs-for-repo', { kind: 'secondary-rate-limit', retryAfterSeconds: 3 })
    double.fail('pulls/list-reviews', { kind: 'primary-rate-limit', resetInSeconds: 2 })
    double.fail('checks/list-for-ref', { kind: 'server-error', status: 502 })
    truth = { changes, runs, alerts, history, evidence, pullRunEvidence }
    outcome = await run('acme', 'app')
  }, 300_000)

  it('spoke valid GitHub: every request matched the REST description, and the token never reached the blob host', () => {
    double.assertNoSpecViolations()
    expect(blobs.requests.length).toBeGreaterThan(100)
    for (const r of blobs.requests) expect(JSON.stringify(r.headers)).not.toContain(TOKEN)
  })

  it('retried the rate-limited and failed requests and still read everything', () => {
    const runsList = double.requestsFor('actions/list-workflow-runs-for-repo')
    expect(runsList[0]!.status).toBe(429)
    expect(double.requestsFor('pulls/list-reviews').filter(r => r.status === 403)).toHaveLength(1)
    expect(double.requestsFor('checks/list-for-ref').filter(r => r.status === 502)).toHaveLength(1)
    expect(outcome.logger.lines.join('\n')).toMatch(
      /secondary rate limit hit for GET \S*\/repos\/acme\/app\/actions\/runs\?/
    )
    expect(outcome.result.document.changes?.population).toBe(truth.changes.length)
  })

  it('build success rate on the default branch and per workflow, from the runs of the period; pages, not runs, set the requests', () => {
    const inPeriod = truth.runs.filter(r => Date.parse(r.createdAt) >= FROM && Date.parse(r.createdAt) <= END)
    const builds = outcome.result.document.builds!
    const onMain = inPeriod.filter(r => r.branch === 'main' && !r.fromFork)
    expect(builds.branch.rate).toBe(successRate(onMain))
    expect(builds.branch.runs).toBe(onMain.length)
    expect(builds.rows.find(r => r.branch === 'main (forks)')).toMatchObject({ runs: 3, failure: 3, rate: 0 })
    const ci = builds.rows.find(r => r.workflow === 'CI' && r.branch === 'main')!
    expect(ci.rate).toBe(successRate(inPeriod.filter(r => r.workflow === 'CI' && r.branch === 'main')))
    // Newest first: the list stops at the first page that reaches past the period's start.
    const newestFirst = [...truth.runs].sort((a, b) => (a.createdAt < b.createdAt ? 1 : -1))
    const lastNeeded = newestFirst.findIndex(r => Date.parse(r.createdAt) < FROM)
    const pages = Math.floor(lastNeeded / 100) + 1
    expect(
      double.requestsFor('actions/list-workflow-runs-for-repo').filter(r => r.status === 200)
    ).toHaveLength(pages)
    expect(pages).toBeLessThan(Math.ceil(truth.runs.length / 100))
  })

  it('code scanning MTTR from created → fixed, and the open alerts', () => {
    const cs = outcome.result.document.codeScanning!
    expect(
      Object.fromEntries(['critical', 'high', 'medium', 'low'].map(s => [s, cs.mttr[s as 'high'].meanDays]))
    ).toEqual(alertMttr(truth.alerts))
    expect(cs.open.high).toBe(
      truth.alerts.filter(a => a.state === 'open' && a.securitySeverity === 'high').length
    )
    expect(outcome.result.document.sources.codeScanning).toEqual({
      status: 'read',
      alerts: truth.alerts.length
    })
    // The generated alerts and the generated evidence are different histories: every severity disagrees somewhere.
    expect(cs.disagreements.length).toBeGreaterThan(0)
  })

  it("vulnerability MTTR from the branch's evidence artifacts; a fork's artifact is never downloaded, a mislabelled one is refused", () => {
    const doc = outcome.result.document
    expect(doc.sources.evidence.branchRuns).toBe(truth.history.runs.length)
    expect(doc.sources.evidence.pullRequestRuns).toBe(truth.pullRunEvidence.size)
    expect(blobs.requests.some(r => r.path === `/artifacts/${forkArtifact}.zip`)).toBe(false)
    expect(doc.sources.evidence.artifacts!.skipped).toEqual(
      expect.arrayContaining([
        { reason: "uploaded by a fork's pull request run (never trusted)", count: 1 },
        { reason: 'expired', count: 1 }
      ])
    )
    expect(doc.sources.evidence.broken).toEqual([
      {
        source: `artifact secure-pipeline-gate #${forgedArtifact} (run 4242): evidence.json`,
        message: `says it was written by run ${truth.history.document(3).run.runId}, but run 4242 uploaded it`
      }
    ])
    for (const s of SEVERITIES)
      expect([s, doc.vulnerabilities.mttr[s].meanDays]).toEqual([s, evidenceMttr(truth.history, s)])
    expect(doc.sources.evidence.status).toBe('read')
    // Each run named main read once for what started it: the history's runs and the mislabelled one.
    const runReads = ofRepo('actions/get-workflow-run', 'app').map(r => r.path)
    expect(runReads.sort()).toEqual(
      [...truth.history.runs.map(r => r.runId), 4242].map(id => `/repos/acme/app/actions/runs/${id}`).sort()
    )
  })

  it("lists main's commits from its tip by commit id, never by the bare name a tag could take", () => {
    const tip = truth.changes[truth.changes.length - 1]!.commit
    const lists = ofRepo('repos/list-commits', 'app')
    expect(lists.length).toBeGreaterThan(1)
    expect(new Set(lists.map(r => r.query.sha))).toEqual(new Set([tip]))
  })

  it('one change record per pull request or direct push, with the flags its history earns', () => {
    const records = outcome.result.records
    expect(records).toHaveLength(truth.changes.length)
    const order = [
      'direct-push',
      'no-approval',
      'self-approval',
      'failing-checks',
      'failing-gate',
      'admin-bypass'
    ]
    for (const change of truth.changes) {
      const record = records.find(r => r.commit === change.commit)!
      // The pull request runs uploaded above carry a verdict: one other than pass is flagged.
      const gate = change.pullNumber ? truth.pullRunEvidence.get(change.pullNumber) : undefined
      const gateFailed = gate !== undefined && JSON.parse(gate.toString()).verdict.outcome !== 'pass'
      const expected = order.filter(
        f => FLAGS_UNDER_PROTECTION[change.kind].includes(f) || (f === 'failing-gate' && gateFailed)
      )
      expect([change.kind, record.flags]).toEqual([change.kind, expected])
      expect(record.commits).toEqual(change.commits)
      if (change.pullNumber) {
        expect(record.pullRequest?.number).toBe(change.pullNumber)
        expect(record.author).toBe(change.author)
      }
    }
    // Flagged first.
    const firstClean = records.findIndex(r => r.flags.length === 0)
    expect(records.slice(firstClean).every(r => r.flags.length === 0)).toBe(true)
    expect(outcome.result.document.changes!.byFlag['direct-push']).toBe(
      truth.changes.filter(c => c.kind === 'direct-push').length
    )
  })

  it("shows the gate verdict and the evidence file's sha256 of the last pull request run before the merge", () => {
    for (const [number, bytes] of truth.pullRunEvidence) {
      const record = outcome.result.records.find(r => r.pullRequest?.number === number)!
      expect(record.gate?.sha256).toBe(createHash('sha256').update(bytes).digest('hex'))
      expect(record.gate?.when).toBe('before merge')
    }
  })

  it('scores branch protection and lists what is missing', () => {
    const p = outcome.result.document.branchProtection!
    // Force pushes and deletion blocked (ruleset), 1 approval, PRs required, strict checks; no last-push approval.
    expect(p.score).toBe(5)
    expect(p.pipelineRequired).toBe(true)
    expect(p.facts.bypassActors).toEqual(['RepositoryRole 5 always'])
    expect(p.missing[0]).toBe('tier 2: approval of the most recent push required')
  })

  it('writes the bundle: every file listed in SHA256SUMS with its real digest, the sample drawn with the period as seed', () => {
    const dir = path.dirname(outcome.result.files.metrics)
    const sums = readFileSync(path.join(dir, 'SHA256SUMS'), 'utf8').trim().split('\n')
    expect(sums.map(l => l.split('  ')[1]).sort()).toEqual(
      [
        'change-records.csv',
        'change-records.json',
        'coverage.json',
        'metrics.json',
        'report.html',
        'sample.csv',
        'sample.json'
      ].sort()
    )
    for (const line of sums) {
      const [digest, name] = line.split('  ')
      expect(
        createHash('sha256')
          .update(readFileSync(path.join(dir, name!)))
          .digest('hex')
      ).toBe(digest)
    }
    const sample = JSON.parse(readFileSync(path.join(dir, 'sample.json'), 'utf8'))
    expect(sample.seed).toBe(outcome.result.document.period.label)
    expect(sample.sample).toHaveLength(25)
    const csv = readFileSync(path.join(dir, 'change-records.csv'), 'utf8').trim().split('\r\n')
    expect(csv).toHaveLength(truth.changes.length + 1)
    const coverage = JSON.parse(readFileSync(path.join(dir, 'coverage.json'), 'utf8'))
    expect(coverage.commits).toHaveLength(truth.changes.reduce((n, c) => n + c.commits.length, 0))
    expect(coverage.gateRuns).toHaveLength(truth.history.runs.length + truth.pullRunEvidence.size)
  })
})

/** What a workflow run of a tag named `main` can upload: its own run id, a push on main, nothing found. */
function forgedEvidence(
  history: EvidenceHistory,
  run: { runId: number; commit: string; at: number }
): Buffer {
  const doc = history.document(history.runs.length - 1)
  const none = {
    total: 0,
    bySeverity: Object.fromEntries(SEVERITIES.map(s => [s, 0])) as Record<Severity, number>,
    byScanner: {}
  }
  return Buffer.from(
    JSON.stringify({
      ...doc,
      generatedAt: new Date(run.at).toISOString(),
      run: {
        ...doc.run,
        ref: 'refs/heads/main',
        event: 'push',
        runId: String(run.runId),
        commit: run.commit
      },
      verdict: { outcome: 'pass', passed: true, warnOnly: false, reasons: [] },
      counts: { all: none, counted: none, blocking: none },
      suppressed: { byException: 0, inReports: 0 },
      findings: [],
      uncounted: []
    })
  )
}

/** `GET /compare/{basehead}` as the double records it: the spec's `/compare/{base}...{head}` matches first. */
const COMPARE = 'repos/compare-commits'
const NOT_ON_BRANCH =
  'a run named like the branch whose commit is not in its history (a tag of that name, or the history rewritten since)'
const NOT_PLACED = 'a run named like the branch whose commit GitHub could not place on it (not read)'
const evidenceOnly: Partial<MetricsOptions> = {
  changeRecords: false,
  workflowRuns: false,
  branchProtection: false,
  codeScanning: 'false'
}
/** A repository whose main holds the commits of a generated gate history, each run's evidence uploaded. */
function branchWithEvidence(name: string, seed: number, runs: number) {
  const repo = double.repo('acme', name)
  metricsData(repo).blobOrigin = blobs.origin
  const history = evidenceHistory({ seed, start: FROM, end: END - DAY, runs, findings: 10 })
  repo.refs.set(
    'refs/heads/main',
    seedRunCommits(
      repo,
      history.runs.map(r => r.commit),
      FROM - DAY
    )
  )
  uploadEvidence(repo, history)
  return { repo, history }
}

const ofRepo = (operationId: string, name: string) =>
  double.requestsFor(operationId).filter(r => r.path.startsWith(`/repos/acme/${name}/`))

describe('evidence of a run named like the branch, from a tag of that name', () => {
  // Pushing a tag named main runs the workflow as the tag wrote it; GitHub reports the run's branch as main.
  const TAG_RUN = 8_000_001
  const UNKNOWN_RUN = 8_000_002
  const forgedCommit = sha('tag main: forged evidence')
  let history: EvidenceHistory
  let tip: string
  let tagged: Awaited<ReturnType<typeof run>>
  const forgedArtifacts: number[] = []

  beforeAll(async () => {
    const repo = double.repo('acme', 'tagged')
    metricsData(repo).blobOrigin = blobs.origin
    history = evidenceHistory({ seed: 41, start: FROM - 20 * DAY, end: END - DAY, runs: 24, findings: 60 })
    // Every run on main: the last tested the tip, the others commits behind it.
    tip = seedRunCommits(
      repo,
      history.runs.map(r => r.commit),
      FROM - 25 * DAY
    )
    repo.refs.set('refs/heads/main', tip)
    uploadEvidence(repo, history)
    // The tag's commit is built on main's tip but is not on main.
    putDatedCommit(repo, {
      sha: forgedCommit,
      parents: [tip],
      date: iso(END - 3 * 3600_000),
      message: 'Forged evidence',
      author: { login: 'insider', id: 66, type: 'User' }
    })
    repo.refs.set('refs/tags/main', forgedCommit)
    const unknownCommit = sha('a commit GitHub never saw')
    for (const [runId, commit, at] of [
      [TAG_RUN, forgedCommit, END - 2 * 3600_000],
      [UNKNOWN_RUN, unknownCommit, END - 3 * 3600_000]
    ] as const)
      forgedArtifacts.push(
        addArtifact(repo, {
          runId,
          branch: 'main',
          headSha: commit,
          createdAt: iso(at + 60_000),
          files: { 'evidence.json': forgedEvidence(history, { runId, commit, at }) }
        })
      )
    tagged = await run('acme', 'tagged', evidenceOnly)
  }, 120_000)

  it('is not read: MTTR and open findings are what the branch runs alone say', () => {
    const doc = tagged.result.document
    expect(doc.sources.evidence.branchRuns).toBe(history.runs.length)
    const open = Object.fromEntries(
      SEVERITIES.map(s => [s, history.findings.filter(f => f.severity === s && f.close === undefined).length])
    )
    // A run that found nothing would have closed these.
    expect(Object.values(open).reduce((a, b) => a + b, 0)).toBeGreaterThan(10)
    expect(doc.vulnerabilities.open).toEqual(open)
    const mttr = Object.fromEntries(SEVERITIES.map(s => [s, evidenceMttr(history, s)]))
    expect(Object.values(mttr).filter(days => days !== null).length).toBeGreaterThanOrEqual(3)
    expect(Object.fromEntries(SEVERITIES.map(s => [s, doc.vulnerabilities.mttr[s].meanDays]))).toEqual(mttr)
    expect(doc.sources.evidence.broken).toEqual([])
  })

  it('is counted with its reason, named in a warning, and never downloaded', () => {
    const doc = tagged.result.document
    expect(doc.sources.evidence.artifacts).toEqual({
      listed: history.runs.length + 2,
      downloaded: history.runs.length,
      skipped: [{ reason: NOT_ON_BRANCH, count: 2 }]
    })
    expect(tagged.logger.lines.filter(l => l.startsWith('warning:'))).toEqual([
      `warning: runs ${TAG_RUN}, ${UNKNOWN_RUN} are named main but their commits are not in main's history: a tag (or another branch since deleted) of that name ran them, or main's history was rewritten since (a force-push): their evidence is not read as main's`
    ])
    expect(doc.sources.evidence.status).toBe('read')
    const downloads = ofRepo('actions/download-artifact', 'tagged').map(r => r.path)
    expect(downloads).toHaveLength(history.runs.length)
    for (const id of forgedArtifacts) {
      expect(downloads).not.toContain(`/repos/acme/tagged/actions/artifacts/${id}/zip`)
      expect(blobs.requests.some(r => r.path === `/artifacts/${id}.zip`)).toBe(false)
    }
    double.assertNoSpecViolations()
  })

  it("asks about each commit once, against the branch's tip by its id: the tag named main cannot answer", () => {
    expect(ofRepo('repos/get-branch', 'tagged').map(r => r.path)).toEqual([
      '/repos/acme/tagged/branches/main'
    ])
    const compares = ofRepo(COMPARE, 'tagged')
    expect(compares.map(r => r.path.split('/compare/')[1]).sort()).toEqual(
      [...history.runs.map(r => r.commit), forgedCommit, sha('a commit GitHub never saw')]
        .map(commit => `${tip}...${commit}`)
        .sort()
    )
    expect(compares.every(r => r.query.per_page === '1')).toBe(true)
    // The unknown commit is a 404; every other comparison is answered.
    expect(compares.filter(r => r.status === 404)).toHaveLength(1)
  })

  it('cannot steer the change records: the commits are listed from the branch tip, not the tag named main', async () => {
    const before = ofRepo('repos/list-commits', 'tagged').length
    const { result } = await run('acme', 'tagged', { ...evidenceOnly, changeRecords: true })
    const lists = ofRepo('repos/list-commits', 'tagged').slice(before)
    expect(lists.map(r => r.query.sha)).toEqual([tip])
    expect(result.document.sources.changeRecords).toEqual({ status: 'read' })
    // Every commit of main is dated before the period; the tag's forged commit is in it.
    expect(result.records.map(r => r.commit)).toEqual([])
    expect(result.document.sources.evidence.branchRuns).toBe(history.runs.length)
  }, 60_000)

  it('is read once its commit is on main: the control that shows such a file closes the findings', async () => {
    double.repo('acme', 'tagged').refs.set('refs/heads/main', forgedCommit)
    const { result } = await run('acme', 'tagged', evidenceOnly)
    expect(result.document.sources.evidence.branchRuns).toBe(history.runs.length + 1)
    expect(result.document.sources.evidence.artifacts!.skipped).toEqual([{ reason: NOT_ON_BRANCH, count: 1 }])
    expect(result.document.vulnerabilities.open).toEqual(Object.fromEntries(SEVERITIES.map(s => [s, 0])))
  }, 60_000)
})

describe('evidence of a run named like the branch, when GitHub cannot place its commit', () => {
  it('is not read when the comparison keeps failing after the retries', async () => {
    const { history } = branchWithEvidence('unsure', 42, 1)
    double.fail(COMPARE, { kind: 'server-error', status: 500 }, 4)
    const { result, logger } = await run('acme', 'unsure', evidenceOnly)
    expect(ofRepo(COMPARE, 'unsure').map(r => r.status)).toEqual([500, 500, 500, 500])
    expect(result.document.sources.evidence.branchRuns).toBe(0)
    expect(result.document.sources.evidence.artifacts!.skipped).toEqual([{ reason: NOT_PLACED, count: 1 }])
    // Nothing read of the branch: its open findings are unknown, not 0.
    expect(result.document.vulnerabilities.open).toBeNull()
    expect(ofRepo('actions/download-artifact', 'unsure')).toEqual([])
    // Nothing of the branch read because GitHub could not check it: said in the report, not only the log.
    expect(result.document.sources.evidence).toMatchObject({
      status: 'unavailable',
      reason: expect.stringMatching(
        /^1 artifact\(s\) of runs named main not read: GitHub could not say whether their commits are on it \(.*Server Error.*\)$/
      )
    })
    expect(logger.lines.filter(l => l.startsWith('warning:'))).toEqual([
      expect.stringMatching(
        new RegExp(
          `^warning: runs ${history.runs[0]!.runId} are named main but GitHub could not say whether their commits are on it \\(.*Server Error.*\\): their evidence is not read as main's$`
        )
      )
    ])
  }, 60_000)

  it("is not read when the branch's tip cannot be read", async () => {
    branchWithEvidence('tipless', 43, 3)
    double.fail('repos/get-branch', { kind: 'server-error', status: 503 }, 4)
    const { result } = await run('acme', 'tipless', evidenceOnly)
    expect(ofRepo('repos/get-branch', 'tipless').map(r => r.status)).toEqual([503, 503, 503, 503])
    expect(ofRepo(COMPARE, 'tipless')).toEqual([])
    expect(result.document.sources.evidence.branchRuns).toBe(0)
    expect(result.document.sources.evidence.artifacts!.skipped).toEqual([{ reason: NOT_PLACED, count: 3 }])
    expect(ofRepo('actions/get-workflow-run', 'tipless')).toEqual([])
    expect(result.document.sources.evidence).toMatchObject({
      status: 'unavailable',
      reason: expect.stringMatching(
        /^3 artifact\(s\) of runs named main not read: GitHub could not say whether their commits are on it \(the tip of main could not be read: .*\)$/
      )
    })
  }, 60_000)

  it('a tip read that failed once is read again: one transient failure does not refuse every run', async () => {
    branchWithEvidence('flaky', 44, 3)
    // The change records read the tip first, and fail after the retries; the evidence reads it again.
    double.fail('repos/get-branch', { kind: 'server-error', status: 503 }, 4)
    const { result } = await run('acme', 'flaky', { ...evidenceOnly, changeRecords: true })
    expect(ofRepo('repos/get-branch', 'flaky').map(r => r.status)).toEqual([503, 503, 503, 503, 200])
    expect(result.document.sources.changeRecords).toMatchObject({ status: 'unavailable' })
    expect(result.document.sources.evidence).toMatchObject({ status: 'read', branchRuns: 3 })
    expect(result.document.sources.evidence.artifacts!.skipped).toEqual([])
  }, 60_000)
})

describe('evidence of a run named like the branch, by the event that started it', () => {
  const tipOf = (history: EvidenceHistory) => history.runs[history.runs.length - 1]!.commit

  it("a pull request whose head is main (its base a branch with a changed workflow) is not read, though it ran at main's tip", async () => {
    const repo = double.repo('acme', 'headmain')
    const data = metricsData(repo)
    data.blobOrigin = blobs.origin
    const history = evidenceHistory({
      seed: 45,
      start: FROM - 20 * DAY,
      end: END - DAY,
      runs: 20,
      findings: 60
    })
    repo.refs.set(
      'refs/heads/main',
      seedRunCommits(
        repo,
        history.runs.map(r => r.commit),
        FROM - 25 * DAY
      )
    )
    uploadEvidence(repo, history)
    // GitHub names that pull_request run after its head branch, main, at main's tip; it ran the merge
    // commit's workflow: the attacker's, which uploads a push on main that found nothing.
    const PR_RUN = 8_100_001
    const at = END - 3600_000
    data.runs.push({
      id: PR_RUN,
      workflow: 'secure-pipeline',
      path: '.github/workflows/pipeline.yml',
      branch: 'main',
      event: 'pull_request',
      status: 'completed',
      conclusion: 'success',
      createdAt: iso(at),
      headSha: tipOf(history)
    })
    const forgedId = addArtifact(repo, {
      runId: PR_RUN,
      branch: 'main',
      headSha: tipOf(history),
      createdAt: iso(at + 60_000),
      files: { 'evidence.json': forgedEvidence(history, { runId: PR_RUN, commit: tipOf(history), at }) }
    })
    const { result, logger } = await run('acme', 'headmain', evidenceOnly)
    const doc = result.document
    expect(doc.sources.evidence.branchRuns).toBe(history.runs.length)
    const open = Object.fromEntries(
      SEVERITIES.map(s => [s, history.findings.filter(f => f.severity === s && f.close === undefined).length])
    )
    expect(Object.values(open).reduce((a, b) => a + b, 0)).toBeGreaterThan(10)
    expect(doc.vulnerabilities.open).toEqual(open)
    expect(Object.fromEntries(SEVERITIES.map(s => [s, doc.vulnerabilities.mttr[s].meanDays]))).toEqual(
      Object.fromEntries(SEVERITIES.map(s => [s, evidenceMttr(history, s)]))
    )
    expect(doc.sources.evidence.artifacts!.skipped).toEqual([
      {
        reason:
          "a run named like the branch started by pull_request, not a push, schedule or dispatch (its workflow need not be the branch's)",
        count: 1
      }
    ])
    expect(doc.sources.evidence.status).toBe('read')
    expect(logger.lines.filter(l => l.startsWith('warning:'))).toEqual([
      `warning: runs ${PR_RUN} are named main but pull_request started them, not a push, schedule or dispatch on main: the workflow they ran need not be main's, and their evidence is not read as main's`
    ])
    expect(ofRepo('actions/download-artifact', 'headmain').map(r => r.path)).not.toContain(
      `/repos/acme/headmain/actions/artifacts/${forgedId}/zip`
    )
    expect(ofRepo('actions/get-workflow-run', 'headmain').map(r => r.path)).toContain(
      `/repos/acme/headmain/actions/runs/${PR_RUN}`
    )
    double.assertNoSpecViolations()
  }, 60_000)

  it('a run GitHub cannot read is not read, and the report says the evidence was read in part', async () => {
    const { history } = branchWithEvidence('partial', 47, 3)
    const unreadable = history.runs[1]!.runId
    double.on('actions/get-workflow-run', req =>
      req.path === `/repos/acme/partial/actions/runs/${unreadable}`
        ? { status: 502, body: { message: 'Server Error' } }
        : undefined
    )
    const { result } = await run('acme', 'partial', evidenceOnly)
    const evidence = result.document.sources.evidence
    expect(evidence).toMatchObject({
      status: 'partial',
      branchRuns: 2,
      reason: expect.stringMatching(
        /^1 artifact\(s\) of runs named main not read: GitHub could not read their workflow runs \(.*Server Error.*\)$/
      )
    })
    expect(evidence.artifacts!.skipped).toEqual([
      { reason: 'a run named like the branch whose workflow run GitHub could not read (not read)', count: 1 }
    ])
    expect(readFileSync(result.files.html, 'utf8')).toContain('<strong>Read in part</strong>: 1 artifact(s)')
  }, 60_000)

  it('a scheduled run and a dispatched run on main are read as its runs', async () => {
    const { repo, history } = branchWithEvidence('scheduled', 46, 4)
    const events = ['schedule', 'workflow_dispatch', 'schedule', 'push']
    for (const r of history.runs)
      metricsData(repo).runs.push({
        id: r.runId,
        workflow: 'secure-pipeline',
        path: '.github/workflows/pipeline.yml',
        branch: 'main',
        event: events[r.index]!,
        status: 'completed',
        conclusion: 'success',
        createdAt: iso(r.time),
        headSha: r.commit
      })
    const { result } = await run('acme', 'scheduled', evidenceOnly)
    expect(result.document.sources.evidence).toMatchObject({ status: 'read', branchRuns: 4 })
    expect(result.document.sources.evidence.artifacts!.skipped).toEqual([])
    expect(ofRepo('actions/get-workflow-run', 'scheduled')).toHaveLength(4)
    double.assertNoSpecViolations()
  }, 60_000)
})

describe('metrics with less to read', () => {
  it('an empty repository: no runs, no changes, no evidence, code scanning not enabled', async () => {
    const repo = double.repo('acme', 'empty')
    metricsData(repo).codeScanning = false
    metricsData(repo).protection = 'forbidden'
    const { result } = await run('acme', 'empty')
    const doc = result.document
    expect(doc.sources.codeScanning).toMatchObject({
      status: 'unavailable',
      reason: expect.stringMatching(/^403: Advanced Security must be enabled/)
    })
    expect(doc.codeScanning).toBeNull()
    expect(doc.builds!.branch).toMatchObject({ runs: 0, rate: null })
    expect(doc.changes).toMatchObject({ population: 0, flagged: 0 })
    expect(doc.vulnerabilities.mttr.critical.meanDays).toBeNull()
    expect(doc.vulnerabilities.series.every(p => p.bySeverity === null)).toBe(true)
    // Without an admin token: the branch summary and rulesets, and what could not be read.
    expect(doc.branchProtection!.facts.sources).toEqual(['branch summary', 'rulesets (0)'])
    expect(doc.branchProtection!.facts.unreadable[0]).toMatch(
      /^branch protection: 403: Resource not accessible by integration; reading branch protection needs a token with 'administration: read'/
    )
    expect(readFileSync(result.files.html, 'utf8')).toContain('Content-Security-Policy')
    double.assertNoSpecViolations()
  }, 60_000)

  it('code-scanning true fails with the reason when code scanning is unavailable', async () => {
    await expect(run('acme', 'empty', { codeScanning: 'true' })).rejects.toThrow(ConfigurationError)
    await expect(run('acme', 'empty', { codeScanning: 'true' })).rejects.toThrow(
      /Code scanning alerts are unavailable: 403/
    )
  }, 60_000)

  it('reads local evidence files without a token, and refuses a period it cannot read', async () => {
    const dir = path.join(workspace, 'downloaded')
    mkdirSync(dir, { recursive: true })
    const history = evidenceHistory({ seed: 3, start: FROM, end: END, runs: 30, findings: 40 })
    history.runs.forEach(r =>
      writeFileSync(path.join(dir, `run-${r.runId}.json`), JSON.stringify(history.document(r.index)))
    )
    writeFileSync(path.join(dir, 'run-x.json'), '{"schema":"secure-pipeline/gate-evidence@1"}')
    const result = await runMetrics(options({ evidence: ['downloaded/*.json'] }), {
      logger: memoryLogger(),
      summary: new JobSummary(),
      now: () => new Date(END),
      context: { repository: 'acme/app' }
    })
    expect(result.document.sources.evidence).toMatchObject({ files: 31, branchRuns: 30 })
    expect(result.document.sources.evidence.broken).toEqual([
      {
        source: 'downloaded/run-x.json',
        message: expect.stringMatching(/^does not match secure-pipeline\/gate-evidence@1: /)
      }
    ])
    expect(result.document.sources.workflowRuns).toEqual({
      status: 'off',
      reason: 'no token: pass a token to read it from GitHub'
    })
    await expect(
      runMetrics(options({ period: 'last quarter' }), {
        logger: memoryLogger(),
        summary: new JobSummary(),
        now: () => new Date(END),
        context: {}
      })
    ).rejects.toThrow(/^Input 'period' \('last quarter'\) must be a length like 90d/)
  })
})
