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

export function countFindings(findings: Iterable<Finding>): FindingCounts {
  const counts: FindingCounts = { total: 0, bySeverity: emptySeverityCounts(), byScanner: {} }
  for (const f of findings) {
    counts.total++
    counts.bySeverity[f.severity]++
    const perScanner = (counts.byScanner[f.scanner] ??= emptySeverityCounts())
    perScanner[f.severity]++
  }
  return counts
}
