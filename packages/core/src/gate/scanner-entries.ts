import { scannerName } from '../findings/sarif/read-helpers.js'
import type { GatePolicy } from '../policy/policy.js'
import type { LoadedReport } from './load-reports.js'

/*
 * A misspelt `gate.scanners` name (`trivvy:`) is valid YAML and a valid policy: its thresholds apply to
 * nothing, and the findings it meant are judged by the defaults. Scanner names are open-ended (any SARIF
 * driver), so only here, with the reports read, can a name be seen to match none. It is a warning, not a
 * failure: one policy often serves several gates that each read some reports (a gate per image reads
 * only Trivy's), and a name absent from this run's reports is no proof of a typo.
 */

/** The scanner names of the reports, lower case, as thresholds are looked up: by each finding's scanner. */
function reportScanners(reports: readonly LoadedReport[]): Set<string> {
  const names = new Set<string>()
  for (const { report } of reports) {
    // A report without findings still names its scanner: an entry for it matches.
    for (const tool of report.tools) names.add(scannerName(tool.name))
    let last: string | undefined
    for (const finding of report.findings)
      if (finding.scanner !== last) names.add((last = finding.scanner).toLowerCase())
  }
  return names
}

/** One warning per `gate.scanners` entry that names no scanner of the reports read; none without reports. */
export function unmatchedScannerWarnings(policy: GatePolicy, reports: readonly LoadedReport[]): string[] {
  const entries = Object.keys(policy.scanners)
  if (entries.length === 0 || reports.length === 0) return []
  const present = reportScanners(reports)
  const read = [...present].sort().join(', ')
  return entries
    .filter(name => !present.has(name))
    .map(
      name =>
        `policy gate.scanners.${name} matches no scanner of this gate's reports (${read}), so its thresholds judge nothing here: if the name is misspelt, write it as a report names its scanner (case does not matter); if only another gate reads that scanner's report, nothing is wrong.`
    )
}
