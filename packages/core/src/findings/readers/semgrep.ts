import { BrokenInputError } from '../../runtime/errors.js'
import type { Finding, ScanReport, Severity, ToolProblem } from '../finding.js'
import { computeFingerprint } from '../fingerprint.js'
import { cweIds } from '../ids.js'
import { asArray, asObject, asPositiveInt, asString, asStrings, type JsonObject } from '../json.js'
import { parseScore, severityFromScoreValue } from '../severity.js'
import { baseFinding, nonEmptyList, repoPath, type ReadOptions } from './common.js'

/**
 * Semgrep's rule severities. The level mapping matches Semgrep's own SARIF (ERROR→error→high,
 * WARNING→warning→medium, INFO→note→low), so JSON and SARIF of one scan read the same.
 */
const SEVERITY: Record<string, Severity> = {
  CRITICAL: 'critical',
  ERROR: 'high',
  HIGH: 'high',
  WARNING: 'medium',
  MEDIUM: 'medium',
  INFO: 'low',
  LOW: 'low',
  INVENTORY: 'info',
  EXPERIMENT: 'info'
}
const semgrepSeverity = (value: unknown): Severity | undefined => {
  const key = String(value).toUpperCase()
  return Object.hasOwn(SEVERITY, key) ? SEVERITY[key] : undefined
}
const MATCH_BASED_ID = /^[0-9a-f]{32,}(?:_\d+)?$/

/**
 * Semgrep/Opengrep JSON (`--json`). Severity: `metadata.security-severity` when the rule has one (Semgrep
 * copies it to its SARIF too), else the rule severity above. `impact`/`confidence` are not used: they
 * describe likelihood and rule quality, not how bad a true positive is, and most OSS rules lack them.
 * `extra.is_ignored` (nosemgrep) becomes an inSource suppression; `errors[]` become problems.
 */
export function readSemgrep(report: JsonObject, source: string, options: ReadOptions = {}): ScanReport {
  if (!Array.isArray(report.results))
    throw new BrokenInputError(source, 'Semgrep report "results" is not an array')
  const version = asString(report.version)
  const out: ScanReport = {
    source,
    format: 'semgrep-json',
    tools: [{ name: 'semgrep', ...(version ? { version } : {}), informationUri: 'https://semgrep.dev' }],
    findings: [],
    problems: asArray(report.errors).map(readError)
  }
  for (const raw of report.results) {
    const result = asObject(raw)
    if (!result) throw new BrokenInputError(source, 'a Semgrep result is not an object')
    out.findings.push(readResult(result, options))
  }
  return out
}

function readError(raw: unknown): ToolProblem {
  const error = asObject(raw) ?? {}
  const level = error.level === 'warn' || error.level === 'warning' ? 'warning' : 'error'
  const type = Array.isArray(error.type) ? asString(error.type[0]) : asString(error.type)
  const text = asString(error.message) ?? 'no message'
  const where = asString(error.path) ?? asString(error.rule_id)
  const message = `semgrep${type ? ` ${type}` : ''}${where ? ` in ${where}` : ''}: ${text}`
  return { level, message: message.length > 500 ? `${message.slice(0, 497)}...` : message }
}

function readResult(result: JsonObject, options: ReadOptions): Finding {
  const extra = asObject(result.extra) ?? {}
  const metadata = asObject(extra.metadata) ?? {}
  const ruleId = asString(result.check_id) ?? 'unknown-rule'
  const score = parseScore(metadata['security-severity'])
  const severity = severityFromScoreValue(score) ?? semgrepSeverity(extra.severity) ?? 'medium'
  const message = asString(extra.message)?.trim() || ruleId
  const finding = baseFinding('semgrep', ruleId, message, severity, 'code')
  if (score !== undefined) finding.securitySeverity = score
  const start = asObject(result.start)
  const end = asObject(result.end)
  const startLine = asPositiveInt(start?.line)
  const startColumn = asPositiveInt(start?.col)
  const endLine = asPositiveInt(end?.line)
  const endColumn = asPositiveInt(end?.col)
  const path = repoPath(asString(result.path) ?? '', options.workspace)
  if (path)
    finding.location = {
      path,
      ...(startLine ? { startLine } : {}),
      ...(startColumn ? { startColumn } : {}),
      ...(endLine ? { endLine } : {}),
      ...(endColumn ? { endColumn } : {})
    }
  const cwe = typeof metadata.cwe === 'string' ? [metadata.cwe] : asStrings(metadata.cwe)
  if (cwe.length > 0) finding.cwe = nonEmptyList(cweIds(cwe))
  const references = asStrings(metadata.references)
  const helpUri = asString(metadata.source) ?? references[0]
  if (helpUri) finding.helpUri = helpUri
  if (extra.is_ignored === true) finding.suppressions = [{ kind: 'inSource', justification: 'nosemgrep' }]
  // Semgrep prints "requires login" (or a masked value in tests) instead of a real match id when logged out.
  const matchId = asString(extra.fingerprint)
  if (matchId && MATCH_BASED_ID.test(matchId)) finding.partialFingerprints = { 'matchBasedId/v1': matchId }
  const lines = asString(extra.lines)
  finding.fingerprint = computeFingerprint(finding, lines === 'requires login' ? undefined : lines)
  return finding
}
