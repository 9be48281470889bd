/** Ordered most to least severe; the index is the sort key. */
export const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'] as const
export type Severity = (typeof SEVERITIES)[number]

export function severityRank(severity: Severity): number {
  return SEVERITIES.indexOf(severity)
}

export function isSeverity(value: unknown): value is Severity {
  return typeof value === 'string' && (SEVERITIES as readonly string[]).includes(value)
}

/** GitHub code scanning's bands for `security-severity` (CVSS-like 0.0–10.0). */
export function severityFromScore(score: number): Severity {
  if (score >= 9.0) return 'critical'
  if (score >= 7.0) return 'high'
  if (score >= 4.0) return 'medium'
  if (score > 0) return 'low'
  return 'info'
}

/** A representative score for a severity when the scanner gave none (same as Grype's SARIF). */
export function scoreForSeverity(severity: Severity): number {
  return { critical: 9.0, high: 7.0, medium: 4.0, low: 1.0, info: 0.0 }[severity]
}

export type FindingKind = 'code' | 'dependency' | 'image' | 'config' | 'secret'

export interface SourceLocation {
  /** Repository-relative, forward slashes. */
  path: string
  startLine?: number
  startColumn?: number
  endLine?: number
  endColumn?: number
}

export interface PackageRef {
  name: string
  purl?: string
  ecosystem?: string
  installedVersion?: string
  fixedVersions: string[]
}

export interface Suppression {
  /** SARIF suppression kind: `inSource` (e.g. nosemgrep) or `external`. */
  kind: 'inSource' | 'external'
  status?: 'accepted' | 'underReview' | 'rejected'
  justification?: string
}

/** A Kubernetes object as its manifest names it; `namespace` is absent when the manifest sets none. */
export interface K8sObjectRef {
  kind: string
  name?: string
  namespace?: string
}

/** One problem, in the same shape whatever scanner found it. */
export interface Finding {
  ruleId: string
  /** Other ids of the same problem (CVE ↔ GHSA), without `ruleId`. */
  aliases: string[]
  title?: string
  message: string
  severity: Severity
  securitySeverity?: number
  kind: FindingKind
  /** Tool that reported it, lower-case driver name (`trivy`, `semgrep`, `osv-scanner`, …). */
  scanner: string
  /** SARIF category (automationDetails.id prefix) when the run had one. */
  category?: string
  location?: SourceLocation
  package?: PackageRef
  image?: string
  /** The Kubernetes object a configuration finding is about, so exceptions can name its namespace or workload. */
  k8sObject?: K8sObjectRef
  /** Stable across runs and line shifts where the scanner gives us enough to make it so. */
  fingerprint: string
  partialFingerprints: Record<string, string>
  suppressions: Suppression[]
  helpUri?: string
  cwe: string[]
  tags: string[]
}

export interface ToolInfo {
  name: string
  version?: string
  informationUri?: string
}

/** A scanner-reported problem with the scan itself: rule parse error, crash, timeout. */
export interface ToolProblem {
  level: 'error' | 'warning'
  message: string
}

/** Everything read from one report file. */
export interface ScanReport {
  source: string
  format: ReportFormat
  tools: ToolInfo[]
  findings: Finding[]
  /** Problems the scanner itself reported; `error` level ones make the report untrustworthy. */
  problems: ToolProblem[]
  /** Set when read from a file: sha256 of its UTF-8 text and its size, for evidence. */
  digest?: { sha256: string; bytes: number }
}

export type ReportFormat =
  'sarif' | 'trivy-json' | 'grype-json' | 'semgrep-json' | 'osv-scanner-json' | 'cyclonedx-json'
