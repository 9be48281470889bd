import { BrokenInputError } from '../../runtime/errors.js'
import { severityFromScore, severityRank, type Finding, type ScanReport, type Severity } from '../finding.js'
import { cvss3BaseScore } from '../cvss.js'
import { computeFingerprint } from '../fingerprint.js'
import { aliasesOf, cweIds } from '../ids.js'
import { asArray, asObject, asString, asStrings, type JsonObject } from '../json.js'
import { parseScore, severityFromWord } from '../severity.js'
import { baseFinding, nonEmptyList, repoPath, type ReadOptions } from './common.js'

/**
 * osv-scanner JSON (`--format json`): one finding per (source, package, group). A group is osv-scanner's
 * set of records describing the same problem; its first id becomes the rule id and every other id or
 * alias an alias.
 * Severity, first that applies: the group's `max_severity` score > the highest CVSS v3 base score computed
 * from the records' vectors (what osv-scanner computes `max_severity` from, for outputs without it; v4
 * vectors are not computed) > the worst GitHub severity word in the records' `database_specific.severity`
 * > `medium` (osv-scanner's SARIF writes level warning). The score comes first so that severity and
 * securitySeverity never disagree, and the group reads as osv-scanner rates it.
 * A record no group names is a group of its own.
 * A withdrawn record (OSV `withdrawn`) is no advisory any more: its id leaves every group, and a group
 * of withdrawn records only is no finding.
 */
export function readOsvScanner(report: JsonObject, source: string, options: ReadOptions = {}): ScanReport {
  if (!Array.isArray(report.results))
    throw new BrokenInputError(source, 'osv-scanner report "results" is not an array')
  const out: ScanReport = {
    source,
    format: 'osv-scanner-json',
    tools: [{ name: 'osv-scanner', informationUri: 'https://github.com/google/osv-scanner' }],
    findings: [],
    problems: []
  }
  for (const rawResult of report.results) {
    const result = asObject(rawResult)
    if (!result) throw new BrokenInputError(source, 'an osv-scanner result is not an object')
    const path = asString(asObject(result.source)?.path)
    for (const rawPackage of asArray(result.packages)) {
      const entry = asObject(rawPackage)
      if (entry) readPackage(entry, path && repoPath(path, options.workspace), out.findings)
    }
  }
  return out
}

function readPackage(entry: JsonObject, path: string | undefined, findings: Finding[]): void {
  const pkg = asObject(entry.package) ?? {}
  const records = new Map<string, JsonObject>()
  const withdrawn = new Set<string>()
  for (const raw of asArray(entry.vulnerabilities)) {
    const record = asObject(raw)
    const id = asString(record?.id)
    if (record && id && record.withdrawn !== undefined && record.withdrawn !== null) withdrawn.add(id)
    else if (record && id) records.set(id, record)
  }
  const groups = asArray(entry.groups)
    .map(asObject)
    .filter((group): group is JsonObject => group !== undefined)
  const grouped = groups.map(group => asStrings(group.ids))
  // A record no group names or aliases (every one, in outputs without groups) is a group of its own:
  // leaving it out would drop an advisory the scanner reported.
  const covered = new Set([...grouped.flat(), ...groups.flatMap(group => asStrings(group.aliases))])
  for (const id of records.keys()) if (!covered.has(id)) grouped.push([id])
  grouped
    .map(ids => ids.filter(id => !withdrawn.has(id)))
    .forEach((ids, index) => {
      if (ids.length > 0) findings.push(readGroup(ids, groups[index], records, pkg, path))
    })
}

function readGroup(
  ids: string[],
  group: JsonObject | undefined,
  records: Map<string, JsonObject>,
  pkg: JsonObject,
  path: string | undefined
): Finding {
  const ruleId = ids[0]!
  const members = ids
    .map(id => records.get(id))
    .filter((record): record is JsonObject => record !== undefined)
  const name = asString(pkg.name) ?? 'unknown-package'
  const version = asString(pkg.version)
  const ecosystem = asString(pkg.ecosystem)
  const { severity, score } = groupSeverity(group, members)
  const summary = members.map(record => asString(record.summary)).find(Boolean)
  const fixedVersions = fixedVersionsFor(members, name, ecosystem)
  const fix = fixedVersions.length > 0 ? `fixed in ${fixedVersions.join(', ')}` : 'no fixed version known'
  const message = `${name}${version ? ` ${version}` : ''} is affected by ${ruleId}${summary ? `: ${summary}` : ''} (${fix})`
  const finding = baseFinding('osv-scanner', ruleId, message, severity, 'dependency')
  if (summary) finding.title = summary
  if (score !== undefined) finding.securitySeverity = score
  const aliases = aliasesOf(ruleId, [
    ...ids,
    ...asStrings(group?.aliases),
    ...members.flatMap(record => asStrings(record.aliases))
  ])
  finding.aliases = nonEmptyList(aliases)
  finding.cwe = nonEmptyList(
    cweIds(members.flatMap(record => asStrings(asObject(record.database_specific)?.cwe_ids)))
  )
  finding.package = {
    name,
    fixedVersions,
    ...(ecosystem ? { ecosystem } : {}),
    ...(version ? { installedVersion: version } : {})
  }
  finding.helpUri = `https://osv.dev/vulnerability/${encodeURIComponent(ruleId)}`
  if (path) finding.location = { path }
  finding.fingerprint = computeFingerprint(finding)
  return finding
}

function groupSeverity(
  group: JsonObject | undefined,
  members: JsonObject[]
): { severity: Severity; score?: number } {
  const maxScore = parseScore(group?.max_severity)
  if (maxScore !== undefined) return { severity: severityFromScore(maxScore), score: maxScore }
  let word: Severity | undefined
  let vectorScore: number | undefined
  for (const record of members) {
    const recordWord = severityFromWord(asObject(record.database_specific)?.severity)
    if (recordWord && (!word || severityRank(recordWord) < severityRank(word))) word = recordWord
    for (const raw of asArray(record.severity)) {
      const value = asObject(raw)?.score
      // Mostly a CVSS vector; some records carry the bare score ("9.8"), and OSV's `Ubuntu` type a word.
      const vector = asString(value)?.startsWith('CVSS:') ? asString(value) : undefined
      const computed = vector ? cvss3BaseScore(vector) : parseScore(value)
      if (computed !== undefined && computed > 0 && (vectorScore === undefined || computed > vectorScore)) {
        vectorScore = computed
      }
      const scoreWord = vector || computed !== undefined ? undefined : severityFromWord(value)
      if (scoreWord && (!word || severityRank(scoreWord) < severityRank(word))) word = scoreWord
    }
  }
  if (vectorScore !== undefined) return { severity: severityFromScore(vectorScore), score: vectorScore }
  return { severity: word ?? 'medium' }
}

/**
 * Whether a record's `affected[].package.name` names this package. PyPI names compare in PEP 503 form:
 * the OSV API serves GitHub's records as written (`PyYAML`) while lockfiles say `pyyaml`.
 */
export function sameOsvPackage(affectedName: string, name: string, ecosystem: string | undefined): boolean {
  const pep503 = (n: string) => n.replace(/[-_.]+/g, '-').toLowerCase()
  return ecosystem?.startsWith('PyPI') ? pep503(affectedName) === pep503(name) : affectedName === name
}

/** `fixed` events of the ranges that describe this package (a record may cover several packages). */
function fixedVersionsFor(records: JsonObject[], name: string, ecosystem: string | undefined): string[] {
  const fixed = new Set<string>()
  for (const record of records) {
    for (const rawAffected of asArray(record.affected)) {
      const affected = asObject(rawAffected)
      const affectedName = asString(asObject(affected?.package)?.name)
      if (affectedName && !sameOsvPackage(affectedName, name, ecosystem)) continue
      for (const rawRange of asArray(affected?.ranges)) {
        for (const rawEvent of asArray(asObject(rawRange)?.events)) {
          const version = asString(asObject(rawEvent)?.fixed)
          if (version) fixed.add(version)
        }
      }
    }
  }
  return [...fixed]
}
