import type { RunIdentity } from '../evidence/schema.js'
import type { RepoRef } from '../github/context.js'
import type { PullRequestBase } from '../github/pull-request-base.js'
import type { RepositoryFile } from '../github/contents.js'
import type { PolicyLocation } from '../policy-source/location.js'
import type { JobSummary } from '../runtime/job-summary.js'
import type { TriState } from '../runtime/inputs.js'
import type { Logger } from '../runtime/logger.js'

/*
 * What the gate is told (GateConfig) and what it talks to (GatePorts). Types only: the gate's modules
 * import this file and nothing imports them back through it.
 */

/**
 * What a scanner's own suppression (`nosemgrep`, SARIF `suppressions` of kind inSource) does to the verdict.
 * `reviewed`: honoured when the base already had it; on a change event, one the change adds still counts.
 */
export type InSourceSuppressions = 'reviewed' | 'honour' | 'report' | 'ignore'
export const IN_SOURCE_SUPPRESSION_MODES: readonly InSourceSuppressions[] = [
  'reviewed',
  'honour',
  'report',
  'ignore'
]

export interface GateConfig {
  workspace: string
  reports: string[]
  baseline: string[]
  policy: PolicyLocation
  /** Overrides the policy file for this run when set. */
  warnOnly?: boolean
  upload?: TriState
  comment?: TriState
  annotations: boolean
  outputDir: string
  inSourceSuppressions: InSourceSuppressions
  /** Rows of the findings table in the job summary (default 50); the PR comment shows at most 20. */
  topFindings?: number
}

export type { RunIdentity }

export type ReportingStatus = { status: 'done' | 'skipped' | 'unavailable' | 'failed'; detail: string }

/** The GitHub side effects; absent when there is no token. */
export interface GateGitHub {
  /** A pull request run with a repository context: a comment has somewhere to go. */
  canComment: boolean
  upsertComment(body: string): Promise<ReportingStatus>
  uploadSarif(sarif: string): Promise<ReportingStatus>
  readRepositoryFile(repository: RepoRef, path: string, ref: string | undefined): Promise<RepositoryFile>
}

export interface GatePorts {
  logger: Logger
  summary: JobSummary
  writeLine(line: string): void
  github?: GateGitHub
  run: RunIdentity
  /** The one clock: read once per run; today's date and every timestamp come from that reading. */
  now: () => Date
  /** The base of the change this run judges (pull_request, merge_group); undefined on other events. */
  changeBase(): Promise<PullRequestBase | undefined>
  /** Which of these workspace paths git tracks; none outside a git work tree. */
  committedFiles(files: readonly string[]): Promise<ReadonlySet<string>>
}
