import { readdirSync } from 'node:fs'
import * as path from 'node:path'
import type { ScanReport, Severity } from '../../packages/core/src/findings/finding.js'
import { sharedFixture } from './shared-fixtures.js'

/*
 * What each real scanner output in ../shared/fixtures/scanners should read as, written from each
 * tool's documented format and not from our readers' code. Shared by the reader and gate suites.
 */

export type Json = Record<string, any> // eslint-disable-line @typescript-eslint/no-explicit-any
export type Counts = Partial<Record<Severity, number>>

export const SCANNERS = sharedFixture('scanners')
const SCHEMA = 'sarif-schema-2.1.0.json'

/** Every report under fixtures/scanners, relative to it; the SARIF schema itself is not a report. */
export function reportFiles(): string[] {
  return (readdirSync(SCANNERS, { recursive: true }) as string[])
    .filter(file => /\.(json|sarif)$/.test(file) && path.basename(file) !== SCHEMA)
    .sort()
}

export function tally(severities: Severity[]): Counts {
  const counts: Counts = {}
  for (const severity of severities) counts[severity] = (counts[severity] ?? 0) + 1
  return counts
}

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

export function expected(raw: Json): { format: ScanReport['format']; severities: Severity[] } {
  if (raw.runs) return { format: 'sarif', severities: expectedSarif(raw) }
  if (raw.SchemaVersion) return { format: 'trivy-json', severities: expectedTrivy(raw) }
  if (raw.matches) return { format: 'grype-json', severities: expectedGrype(raw) }
  if (raw.paths) return { format: 'semgrep-json', severities: expectedSemgrep(raw) }
  if (raw.bomFormat) return { format: 'cyclonedx-json', severities: expectedCycloneDx(raw) }
  return { format: 'osv-scanner-json', severities: expectedOsv(raw) }
}
