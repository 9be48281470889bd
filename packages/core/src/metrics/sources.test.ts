import { describe, expect, it } from '@jest/globals'
import { DAY, iso, prng } from '../../../../test/support/metrics-history.js'
import { SEVERITIES } from '../findings/finding.js'
import type { AlertRecord } from '../github/code-scanning-alerts.js'
import type { WorkflowRunRecord } from '../github/workflow-runs.js'
import { alertMetrics, compareSources } from './alerts.js'
import { buildSuccess } from './build-success.js'
import type { OpenFindings, SeverityMttr } from './findings-timeline.js'
import { bucketIndex, buckets, parsePeriod } from './period.js'

const END = Date.parse('2026-10-01T00:00:00Z')
const period = parsePeriod('90d', new Date(END), 'period')

describe('code scanning as a second source', () => {
  const random = prng(3)
  const alerts: AlertRecord[] = Array.from({ length: 400 }, (_, i) => {
    const created = END - 200 * DAY + random() * 200 * DAY
    const closed = created + random() * 30 * DAY
    const state = random() < 0.3 ? 'open' : random() < 0.8 ? 'fixed' : 'dismissed'
    return {
      number: i,
      state,
      severity: SEVERITIES[i % 4]!,
      ruleId: 'r',
      tool: 'CodeQL',
      createdAt: iso(created),
      fixedAt: state === 'fixed' ? iso(closed) : undefined,
      dismissedAt: state === 'dismissed' ? iso(closed) : undefined
    }
  })

  it('MTTR is created → fixed over alerts fixed in the period; dismissed ones are not remediated', () => {
    const m = alertMetrics(alerts, period)
    for (const s of SEVERITIES) {
      const fixed = alerts.filter(
        a =>
          a.severity === s &&
          a.fixedAt &&
          Date.parse(a.fixedAt) >= period.from.getTime() &&
          Date.parse(a.fixedAt) <= END
      )
      const mean = fixed.length
        ? Math.round(
            (fixed.reduce((n, a) => n + (Date.parse(a.fixedAt!) - Date.parse(a.createdAt)), 0) /
              fixed.length /
              DAY) *
              100
          ) / 100
        : null
      expect(m.mttr[s].meanDays).toBe(mean)
      expect(m.mttr[s].remediated).toBe(fixed.length)
      expect(m.open[s]).toBe(alerts.filter(a => a.severity === s && a.state === 'open').length)
    }
    expect(m.dismissedInPeriod).toBe(
      alerts.filter(
        a =>
          a.dismissedAt &&
          Date.parse(a.dismissedAt) >= period.from.getTime() &&
          Date.parse(a.dismissedAt) <= END
      ).length
    )
    expect(m.fixedInPeriod).toBeGreaterThan(50)
  })

  it('says where the gate evidence and code scanning disagree, and only there', () => {
    const m = alertMetrics(alerts, period)
    const mine = (s: (typeof SEVERITIES)[number], shift: number): SeverityMttr => ({
      ...m.mttr[s],
      meanDays: m.mttr[s].meanDays === null ? null : m.mttr[s].meanDays! + shift
    })
    const zero = Object.fromEntries(SEVERITIES.map(s => [s, 0])) as OpenFindings['open']
    const open: OpenFindings = {
      open: { ...m.open, high: m.open.high + 2 },
      suppressed: zero,
      ages: { critical: [], high: [], medium: [], low: [], info: [] },
      oldestDays: null
    }
    const disagreements = compareSources(
      {
        mttr: {
          critical: mine('critical', 0.5),
          high: mine('high', 0),
          medium: mine('medium', 3),
          low: mine('low', 0),
          info: mine('info', 0)
        },
        open
      },
      m
    )
    expect(disagreements).toEqual([
      { severity: 'high', measure: 'open', evidence: m.open.high + 2, alerts: m.open.high },
      {
        severity: 'medium',
        measure: 'mttr-days',
        evidence: m.mttr.medium.meanDays! + 3,
        alerts: m.mttr.medium.meanDays
      }
    ])
  })
})

describe('build success rate', () => {
  it('per workflow and branch and per slice of the branch, from the counts behind each ratio', () => {
    const random = prng(8)
    const conclusions = [
      'success',
      'success',
      'success',
      'failure',
      'cancelled',
      'skipped',
      'timed_out',
      'startup_failure',
      'neutral'
    ]
    const runs: WorkflowRunRecord[] = Array.from({ length: 3000 }, (_, i) => {
      const done = random() > 0.02
      return {
        id: i,
        workflow: ['CI', 'Release'][i % 2]!,
        path: 'p',
        branch: random() < 0.7 ? 'main' : 'topic',
        event: 'push',
        status: done ? 'completed' : 'in_progress',
        conclusion: done ? conclusions[Math.floor(random() * conclusions.length)]! : null,
        createdAt: iso(END - random() * 90 * DAY),
        attempt: 1,
        headSha: 'x',
        fromFork: false
      }
    })
    const slices = buckets(period)
    const result = buildSuccess(runs, 'main', slices)
    const rate = (list: WorkflowRunRecord[]) => {
      const done = list.filter(r => r.status === 'completed')
      const ok = done.filter(r => r.conclusion === 'success').length
      const decided = done.filter(r =>
        ['success', 'failure', 'timed_out', 'startup_failure'].includes(r.conclusion!)
      ).length
      return decided ? Math.round((ok / decided) * 10_000) / 10_000 : null
    }
    const main = runs.filter(r => r.branch === 'main')
    expect(result.branch.rate).toBe(rate(main))
    expect(result.branch.runs).toBe(main.length)
    expect(result.branch.unfinished).toBe(main.filter(r => r.status !== 'completed').length)
    for (const workflow of ['CI', 'Release'])
      for (const branch of ['main', 'topic']) {
        const row = result.rows.find(r => r.workflow === workflow && r.branch === branch)!
        expect(row.rate).toBe(rate(runs.filter(r => r.workflow === workflow && r.branch === branch)))
      }
    slices.forEach((b, i) =>
      expect(result.series[i]!.rate).toBe(
        rate(main.filter(r => bucketIndex(slices, Date.parse(r.createdAt)) === i))
      )
    )
    expect(buildSuccess([], 'main', slices).branch.rate).toBeNull()
  })

  it("leaves pull request and fork runs out of the branch's rate: a fork's branch is often called main too", () => {
    const run = (id: number, event: string, conclusion: string, fromFork = false): WorkflowRunRecord => ({
      id,
      workflow: 'CI',
      path: '.github/workflows/ci.yml',
      branch: 'main',
      event,
      status: 'completed',
      conclusion,
      createdAt: iso(END - DAY),
      attempt: 1,
      headSha: 'x',
      fromFork
    })
    const runs = [
      ...[1, 2, 3].map(id => run(id, 'push', 'success')),
      ...[4, 5, 6, 7, 8].map(id => run(id, 'pull_request', 'failure')),
      run(9, 'pull_request_target', 'failure'),
      // What a fork's pull request run triggers (workflow_run) is named after the fork's branch.
      ...[10, 11].map(id => run(id, 'workflow_run', 'failure', true))
    ]
    const result = buildSuccess(runs, 'main', buckets(period))
    expect(result.branch).toMatchObject({ runs: 3, success: 3, failure: 0, rate: 1 })
    expect(result.series.reduce((n, p) => n + p.runs, 0)).toBe(3)
    expect(result.rows.map(r => [r.branch, r.runs, r.rate])).toEqual([
      ['main (pull requests)', 6, 0],
      ['main', 3, 1],
      ['main (forks)', 2, 0]
    ])
  })
})
