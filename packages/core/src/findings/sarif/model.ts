import type { Finding, Severity, ToolInfo } from '../finding.js'

/** What our writers need to know about a rule to produce SARIF `rules[]` with help text. */
export interface RuleDescriptor {
  id: string
  name?: string
  shortDescription: string
  fullDescription?: string
  /** Plain-text help: what is wrong and how to fix it. */
  help: string
  helpMarkdown?: string
  helpUri?: string
  severity: Severity
  securitySeverity?: number
  tags?: string[]
  /** GitHub's `precision` (very-high | high | medium | low); omitted when unknown. */
  precision?: 'very-high' | 'high' | 'medium' | 'low'
}

/** One SARIF run to write: one tool, one category. */
export interface RunInput {
  tool: ToolInfo
  category?: string
  rules?: RuleDescriptor[]
  findings: Finding[]
  /** Scanner errors to keep as toolExecutionNotifications (the gate fails on them). */
  problems?: { level: 'error' | 'warning'; message: string }[]
  /** Repository root the locations are relative to (becomes originalUriBaseIds.SRCROOT). */
  srcRoot?: string
  /**
   * Repository file to pin findings that have no file of their own (image and package findings without a
   * manifest path), e.g. the Dockerfile or lockfile the action scanned. GitHub code scanning rejects results
   * without a physical location, so see `fallbackLocationPath` in write.ts for what happens when it is absent.
   */
  fallbackPath?: string
  /**
   * Our property bag on every result (default true): what our own reader reads back. Off for SARIF that
   * only code scanning reads, which reads none of it.
   */
  ourProperties?: boolean
}
