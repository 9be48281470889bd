import { describe, expect, it } from '@jest/globals'
import { zipArchive } from '../../../../test/support/zip-writer.js'
import { EVIDENCE_SCHEMA } from '../evidence/names.js'
import type { ArtifactRecord } from '../github/artifacts.js'
import { memoryLogger } from '../runtime/logger.js'
import { collectEvidence, MAX_EVIDENCE_BYTES } from './evidence-source.js'
import { followFindings, openFindings } from './findings-timeline.js'
import { parsePeriod } from './period.js'
import type { WorkflowRunRecord } from '../github/workflow-runs.js'
import type { MetricsGitHub } from './ports.js'

const REPOSITORY_ID = 42
const MERGED_HEAD = 'a'.repeat(40)
const zero = { critical: 0, high: 0, medium: 0, low: 0, info: 0 }
const counts = { total: 0, bySeverity: zero, byScanner: {} }

/** A gate's evidence document: the run identity given, a trivy report read, and these findings. */
function evidence(run: Record<string, string>, at: string, fingerprints: string[]) {
  return JSON.stringify({
    schema: EVIDENCE_SCHEMA,
    generatedAt: at,
    run,
    verdict: { outcome: 'pass', passed: true, warnOnly: false, reasons: [] },
    policy: { decidedBy: 'head', source: 'defaults', origin: 'defaults', sha256: 'e3b0', other: null },
    tools: [],
    reports: [
      {
        file: 'trivy.sarif',
        sha256: 'e3b0',
        bytes: 2,
        format: 'sarif',
        tools: [{ name: 'Trivy' }],
        findings: 0
      }
    ],
    brokenInputs: [],
    counts: { all: counts, counted: counts, blocking: counts },
    baseline: null,
    suppressed: { byException: 0, inReports: 0 },
    inSourceSuppressions: { mode: 'honour', total: 0, inChangedFiles: null },
    exceptions: { used: [], expired: [], stale: [] },
    upload: null,
    findings: fingerprints.map(fingerprint => ({
      fingerprint,
      ruleId: 'CVE-2026-0001',
      severity: 'critical',
      scanner: 'trivy',
      blocking: true,
      new: true
    })),
    uncounted: []
  })
}

interface Upload {
  id: number
  runId: number
  branch: string
  headSha: string
  document: string
  /** The archive's members; `evidence.json` holding `document` when absent. */
  members?: Record<string, string>
  /** What started the run, as its own record says: `push` when absent. */
  event?: string
}

/** Commits in main's history in these tests: its tip and commits behind it. */
const ON_MAIN: ReadonlySet<string> = new Set(['b'.repeat(40), 'c'.repeat(40), 'd'.repeat(40)])
/** The commit of a tag named main: not on main. */
const TAG_COMMIT = 'f'.repeat(40)

type OnBranch = (branch: string, sha: string) => Promise<boolean>
const onMain: OnBranch = (branch, sha) => Promise.resolve(branch === 'main' && ON_MAIN.has(sha))

/** The tip of main in these tests. */
const TIP = 'b'.repeat(40)

interface Faults {
  /** Answers the tip read instead of TIP. */
  tip?: () => Promise<string | undefined>
  /** Answers a run read instead of the upload's record. */
  run?: (id: number) => Promise<WorkflowRunRecord> | undefined
}

/**
 * The GitHub port with only what artifact reading uses, recording the commits asked about, the runs read,
 * the tip reads and the downloads.
 */
function github(
  uploads: Upload[],
  onBranch: OnBranch,
  faults: Faults = {}
): MetricsGitHub & { asked: string[]; downloaded: number[]; runsRead: number[]; tipReads: number } {
  const asked: string[] = []
  const downloaded: number[] = []
  const runsRead: number[] = []
  const listed: ArtifactRecord[] = uploads.map(u => ({
    id: u.id,
    name: 'secure-pipeline-gate',
    bytes: 1,
    expired: false,
    createdAt: '2026-09-30T00:00:00Z',
    run: {
      id: u.runId,
      branch: u.branch,
      headSha: u.headSha,
      repositoryId: REPOSITORY_ID,
      headRepositoryId: REPOSITORY_ID
    }
  }))
  const unused = () => Promise.reject(new Error('not used by artifact reading'))
  const port = {
    asked,
    downloaded,
    runsRead,
    tipReads: 0,
    repository: { owner: 'acme', repo: 'app' },
    describe: () => Promise.resolve({ id: REPOSITORY_ID, defaultBranch: 'main' }),
    artifacts: () => Promise.resolve(listed),
    downloadArtifact: id => {
      downloaded.push(id)
      const u = uploads.find(u => u.id === id)!
      return Promise.resolve(zipArchive(u.members ?? { 'evidence.json': u.document }))
    },
    branchTip: (branch: string) => {
      port.tipReads++
      if (faults.tip) return faults.tip()
      return Promise.resolve(branch === 'main' ? TIP : undefined)
    },
    commitOnBranch: (branch: string, sha: string) => {
      asked.push(sha)
      return onBranch(branch, sha)
    },
    workflowRun: (id: number) => {
      runsRead.push(id)
      const fault = faults.run?.(id)
      if (fault) return fault
      const u = uploads.find(u => u.runId === id)!
      return Promise.resolve({
        id,
        workflow: 'secure-pipeline',
        path: '.github/workflows/pipeline.yml',
        branch: u.branch,
        event: u.event ?? 'push',
        status: 'completed',
        conclusion: 'success',
        createdAt: '2026-09-30T00:00:00Z',
        attempt: 1,
        headSha: u.headSha,
        fromFork: false
      })
    },
    workflowRuns: unused,
    codeScanningAlerts: unused,
    mergedPullRequests: unused,
    pullRequestsForCommit: unused,
    reviews: unused,
    commits: unused,
    checkRuns: unused,
    commitStatuses: unused,
    branchProtection: unused,
    rulesetBypasses: unused,
    branchActivities: unused,
    commitsAhead: unused,
    usage: () => ({ requests: 0, waitMs: 0 })
  } satisfies MetricsGitHub & { asked: string[]; downloaded: number[]; runsRead: number[]; tipReads: number }
  return port
}

/** A push on main saw one critical finding; then the uploads given. */
async function collect(...uploads: Upload[]) {
  return (await collectFrom({}, ...uploads)).collected
}

async function collectFrom(
  options: { max?: number; onBranch?: OnBranch; faults?: Faults },
  ...uploads: Upload[]
) {
  const firstOnMain: Upload = {
    id: 1,
    runId: 100,
    branch: 'main',
    headSha: 'b'.repeat(40),
    document: evidence(
      { ref: 'refs/heads/main', event: 'push', runId: '100', commit: 'b'.repeat(40) },
      '2026-09-01T00:00:00Z',
      ['critical-in-main']
    )
  }
  const port = github([firstOnMain, ...uploads], options.onBranch ?? onMain, options.faults)
  const logger = memoryLogger()
  const collected = await collectEvidence(
    {
      workspace: '/nonexistent',
      patterns: [],
      inputName: 'evidence',
      branch: 'main',
      artifact: {
        name: 'secure-pipeline-gate',
        since: new Date('2026-06-01T00:00:00Z'),
        repositoryId: REPOSITORY_ID,
        max: options.max ?? 10,
        pullRequestHeads: new Map([[MERGED_HEAD, [7]]])
      }
    },
    port,
    logger
  )
  return { collected, port, logger }
}

/** A push on main, by the run's own account, that found nothing. */
function pushOnMain(id: number, headSha: string, at: string, runId = id * 100): Upload {
  return {
    id,
    runId,
    branch: 'main',
    headSha,
    document: evidence(
      { ref: 'refs/heads/main', event: 'push', runId: String(runId), commit: headSha },
      at,
      []
    )
  }
}

const warnings = (logger: { lines: string[] }) => logger.lines.filter(l => l.startsWith('warning:'))

describe("a pull request run's artifact", () => {
  it('never counts as a run of the branch, whatever its evidence says: it cannot close the branch findings', async () => {
    // The pull request's own workflow (same repository) uploads a file that claims a push on main, found nothing.
    const forged: Upload = {
      id: 2,
      runId: 200,
      branch: 'feature/x',
      headSha: MERGED_HEAD,
      document: evidence(
        { ref: 'refs/heads/main', event: 'push', runId: '200', commit: MERGED_HEAD },
        '2026-09-20T00:00:00Z',
        []
      )
    }
    const collected = await collect(forged)
    expect(collected.runs.filter(r => r.onBranch).map(r => r.runId)).toEqual(['100'])
    expect(collected.broken).toEqual([
      {
        source: 'artifact secure-pipeline-gate #2 (run 200): evidence.json',
        message:
          "says it judged refs/heads/main, but run 200 ran on feature/x, the head of pull request #7: only that pull request's verdict is read from it"
      }
    ])
    const period = parsePeriod('90d', new Date('2026-10-01T00:00:00Z'), 'period')
    const timeline = followFindings(collected.runs.filter(r => r.onBranch))
    expect(openFindings(timeline.episodes, period).open.critical).toBe(1)
  })

  it("cannot stand in for another pull request's gate verdict", async () => {
    const other: Upload = {
      id: 3,
      runId: 300,
      branch: 'feature/x',
      headSha: MERGED_HEAD,
      document: evidence(
        { ref: 'refs/pull/8/merge', event: 'pull_request', runId: '300', commit: 'c'.repeat(40) },
        '2026-09-20T00:00:00Z',
        []
      )
    }
    const collected = await collect(other)
    expect(collected.runs.map(r => r.runId)).toEqual(['100'])
    expect(collected.broken.map(b => b.message)).toEqual([
      "says it judged refs/pull/8/merge, but run 300 ran on feature/x, the head of pull request #7: only that pull request's verdict is read from it"
    ])
  })

  it("is read as its own pull request's verdict, and a push run on its branch as neither", async () => {
    const own: Upload = {
      id: 4,
      runId: 400,
      branch: 'feature/x',
      headSha: MERGED_HEAD,
      document: evidence(
        { ref: 'refs/pull/7/merge', event: 'pull_request', runId: '400', commit: 'c'.repeat(40) },
        '2026-09-20T00:00:00Z',
        []
      )
    }
    const push: Upload = {
      id: 5,
      runId: 500,
      branch: 'feature/x',
      headSha: MERGED_HEAD,
      document: evidence(
        { ref: 'refs/heads/feature/x', event: 'push', runId: '500', commit: MERGED_HEAD },
        '2026-09-19T00:00:00Z',
        []
      )
    }
    const collected = await collect(own, push)
    expect(collected.broken).toEqual([])
    expect(collected.runs.map(r => [r.runId, r.ref, r.onBranch])).toEqual([
      ['100', 'refs/heads/main', true],
      ['500', 'refs/heads/feature/x', false],
      ['400', 'refs/pull/7/merge', false]
    ])
  })
})

describe('an artifact of many evidence files', () => {
  it('is refused past the evidence limit in total, not inflated member after member into memory', async () => {
    // Spaces compress about a thousand to one: a 64 MiB archive of such members would inflate to gigabytes.
    const document = evidence(
      { ref: 'refs/heads/main', event: 'push', runId: '600', commit: 'd'.repeat(40) },
      '2026-09-25T00:00:00Z',
      []
    )
    const padded = (n: number) => document + ' '.repeat(MAX_EVIDENCE_BYTES / 2 + n)
    const bomb: Upload = {
      id: 6,
      runId: 600,
      branch: 'main',
      headSha: 'd'.repeat(40),
      document,
      members: { 'a/evidence.json': padded(1), 'b/evidence.json': padded(2) }
    }
    const collected = await collect(bomb)
    expect(collected.runs.map(r => r.runId)).toEqual(['100'])
    expect(collected.broken).toEqual([
      {
        source: 'artifact secure-pipeline-gate #6',
        message: `the members read are over ${MAX_EVIDENCE_BYTES} bytes together`
      }
    ])
  })
})

describe('a run named like the branch', () => {
  const period = parsePeriod('90d', new Date('2026-10-01T00:00:00Z'), 'period')
  const NOT_ON_BRANCH =
    'a run named like the branch whose commit is not in its history (a tag of that name, or the history rewritten since)'

  it("whose commit is not on the branch (a tag push) is neither downloaded nor read: it cannot close the branch's findings", async () => {
    // A tag named main runs the tag's workflow; GitHub reports the run's branch as main.
    const { collected, port, logger } = await collectFrom(
      {},
      pushOnMain(7, TAG_COMMIT, '2026-09-25T00:00:00Z')
    )
    expect(collected.runs.filter(r => r.onBranch).map(r => r.runId)).toEqual(['100'])
    expect(port.downloaded).toEqual([1])
    expect(collected.broken).toEqual([])
    expect(collected.artifacts).toEqual({
      listed: 2,
      downloaded: 1,
      skipped: [{ reason: NOT_ON_BRANCH, count: 1 }]
    })
    expect(warnings(logger)).toEqual([
      "warning: runs 700 are named main but their commits are not in main's history: a tag (or another branch since deleted) of that name ran them, or main's history was rewritten since (a force-push): their evidence is not read as main's"
    ])
    const timeline = followFindings(collected.runs.filter(r => r.onBranch))
    expect(openFindings(timeline.episodes, period).open.critical).toBe(1)
  })

  it('whose commit is behind the tip is read, and closes what it no longer sees', async () => {
    const { collected, port } = await collectFrom({}, pushOnMain(9, 'c'.repeat(40), '2026-09-20T00:00:00Z'))
    expect(collected.runs.filter(r => r.onBranch).map(r => r.runId)).toEqual(['100', '900'])
    expect(port.downloaded.sort()).toEqual([1, 9])
    const timeline = followFindings(collected.runs.filter(r => r.onBranch))
    expect(openFindings(timeline.episodes, period).open.critical).toBe(0)
  })

  it('not on the branch takes no download slot, and each commit is asked about once', async () => {
    // Two jobs of the tag's run (one commit), then a run on main: two slots go to the runs on main.
    const { collected, port } = await collectFrom(
      { max: 2 },
      pushOnMain(7, TAG_COMMIT, '2026-09-25T00:00:00Z'),
      pushOnMain(8, TAG_COMMIT, '2026-09-25T00:00:00Z', 700),
      pushOnMain(9, 'c'.repeat(40), '2026-09-20T00:00:00Z')
    )
    expect(port.downloaded.sort()).toEqual([1, 9])
    expect(port.asked.sort()).toEqual(['b'.repeat(40), 'c'.repeat(40), TAG_COMMIT])
    expect(collected.artifacts!.skipped).toEqual([{ reason: NOT_ON_BRANCH, count: 2 }])
    expect(collected.runs.map(r => r.runId)).toEqual(['100', '900'])
  })

  it('past the limit is not asked about: no more requests than downloads', async () => {
    const { collected, port } = await collectFrom(
      { max: 1 },
      pushOnMain(9, 'c'.repeat(40), '2026-09-20T00:00:00Z')
    )
    expect(port.asked).toEqual(['b'.repeat(40)])
    expect(port.downloaded).toEqual([1])
    expect(collected.artifacts!.skipped).toEqual([
      {
        reason:
          'over the limit of 1 downloads (raise max-artifacts, or download them and pass them as evidence)',
        count: 1
      }
    ])
  })

  it('whose commit GitHub cannot place is not read: a failure is never a yes', async () => {
    const failing: OnBranch = (branch, sha) =>
      sha === 'c'.repeat(40) ? Promise.reject(new Error('Server Error (502)')) : onMain(branch, sha)
    const { collected, port, logger } = await collectFrom(
      { onBranch: failing },
      pushOnMain(9, 'c'.repeat(40), '2026-09-20T00:00:00Z')
    )
    expect(collected.runs.map(r => r.runId)).toEqual(['100'])
    expect(port.downloaded).toEqual([1])
    expect(collected.artifacts!.skipped).toEqual([
      { reason: 'a run named like the branch whose commit GitHub could not place on it (not read)', count: 1 }
    ])
    expect(warnings(logger)).toEqual([
      "warning: runs 900 are named main but GitHub could not say whether their commits are on it (Server Error (502)): their evidence is not read as main's"
    ])
    expect(collected.problems).toEqual([
      '1 artifact(s) of runs named main not read: GitHub could not say whether their commits are on it (Server Error (502))'
    ])
  })
})

/** Evidence a run forged: a push on main at `commit`, nothing found. */
function forged(
  id: number,
  runId: number,
  commit: string,
  event: string,
  at = '2026-09-25T00:00:00Z'
): Upload {
  return {
    id,
    runId,
    branch: 'main',
    headSha: commit,
    event,
    document: evidence({ ref: 'refs/heads/main', event: 'push', runId: String(runId), commit }, at, [])
  }
}

describe('a run named like the branch, by what its own record says started it', () => {
  const period = parsePeriod('90d', new Date('2026-10-01T00:00:00Z'), 'period')
  const openCritical = (runs: Awaited<ReturnType<typeof collect>>['runs']) =>
    openFindings(followFindings(runs.filter(r => r.onBranch)).episodes, period).open.critical

  it("a pull request whose head is main (base: a branch with the attacker's workflow) is not read, though its commit is main's tip", async () => {
    // GitHub names that pull_request run after its head, main, at main's tip: the commit is on main.
    const { collected, port, logger } = await collectFrom({}, forged(2, 200, TIP, 'pull_request'))
    expect(port.runsRead.sort()).toEqual([100, 200])
    expect(port.downloaded).toEqual([1])
    expect(collected.runs.map(r => [r.runId, r.onBranch])).toEqual([['100', true]])
    expect(openCritical(collected.runs)).toBe(1)
    expect(collected.broken).toEqual([])
    expect(collected.artifacts).toEqual({
      listed: 2,
      downloaded: 1,
      skipped: [
        {
          reason:
            "a run named like the branch started by pull_request, not a push, schedule or dispatch (its workflow need not be the branch's)",
          count: 1
        }
      ]
    })
    expect(warnings(logger)).toEqual([
      "warning: runs 200 are named main but pull_request started them, not a push, schedule or dispatch on main: the workflow they ran need not be main's, and their evidence is not read as main's"
    ])
    // Refused for what its run is, not a failure to check it: the evidence is not partial.
    expect(collected.problems).toEqual([])
  })

  it.each(['pull_request_target', 'merge_group', 'workflow_run', 'repository_dispatch', 'release'])(
    'started by %s is not read as a run of main',
    async event => {
      const { collected, port } = await collectFrom({}, forged(2, 200, 'c'.repeat(40), event))
      expect(port.downloaded).toEqual([1])
      expect(collected.runs.map(r => r.runId)).toEqual(['100'])
      expect(openCritical(collected.runs)).toBe(1)
      // Its commit is not even asked about.
      expect(port.asked).toEqual([TIP])
    }
  )

  it('started by a schedule or a dispatch on main is read, and closes what it no longer sees', async () => {
    const { collected, port } = await collectFrom(
      {},
      forged(2, 200, 'c'.repeat(40), 'schedule', '2026-09-20T00:00:00Z'),
      forged(3, 300, 'd'.repeat(40), 'workflow_dispatch', '2026-09-25T00:00:00Z')
    )
    expect(port.downloaded.sort()).toEqual([1, 2, 3])
    expect(collected.runs.map(r => [r.runId, r.onBranch])).toEqual([
      ['100', true],
      ['200', true],
      ['300', true]
    ])
    expect(openCritical(collected.runs)).toBe(0)
    expect(collected.artifacts!.skipped).toEqual([])
  })

  it('whose evidence names another commit than its run is refused as broken', async () => {
    const other: Upload = {
      ...pushOnMain(9, 'c'.repeat(40), '2026-09-20T00:00:00Z'),
      document: evidence(
        { ref: 'refs/heads/main', event: 'push', runId: '900', commit: 'd'.repeat(40) },
        '2026-09-20T00:00:00Z',
        []
      )
    }
    const collected = await collect(other)
    expect(collected.runs.map(r => r.runId)).toEqual(['100'])
    expect(collected.broken).toEqual([
      {
        source: 'artifact secure-pipeline-gate #9 (run 900): evidence.json',
        message: `says it tested commit ${'d'.repeat(40)}, but run 900 ran on ${'c'.repeat(40)}`
      }
    ])
  })

  it('whose run its own record puts on another commit is not read', async () => {
    const { collected, port } = await collectFrom(
      {
        faults: {
          run: id =>
            id === 900
              ? Promise.resolve({
                  id,
                  workflow: 'secure-pipeline',
                  path: '.github/workflows/pipeline.yml',
                  branch: 'main',
                  event: 'push',
                  status: 'completed',
                  conclusion: 'success',
                  createdAt: '2026-09-20T00:00:00Z',
                  attempt: 1,
                  headSha: 'd'.repeat(40),
                  fromFork: false
                })
              : undefined
        }
      },
      pushOnMain(9, 'c'.repeat(40), '2026-09-20T00:00:00Z')
    )
    expect(port.downloaded).toEqual([1])
    expect(collected.artifacts!.skipped).toEqual([
      { reason: 'a run named like the branch that its workflow run names otherwise (not read)', count: 1 }
    ])
  })

  it('whose run GitHub cannot read is not read, and the evidence is reported partial', async () => {
    const { collected, port } = await collectFrom(
      { faults: { run: id => (id === 900 ? Promise.reject(new Error('Server Error (502)')) : undefined) } },
      pushOnMain(9, 'c'.repeat(40), '2026-09-20T00:00:00Z')
    )
    expect(port.downloaded).toEqual([1])
    expect(port.asked).toEqual([TIP])
    expect(collected.artifacts!.skipped).toEqual([
      { reason: 'a run named like the branch whose workflow run GitHub could not read (not read)', count: 1 }
    ])
    expect(collected.problems).toEqual([
      '1 artifact(s) of runs named main not read: GitHub could not read their workflow runs (Server Error (502))'
    ])
  })

  it("when the branch's tip cannot be read, no run is asked about and every one is reported not read", async () => {
    const { collected, port } = await collectFrom(
      { faults: { tip: () => Promise.reject(new Error('Server Error (503)')) } },
      pushOnMain(9, 'c'.repeat(40), '2026-09-20T00:00:00Z')
    )
    expect(port.tipReads).toBe(1)
    expect([port.asked, port.runsRead, port.downloaded]).toEqual([[], [], []])
    expect(collected.runs).toEqual([])
    expect(collected.artifacts!.skipped).toEqual([
      { reason: 'a run named like the branch whose commit GitHub could not place on it (not read)', count: 2 }
    ])
    expect(collected.problems).toEqual([
      '2 artifact(s) of runs named main not read: GitHub could not say whether their commits are on it (the tip of main could not be read: Server Error (503))'
    ])
  })

  it('checks runs with at most 3 × max-artifacts requests, however many runs are refused, and says what it left', async () => {
    // Ten pull_request runs from main, each its own run (one request each), all at main's tip.
    const flood = Array.from({ length: 10 }, (_, i) => forged(11 + i, 1100 + i * 100, TIP, 'pull_request'))
    const { collected, port, logger } = await collectFrom(
      { max: 2 },
      ...flood,
      pushOnMain(9, 'c'.repeat(40), '2026-09-20T00:00:00Z')
    )
    // Budget 6: run 100 and its commit, then one run read each for the first four of the flood.
    expect(port.runsRead).toEqual([100, 1100, 1200, 1300, 1400])
    expect(port.asked).toEqual([TIP])
    expect(port.downloaded).toEqual([1])
    expect(collected.artifacts!.skipped).toEqual([
      {
        reason:
          "a run named like the branch started by pull_request, not a push, schedule or dispatch (its workflow need not be the branch's)",
        count: 4
      },
      {
        reason:
          'a run named like the branch left unchecked: over the limit of 6 requests to check runs (3 × max-artifacts)',
        count: 7
      }
    ])
    expect(collected.problems).toEqual([
      '7 artifact(s) of runs named main not read: the limit of 6 requests to check runs named main was reached (refused runs spend it too; raise max-artifacts)'
    ])
    expect(warnings(logger)).toContain(
      'warning: 7 artifact(s) of runs named main were not checked: the limit of 6 requests to check runs named main was reached (refused runs spend it too; raise max-artifacts)'
    )
  })
})
