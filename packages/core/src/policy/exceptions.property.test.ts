import { describe, it } from '@jest/globals'
import fc from 'fast-check'
import { deepStrictEqual } from 'node:assert/strict'
import { Choices, choiceStream } from '../../../../test/support/report-fuzz.js'
import type { Finding } from '../findings/finding.js'
import { applyExceptions } from './exceptions.js'
import type { ExceptionEntry } from './schema.js'

/*
 * Exception matching and expiry against findings and entries whose relations are known by construction.
 * Every finding has its own rule id, alias, package, file and image, chosen so that the ones of one finding
 * are prefixes of another's (CVE-2024-1001 / -10011, pkg1 / pkg10, src/m1 / src/m10, app1 / app10): an entry
 * aimed at one finding must match that finding only, an entry aimed at nothing must match nothing, and an
 * entry past its expiry date must never suppress. The expected outcome is worked out from the construction,
 * never by calling the matcher.
 */

const RUNS = 10_000
const SCANNERS = ['trivy', 'grype', 'semgrep']
const TODAY = ['2026-11-25', '2024-02-29', '2026-12-31', '2027-01-01']

/** Finding `n`'s own values; `n` and `10n + 1` share prefixes on purpose. */
const own = (n: number) => ({
  ruleId: `CVE-2024-${n}`,
  alias: `GHSA-aaaa-bbbb-${n}`,
  name: `pkg${n}`,
  version: `1.${n}.0`,
  path: `src/m${n}/file.js`,
  image: `ghcr.io/org/app${n}:1.${n}`
})

function finding(c: Choices, n: number): Finding {
  const v = own(n)
  const out: Finding = {
    ruleId: v.ruleId,
    aliases: [v.alias],
    message: 'm',
    severity: 'high',
    kind: 'dependency',
    scanner: c.pick(SCANNERS),
    fingerprint: `${n}`.padStart(32, '0'),
    partialFingerprints: {},
    suppressions: [],
    cwe: [],
    tags: []
  }
  if (c.int(4) !== 0)
    out.package = { name: v.name, purl: `pkg:npm/${v.name}@${v.version}`, fixedVersions: [] }
  if (c.int(4) !== 0) out.location = { path: v.path, startLine: 1 }
  if (c.int(3) === 0) out.image = v.image
  return out
}

const flipCase = (c: Choices, text: string) => (c.bool() ? text.toUpperCase() : text.toLowerCase())

/** A date `days` after `day` (UTC, written YYYY-MM-DD). */
function plusDays(day: string, days: number): string {
  const [y, m, d] = day.split('-').map(Number)
  return new Date(Date.UTC(y!, m! - 1, d! + days)).toISOString().slice(0, 10)
}

interface Aimed {
  entry: ExceptionEntry
  /** Which of the findings the entry must match, by construction. */
  matches: (f: Finding, n: number) => boolean
  active: boolean
}

/** An entry aimed at finding `target` (or at nothing), each narrowing either the target's own value or nobody's. */
function entry(c: Choices, findings: Finding[], ns: number[], today: string): Aimed {
  const index = c.int(findings.length + 1)
  const target = index < findings.length ? ns[index]! : undefined
  const t = target === undefined ? undefined : own(target)
  const tests: ((f: Finding, n: number) => boolean)[] = []
  const entry: Partial<ExceptionEntry> = {}
  const idField = c.bool() ? 'id' : 'rule'

  // The id (or rule) always narrows: the target's rule id or alias in any case, a glob every finding's id
  // or alias matches, or an id or glob no finding has (`CVE-2024-` is a prefix of all, not a glob).
  const idChoice = c.int(4)
  if (t && idChoice === 0) {
    entry[idField] = flipCase(c, t.ruleId)
    tests.push((_, n) => n === target)
  } else if (t && idChoice === 1) {
    entry[idField] = flipCase(c, t.alias)
    tests.push((_, n) => n === target)
  } else if (idChoice === 2) {
    entry[idField] = c.pick(['cve-2024-*', 'CVE-*', 'GHSA-*', '*'])
  } else {
    entry[idField] = c.pick(['CVE-1999-0001', 'CVE-2024-', 'GHSA-zzzz-*', 'CVE-2024-3?'])
    tests.push(() => false)
  }

  if (c.bool()) {
    const which = c.int(4)
    if (t && which === 0) entry.package = `pkg:npm/${t.name}`
    else if (t && which === 1) entry.package = `pkg:npm/${t.name}@${t.version}`
    else if (t && which === 2) entry.package = flipCase(c, t.name)
    else entry.package = c.pick(['pkg:npm/nobody', 'pkg:pypi/pkg1', 'pkg:npm/pkg1@9.9.9', 'pkg'])
    tests.push((f, n) => t !== undefined && which <= 2 && n === target && f.package !== undefined)
  }
  if (c.bool()) {
    const which = c.int(3)
    if (t && which === 0) entry.path = t.path
    else if (t && which === 1) entry.path = `${t.path.split('/').slice(0, 2).join('/')}/**`
    else entry.path = c.pick(['nowhere/**', 'src/m', 'src/m*/file.jsx'])
    tests.push((f, n) => t !== undefined && which <= 1 && n === target && f.location !== undefined)
  }
  if (c.int(3) === 0) {
    const which = c.int(3)
    if (t && which === 0) entry.image = t.image
    else if (t && which === 1) entry.image = `${t.image.split(':')[0]}:*`
    else entry.image = c.pick(['docker.io/**', 'ghcr.io/other/*'])
    tests.push((f, n) => t !== undefined && which <= 1 && n === target && f.image !== undefined)
  }
  if (c.int(3) === 0) {
    const scanner = c.pick([...SCANNERS, 'nessus'])
    entry.scanner = flipCase(c, scanner)
    tests.push(f => f.scanner === scanner)
  }
  const days = c.int(801) - 400
  return {
    entry: { ...entry, reason: 'r', owner: 'o', expires: plusDays(today, days) } as ExceptionEntry,
    matches: (f, n) => tests.every(test => test(f, n)),
    // Good through the whole of its expiry day.
    active: days >= 0
  }
}

describe('exception matching and expiry, on findings and entries of known relations', () => {
  it(`${RUNS} cases: an entry matches exactly its target, an expired entry never suppresses`, () => {
    fc.assert(
      fc.property(choiceStream, stream => {
        const c = new Choices(stream)
        const today = c.pick(TODAY)
        const ns = [...new Set(c.list(5, () => c.pick([1, 10, 11, 101, 2, 21])))]
        const findings = ns.map(n => finding(c, n))
        const aimed = c.list(5, () => entry(c, findings, ns, today))
        const outcome = applyExceptions(
          findings,
          aimed.map(a => a.entry),
          today
        )

        const matched = aimed.map(a => findings.filter((f, i) => a.matches(f, ns[i]!)).length)
        deepStrictEqual(
          outcome.suppressedBy.map(use => use?.index),
          findings.map((f, i) => {
            const first = aimed.findIndex(a => a.active && a.matches(f, ns[i]!))
            return first === -1 ? undefined : first
          })
        )
        const indices = (keep: (a: Aimed, i: number) => boolean) =>
          aimed.flatMap((a, i) => (keep(a, i) ? [[i, matched[i]]] : []))
        deepStrictEqual(
          outcome.used.map(u => [u.index, u.matched]),
          indices((a, i) => a.active && matched[i]! > 0)
        )
        deepStrictEqual(
          outcome.expired.map(u => [u.index, u.matched]),
          indices(a => !a.active)
        )
        deepStrictEqual(
          outcome.stale.map(u => [u.index, u.matched]),
          indices((a, i) => a.active && matched[i] === 0)
        )
      }),
      { numRuns: RUNS }
    )
  })
})
