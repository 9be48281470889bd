import { describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import { deepStrictEqual } from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { check, Choices, choiceStream } from '../../../../test/support/report-fuzz.js'
import { SEVERITIES } from '../findings/finding.js'
import { ConfigurationError } from '../runtime/errors.js'
import { parsePolicy } from './load.js'
import type { GatePolicy } from './policy.js'

/*
 * The policy file parser against generated policies whose meaning is known: a valid file must read as
 * exactly what it says (the gate README's format, its documented defaults), and a file with one known
 * defect must be refused with a one-line ConfigurationError naming the file and where the defect is.
 */

const SOURCE = 'policy.yml'
const RUNS = 10_000
type Json = Record<string, unknown>

// ---- a small YAML emitter: block or flow collections, plain or quoted scalars ----

const RESERVED = /^(?:true|false|null|yes|no|on|off|y|n|~)$/i
const PLAIN = /^[A-Za-z][A-Za-z0-9 ._@/-]*$/

function scalar(c: Choices, value: unknown): string {
  if (typeof value !== 'string') return String(value)
  if (/^\d{4}-\d{2}-\d{2}$/.test(value) && c.bool()) return value
  const plain = PLAIN.test(value) && !RESERVED.test(value) && !value.endsWith(' ') && !value.includes(' #')
  return plain && c.bool() ? value : JSON.stringify(value)
}

const isCollection = (value: unknown): value is Json | unknown[] =>
  typeof value === 'object' && value !== null

function emit(c: Choices, value: Json | unknown[], indent: string): string {
  const lines: string[] = []
  const entries: [string | undefined, unknown][] = Array.isArray(value)
    ? value.map(item => [undefined, item])
    : Object.entries(value)
  for (const [key, item] of entries) {
    const head =
      key === undefined
        ? `${indent}-`
        : `${indent}${/^[a-z][a-z0-9-]*$/.test(key) ? key : JSON.stringify(key)}:`
    if (!isCollection(item)) lines.push(`${head} ${scalar(c, item)}`)
    else if (c.int(3) === 0 || Object.keys(item).length === 0) lines.push(`${head} ${JSON.stringify(item)}`)
    else lines.push(`${head}\n${emit(c, item, `${indent}  `)}`)
  }
  return lines.join('\n')
}

// ---- valid policies, as the user writes them ----

const WORDS = ['critical', 'HIGH', 'Medium', 'moderate', 'low', 'info', ' high ']
const normalWord = (word: string) =>
  word
    .trim()
    .toLowerCase()
    .replace(/^moderate$/, 'medium')

function thresholds(c: Choices): Json {
  const out: Json = {}
  if (c.bool()) out['fail-on'] = c.list(3, () => c.pick(WORDS))
  if (c.int(3) === 0) out['fix-available-only'] = c.bool()
  if (c.int(3) === 0) out.max = Object.fromEntries(c.list(2, () => [c.pick(SEVERITIES), c.int(20)]))
  return out
}

const DATES = ['2026-12-31', '2027-02-28', '2024-02-29', '2030-01-01']

function exception(c: Choices): Json {
  const id = c.pick(['CVE-2024-1234', 'GHSA-35jh-r3h4-6jhm', 'js.*', 'python.lang.security.eval'])
  const out: Json = c.bool() ? { id } : { rule: id }
  if (c.int(3) === 0) out.package = c.pick(['pkg:npm/lodash', 'lodash', 'pkg:npm/lodash@4.17.20'])
  if (c.int(3) === 0) out.path = c.pick(['src/legacy/**', 'web/package-lock.json'])
  if (c.int(4) === 0) out.image = 'ghcr.io/org/*'
  if (c.int(4) === 0) out.scanner = c.pick(['trivy', 'semgrep'])
  out.reason = c.pick(['not reachable', '  fix ships next sprint  '])
  out.owner = c.pick(['@org/platform', 'alice'])
  out.expires = c.pick(DATES)
  return out
}

const SWITCHES: [unknown, boolean][] = [
  [true, true],
  [false, false],
  ['on', true],
  ['off', false],
  ['enabled', true],
  ['disabled', false],
  ['true', true],
  ['false', false]
]

function policy(c: Choices): Json {
  const out: Json = {}
  if (c.bool()) out.version = 1
  if (c.int(4) !== 0) {
    const gate: Json = thresholds(c)
    if (c.int(3) === 0) gate['warn-only'] = c.bool()
    if (c.int(3) === 0) gate['max-exception-days'] = 1 + c.int(3650)
    if (c.int(3) === 0)
      gate.scanners = Object.fromEntries(
        c.list(2, () => [c.pick(['Trivy', 'semgrep', 'osv-scanner']), thresholds(c)])
      )
    if (c.int(3) === 0) gate.categories = { [c.pick(['sast', 'containers/app'])]: thresholds(c) }
    if (c.int(3) === 0) gate.upload = c.pick([true, false, 'auto'])
    if (c.int(3) === 0) gate.comment = c.pick([true, false, 'auto'])
    out.gate = gate
  }
  if (c.bool()) out.exceptions = c.list(3, () => exception(c))
  if (c.int(3) === 0) {
    out['k8s-policy'] = {
      rules: Object.fromEntries(
        c.list(3, () => [
          c.pick(['privileged-container', 'image-digest', 'pss-run-as-non-root']),
          c.pick(SWITCHES)[0]
        ])
      )
    }
  }
  return out
}

/** What a valid policy means, from the gate README: the values as written, the documented defaults. */
function meaning(file: Json, text: string): Omit<GatePolicy, 'source'> {
  const gate = (file.gate ?? {}) as Json
  const partial = (t: Json) => ({
    ...(t['fail-on'] ? { failOn: (t['fail-on'] as string[]).map(normalWord) } : {}),
    ...(t['fix-available-only'] !== undefined ? { fixAvailableOnly: t['fix-available-only'] } : {}),
    ...(t.max ? { max: t.max } : {})
  })
  const byName = (record: unknown) =>
    Object.fromEntries(
      Object.entries((record ?? {}) as Json).map(([k, v]) => [k.toLowerCase(), partial(v as Json)])
    )
  const switches = ((file['k8s-policy'] as Json | undefined)?.rules ?? {}) as Json
  return {
    defaults: {
      failOn: gate['fail-on'] ? (gate['fail-on'] as string[]).map(normalWord) : ['critical', 'high'],
      fixAvailableOnly: (gate['fix-available-only'] as boolean | undefined) ?? false,
      max: (gate.max as Json | undefined) ?? {}
    },
    scanners: byName(gate.scanners),
    categories: byName(gate.categories),
    warnOnly: (gate['warn-only'] as boolean | undefined) ?? false,
    maxExceptionDays: (gate['max-exception-days'] as number | undefined) ?? 90,
    upload: (gate.upload as boolean | 'auto' | undefined) ?? 'auto',
    comment: (gate.comment as boolean | 'auto' | undefined) ?? 'auto',
    exceptions: ((file.exceptions ?? []) as Json[]).map(e => ({
      ...e,
      reason: (e.reason as string).trim(),
      owner: (e.owner as string).trim()
    })) as GatePolicy['exceptions'],
    k8sRules: Object.fromEntries(
      Object.entries(switches).map(([id, value]) => [id, SWITCHES.find(([w]) => w === value)![1]])
    ),
    digest: createHash('sha256').update(text).digest('hex')
  } as Omit<GatePolicy, 'source'>
}

// ---- one known defect, and where the error must point ----

type Defect = (file: Json, c: Choices) => RegExp

const gateOf = (file: Json) => (file.gate ??= {}) as Json
const exceptionsOf = (file: Json, c: Choices) => {
  const list = ((file.exceptions as Json[] | undefined) ??= [exception(c)])
  if (list.length === 0) list.push(exception(c))
  const index = c.int(list.length)
  return { entry: list[index]!, at: `exceptions\\[${index}\\]` }
}

const DEFECTS: Defect[] = [
  file => ((file.note = 'x'), /"note"/),
  file => ((gateOf(file).failon = ['high']), /gate.*"failon"/),
  (file, c) => {
    const words = ((gateOf(file)['fail-on'] as string[] | undefined) ??= [])
    const at = c.int(words.length + 1)
    words.splice(at, 0, c.pick(['severe', 'urgent', '', 'none']))
    return new RegExp(`gate\\.fail-on\\[${at}\\]`)
  },
  (file, c) => {
    const severity = c.pick(SEVERITIES)
    gateOf(file).max = { [severity]: c.pick([-1, 1.5, 'many']) }
    return new RegExp(`gate\\.max\\.${severity}`)
  },
  (file, c) => ((gateOf(file)['max-exception-days'] = c.pick([0, 3651, -5])), /gate\.max-exception-days/),
  (file, c) => ((gateOf(file).upload = c.pick(['sometimes', 'yes', 1])), /gate\.upload/),
  (file, c) => {
    const { entry, at } = exceptionsOf(file, c)
    const field = c.pick(['reason', 'owner', 'expires'])
    delete entry[field]
    return new RegExp(`${at}\\.${field}`)
  },
  (file, c) => {
    const { entry, at } = exceptionsOf(file, c)
    entry.reason = '   '
    return new RegExp(`${at}\\.reason: is required`)
  },
  (file, c) => {
    const { entry, at } = exceptionsOf(file, c)
    entry.expires = c.pick(['2026-13-01', '26-1-1', 'next week', '2026-02-30x'])
    return new RegExp(`${at}\\.expires: must be a date written YYYY-MM-DD`)
  },
  (file, c) => {
    const { entry } = exceptionsOf(file, c)
    delete entry.id
    delete entry.rule
    return /needs `id`/
  },
  (file, c) => {
    const { entry } = exceptionsOf(file, c)
    entry.id = 'CVE-1'
    entry.rule = 'CVE-2'
    return /name the same thing/
  },
  (file, c) => {
    const { entry } = exceptionsOf(file, c)
    entry.approved = true
    return /"approved"/
  },
  // The issue's example: a section the gate once accepted unchecked.
  file => ((file['k8s-policy'] = { note: 'x' }), /k8s-policy.*"note"/),
  file => (
    (file['k8s-policy'] = { rules: { 'privileged-container': 'maybe' } }),
    /k8s-policy\.rules\.privileged-container/
  ),
  file => ((file.version = 2), /version/)
]

/** The outcome of parsing: the policy, or the ConfigurationError (one line, naming the file). */
function outcome(text: string): GatePolicy | ConfigurationError {
  try {
    return parsePolicy(text, SOURCE)
  } catch (error) {
    if (!(error instanceof ConfigurationError)) throw error
    check(error.message.includes(SOURCE), 'the error does not name the file', error.message)
    check(!error.message.includes('\n'), 'the error is not one line', error.message)
    return error
  }
}

describe('policy file parser, on generated policies', () => {
  it(`reads ${RUNS} generated policies as they are written, and refuses one defect at the place it is`, () => {
    fc.assert(
      fc.property(choiceStream, stream => {
        const c = new Choices(stream)
        const file = policy(c)
        const defect = c.int(3) === 0 ? c.pick(DEFECTS) : undefined
        const where = defect?.(file, c)
        const text = Object.keys(file).length === 0 ? '' : `${emit(c, file, '')}\n`
        const result = outcome(text)
        if (where) {
          check(result instanceof ConfigurationError, 'a defective policy was accepted', text)
          check(where.test(result.message), `the error does not point at ${where}`, result.message)
        } else {
          check(
            !(result instanceof ConfigurationError),
            'a valid policy was refused',
            `${text} → ${String(result)}`
          )
          const { source, ...read } = result
          check(source === SOURCE, 'source', source)
          deepStrictEqual(read, meaning(file, text))
        }
      }),
      { numRuns: RUNS }
    )
  })

  it('refuses a key written twice and an alias bomb, as YAML problems', () => {
    expect(outcome('version: 1\nversion: 1\n')).toEqual(
      expect.objectContaining({ message: expect.stringMatching(/not valid YAML/) })
    )
    const bomb = [
      'a: &a [x, x]',
      ...Array.from(
        { length: 20 },
        (_, i) =>
          `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [*${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}]`
      )
    ].join('\n')
    // 2^21 nodes once expanded: refused from the nodes counted, before any of it is built.
    expect(outcome(bomb)).toEqual(
      expect.objectContaining({
        message: expect.stringMatching(/not valid YAML: its aliases expand it to over 200000 nodes/)
      })
    )
  })
})

describe('policy file parser, on arbitrary text', () => {
  it(`reads ${RUNS} arbitrary texts as a well-formed policy or refuses them with a one-line error`, () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), text => {
        const result = outcome(text)
        if (result instanceof ConfigurationError) return
        check(
          result.defaults.failOn.every(s => (SEVERITIES as readonly string[]).includes(s)),
          'fail-on',
          result.defaults.failOn
        )
        for (const e of result.exceptions)
          check(/^\d{4}-\d{2}-\d{2}$/.test(e.expires) && e.reason !== '' && e.owner !== '', 'exception', e)
        check(result.digest === createHash('sha256').update(text).digest('hex'), 'digest', result.digest)
      }),
      { numRuns: RUNS }
    )
  })

  it('every cut of a valid policy reads as a policy or a one-line ConfigurationError', () => {
    const c = new Choices(new Uint32Array(64).map((_, i) => i * 7919))
    const text = `${emit(c, { version: 1, gate: { 'fail-on': ['critical', 'high'], max: { medium: 3 } }, exceptions: [exception(c)] }, '')}\n`
    const seen = new Set<string>()
    for (let cut = 0; cut <= text.length; cut++)
      seen.add(outcome(text.slice(0, cut)) instanceof ConfigurationError ? 'refused' : 'read')
    expect(seen).toEqual(new Set(['read', 'refused']))
  })
})
