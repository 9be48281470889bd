import { z } from 'zod'
import { SEVERITIES } from '../findings/finding.js'
import { EVIDENCE_SCHEMA, GATE_OUTCOMES, UNCOUNTED_REASONS } from './names.js'

/*
 * The gate's evidence document: one JSON file per gate run. The gate writes it (gate/evidence.ts) and
 * metrics reads it back, both through these types, so a field the writer adds or renames is a type error
 * in one of them before it is a surprise in an audit.
 */

const severity = z.enum(SEVERITIES)
const count = z.number().int().min(0)
/** Every severity present (zod 4: a record over an enum is exhaustive). */
const severityCounts = z.record(severity, count)
const findingCounts = z.object({
  total: z.number().int().min(0),
  bySeverity: severityCounts,
  byScanner: z.record(z.string(), severityCounts)
})

const toolInfo = z.object({
  name: z.string(),
  version: z.string().optional(),
  informationUri: z.string().optional()
})

/** Who ran the gate, on what: the runner's GITHUB_* values as the run saw them. */
const runIdentity = z.object({
  repository: z.string().optional(),
  commit: z.string().optional(),
  ref: z.string().optional(),
  event: z.string().optional(),
  workflow: z.string().optional(),
  runId: z.string().optional(),
  runAttempt: z.string().optional(),
  serverUrl: z.string().optional()
})

const policyVersion = z.object({ source: z.string(), origin: z.string(), sha256: z.string() })
const otherRole = z.enum(['proposed', 'reviewed'])

const exceptionFacts = z.object({
  index: z.number().int().min(0),
  match: z.string(),
  owner: z.string(),
  expires: z.string(),
  reason: z.string(),
  matched: z.number().int().min(0)
})

const reportEvidence = z.object({
  file: z.string(),
  sha256: z.string(),
  bytes: z.number().int().min(0),
  format: z.string(),
  tools: z.array(toolInfo),
  findings: z.number().int().min(0)
})

/** One row per counted finding: not suppressed and, with a baseline, new. */
const evidenceFinding = z.object({
  fingerprint: z.string(),
  ruleId: z.string(),
  severity,
  scanner: z.string(),
  blocking: z.boolean(),
  new: z.boolean()
})

const uncountedFinding = z.object({
  fingerprint: z.string(),
  ruleId: z.string(),
  severity,
  scanner: z.string(),
  reason: z.enum(UNCOUNTED_REASONS)
})

export const gateEvidenceSchema = z.object({
  schema: z.literal(EVIDENCE_SCHEMA),
  generatedAt: z.iso.datetime({ offset: true }),
  run: runIdentity,
  verdict: z.object({
    outcome: z.enum(GATE_OUTCOMES),
    passed: z.boolean(),
    warnOnly: z.boolean(),
    reasons: z.array(z.string())
  }),
  policy: policyVersion.extend({
    decidedBy: z.enum(['base', 'head', 'central']),
    other: z.union([
      z.null(),
      policyVersion.extend({
        role: otherRole,
        outcome: z.enum(GATE_OUTCOMES),
        reasons: z.array(z.string())
      }),
      z.object({ role: otherRole, origin: z.string(), error: z.string() })
    ])
  }),
  tools: z.array(toolInfo),
  reports: z.array(reportEvidence),
  brokenInputs: z.array(
    z.object({ source: z.string(), message: z.string(), providedByChange: z.boolean().optional() })
  ),
  counts: z.object({ all: findingCounts, counted: findingCounts, blocking: findingCounts }),
  baseline: z.union([z.null(), z.object({ new: z.number().int().min(0), fixed: z.number().int().min(0) })]),
  suppressed: z.object({ byException: z.number().int().min(0), inReports: z.number().int().min(0) }),
  inSourceSuppressions: z.object({
    mode: z.enum(['honour', 'report', 'ignore']),
    total: z.number().int().min(0),
    inChangedFiles: z.union([z.null(), z.number().int().min(0)])
  }),
  exceptions: z.object({
    used: z.array(exceptionFacts),
    expired: z.array(exceptionFacts),
    stale: z.array(exceptionFacts)
  }),
  upload: z.union([z.null(), z.object({ status: z.string(), id: z.string().optional() })]),
  findings: z.array(evidenceFinding),
  /**
   * Every finding that did not count, by fingerprint. Files written before this list existed lack it:
   * a reader cannot then tell a fixed finding from a suppressed one (metrics says so).
   */
  uncounted: z.array(uncountedFinding).optional()
})

export type GateEvidence = z.infer<typeof gateEvidenceSchema>
export type EvidenceHead = Omit<GateEvidence, 'findings' | 'uncounted'>
export type RunIdentity = z.infer<typeof runIdentity>
export type ReportEvidence = z.infer<typeof reportEvidence>
export type EvidenceFinding = z.infer<typeof evidenceFinding>
export type UncountedFinding = z.infer<typeof uncountedFinding>
export type UncountedReason = (typeof UNCOUNTED_REASONS)[number]
export type EvidenceOutcome = (typeof GATE_OUTCOMES)[number]
export type PolicyVersionEvidence = z.infer<typeof policyVersion>
export type PolicyEvidence = GateEvidence['policy']
