import {
  array,
  boolean,
  count,
  dateTime,
  exhaustiveRecord,
  literal,
  nullable,
  object,
  oneOf,
  optional,
  recordOf,
  string,
  union,
  type Infer,
  type ObjectOf
} from '../runtime/json-shape.js'
import { SEVERITIES } from '../findings/finding.js'
import { EVIDENCE_SCHEMA, GATE_OUTCOMES, UNCOUNTED_REASONS } from './names.js'

/*
 * The gate's evidence document: one JSON file per gate run. The gate writes it (gate/evidence.ts) and
 * metrics reads it back, both through these types, so a field the writer adds or renames is a type error
 * in one of them before it is a surprise in an audit. Checked by hand (runtime/json-shape.ts): zod
 * cost metrics 15 to 30 ms of every start.
 */

const severity = oneOf(SEVERITIES)
/** Every severity present. */
const severityCounts = exhaustiveRecord(SEVERITIES, count())
const findingCounts = object({
  total: count(),
  bySeverity: severityCounts,
  byScanner: recordOf(severityCounts)
})

const toolInfo = object({
  name: string(),
  version: optional(string()),
  informationUri: optional(string())
})

/** Who ran the gate, on what: the runner's GITHUB_* values as the run saw them. */
const runIdentity = object({
  repository: optional(string()),
  commit: optional(string()),
  ref: optional(string()),
  event: optional(string()),
  workflow: optional(string()),
  runId: optional(string()),
  runAttempt: optional(string()),
  serverUrl: optional(string())
})

const policyVersionFields = { source: string(), origin: string(), sha256: string() }
const otherRole = oneOf(['proposed', 'reviewed'])

const exceptionFacts = object({
  index: count(),
  match: string(),
  owner: string(),
  expires: string(),
  reason: string(),
  matched: count()
})

/** A scanner's ignore file the change adds or modifies: line counts only, never its text. */
const ignoreFileChange = object({
  path: string(),
  status: string(),
  linesAdded: count(),
  linesRemoved: count(),
  /** False only when the change can but narrow what the file waives (lines taken out of a list). */
  mayIgnoreMore: boolean(),
  /** Why the pull request's version could not be read (a link or a directory in its place). */
  problem: optional(string())
})

const reportEvidence = object({
  file: string(),
  sha256: string(),
  bytes: count(),
  format: string(),
  tools: array(toolInfo),
  findings: count(),
  /** The scanner's warning-level notifications (what it did not scan), capped; absent in older files. */
  warnings: optional(array(string()))
})

/** One row per counted finding: not suppressed and, with a baseline, new. */
const evidenceFinding = object({
  fingerprint: string(),
  ruleId: string(),
  severity,
  scanner: string(),
  blocking: boolean(),
  new: boolean()
})

const uncountedFinding = object({
  fingerprint: string(),
  ruleId: string(),
  severity,
  scanner: string(),
  reason: oneOf(UNCOUNTED_REASONS)
})

export const gateEvidenceSchema = object({
  schema: literal(EVIDENCE_SCHEMA),
  generatedAt: dateTime(),
  run: runIdentity,
  verdict: object({
    outcome: oneOf(GATE_OUTCOMES),
    passed: boolean(),
    warnOnly: boolean(),
    reasons: array(string())
  }),
  policy: object({
    ...policyVersionFields,
    decidedBy: oneOf(['base', 'head', 'central']),
    other: nullable(
      union(
        object({
          ...policyVersionFields,
          role: otherRole,
          outcome: oneOf(GATE_OUTCOMES),
          reasons: array(string())
        }),
        object({ role: otherRole, origin: string(), error: string() })
      )
    )
  }),
  tools: array(toolInfo),
  reports: array(reportEvidence),
  brokenInputs: array(object({ source: string(), message: string(), providedByChange: optional(boolean()) })),
  counts: object({ all: findingCounts, counted: findingCounts, blocking: findingCounts }),
  /** `new`: new findings that count (not suppressed), the gate's `new` output; null without a baseline. */
  baseline: nullable(object({ new: count(), fixed: count() })),
  suppressed: object({ byException: count(), inReports: count() }),
  inSourceSuppressions: object({
    mode: oneOf(['reviewed', 'honour', 'report', 'ignore']),
    total: count(),
    inChangedFiles: nullable(count()),
    /**
     * `reviewed` on a change event: suppressions the change adds, which counted; null otherwise. Files
     * written before the mode existed lack it.
     */
    byChange: optional(nullable(count()))
  }),
  /**
   * On a change event, the scanners' ignore files it adds or modifies, all of them (the summary lists
   * ten); null otherwise. Files written before this list existed lack it.
   */
  ignoreFiles: optional(nullable(array(ignoreFileChange))),
  exceptions: object({
    used: array(exceptionFacts),
    expired: array(exceptionFacts),
    stale: array(exceptionFacts)
  }),
  upload: nullable(object({ status: string(), id: optional(string()) })),
  findings: array(evidenceFinding),
  /**
   * Every finding that did not count, by fingerprint. Files written before this list existed lack it:
   * a reader cannot then tell a fixed finding from a suppressed one (metrics says so).
   */
  uncounted: optional(array(uncountedFinding))
})

export type GateEvidence = Infer<typeof gateEvidenceSchema>
export type EvidenceHead = Omit<GateEvidence, 'findings' | 'uncounted'>
export type RunIdentity = Infer<typeof runIdentity>
export type ReportEvidence = Infer<typeof reportEvidence>
export type IgnoreFileChangeEvidence = Infer<typeof ignoreFileChange>
export type EvidenceFinding = Infer<typeof evidenceFinding>
export type UncountedFinding = Infer<typeof uncountedFinding>
export type UncountedReason = (typeof UNCOUNTED_REASONS)[number]
export type EvidenceOutcome = (typeof GATE_OUTCOMES)[number]
export type PolicyVersionEvidence = ObjectOf<typeof policyVersionFields>
export type PolicyEvidence = GateEvidence['policy']
