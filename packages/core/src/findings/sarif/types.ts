/**
 * The subset of SARIF 2.1.0 we write and read. Reader-side fields are optional and typed loosely
 * (`unknown` where real tools disagree) because input comes from many scanners.
 */
export const SARIF_VERSION = '2.1.0'
export const SARIF_SCHEMA_URI =
  'https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json'
/** Key of our normalized fields in `result.properties`. */
export const PROPERTY_KEY = 'secure-pipeline'
/** Our key in `result.partialFingerprints`. */
export const FINGERPRINT_KEY = 'securePipeline/v1'

export type SarifLevel = 'none' | 'note' | 'warning' | 'error'

export interface SarifMessage {
  text?: string
  markdown?: string
  id?: string
}

export interface SarifRegion {
  startLine?: number
  startColumn?: number
  endLine?: number
  endColumn?: number
}

export interface SarifArtifactLocation {
  uri?: string
  uriBaseId?: string
  index?: number
}

export interface SarifLocation {
  physicalLocation?: { artifactLocation?: SarifArtifactLocation; region?: SarifRegion }
  logicalLocations?: { name?: string; fullyQualifiedName?: string; kind?: string }[]
  message?: SarifMessage
}

export interface SarifSuppression {
  kind: 'inSource' | 'external'
  status?: 'accepted' | 'underReview' | 'rejected'
  justification?: string
}

export type PropertyBag = Record<string, unknown>

export interface SarifResult {
  ruleId?: string
  ruleIndex?: number
  rule?: { id?: string; index?: number; toolComponent?: { index?: number; name?: string } }
  level?: SarifLevel
  kind?: string
  message: SarifMessage
  locations?: SarifLocation[]
  fingerprints?: Record<string, string>
  partialFingerprints?: Record<string, string>
  suppressions?: SarifSuppression[]
  properties?: PropertyBag
}

export interface SarifReportingDescriptor {
  id: string
  name?: string
  deprecatedIds?: string[]
  shortDescription?: SarifMessage
  fullDescription?: SarifMessage
  help?: SarifMessage
  helpUri?: string
  defaultConfiguration?: { level?: SarifLevel; enabled?: boolean }
  properties?: PropertyBag
}

export interface SarifToolComponent {
  name: string
  version?: string
  semanticVersion?: string
  fullName?: string
  informationUri?: string
  rules?: SarifReportingDescriptor[]
}

export interface SarifNotification {
  level?: SarifLevel
  message: SarifMessage
  descriptor?: { id?: string }
}

export interface SarifInvocation {
  executionSuccessful: boolean
  toolExecutionNotifications?: SarifNotification[]
  toolConfigurationNotifications?: SarifNotification[]
  exitCode?: number
}

export interface SarifRun {
  tool: { driver: SarifToolComponent; extensions?: SarifToolComponent[] }
  automationDetails?: { id?: string }
  originalUriBaseIds?: Record<string, { uri?: string }>
  invocations?: SarifInvocation[]
  results?: SarifResult[]
  columnKind?: 'utf16CodeUnits' | 'unicodeCodePoints'
  properties?: PropertyBag
}

export interface SarifLog {
  $schema?: string
  version: typeof SARIF_VERSION
  runs: SarifRun[]
}
