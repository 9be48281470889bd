import { SEVERITIES, type Severity } from '../findings/finding.js'
import { describeException } from './exceptions.js'
import type { GatePolicy, ResolvedThresholds } from './policy.js'
import type { ExceptionEntry } from './schema.js'

/** Whether a change lets fewer findings fail the gate (weaker), more (stricter), or neither. */
export type ChangeEffect = 'weaker' | 'stricter' | 'neutral'

export interface PolicyChange {
  /** Where in the policy file, e.g. `gate.fail-on`, `exceptions`, `k8s-policy.rules.image-digest`. */
  field: string
  /** What changed, in words. */
  change: string
  effect: ChangeEffect
}

const list = (severities: readonly Severity[]) => `[${severities.join(', ')}]`

function failOnChange(field: string, before: Severity[], after: Severity[]): PolicyChange | undefined {
  const removed = before.filter(s => !after.includes(s))
  const added = after.filter(s => !before.includes(s))
  if (removed.length === 0 && added.length === 0) return undefined
  const words = [
    removed.length > 0 ? `no longer fails on ${removed.join(', ')}` : '',
    added.length > 0 ? `now fails on ${added.join(', ')}` : ''
  ].filter(Boolean)
  return {
    field,
    change: `${list(before)} → ${list(after)} (${words.join('; ')})`,
    effect: removed.length > 0 ? 'weaker' : 'stricter'
  }
}

function maxChanges(
  field: string,
  before: Partial<Record<Severity, number>>,
  after: Partial<Record<Severity, number>>
): PolicyChange[] {
  const changes: PolicyChange[] = []
  for (const severity of SEVERITIES) {
    const was = before[severity]
    const now = after[severity]
    if (was === now) continue
    const show = (n: number | undefined) => (n === undefined ? 'no maximum' : String(n))
    const weaker = now === undefined || (was !== undefined && now > was)
    changes.push({
      field: `${field}.${severity}`,
      change: `${show(was)} → ${show(now)}`,
      effect: weaker ? 'weaker' : 'stricter'
    })
  }
  return changes
}

/**
 * Threshold fields as written (`undefined` = inherited from the level above), judged by their effective
 * values: a scanner that inherits `fail-on` is compared through each policy's own defaults, but only when
 * its own setting changed, so a change to the defaults is reported once, under `gate`.
 */
function thresholdChanges(
  field: string,
  before: Partial<ResolvedThresholds>,
  after: Partial<ResolvedThresholds>,
  inheritedBefore: ResolvedThresholds,
  inheritedAfter: ResolvedThresholds
): PolicyChange[] {
  const changes: PolicyChange[] = []
  if (list(before.failOn ?? []) !== list(after.failOn ?? []) || !before.failOn !== !after.failOn) {
    const change = failOnChange(
      `${field}.fail-on`,
      before.failOn ?? inheritedBefore.failOn,
      after.failOn ?? inheritedAfter.failOn
    )
    if (change) changes.push(change)
  }
  const fixBefore = before.fixAvailableOnly ?? inheritedBefore.fixAvailableOnly
  const fixAfter = after.fixAvailableOnly ?? inheritedAfter.fixAvailableOnly
  if (before.fixAvailableOnly !== after.fixAvailableOnly && fixBefore !== fixAfter) {
    changes.push({
      field: `${field}.fix-available-only`,
      change: fixAfter
        ? 'switched on: package findings without a fix no longer block'
        : 'switched off: package findings block with or without a fix',
      effect: fixAfter ? 'weaker' : 'stricter'
    })
  }
  changes.push(...maxChanges(`${field}.max`, before.max ?? {}, after.max ?? {}))
  return changes
}

function namedThresholds(
  field: string,
  before: GatePolicy,
  after: GatePolicy,
  pick: (p: GatePolicy) => Record<string, Partial<ResolvedThresholds>>
): PolicyChange[] {
  const names = [...new Set([...Object.keys(pick(before)), ...Object.keys(pick(after))])].sort()
  return names.flatMap(name =>
    thresholdChanges(
      `${field}.${name}`,
      pick(before)[name] ?? {},
      pick(after)[name] ?? {},
      before.defaults,
      after.defaults
    )
  )
}

function toggleChanges(before: GatePolicy, after: GatePolicy): PolicyChange[] {
  const changes: PolicyChange[] = []
  if (before.warnOnly !== after.warnOnly)
    changes.push({
      field: 'gate.warn-only',
      change: after.warnOnly
        ? 'switched on: findings over the policy no longer fail the run'
        : 'switched off: findings over the policy fail the run',
      effect: after.warnOnly ? 'weaker' : 'stricter'
    })
  if (before.maxExceptionDays !== after.maxExceptionDays)
    changes.push({
      field: 'gate.max-exception-days',
      change: `${before.maxExceptionDays} → ${after.maxExceptionDays}`,
      effect: after.maxExceptionDays > before.maxExceptionDays ? 'weaker' : 'stricter'
    })
  for (const key of ['upload', 'comment'] as const) {
    if (before[key] !== after[key])
      changes.push({ field: `gate.${key}`, change: `${before[key]} → ${after[key]}`, effect: 'neutral' })
  }
  return changes
}

/** The fields that decide which findings an exception matches; two entries with the same ones are one exception. */
function scopeOf(entry: ExceptionEntry): string {
  const { id, rule, package: pkg, path, image, scanner, namespace, workload } = entry
  return JSON.stringify([id ?? rule, pkg, path, image, scanner, namespace, workload])
}

const NARROWING = ['package', 'path', 'image', 'scanner', 'namespace', 'workload'] as const

function breadthOf(entry: ExceptionEntry): string {
  const id = entry.id ?? entry.rule ?? ''
  const narrowed = NARROWING.some(key => entry[key] !== undefined)
  if (/^[*?]+$/.test(id.replace(/\*\*/g, '*'))) return narrowed ? ' (any id)' : ' (matches every finding)'
  return /[*?[]/.test(id) ? ' (a wildcard id)' : ''
}

/**
 * One entry per scope. Of entries with the same scope, any active one waives, so the one that expires last
 * says how long the scope is waived: a copy with a later date beside the reviewed entry must not hide.
 */
function byScope(entries: ExceptionEntry[]): Map<string, ExceptionEntry> {
  const scopes = new Map<string, ExceptionEntry>()
  for (const entry of entries) {
    const scope = scopeOf(entry)
    const known = scopes.get(scope)
    if (!known || entry.expires > known.expires) scopes.set(scope, entry)
  }
  return scopes
}

/**
 * An exception kept under its id with another scope. Only one that keeps every limit it had, adds one,
 * and ends no later matches less; any other reshaping may match more (a glob changed is not judged).
 */
function reshaped(previous: ExceptionEntry, entry: ExceptionEntry): PolicyChange {
  const dropped = NARROWING.filter(key => previous[key] !== undefined && entry[key] === undefined)
  const narrowed = NARROWING.every(key => previous[key] === undefined || previous[key] === entry[key])
  const later = entry.expires > previous.expires
  const scope = dropped.length > 0 ? ` (widened: no longer limited by ${dropped.join(', ')})` : ''
  const dates = entry.expires === previous.expires ? '' : `, expires ${previous.expires} → ${entry.expires}`
  return {
    field: 'exceptions',
    change: `${describeException(previous)} → ${describeException(entry)}${breadthOf(entry)}${narrowed ? ' (narrowed)' : scope}${dates}`,
    effect: narrowed && !later ? 'stricter' : 'weaker'
  }
}

function exceptionChanges(before: ExceptionEntry[], after: ExceptionEntry[]): PolicyChange[] {
  const field = 'exceptions'
  const was = byScope(before)
  const now = byScope(after)
  const changes: PolicyChange[] = []
  const removed = [...was].filter(([scope]) => !now.has(scope)).map(([, entry]) => entry)
  for (const [scope, entry] of now) {
    const old = was.get(scope)
    if (old) {
      if (entry.expires !== old.expires) {
        const later = entry.expires > old.expires
        changes.push({
          field,
          change: `${describeException(entry)}: expires ${old.expires} → ${entry.expires}`,
          effect: later ? 'weaker' : 'stricter'
        })
      }
      if (entry.reason !== old.reason || entry.owner !== old.owner)
        changes.push({
          field,
          change: `${describeException(entry)}: reason or owner changed`,
          effect: 'neutral'
        })
      continue
    }
    // Same id, other scope: the reviewed exception was reshaped, usually to match more.
    const replaced = removed.findIndex(r => (r.id ?? r.rule) === (entry.id ?? entry.rule))
    if (replaced >= 0) {
      const [previous] = removed.splice(replaced, 1)
      changes.push(reshaped(previous!, entry))
      continue
    }
    changes.push({
      field,
      change: `added ${describeException(entry)}${breadthOf(entry)}, expires ${entry.expires}`,
      effect: 'weaker'
    })
  }
  for (const entry of removed)
    changes.push({ field, change: `removed ${describeException(entry)}`, effect: 'stricter' })
  return changes
}

/** Rules are on unless switched off, so only a change of effective state is a change. */
function k8sRuleChanges(before: Record<string, boolean>, after: Record<string, boolean>): PolicyChange[] {
  const rules = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort()
  return rules.flatMap(rule => {
    const was = before[rule] ?? true
    const now = after[rule] ?? true
    if (was === now) return []
    return [
      {
        field: `k8s-policy.rules.${rule}`,
        change: now ? 'turned on' : 'turned off',
        effect: now ? ('stricter' as const) : ('weaker' as const)
      }
    ]
  })
}

/**
 * What a proposed policy changes against the one that decides: thresholds moved, warn-only switched on,
 * maximum counts raised, exceptions added, removed or widened, k8s rules turned off, upload and comment
 * toggles, weakening ones first. Pure: the gate shows the list beside the two verdicts.
 */
export function comparePolicies(before: GatePolicy, after: GatePolicy): PolicyChange[] {
  const changes = [
    ...thresholdChanges('gate', before.defaults, after.defaults, before.defaults, after.defaults),
    ...namedThresholds('gate.scanners', before, after, p => p.scanners),
    ...namedThresholds('gate.categories', before, after, p => p.categories),
    ...toggleChanges(before, after),
    ...exceptionChanges(before.exceptions, after.exceptions),
    ...k8sRuleChanges(before.k8sRules, after.k8sRules)
  ]
  // Weakening first: lists are shortened where shown, and reworded reasons placed before an added
  // wildcard must not push it out of sight. The sort is stable, so each group keeps the file's order.
  return changes.sort((a, b) => Number(b.effect === 'weaker') - Number(a.effect === 'weaker'))
}
