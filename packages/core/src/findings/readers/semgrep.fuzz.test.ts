import { deepStrictEqual } from 'node:assert/strict'
import { describe, it } from '@jest/globals'
import {
  Choices,
  FUZZ_RUNS,
  fuzzReader,
  message,
  reportPath,
  score
} from '../../../../../test/support/report-fuzz.js'

const SEVERITIES = [
  'ERROR',
  'WARNING',
  'INFO',
  'CRITICAL',
  'HIGH',
  'MEDIUM',
  'LOW',
  'INVENTORY',
  'EXPERIMENT'
]
const RULES = ['python.lang.security.eval', 'rules.taint-trace', 'constructor', 'js-sql-injection']

function securitySeverity(c: Choices): unknown {
  return c.weighted<unknown>([
    [4, () => undefined],
    [2, () => score(c)],
    [1, () => score(c).toFixed(1)],
    // Not scores: the rule severity decides.
    [1, () => c.pick([0, 11, -1, 'high', '', null])]
  ])
}

function result(c: Choices) {
  const path = reportPath(c)
  const line = 1 + c.int(200)
  const metadata: Record<string, unknown> = { cwe: c.pick(['CWE-89: SQL Injection', ['CWE-79', 'CWE-89']]) }
  const level = securitySeverity(c)
  if (level !== undefined) metadata['security-severity'] = level
  return {
    path,
    result: {
      check_id: c.pick(RULES),
      path: path.raw,
      start: { line, col: 1 + c.int(40), offset: c.int(5000) },
      end: { line: line + c.int(3), col: 1 + c.int(40), offset: c.int(5000) },
      extra: {
        message: message(c),
        severity: c.pick(SEVERITIES),
        metadata,
        is_ignored: c.bool(),
        fingerprint: c.pick(['requires login', '0123456789abcdef0123456789abcdef_0', '0x42']),
        lines: c.pick(['requires login', 'eval(x)'])
      }
    }
  }
}

const error = (c: Choices) => ({
  level: c.pick(['error', 'warn', 'warning']),
  type: c.pick(['Syntax error', 'Rule parse error', ['PartialParsing', []]]),
  message: message(c),
  path: c.maybe(() => 'x.py')
})

function generate(c: Choices) {
  const results = c.list(6, () => result(c))
  const errors = c.list(2, () => error(c))
  const raw = {
    errors,
    paths: { scanned: results.map(r => r.result.path) },
    results: results.map(r => r.result),
    version: '1.100.0'
  }
  return { results, errors, raw }
}

describe('Semgrep JSON reader, fuzzed', () => {
  it(`reads ${FUZZ_RUNS} generated reports as Semgrep documents them; any cut is a broken input`, () => {
    fuzzReader({
      format: 'semgrep-json',
      generate,
      expect: (parsed, { results, errors }) => {
        deepStrictEqual(
          parsed.findings.map(f => ({
            id: f.ruleId,
            kind: f.kind,
            path: f.location?.path,
            line: f.location?.startLine,
            suppressed: f.suppressions.map(s => s.kind)
          })),
          results.map(({ path, result: r }) => ({
            id: r.check_id,
            kind: 'code',
            path: path.repo,
            line: path.repo ? r.start.line : undefined,
            suppressed: r.extra.is_ignored ? ['inSource'] : []
          }))
        )
        deepStrictEqual(
          parsed.problems.map(p => p.level),
          errors.map(e => (e.level === 'error' ? 'error' : 'warning'))
        )
      }
    })
  })
})
