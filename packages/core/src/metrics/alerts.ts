import { SEVERITIES, type Severity } from '../findings/finding.js'
import type { AlertRecord } from '../github/code-scanning-alerts.js'
import type { OpenFindings, SeverityMttr } from './findings-timeline.js'
import { inPeriod, type Period } from './period.js'

/** The same measures from code scanning: created → fixed. Dismissed alerts are not remediated. */
export interface AlertMetrics {
  mttr: Record<Severity, SeverityMttr>
  open: Record<Severity, number>
  fixedInPeriod: number
  dismissedInPeriod: number
}

const round = (n: number) => Math.round(n * 100) / 100

export function alertMetrics(alerts: readonly AlertRecord[], period: Period): AlertMetrics {
  const mttr = {} as Record<Severity, SeverityMttr>
  const open = {} as Record<Severity, number>
  for (const severity of SEVERITIES) {
    const mine = alerts.filter(a => a.severity === severity)
    const days = mine
      .filter(a => a.state === 'fixed' && a.fixedAt && inPeriod(period, Date.parse(a.fixedAt)))
      .map(a => (Date.parse(a.fixedAt!) - Date.parse(a.createdAt)) / 86_400_000)
      .sort((a, b) => a - b)
    const middle = days.length / 2
    mttr[severity] = {
      meanDays: days.length ? round(days.reduce((a, b) => a + b, 0) / days.length) : null,
      medianDays: days.length
        ? round(days.length % 2 ? days[Math.floor(middle)]! : (days[middle - 1]! + days[middle]!) / 2)
        : null,
      remediated: days.length,
      unknownStart: 0
    }
    open[severity] = mine.filter(a => a.state === 'open').length
  }
  const closedIn = (state: AlertRecord['state'], at: (a: AlertRecord) => string | undefined) =>
    alerts.filter(a => a.state === state && at(a) !== undefined && inPeriod(period, Date.parse(at(a)!)))
      .length
  return {
    mttr,
    open,
    fixedInPeriod: closedIn('fixed', a => a.fixedAt),
    dismissedInPeriod: closedIn('dismissed', a => a.dismissedAt)
  }
}

/** One place where the gate's evidence and code scanning tell different stories. */
export interface Disagreement {
  severity: Severity
  measure: 'open' | 'remediated' | 'mttr-days'
  evidence: number | null
  alerts: number | null
}

/** Differences in MTTR under a day are noise from when each source looks (a run vs an analysis). */
const MTTR_TOLERANCE_DAYS = 1

export function compareSources(
  /** `open` is undefined when no gate run of the branch was read: unknown, so never the same as code scanning. */
  evidence: { mttr: Record<Severity, SeverityMttr>; open: OpenFindings | undefined },
  alerts: AlertMetrics
): Disagreement[] {
  const out: Disagreement[] = []
  for (const severity of SEVERITIES) {
    const openHere = evidence.open ? evidence.open.open[severity] + evidence.open.suppressed[severity] : null
    if (openHere !== alerts.open[severity])
      out.push({ severity, measure: 'open', evidence: openHere, alerts: alerts.open[severity] })
    const mine = evidence.mttr[severity]
    const theirs = alerts.mttr[severity]
    if (mine.remediated !== theirs.remediated)
      out.push({ severity, measure: 'remediated', evidence: mine.remediated, alerts: theirs.remediated })
    const gap =
      mine.meanDays === null || theirs.meanDays === null ? 0 : Math.abs(mine.meanDays - theirs.meanDays)
    if ((mine.meanDays === null) !== (theirs.meanDays === null) || gap > MTTR_TOLERANCE_DAYS)
      out.push({ severity, measure: 'mttr-days', evidence: mine.meanDays, alerts: theirs.meanDays })
  }
  return out
}
