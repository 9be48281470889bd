import type {
  Finding,
  FindingKind,
  PackageRef,
  ScanReport,
  Severity,
  SourceLocation,
  Suppression,
  ToolInfo,
  ToolProblem
} from '../findings/finding.js'
import { computeFingerprint } from '../findings/fingerprint.js'
import { advisoryIds, aliasesOf } from '../findings/ids.js'
import {
  asArray,
  asNumber,
  asObject,
  asPositiveInt,
  asString,
  asStringMap,
  isObject,
  parseJsonText,
  type JsonObject
} from '../findings/json.js'
import { packageFromPurl } from '../findings/purl.js'
import {
  parseScore,
  severityFromLevel,
  severityFromScoreValue,
  severityFromWord
} from '../findings/severity.js'
import { BrokenInputError } from '../runtime/errors.js'
import { fromProperties, type SecurePipelineProperties } from './properties.js'
import { RuleTable, type RuleInfo } from './rules.js'
import { FINGERPRINT_KEY, PROPERTY_KEY } from './types.js'
import { packageFromMessage, scannerName, toRepoPath } from './read-helpers.js'

/** Scanners whose every result is a vulnerable package. */
const DEPENDENCY_SCANNERS = new Set(['grype', 'osv-scanner', 'dependency-check', 'snyk'])
const EMPTY: readonly string[] = Object.freeze([])

/**
 * Reads SARIF 2.1.0 from any tool into our Finding model.
 *
 * Severity precedence: our own `properties['secure-pipeline'].severity` > a `security-severity` score in
 * (0, 10] on the result, then on its rule (GitHub's bands: ≥9 critical, ≥7 high, ≥4 medium, >0 low) >
 * a severity word in result/rule `properties.severity` or in rule tags (Trivy) > the result's `level`,
 * then the rule's `defaultConfiguration.level` (Semgrep/Opengrep/CodeQL put it only there), then SARIF's
 * default `warning` (error→high, warning→medium, note→low, none→info).
 *
 * Text given as a string is parsed here and the raw results are released as they are converted, so peak
 * memory stays close to that of the parse itself.
 */
export function parseSarif(input: string | unknown, source: string): ScanReport {
  const owned = typeof input === 'string'
  const log = owned ? parseJsonText(input, source) : input
  if (!isObject(log)) throw new BrokenInputError(source, 'SARIF must be a JSON object')
  if (log.version !== '2.1.0') {
    throw new BrokenInputError(
      source,
      `unsupported SARIF version ${JSON.stringify(log.version)}; only 2.1.0 is read`
    )
  }
  if (!Array.isArray(log.runs)) throw new BrokenInputError(source, 'SARIF has no "runs" array')
  const report: ScanReport = { source, format: 'sarif', tools: [], findings: [], problems: [] }
  log.runs.forEach((run, index) => readRun(run, index, source, report, owned))
  return report
}

function readRun(raw: unknown, runIndex: number, source: string, report: ScanReport, release: boolean): void {
  const run = asObject(raw)
  const tool = asObject(run?.tool)
  const driver = asObject(tool?.driver)
  const driverName = asString(driver?.name)
  if (!run || !tool || !driver || !driverName) {
    throw new BrokenInputError(source, `runs[${runIndex}] has no tool.driver.name`)
  }
  const info: ToolInfo = { name: driverName }
  const version = asString(driver.version) ?? asString(driver.semanticVersion)
  if (version) info.version = version
  const informationUri = asString(driver.informationUri)
  if (informationUri) info.informationUri = informationUri
  report.tools.push(info)
  readProblems(run, driverName, report.problems)

  const results = run.results
  if (results === undefined || results === null) return
  if (!Array.isArray(results)) throw new BrokenInputError(source, `runs[${runIndex}].results is not an array`)
  const context = new RunContext(run, driver, asArray(tool.extensions), scannerName(driverName))
  for (let i = 0; i < results.length; i++) {
    const result = asObject(results[i])
    if (!result) throw new BrokenInputError(source, `runs[${runIndex}].results[${i}] is not an object`)
    report.findings.push(readResult(result, context))
    if (release) results[i] = undefined
  }
}

function readProblems(run: JsonObject, driverName: string, problems: ToolProblem[]): void {
  for (const rawInvocation of asArray(run.invocations)) {
    const invocation = asObject(rawInvocation)
    if (!invocation) continue
    let errors = 0
    for (const list of [invocation.toolExecutionNotifications, invocation.toolConfigurationNotifications]) {
      for (const rawNote of asArray(list)) {
        const note = asObject(rawNote)
        const level = note?.level ?? 'warning'
        if (!note || (level !== 'error' && level !== 'warning')) continue
        if (level === 'error') errors++
        const text =
          asString(asObject(note.message)?.text) ?? asString(asObject(note.descriptor)?.id) ?? 'no message'
        problems.push({ level, message: `${driverName}: ${text}` })
      }
    }
    if (invocation.executionSuccessful === false && errors === 0) {
      problems.push({
        level: 'error',
        message: `${driverName}: the tool reported executionSuccessful: false`
      })
    }
  }
}

class RunContext {
  readonly driverRules: RuleTable
  readonly extensionRules: RuleTable[]
  readonly category?: string
  readonly image?: string
  readonly srcRoot?: string
  readonly artifacts: unknown[]

  constructor(
    run: JsonObject,
    driver: JsonObject,
    extensions: unknown[],
    readonly scanner: string
  ) {
    this.driverRules = new RuleTable(driver.rules)
    this.extensionRules = extensions.map(extension => new RuleTable(asObject(extension)?.rules))
    const automationId = asString(asObject(run.automationDetails)?.id)
    if (automationId) {
      // GitHub: the category is the id up to its last `/`; an id without `/` is all category.
      const slash = automationId.lastIndexOf('/')
      this.category = slash > 0 ? automationId.slice(0, slash) : slash === 0 ? undefined : automationId
    }
    const props = asObject(run.properties)
    this.image = asString(props?.imageName) // Trivy image scans
    this.srcRoot = asString(asObject(asObject(run.originalUriBaseIds)?.SRCROOT)?.uri)
    this.artifacts = asArray(run.artifacts)
  }

  rule(result: JsonObject, ruleId: string | undefined): RuleInfo | undefined {
    const ref = asObject(result.rule)
    const index = asNumber(result.ruleIndex) ?? asNumber(ref?.index)
    const component = asNumber(asObject(ref?.toolComponent)?.index)
    const table = component === undefined ? this.driverRules : this.extensionRules[component]
    const byIndex = table?.at(index)
    if (byIndex && (!ruleId || byIndex.id === ruleId)) return byIndex
    if (!ruleId) return undefined
    const byId = table?.get(ruleId) ?? this.driverRules.get(ruleId)
    if (byId) return byId
    for (const extension of this.extensionRules) {
      const found = extension.get(ruleId)
      if (found) return found
    }
    return undefined
  }
}

function readResult(result: JsonObject, run: RunContext): Finding {
  const ref = asObject(result.rule)
  const rawRuleId = asString(result.ruleId) ?? asString(ref?.id)
  const rule = run.rule(result, rawRuleId)
  const ruleId = rawRuleId ?? rule?.id ?? 'unknown-rule'
  const props = asObject(result.properties)
  const ours = fromProperties(props?.[PROPERTY_KEY])
  const message = asString(asObject(result.message)?.text) ?? asString(asObject(result.message)?.markdown)
  const { location, snippet } =
    ours && props && (props[PROPERTY_KEY] as JsonObject).syntheticLocation === true
      ? { location: undefined, snippet: undefined }
      : readLocation(result.locations, run)

  const finding: Finding = ours
    ? fromOurs(ours, ruleId, message)
    : fromScanner(result, props, ruleId, rule, message, run)
  if (run.category) finding.category = run.category
  if (location) finding.location = location
  const helpUri = rule?.helpUri
  if (helpUri) finding.helpUri = helpUri
  finding.suppressions = readSuppressions(result.suppressions)
  finding.partialFingerprints = readFingerprints(result)
  const ourFingerprint = result.partialFingerprints && asObject(result.partialFingerprints)?.[FINGERPRINT_KEY]
  finding.fingerprint =
    ours?.fingerprint ??
    (typeof ourFingerprint === 'string' && ourFingerprint
      ? ourFingerprint
      : computeFingerprint(finding, snippet))
  return finding
}

function fromOurs(ours: SecurePipelineProperties, ruleId: string, message?: string): Finding {
  const finding: Finding = {
    ruleId,
    aliases: ours.aliases,
    message: message ?? ours.title ?? ruleId,
    severity: ours.severity,
    kind: ours.kind,
    scanner: ours.scanner,
    fingerprint: '',
    partialFingerprints: {},
    suppressions: [],
    cwe: ours.cwe,
    tags: ours.tags
  }
  if (ours.title !== undefined) finding.title = ours.title
  if (ours.securitySeverity !== undefined) finding.securitySeverity = ours.securitySeverity
  if (ours.package) finding.package = ours.package
  if (ours.image !== undefined) finding.image = ours.image
  return finding
}

function fromScanner(
  result: JsonObject,
  props: JsonObject | undefined,
  ruleId: string,
  rule: RuleInfo | undefined,
  message: string | undefined,
  run: RunContext
): Finding {
  const score = parseScore(props?.['security-severity']) ?? rule?.score
  const severity: Severity =
    (score !== undefined ? severityFromScoreValue(score) : undefined) ??
    severityFromWord(props?.severity) ??
    rule?.word ??
    severityFromLevel(result.level) ??
    severityFromLevel(rule?.defaultLevel) ??
    'medium'
  const ids = rule ? rule.advisoryIds : advisoryIds([ruleId])
  const text = message ?? rule?.title ?? ruleId
  const finding: Finding = {
    ruleId,
    aliases:
      ids.length === 0 || (ids.length === 1 && ids[0] === ruleId)
        ? (EMPTY as string[])
        : aliasesOf(ruleId, ids),
    message: text,
    severity,
    kind: 'code',
    scanner: run.scanner,
    fingerprint: '',
    partialFingerprints: {},
    suppressions: [],
    cwe: rule ? rule.cwe : (EMPTY as string[]),
    tags: rule ? rule.tags : (EMPTY as string[])
  }
  if (rule?.title) finding.title = rule.title
  if (score !== undefined) finding.securitySeverity = score
  finding.kind = inferKind(rule, run)
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

function readLocation(raw: unknown, run: RunContext): { location?: SourceLocation; snippet?: string } {
  const first = asObject(Array.isArray(raw) ? raw[0] : undefined)
  const physical = asObject(first?.physicalLocation)
  if (!physical) return {}
  const artifact = asObject(physical.artifactLocation)
  let uri = asString(artifact?.uri)
  if (!uri) {
    const index = asNumber(artifact?.index)
    uri = index === undefined ? undefined : asString(asObject(asObject(run.artifacts[index])?.location)?.uri)
  }
  if (!uri) return {}
  const location: SourceLocation = { path: toRepoPath(uri, run.srcRoot) }
  const region = asObject(physical.region)
  let snippet: string | undefined
  if (region) {
    const startLine = asPositiveInt(region.startLine)
    if (startLine !== undefined) location.startLine = startLine
    const startColumn = asPositiveInt(region.startColumn)
    if (startColumn !== undefined) location.startColumn = startColumn
    const endLine = asPositiveInt(region.endLine)
    if (endLine !== undefined) location.endLine = endLine
    const endColumn = asPositiveInt(region.endColumn)
    if (endColumn !== undefined) location.endColumn = endColumn
    snippet = asString(asObject(region.snippet)?.text)
  }
  return { location, snippet }
}

function readSuppressions(raw: unknown): Suppression[] {
  if (!Array.isArray(raw) || raw.length === 0) return []
  const out: Suppression[] = []
  for (const item of raw) {
    const entry = asObject(item)
    if (!entry) continue
    const suppression: Suppression = { kind: entry.kind === 'inSource' ? 'inSource' : 'external' }
    const status = entry.status
    if (status === 'accepted' || status === 'underReview' || status === 'rejected')
      suppression.status = status
    const justification = asString(entry.justification)
    if (justification) suppression.justification = justification
    out.push(suppression)
  }
  return out
}

/** Partial fingerprints plus full `fingerprints` (Semgrep's matchBasedId/v1), without our own key. */
function readFingerprints(result: JsonObject): Record<string, string> {
  const hasFull = isObject(result.fingerprints)
  const hasPartial = isObject(result.partialFingerprints)
  if (!hasFull && !hasPartial) return {}
  const merged = { ...asStringMap(result.fingerprints), ...asStringMap(result.partialFingerprints) }
  delete merged[FINGERPRINT_KEY]
  return merged
}
