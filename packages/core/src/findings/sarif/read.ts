import {
  severityFromScore,
  type Finding,
  type FindingKind,
  type PackageRef,
  type ScanReport,
  type Severity,
  type SourceLocation,
  type Suppression,
  type ToolInfo
} from '../finding.js'
import { computeFingerprint, isFingerprint } from '../fingerprint.js'
import { advisoryIds } from '../ids.js'
import {
  asArray,
  asNumber,
  asObject,
  asPositiveInt,
  asString,
  isObject,
  parseJsonText,
  type JsonObject
} from '../json.js'
import { packageFromPurl } from '../purl.js'
import { FindingRecord } from '../new-finding.js'
import { parseScore, severityFromLevel, severityFromWord } from '../severity.js'
import type { HashOffload } from '../hash-offload.js'
import type { ReadOptions } from '../readers/common.js'
import { BrokenInputError } from '../../runtime/errors.js'
import { fromProperties, type SecurePipelineProperties } from './properties.js'
import type { RuleInfo } from './rules.js'
import { FINGERPRINT_KEY, PROPERTY_KEY } from './types.js'
import {
  packageFromMessage,
  aliasesFrom,
  readFingerprints,
  ruleAliases,
  readSuppressions,
  scannerName,
  toRepoPath
} from './read-helpers.js'
import { readProblems, RunContext } from './run-context.js'
import { boundedText } from './bounded-text.js'

/** Scanners whose every result is a vulnerable package. */
const DEPENDENCY_SCANNERS = new Set(['grype', 'osv-scanner', 'dependency-check', 'snyk'])
const EMPTY: readonly string[] = Object.freeze([])
/**
 * SARIF §3.27.9–10: these kinds report no problem (their level is `none`), whatever the rule's default or
 * score says. `review` and `open` are problems a human or another run must still settle, and a kind SARIF
 * does not define is no reason to read a result as harmless: those keep their severity, as `fail` does.
 */
const NO_PROBLEM_KINDS: ReadonlySet<unknown> = new Set(['pass', 'notApplicable', 'informational'])

/**
 * Reads SARIF 2.1.0 from any tool into our Finding model.
 *
 * Severity precedence: our own `properties['secure-pipeline'].severity` > a `security-severity` score in
 * (0, 10] on the result, then on its rule (GitHub's bands: ≥9 critical, ≥7 high, ≥4 medium, >0 low) >
 * a severity word in result/rule `properties.severity` or in rule tags (Trivy) > the result's `level`,
 * then the rule's `defaultConfiguration.level` (Semgrep/Opengrep/CodeQL put it only there), then SARIF's
 * default `warning` (error→high, warning→medium, note→low, none→info). A `security-severity` that is a
 * word (`High`) counts as that band. A result of kind pass, notApplicable or informational found no
 * problem: info.
 *
 * Text given as a string is parsed here and the raw results are released as they are converted, so peak
 * memory stays close to that of the parse itself.
 */
export function parseSarif(
  input: string | unknown,
  source: string,
  options: ReadOptions = {},
  /** The caller hands a parsed log over: it may be taken apart (results released) while read. */
  owned = typeof input === 'string'
): ScanReport {
  const log = typeof input === 'string' ? parseJsonText(input, source) : input
  if (!isObject(log)) throw new BrokenInputError(source, 'SARIF must be a JSON object')
  if (log.version !== '2.1.0') {
    throw new BrokenInputError(
      source,
      `unsupported SARIF version ${JSON.stringify(log.version)}; only 2.1.0 is read`
    )
  }
  if (!Array.isArray(log.runs)) throw new BrokenInputError(source, 'SARIF has no "runs" array')
  // A scanner that ran writes a run even when it found nothing; no run at all says nothing was checked.
  if (log.runs.length === 0)
    throw new BrokenInputError(source, 'SARIF has no runs: no tool reported, so nothing was checked')
  const report: ScanReport = { source, format: 'sarif', tools: [], findings: [], problems: [] }
  const workspace = options.workspace
    ? `${options.workspace.replace(/\\/g, '/').replace(/\/+$/, '')}/`
    : undefined
  log.runs.forEach((run, index) => readRun(run, index, source, report, owned, workspace, options.offload))
  options.offload?.finish()
  return report
}

function readRun(
  raw: unknown,
  runIndex: number,
  source: string,
  report: ScanReport,
  release: boolean,
  workspace: string | undefined,
  offload: HashOffload | undefined
): void {
  const run = asObject(raw)
  const tool = asObject(run?.tool)
  const driver = asObject(tool?.driver)
  const driverName = boundedText(asString(driver?.name))
  if (!run || !tool || !driver || !driverName) {
    throw new BrokenInputError(source, `runs[${runIndex}] has no tool.driver.name`)
  }
  const info: ToolInfo = { name: driverName }
  const version = asString(driver.version) ?? asString(driver.semanticVersion)
  if (version) info.version = version
  const informationUri = asString(driver.informationUri)
  if (informationUri) info.informationUri = informationUri
  report.tools.push(info)
  readProblems(run, driverName, report.problems, { source, runIndex })

  const results = run.results
  if (results === undefined || results === null) {
    // SARIF §3.14.23: absent results mean the tool did not run to completion; `[]` means nothing found.
    report.problems.push({
      level: 'error',
      message: `${driverName}: the run has no results (the tool did not finish)`
    })
    return
  }
  if (!Array.isArray(results)) throw new BrokenInputError(source, `runs[${runIndex}].results is not an array`)
  const context = new RunContext(run, driver, asArray(tool.extensions), scannerName(driverName), workspace)
  for (let i = 0; i < results.length; i++) {
    const result = asObject(results[i])
    if (!result) throw new BrokenInputError(source, `runs[${runIndex}].results[${i}] is not an object`)
    report.findings.push(readResult(result, context, release, offload))
    if (release) results[i] = undefined
  }
}

/** What a result shares with both finding builders, read once. */
interface ResultBasics {
  ruleId: string
  message?: string
  partialFingerprints: Record<string, string>
  suppressions: Suppression[]
}

// Set by readLocation next to its return value, so 100,000 results do not allocate a wrapper object each.
let lastSnippet: string | undefined

function readResult(
  result: JsonObject,
  run: RunContext,
  owned: boolean,
  offload: HashOffload | undefined
): Finding {
  const rawRuleId = boundedText(asString(result.ruleId) ?? asString(asObject(result.rule)?.id))
  const rule = run.rule(result, rawRuleId)
  const props = asObject(result.properties)
  const bag = props?.[PROPERTY_KEY]
  const ours = fromProperties(bag)
  const messageObject = asObject(result.message)
  lastSnippet = undefined
  const synthetic = ours !== undefined && (bag as JsonObject).syntheticLocation === true
  const location = synthetic ? undefined : readLocation(result.locations, run)
  const snippet = lastSnippet
  const basics: ResultBasics = {
    // The rule's own copy of an equal id: one string per rule, not one per result.
    ruleId:
      rawRuleId === undefined ? (rule?.id ?? 'unknown-rule') : rule?.id === rawRuleId ? rule.id : rawRuleId,
    message: asString(messageObject?.text) ?? asString(messageObject?.markdown),
    partialFingerprints: readFingerprints(result, owned),
    suppressions: readSuppressions(result.suppressions)
  }
  const finding = ours ? fromOurs(ours, basics) : fromScanner(result, props, basics, rule, run)
  if (run.category) finding.category = run.category
  if (location) finding.location = location
  if (rule?.helpUri) finding.helpUri = rule.helpUri
  if (!finding.fingerprint) {
    const written = asObject(result.partialFingerprints)?.[FINGERPRINT_KEY]
    if (isFingerprint(written)) finding.fingerprint = written
    else if (offload) offload.fingerprint(finding, snippet)
    else finding.fingerprint = computeFingerprint(finding, snippet)
  }
  return finding
}

function fromOurs(ours: SecurePipelineProperties, basics: ResultBasics): Finding {
  const finding = new FindingRecord(
    basics.ruleId,
    ours.aliases,
    basics.message ?? ours.title ?? basics.ruleId,
    ours.severity,
    ours.kind,
    ours.scanner,
    ours.fingerprint,
    basics.partialFingerprints,
    basics.suppressions,
    ours.cwe,
    ours.tags
  )
  if (ours.title !== undefined) finding.title = ours.title
  if (ours.securitySeverity !== undefined) finding.securitySeverity = ours.securitySeverity
  if (ours.package) finding.package = ours.package
  if (ours.image !== undefined) finding.image = ours.image
  if (ours.k8sObject) finding.k8sObject = ours.k8sObject
  return finding
}

function fromScanner(
  result: JsonObject,
  props: JsonObject | undefined,
  basics: ResultBasics,
  rule: RuleInfo | undefined,
  run: RunContext
): Finding {
  const ruleId = basics.ruleId
  const own = props?.['security-severity']
  const ownScore = parseScore(own)
  // Some tools write the band itself (`"High"`); it outranks the rule's score as the result's own score would.
  const ownWord = ownScore === undefined ? severityFromWord(own) : undefined
  const score = ownScore ?? (ownWord ? undefined : rule?.score)
  const severity: Severity =
    (NO_PROBLEM_KINDS.has(result.kind) ? 'info' : undefined) ??
    (score !== undefined ? severityFromScore(score) : undefined) ??
    ownWord ??
    rule?.scoreWord ??
    severityFromWord(props?.severity) ??
    rule?.word ??
    severityFromLevel(result.level) ??
    severityFromLevel(rule?.defaultLevel) ??
    'medium'
  const text = basics.message ?? rule?.title ?? ruleId
  const finding = new FindingRecord(
    ruleId,
    rule ? ruleAliases(rule, ruleId) : aliasesFrom(ruleId, advisoryIds([ruleId])),
    text,
    severity,
    inferKind(rule, run),
    run.scanner,
    '',
    basics.partialFingerprints,
    basics.suppressions,
    rule ? rule.cwe : (EMPTY as string[]),
    rule ? rule.tags : (EMPTY as string[])
  )
  if (rule?.title) finding.title = rule.title
  if (score !== undefined) finding.securitySeverity = score
  if (finding.kind === 'dependency' || finding.kind === 'image') {
    const pkg = readPackage(rule, text)
    if (pkg) finding.package = pkg
    const image = run.image ?? (run.scanner === 'grype' ? imageFromGrypeMessage(text) : undefined)
    if (image) {
      finding.image = image
      finding.kind = 'image'
    }
  }
  return finding
}

function inferKind(rule: RuleInfo | undefined, run: RunContext): FindingKind {
  if (rule?.kindHint) return rule.kindHint
  if (rule?.purl || DEPENDENCY_SCANNERS.has(run.scanner)) return 'dependency'
  return 'code'
}

function readPackage(rule: RuleInfo | undefined, message: string): PackageRef | undefined {
  const fromPurl = rule?.purl ? packageFromPurl(rule.purl) : undefined
  return fromPurl ?? packageFromMessage(message)
}

function imageFromGrypeMessage(message: string): string | undefined {
  const at = message.indexOf(' was found in image ')
  if (at === -1) return undefined
  const rest = message.slice(at + 20)
  const end = rest.indexOf(' ')
  return (end === -1 ? rest : rest.slice(0, end)) || undefined
}

function readLocation(raw: unknown, run: RunContext): SourceLocation | undefined {
  const first = asObject(Array.isArray(raw) ? raw[0] : undefined)
  const physical = asObject(first?.physicalLocation)
  if (!physical) return undefined
  const artifact = asObject(physical.artifactLocation)
  let uri = asString(artifact?.uri)
  if (!uri) {
    const index = asNumber(artifact?.index)
    uri = index === undefined ? undefined : asString(asObject(asObject(run.artifacts[index])?.location)?.uri)
  }
  if (!uri) return undefined
  const path = toRepoPath(uri, run.srcRoot, run.workspace)
  if (!path) return undefined
  const region = asObject(physical.region)
  if (!region) return { path }
  lastSnippet = asString(asObject(region.snippet)?.text)
  const startLine = asPositiveInt(region.startLine)
  const startColumn = asPositiveInt(region.startColumn)
  const endLine = asPositiveInt(region.endLine)
  const endColumn = asPositiveInt(region.endColumn)
  // Built whole when the region is complete (the usual case): one object instead of one grown in four steps.
  if (
    startLine !== undefined &&
    startColumn !== undefined &&
    endLine !== undefined &&
    endColumn !== undefined
  )
    return { path, startLine, startColumn, endLine, endColumn }
  const location: SourceLocation = { path }
  if (startLine !== undefined) location.startLine = startLine
  if (startColumn !== undefined) location.startColumn = startColumn
  if (endLine !== undefined) location.endLine = endLine
  if (endColumn !== undefined) location.endColumn = endColumn
  return location
}
