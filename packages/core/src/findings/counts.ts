import type { Finding, Severity } from './finding.js'

export type SeverityCounts = Record<Severity, number>

export interface FindingCounts {
  total: number
  bySeverity: SeverityCounts
  byScanner: Record<string, SeverityCounts>
}

/** A literal in SEVERITIES order: every counts object then shares one shape, and bump's stores stay cheap. */
export function emptySeverityCounts(): SeverityCounts {
  return { critical: 0, high: 0, medium: 0, low: 0, info: 0 }
}

export function emptyCounts(): FindingCounts {
  return { total: 0, bySeverity: emptySeverityCounts(), byScanner: {} }
}

export function addToCounts(counts: FindingCounts, finding: Finding): void {
  counts.total++
  bump(counts.bySeverity, finding.severity)
  // Own keys only: a scanner named `constructor` must not reach Object.prototype.
  const perScanner = Object.hasOwn(counts.byScanner, finding.scanner)
    ? counts.byScanner[finding.scanner]!
    : newScanner(counts.byScanner, finding.scanner)
  bump(perScanner, finding.severity)
}

/** Defined, not assigned: assigning `__proto__` would swap the map's prototype and lose the scanner's counts. */
function newScanner(byScanner: FindingCounts['byScanner'], scanner: string): SeverityCounts {
  const counts = emptySeverityCounts()
  Object.defineProperty(byScanner, scanner, {
    value: counts,
    enumerable: true,
    writable: true,
    configurable: true
  })
  return counts
}

/** Named stores rather than `counts[severity]++`: this runs three times per finding in the gate. */
function bump(counts: SeverityCounts, severity: Severity): void {
  switch (severity) {
    case 'critical':
      counts.critical++
      break
    case 'high':
      counts.high++
      break
    case 'medium':
      counts.medium++
      break
    case 'low':
      counts.low++
      break
    default:
      counts[severity]++
  }
}

/** Findings per severity, optionally only those `include` accepts; every severity present, zeros too. */
export function countBySeverity(
  findings: Iterable<Finding>,
  include: (finding: Finding) => boolean = () => true
): SeverityCounts {
  const counts = emptySeverityCounts()
  for (const finding of findings) if (include(finding)) bump(counts, finding.severity)
  return counts
}

/** The severities that occur, with their counts: for prose ("3 high, 1 low"), where zeros are noise. */
export function nonZeroCounts(counts: SeverityCounts): Partial<SeverityCounts> {
  return Object.fromEntries(Object.entries(counts).filter(([, n]) => n > 0)) as Partial<SeverityCounts>
}

export function countFindings(findings: Iterable<Finding>): FindingCounts {
  const counts = emptyCounts()
  for (const f of findings) addToCounts(counts, f)
  return counts
}
