import { SEVERITIES, type Severity } from '../findings/finding.js'
import type { EvidenceRun } from './evidence-runs.js'
import { bucketIndex, daysBetween, inPeriod, type Bucket, type Period } from './period.js'

/**
 * One stretch of a finding's life on the branch: from the first run that saw it to the first complete run
 * that looked for it and did not see it. A finding that comes back starts a new episode.
 */
export interface Episode {
  fingerprint: string
  ruleId: string
  scanner: string
  /** As last seen. */
  severity: Severity
  openedAt: number
  /**
   * False when no earlier run of its gate could have told its absence (the first run, or runs with a broken
   * input or without a report of its scanner): it may have been there before the run that first listed it.
   */
  openedKnown: boolean
  remediatedAt?: number
  /** Under an exception or suppression when last seen. */
  suppressed: boolean
  /** The run that saw it last, by time. */
  lastSeenAt: number
}

export interface Timeline {
  episodes: Episode[]
  /** Branch runs that were used; complete ones can close episodes. */
  runs: number
  /** Runs that could not close an episode (broken inputs, or a file that does not list what it left out). */
  partialRuns: number
}

/**
 * Follows every fingerprint through the branch's gate runs, oldest first, one gate's history (stream) at a
 * time: a run of one gate says nothing about the findings of another.
 */
export function followFindings(branchRuns: readonly EvidenceRun[]): Timeline {
  const streams = new Map<string, { open: Map<string, Episode>; looked: Set<string> }>()
  const episodes: Episode[] = []
  let partialRuns = 0
  for (const run of branchRuns) {
    let stream = streams.get(run.stream)
    if (!stream) streams.set(run.stream, (stream = { open: new Map(), looked: new Set() }))
    // `looked`: scanners an earlier run of this gate could have told the absence of: a finding of another
    // was not looked for before, so the run that first lists it is not when it appeared.
    const { open, looked } = stream
    if (!run.complete || !run.tellsAbsence) partialRuns++
    for (const [fingerprint, seen] of run.rows) {
      const episode = open.get(fingerprint)
      if (episode) {
        episode.severity = seen.severity
        episode.suppressed = seen.suppressed
        episode.lastSeenAt = run.time
        continue
      }
      const fresh: Episode = {
        fingerprint,
        ruleId: seen.ruleId,
        scanner: seen.scanner,
        severity: seen.severity,
        openedAt: run.time,
        openedKnown: looked.has(seen.scanner),
        suppressed: seen.suppressed,
        lastSeenAt: run.time
      }
      open.set(fingerprint, fresh)
      episodes.push(fresh)
    }
    // Only a complete run that looked for the finding's scanner and lists what it left out can say it is gone.
    if (!run.complete || !run.tellsAbsence) continue
    for (const scanner of run.scanners) looked.add(scanner)
    for (const [fingerprint, episode] of open) {
      if (run.rows.has(fingerprint) || !run.scanners.has(episode.scanner)) continue
      episode.remediatedAt = run.time
      open.delete(fingerprint)
    }
  }
  return { episodes, runs: branchRuns.length, partialRuns }
}

export interface SeverityMttr {
  /** Mean days from opened to remediated, two decimals; null when nothing of this severity was remediated. */
  meanDays: number | null
  medianDays: number | null
  remediated: number
  /** Remediated in the period but seen by the first run of the history: their start is unknown. */
  unknownStart: number
}

export function mttrBySeverity(episodes: readonly Episode[], period: Period): Record<Severity, SeverityMttr> {
  const result = {} as Record<Severity, SeverityMttr>
  for (const severity of SEVERITIES) {
    const closed = episodes.filter(
      e => e.severity === severity && e.remediatedAt !== undefined && inPeriod(period, e.remediatedAt)
    )
    const days = closed.filter(e => e.openedKnown).map(e => (e.remediatedAt! - e.openedAt) / 86_400_000)
    days.sort((a, b) => a - b)
    const mean = days.length ? days.reduce((a, b) => a + b, 0) / days.length : null
    const median = days.length
      ? days.length % 2
        ? days[(days.length - 1) / 2]!
        : (days[days.length / 2 - 1]! + days[days.length / 2]!) / 2
      : null
    result[severity] = {
      meanDays: mean === null ? null : Math.round(mean * 100) / 100,
      medianDays: median === null ? null : Math.round(median * 100) / 100,
      remediated: days.length,
      unknownStart: closed.length - days.length
    }
  }
  return result
}

export const AGE_BUCKETS = [
  { label: '≤ 7 d', maxDays: 7 },
  { label: '8–30 d', maxDays: 30 },
  { label: '31–90 d', maxDays: 90 },
  { label: '91–180 d', maxDays: 180 },
  { label: '> 180 d', maxDays: Infinity }
] as const

export interface OpenFindings {
  /** Open at the end of the period, by severity: unsuppressed, and suppressed (still there). */
  open: Record<Severity, number>
  suppressed: Record<Severity, number>
  /** Open (unsuppressed and suppressed) by age bucket; ages of findings with an unknown start are lower bounds. */
  ages: Record<Severity, number[]>
  oldestDays: number | null
}

export function openFindings(episodes: readonly Episode[], period: Period): OpenFindings {
  const zeros = () => Object.fromEntries(SEVERITIES.map(s => [s, 0])) as Record<Severity, number>
  const open = zeros()
  const suppressed = zeros()
  const ages = Object.fromEntries(SEVERITIES.map(s => [s, AGE_BUCKETS.map(() => 0)])) as Record<
    Severity,
    number[]
  >
  let oldest: number | null = null
  const end = period.to.getTime()
  for (const e of episodes) {
    if (e.openedAt > end || (e.remediatedAt !== undefined && e.remediatedAt <= end)) continue
    ;(e.suppressed ? suppressed : open)[e.severity]++
    const age = daysBetween(e.openedAt, end)
    ages[e.severity][AGE_BUCKETS.findIndex(b => age <= b.maxDays)]!++
    oldest = Math.max(oldest ?? 0, age)
  }
  return { open, suppressed, ages, oldestDays: oldest }
}

export interface CountPoint {
  label: string
  /** Whether a complete branch run fell in this bucket; otherwise the counts are null. */
  bySeverity: Record<Severity, number> | null
  suppressed: number | null
  runs: number
}

/**
 * Per bucket with a complete branch run in it, the findings open at its end: unsuppressed by severity, and
 * suppressed. With several gates (streams), the sum of each one's last complete run up to the bucket's end,
 * as the open count keeps a gate's findings open until a run of that gate closes them: a gate that crashed
 * or did not run in the bucket still counts, never as 0. A bucket without a complete run is a gap.
 */
export function countsOverTime(branchRuns: readonly EvidenceRun[], slices: readonly Bucket[]): CountPoint[] {
  const points: CountPoint[] = slices.map(b => ({
    label: b.label,
    bySeverity: null,
    suppressed: null,
    runs: 0
  }))
  const latest = new Map<string, EvidenceRun>()
  let next = 0
  slices.forEach((slice, i) => {
    let observed = false
    // Runs come in time order: earlier ones (the look back) only set each gate's latest complete run.
    for (; next < branchRuns.length && branchRuns[next]!.time <= slice.end; next++) {
      const run = branchRuns[next]!
      const inSlice = bucketIndex(slices, run.time) === i
      if (inSlice) points[i]!.runs++
      if (!run.complete) continue
      latest.set(run.stream, run)
      observed ||= inSlice
    }
    if (observed) Object.assign(points[i]!, countRows(latest.values()))
  })
  return points
}

function countRows(runs: Iterable<EvidenceRun>): Pick<CountPoint, 'bySeverity' | 'suppressed'> {
  const bySeverity = Object.fromEntries(SEVERITIES.map(s => [s, 0])) as Record<Severity, number>
  let suppressed = 0
  for (const run of runs)
    for (const seen of run.rows.values()) {
      if (seen.suppressed) suppressed++
      else bySeverity[seen.severity]++
    }
  return { bySeverity, suppressed }
}
