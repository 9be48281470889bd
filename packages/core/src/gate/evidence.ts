import type { ToolInfo } from '../findings/finding.js'
import { describeException } from '../policy/exceptions.js'
import type { GatePolicy } from '../policy/policy.js'
import type { GateVerdict } from './verdict.js'

export const EVIDENCE_SCHEMA = 'secure-pipeline/gate-evidence@1'

export interface ReportEvidence {
  file: string
  sha256: string
  bytes: number
  format: string
  tools: ToolInfo[]
  findings: number
}

export interface RunIdentity {
  repository?: string
  commit?: string
  ref?: string
  event?: string
  workflow?: string
  runId?: string
  runAttempt?: string
  serverUrl?: string
}

export function runIdentityFromEnv(env: NodeJS.ProcessEnv): RunIdentity {
  return {
    repository: env.GITHUB_REPOSITORY,
    commit: env.GITHUB_SHA,
    ref: env.GITHUB_REF,
    event: env.GITHUB_EVENT_NAME,
    workflow: env.GITHUB_WORKFLOW,
    runId: env.GITHUB_RUN_ID,
    runAttempt: env.GITHUB_RUN_ATTEMPT,
    serverUrl: env.GITHUB_SERVER_URL
  }
}

/**
 * One JSON document per gate run: what was checked, with what, under which policy, and the
 * verdict. The metrics action reads these; nothing here depends on GHAS.
 */
export function buildEvidence(args: {
  verdict: GateVerdict
  policy: GatePolicy
  reports: ReportEvidence[]
  run: RunIdentity
  generatedAt: string
  uploaded?: { status: string; id?: string }
}) {
  const { verdict, policy } = args
  const tools = new Map<string, ToolInfo>()
  for (const t of args.reports.flatMap(r => r.tools)) tools.set(`${t.name}@${t.version ?? ''}`, t)
  const exceptionFacts = (u: GateVerdict['exceptions']['used'][number]) => ({
    index: u.index,
    match: describeException(u.entry),
    owner: u.entry.owner,
    expires: u.entry.expires,
    reason: u.entry.reason,
    matched: u.matched
  })
  return {
    schema: EVIDENCE_SCHEMA,
    generatedAt: args.generatedAt,
    run: args.run,
    verdict: {
      outcome: verdict.outcome,
      passed: verdict.outcome === 'pass',
      warnOnly: verdict.warnOnly,
      reasons: verdict.reasons
    },
    policy: { source: policy.source, sha256: policy.digest },
    tools: [...tools.values()],
    reports: args.reports,
    brokenInputs: verdict.brokenInputs,
    counts: verdict.counts,
    baseline: verdict.hasBaseline
      ? { new: verdict.findings.filter(f => f.isNew).length, fixed: verdict.fixed.length }
      : null,
    suppressed: {
      byException: verdict.findings.filter(f => f.suppression?.by === 'exception').length,
      inReports: verdict.findings.filter(f => f.suppression?.by === 'sarif').length
    },
    exceptions: {
      used: verdict.exceptions.used.map(exceptionFacts),
      expired: verdict.exceptions.expired.map(exceptionFacts),
      stale: verdict.exceptions.stale.map(exceptionFacts)
    },
    upload: args.uploaded ?? null,
    findings: verdict.findings
      .filter(f => f.counted)
      .map(f => ({
        fingerprint: f.finding.fingerprint,
        ruleId: f.finding.ruleId,
        severity: f.finding.severity,
        scanner: f.finding.scanner,
        blocking: f.blocking,
        new: f.isNew
      }))
  }
}

export type GateEvidence = ReturnType<typeof buildEvidence>
