import type { Finding, ScanReport } from '../findings/finding.js'
import { computeFingerprint } from '../findings/fingerprint.js'
import { cweIds } from '../findings/ids.js'
import type { JsonObject } from '../findings/json.js'
import { readSemgrep, semgrepProblems } from '../findings/readers/semgrep.js'
import { BrokenInputError } from '../runtime/errors.js'
import { ruleTitle, severityOf, type PackRule, type RulePack } from './pack.js'

/** The text of a scanned file by its report path; undefined when it cannot be read. */
export type ReadSource = (path: string) => string | undefined

export interface NormalizeOptions {
  engine: string
  engineVersion?: string
  pack: RulePack
  /** Where the matched lines come from (the checkout, or the merge-base versions): part of the fingerprint. */
  readSource: ReadSource
}

/** Maps an engine check id to our rule: exact, or with a directory prefix (`rules.python.<id>`). */
export function packRuleFor(checkId: string, byId: ReadonlyMap<string, PackRule>): PackRule | undefined {
  const exact = byId.get(checkId)
  if (exact) return exact
  const dot = checkId.lastIndexOf('.')
  return dot === -1 ? undefined : byId.get(checkId.slice(dot + 1))
}

function matchedText(finding: Finding, lines: (path: string) => string[] | undefined): string | undefined {
  const location = finding.location
  if (!location?.startLine) return undefined
  const text = lines(location.path)
  if (!text) return undefined
  const end = Math.max(location.startLine, location.endLine ?? location.startLine)
  return text.slice(location.startLine - 1, Math.min(end, location.startLine + 20)).join('\n')
}

/**
 * A `nosemgrep` comment (which may sit on the line before) is not in the matched text, so a suppressed
 * copy of a line would share its fingerprint with an unsuppressed one: a new, unsuppressed copy added
 * above a reviewed, suppressed one then passed for it on a diff scan (and in a baseline), and only the
 * old copy was reported, suppressed. Suppressed matches are keyed apart, and numbered apart.
 */
function suppressedApart(finding: Finding, context: string | undefined): string | undefined {
  return context !== undefined && finding.suppressions.length > 0 ? `${context}\u0000nosemgrep` : context
}

/**
 * Engine JSON → findings in our model: our rule's severity (from `security-severity`), message as
 * written (Semgrep interpolates `$1`-like text: "placeholders (`?`, `$1`)" came out as "(`?`, `impor`)"),
 * title, CWE and help link; a fingerprint from rule + path + the matched source text (line-independent,
 * because logged-out Semgrep prints "requires login" instead of its match id); identical matches in one
 * file get `#2`, `#3`; a match `nosemgrep` suppresses is keyed apart from an unsuppressed one.
 */
export function normalizeEngineReport(text: string, source: string, options: NormalizeOptions): ScanReport {
  return normalizeEngineObject(parseEngineJson(text, source), source, options)
}

export function parseEngineJson(text: string, source: string): unknown {
  try {
    return JSON.parse(text)
  } catch (error) {
    throw new BrokenInputError(
      source,
      `engine output is not JSON (${(error as Error).message}); first bytes: ${JSON.stringify(text.slice(0, 80))}`
    )
  }
}

/** `normalizeEngineReport` for an already parsed report (one engine run split into head and base parts). */
export function normalizeEngineObject(raw: unknown, source: string, options: NormalizeOptions): ScanReport {
  const object = raw as JsonObject | null
  if (
    object === null ||
    typeof object !== 'object' ||
    !Array.isArray(object.results) ||
    !Array.isArray(object.errors)
  )
    throw new BrokenInputError(source, 'expected Semgrep JSON (results and errors lists)')
  const report = readSemgrep(object, source)
  const byId = new Map(options.pack.rules.map(rule => [rule.id, rule]))
  const cache = new Map<string, string[] | undefined>()
  const lines = (file: string) => {
    if (!cache.has(file)) cache.set(file, options.readSource(file)?.split(/\r?\n/))
    return cache.get(file)
  }
  const seen = new Map<string, number>()
  const ranges = new Set<string>()
  // Two pattern branches of one rule can match the same range; the engine then reports it twice.
  const unique = report.findings.filter(finding => {
    const l = finding.location
    const key = `${finding.ruleId}\u0000${l?.path}:${l?.startLine}:${l?.startColumn}-${l?.endLine}:${l?.endColumn}`
    if (ranges.has(key)) return false
    ranges.add(key)
    return true
  })
  const findings = unique.map(original => {
    const finding: Finding = { ...original, scanner: options.engine }
    const rule = packRuleFor(finding.ruleId, byId)
    if (rule) {
      finding.ruleId = rule.id
      finding.message = rule.message
      finding.severity = severityOf(rule)
      if (rule.securitySeverity !== undefined) finding.securitySeverity = rule.securitySeverity
      finding.title = ruleTitle(rule)
      finding.cwe = cweIds(rule.cwe)
      if (rule.references[0]) finding.helpUri = rule.references[0]
      finding.tags = ['security', 'sast']
    }
    const context = suppressedApart(finding, matchedText(finding, lines))
    let fingerprint = computeFingerprint(finding, context)
    const n = (seen.get(fingerprint) ?? 0) + 1
    seen.set(fingerprint, n)
    if (n > 1) fingerprint = computeFingerprint(finding, `${context ?? ''}#${n}`)
    finding.fingerprint = fingerprint
    return finding
  })
  const version = options.engineVersion ?? report.tools[0]?.version
  return {
    ...report,
    tools: [
      { name: options.engine, ...(version ? { version } : {}), informationUri: engineUri(options.engine) }
    ],
    findings,
    problems: semgrepProblems(options.engine, (raw as { errors?: unknown }).errors)
  }
}

export function engineUri(engine: string): string {
  return engine === 'opengrep' ? 'https://github.com/opengrep/opengrep' : 'https://semgrep.dev'
}
