import { SEVERITIES, type Finding, type Severity } from './finding.js'

export type SeverityCounts = Record<Severity, number>

export interface FindingCounts {
  total: number
  bySeverity: SeverityCounts
  byScanner: Record<string, SeverityCounts>
}

export function emptySeverityCounts(): SeverityCounts {
  return Object.fromEntries(SEVERITIES.map(s => [s, 0])) as SeverityCounts
}

export function emptyCounts(): FindingCounts {
  return { total: 0, bySeverity: emptySeverityCounts(), byScanner: {} }
}

export function addToCounts(counts: FindingCounts, finding: Finding): void {
  counts.total++
  counts.bySeverity[finding.severity]++
  // Own keys only: a scanner named `constructor` must not reach Object.prototype.
  const perScanner = Object.hasOwn(counts.byScanner, finding.scanner)
    ? counts.byScanner[finding.scanner]!
    : (counts.byScanner[finding.scanner] = emptySeverityCounts())
  perScanner[finding.severity]++
}

/** Findings per severity, optionally only those `include` accepts; every severity present, zeros too. */
export function countBySeverity(
  findings: Iterable<Finding>,
  include: (finding: Finding) => boolean = () => true
): SeverityCounts {
  const counts = emptySeverityCounts()
  for (const finding of findings) if (include(finding)) counts[finding.severity]++
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
