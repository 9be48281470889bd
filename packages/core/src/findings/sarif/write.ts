import { pathToFileURL } from 'node:url'
import {
  scoreForSeverity,
  severityRank,
  type Finding,
  type Severity,
  type SourceLocation
} from '../finding.js'
import type { RuleDescriptor, RunInput } from './model.js'
import { imageRepository } from '../fingerprint.js'
import { toProperties } from './properties.js'
import {
  FINGERPRINT_KEY,
  PROPERTY_KEY,
  SARIF_SCHEMA_URI,
  SARIF_VERSION,
  type SarifLevel,
  type SarifLocation,
  type SarifLog,
  type SarifRegion,
  type SarifReportingDescriptor,
  type SarifResult,
  type SarifRun
} from './types.js'

const MAX_RULE_TAGS = 20

/** GitHub code scanning's mapping: only error fails a check by default, note is informational. */
export function levelForSeverity(severity: Severity): SarifLevel {
  if (severity === 'critical' || severity === 'high') return 'error'
  if (severity === 'medium') return 'warning'
  return 'note'
}

/** `security-severity` is a string in what GitHub documents and what Trivy/Grype/osv-scanner emit. */
export function formatSecuritySeverity(score: number): string {
  return (Math.round(Math.min(10, Math.max(0, score)) * 10) / 10).toFixed(1)
}

export function buildSarifLog(runs: RunInput[]): SarifLog {
  return { $schema: SARIF_SCHEMA_URI, version: SARIF_VERSION, runs: runs.map(buildRun) }
}

/** Compact JSON: code scanning limits the gzipped upload to 10 MB, indentation only costs bytes. */
export function serializeSarif(log: SarifLog, pretty = false): string {
  return pretty ? JSON.stringify(log, null, 2) : JSON.stringify(log)
}

function buildRun(input: RunInput): SarifRun {
  const rules = collectRules(input.rules ?? [], input.findings)
  const ruleIndex = new Map<string, number>()
  rules.forEach((rule, index) => ruleIndex.set(rule.id, index))
  const problems = input.problems ?? []

  const run: SarifRun = {
    tool: {
      driver: {
        name: input.tool.name,
        ...(input.tool.version ? { version: input.tool.version } : {}),
        ...(input.tool.informationUri ? { informationUri: input.tool.informationUri } : {}),
        rules
      }
    },
    invocations: [
      {
        executionSuccessful: !problems.some(problem => problem.level === 'error'),
        ...(problems.length > 0
          ? {
              toolExecutionNotifications: problems.map(p => ({
                level: p.level,
                message: { text: p.message }
              }))
            }
          : {})
      }
    ],
    results: input.findings.map(finding =>
      buildResult(finding, ruleIndex, input.fallbackPath, input.ourProperties !== false)
    ),
    columnKind: 'utf16CodeUnits'
  }
  // GitHub takes the category as the id up to its last `/`.
  const category = input.category?.replace(/\/+$/, '')
  if (category) run.automationDetails = { id: `${category}/` }
  if (input.srcRoot) run.originalUriBaseIds = { SRCROOT: { uri: directoryUri(input.srcRoot) } }
  return run
}

function directoryUri(dir: string): string {
  const uri = pathToFileURL(dir).href
  return uri.endsWith('/') ? uri : `${uri}/`
}

function collectRules(descriptors: RuleDescriptor[], findings: Finding[]): SarifReportingDescriptor[] {
  const rules = new Map<string, SarifReportingDescriptor>()
  for (const descriptor of descriptors) {
    if (!rules.has(descriptor.id)) rules.set(descriptor.id, describeRule(descriptor))
  }
  // Rules the caller did not describe are derived from their most severe finding, so GitHub still
  // shows a title, help and severity for every result.
  const worst = new Map<string, Finding>()
  for (const finding of findings) {
    if (rules.has(finding.ruleId)) continue
    const seen = worst.get(finding.ruleId)
    if (!seen || isMoreSevere(finding, seen)) worst.set(finding.ruleId, finding)
  }
  for (const [id, finding] of worst) rules.set(id, describeRule(ruleFromFinding(finding)))
  return [...rules.values()]
}

function isMoreSevere(a: Finding, b: Finding): boolean {
  const byRank = severityRank(a.severity) - severityRank(b.severity)
  if (byRank !== 0) return byRank < 0
  return (a.securitySeverity ?? 0) > (b.securitySeverity ?? 0)
}

function ruleFromFinding(finding: Finding): RuleDescriptor {
  const title = finding.title ?? finding.ruleId
  const cweTags = finding.cwe.map(cwe => `external/cwe/${cwe.toLowerCase()}`)
  return {
    id: finding.ruleId,
    shortDescription: title,
    fullDescription: finding.title ? finding.title : undefined,
    help: finding.helpUri ? `${title}\n${finding.helpUri}` : title,
    helpUri: finding.helpUri,
    severity: finding.severity,
    securitySeverity: finding.securitySeverity,
    tags: unique(['security', finding.kind, ...cweTags, ...finding.tags])
  }
}

function describeRule(rule: RuleDescriptor): SarifReportingDescriptor {
  const score =
    rule.securitySeverity ?? (rule.severity === 'info' ? undefined : scoreForSeverity(rule.severity))
  // GitHub accepts at most 20 tags per rule (and shows 10); more would fail the upload.
  const properties: Record<string, unknown> = { tags: unique(rule.tags ?? []).slice(0, MAX_RULE_TAGS) }
  if (score !== undefined) properties['security-severity'] = formatSecuritySeverity(score)
  if (rule.precision) properties.precision = rule.precision
  return {
    id: rule.id,
    ...(rule.name ? { name: rule.name } : {}),
    shortDescription: { text: nonEmpty(rule.shortDescription, rule.id) },
    fullDescription: { text: nonEmpty(rule.fullDescription ?? rule.shortDescription, rule.id) },
    help: {
      text: nonEmpty(rule.help, rule.id),
      ...(rule.helpMarkdown ? { markdown: rule.helpMarkdown } : {})
    },
    ...(rule.helpUri ? { helpUri: rule.helpUri } : {}),
    defaultConfiguration: { level: levelForSeverity(rule.severity) },
    properties
  }
}

function buildResult(
  finding: Finding,
  ruleIndex: Map<string, number>,
  fallbackPath: string | undefined,
  ourProperties: boolean
): SarifResult {
  const location = finding.location ?? syntheticLocation(finding, fallbackPath)
  const result: SarifResult = {
    ruleId: finding.ruleId,
    ruleIndex: ruleIndex.get(finding.ruleId),
    level: levelForSeverity(finding.severity),
    message: { text: nonEmpty(finding.message, finding.title ?? finding.ruleId) },
    locations: [physicalLocation(location)],
    partialFingerprints: { ...finding.partialFingerprints, [FINGERPRINT_KEY]: finding.fingerprint }
  }
  if (ourProperties) {
    const bag: Record<string, unknown> = { ...toProperties(finding) }
    if (!finding.location) bag.syntheticLocation = true
    result.properties = { [PROPERTY_KEY]: bag }
  }
  if (finding.suppressions.length > 0) {
    result.suppressions = finding.suppressions.map(s => ({
      kind: s.kind,
      ...(s.status ? { status: s.status } : {}),
      ...(s.justification ? { justification: s.justification } : {})
    }))
  }
  return result
}

/**
 * GitHub rejects results without a physical location, and a logical location is not enough. For findings
 * with no file (image packages, packages without a manifest) we use, in order: the run's `fallbackPath`
 * (the Dockerfile or lockfile the action scanned), else the image reference without tag or digest (what
 * Trivy's own SARIF does), else the package name, else the scanner name; always at line 1. The reader drops
 * these again because the result is marked `syntheticLocation` in our property bag.
 */
export function fallbackLocationPath(finding: Finding, fallbackPath?: string): string {
  if (fallbackPath) return fallbackPath
  if (finding.image) return imageRepository(finding.image)
  if (finding.package) return finding.package.name
  return finding.scanner
}

function syntheticLocation(finding: Finding, fallbackPath?: string): SourceLocation {
  return { path: fallbackLocationPath(finding, fallbackPath), startLine: 1 }
}

function physicalLocation(location: SourceLocation): SarifLocation {
  const region: SarifRegion = {}
  if (isPositiveInt(location.startLine)) {
    region.startLine = location.startLine
    if (isPositiveInt(location.startColumn)) region.startColumn = location.startColumn
    if (isPositiveInt(location.endLine) && location.endLine >= location.startLine)
      region.endLine = location.endLine
    if (isPositiveInt(location.endColumn)) region.endColumn = location.endColumn
  }
  return {
    physicalLocation: {
      artifactLocation: { uri: encodePath(location.path), uriBaseId: 'SRCROOT' },
      ...(region.startLine ? { region } : {})
    }
  }
}

/** What encodeURIComponent leaves as it is, and the separator: a path of only these is its own uri. */
const URI_SAFE_PATH = /^[A-Za-z0-9\-_.!~*'()/]*$/

/** A SARIF uri is a URI reference: spaces, `#`, `?` and `%` in file names must be percent-encoded. */
export function encodePath(path: string): string {
  // One test instead of a split, 1 to 10 encodes and a join for each of thousands of results.
  if (URI_SAFE_PATH.test(path)) return path
  return path.replace(/\\/g, '/').split('/').map(encodeURIComponent).join('/')
}

const isPositiveInt = (value: number | undefined): value is number =>
  Number.isInteger(value) && (value ?? 0) >= 1

const nonEmpty = (text: string | undefined, fallback: string): string =>
  text && text.trim() ? text : fallback

function unique(values: string[]): string[] {
  return [...new Set(values)]
}
