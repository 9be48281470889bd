import type { ReadEvidence } from '../evidence/read.js'
import type { EvidenceOutcome, GateEvidence } from '../evidence/schema.js'
import type { Severity } from '../findings/finding.js'
import { scannerName } from '../findings/sarif/read-helpers.js'

/** Events that judge a change before it is merged: their findings are not the branch's. */
export const CHANGE_EVENTS: ReadonlySet<string> = new Set([
  'pull_request',
  'pull_request_target',
  'merge_group'
])

/** The pull request a gate run judged, from its ref (`refs/pull/123/merge` or `/head`). */
export function pullRequestOf(ref: string | undefined): number | undefined {
  const number = /^refs\/pull\/(\d+)\//.exec(ref ?? '')?.[1]
  return number === undefined ? undefined : Number(number)
}

/** What one gate run saw of a finding. */
export interface Seen {
  severity: Severity
  ruleId: string
  scanner: string
  /** Under an exception or a scanner's own suppression: still there, not counted. */
  suppressed: boolean
}

/** One gate run's evidence, reduced to what the metrics follow across runs. */
export interface EvidenceRun {
  source: string
  /**
   * Which gate's history the run belongs to: the artifact's name, or the `evidence` pattern that matched
   * the file. Findings are followed per stream: a matrix's gates (one per image) never close each other's.
   */
  stream: string
  sha256: string
  bytes: number
  /** When the gate ran (its `generatedAt`), in ms. */
  time: number
  commit?: string
  ref?: string
  event?: string
  runId?: string
  outcome: EvidenceOutcome
  /** A run on the measured branch (push, schedule, dispatch), not on a change. */
  onBranch: boolean
  /** Every report was read: a finding's absence can mean it is gone. */
  complete: boolean
  /** Scanners whose reports this run read; a finding of another scanner was not looked for. */
  scanners: ReadonlySet<string>
  rows: ReadonlyMap<string, Seen>
  /**
   * The run lists what did not count, or nothing could have been left out (no baseline, nothing
   * suppressed): only then does a missing fingerprint mean "fixed" rather than "suppressed or known".
   */
  tellsAbsence: boolean
}

function rowsOf(evidence: GateEvidence): Map<string, Seen> {
  const rows = new Map<string, Seen>()
  for (const f of evidence.findings)
    rows.set(f.fingerprint, { severity: f.severity, ruleId: f.ruleId, scanner: f.scanner, suppressed: false })
  for (const u of evidence.uncounted ?? [])
    if (!rows.has(u.fingerprint))
      rows.set(u.fingerprint, {
        severity: u.severity,
        ruleId: u.ruleId,
        scanner: u.scanner,
        suppressed: u.reason !== 'baseline'
      })
  return rows
}

export function toEvidenceRun(read: ReadEvidence, branch: string, stream: string): EvidenceRun {
  const e = read.evidence
  const scanners = new Set<string>()
  for (const report of e.reports) for (const tool of report.tools) scanners.add(scannerName(tool.name))
  for (const f of e.findings) scanners.add(f.scanner)
  const nothingLeftOut = e.baseline === null && e.suppressed.byException === 0 && e.suppressed.inReports === 0
  return {
    source: read.source,
    stream,
    sha256: read.sha256,
    bytes: read.bytes,
    time: Date.parse(e.generatedAt),
    commit: e.run.commit,
    ref: e.run.ref,
    event: e.run.event,
    runId: e.run.runId,
    outcome: e.verdict.outcome,
    onBranch: e.run.ref === `refs/heads/${branch}` && !CHANGE_EVENTS.has(e.run.event ?? ''),
    // Either says a report was missing or broken: a file whose verdict and list disagree cannot remediate.
    complete: e.verdict.outcome !== 'fail-broken-input' && e.brokenInputs.length === 0,
    scanners,
    rows: rowsOf(e),
    tellsAbsence: e.uncounted !== undefined || nothingLeftOut
  }
}

/** The same file read twice (a local copy of a downloaded artifact) counts once; then in time order. */
export function orderedRuns(runs: EvidenceRun[]): EvidenceRun[] {
  const bySha = new Map<string, EvidenceRun>()
  for (const run of runs) if (!bySha.has(run.sha256)) bySha.set(run.sha256, run)
  return [...bySha.values()].sort((a, b) => a.time - b.time || a.source.localeCompare(b.source))
}

/**
 * The branch runs to follow, and those a run of the same gate created after them already superseded. A
 * run's evidence is dated when the gate finished, but it speaks for the commit the run was created on: a
 * re-run of an older run, or a slow run of an older commit finishing after a newer one, would otherwise
 * reopen what the newer commit fixed. GitHub's run ids grow with creation, so within a gate's history a
 * run whose id is below one already read (by time) is superseded; a later attempt of the same run is not.
 * Runs without a numeric id (a local file) are kept in time order.
 */
export function supersede(branchRuns: readonly EvidenceRun[]): {
  current: EvidenceRun[]
  superseded: EvidenceRun[]
} {
  const newest = new Map<string, number>()
  const current: EvidenceRun[] = []
  const superseded: EvidenceRun[] = []
  for (const run of branchRuns) {
    const id = Number(run.runId)
    if (run.runId === undefined || !Number.isSafeInteger(id)) {
      current.push(run)
      continue
    }
    if (id < (newest.get(run.stream) ?? -Infinity)) superseded.push(run)
    else {
      newest.set(run.stream, id)
      current.push(run)
    }
  }
  return { current, superseded }
}
