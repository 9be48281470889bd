import { describe, expect, it } from '@jest/globals'
import { makeFinding } from '../../../../test/support/findings.js'
import { applyExceptions, checkExceptionHorizon, exceptionMatches } from './exceptions.js'
import type { ExceptionEntry } from './schema.js'

const entry = (over: Partial<ExceptionEntry>): ExceptionEntry => ({
  reason: 'r',
  owner: 'o',
  expires: '2026-12-31',
  ...over
})

describe('exceptions', () => {
  const lodash = makeFinding({
    ruleId: 'GHSA-35jh-r3h4-6jhm',
    aliases: ['CVE-2021-23337'],
    kind: 'dependency',
    scanner: 'osv-scanner',
    package: {
      name: 'lodash',
      purl: 'pkg:npm/lodash@4.17.20',
      installedVersion: '4.17.20',
      fixedVersions: ['4.17.21']
    }
  })

  it('matches a CVE against the GHSA finding through its aliases, either case', () => {
    expect(exceptionMatches(entry({ id: 'cve-2021-23337' }), lodash)).toBe(true)
    expect(exceptionMatches(entry({ id: 'GHSA-35jh-r3h4-6jhm' }), lodash)).toBe(true)
    expect(exceptionMatches(entry({ id: 'CVE-2021-99999' }), lodash)).toBe(false)
  })

  it('compares ids and names as ICU does with accents counting and case not, ASCII or not', () => {
    const named = (ruleId: string, name: string) =>
      makeFinding({
        ruleId,
        kind: 'dependency',
        scanner: 'trivy',
        package: { name, installedVersion: '1', fixedVersions: [] }
      })
    const matches = (id: string, ruleId: string) => exceptionMatches(entry({ id }), named(ruleId, 'p'))
    expect(matches('Py-Weak-Hash', 'py-weak-hash')).toBe(true)
    expect(matches('py-weak-hash ', 'py-weak-hash')).toBe(false)
    expect(matches('CAFÉ-1', 'café-1')).toBe(true)
    expect(matches('cafe-1', 'café-1')).toBe(false)
    // Canonically equivalent spellings (é precomposed and e + combining acute) are one id to the collator.
    expect(matches('caf\u00e9-1', 'cafe\u0301-1')).toBe(true)
    expect(exceptionMatches(entry({ package: 'PyYAML' }), named('CVE-1', 'pyyaml'))).toBe(true)
    expect(exceptionMatches(entry({ package: 'pyyaml2' }), named('CVE-1', 'pyyaml'))).toBe(false)
  })

  it('matches a versionless purl to every version and a versioned purl exactly', () => {
    expect(exceptionMatches(entry({ id: 'CVE-2021-23337', package: 'pkg:npm/lodash' }), lodash)).toBe(true)
    expect(exceptionMatches(entry({ id: 'CVE-2021-23337', package: 'pkg:npm/lodash@4.17.20' }), lodash)).toBe(
      true
    )
    expect(exceptionMatches(entry({ id: 'CVE-2021-23337', package: 'pkg:npm/lodash@4.17.19' }), lodash)).toBe(
      false
    )
    expect(exceptionMatches(entry({ id: 'CVE-2021-23337', package: 'pkg:npm/lodash-es' }), lodash)).toBe(
      false
    )
  })

  it('narrows by path glob, image glob and scanner', () => {
    const code = makeFinding({ ruleId: 'js.sqli', location: { path: 'src/legacy/db.js', startLine: 3 } })
    expect(exceptionMatches(entry({ rule: 'js.sqli', path: 'src/legacy/**' }), code)).toBe(true)
    expect(exceptionMatches(entry({ rule: 'js.sqli', path: 'src/app/**' }), code)).toBe(false)
    expect(exceptionMatches(entry({ rule: 'js.*' }), code)).toBe(true)
    const img = makeFinding({ ruleId: 'CVE-1', image: 'ghcr.io/org/api:1.2', scanner: 'trivy' })
    expect(exceptionMatches(entry({ id: 'CVE-1', image: 'ghcr.io/org/*' }), img)).toBe(true)
    expect(exceptionMatches(entry({ id: 'CVE-1', image: 'docker.io/**' }), img)).toBe(false)
    expect(exceptionMatches(entry({ id: 'CVE-1', scanner: 'grype' }), img)).toBe(false)
  })

  it('suppresses with active entries, reports expired ones without suppressing, and finds stale ones', () => {
    const findings = [lodash, makeFinding({ ruleId: 'CVE-2', scanner: 'trivy' })]
    const outcome = applyExceptions(
      findings,
      [
        entry({ id: 'CVE-2021-23337', expires: '2026-11-25' }),
        entry({ id: 'CVE-2', expires: '2026-11-24' }),
        entry({ id: 'CVE-3' })
      ],
      '2026-11-25'
    )
    expect(outcome.suppressedBy[0]?.index).toBe(0)
    expect(outcome.suppressedBy[1]).toBeUndefined()
    expect(outcome.used.map(u => u.index)).toEqual([0])
    expect(outcome.expired.map(u => [u.index, u.matched])).toEqual([[1, 1]])
    expect(outcome.stale.map(u => u.index)).toEqual([2])
  })

  it('refuses entries past the maximum horizon', () => {
    expect(() =>
      checkExceptionHorizon([entry({ id: 'X', expires: '2027-06-01' })], '2026-11-25', 90)
    ).toThrow(/more than 90 days ahead/)
    expect(() =>
      checkExceptionHorizon([entry({ id: 'X', expires: '2027-02-23' })], '2026-11-25', 90)
    ).not.toThrow()
  })
})
