import { globMatches } from '../runtime/glob-match.js'
import type { Finding, K8sObjectRef } from '../findings/finding.js'
import { ConfigurationError } from '../runtime/errors.js'
import type { ExceptionEntry } from './schema.js'

const DAY_MS = 24 * 60 * 60 * 1000

export type ExceptionState = 'active' | 'expired'

export interface ExceptionUse {
  entry: ExceptionEntry
  index: number
  state: ExceptionState
  /** Findings it matched: suppressed when active, reported but counted when expired. */
  matched: number
}

export interface ExceptionOutcome {
  /** Parallel to the findings: the exception that suppresses each one, if any. */
  suppressedBy: (ExceptionUse | undefined)[]
  used: ExceptionUse[]
  expired: ExceptionUse[]
  stale: ExceptionUse[]
}

export function describeException(entry: ExceptionEntry): string {
  const parts = [entry.id ?? entry.rule ?? '?']
  if (entry.package) parts.push(`package ${entry.package}`)
  if (entry.path) parts.push(`path ${entry.path}`)
  if (entry.image) parts.push(`image ${entry.image}`)
  if (entry.scanner) parts.push(`scanner ${entry.scanner}`)
  if (entry.namespace) parts.push(`namespace ${entry.namespace}`)
  if (entry.workload) parts.push(`workload ${entry.workload}`)
  return parts.join(', ')
}

/** Entries further out than the horizon are refused: an exception is a dated promise, not a waiver. */
export function checkExceptionHorizon(entries: ExceptionEntry[], today: string, maxDays: number): void {
  const limit = Date.parse(`${today}T00:00:00Z`) + maxDays * DAY_MS
  const tooFar = entries
    .map((entry, index) => ({ entry, index }))
    .filter(({ entry }) => Date.parse(`${entry.expires}T00:00:00Z`) > limit)
  if (tooFar.length > 0) {
    const list = tooFar.map(
      ({ entry, index }) => `exceptions[${index}] (${describeException(entry)}) expires ${entry.expires}`
    )
    throw new ConfigurationError(
      `${list.join('; ')}: more than ${maxDays} days ahead; choose an earlier date or raise gate.max-exception-days.`
    )
  }
}

const PRINTABLE_ASCII = /^[\x20-\x7e]*$/

/**
 * Equal but for case. For printable ASCII that is lower-casing both; anything else goes through ICU's
 * collator (accents count, case does not), whose first use costs 10 to 20 ms of a run.
 */
function sameId(a: string, b: string): boolean {
  if (PRINTABLE_ASCII.test(a) && PRINTABLE_ASCII.test(b)) return a.toLowerCase() === b.toLowerCase()
  return a.localeCompare(b, undefined, { sensitivity: 'accent' }) === 0
}

function matchesId(pattern: string, finding: Finding): boolean {
  const ids = [finding.ruleId, ...finding.aliases]
  if (/[*?[]/.test(pattern)) return ids.some(id => globMatches(id, pattern, { nocase: true }))
  return ids.some(id => sameId(id, pattern))
}

/** A versionless purl matches every version of the package; a versioned one matches exactly. */
function matchesPackage(pattern: string, finding: Finding): boolean {
  const pkg = finding.package
  if (!pkg) return false
  if (!pattern.startsWith('pkg:')) return sameId(pkg.name, pattern)
  const purl = pkg.purl?.split('?')[0]
  if (!purl) return false
  return sameId(purl, pattern) || purl.toLowerCase().startsWith(`${pattern.toLowerCase()}@`)
}

export function exceptionMatches(entry: ExceptionEntry, finding: Finding): boolean {
  const id = entry.id ?? entry.rule
  if (id && !matchesId(id, finding)) return false
  if (entry.package && !matchesPackage(entry.package, finding)) return false
  if (entry.path && !(finding.location && globMatches(finding.location.path, entry.path, { dot: true })))
    return false
  if (entry.image && !(finding.image && globMatches(finding.image, entry.image))) return false
  if (entry.scanner && !sameId(entry.scanner, finding.scanner)) return false
  if (entry.namespace && finding.k8sObject?.namespace !== entry.namespace) return false
  if (entry.workload && !(finding.k8sObject && workloadOf(finding.k8sObject) === entry.workload)) return false
  return true
}

/** `Kind/name` of a Kubernetes object, as an exception's `workload` names it. */
const workloadOf = (object: K8sObjectRef) => `${object.kind}/${object.name ?? ''}`

/** True when the exception's id (or glob) names `ruleId`, whatever else scopes it. */
export function exceptionNamesRule(entry: ExceptionEntry, ruleId: string): boolean {
  const id = entry.id ?? entry.rule
  if (!id) return false
  return /[*?[]/.test(id) ? globMatches(ruleId, id, { nocase: true }) : sameId(ruleId, id)
}

export function applyExceptions(
  findings: readonly Finding[],
  entries: ExceptionEntry[],
  today: string
): ExceptionOutcome {
  const todayMs = Date.parse(`${today}T00:00:00Z`)
  const uses: ExceptionUse[] = entries.map((entry, index) => ({
    entry,
    index,
    // An entry is good through the whole of its expiry day.
    state: Date.parse(`${entry.expires}T00:00:00Z`) >= todayMs ? 'active' : 'expired',
    matched: 0
  }))
  const suppressedBy = findings.map(finding => {
    let suppressor: ExceptionUse | undefined
    for (const use of uses) {
      if (!exceptionMatches(use.entry, finding)) continue
      use.matched++
      if (use.state === 'active' && !suppressor) suppressor = use
    }
    return suppressor
  })
  return {
    suppressedBy,
    used: uses.filter(u => u.state === 'active' && u.matched > 0),
    expired: uses.filter(u => u.state === 'expired'),
    stale: uses.filter(u => u.state === 'active' && u.matched === 0)
  }
}
