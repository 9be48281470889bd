import { expect, it } from '@jest/globals'
import { readdirSync, readFileSync } from 'node:fs'
import * as path from 'node:path'
import { readReportFile } from '../../packages/core/src/findings/read-report.js'
import type { ScanReport, Severity } from '../../packages/core/src/findings/finding.js'
import { describeWithSharedFixtures, sharedFixture } from '../support/shared-fixtures.js'

type Json = Record<string, any> // eslint-disable-line @typescript-eslint/no-explicit-any
type Counts = Partial<Record<Severity, number>>

const SCANNERS = sharedFixture('scanners')
const SCHEMA = 'sarif-schema-2.1.0.json'

function reportFiles(): string[] {
  return (readdirSync(SCANNERS, { recursive: true }) as string[])
    .filter(file => /\.(json|sarif)$/.test(file) && path.basename(file) !== SCHEMA)
    .sort()
}

function tally(severities: Severity[]): Counts {
  const counts: Counts = {}
  for (const severity of severities) counts[severity] = (counts[severity] ?? 0) + 1
  return counts
}

/* Expected severities, written from each tool's documented format and not from our readers' code. */

// Tool words: Trivy UNKNOWN and Grype Unknown are what the tools' own SARIF writes as level note → low.
const WORD: Record<string, Severity> = {
  critical: 'critical',
  high: 'high',
  medium: 'medium',
  moderate: 'medium',
  low: 'low',
  negligible: 'info',
  unknown: 'low'
}
const band = (score: number): Severity =>
  score >= 9 ? 'critical' : score >= 7 ? 'high' : score >= 4 ? 'medium' : 'low'
const LEVEL: Record<string, Severity> = { error: 'high', warning: 'medium', note: 'low', none: 'info' }

function expectedTrivy(raw: Json): Severity[] {
  const out: Severity[] = []
  for (const result of raw.Results ?? []) {
    for (const v of result.Vulnerabilities ?? []) out.push(WORD[v.Severity.toLowerCase()]!)
    for (const m of result.Misconfigurations ?? [])
      if (m.Status === 'FAIL') out.push(WORD[m.Severity.toLowerCase()]!)
    for (const s of result.Secrets ?? []) out.push(WORD[s.Severity.toLowerCase()]!)
  }
  return out
}

function expectedGrype(raw: Json): Severity[] {
  return raw.matches.map((m: Json) => WORD[m.vulnerability.severity.toLowerCase()]!)
}

function expectedSemgrep(raw: Json): Severity[] {
  const semgrep: Record<string, Severity> = { ERROR: 'high', WARNING: 'medium', INFO: 'low' }
  return raw.results.map((r: Json) => semgrep[r.extra.severity]!)
}

function expectedOsv(raw: Json): Severity[] {
  const out: Severity[] = []
  for (const result of raw.results) {
    for (const pkg of result.packages) {
      const groups: Json[] = pkg.groups ?? pkg.vulnerabilities.map((v: Json) => ({ ids: [v.id] }))
      for (const group of groups) {
        const max = Number(group.max_severity)
        if (group.max_severity && max > 0) {
          out.push(band(max))
          continue
        }
        const words = pkg.vulnerabilities
          .filter((v: Json) => group.ids.includes(v.id) && v.database_specific?.severity)
          .map((v: Json) => WORD[v.database_specific.severity.toLowerCase()]!)
        const order: Severity[] = ['critical', 'high', 'medium', 'low', 'info']
        out.push(words.sort((a: Severity, b: Severity) => order.indexOf(a) - order.indexOf(b))[0] ?? 'medium')
      }
    }
  }
  return out
}

function expectedCycloneDx(raw: Json): Severity[] {
  return raw.vulnerabilities.flatMap((v: Json) => {
    const own = v.ratings.find((r: Json) => r.source?.name === v.source?.name && r.severity)
    return v.affects.map(() => WORD[own.severity]!)
  })
}

function expectedSarif(raw: Json): Severity[] {
  const out: Severity[] = []
  for (const run of raw.runs) {
    const rules: Json[] = run.tool.driver.rules ?? []
    for (const result of run.results ?? []) {
      const rule = rules[result.ruleIndex] ?? rules.find(r => r.id === result.ruleId)
      const score = Number(
        result.properties?.['security-severity'] ?? rule?.properties?.['security-severity'] ?? 0
      )
      const tagWord = (rule?.properties?.tags ?? []).map((t: string) => WORD[t.toLowerCase()]).find(Boolean)
      out.push(
        score > 0
          ? band(score)
          : (tagWord ?? LEVEL[result.level ?? rule?.defaultConfiguration?.level ?? 'warning']!)
      )
    }
  }
  return out
}

function expected(raw: Json): { format: ScanReport['format']; severities: Severity[] } {
  if (raw.runs) return { format: 'sarif', severities: expectedSarif(raw) }
  if (raw.SchemaVersion) return { format: 'trivy-json', severities: expectedTrivy(raw) }
  if (raw.matches) return { format: 'grype-json', severities: expectedGrype(raw) }
  if (raw.paths) return { format: 'semgrep-json', severities: expectedSemgrep(raw) }
  if (raw.bomFormat) return { format: 'cyclonedx-json', severities: expectedCycloneDx(raw) }
  return { format: 'osv-scanner-json', severities: expectedOsv(raw) }
}

describeWithSharedFixtures('every scanner fixture parses with the expected counts', () => {
  const files = reportFiles()

  it('finds the fixtures', () => {
    expect(files.length).toBeGreaterThanOrEqual(20)
  })

  it.each(files)('%s', file => {
    const absolute = path.join(SCANNERS, file)
    const raw = JSON.parse(readFileSync(absolute, 'utf8')) as Json
    const want = expected(raw)
    const report = readReportFile(absolute, { source: file })
    expect(report.format).toBe(want.format)
    expect(tally(report.findings.map(f => f.severity))).toEqual(tally(want.severities))
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
    expect(report.findings.map(f => f.location?.path).sort()).toEqual([
      'go.mod',
      'go.mod',
      'go.mod',
      'submod/go.mod',
      'submod2/go.mod'
    ])
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
