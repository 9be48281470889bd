import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import * as path from 'node:path'
import { startGitHubApiDouble, type GitHubApiDouble } from '../../../../test/support/github-api-double.js'
import { metricsData } from '../../../../test/support/github-api-metrics.js'
import type { DoubleRepo } from '../../../../test/support/github-api-state.js'
import { metricsOptions } from '../../../../test/support/metrics-options.js'
import {
  DAY,
  FLAGS_UNDER_PROTECTION,
  iso,
  pushCommit,
  seedChanges,
  type ChangeKind,
  type ChangeTruth
} from '../../../../test/support/metrics-history.js'
import { JobSummary } from '../runtime/job-summary.js'
import { memoryLogger } from '../runtime/logger.js'
import { createMetricsGitHub } from './github-port.js'
import { runMetrics } from './run-metrics.js'

const TOKEN = 'ghs_metricsPushesToken'
const END = Date.parse('2026-10-01T00:00:00Z')
const FROM = END - 90 * DAY
const KINDS: ChangeKind[] = ['approved', 'direct-push', 'rebase', 'merge-commit', 'no-approval']
const insider = { login: 'insider', id: 66, type: 'User' as const }

let double: GitHubApiDouble
let workspace: string

beforeAll(async () => {
  double = await startGitHubApiDouble({ token: TOKEN })
  workspace = mkdtempSync(path.join(tmpdir(), 'metrics-pushes-'))
}, 60_000)

afterAll(async () => {
  await double.close()
  rmSync(workspace, { recursive: true, force: true })
})

async function run(name: string) {
  const logger = memoryLogger()
  const summary = new JobSummary()
  const github = createMetricsGitHub({
    token: TOKEN,
    tokenInput: 'token',
    repository: { owner: 'acme', repo: name },
    env: { GITHUB_API_URL: double.url },
    logger,
    octokit: { timeUnitMs: 1, registerSecret: () => {} }
  })
  const options = metricsOptions(workspace, {
    end: new Date(END).toISOString(),
    evidenceLookbackDays: 0,
    codeScanning: 'false',
    workflowRuns: false,
    sampleSize: 5,
    outputDir: path.join(workspace, name),
    inputNames: { period: 'period', end: 'end', evidence: 'e', deployments: 'd', outputDir: 'o' }
  })

  const result = await runMetrics(options, {
    logger,
    summary,
    now: () => new Date(END + 3600_000),
    github,
    context: { repository: `acme/${name}` }
  })
  return { result, logger, summary: summary.render(), html: readFileSync(result.files.html, 'utf8') }
}

const ofRepo = (operationId: string, name: string) =>
  double.requestsFor(operationId).filter(r => r.path.startsWith(`/repos/acme/${name}/`))
const warnings = (logger: ReturnType<typeof memoryLogger>) =>
  logger.lines.filter(l => l.startsWith('warning:'))

/** A protected main with the generated changes in the first two thirds of the period. */
function history(name: string, kinds = KINDS): { repo: DoubleRepo; changes: ChangeTruth[] } {
  const repo = double.repo('acme', name)
  metricsData(repo).protection = { requiredApprovals: 1, contexts: ['secure-pipeline'] }
  const changes = seedChanges(repo, { seed: 17, start: FROM + DAY, end: END - 30 * DAY, kinds })
  return { repo, changes }
}

/** The generated changes' records are what their kind earns, at their merge or commit time. */
function expectGenerated(
  records: Awaited<ReturnType<typeof run>>['result']['records'],
  truth: ChangeTruth[]
) {
  for (const change of truth) {
    const record = records.find(r => r.commit === change.commit)
    expect([change.kind, record?.flags, record?.commits, record?.at]).toEqual([
      change.kind,
      FLAGS_UNDER_PROTECTION[change.kind],
      change.commits,
      iso(change.at)
    ])
  }
}

describe('change records reconciled with GitHub push times', () => {
  const backdatedAt = END - 20 * DAY
  const backdatedDate = FROM - 200 * DAY
  const laterAt = END - 2 * DAY
  let truth: ChangeTruth[]
  let backdated: string
  let later: string
  let outcome: Awaited<ReturnType<typeof run>>

  beforeAll(async () => {
    const { repo, changes } = history('backdated')
    truth = changes
    // GIT_COMMITTER_DATE set 200 days back, pushed 20 days before the period's end; an ordinary push on top.
    backdated = pushCommit(repo, {
      message: 'Quietly change the deploy key',
      date: backdatedDate,
      at: backdatedAt,
      author: insider
    })
    later = pushCommit(repo, {
      message: 'Bump version',
      date: laterAt - 600_000,
      at: laterAt,
      author: insider
    })
    outcome = await run('backdated')
  }, 120_000)

  it('records the backdated direct push at its push time, flagged direct-push and backdated, with a note giving its date', () => {
    const record = outcome.result.records.find(r => r.commit === backdated)
    expect(record).toMatchObject({
      id: backdated.slice(0, 12),
      commits: [backdated],
      at: iso(backdatedAt),
      author: 'insider',
      flags: ['direct-push', 'backdated', 'admin-bypass']
    })
    expect(record!.notes).toContain(
      `commit date outside the period, push time ${iso(backdatedAt)} (GitHub's) inside it: ${backdated.slice(0, 12)} is dated ${iso(backdatedDate)}, set before it reached the branch`
    )
    expect(outcome.result.document.changes!.byFlag.backdated).toBe(1)
  })

  it('keeps every change behind it: the backdated commit no longer cuts the listed history short', () => {
    const records = outcome.result.records
    expect(records.map(r => r.commit).sort()).toEqual([...truth.map(c => c.commit), backdated, later].sort())
    expectGenerated(records, truth)
    expect(records.find(r => r.commit === later)).toMatchObject({
      at: iso(laterAt - 600_000),
      flags: ['direct-push', 'admin-bypass'],
      notes: ["against the branch's current protection: pushed without a pull request"]
    })
  })

  it('read the push times newest first by branch, and compared only the push the listed commits did not explain', () => {
    const pages = ofRepo('repos/list-activities', 'backdated')
    expect(pages.map(r => r.query)).toEqual([{ ref: 'refs/heads/main', direction: 'desc', per_page: '100' }])
    const compares = ofRepo('repos/compare-commits', 'backdated').map(r => r.path.split('/compare/')[1])
    const before = truth[truth.length - 1]!.commit
    expect(compares).toEqual([`${before}...${backdated}`])
    expect(outcome.result.document.sources.pushes).toEqual({
      status: 'read',
      activities: truth.length + 2,
      forcePushes: [],
      unreconciled: []
    })
    expect(warnings(outcome.logger)).toEqual([])
    double.assertNoSpecViolations()
  })
})

describe('change records when GitHub explains every push', () => {
  it('are the generated ones exactly, with the push list followed by its cursors and nothing compared', async () => {
    // More pushes than one page holds: the second is asked for with the cursor GitHub's Link header gave.
    const kinds = Array.from({ length: 120 }, (_, i) => KINDS[i % KINDS.length]!)
    const { changes } = history('ordinary', kinds)
    const { result, logger } = await run('ordinary')
    expect(result.records).toHaveLength(changes.length)
    expectGenerated(result.records, changes)
    expect(result.records.every(r => r.notes.every(n => !n.includes('push time')))).toBe(true)
    const pages = ofRepo('repos/list-activities', 'ordinary')
    expect(pages.map(r => r.status)).toEqual([200, 200])
    expect(pages[1]!.query.after).toMatch(/^[A-Za-z0-9_-]+$/)
    expect(ofRepo('repos/compare-commits', 'ordinary')).toEqual([])
    expect(result.document.sources.pushes).toMatchObject({ status: 'read', activities: changes.length })
    expect(warnings(logger)).toEqual([])
    double.assertNoSpecViolations()
  }, 120_000)
})

describe('a force push in the period', () => {
  it('is noted on the record of the commit it left and of the one it replaced, and said in the summary', async () => {
    const { repo, changes } = history('forced')
    const first = pushCommit(repo, {
      message: 'Fix',
      date: END - 10 * DAY,
      at: END - 10 * DAY,
      author: insider
    })
    const rewritten = pushCommit(repo, {
      message: 'Fix, amended',
      date: END - 9 * DAY,
      at: END - 9 * DAY + 60_000,
      author: insider,
      parent: changes[changes.length - 1]!.commit
    })
    const { result, summary } = await run('forced')
    // The replaced commit reached the branch in the period too: it has a record, which says it left.
    expect(result.records.find(r => r.commit === first)).toMatchObject({
      at: iso(END - 10 * DAY),
      flags: ['direct-push', 'admin-bypass'],
      notes: [
        `no longer on the branch: the force push at ${iso(END - 9 * DAY + 60_000)} by insider replaced it`,
        "against the branch's current protection: pushed without a pull request"
      ]
    })
    const record = result.records.find(r => r.commit === rewritten)!
    expect(record.flags).toEqual(['direct-push', 'admin-bypass'])
    expect(record.notes).toContain(
      `force-pushed at ${iso(END - 9 * DAY + 60_000)} by insider: the history it replaced (${first.slice(0, 12)}) was rewritten`
    )
    expect(summary).toContain(
      `1 force push(es) rewrote \`main\` in the period: ${iso(END - 9 * DAY + 60_000)} by insider.`
    )
    expectGenerated(result.records, changes)
    double.assertNoSpecViolations()
  }, 120_000)
})

describe('change records when the push times cannot be read', () => {
  it.each([
    { mode: 'absent' as const, status: 404, as: 'an older GitHub Enterprise Server' },
    { mode: 'forbidden' as const, status: 403, as: 'a token without contents: read' },
    { mode: 'failing' as const, status: 502, as: 'an outage of the activity list, past the retries' }
  ])(
    '$mode ($status, as $as): the run completes from commit dates alone and says what could be missing',
    async ({ mode, status }) => {
      const name = `pushes-${mode}`
      const { repo } = history(name)
      if (mode === 'failing') double.fail('repos/list-activities', { kind: 'server-error', status: 502 }, 4)
      else metricsData(repo).activityList = mode
      pushCommit(repo, { message: 'Backdated', date: FROM - 50 * DAY, at: END - 20 * DAY, author: insider })
      const later = pushCommit(repo, {
        message: 'On top',
        date: END - 2 * DAY,
        at: END - 2 * DAY,
        author: insider
      })
      const { result, logger, summary, html } = await run(name)
      // As before push times were read: the listing by date stops at the backdated commit.
      expect(result.records.map(r => r.commit)).toEqual([later])
      expect(result.document.sources.changeRecords).toEqual({ status: 'read' })
      expect(result.document.sources.pushes).toEqual({
        status: 'unavailable',
        reason: expect.stringMatching(new RegExp(`^${status}: `))
      })
      expect(warnings(logger)).toEqual([
        expect.stringMatching(
          new RegExp(
            `^warning: push times of main: ${status}: .*a direct push of a backdated commit could be missing$`
          )
        )
      ])
      expect(summary).toContain('> The push times of `main` could not be read: ')
      expect(summary).toContain('a direct push of a backdated commit could be missing.')
      expect(html).toContain('<strong>Push times not read</strong>')
      // The client's retries (three) are spent first on a server error.
      expect(ofRepo('repos/list-activities', name).map(r => r.status)).toEqual(
        Array.from({ length: mode === 'failing' ? 4 : 1 }, () => status)
      )
      double.assertNoSpecViolations()
    },
    120_000
  )
})

describe('a force push back to an old commit, then back to the tip', () => {
  it('adds no record for the changes that were on the branch before the period, and flags none backdated', async () => {
    // Half the changes before the period, half in it; then main reset to a commit from before the period
    // (an accident, or an insider flooding the records) and restored a minute later.
    const repo = double.repo('acme', 'restored')
    metricsData(repo).protection = { requiredApprovals: 1, contexts: ['secure-pipeline'] }
    const changes = seedChanges(repo, {
      seed: 23,
      start: FROM - 60 * DAY,
      end: END - 30 * DAY,
      kinds: Array.from({ length: 10 }, (_, i) => KINDS[i % KINDS.length]!)
    })
    const inPeriod = changes.filter(c => c.at >= FROM)
    const before = changes.filter(c => c.at < FROM)
    expect([inPeriod.length > 0, before.length > 2]).toEqual([true, true])
    const branch = `refs/heads/${repo.defaultBranch}`
    const tip = repo.refs.get(branch)!
    // Reset to the oldest change, forward to a later one from before the period, then to the tip.
    repo.push(branch, before[0]!.commit, { at: iso(END - 5 * DAY), actor: insider })
    repo.push(branch, before[before.length - 2]!.commit, { at: iso(END - 5 * DAY + 30_000), actor: insider })
    repo.push(branch, tip, { at: iso(END - 5 * DAY + 60_000), actor: insider })
    const { result } = await run('restored')
    expect(result.records.map(r => r.commit).sort()).toEqual(inPeriod.map(c => c.commit).sort())
    expectGenerated(result.records, inPeriod)
    expect(result.document.changes!.byFlag.backdated).toBe(0)
    expect(result.document.sources.pushes).toMatchObject({ status: 'read', unreconciled: [] })
    // Reset and restored: the tip is on the branch, so no note says it is not.
    const last = result.records.find(r => r.commit === tip)!
    expect(last.notes.filter(n => n.includes('no longer on the branch'))).toEqual([])
    expect(last.notes).toContain(
      `taken off the branch by the force push at ${iso(END - 5 * DAY)} by insider, and back on it since`
    )
    double.assertNoSpecViolations()
  }, 120_000)
})

describe('the branch deleted and created again in the period', () => {
  it('still records the backdated commit it was created at, against the tip when the period began', async () => {
    const { repo, changes } = history('recreated')
    const branch = `refs/heads/${repo.defaultBranch}`
    const tip = repo.refs.get(branch)!
    repo.push(branch, '0'.repeat(40), { at: iso(END - 6 * DAY), actor: insider })
    const hidden = pushCommit(repo, {
      message: 'Recreated with a backdated commit',
      date: FROM - 100 * DAY,
      at: END - 6 * DAY + 60_000,
      author: insider,
      parent: tip
    })
    const { result } = await run('recreated')
    expect(result.records.find(r => r.commit === hidden)).toMatchObject({
      at: iso(END - 6 * DAY + 60_000),
      flags: ['direct-push', 'backdated', 'admin-bypass']
    })
    expect(result.records.map(r => r.commit).sort()).toEqual([...changes.map(c => c.commit), hidden].sort())
    expect(result.document.sources.pushes).toMatchObject({ status: 'read', unreconciled: [] })
    double.assertNoSpecViolations()
  }, 120_000)
})
