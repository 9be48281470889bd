import type { JobSummary } from '../runtime/job-summary.js'
import type { TriState } from '../runtime/inputs.js'
import type { Logger } from '../runtime/logger.js'
import type { RunIdentity } from './evidence.js'

export interface GateConfig {
  workspace: string
  reports: string[]
  baseline: string[]
  policyPath: string
  policyExplicit: boolean
  /** Overrides the policy file for this run when set. */
  warnOnly?: boolean
  upload?: TriState
  comment?: TriState
  annotations: boolean
  outputDir: string
  topFindings: number
  today: string
}

export type ReportingStatus = { status: 'done' | 'skipped' | 'unavailable' | 'failed'; detail: string }

/** The GitHub side effects; absent when there is no token or repository context. */
export interface GateGitHub {
  canComment: boolean
  upsertComment(body: string): Promise<ReportingStatus>
  uploadSarif(sarif: string): Promise<ReportingStatus>
}

export interface GatePorts {
  logger: Logger
  summary: JobSummary
  writeLine(line: string): void
  github?: GateGitHub
  run: RunIdentity
  now: () => Date
}
