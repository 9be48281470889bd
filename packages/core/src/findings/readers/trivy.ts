import { BrokenInputError } from '../../runtime/errors.js'
import type { Finding, ScanReport, Severity } from '../finding.js'
import { computeFingerprint } from '../fingerprint.js'
import { aliasesOf } from '../ids.js'
import { asArray, asObject, asPositiveInt, asString, asStrings, type JsonObject } from '../json.js'
import { severityFromScore } from '../finding.js'
import { parseScore, severityFromWord } from '../severity.js'
import { baseFinding, nonEmptyList, repoPath, type ReadOptions } from './common.js'

/**
 * Trivy JSON (`--format json`, SchemaVersion 2).
 * Severity is Trivy's own `Severity` word (the vendor's choice, what Trivy gates on); `UNKNOWN` falls
 * back to the CVSS score if there is one, else `low` (Trivy's own SARIF writes UNKNOWN as level note).
 * Image scans (`ArtifactType: container_image`) give `image` findings with no file location; filesystem
 * scans give `dependency` findings located at the lockfile (`Target`).
 */
export function readTrivy(report: JsonObject, source: string, options: ReadOptions = {}): ScanReport {
  const results = report.Results
  if (results !== undefined && results !== null && !Array.isArray(results)) {
    throw new BrokenInputError(source, 'Trivy report "Results" is not an array')
  }
  const trivy = asObject(report.Trivy)
  const out: ScanReport = {
    source,
    format: 'trivy-json',
    tools: [
      {
        name: 'trivy',
        version: asString(trivy?.Version),
        informationUri: 'https://github.com/aquasecurity/trivy'
      }
    ],
    findings: [],
    problems: []
  }
  if (!out.tools[0]!.version) delete out.tools[0]!.version
  const image = report.ArtifactType === 'container_image' ? asString(report.ArtifactName) : undefined
  for (const rawResult of asArray(results)) {
    const result = asObject(rawResult)
    if (!result) throw new BrokenInputError(source, 'a Trivy result is not an object')
    const target = asString(result.Target) ?? ''
    const path = repoPath(target, options.workspace)
    for (const vuln of asArray(result.Vulnerabilities)) {
      const item = asObject(vuln)
      if (item) out.findings.push(vulnerability(item, result, path, image))
    }
    for (const misconf of asArray(result.Misconfigurations)) {
      const item = asObject(misconf)
      if (item && item.Status !== 'PASS' && item.Status !== 'EXCEPTION')
        out.findings.push(misconfiguration(item, path, image))
    }
    for (const secret of asArray(result.Secrets)) {
      const item = asObject(secret)
      if (item) out.findings.push(secretFinding(item, path, image))
    }
  }
  return out
}

function severityOf(item: JsonObject, score?: number): Severity {
  return severityFromWord(item.Severity) ?? (score !== undefined ? severityFromScore(score) : 'low')
}

function cvssScore(item: JsonObject): number | undefined {
  const cvss = asObject(item.CVSS)
  if (!cvss) return undefined
  const preferred = asString(item.SeveritySource)
  // Scores outside (0, 10] are no CVSS scores: they would rate the finding and be uploaded as they are.
  for (const key of [preferred, 'nvd', 'ghsa']) {
    const score = key ? parseScore(asObject(cvss[key])?.V3Score) : undefined
    if (score !== undefined) return score
  }
  for (const key of Object.keys(cvss)) {
    const score = parseScore(asObject(cvss[key])?.V3Score)
    if (score !== undefined) return score
  }
  return undefined
}

function vulnerability(
  item: JsonObject,
  result: JsonObject,
  path: string | undefined,
  image?: string
): Finding {
  const id = asString(item.VulnerabilityID) ?? 'unknown-vulnerability'
  const name = asString(item.PkgName) ?? asString(item.PkgID) ?? 'unknown-package'
  const installed = asString(item.InstalledVersion)
  const fixed = asString(item.FixedVersion)
  const status = asString(item.Status)
  const score = cvssScore(item)
  const title = asString(item.Title)
  const fix = fixed
    ? `fixed in ${fixed}`
    : status === 'end_of_life'
      ? 'no fix: the distribution is end of life'
      : 'no fix yet'
  const message = `${name}${installed ? ` ${installed}` : ''} is affected by ${id}${title ? `: ${title}` : ''} (${fix})`
  const finding = baseFinding('trivy', id, message, severityOf(item, score), image ? 'image' : 'dependency')
  if (title) finding.title = title
  if (score !== undefined) finding.securitySeverity = score
  const purl = asString(asObject(item.PkgIdentifier)?.PURL)
  finding.package = {
    name,
    fixedVersions: fixed ? fixed.split(/,\s*/).filter(Boolean) : [],
    ...(purl ? { purl } : {}),
    ...(asString(result.Type) ? { ecosystem: asString(result.Type) } : {}),
    ...(installed ? { installedVersion: installed } : {})
  }
  const vendorIds = asStrings(item.VendorIDs)
  if (vendorIds.length > 0) finding.aliases = aliasesOf(id, vendorIds)
  const cwe = asStrings(item.CweIDs)
  finding.cwe = nonEmptyList(cwe)
  const helpUri = asString(item.PrimaryURL)
  if (helpUri) finding.helpUri = helpUri
  // In an image the Target is "name (os version)", not a file in the repository.
  if (image) finding.image = image
  else if (path) finding.location = { path }
  finding.fingerprint = computeFingerprint(finding)
  return finding
}

function misconfiguration(item: JsonObject, path: string | undefined, image?: string): Finding {
  const id = asString(item.AVDID) ?? asString(item.ID) ?? 'unknown-check'
  const title = asString(item.Title)
  const message = asString(item.Message) ?? title ?? id
  const finding = baseFinding('trivy', id, message, severityOf(item), 'config')
  if (title) finding.title = title
  const cause = asObject(item.CauseMetadata)
  const startLine = asPositiveInt(cause?.StartLine)
  const endLine = asPositiveInt(cause?.EndLine)
  if (path) finding.location = { path, ...(startLine ? { startLine } : {}), ...(endLine ? { endLine } : {}) }
  const helpUri = asString(item.PrimaryURL)
  if (helpUri) finding.helpUri = helpUri
  if (image) finding.image = image
  finding.fingerprint = computeFingerprint(finding, asString(cause?.Resource))
  return finding
}

function secretFinding(item: JsonObject, path: string | undefined, image?: string): Finding {
  const id = asString(item.RuleID) ?? 'unknown-secret'
  const title = asString(item.Title) ?? id
  const category = asString(item.Category)
  // Never the matched text (`Match`, `Code`): even masked, a partial secret does not belong in a report.
  const message = `Secret found: ${title}${category ? ` (${category})` : ''}`
  const finding = baseFinding('trivy', id, message, severityOf(item), 'secret')
  finding.title = title
  const startLine = asPositiveInt(item.StartLine)
  const endLine = asPositiveInt(item.EndLine)
  if (path) finding.location = { path, ...(startLine ? { startLine } : {}), ...(endLine ? { endLine } : {}) }
  if (image) finding.image = image
  finding.fingerprint = computeFingerprint(finding)
  return finding
}
