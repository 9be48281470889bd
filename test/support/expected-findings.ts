import { readdirSync, readFileSync } from 'node:fs'
import * as path from 'node:path'
import type { ScanReport, Severity } from '../../packages/core/src/findings/finding.js'
import { sharedFixture } from './shared-fixtures.js'

/*
 * The conformance oracle: what each real scanner output in ../shared/fixtures/scanners says about the
 * severity of each of its findings, read from the specifications and each tool's documented severity
 * field. It shares no code and no precedence rule with the readers: where the two disagree the conformance
 * suites fail, and the decision is written down below (DECISIONS).
 *
 * Specifications used:
 * - SARIF 2.1.0 (OASIS) §3.27.9–10: a result of kind `pass`, `notApplicable` or `informational` reports no
 *   problem, and its level SHALL be `none`. `review` ("requires review by a human user to decide if it
 *   represents a problem") and `open` ("unable to determine whether the problem exists") leave the problem
 *   undecided, so they are rated like `fail`, as is a kind SARIF does not define. Otherwise `level`,
 *   when absent, is the rule's `defaultConfiguration.level` (§3.49.14 → §3.50.3), else `warning`.
 * - GitHub code scanning, "SARIF support for code scanning", reportingDescriptor object:
 *   `properties.security-severity`, a score between 0.0 and 10.0 on the *rule*, is the severity of a
 *   security alert: ≥ 9.0 critical, 7.0–8.9 high, 4.0–6.9 medium, 0.1–3.9 low. A result-level property of
 *   that name is not read by GitHub. Without a score GitHub shows the result's level.
 * - Our five-level scale has to name GitHub's levels: error → high, warning → medium, note → low,
 *   none → info. This is the one mapping the oracle takes from the project (README, "Severity"), and it is
 *   a name for a level, not a precedence between sources.
 * - Trivy JSON: `Severity` of each vulnerability, misconfiguration and secret (CRITICAL, HIGH, MEDIUM, LOW,
 *   UNKNOWN); Trivy chooses it (vendor first, then NVD), so it is the severity Trivy itself gates on.
 *   Misconfigurations count when `Status` is FAIL (PASS and EXCEPTION are not problems). UNKNOWN is rated
 *   as Trivy's own SARIF writer rates it (pkg/report/sarif.go): security-severity from
 *   `CVSS[SeveritySource].V3Score` when there is one, else "0.0" with level note → low.
 * - Grype JSON: `vulnerability.severity` on Grype's scale Negligible < Low < Medium < High < Critical
 *   (Negligible is below low: info). Unknown is rated as Grype's SARIF presenter rates it: the highest
 *   CVSS base score when there is one, else level note → low.
 * - Semgrep JSON: `extra.severity` (ERROR = high, WARNING = medium, INFO = low in Semgrep's docs; the newer
 *   scale CRITICAL/HIGH/MEDIUM/LOW as named; INVENTORY/EXPERIMENT informational → info), unless the rule's
 *   `metadata.security-severity` gives a score: Semgrep copies it into its SARIF rule, where GitHub uses it.
 * - osv-scanner JSON: one finding per group (`groups[].ids`, osv-scanner's set of records for one problem).
 *   osv-scanner rates a group by `max_severity`, the highest CVSS base score of its records. Outputs older
 *   than that field (or with it empty) are rated as osv-scanner would have rated them: the highest CVSS v3
 *   base score of the records' `severity[]` vectors (scores below, from the FIRST CVSS 3.1 calculator),
 *   else the worst GitHub advisory word in `database_specific.severity` (LOW, MODERATE, HIGH, CRITICAL),
 *   else medium (osv-scanner's SARIF writes every result at level warning).
 * - CycloneDX 1.x: `vulnerabilities[].ratings[]`, one per source, severities critical/high/medium/low/info
 *   as named, none (CVSS "None") → info, unknown → no rating. The spec sets no precedence between sources;
 *   the rating that counts is the one from the vulnerability's own `source` (the source Trivy's JSON names
 *   as SeveritySource, so both formats of one scan agree). Without one, the worst rating any source gives
 *   (what a reader of the BOM would act on), else the highest CVSS v3 score, else low. One finding per
 *   `affects[]` entry, and one for a vulnerability without any (`affects` is optional).
 *
 * DECISIONS (where this oracle and the readers differed, and which was right):
 * - osv-scanner: the reader ranked the GitHub word above the CVSS score of the group's records, so a group
 *   of a MODERATE GHSA record and a GO record scored 7.5 read as medium while carrying securitySeverity
 *   7.5, which our SARIF then uploads as high. osv-scanner itself rates the group 7.5 (high). The oracle
 *   is right: the reader now takes the score first and the word only without a score.
 * - SARIF `kind`: the reader ignored it, so a `pass` result of a rule whose default level is error read as
 *   a high finding and failed the gate. The specification is right: it now reads as info.
 * - SARIF `kind` again: this oracle and the reader read `review` and `open` as no problem (info) too, so a
 *   result a tool flags for human review, or could not decide, passed the gate whatever its score. Neither
 *   kind says there is no problem (GitHub code scanning does not read `kind` at all): both now count as
 *   their score or level says.
 * - SARIF `security-severity` given as a word (`"High"`) on the rule: GitHub finds no score and shows the
 *   level, so a rule a tool rated High with level note read as low. The tool's own band is right: the
 *   oracle and the reader now read the word as that band.
 * - SARIF: the reader also reads a result-level `security-severity` and severity words in `properties` and
 *   rule tags before the level. GitHub reads neither, and no fixture has them, so the fixtures cannot tell
 *   the two apart; the SARIF fuzz test generates logs without them and holds the reader to this oracle.
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

/** The reports the fixtures' SOURCES.md tables list (`| \`file\` | origin | …`), relative to scanners/. */
export function listedReportFiles(): string[] {
  const listed: string[] = []
  for (const folder of readdirSync(SCANNERS, { withFileTypes: true })) {
    if (!folder.isDirectory()) continue
    const sources = readFileSync(path.join(SCANNERS, folder.name, 'SOURCES.md'), 'utf8')
    for (const match of sources.matchAll(/^\| `([^`]+)` \|/gm)) {
      if (match[1] !== SCHEMA) listed.push(path.join(folder.name, match[1]!))
    }
  }
  return listed.sort()
}

export function tally(severities: Severity[]): Counts {
  const counts: Counts = {}
  for (const severity of severities) counts[severity] = (counts[severity] ?? 0) + 1
  return counts
}

/** GitHub's security-severity bands; a score outside (0, 10] is no score. */
function band(value: unknown): Severity | undefined {
  const score = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : NaN
  if (!(score > 0 && score <= 10)) return undefined
  if (score >= 9) return 'critical'
  if (score >= 7) return 'high'
  if (score >= 4) return 'medium'
  return 'low'
}

/**
 * A rule's security-severity that names a band instead of scoring it (`"High"`): GitHub reads no number
 * in it and shows the level, which for such a rule is often lower than the band the tool wrote.
 */
function bandOrWord(value: unknown): Severity | undefined {
  const word = typeof value === 'string' ? value.trim().toLowerCase() : undefined
  const named = ['critical', 'high', 'medium', 'low'].find(band => band === word) as Severity | undefined
  return band(value) ?? named
}

function fromTable(table: Record<string, Severity>, word: unknown, what: string): Severity {
  const severity = typeof word === 'string' && Object.hasOwn(table, word) ? table[word] : undefined
  if (!severity) throw new Error(`oracle: ${what} ${JSON.stringify(word)} is not in the documented scale`)
  return severity
}

const SARIF_LEVEL: Record<string, Severity> = { error: 'high', warning: 'medium', note: 'low', none: 'info' }

function sarifRule(run: Json, result: Json): Json | undefined {
  const ref: Json = result.rule ?? {}
  const component = ref.toolComponent?.index
  const rules: Json[] =
    (component === undefined ? run.tool.driver.rules : run.tool.extensions?.[component]?.rules) ?? []
  const index = result.ruleIndex ?? ref.index
  const id = result.ruleId ?? ref.id
  if (index !== undefined) return rules[index]
  return rules.find(rule => rule.id === id)
}

function sarifSeverities(log: Json): Severity[] {
  return log.runs.flatMap((run: Json) =>
    (run.results ?? []).map((result: Json) => {
      if (['pass', 'notApplicable', 'informational'].includes(result.kind)) return 'info'
      const rule = sarifRule(run, result)
      const scored = bandOrWord(rule?.properties?.['security-severity'])
      if (scored) return scored
      const level = result.level ?? rule?.defaultConfiguration?.level ?? 'warning'
      return fromTable(SARIF_LEVEL, level, 'SARIF level')
    })
  )
}

const TRIVY: Record<string, Severity> = { CRITICAL: 'critical', HIGH: 'high', MEDIUM: 'medium', LOW: 'low' }

function trivySeverity(item: Json): Severity {
  if (item.Severity === 'UNKNOWN') return band(item.CVSS?.[item.SeveritySource]?.V3Score) ?? 'low'
  return fromTable(TRIVY, item.Severity, 'Trivy Severity')
}

function trivySeverities(report: Json): Severity[] {
  return (report.Results ?? []).flatMap((result: Json) => [
    ...(result.Vulnerabilities ?? []).map(trivySeverity),
    ...(result.Misconfigurations ?? []).filter((m: Json) => m.Status === 'FAIL').map(trivySeverity),
    ...(result.Secrets ?? []).map(trivySeverity)
  ])
}

const GRYPE: Record<string, Severity> = {
  Critical: 'critical',
  High: 'high',
  Medium: 'medium',
  Low: 'low',
  Negligible: 'info'
}

function grypeSeverities(report: Json): Severity[] {
  return report.matches.map(({ vulnerability }: Json) => {
    if (vulnerability.severity !== 'Unknown')
      return fromTable(GRYPE, vulnerability.severity, 'Grype severity')
    const scores = (vulnerability.cvss ?? []).map((c: Json) => c.metrics?.baseScore ?? 0)
    return band(Math.max(0, ...scores)) ?? 'low'
  })
}

const SEMGREP: Record<string, Severity> = {
  CRITICAL: 'critical',
  ERROR: 'high',
  HIGH: 'high',
  WARNING: 'medium',
  MEDIUM: 'medium',
  INFO: 'low',
  LOW: 'low',
  INVENTORY: 'info',
  EXPERIMENT: 'info'
}

function semgrepSeverities(report: Json): Severity[] {
  return report.results.map(
    ({ extra }: Json) =>
      band(extra.metadata?.['security-severity']) ?? fromTable(SEMGREP, extra.severity, 'Semgrep severity')
  )
}

/**
 * Base scores of the CVSS v3 vectors the fixtures and the fuzz tests use, as the FIRST CVSS 3.x calculator
 * gives them (6.1 and 5.6 are also the scores Trivy's CycloneDX fixture prints next to those vectors).
 */
export const CVSS_V3_BASE_SCORES: Record<string, number> = {
  'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H': 9.8,
  'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H': 7.5,
  'CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N': 6.1,
  'CVSS:3.0/AV:N/AC:H/PR:N/UI:N/S:U/C:L/I:L/A:L': 5.6,
  'CVSS:3.1/AV:N/AC:H/PR:N/UI:R/S:U/C:L/I:N/A:N': 3.1
}
const GITHUB_WORD: Record<string, Severity> = {
  CRITICAL: 'critical',
  HIGH: 'high',
  MODERATE: 'medium',
  LOW: 'low'
}
const ORDER: Severity[] = ['critical', 'high', 'medium', 'low', 'info']
const worst = (severities: Severity[]) =>
  [...severities].sort((a, b) => ORDER.indexOf(a) - ORDER.indexOf(b))[0]

function osvGroupSeverity(group: Json, records: Json[]): Severity {
  const own = band(group.max_severity)
  if (own) return own
  const scores = records.flatMap((record: Json) =>
    (record.severity ?? [])
      .filter((s: Json) => s.type === 'CVSS_V3')
      .map((s: Json) => {
        const score = CVSS_V3_BASE_SCORES[s.score]
        if (score === undefined)
          throw new Error(`oracle: add the base score of ${s.score} (FIRST calculator)`)
        return score
      })
  )
  const scored = band(Math.max(0, ...scores))
  if (scored) return scored
  const words = records
    .map(record => record.database_specific?.severity)
    .filter(word => word !== undefined)
    .map(word => fromTable(GITHUB_WORD, word, 'GitHub advisory severity'))
  return worst(words) ?? 'medium'
}

function osvSeverities(report: Json): Severity[] {
  return report.results.flatMap((result: Json) =>
    result.packages.flatMap((pkg: Json) => {
      const groups: Json[] = pkg.groups ?? pkg.vulnerabilities.map((v: Json) => ({ ids: [v.id] }))
      return groups.map(group =>
        osvGroupSeverity(
          group,
          pkg.vulnerabilities.filter((v: Json) => group.ids.includes(v.id))
        )
      )
    })
  )
}

const CYCLONEDX: Record<string, Severity> = {
  critical: 'critical',
  high: 'high',
  medium: 'medium',
  low: 'low',
  info: 'info',
  none: 'info'
}

function cycloneDxSeverity(vulnerability: Json): Severity {
  const ratings: Json[] = vulnerability.ratings ?? []
  const rated = (r: Json) => typeof r.severity === 'string' && Object.hasOwn(CYCLONEDX, r.severity)
  const own = ratings.find(r => r.source?.name === vulnerability.source?.name && rated(r))
  if (vulnerability.source?.name !== undefined && own) return CYCLONEDX[own.severity]!
  const words = ratings.filter(rated).map(r => CYCLONEDX[r.severity]!)
  if (words.length > 0) return worst(words)!
  const v3 = ratings.filter(r => String(r.method).startsWith('CVSSv3')).map(r => r.score)
  return band(Math.max(0, ...v3)) ?? 'low'
}

function cycloneDxSeverities(bom: Json): Severity[] {
  return bom.vulnerabilities.flatMap((vulnerability: Json) => {
    const severity = cycloneDxSeverity(vulnerability)
    // `affects` is optional (CycloneDX 1.x): a vulnerability that names no component is still one.
    return Array.from({ length: Math.max(1, vulnerability.affects?.length ?? 0) }, () => severity)
  })
}

/** The format a report is written in and the severity of each finding it holds, in report order. */
export function expected(raw: Json): { format: ScanReport['format']; severities: Severity[] } {
  if (raw.runs) return { format: 'sarif', severities: sarifSeverities(raw) }
  if (raw.SchemaVersion) return { format: 'trivy-json', severities: trivySeverities(raw) }
  if (raw.matches) return { format: 'grype-json', severities: grypeSeverities(raw) }
  if (raw.paths) return { format: 'semgrep-json', severities: semgrepSeverities(raw) }
  if (raw.bomFormat) return { format: 'cyclonedx-json', severities: cycloneDxSeverities(raw) }
  return { format: 'osv-scanner-json', severities: osvSeverities(raw) }
}
