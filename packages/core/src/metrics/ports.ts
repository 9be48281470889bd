import type { BranchActivity } from '../github/activities.js'
import type { ArtifactRecord } from '../github/artifacts.js'
import type { BranchProtectionFacts, BypassRecord } from '../github/branch-protection.js'
import type { CheckRecord } from '../github/checks.js'
import type { AlertRecord } from '../github/code-scanning-alerts.js'
import type { CommitRecord } from '../github/commits.js'
import type { RepoRef } from '../github/context.js'
import type { PullRequestRecord, ReviewRecord } from '../github/pull-requests.js'
import type { Readable } from '../github/readable.js'
import type { RunWindow, WorkflowRunRecord } from '../github/workflow-runs.js'
import type { TriState } from '../runtime/inputs.js'
import type { JobSummary } from '../runtime/job-summary.js'
import type { Logger } from '../runtime/logger.js'

/*
 * What metrics is told (MetricsOptions) and what it talks to (MetricsPorts). Types only.
 */

export interface MetricsOptions {
  workspace: string
  /** The `period` input as written (90d, 6m, 2026-01-01..2026-06-30). */
  period: string
  /** End of a relative period (ISO date or time); the run's clock when absent. */
  end?: string
  /** The branch measured; the repository's default branch when absent. */
  branch?: string
  /** Globs of gate evidence files in the workspace (downloaded artifacts, an air-gapped copy). */
  evidence: string[]
  /** Name of the workflow artifact holding the gate's evidence.json; undefined reads no artifacts. */
  evidenceArtifact?: string
  /**
   * Days of gate evidence read before the period starts: a finding already open when the period begins
   * then has a known opening, so its remediation in the period counts towards MTTR.
   */
  evidenceLookbackDays: number
  /** Artifacts downloaded at most (newest first); the rest are counted and named in the report. */
  maxArtifacts: number
  codeScanning: TriState
  workflowRuns: boolean
  branchProtection: boolean
  changeRecords: boolean
  /** Globs of Argo CD / Flux status JSON files. */
  deployments: string[]
  /** The revision the pipeline promoted, when known outside the bump PRs. */
  promotedRevision?: string
  /** Where bump-manifest-pr opens its pull requests; this repository when absent. */
  manifestsRepository?: RepoRef
  bumpBranchPrefix: string
  /** Globs naming this pipeline's check runs, to tell whether branch protection requires them. */
  pipelineChecks: string[]
  sampleSize: number
  /** The sample's seed; the period's label when absent (so each period's sample is fixed). */
  sampleSeed?: string
  outputDir: string
  /** The action's names for the inputs messages speak of. */
  inputNames: { period: string; end: string; evidence: string; deployments: string; outputDir: string }
}

/** The GitHub reads metrics makes; absent without a token (local evidence and status files only). */
export interface MetricsGitHub {
  repository: RepoRef
  /** The repository's id (artifacts from a fork's runs carry another) and default branch. */
  describe(): Promise<{ id: number; defaultBranch: string }>
  workflowRuns(window: RunWindow): Promise<WorkflowRunRecord[]>
  artifacts(name: string, since: Date): Promise<ArtifactRecord[]>
  downloadArtifact(id: number, maxBytes: number): Promise<Buffer>
  codeScanningAlerts(): Promise<Readable<AlertRecord[]>>
  mergedPullRequests(
    repository: RepoRef,
    base: string | undefined,
    window: RunWindow
  ): Promise<PullRequestRecord[]>
  pullRequestsForCommit(sha: string): Promise<PullRequestRecord[]>
  reviews(pullNumber: number): Promise<ReviewRecord[]>
  /**
   * The commits of the window reachable from the branch's tip (`branchTip`): listed from its commit id,
   * never from the bare name, which GitHub may resolve to a tag of the same name. Rejects when there is
   * no such branch.
   */
  commits(branch: string, window: RunWindow): Promise<CommitRecord[]>
  /**
   * The commit the branch points to, read from the branches endpoint (which knows no tags) once per run
   * and shared by every read that needs it; undefined when there is no such branch. A failed read is not
   * kept: the next call asks again.
   */
  branchTip(branch: string): Promise<string | undefined>
  /**
   * Whether the commit is in the branch's history: its tip (`branchTip`), or behind it. False for a
   * commit that is not (or that GitHub does not know); rejects when GitHub cannot say.
   */
  commitOnBranch(branch: string, sha: string): Promise<boolean>
  /**
   * GitHub's record of the branch's updates in the window (pushes, merges, force pushes), newest first,
   * with its own times; unavailable without 'contents: read' or on a GitHub that has no such list.
   */
  branchActivities(branch: string, window: RunWindow): Promise<Readable<BranchActivity[]>>
  /**
   * The commits `head` has that `base` lacks, newest first, by commit ids; `complete` false when a long
   * comparison was cut. Undefined when GitHub knows either commit not, or they share no history.
   */
  commitsAhead(
    base: string,
    head: string
  ): Promise<{ commits: CommitRecord[]; complete: boolean } | undefined>
  /** One workflow run by id: the event that started it, and the branch and commit GitHub names it after. */
  workflowRun(id: number): Promise<WorkflowRunRecord>
  checkRuns(ref: string): Promise<CheckRecord[]>
  commitStatuses(ref: string): Promise<CheckRecord[]>
  branchProtection(branch: string): Promise<BranchProtectionFacts>
  rulesetBypasses(branch: string): Promise<Readable<BypassRecord[]>>
  /** Requests made so far, and the time spent waiting for GitHub (retries and rate-limit waits included). */
  usage(): { requests: number; waitMs: number }
}

export interface MetricsPorts {
  logger: Logger
  summary: JobSummary
  /** The one clock, read once per run. */
  now: () => Date
  github?: MetricsGitHub
  /** `owner/repo` and default branch from the runner, for runs without a token. */
  context: { repository?: string; defaultBranch?: string; serverUrl?: string; runUrl?: string }
}
