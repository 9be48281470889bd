import { describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import { readFileSync } from 'node:fs'
import * as path from 'node:path'
import { REPO_ROOT } from '../../../../test/support/shared-fixtures.js'
import { BrokenInputError } from '../runtime/errors.js'
import { buildSarifLog, serializeSarif } from './sarif/write.js'
import { parseReport } from './detect.js'
import { isSeverity } from './finding.js'

const KINDS = ['code', 'dependency', 'image', 'config', 'secret']

const DIR = path.join(REPO_ROOT, 'test', 'unit', 'fixtures', 'reports')
const NATIVE = ['trivy-fs.json', 'trivy-image.json', 'grype-dir.json', 'semgrep.json', 'osv-scanner.json']
const texts = [...NATIVE, 'extensions.sarif'].map(name => readFileSync(path.join(DIR, name), 'utf8'))
// Our own SARIF (with the secure-pipeline property bag) is an input too: the gate reads it back.
texts.push(
  serializeSarif(buildSarifLog([{ tool: { name: 'x' }, findings: parseReport(texts[0]!, 'seed').findings }]))
)
const NUM_RUNS = 10_000

/** Parses or fails with BrokenInputError; anything else (TypeError, RangeError, …) is a reader bug. */
function parsesOrRefuses(text: string): boolean {
  try {
    const report = parseReport(text, 'fuzz')
    // Whatever parsed must be usable downstream.
    for (const finding of report.findings) {
      if (typeof finding.ruleId !== 'string' || typeof finding.message !== 'string') return false
      if (typeof finding.fingerprint !== 'string' || finding.fingerprint === '') return false
      if (!isSeverity(finding.severity) || !KINDS.includes(finding.kind)) return false
      if (finding.securitySeverity !== undefined && !Number.isFinite(finding.securitySeverity)) return false
    }
    JSON.stringify(report)
    return true
  } catch (error) {
    if (error instanceof BrokenInputError) return true
    throw error
  }
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
  it('truncated at any point: parse or BrokenInputError', () => {
    fc.assert(
      fc.property(
        fc.nat({ max: texts.length - 1 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (which, at) => {
          const text = texts[which]!
          return parsesOrRefuses(text.slice(0, Math.floor(text.length * at)))
        }
      ),
      { numRuns: NUM_RUNS }
    )
  })

  it('any value replaced or removed: parse or BrokenInputError', () => {
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
          return parsesOrRefuses(JSON.stringify(mutated) ?? 'null')
        }
      ),
      { numRuns: NUM_RUNS }
    )
  })

  it('characters overwritten anywhere: parse or BrokenInputError', () => {
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
          return parsesOrRefuses(text)
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
      'null',
      '{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"x","rules":{"length":1e9}}},"results":[{"ruleIndex":1e9,"message":{}}]}]}'
    ]) {
      expect(parsesOrRefuses(text)).toBe(true)
    }
  })
})
