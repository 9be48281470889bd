// The policy file's exceptions for k8s-policy rules as admission exclusions. Only what the cluster can
// see is exported: a namespace and a workload. An exception scoped by repository path, image or package
// would waive more in the cluster than in CI, so it is listed instead, never widened.
import { exceptionNamesRule } from '../../policy/exceptions.js'
import type { ExceptionEntry } from '../../policy/schema.js'
import { RULES } from '../rules/catalog.js'
import { K8S_SCANNER } from '../to-findings.js'
import { celString } from './cel-text.js'

export interface ExceptionsToExport {
  entries: readonly ExceptionEntry[]
  /** YYYY-MM-DD: an exception that expired before today waives nothing and is not exported. */
  today: string
}

export interface ExportedException {
  entry: ExceptionEntry
  /** The exported rules it excludes the workload or namespace from. */
  rules: string[]
}

export interface ExceptionExport {
  /** Per rule id: CEL that is true for an object the rule's exceptions exclude. */
  excluded: Map<string, string>
  exported: ExportedException[]
  notExported: { entry: ExceptionEntry; reason: string }[]
}

const appliesToK8sPolicy = (entry: ExceptionEntry) =>
  (entry.scanner === undefined || entry.scanner.toLowerCase() === K8S_SCANNER) &&
  RULES.some(rule => exceptionNamesRule(entry, rule.id))

const META = 'object.metadata'
const ownedBy = (test: string) =>
  `(has(${META}.ownerReferences) && ${META}.ownerReferences.exists(r, ${test}))`

const escapeRegex = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

/**
 * The workload itself, and what its controller creates: an object it owns (a ReplicaSet, a Job, a
 * StatefulSet's or DaemonSet's Pod, and the Pod Gatekeeper expands from it), a Deployment's Pods (owned
 * by `<name>-<pod-template-hash>`) and a CronJob's Pods (owned by the Job `<name>-<scheduled time>`).
 */
function workloadTest(workload: string): string {
  const [kind = '', name = ''] = workload.split('/')
  const tests = [
    `(object.kind == ${celString(kind)} && has(${META}.name) && ${META}.name == ${celString(name)})`,
    ownedBy(`r.kind == ${celString(kind)} && r.name == ${celString(name)}`)
  ]
  if (kind === 'Deployment')
    tests.push(
      `(object.kind == 'Pod' && has(${META}.labels) && 'pod-template-hash' in ${META}.labels && ` +
        `${ownedBy(`r.kind == 'ReplicaSet' && r.name == ${celString(`${name}-`)} + ${META}.labels['pod-template-hash']`)})`
    )
  if (kind === 'CronJob')
    tests.push(
      `(object.kind == 'Pod' && ${ownedBy(`r.kind == 'Job' && r.name.matches(${celString(`^${escapeRegex(name)}-[0-9]+$`)})`)})`
    )
  return `(${tests.join(' || ')})`
}

/** CEL that is true for the objects one exception covers. */
function scopeTest(entry: ExceptionEntry): string {
  const tests = [
    ...(entry.namespace
      ? [`(has(${META}.namespace) && ${META}.namespace == ${celString(entry.namespace)})`]
      : []),
    ...(entry.workload ? [workloadTest(entry.workload)] : [])
  ]
  return tests.length === 1 ? tests[0]! : `(${tests.join(' && ')})`
}

function whyNot(entry: ExceptionEntry, today: string, exportedRules: readonly string[]): string | undefined {
  if (entry.expires < today) return `expired on ${entry.expires}: it waives nothing in CI either`
  const narrowedBy = (['path', 'image', 'package'] as const).filter(field => entry[field] !== undefined)
  if (narrowedBy.length > 0)
    return `also scoped by ${narrowedBy.join(', ')}, which the cluster cannot match the same way; excluding the whole workload or namespace would waive more than CI does`
  if (!entry.namespace && !entry.workload)
    return 'the policy file names no namespace or workload for it, so the cluster would waive it everywhere'
  if (!exportedRules.some(id => exceptionNamesRule(entry, id))) return 'names no rule of this export'
  return undefined
}

/** Which exceptions become exclusions of which exported rules, and why the others do not. */
export function exportExceptions(
  exceptions: ExceptionsToExport,
  exportedRules: readonly string[]
): ExceptionExport {
  const result: ExceptionExport = { excluded: new Map(), exported: [], notExported: [] }
  const byRule = new Map<string, string[]>()
  for (const entry of exceptions.entries.filter(appliesToK8sPolicy)) {
    const reason = whyNot(entry, exceptions.today, exportedRules)
    if (reason) {
      result.notExported.push({ entry, reason })
      continue
    }
    const rules = exportedRules.filter(id => exceptionNamesRule(entry, id))
    result.exported.push({ entry, rules })
    for (const id of rules) byRule.set(id, [...(byRule.get(id) ?? []), scopeTest(entry)])
  }
  for (const [id, tests] of byRule) result.excluded.set(id, tests.join(' || '))
  return result
}
