import type { Severity } from '../findings/finding.js'
import type { BranchProtectionFacts } from '../github/branch-protection.js'
import type { AlertMetrics, Disagreement } from './alerts.js'
import type { BuildSuccess } from './build-success.js'
import type { PushSource } from './changes/pushes.js'
import type { ChangeFlag } from './changes/records.js'
import type { DriftMetrics } from './drift/timeline.js'
import type { BrokenEvidence } from './evidence-source.js'
import { AGE_BUCKETS, type CountPoint, type SeverityMttr } from './findings-timeline.js'
import type { Period } from './period.js'
import type { PostureScore } from './posture.js'

export const METRICS_SCHEMA = 'secure-pipeline/metrics@1'

/** The definitions, in the document itself: an auditor reading only the JSON reads what each number means. */
export const DEFINITIONS = {
  opened:
    "A finding (by the gate's fingerprint) is opened by the first gate run on the branch that lists it; one already listed by the first run read (the evidence reaches evidence-lookback-days before the period) has an unknown start and no MTTR, and so has one that no earlier run of its gate could have told the absence of (a broken input, or no report of its scanner).",
  remediated:
    "It is remediated by the first later gate run on the branch that read every report (no broken input), read a report of the finding's scanner, lists what did not count, and does not list it. A finding that comes back opens again.",
  suppressed:
    'A finding under a policy exception or a scanner suppression (nosemgrep, SARIF suppressions) is still open: it is counted as suppressed, never as remediated.',
  mttr: 'Mean days from opened to remediated, over findings remediated in the period with a known start, by the severity last seen.',
  codeScanning:
    "Code scanning's own MTTR: created_at to fixed_at of alerts fixed in the period; dismissed alerts are not remediated.",
  buildSuccessRate:
    "Runs concluded success / (success + failure + timed_out + startup_failure); cancelled, skipped, neutral, stale, action_required and unfinished runs are counted but left out of the ratio. Pull request and merge queue runs are not the branch's, whatever their head branch is called (a fork's is often main): they have rows of their own.",
  drift:
    'An application is in drift when Argo CD says OutOfSync, or Flux says Ready is not True or the last attempted revision is not the last applied one; a drift event starts when it is first seen in drift, and ends when it is seen in sync.',
  changes:
    "One record per pull request or direct push whose commits reached the branch in the period (first-parent history), found by commit date and reconciled with GitHub's push times, which the pusher cannot set: a commit pushed in the period but dated outside it has a record too, at its push time (flagged backdated when dated before it). Approvals are the latest review of each person other than the author, submitted before the merge, approving the commit that was merged (an approval of an earlier commit is noted, not counted)."
}

export interface MetricsDocument {
  schema: typeof METRICS_SCHEMA
  generatedAt: string
  repository?: string
  branch: string
  period: { from: string; to: string; label: string }
  definitions: typeof DEFINITIONS
  sources: {
    evidence: EvidenceStatus & {
      files: number
      branchRuns: number
      pullRequestRuns: number
      partialRuns: number
      /** Branch runs not followed: a newer run of the same gate had already been read (re-runs, slow runs). */
      supersededRuns: number
      broken: BrokenEvidence[]
      artifacts?: { listed: number; downloaded: number; skipped: Array<{ reason: string; count: number }> }
    }
    codeScanning: SourceStatus & { alerts?: number }
    workflowRuns: SourceStatus & { runs?: number }
    branchProtection: SourceStatus & { sources?: string[]; unreadable?: string[] }
    deployments: SourceStatus & { files: number; applications: number; broken: BrokenEvidence[] }
    changeRecords: SourceStatus
    /** GitHub's push times of the branch, against which the change records are reconciled. */
    pushes: PushSource
    api?: { requests: number; waitMs: number }
  }
  vulnerabilities: {
    mttr: Record<Severity, SeverityMttr>
    /** Null when no gate run of the branch was read: nothing is known to be open, which is not 0. */
    open: Record<Severity, number> | null
    suppressed: Record<Severity, number> | null
    ageBuckets: string[]
    ages: Record<Severity, number[]> | null
    oldestOpenDays: number | null
    openedInPeriod: number
    remediatedInPeriod: number
    series: CountPoint[]
  }
  codeScanning: (AlertMetrics & { disagreements: Disagreement[] }) | null
  builds: BuildSuccess | null
  branchProtection: (PostureScore & { facts: BranchProtectionFacts }) | null
  drift: (DriftMetrics & { promotedRevision?: string }) | null
  changes: {
    population: number
    flagged: number
    byFlag: Record<ChangeFlag, number>
    sample: { size: number; seed: string; commits: string[] }
  } | null
}

/** Whether a source was read, left off by the inputs, or unavailable to this token (and why). */
export type SourceStatus =
  { status: 'read' } | { status: 'off'; reason: string } | { status: 'unavailable'; reason: string }

/**
 * The gate evidence read, in part (some of it could not be checked, and so was not read: the measures
 * may differ from what all of it says), or not at all for the branch for that reason.
 */
export type EvidenceStatus =
  { status: 'read' } | { status: 'partial'; reason: string } | { status: 'unavailable'; reason: string }

export const AGE_BUCKET_LABELS = AGE_BUCKETS.map(b => b.label)

export function periodOf(period: Period): MetricsDocument['period'] {
  return { from: period.from.toISOString(), to: period.to.toISOString(), label: period.label }
}

/** `{ critical: 3.25, high: null, … }`: the `mttr` output. */
export function mttrOutput(mttr: Record<Severity, SeverityMttr>): Record<Severity, number | null> {
  return Object.fromEntries(Object.entries(mttr).map(([s, m]) => [s, m.meanDays])) as Record<
    Severity,
    number | null
  >
}
