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
  const rawFixture = (file: string) =>
    JSON.parse(readFileSync(sharedFixture('scanners', file), 'utf8')) as Json

  it('Trivy secrets never carry the matched text', () => {
    const raw = rawFixture('trivy/secrets.fs.json')
    const report = read('trivy/secrets.fs.json')
    const secrets: Json[] = raw.Results.flatMap((r: Json) => r.Secrets)
    expect(secrets.length).toBeGreaterThan(0)
    expect(report.findings.map(f => [f.kind, f.location?.startLine])).toEqual(
      secrets.map(s => ['secret', s.StartLine])
    )
    const text = JSON.stringify(report)
    for (const secret of secrets) {
      expect(text).not.toContain(secret.Match)
      for (const line of secret.Code?.Lines ?? []) if (line.IsCause) expect(text).not.toContain(line.Content)
    }
  })

  it('Trivy image scans are image findings with purls; end-of-life packages have no fix', () => {
    const report = read('trivy/debian-stretch.image.json')
    const raw = rawFixture('trivy/debian-stretch.image.json')
    const vulnerabilities: Json[] = raw.Results.flatMap((r: Json) => r.Vulnerabilities)
    expect(report.findings.map(f => [f.kind, f.image, f.package?.purl])).toEqual(
      vulnerabilities.map(v => ['image', raw.ArtifactName, v.PkgIdentifier.PURL])
    )
    const eol = report.findings.find(f => f.ruleId === 'CVE-2019-18276')!
    expect(eol.package!.fixedVersions).toEqual([])
  })

  it('Trivy filesystem scans locate dependencies at their lockfile', () => {
    const report = read('trivy/gomod.fs.json')
    const raw = rawFixture('trivy/gomod.fs.json')
    const targets = raw.Results.flatMap((r: Json) => r.Vulnerabilities.map(() => r.Target))
    expect(new Set(targets).size).toBeGreaterThan(1)
    expect(report.findings.map(f => f.location?.path)).toEqual(targets)
    expect(new Set(report.findings.map(f => f.fingerprint)).size).toBe(report.findings.length)
  })

  it('Opengrep nosemgrep results are inSource suppressions with matchBasedId fingerprints', () => {
    const file = 'semgrep/opengrep-nosemgrep-suppressions-and-error.sarif'
    const results: Json[] = rawFixture(file).runs.flatMap((run: Json) => run.results)
    expect(results.length).toBeGreaterThan(0)
    expect(
      read(file).findings.map(f => [
        f.suppressions.map(s => s.kind),
        f.partialFingerprints['matchBasedId/v1']
      ])
    ).toEqual(results.map(r => [r.suppressions.map((s: Json) => s.kind), r.fingerprints['matchBasedId/v1']]))
  })

  it('Semgrep JSON keeps CWE ids', () => {
    const file = 'semgrep/django-password-cwe.json'
    const results: Json[] = rawFixture(file).results
    expect(results.length).toBeGreaterThan(0)
    // `CWE-521: Weak Password Requirements` in the rule metadata.
    expect(read(file).findings.map(f => f.cwe)).toEqual(
      results.map(r => [/^CWE-\d+/.exec(r.extra.metadata.cwe)![0]])
    )
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
    const file = 'sarif/sarif-sdk.rules-security-severity.sarif'
    const rules: Json[] = rawFixture(file).runs[0].tool.driver.rules
    expect(rules.map(r => typeof r.properties['security-severity'])).toEqual(['number', 'number'])
    expect(read(file).findings.map(f => f.securitySeverity)).toEqual(
      rules.map(r => r.properties['security-severity'])
    )
  })

  it('Grype JSON and SARIF of the same model agree on packages and ids', () => {
    const json = read('grype/image.json')
    const sarif = read('grype/image.sarif')
    expect(json.findings.map(f => f.package!.name).sort()).toEqual(
      sarif.findings.map(f => f.package!.name).sort()
    )
    expect(json.findings.length).toBeGreaterThan(0)
    expect([...json.findings, ...sarif.findings].map(f => f.kind)).toEqual(
      Array(json.findings.length + sarif.findings.length).fill('image')
    )
  })
})
