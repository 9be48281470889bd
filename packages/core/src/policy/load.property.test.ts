import { describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import { createHash } from 'node:crypto'
import { stringify } from 'yaml'
import { SEVERITIES } from '../findings/finding.js'
import { ConfigurationError } from '../runtime/errors.js'
import { parsePolicy } from './load.js'
import type { GatePolicy } from './policy.js'

const VALID = {
  version: 1,
  gate: {
    'fail-on': ['critical', 'high'],
    max: { medium: 3 },
    scanners: { trivy: { 'fix-available-only': true } }
  },
  exceptions: [{ id: 'CVE-2024-1', package: 'pkg:npm/a', reason: 'r', owner: 'o', expires: '2026-12-01' }]
}

function problemsOf(policy: GatePolicy, text: string): string[] {
  const problems: string[] = []
  for (const t of [policy.defaults, ...Object.values(policy.scanners), ...Object.values(policy.categories)])
    for (const severity of [...(t.failOn ?? []), ...Object.keys(t.max ?? {})])
      if (!(SEVERITIES as readonly string[]).includes(severity)) problems.push(`severity ${severity}`)
  for (const entry of policy.exceptions) {
    if (!entry.reason.trim() || !entry.owner.trim()) problems.push('exception without reason or owner')
    if (!/^\d{4}-\d{2}-\d{2}$/.test(entry.expires)) problems.push(`expiry ${entry.expires}`)
    if ((entry.id ?? entry.rule) === undefined) problems.push('exception without id')
  }
  if (policy.digest !== createHash('sha256').update(text).digest('hex')) problems.push('digest')
  return problems
}

/** Either a policy, or a ConfigurationError that names the file: never another error, never a crash. */
function outcomeOf(text: string): 'policy' | 'config-error' {
  try {
    const policy = parsePolicy(text, 'policy.yml')
    // What was accepted holds what the gate relies on: known severities, dated and owned exceptions,
    // and the digest of exactly the bytes that were read.
    expect(problemsOf(policy, text)).toEqual([])
    return 'policy'
  } catch (error) {
    if (!(error instanceof ConfigurationError)) throw error
    expect(error.message).toContain('policy.yml')
    expect(error.message).not.toContain('\n')
    return 'config-error'
  }
}

// Replaces one value somewhere in the valid policy with an arbitrary one.
function mutate(value: unknown, path: number[], replacement: unknown): unknown {
  if (path.length === 0 || value === null || typeof value !== 'object') return replacement
  const entries = Object.entries(value as Record<string, unknown>)
  if (entries.length === 0) return replacement
  const [head, ...rest] = path
  const index = head! % entries.length
  const copy: Record<string, unknown> | unknown[] = Array.isArray(value)
    ? [...value]
    : { ...(value as object) }
  const key = entries[index]![0]
  ;(copy as Record<string, unknown>)[key] = mutate(entries[index]![1], rest, replacement)
  return copy
}

describe('policy parsing under arbitrary input', () => {
  it('accepts the valid policy', () => {
    expect(outcomeOf(stringify(VALID))).toBe('policy')
  })

  it('never crashes on arbitrary text (10,000 cases)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), text => void outcomeOf(text)),
      { numRuns: 10_000 }
    )
  })

  it('never crashes when any value of a valid policy is replaced (10,000 cases)', () => {
    const seen = new Set<string>()
    fc.assert(
      fc.property(
        fc.array(fc.nat(), { maxLength: 6 }),
        fc.jsonValue({ maxDepth: 3 }),
        (path, replacement) => {
          seen.add(outcomeOf(stringify(mutate(VALID, path, replacement))))
        }
      ),
      { numRuns: 10_000 }
    )
    // Both ways out were taken, so the property did exercise the validation.
    expect(seen).toEqual(new Set(['policy', 'config-error']))
  })

  it('never crashes on truncated policies (every cut of the valid one)', () => {
    const text = stringify(VALID)
    for (let cut = 0; cut <= text.length; cut++) void outcomeOf(text.slice(0, cut))
  })
})
