import { describe, expect, it } from '@jest/globals'
import { parsePolicy } from '../policy/load.js'
import { makeFinding } from './__fixtures__/findings.js'
import { evaluateGate, orderForReport, reportRank, type EvaluatedFinding } from './verdict.js'

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
})

describe('orderForReport', () => {
  it('orders by report rank and keeps report order within a rank, like a stable sort', () => {
    const severities = ['critical', 'high', 'medium', 'low', 'info'] as const
    const items: EvaluatedFinding[] = Array.from({ length: 500 }, (_, i) => {
      const counted = i % 3 !== 0
      return {
        finding: makeFinding({ severity: severities[(i * 7) % 5] }),
        isNew: i % 4 !== 0,
        suppression: i % 5 === 0 ? { by: 'sarif', kind: 'inSource' } : undefined,
        counted,
        blocking: counted && i % 2 === 0
      }
    })
    const expected = items
      .map((item, index) => ({ item, index }))
      .sort((a, b) => reportRank(a.item) - reportRank(b.item) || a.index - b.index)
      .map(x => x.item)
    expect(orderForReport(items)).toEqual(expected)
    expect(orderForReport(items).every((item, i) => item === expected[i])).toBe(true)
    expect(orderForReport([])).toEqual([])
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
