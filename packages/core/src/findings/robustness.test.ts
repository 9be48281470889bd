import { describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import { readFileSync } from 'node:fs'
import * as path from 'node:path'
import { REPO_ROOT } from '../../../../test/support/repo-root.js'
import { check, checkWellFormed } from '../../../../test/support/report-fuzz.js'
import { BrokenInputError } from '../runtime/errors.js'
import { buildSarifLog, serializeSarif } from './sarif/write.js'
import { parseReport } from './detect.js'
import type { ReportFormat, ScanReport } from './finding.js'

const DIR = path.join(REPO_ROOT, 'test', 'unit', 'fixtures', 'reports')
const NATIVE = ['trivy-fs.json', 'trivy-image.json', 'grype-dir.json', 'semgrep.json', 'osv-scanner.json']
const texts = [...NATIVE, 'extensions.sarif'].map(name => readFileSync(path.join(DIR, name), 'utf8'))
// Our own SARIF (with the secure-pipeline property bag) is an input too: the gate reads it back.
texts.push(
  serializeSarif(buildSarifLog([{ tool: { name: 'x' }, findings: parseReport(texts[0]!, 'seed').findings }]))
)
const NUM_RUNS = 10_000

type Raw = Record<string, unknown>
const items = (value: unknown): unknown[] => (Array.isArray(value) ? value : [])
const count = (value: unknown): number => items(value).length
const sum = (values: number[]) => values.reduce((a, b) => a + b, 0)
const field = (value: unknown, key: string): unknown =>
  value && typeof value === 'object' && Object.hasOwn(value, key) ? (value as Raw)[key] : undefined

/**
 * The most findings a report of this format can hold: its result entries, counted from the raw JSON by
 * each format's documented layout (not by our readers). Damage may lose findings, never add some.
 */
function resultEntries(format: ReportFormat, raw: Raw): number {
  switch (format) {
    case 'sarif':
      return sum(items(raw.runs).map(run => count(field(run, 'results'))))
    case 'trivy-json':
      return sum(
        items(raw.Results).map(r =>
          sum(['Vulnerabilities', 'Misconfigurations', 'Secrets'].map(k => count(field(r, k))))
        )
      )
    case 'grype-json':
      return count(raw.matches)
    case 'semgrep-json':
      return count(raw.results)
    case 'osv-scanner-json':
      return sum(
        items(raw.results).map(r =>
          sum(
            // A group each, and a record no group names is one of its own.
            items(field(r, 'packages')).map(
              p => count(field(p, 'groups')) + count(field(p, 'vulnerabilities'))
            )
          )
        )
      )
    case 'cyclonedx-json':
      // One per affected component; one naming none is a finding still.
      return sum(items(raw.vulnerabilities).map(v => Math.max(1, count(field(v, 'affects')))))
  }
}

/**
 * Damaged text either fails as a BrokenInputError, or reads as a report that holds no more findings than
 * the text has result entries, each well formed (one of the five severities, a score in (0, 10], a
 * repository location). Anything else thrown (TypeError, RangeError, …) is a reader bug.
 */
function readsOrRefuses(text: string): 'read' | 'refused' {
  let report: ScanReport
  try {
    report = parseReport(text, 'fuzz')
  } catch (error) {
    if (error instanceof BrokenInputError) return 'refused'
    throw error
  }
  checkWellFormed(report)
  const raw = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text) as Raw
  const entries = resultEntries(report.format, raw)
  check(
    report.findings.length <= entries,
    `more findings than ${report.format} result entries (${entries})`,
    report.findings.length
  )
  JSON.stringify(report)
  return 'read'
}

type Path = (string | number)[]

function pathsOf(value: unknown, prefix: Path = [], out: Path[] = []): Path[] {
  out.push(prefix)
  if (Array.isArray(value)) value.forEach((item, i) => pathsOf(item, [...prefix, i], out))
  else if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) pathsOf(item, [...prefix, key], out)
  }
  return out
}

function replaceAt(root: unknown, at: Path, replacement: unknown, remove: boolean): unknown {
  if (at.length === 0) return replacement
  const copy = structuredClone(root) as Record<string | number, unknown>
  let parent = copy
  for (const key of at.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>
  const last = at[at.length - 1]!
  if (remove && Array.isArray(parent)) parent.splice(last as number, 1)
  else if (remove) delete parent[last]
  else parent[last] = replacement
  return copy
}

const documents = texts.map(text => JSON.parse(text) as unknown)
const documentPaths = documents.map(doc => pathsOf(doc))

describe('readers never crash on damaged input', () => {
  it('cut anywhere before its end: always a BrokenInputError, never fewer findings', () => {
    fc.assert(
      fc.property(fc.nat({ max: texts.length - 1 }), fc.nat(), (which, at) => {
        const text = texts[which]!.trimEnd()
        check(readsOrRefuses(text.slice(0, at % text.length)) === 'refused', 'a cut report was read')
      }),
      { numRuns: NUM_RUNS }
    )
  })

  it('any value replaced or removed: a BrokenInputError, or well-formed findings no more than its entries', () => {
    fc.assert(
      fc.property(
        fc.nat({ max: documents.length - 1 }),
        fc.nat(),
        fc.oneof(
          fc.jsonValue({ maxDepth: 3 }),
          fc.constantFrom(
            null,
            -1,
            0,
            1.5,
            '',
            'x',
            [],
            {},
            true,
            1e308,
            'constructor',
            '__proto__',
            'toString',
            'CRITICAL'
          )
        ),
        fc.boolean(),
        (which, pick, replacement, remove) => {
          const paths = documentPaths[which]!
          const mutated = replaceAt(documents[which], paths[pick % paths.length]!, replacement, remove)
          readsOrRefuses(JSON.stringify(mutated) ?? 'null')
        }
      ),
      { numRuns: NUM_RUNS }
    )
  })

  it('characters overwritten anywhere: a BrokenInputError, or well-formed findings no more than its entries', () => {
    fc.assert(
      fc.property(
        fc.nat({ max: texts.length - 1 }),
        fc.array(fc.tuple(fc.nat(), fc.string({ minLength: 1, maxLength: 3 })), {
          minLength: 1,
          maxLength: 4
        }),
        (which, edits) => {
          let text = texts[which]!
          for (const [at, chars] of edits) {
            const i = at % text.length
            text = text.slice(0, i) + chars + text.slice(i + chars.length)
          }
          readsOrRefuses(text)
        }
      ),
      { numRuns: NUM_RUNS }
    )
  })

  it('refuses deep nesting, huge numbers and wrong top-level types cleanly', () => {
    for (const text of [
      '['.repeat(200_000) + ']'.repeat(200_000),
      '{"a":'.repeat(50_000) + '1' + '}'.repeat(50_000),
      '1e999',
      '"a string"',
      'null'
    ]) {
      expect(readsOrRefuses(text)).toBe('refused')
    }
    const hugeIndex =
      '{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"x","rules":{"length":1e9}}},"results":[{"ruleIndex":1e9,"message":{}}]}]}'
    expect(readsOrRefuses(hugeIndex)).toBe('read')
    expect(parseReport(hugeIndex, 'x').findings.map(f => f.ruleId)).toEqual(['unknown-rule'])
  })
})
