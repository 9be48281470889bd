import { parseSarif } from './sarif/read.js'
import { BrokenInputError } from '../runtime/errors.js'
import type { ReportFormat, ScanReport } from './finding.js'
import { isObject, parseJsonText, type JsonObject } from './json.js'
import type { ReadOptions } from './readers/common.js'
import { readCycloneDx } from './readers/cyclonedx.js'
import { readGrype } from './readers/grype.js'
import { readOsvScanner } from './readers/osv-scanner.js'
import { readSemgrep } from './readers/semgrep.js'
import { readTrivy } from './readers/trivy.js'

export const ACCEPTED_FORMATS =
  'SARIF 2.1.0, Trivy JSON, Grype JSON, Semgrep/Opengrep JSON, osv-scanner JSON or CycloneDX JSON'

/** The report format, judged by top-level keys only (cheap on a 100 MB report). */
export function detectFormat(report: unknown): ReportFormat | undefined {
  if (!isObject(report)) return undefined
  if (typeof report.version === 'string' && Array.isArray(report.runs)) return 'sarif'
  if ('SchemaVersion' in report && ('Results' in report || 'ArtifactName' in report)) return 'trivy-json'
  if (Array.isArray(report.matches) && isObject(report.descriptor)) return 'grype-json'
  // Semgrep always writes `errors`; osv-scanner never does. Required `paths` too, and Semgrep JSON without
  // it (other versions, a cut-down copy) read as a clean osv-scanner run, its errors dropped.
  if (Array.isArray(report.results) && Array.isArray(report.errors)) return 'semgrep-json'
  if (Array.isArray(report.results) && report.results.every(isOsvResult)) return 'osv-scanner-json'
  if (report.bomFormat === 'CycloneDX') return 'cyclonedx-json'
  return undefined
}

function isOsvResult(result: unknown): boolean {
  return isObject(result) && Array.isArray(result.packages)
}

/** Parses a report of any accepted format; `source` names it in errors (usually the file path). */
export function parseReport(text: string, source: string, options: ReadOptions = {}): ScanReport {
  return parseReportObject(parseJsonText(text, source), source, options, true)
}

/**
 * `handedOver`: the caller parsed `report` for this call alone, so a reader may take it apart as it
 * converts (SARIF releases each result once read), keeping the raw tree and the findings from peaking together.
 */
export function parseReportObject(
  report: unknown,
  source: string,
  options: ReadOptions = {},
  handedOver = false
): ScanReport {
  const format = detectFormat(report)
  const object = report as JsonObject
  switch (format) {
    case 'sarif':
      return parseSarif(object, source, options, handedOver)
    case 'trivy-json':
      return readTrivy(object, source, options)
    case 'grype-json':
      return readGrype(object, source, options)
    case 'semgrep-json':
      return readSemgrep(object, source, options)
    case 'osv-scanner-json':
      return readOsvScanner(object, source, options)
    case 'cyclonedx-json':
      return readCycloneDx(object, source)
    default:
      throw new BrokenInputError(source, `not a report format we read (expected ${ACCEPTED_FORMATS})`)
  }
}
