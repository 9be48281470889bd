import { BrokenInputError } from '../../runtime/errors.js'
import type { Finding, ScanReport, Severity, ToolProblem } from '../finding.js'
import { computeFingerprint } from '../fingerprint.js'
import { cweIds } from '../ids.js'
import { asObject, asPositiveInt, asString, asStrings, type JsonObject } from '../json.js'
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
    problems: semgrepProblems('semgrep', report.errors)
  }
  for (const raw of report.results) {
    const result = asObject(raw)
    if (!result) throw new BrokenInputError(source, 'a Semgrep result is not an object')
    out.findings.push(readResult(result, options))
  }
  return out
}

/**
 * Error types after which a file was not (fully) analysed, or its matches were dropped (past 10,000
 * matches of a rule in a file Semgrep reports none of them, a flaw among them included, as a mere
 * warning; a matching error loses that rule's matches there): the scan is incomplete, so the gate must fail.
 */
const INCOMPLETE =
  /timeout|out of memory|outofmemory|\boom\b|stack overflow|fatal|too many matches|matching error/i
/** A target the parser could not fully read; Semgrep still scans the rest. Reported, not failing. */
const TARGET_SYNTAX = /syntax error|lexical error|partial pars/i

/**
 * Our policy for Semgrep's (and Opengrep's) `errors[]`, read by the sast action and by the gate alike: `level: error` (rule parse errors, missing configs) and every
 * timeout, out-of-memory or dropped-matches error fail the scan (Semgrep marks per-file timeouts and
 * dropped matches only `warn`, which would let an unscanned file pass as clean); target syntax errors and
 * other warnings are kept as warnings.
 */
export function semgrepProblems(engine: string, errors: unknown): ToolProblem[] {
  if (!Array.isArray(errors)) return []
  return errors.map(raw => {
    const error = (raw ?? {}) as Record<string, unknown>
    const type = String(Array.isArray(error.type) ? error.type[0] : (error.type ?? 'error'))
    const where =
      typeof error.path === 'string'
        ? error.path
        : typeof error.rule_id === 'string'
          ? `rule ${error.rule_id}`
          : ''
    const text = String(error.message ?? '')
      .replace(/\s+/g, ' ')
      .trim()
      .slice(0, 400)
    const message = `${engine} ${type}${where ? ` in ${where}` : ''}: ${text || 'no message'}`
    // Semgrep's levels are error, warn and info: a missing or unknown level is not taken as harmless.
    const notice = error.level === 'warn' || error.level === 'warning' || error.level === 'info'
    const failing = !notice || (INCOMPLETE.test(type) && !TARGET_SYNTAX.test(type))
    return { level: failing ? 'error' : 'warning', message }
  })
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
