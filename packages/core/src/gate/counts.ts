import { SEVERITIES, type Finding, type Severity } from '../findings/finding.js'

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

export function countFindings(findings: Iterable<Finding>): FindingCounts {
  const counts = emptyCounts()
  for (const f of findings) addToCounts(counts, f)
  return counts
}
