import { BrokenInputError } from '../../runtime/errors.js'
import { severityFromScore, severityRank, type Finding, type ScanReport, type Severity } from '../finding.js'
import { computeFingerprint } from '../fingerprint.js'
import { asArray, asObject, asString, type JsonObject } from '../json.js'
import { packageFromPurl } from '../purl.js'
import { parseScore, severityFromWord } from '../severity.js'
import { baseFinding, nonEmptyList } from './common.js'

/**
 * CycloneDX JSON with a `vulnerabilities[]` section (Trivy/Grype `--format cyclonedx`): one finding per
 * (vulnerability, affected component). Severity is the rating from the vulnerability's own `source`
 * (what Trivy's JSON calls SeveritySource), else the worst rated severity, else the best CVSS v3 score's
 * band, else `low`; the score is the best CVSS v3 rating. A vulnerability without `affects` is one finding
 * of no known package. An SBOM without vulnerabilities reads as 0
 * findings: it is complete, just not a scan for vulnerabilities, which the caller can see from the format.
 */
export function readCycloneDx(report: JsonObject, source: string): ScanReport {
  const vulnerabilities = report.vulnerabilities
  if (vulnerabilities !== undefined && !Array.isArray(vulnerabilities)) {
    throw new BrokenInputError(source, 'CycloneDX "vulnerabilities" is not an array')
  }
  const metadata = asObject(report.metadata)
  const tool =
    asObject(asArray(asObject(metadata?.tools)?.components)[0]) ?? asObject(asArray(metadata?.tools)[0])
  const toolName = asString(tool?.name)?.toLowerCase() ?? 'cyclonedx'
  const version = asString(tool?.version)
  const components = new Map<string, JsonObject>()
  for (const raw of asArray(report.components)) {
    const component = asObject(raw)
    const ref = asString(component?.['bom-ref'])
    if (component && ref) components.set(ref, component)
  }
  const out: ScanReport = {
    source,
    format: 'cyclonedx-json',
    tools: [{ name: toolName, ...(version ? { version } : {}) }],
    findings: [],
    problems: []
  }
  for (const raw of asArray(vulnerabilities)) {
    const vulnerability = asObject(raw)
    if (!vulnerability) throw new BrokenInputError(source, 'a CycloneDX vulnerability is not an object')
    const refs = asArray(vulnerability.affects)
      .map(affected => asString(asObject(affected)?.ref))
      .filter((ref): ref is string => ref !== undefined)
    // `affects` is optional in CycloneDX: a vulnerability that names no component is still one found.
    if (refs.length === 0) out.findings.push(readVulnerability(vulnerability, undefined, undefined, toolName))
    for (const ref of refs)
      out.findings.push(readVulnerability(vulnerability, ref, components.get(ref), toolName))
  }
  return out
}

function rate(vulnerability: JsonObject): { severity: Severity; score?: number } {
  const own = asString(asObject(vulnerability.source)?.name)
  let ownWord: Severity | undefined
  let worst: Severity | undefined
  let score: number | undefined
  for (const raw of asArray(vulnerability.ratings)) {
    const rating = asObject(raw)
    if (!rating) continue
    // CycloneDX's `none` is CVSS's None (no impact); `unknown` is no rating.
    const word = rating.severity === 'none' ? 'info' : severityFromWord(rating.severity)
    if (word && own && asString(asObject(rating.source)?.name) === own) ownWord ??= word
    if (word && (!worst || severityRank(word) < severityRank(worst))) worst = word
    const method = asString(rating.method) ?? ''
    const value = parseScore(rating.score)
    if (value !== undefined && method.startsWith('CVSSv3') && (score === undefined || value > score))
      score = value
  }
  const severity = ownWord ?? worst ?? (score !== undefined ? severityFromScore(score) : 'low')
  return score === undefined ? { severity } : { severity, score }
}

function readVulnerability(
  vulnerability: JsonObject,
  ref: string | undefined,
  component: JsonObject | undefined,
  scanner: string
): Finding {
  const id = asString(vulnerability.id) ?? 'unknown-vulnerability'
  const purl = asString(component?.purl) ?? (ref?.startsWith('pkg:') ? ref : undefined)
  const fromPurl = purl ? packageFromPurl(purl) : undefined
  const name = asString(component?.name) ?? fromPurl?.name ?? ref
  const version = asString(component?.version) ?? fromPurl?.installedVersion
  const { severity, score } = rate(vulnerability)
  const recommendation = asString(vulnerability.recommendation)
  const affected = name ? `${name}${version ? ` ${version}` : ''} is affected by ${id}` : id
  const message = `${affected}${recommendation ? ` (${recommendation})` : ''}`
  const finding = baseFinding(scanner, id, message, severity, 'dependency')
  if (score !== undefined) finding.securitySeverity = score
  if (name)
    finding.package = {
      name,
      fixedVersions: [],
      ...(purl ? { purl } : {}),
      ...(fromPurl?.ecosystem ? { ecosystem: fromPurl.ecosystem } : {}),
      ...(version ? { installedVersion: version } : {})
    }
  const cwe = asArray(vulnerability.cwes)
    .filter((n): n is number => typeof n === 'number')
    .map(n => `CWE-${n}`)
  finding.cwe = nonEmptyList(cwe)
  const helpUri = asString(asObject(asArray(vulnerability.advisories)[0])?.url)
  if (helpUri) finding.helpUri = helpUri
  finding.fingerprint = computeFingerprint(finding)
  return finding
}
