import { describe, expect, it } from '@jest/globals'
import { parsePolicy } from '../policy/load.js'
import { makeFinding } from '../../../../test/support/findings.js'
import type { Severity } from '../findings/finding.js'
import { evaluateGate, orderForReport, type EvaluatedFinding } from './verdict.js'

const today = '2026-11-25'
const policy = (text = '') => parsePolicy(text, 'test')

describe('gate verdict', () => {
  it('passes when nothing reaches a fail-on severity', () => {
    const v = evaluateGate({
      findings: [makeFinding({ severity: 'medium' })],
      brokenInputs: [],
      policy: policy(),
      today
    })
    expect(v.outcome).toBe('pass')
    expect(v.counts.counted.bySeverity.medium).toBe(1)
  })

  it('fails on high by default and says why', () => {
    const v = evaluateGate({
      findings: [makeFinding({ severity: 'high' }), makeFinding({ severity: 'low' })],
      brokenInputs: [],
      policy: policy(),
      today
    })
    expect(v.outcome).toBe('fail-findings')
    expect(v.reasons).toEqual(['1 high finding at a fail-on severity'])
  })

  it('keeps a broken input apart from findings, even with zero findings', () => {
    const v = evaluateGate({
      findings: [],
      brokenInputs: [{ source: 'trivy.json', message: 'truncated' }],
      policy: policy(),
      today
    })
    expect(v.outcome).toBe('fail-broken-input')
  })

  it('warn-only turns a findings failure into a pass but never a broken input', () => {
    const p = policy('gate:\n  warn-only: true')
    expect(
      evaluateGate({ findings: [makeFinding({ severity: 'critical' })], brokenInputs: [], policy: p, today })
        .outcome
    ).toBe('pass')
    expect(
      evaluateGate({ findings: [], brokenInputs: [{ source: 'x', message: 'y' }], policy: p, today }).outcome
    ).toBe('fail-broken-input')
  })

  it('with fix-available-only, package findings without a fix do not block but code findings do', () => {
    const p = policy('gate:\n  fix-available-only: true')
    const noFix = makeFinding({ kind: 'dependency', package: { name: 'a', fixedVersions: [] } })
    const withFix = makeFinding({ kind: 'dependency', package: { name: 'b', fixedVersions: ['2.0.0'] } })
    const code = makeFinding({ kind: 'code' })
    const v = evaluateGate({ findings: [noFix, withFix, code], brokenInputs: [], policy: p, today })
    expect(
      v.findings
        .filter(f => f.blocking)
        .map(f => f.finding.package?.name ?? 'code')
        .sort()
    ).toEqual(['b', 'code'])
  })

  it('enforces max counts and per-scanner thresholds', () => {
    const p = policy('gate:\n  max: { medium: 1 }\n  scanners:\n    trivy: { fail-on: [critical] }')
    const findings = [
      makeFinding({ severity: 'medium' }),
      makeFinding({ severity: 'medium' }),
      makeFinding({ severity: 'high', scanner: 'trivy' })
    ]
    const v = evaluateGate({ findings, brokenInputs: [], policy: p, today })
    expect(v.outcome).toBe('fail-findings')
    expect(v.reasons).toEqual(['2 medium findings, more than the maximum of 1'])
  })

  it('counts a scanner’s maximum over its findings in any case, as its fail-on applies', () => {
    // Our own SARIF property bag keeps the scanner name as written; policy names are compared without case.
    const p = policy('gate:\n  fail-on: [critical]\n  scanners:\n    trivy: { max: { high: 1 } }')
    const findings = [
      makeFinding({ severity: 'high', scanner: 'Trivy' }),
      makeFinding({ severity: 'high', scanner: 'TRIVY' }),
      makeFinding({ severity: 'high', scanner: 'trivy' })
    ]
    const v = evaluateGate({ findings, brokenInputs: [], policy: p, today })
    expect(v.outcome).toBe('fail-findings')
    expect(v.reasons).toEqual(['trivy: 3 high findings, more than the maximum of 1'])
  })

  it('with a baseline only new findings count, and fixed ones are listed', () => {
    const known = makeFinding({ fingerprint: 'known', severity: 'critical' })
    const fresh = makeFinding({ fingerprint: 'fresh', severity: 'medium' })
    const gone = makeFinding({ fingerprint: 'gone', severity: 'high' })
    const v = evaluateGate({
      findings: [known, fresh],
      baseline: [known, gone],
      brokenInputs: [],
      policy: policy(),
      today
    })
    expect(v.outcome).toBe('pass')
    expect(v.findings.map(f => [f.finding.fingerprint, f.isNew, f.counted])).toEqual([
      ['fresh', true, true],
      ['known', false, false]
    ])
    expect(v.fixed.map(f => f.fingerprint)).toEqual(['gone'])
  })

  it('honours suppressions already in the SARIF and exceptions from the policy', () => {
    const nosemgrep = makeFinding({ severity: 'critical', suppressions: [{ kind: 'inSource' }] })
    const excepted = makeFinding({ ruleId: 'CVE-9', severity: 'critical' })
    const rejected = makeFinding({
      severity: 'high',
      suppressions: [{ kind: 'external', status: 'rejected' }]
    })
    const p = policy(
      `exceptions:\n  - id: CVE-9\n    reason: vendor fix pending\n    owner: sec\n    expires: ${today}`
    )
    const v = evaluateGate({ findings: [nosemgrep, excepted, rejected], brokenInputs: [], policy: p, today })
    expect(v.findings.map(f => f.suppression?.by ?? 'none').sort()).toEqual(['exception', 'none', 'sarif'])
    expect(v.reasons).toEqual(['1 high finding at a fail-on severity'])
    expect(v.exceptions.used).toHaveLength(1)
  })

  it('does not honour a suppression beside one that is rejected or under review (SARIF §3.27.23)', () => {
    const rejectedBeside = makeFinding({
      severity: 'critical',
      suppressions: [{ kind: 'external' }, { kind: 'inSource', status: 'rejected' }]
    })
    const underReviewBeside = makeFinding({
      severity: 'critical',
      suppressions: [{ kind: 'inSource' }, { kind: 'external', status: 'underReview' }]
    })
    const v = evaluateGate({
      findings: [rejectedBeside, underReviewBeside],
      brokenInputs: [],
      policy: policy(),
      today,
      inSourceSuppressions: 'honour'
    })
    expect(v.findings.map(e => [e.suppression, e.inSource, e.counted])).toEqual([
      [undefined, undefined, true],
      [undefined, undefined, true]
    ])
    expect(v.reasons).toEqual(['2 critical findings at a fail-on severity'])
  })
})

describe('in-source suppressions', () => {
  const nosemgrep = () =>
    makeFinding({
      severity: 'critical',
      suppressions: [{ kind: 'inSource', justification: 'false positive' }]
    })
  const triaged = () => makeFinding({ severity: 'critical', suppressions: [{ kind: 'external' }] })
  const judge = (mode: 'honour' | 'report' | 'ignore') =>
    evaluateGate({
      findings: [nosemgrep(), triaged()],
      brokenInputs: [],
      policy: policy(),
      today,
      inSourceSuppressions: mode
    })

  it('honour: a nosemgrep finding does not count', () => {
    const v = judge('honour')
    expect(v.outcome).toBe('pass')
    expect(v.findings.map(e => [e.inSource?.justification, e.suppression?.by, e.counted])).toEqual([
      ['false positive', 'sarif', false],
      [undefined, 'sarif', false]
    ])
  })

  it.each(['report', 'ignore'] as const)(
    '%s: it counts and blocks, and is still known as suppressed in source',
    mode => {
      const v = judge(mode)
      expect(v.outcome).toBe('fail-findings')
      expect(v.reasons).toEqual(['1 critical finding at a fail-on severity'])
      expect(v.inSourceSuppressions).toBe(mode)
      const inSource = v.findings.find(e => e.inSource)!
      expect(inSource).toMatchObject({ counted: true, blocking: true, suppression: undefined })
      // A suppression from outside the code (triage) is not the scanner's own and still applies.
      expect(v.findings.find(e => !e.inSource)).toMatchObject({
        counted: false,
        suppression: { kind: 'external' }
      })
    }
  )
})

describe('in-source suppressions a change adds (reviewed)', () => {
  const suppressed = (justification: string) =>
    makeFinding({ severity: 'critical', suppressions: [{ kind: 'inSource', justification }] })
  const judge = (
    mode: 'reviewed' | 'honour' | undefined,
    byChange: (findings: ReturnType<typeof suppressed>[]) => Set<ReturnType<typeof suppressed>> | undefined
  ) => {
    const findings = [suppressed('in the base'), suppressed('added by the change')]
    return evaluateGate({
      findings,
      brokenInputs: [],
      policy: policy(),
      today,
      inSourceSuppressions: mode,
      inSourceByChange: byChange(findings)
    })
  }

  it('is the default: the base’s suppression applies, the change’s own counts and blocks', () => {
    const v = judge(undefined, ([, added]) => new Set([added!]))
    expect(v.inSourceSuppressions).toBe('reviewed')
    expect(v.outcome).toBe('fail-findings')
    expect(v.reasons).toEqual(['1 critical finding at a fail-on severity'])
    expect(v.inSourceByChange).toBe(1)
    expect(
      v.findings.map(e => [e.inSource?.justification, e.inSourceByChange, e.suppression?.by, e.counted])
    ).toEqual([
      ['added by the change', true, undefined, true],
      ['in the base', undefined, 'sarif', false]
    ])
  })

  it('passes when the change adds none of them', () => {
    const v = judge('reviewed', () => new Set())
    expect(v.outcome).toBe('pass')
    expect(v.inSourceByChange).toBe(0)
  })

  it('honours every suppression off a change event (no set: push, schedule, dispatch)', () => {
    const v = judge('reviewed', () => undefined)
    expect(v.outcome).toBe('pass')
    expect(v.inSourceByChange).toBeUndefined()
    expect(v.findings.every(e => e.suppression?.by === 'sarif' && !e.inSourceByChange)).toBe(true)
  })

  it('honour keeps honouring a suppression the change adds', () => {
    const v = judge('honour', ([, added]) => new Set([added!]))
    expect(v.outcome).toBe('pass')
    expect(v.inSourceByChange).toBeUndefined()
  })

  it('still applies a suppression from outside the code to a finding whose nosemgrep is the change’s', () => {
    const triaged = makeFinding({
      severity: 'critical',
      suppressions: [{ kind: 'inSource' }, { kind: 'external', justification: 'triaged' }]
    })
    const v = evaluateGate({
      findings: [triaged],
      brokenInputs: [],
      policy: policy(),
      today,
      inSourceByChange: new Set([triaged])
    })
    expect(v.outcome).toBe('pass')
    expect(v.findings[0]).toMatchObject({ inSourceByChange: true, suppression: { kind: 'external' } })
  })
})

describe('orderForReport', () => {
  const item = (
    label: string,
    over: { isNew?: boolean; blocking?: boolean; suppressed?: boolean; severity?: Severity }
  ): EvaluatedFinding => ({
    finding: makeFinding({ ruleId: label, severity: over.severity ?? 'high' }),
    isNew: over.isNew ?? true,
    suppression: over.suppressed ? { by: 'sarif', kind: 'inSource' } : undefined,
    counted: !over.suppressed,
    blocking: over.blocking ?? false
  })

  it('puts new before known, blocking before not, unsuppressed before suppressed, then the most severe', () => {
    const items = [
      item('A', { blocking: true, severity: 'high' }),
      item('B', { severity: 'medium' }),
      item('C', { isNew: false, blocking: true, severity: 'critical' }),
      item('D', { suppressed: true, severity: 'critical' }),
      item('E', { blocking: true, severity: 'critical' }),
      item('F', { severity: 'medium' }),
      item('G', { isNew: false, severity: 'info' }),
      item('H', { blocking: true, severity: 'high' })
    ]
    // Worked out by hand from the rule above; A/H and B/F keep their report order.
    expect(orderForReport(items).map(e => e.finding.ruleId)).toEqual(['E', 'A', 'H', 'B', 'F', 'D', 'C', 'G'])
    expect(orderForReport([])).toEqual([])
  })

  it('orders 500 findings like a stable sort on (new, blocking, unsuppressed, severity)', () => {
    const severities = ['critical', 'high', 'medium', 'low', 'info'] as const
    const items = Array.from({ length: 500 }, (_, i) =>
      item(String(i), {
        isNew: i % 4 !== 0,
        suppressed: i % 5 === 0,
        blocking: i % 3 !== 0 && i % 5 !== 0 && i % 2 === 0,
        severity: severities[(i * 7) % 5]
      })
    )
    const key = (e: EvaluatedFinding) => [
      e.isNew ? 0 : 1,
      e.blocking ? 0 : 1,
      e.suppression ? 1 : 0,
      severities.indexOf(e.finding.severity as (typeof severities)[number])
    ]
    const ordered = orderForReport(items)
    for (let i = 1; i < ordered.length; i++) {
      const [a, b] = [key(ordered[i - 1]!), key(ordered[i]!)]
      const cmp = a.map((x, j) => x - b[j]!).find(d => d !== 0) ?? 0
      expect(cmp <= 0).toBe(true)
      // Equal keys keep report order (labels are the input positions).
      if (cmp === 0)
        expect(Number(ordered[i - 1]!.finding.ruleId)).toBeLessThan(Number(ordered[i]!.finding.ruleId))
    }
    expect(new Set(ordered)).toEqual(new Set(items))
  })

  it('enforces a maximum per SARIF category', () => {
    const p = policy('gate:\n  fail-on: [critical]\n  categories:\n    image-api: { max: { high: 1 } }')
    const inCategory = () => makeFinding({ severity: 'high', scanner: 'trivy', category: 'image-api' })
    const v = evaluateGate({
      findings: [inCategory(), inCategory(), makeFinding({ severity: 'high' })],
      brokenInputs: [],
      policy: p,
      today
    })
    expect(v.outcome).toBe('fail-findings')
    expect(v.reasons).toEqual(['category image-api: 2 high findings, more than the maximum of 1'])
  })
})
