import { expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import * as path from 'node:path'
import { readReportFile } from '../../packages/core/src/findings/read-report.js'
import { describeWithSharedFixtures, sharedFixture } from '../support/shared-fixtures.js'
import {
  expected,
  listedReportFiles,
  reportFiles,
  SCANNERS,
  type Json
} from '../support/expected-findings.js'

describeWithSharedFixtures('every scanner fixture parses with the expected counts', () => {
  const files = reportFiles()

  it('finds every report listed in the SOURCES.md files, and no other', () => {
    expect(files).toEqual(listedReportFiles())
  })

  it.each(files)('%s', file => {
    const absolute = path.join(SCANNERS, file)
    const raw = JSON.parse(readFileSync(absolute, 'utf8')) as Json
    const want = expected(raw)
    const report = readReportFile(absolute, { source: file })
    expect(report.format).toBe(want.format)
    // In report order: the readers keep it, so a swapped pair of severities is caught too.
    expect(report.findings.map(f => f.severity)).toEqual(want.severities)
    for (const finding of report.findings) {
      expect(finding.fingerprint).toMatch(/^[0-9a-f]{32}$/)
      expect(finding.ruleId).not.toBe('')
      expect(finding.message).not.toBe('')
    }
    if (raw.runs) {
      expect(report.tools).toHaveLength(raw.runs.length)
      expect(report.findings).toHaveLength(
        raw.runs.reduce((n: number, r: Json) => n + (r.results?.length ?? 0), 0)
      )
    }
  })
})

describeWithSharedFixtures('scanner-specific facts', () => {
  const read = (file: string) => readReportFile(sharedFixture('scanners', file), { source: file })

  it('Trivy secrets never carry the matched text', () => {
    const raw = readFileSync(sharedFixture('scanners', 'trivy', 'secrets.fs.json'), 'utf8')
    const report = read('trivy/secrets.fs.json')
    expect(report.findings.every(f => f.kind === 'secret' && f.location?.startLine)).toBe(true)
    const matches = (JSON.parse(raw) as Json).Results.flatMap((r: Json) =>
      r.Secrets.map((s: Json) => s.Match)
    )
    for (const match of matches) expect(JSON.stringify(report)).not.toContain(match)
  })

  it('Trivy image scans are image findings with purls; end-of-life packages have no fix', () => {
    const report = read('trivy/debian-stretch.image.json')
    expect(report.findings.every(f => f.kind === 'image' && f.image && f.package?.purl)).toBe(true)
    const eol = report.findings.find(f => f.ruleId === 'CVE-2019-18276')!
    expect(eol.package!.fixedVersions).toEqual([])
  })

  it('Trivy filesystem scans locate dependencies at their lockfile', () => {
    const report = read('trivy/gomod.fs.json')
    const raw = JSON.parse(readFileSync(sharedFixture('scanners', 'trivy', 'gomod.fs.json'), 'utf8')) as Json
    const targets = raw.Results.flatMap((r: Json) => r.Vulnerabilities.map(() => r.Target))
    expect(new Set(targets).size).toBeGreaterThan(1)
    expect(report.findings.map(f => f.location?.path)).toEqual(targets)
    expect(new Set(report.findings.map(f => f.fingerprint)).size).toBe(report.findings.length)
  })

  it('Opengrep nosemgrep results are inSource suppressions with matchBasedId fingerprints', () => {
    const report = read('semgrep/opengrep-nosemgrep-suppressions-and-error.sarif')
    expect(report.findings.every(f => f.suppressions[0]?.kind === 'inSource')).toBe(true)
    expect(report.findings.every(f => f.partialFingerprints['matchBasedId/v1'])).toBe(true)
  })

  it('Semgrep JSON keeps CWE ids', () => {
    const report = read('semgrep/django-password-cwe.json')
    expect(report.findings.every(f => f.cwe.includes('CWE-521'))).toBe(true)
  })

  it('osv-scanner SARIF keeps deprecatedIds as aliases', () => {
    const report = read('osv-scanner/npm-lockfile.sarif')
    expect(report.findings[0]).toMatchObject({ ruleId: 'CVE-2021-23424', aliases: ['GHSA-whgm-jr23-g3j9'] })
  })

  it('osv-scanner JSON: first group id is the rule, the others aliases', () => {
    const report = read('osv-scanner/multi-source-with-max-severity.results.json')
    const net = report.findings.find(f => f.package?.name === 'golang.org/x/net')!
    expect(net).toMatchObject({ ruleId: 'GHSA-vvpx-j8f3-3w6h', severity: 'high' })
    expect(net.aliases).toEqual(expect.arrayContaining(['GO-2023-1571', 'CVE-2022-41723']))
    expect(net.package!.fixedVersions).toEqual(['0.7.0'])
  })

  it('security-severity given as a number reads like a string', () => {
    const report = read('sarif/sarif-sdk.rules-security-severity.sarif')
    expect(report.findings.map(f => [f.severity, f.securitySeverity])).toEqual([
      ['high', 8],
      ['low', 3]
    ])
  })

  it('Grype JSON and SARIF of the same model agree on packages and ids', () => {
    const json = read('grype/image.json')
    const sarif = read('grype/image.sarif')
    expect(json.findings.map(f => f.package!.name).sort()).toEqual(
      sarif.findings.map(f => f.package!.name).sort()
    )
    expect(json.findings.every(f => f.kind === 'image')).toBe(true)
    expect(sarif.findings.every(f => f.kind === 'image')).toBe(true)
  })
})
