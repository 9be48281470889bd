import { fileURLToPath } from 'node:url'
import { asArray, asObject, asString, type JsonObject } from '../findings/json.js'
import { BrokenInputError } from '../runtime/errors.js'

/**
 * The engine's SARIF (`--sarif`) read into the shape of its JSON report (`--json`: `results`, `errors`,
 * `version`), which the rest of the scan reads. The engine is asked for SARIF alone because it is the
 * one output that keeps the results a `nosemgrep` comment suppresses, marked `inSource`; asking for
 * JSON as well costs a second formatting pass, ~250 ms of every scan (bench p6).
 *
 * Field by field: ruleId → check_id; the location's uri (a plain path; `file:` URIs decoded) → path;
 * region → start/end line and col; message → extra.message; the rule's level (error, warning, note) →
 * extra.severity ERROR, WARNING, INFO, as Semgrep maps them the other way; the rule's
 * security-severity, CWE tags and helpUri → extra.metadata; matchBasedId/v1 → extra.fingerprint;
 * the snippet → extra.lines; an inSource suppression → extra.is_ignored; tool execution notifications
 * → errors (descriptor id → type), and `executionSuccessful: false` with no error among them → one error.
 */
export function engineReportFromSarif(sarif: unknown, source: string): JsonObject {
  const run = asObject(asArray(asObject(sarif)?.runs)[0])
  if (!run || !Array.isArray(run.results))
    throw new BrokenInputError(source, 'expected the engine’s SARIF (runs[0].results)')
  const driver = asObject(asObject(run.tool)?.driver)
  const rules = new Map<string, JsonObject>()
  for (const raw of asArray(driver?.rules)) {
    const rule = asObject(raw)
    const id = asString(rule?.id)
    if (rule && id) rules.set(id, rule)
  }
  const version = asString(driver?.semanticVersion) ?? asString(driver?.version)
  return {
    ...(version ? { version } : {}),
    results: run.results.map(raw => resultOf(asObject(raw), rules, source)),
    errors: errorsOf(asArray(run.invocations))
  }
}

const SEVERITY_OF_LEVEL: Record<string, string> = { error: 'ERROR', warning: 'WARNING', note: 'INFO' }

function resultOf(
  result: JsonObject | undefined,
  rules: Map<string, JsonObject>,
  source: string
): JsonObject {
  if (!result) throw new BrokenInputError(source, 'a SARIF result is not an object')
  const ruleId = asString(result.ruleId) ?? 'unknown-rule'
  const rule = rules.get(ruleId)
  const properties = asObject(rule?.properties) ?? {}
  const physical = asObject(asObject(asArray(result.locations)[0])?.physicalLocation)
  const region = asObject(physical?.region) ?? {}
  const level = asString(result.level) ?? asString(asObject(rule?.defaultConfiguration)?.level) ?? 'warning'
  const cwe = asArray(properties.tags).filter(
    (tag): tag is string => typeof tag === 'string' && /^CWE-\d+/.test(tag)
  )
  const helpUri = asString(rule?.helpUri)
  const metadata: JsonObject = {
    ...(properties['security-severity'] !== undefined
      ? { 'security-severity': properties['security-severity'] }
      : {}),
    ...(cwe.length > 0 ? { cwe } : {}),
    ...(helpUri ? { source: helpUri } : {})
  }
  const fingerprint = asString(asObject(result.fingerprints)?.['matchBasedId/v1'])
  const lines = asString(asObject(region.snippet)?.text)
  const ignored = asArray(result.suppressions).some(s => asObject(s)?.kind === 'inSource')
  return {
    check_id: ruleId,
    path: plainPath(asString(asObject(physical?.artifactLocation)?.uri) ?? ''),
    start: { line: region.startLine, col: region.startColumn },
    end: { line: region.endLine ?? region.startLine, col: region.endColumn },
    extra: {
      message: asString(asObject(result.message)?.text) ?? '',
      severity: SEVERITY_OF_LEVEL[level] ?? 'INFO',
      metadata,
      ...(fingerprint ? { fingerprint } : {}),
      ...(lines !== undefined ? { lines } : {}),
      ...(ignored ? { is_ignored: true } : {})
    }
  }
}

function errorsOf(invocations: unknown[]): JsonObject[] {
  const errors: JsonObject[] = []
  let failed = false
  for (const raw of invocations) {
    const invocation = asObject(raw)
    if (invocation?.executionSuccessful === false) failed = true
    for (const note of asArray(invocation?.toolExecutionNotifications)) {
      const notification = asObject(note) ?? {}
      const where = asString(
        asObject(asObject(asObject(asArray(notification.locations)[0])?.physicalLocation)?.artifactLocation)
          ?.uri
      )
      errors.push({
        type: asString(asObject(notification.descriptor)?.id) ?? 'error',
        level: notification.level === 'error' ? 'error' : 'warn',
        message: asString(asObject(notification.message)?.text) ?? '',
        ...(where ? { path: plainPath(where) } : {})
      })
    }
  }
  if (failed && !errors.some(error => error.level === 'error'))
    errors.push({ type: 'fatal', level: 'error', message: 'the engine reported executionSuccessful: false' })
  return errors
}

/** Semgrep writes paths as given (`space dir/ünï.py`), not percent-encoded; a `file:` URI is decoded. */
function plainPath(uri: string): string {
  return uri.startsWith('file://') ? fileURLToPath(uri) : uri
}

/**
 * The severity each rule has in the engine's JSON (`extra.severity`), written onto the results read from
 * its SARIF, where CRITICAL and HIGH are both `error`. Only the user's own rules need it.
 */
export function withRuleSeverities(report: JsonObject, engineJson: unknown, source: string): JsonObject {
  const results = asObject(engineJson)?.results
  if (!Array.isArray(results)) throw new BrokenInputError(source, 'expected the engine’s JSON (results)')
  const severities = new Map<string, string>()
  for (const raw of results) {
    const result = asObject(raw)
    const severity = asString(asObject(result?.extra)?.severity)
    const ruleId = asString(result?.check_id)
    if (ruleId && severity) severities.set(ruleId, severity)
  }
  return {
    ...report,
    results: asArray(report.results).map(raw => {
      const result = raw as JsonObject
      const severity = severities.get(String(result.check_id))
      return severity ? { ...result, extra: { ...(asObject(result.extra) ?? {}), severity } } : result
    })
  }
}
