import { describe, expect, it } from '@jest/globals'
import { comparePolicies } from './compare.js'
import { parsePolicy } from './load.js'

const policy = (text: string) => parsePolicy(text, 'p.yml')

const REVIEWED = `
gate:
  fail-on: [critical, high]
  max: { medium: 5 }
  scanners:
    trivy: { fix-available-only: true }
exceptions:
  - id: CVE-2024-0001
    package: pkg:npm/lodash
    reason: not reachable
    owner: platform
    expires: 2026-12-01
  - id: CVE-2024-0002
    reason: vendor fix pending
    owner: platform
    expires: 2026-12-01
k8s-policy:
  rules:
    image-digest: on
`

describe('comparePolicies', () => {
  it('finds nothing between a policy and itself, or two spellings of the same policy', () => {
    expect(comparePolicies(policy(REVIEWED), policy(REVIEWED))).toEqual([])
    expect(comparePolicies(policy(''), policy('gate:\n  fail-on: [high, critical]\n'))).toEqual([])
  })

  it('reports the thresholds a PR moves to let its findings through', () => {
    const weakened = REVIEWED.replace('fail-on: [critical, high]', 'fail-on: []')
      .replace('max: { medium: 5 }', 'max: { medium: 50 }')
      .replace('scanners:', 'warn-only: true\n  scanners:')
    expect(comparePolicies(policy(REVIEWED), policy(weakened))).toEqual([
      {
        field: 'gate.fail-on',
        change: '[critical, high] → [] (no longer fails on critical, high)',
        effect: 'weaker'
      },
      { field: 'gate.max.medium', change: '5 → 50', effect: 'weaker' },
      {
        field: 'gate.warn-only',
        change: 'switched on: findings over the policy no longer fail the run',
        effect: 'weaker'
      }
    ])
  })

  it('judges a scanner override through the defaults it inherits, once', () => {
    const before = policy('gate:\n  fail-on: [critical, high]\n')
    const after = policy(
      'gate:\n  fail-on: [critical, high]\n  scanners:\n    semgrep: { fail-on: [critical] }\n'
    )
    expect(comparePolicies(before, after)).toEqual([
      {
        field: 'gate.scanners.semgrep.fail-on',
        change: '[critical, high] → [critical] (no longer fails on high)',
        effect: 'weaker'
      }
    ])
    // Only the defaults moved: said once under gate, not again for every scanner that inherits them.
    const defaultsOnly = policy('gate:\n  fail-on: [critical]\n  scanners:\n    trivy: { max: { low: 1 } }\n')
    const base = policy(
      'gate:\n  fail-on: [critical, high, medium]\n  scanners:\n    trivy: { max: { low: 1 } }\n'
    )
    expect(comparePolicies(base, defaultsOnly).map(c => c.field)).toEqual(['gate.fail-on'])
  })

  it('lists exceptions added, removed, widened and extended', () => {
    const after = policy(`
exceptions:
  - id: CVE-2024-0001
    reason: not reachable
    owner: platform
    expires: 2026-12-01
  - id: CVE-2024-0002
    reason: vendor fix pending
    owner: platform
    expires: 2027-02-01
  - id: "**"
    reason: release day
    owner: me
    expires: 2026-11-30
`)
    expect(comparePolicies(policy(REVIEWED), after).filter(c => c.field === 'exceptions')).toEqual([
      {
        field: 'exceptions',
        change:
          'CVE-2024-0001, package pkg:npm/lodash → CVE-2024-0001 (widened: no longer limited by package)',
        effect: 'weaker'
      },
      { field: 'exceptions', change: 'CVE-2024-0002: expires 2026-12-01 → 2027-02-01', effect: 'weaker' },
      {
        field: 'exceptions',
        change: 'added ** (matches every finding), expires 2026-11-30',
        effect: 'weaker'
      }
    ])
    const fewer = policy(REVIEWED.replace(/exceptions:[^]*k8s-policy/, 'exceptions: []\nk8s-policy'))
    expect(comparePolicies(policy(REVIEWED), fewer).map(c => [c.change, c.effect])).toEqual([
      ['removed CVE-2024-0001, package pkg:npm/lodash', 'stricter'],
      ['removed CVE-2024-0002', 'stricter']
    ])
  })

  it('sees an expiry extended through a second entry of the same scope, wherever it sits', () => {
    const entry = (reason: string, expires: string) =>
      `  - { id: CVE-2024-0009, reason: ${reason}, owner: platform, expires: ${expires} }\n`
    const before = policy(`exceptions:\n${entry('pending', '2026-01-01')}`)
    // The reviewed entry is kept word for word; the copy before it waives the finding two months longer.
    const after = policy(
      `exceptions:\n${entry('still pending', '2026-03-01')}${entry('pending', '2026-01-01')}`
    )
    expect(comparePolicies(before, after)).toContainEqual({
      field: 'exceptions',
      change: 'CVE-2024-0009: expires 2026-01-01 → 2026-03-01',
      effect: 'weaker'
    })
  })

  it('calls an exception narrowed to a package stricter, unless its date moves later too', () => {
    const entry = (scope: string, expires: string) =>
      `exceptions:\n  - { id: CVE-2024-0009${scope}, reason: r, owner: o, expires: ${expires} }\n`
    const before = policy(entry('', '2026-01-01'))
    expect(comparePolicies(before, policy(entry(', package: lodash', '2026-01-01')))).toEqual([
      {
        field: 'exceptions',
        change: 'CVE-2024-0009 → CVE-2024-0009, package lodash (narrowed)',
        effect: 'stricter'
      }
    ])
    expect(comparePolicies(before, policy(entry(', package: lodash', '2026-03-01')))).toEqual([
      {
        field: 'exceptions',
        change: 'CVE-2024-0009 → CVE-2024-0009, package lodash (narrowed), expires 2026-01-01 → 2026-03-01',
        effect: 'weaker'
      }
    ])
  })

  it('lists what weakens the policy first, so changes that do not cannot push it past a shortened list', () => {
    const entries = (reason: string) =>
      Array.from(
        { length: 25 },
        (_, i) =>
          `  - { id: CVE-2024-${1000 + i}, reason: ${reason}, owner: platform, expires: 2026-12-01 }\n`
      ).join('')
    const before = policy(`exceptions:\n${entries('pending')}`)
    const after = policy(
      `gate:\n  fail-on: [critical, high, medium]\nexceptions:\n${entries('reworded')}` +
        '  - { id: "**", reason: release day, owner: me, expires: 2026-11-30 }\n'
    )
    const changes = comparePolicies(before, after)
    expect(changes).toHaveLength(27)
    expect(changes[0]).toEqual({
      field: 'exceptions',
      change: 'added ** (matches every finding), expires 2026-11-30',
      effect: 'weaker'
    })
    expect(changes.slice(1).map(c => c.effect)).not.toContain('weaker')
  })

  it('reports k8s rules turned off, and treats an absent rule as on', () => {
    const after = policy('k8s-policy:\n  rules:\n    required-probes: off\n')
    expect(comparePolicies(policy(REVIEWED), after)).toEqual(
      expect.arrayContaining([
        { field: 'k8s-policy.rules.required-probes', change: 'turned off', effect: 'weaker' }
      ])
    )
    expect(
      comparePolicies(policy(REVIEWED), after).some(c => c.field === 'k8s-policy.rules.image-digest')
    ).toBe(false)
  })

  it('reports fix-available-only, the exception horizon and the reporting toggles', () => {
    const after = policy(
      'gate:\n  fix-available-only: true\n  max-exception-days: 365\n  upload: false\n  comment: true\n'
    )
    expect(comparePolicies(policy(''), after)).toEqual([
      {
        field: 'gate.fix-available-only',
        change: 'switched on: package findings without a fix no longer block',
        effect: 'weaker'
      },
      { field: 'gate.max-exception-days', change: '90 → 365', effect: 'weaker' },
      { field: 'gate.upload', change: 'auto → false', effect: 'neutral' },
      { field: 'gate.comment', change: 'auto → true', effect: 'neutral' }
    ])
  })

  it('calls a tightened policy stricter', () => {
    const after = policy('gate:\n  fail-on: [critical, high, medium]\n  max: { low: 0 }\n')
    expect(comparePolicies(policy(''), after)).toEqual([
      {
        field: 'gate.fail-on',
        change: '[critical, high] → [critical, high, medium] (now fails on medium)',
        effect: 'stricter'
      },
      { field: 'gate.max.low', change: 'no maximum → 0', effect: 'stricter' }
    ])
  })
})
