import { describe, expect, it } from '@jest/globals'
import { DAY, evidenceHistory, type EvidenceHistory } from '../../../../test/support/metrics-history.js'
import { SEVERITIES, type Severity } from '../findings/finding.js'
import type { GateEvidence } from '../evidence/schema.js'
import { toEvidenceRun, type EvidenceRun } from './evidence-runs.js'
import { countsOverTime, followFindings, mttrBySeverity, openFindings } from './findings-timeline.js'
import { bucketIndex, buckets, parsePeriod } from './period.js'

const END = Date.parse('2026-10-01T00:00:00Z')
const period = parsePeriod('90d', new Date(END), 'period')

function runsOf(
  h: EvidenceHistory,
  docs = h.runs.map(r => h.document(r.index)),
  stream = 'artifact secure-pipeline-gate'
): EvidenceRun[] {
  return docs.map((doc, i) =>
    toEvidenceRun(
      { source: `${stream}/${i}.json`, sha256: `${stream}/${i}`, bytes: 1, evidence: doc },
      h.branch,
      stream
    )
  )
}

/** Where each finding was present, by the generator's decisions (a broken run hides trivy's findings). */
function presence(h: EvidenceHistory) {
  return h.findings.map(f => {
    const seen = h.runs.filter(
      r =>
        f.open <= r.index &&
        (f.close === undefined || r.index < f.close) &&
        !(r.broken && f.scanner === 'trivy')
    )
    // Gone at `close`; a broken run cannot tell, so the first complete run at or after it does.
    const remediation = f.close === undefined ? undefined : h.runs.find(r => r.index >= f.close! && !r.broken)
    return { f, first: seen[0], remediation }
  })
}

/** Days to remediate from the generator's lifetimes: plain arithmetic, none of the code under test. */
function oracleDays(h: EvidenceHistory, window = period) {
  const from = window.from.getTime()
  const to = window.to.getTime()
  const days: Record<Severity, number[]> = { critical: [], high: [], medium: [], low: [], info: [] }
  for (const { f, first, remediation } of presence(h)) {
    if (!first || !remediation || first.index === 0) continue
    if (remediation.time < from || remediation.time > to) continue
    days[f.severity].push((remediation.time - first.time) / DAY)
  }
  return days
}

function oracleMttr(h: EvidenceHistory, window = period) {
  return meanDays(oracleDays(h, window))
}

function meanDays(days: Record<Severity, number[]>) {
  return Object.fromEntries(
    SEVERITIES.map(s => [
      s,
      days[s].length === 0
        ? null
        : Math.round((days[s].reduce((a, b) => a + b, 0) / days[s].length) * 100) / 100
    ])
  )
}

describe('findings followed across the branch gate runs', () => {
  it.each([1, 2, 3, 4, 5])(
    'MTTR per severity matches the generated lifetimes (seed %i, 120 runs over 150 days, broken runs, exceptions)',
    seed => {
      const h = evidenceHistory({
        seed,
        start: END - 150 * DAY,
        end: END,
        runs: 120,
        findings: 300,
        brokenRuns: [7, 30, 31, 77, 118],
        exceptionShare: 0.15
      })
      const timeline = followFindings(runsOf(h))
      const mttr = mttrBySeverity(timeline.episodes, period)
      expect(Object.fromEntries(SEVERITIES.map(s => [s, mttr[s].meanDays]))).toEqual(oracleMttr(h))
      // A year covers the whole history: findings the first run already saw have no known start.
      const year = parsePeriod('1y', new Date(END), 'period')
      const all = mttrBySeverity(timeline.episodes, year)
      expect(Object.fromEntries(SEVERITIES.map(s => [s, all[s].meanDays]))).toEqual(oracleMttr(h, year))
      expect(SEVERITIES.reduce((n, s) => n + all[s].unknownStart, 0)).toBeGreaterThan(0)
      // The test data really has remediations in the period, in every severity.
      for (const s of SEVERITIES) expect(mttr[s].remediated).toBeGreaterThan(3)
      expect(timeline.partialRuns).toBe(5)
    }
  )

  it('counts open findings at the end by severity, under an exception apart, with their ages', () => {
    const h = evidenceHistory({
      seed: 9,
      start: END - 200 * DAY,
      end: END,
      runs: 150,
      findings: 400,
      exceptionShare: 0.2
    })
    const open = openFindings(followFindings(runsOf(h)).episodes, period)
    const last = h.runs.length - 1
    const expected = { open: {} as Record<string, number>, suppressed: {} as Record<string, number> }
    let oldest = 0
    for (const s of SEVERITIES) {
      const alive = h.findings.filter(f => f.severity === s && f.close === undefined)
      expected.suppressed[s] = alive.filter(
        f => f.exceptedFrom !== undefined && last >= f.exceptedFrom
      ).length
      expected.open[s] = alive.length - expected.suppressed[s]!
    }
    for (const f of h.findings.filter(f => f.close === undefined))
      oldest = Math.max(oldest, (END - h.runs[f.open]!.time) / DAY)
    expect(open.open).toEqual(expected.open)
    expect(open.suppressed).toEqual(expected.suppressed)
    // Ages: every open finding is in exactly one bucket, and the oldest is as old as the earliest open one.
    for (const s of SEVERITIES)
      expect(open.ages[s].reduce((a, b) => a + b, 0)).toBe(expected.open[s]! + expected.suppressed[s]!)
    expect(open.oldestDays).toBeCloseTo(oldest, 1)
    expect(Object.values(expected.suppressed).reduce((a, b) => a + b, 0)).toBeGreaterThan(0)
  })

  it('counts over time: each bucket shows what its last complete run saw', () => {
    const h = evidenceHistory({
      seed: 4,
      start: END - 95 * DAY,
      end: END,
      runs: 60,
      findings: 150,
      brokenRuns: [59]
    })
    const slices = buckets(period)
    const points = countsOverTime(runsOf(h), slices)
    slices.forEach((b, i) => {
      const inBucket = h.runs.filter(r => r.time > b.start && r.time <= b.end)
      const complete = inBucket.filter(r => !r.broken)
      const last = complete[complete.length - 1]
      if (!last) return expect(points[i]!.bySeverity).toBeNull()
      const present = h.findings.filter(
        f => f.open <= last.index && (f.close === undefined || last.index < f.close)
      )
      expect(points[i]!.bySeverity).toEqual(
        Object.fromEntries(SEVERITIES.map(s => [s, present.filter(f => f.severity === s).length]))
      )
      expect(points[i]!.runs).toBe(inBucket.length)
    })
    // The last run is broken: its bucket shows the complete run before it in the same week.
    expect(points[points.length - 1]!.runs).toBeGreaterThan(1)
  })

  it('a finding that comes back opens a second episode; an exception never remediates', () => {
    const h = evidenceHistory({ seed: 1, start: END - 30 * DAY, end: END, runs: 6, findings: 0 })
    const base = h.document(0)
    const row = (fp: string) => ({
      fingerprint: fp,
      ruleId: 'r',
      severity: 'high' as const,
      scanner: 'semgrep',
      blocking: true,
      new: true
    })
    const docs: GateEvidence[] = [
      { ...base, findings: [row('a'), row('b')] },
      { ...h.document(1), findings: [row('b')] },
      { ...h.document(2), findings: [row('a')], uncounted: [{ ...row('b'), reason: 'exception' }] },
      { ...h.document(3), findings: [], uncounted: [{ ...row('b'), reason: 'exception' }] },
      { ...h.document(4), findings: [] },
      { ...h.document(5), findings: [] }
    ]
    const episodes = followFindings(runsOf(h, docs)).episodes
    const times = h.runs.map(r => r.time)
    expect(episodes.map(e => [e.fingerprint, e.openedAt, e.remediatedAt, e.openedKnown])).toEqual([
      ['a', times[0], times[1], false],
      ['b', times[0], times[4], false],
      ['a', times[2], times[3], true]
    ])
  })

  it('a scanner that did not run this time remediates none of its findings; nor does a file that hides what it left out', () => {
    const h = evidenceHistory({ seed: 2, start: END - 10 * DAY, end: END, runs: 4, findings: 0 })
    const row = {
      fingerprint: 'x',
      ruleId: 'r',
      severity: 'low' as const,
      scanner: 'trivy',
      blocking: false,
      new: true
    }
    const withoutTrivy = {
      ...h.document(1),
      findings: [],
      reports: h.document(1).reports.filter(r => r.tools[0]!.name !== 'Trivy')
    }
    const legacyWithSuppression: GateEvidence = {
      ...h.document(2),
      findings: [],
      suppressed: { byException: 1, inReports: 0 }
    }
    delete legacyWithSuppression.uncounted
    const docs = [
      { ...h.document(0), findings: [row] },
      withoutTrivy,
      legacyWithSuppression,
      { ...h.document(3), findings: [] }
    ]
    const [episode] = followFindings(runsOf(h, docs)).episodes
    expect(episode!.remediatedAt).toBe(h.runs[3]!.time)
  })

  it("follows each gate's history on its own: a matrix's gate for one image never remediates another's findings", () => {
    const options = { start: END - 120 * DAY, end: END, runs: 90, findings: 200, brokenRuns: [12] }
    const api = evidenceHistory({ ...options, seed: 21 })
    const web = evidenceHistory({ ...options, seed: 22, start: options.start + 3600_000 })
    const mixed = [
      ...runsOf(api, undefined, 'artifact gate-api'),
      ...runsOf(web, undefined, 'artifact gate-web')
    ]
    mixed.sort((a, b) => a.time - b.time)
    const mttr = mttrBySeverity(followFindings(mixed).episodes, period)
    const apiDays = oracleDays(api)
    const webDays = oracleDays(web)
    const both = Object.fromEntries(SEVERITIES.map(s => [s, [...apiDays[s], ...webDays[s]]])) as Record<
      Severity,
      number[]
    >
    expect(Object.fromEntries(SEVERITIES.map(s => [s, mttr[s].meanDays]))).toEqual(meanDays(both))
    // Read as one history, each gate's runs would "remediate" the other's findings: the streams matter.
    const asOne = mixed.map(r => ({ ...r, stream: 'one' }))
    const wrong = mttrBySeverity(followFindings(asOne).episodes, period)
    expect(SEVERITIES.map(s => wrong[s].meanDays)).not.toEqual(SEVERITIES.map(s => mttr[s].meanDays))
    // Counts over time add up both gates' last complete runs of each slice.
    const slices = buckets(period)
    const [a, w, m] = [runsOf(api), runsOf(web), mixed].map(runs => countsOverTime(runs, slices))
    let compared = 0
    m!.forEach((point, i) => {
      if (!a![i]!.bySeverity || !w![i]!.bySeverity) return
      compared++
      for (const s of SEVERITIES)
        expect(point.bySeverity![s]).toBe(a![i]!.bySeverity![s] + w![i]!.bySeverity![s])
    })
    expect(compared).toBeGreaterThan(5)
  })

  it('a gate whose run in a slice was broken still counts in that slice with its last complete run: a crash never drops its findings', () => {
    const options = { start: END - 20 * DAY, end: END - 5 * DAY, runs: 2, findings: 40 }
    const api = evidenceHistory({ ...options, seed: 31 })
    const web = evidenceHistory({ ...options, seed: 32, brokenRuns: [1] })
    const runs = [
      ...runsOf(api, undefined, 'artifact gate-api'),
      ...runsOf(web, undefined, 'artifact gate-web')
    ].sort((a, b) => a.time - b.time)
    const slices = buckets(period)
    const points = countsOverTime(runs, slices)
    // What each gate's run at `index` saw, from the generator's decisions (a broken run hides trivy's).
    const present = (h: EvidenceHistory, index: number) =>
      h.findings.filter(
        f =>
          f.open <= index &&
          (f.close === undefined || index < f.close) &&
          !(h.runs[index]!.broken && f.scanner === 'trivy')
      )
    const bySeverity = (list: ReturnType<typeof present>) =>
      Object.fromEntries(SEVERITIES.map(s => [s, list.filter(f => f.severity === s).length]))
    const [first, second] = [0, 1].map(i => bucketIndex(slices, api.runs[i]!.time))
    expect(first).not.toBe(second)
    expect(points[first!]!.bySeverity).toEqual(bySeverity([...present(api, 0), ...present(web, 0)]))
    // web's second run is broken: the slice adds web's last complete run, not nothing.
    expect(present(web, 0).length).toBeGreaterThan(0)
    expect(points[second!]!.bySeverity).toEqual(bySeverity([...present(api, 1), ...present(web, 0)]))
    // A slice without any complete run stays a gap.
    expect(points[second! - 1]!.bySeverity).toBeNull()
  })

  it("a finding first listed after runs that did not look for its scanner has an unknown start, not that run's", () => {
    const h = evidenceHistory({
      seed: 3,
      start: END - 10 * DAY,
      end: END,
      runs: 4,
      findings: 0,
      brokenRuns: [0]
    })
    const row = (fingerprint: string, scanner: string) => ({
      fingerprint,
      ruleId: 'r',
      severity: 'high' as const,
      scanner,
      blocking: true,
      new: true
    })
    // Run 0's trivy report is broken, so it tells no absence; run 1 read no osv-scanner report.
    const withoutOsv = h.document(1).reports.filter(r => r.tools[0]!.name !== 'osv-scanner')
    const docs = [
      { ...h.document(0), findings: [row('s', 'semgrep')] },
      { ...h.document(1), reports: withoutOsv, findings: [row('s', 'semgrep'), row('t', 'trivy')] },
      { ...h.document(2), findings: [row('t', 'trivy'), row('n', 'semgrep'), row('o', 'osv-scanner')] },
      { ...h.document(3), findings: [] }
    ]
    const episodes = followFindings(runsOf(h, docs)).episodes
    const times = h.runs.map(r => r.time)
    expect(episodes.map(e => [e.fingerprint, e.openedAt, e.remediatedAt, e.openedKnown])).toEqual([
      ['s', times[0], times[2], false],
      // No run before run 1 could have told t's absence: it may have been there all along.
      ['t', times[1], times[3], false],
      // Run 1 read semgrep's report and did not list n: n opened at run 2.
      ['n', times[2], times[3], true],
      // No run before run 2 read an osv-scanner report.
      ['o', times[2], times[3], false]
    ])
    const days = (times[3]! - times[2]!) / DAY
    expect(mttrBySeverity(episodes, period).high).toEqual({
      meanDays: Math.round(days * 100) / 100,
      medianDays: Math.round(days * 100) / 100,
      remediated: 1,
      unknownStart: 3
    })
  })

  it('handles an empty history and a huge one', () => {
    const empty = followFindings([])
    expect(empty.episodes).toEqual([])
    expect(mttrBySeverity(empty.episodes, period).critical).toEqual({
      meanDays: null,
      medianDays: null,
      remediated: 0,
      unknownStart: 0
    })
    expect(countsOverTime([], buckets(period)).every(p => p.bySeverity === null && p.runs === 0)).toBe(true)
    const big = evidenceHistory({ seed: 11, start: END - 100 * DAY, end: END, runs: 1000, findings: 3000 })
    const timeline = followFindings(runsOf(big))
    expect(mttrBySeverity(timeline.episodes, period)).toBeDefined()
    expect(new Set(timeline.episodes.map(e => e.fingerprint)).size).toBe(
      big.findings.filter(f => f.close === undefined || f.close > f.open).length
    )
  })
})
