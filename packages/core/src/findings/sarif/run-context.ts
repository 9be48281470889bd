import { BrokenInputError } from '../../runtime/errors.js'
import type { ToolProblem } from '../finding.js'
import { asArray, asNumber, asObject, asString, type JsonObject } from '../json.js'
import { boundedText } from './bounded-text.js'
import { RuleTable, type RuleInfo } from './rules.js'

/**
 * Scanner problems reported in `invocations[]`; notes are not problems. An invocation list, invocation or
 * notification list that is not in SARIF's shape is a broken report: skipping it would skip a failed run.
 */
export function readProblems(
  run: JsonObject,
  driverName: string,
  problems: ToolProblem[],
  at: { source: string; runIndex: number }
): void {
  const where = `runs[${at.runIndex}].invocations`
  for (const rawInvocation of shapedArray(run.invocations, at.source, where)) {
    const invocation = asObject(rawInvocation)
    if (!invocation) throw new BrokenInputError(at.source, `${where} has an entry that is not an object`)
    let errors = 0
    for (const key of ['toolExecutionNotifications', 'toolConfigurationNotifications'] as const) {
      for (const rawNote of shapedArray(invocation[key], at.source, `${where}[].${key}`)) {
        const note = asObject(rawNote)
        const level = note && notificationLevel(note.level)
        if (!note || !level) continue
        if (level === 'error') errors++
        const text =
          asString(asObject(note.message)?.text) ?? asString(asObject(note.descriptor)?.id) ?? 'no message'
        problems.push({ level, message: `${driverName}: ${text}` })
      }
    }
    // SARIF 2.1.0 makes it a boolean: "false" (a string) or 0 is a failed or malformed run, never success.
    const succeeded = invocation.executionSuccessful
    if (succeeded !== undefined && succeeded !== true && errors === 0) {
      problems.push({
        level: 'error',
        message: `${driverName}: the tool reported executionSuccessful: ${JSON.stringify(succeeded)}`
      })
    }
    // A process a signal ended did not finish, whatever else the invocation says.
    const signal = asString(invocation.exitSignalName)
    if (signal) problems.push({ level: 'error', message: `${driverName}: the tool was killed by ${signal}` })
  }
}

function shapedArray(value: unknown, source: string, where: string): unknown[] {
  if (value === undefined) return []
  if (!Array.isArray(value)) throw new BrokenInputError(source, `${where} is not an array`)
  return value
}

/**
 * A notification's level as a problem level; undefined for notes. Absent is `warning` (SARIF §3.58.6); a
 * level in another case is read as that level, and one SARIF does not define (`fatal`) as an error.
 */
function notificationLevel(value: unknown): ToolProblem['level'] | undefined {
  if (value === undefined) return 'warning'
  const level = typeof value === 'string' ? value.toLowerCase() : value
  if (level === 'note' || level === 'none') return undefined
  return level === 'warning' ? 'warning' : 'error'
}

/** What every result of a run shares: rule tables, category, image, base uri. */
export class RunContext {
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
    readonly scanner: string,
    /** Workspace root ending in `/`, stripped from absolute paths. */
    readonly workspace?: string
  ) {
    this.driverRules = new RuleTable(driver.rules)
    this.extensionRules = extensions.map(extension => new RuleTable(asObject(extension)?.rules))
    const automationId = boundedText(asString(asObject(run.automationDetails)?.id))
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
