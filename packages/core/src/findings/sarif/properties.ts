import {
  isSeverity,
  type Finding,
  type FindingKind,
  type K8sObjectRef,
  type PackageRef,
  type Severity
} from '../finding.js'
import { isFingerprint } from '../fingerprint.js'
import { parseScore } from '../severity.js'

/**
 * Our normalized fields, stored in `result.properties['secure-pipeline']` so a SARIF we wrote reads back
 * into exactly the same Finding (other tools keep what they do not understand, per SARIF §3.8).
 */
export interface SecurePipelineProperties {
  severity: Severity
  securitySeverity?: number
  kind: FindingKind
  scanner: string
  aliases: string[]
  package?: PackageRef
  image?: string
  k8sObject?: K8sObjectRef
  fingerprint: string
  cwe: string[]
  title?: string
  tags: string[]
}

const KINDS: readonly string[] = ['code', 'dependency', 'image', 'config', 'secret']

export function toProperties(finding: Finding): SecurePipelineProperties {
  const props: SecurePipelineProperties = {
    severity: finding.severity,
    kind: finding.kind,
    scanner: finding.scanner,
    aliases: finding.aliases,
    fingerprint: finding.fingerprint,
    cwe: finding.cwe,
    tags: finding.tags
  }
  if (finding.securitySeverity !== undefined) props.securitySeverity = finding.securitySeverity
  if (finding.package) props.package = finding.package
  if (finding.image !== undefined) props.image = finding.image
  if (finding.k8sObject) props.k8sObject = finding.k8sObject
  if (finding.title !== undefined) props.title = finding.title
  return props
}

const isStringArray = (value: unknown): value is string[] =>
  Array.isArray(value) && value.every(item => typeof item === 'string')

/** Our bag as written by us, or undefined when absent or not in our shape (then the generic rules apply). */
export function fromProperties(value: unknown): SecurePipelineProperties | undefined {
  if (typeof value !== 'object' || value === null) return undefined
  const bag = value as Record<string, unknown>
  if (!isSeverity(bag.severity) || typeof bag.kind !== 'string' || !KINDS.includes(bag.kind)) return undefined
  if (typeof bag.scanner !== 'string' || typeof bag.fingerprint !== 'string') return undefined
  const props: SecurePipelineProperties = {
    severity: bag.severity,
    kind: bag.kind as FindingKind,
    scanner: bag.scanner,
    // Empty when not in our shape: the reader computes it again.
    fingerprint: isFingerprint(bag.fingerprint) ? bag.fingerprint : '',
    aliases: isStringArray(bag.aliases) ? bag.aliases : [],
    cwe: isStringArray(bag.cwe) ? bag.cwe : [],
    tags: isStringArray(bag.tags) ? bag.tags : []
  }
  const score = typeof bag.securitySeverity === 'number' ? parseScore(bag.securitySeverity) : undefined
  if (score !== undefined) props.securitySeverity = score
  const pkg = readPackage(bag.package)
  if (pkg) props.package = pkg
  if (typeof bag.image === 'string') props.image = bag.image
  const k8sObject = readK8sObject(bag.k8sObject)
  if (k8sObject) props.k8sObject = k8sObject
  if (typeof bag.title === 'string') props.title = bag.title
  return props
}

function readPackage(value: unknown): PackageRef | undefined {
  if (typeof value !== 'object' || value === null) return undefined
  const raw = value as Record<string, unknown>
  if (typeof raw.name !== 'string') return undefined
  const pkg: PackageRef = {
    name: raw.name,
    fixedVersions: isStringArray(raw.fixedVersions) ? raw.fixedVersions : []
  }
  if (typeof raw.purl === 'string') pkg.purl = raw.purl
  if (typeof raw.ecosystem === 'string') pkg.ecosystem = raw.ecosystem
  if (typeof raw.installedVersion === 'string') pkg.installedVersion = raw.installedVersion
  return pkg
}

function readK8sObject(value: unknown): K8sObjectRef | undefined {
  if (typeof value !== 'object' || value === null) return undefined
  const raw = value as Record<string, unknown>
  if (typeof raw.kind !== 'string') return undefined
  const ref: K8sObjectRef = { kind: raw.kind }
  if (typeof raw.name === 'string') ref.name = raw.name
  if (typeof raw.namespace === 'string') ref.namespace = raw.namespace
  return ref
}
