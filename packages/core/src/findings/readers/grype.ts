import { BrokenInputError } from '../../runtime/errors.js'
import {
  severityFromScore,
  type Finding,
  type ScanReport,
  type Severity,
  type ToolProblem
} from '../finding.js'
import { computeFingerprint } from '../fingerprint.js'
import { aliasesOf } from '../ids.js'
import { asArray, asObject, asString, asStrings, type JsonObject } from '../json.js'
import { parseScore, severityFromWord } from '../severity.js'
import { baseFinding, repoPath, type ReadOptions } from './common.js'

/**
 * Grype JSON (`-o json`). Severity is Grype's word (`Negligible` → info); `Unknown` falls back to the CVSS
 * score, else `low` (Grype's SARIF writes it as level note). Image sources give `image` findings (the
 * artifact path is inside the image, not in the repository); directory sources give `dependency`
 * findings located at the artifact's path.
 */
export function readGrype(report: JsonObject, source: string, options: ReadOptions = {}): ScanReport {
  if (!Array.isArray(report.matches))
    throw new BrokenInputError(source, 'Grype report "matches" is not an array')
  const descriptor = asObject(report.descriptor)
  const version = asString(descriptor?.version)
  const out: ScanReport = {
    source,
    format: 'grype-json',
    tools: [
      {
        name: 'grype',
        ...(version && version !== '[not provided]' ? { version } : {}),
        informationUri: 'https://github.com/anchore/grype'
      }
    ],
    findings: [],
    problems: databaseProblems(descriptor)
  }
  const src = asObject(report.source)
  const image = src?.type === 'image' ? imageName(src.target) : undefined
  for (const raw of report.matches) {
    const match = asObject(raw)
    if (!match) throw new BrokenInputError(source, 'a Grype match is not an object')
    out.findings.push(readMatch(match, image, options))
  }
  return out
}

/**
 * Grype matches against whatever database it opened: one it says is invalid (a failed download, a bad
 * checksum) may match nothing, and its empty `matches` is no clean scan. Database v6 reports the status
 * in `descriptor.db.status` (`valid`, `error`), earlier versions in `descriptor.db` itself (`error`).
 */
function databaseProblems(descriptor: JsonObject | undefined): ToolProblem[] {
  const db = asObject(descriptor?.db)
  const status = asObject(db?.status) ?? db
  if (!status) return []
  const error = asString(status.error)
  // A `valid` other than the boolean true (false, "false", null) is not a database Grype vouches for.
  if (!error && (status.valid === undefined || status.valid === true)) return []
  const message = `grype: the vulnerability database is not valid${error ? `: ${error}` : ''}`
  return [{ level: 'error', message }]
}

function imageName(target: unknown): string | undefined {
  if (typeof target === 'string') return target || undefined
  const object = asObject(target)
  return asString(object?.userInput) ?? asStrings(object?.tags)[0] ?? asString(object?.imageID)
}

/**
 * The highest CVSS base score of the match, any version: what Grype's own SARIF writes as security-severity,
 * so a match reads the same from Grype's JSON and SARIF where the severity word does not decide.
 */
function cvssScore(vulnerability: JsonObject): number | undefined {
  let best: number | undefined
  for (const raw of asArray(vulnerability.cvss)) {
    const score = parseScore(asObject(asObject(raw)?.metrics)?.baseScore)
    if (score !== undefined && (best === undefined || score > best)) best = score
  }
  return best
}

function readMatch(match: JsonObject, image: string | undefined, options: ReadOptions): Finding {
  const vulnerability = asObject(match.vulnerability) ?? {}
  const artifact = asObject(match.artifact) ?? {}
  const id = asString(vulnerability.id) ?? 'unknown-vulnerability'
  const name = asString(artifact.name) ?? 'unknown-package'
  const version = asString(artifact.version)
  const fix = asObject(vulnerability.fix)
  const fixedVersions = asStrings(fix?.versions)
  const score = cvssScore(vulnerability)
  const severity: Severity =
    severityFromWord(vulnerability.severity) ?? (score !== undefined ? severityFromScore(score) : 'low')
  const fixText =
    fixedVersions.length > 0
      ? `fixed in ${fixedVersions.join(', ')}`
      : `fix state: ${asString(fix?.state) ?? 'unknown'}`
  const message = `${name}${version ? ` ${version}` : ''} is affected by ${id} (${fixText})`
  const finding = baseFinding('grype', id, message, severity, image ? 'image' : 'dependency')
  if (score !== undefined) finding.securitySeverity = score
  const purl = asString(artifact.purl)
  const ecosystem = asString(artifact.type)
  finding.package = {
    name,
    fixedVersions,
    ...(purl ? { purl } : {}),
    ...(ecosystem ? { ecosystem } : {}),
    ...(version ? { installedVersion: version } : {})
  }
  const related: string[] = []
  for (const raw of asArray(match.relatedVulnerabilities)) {
    const relatedId = asString(asObject(raw)?.id)
    if (relatedId) related.push(relatedId)
  }
  if (related.length > 0) finding.aliases = aliasesOf(id, related)
  const helpUri = asString(vulnerability.dataSource) ?? asStrings(vulnerability.urls)[0]
  if (helpUri) finding.helpUri = helpUri
  if (image) {
    finding.image = image
  } else {
    const path = asString(asObject(asArray(artifact.locations)[0])?.path)
    // Grype writes the path inside the scanned directory with a leading `/`.
    const inRepo = path && repoPath(path, options.workspace, { leadingSlashIsRoot: true })
    if (inRepo) finding.location = { path: inRepo }
  }
  finding.fingerprint = computeFingerprint(finding)
  return finding
}
