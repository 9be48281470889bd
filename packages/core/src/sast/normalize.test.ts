import { describe, expect, it } from '@jest/globals'
import { BrokenInputError } from '../runtime/errors.js'
import { normalizeEngineReport, packRuleFor, type ReadSource } from './normalize.js'
import { loadCompiledPack } from './pack.js'
import { RULES_DIR } from '../../../../test/support/sast.js'

const pack = loadCompiledPack(RULES_DIR)

/** The scanned files' text, as the caller hands it over. */
const sourcesOf =
  (files: Record<string, string>): ReadSource =>
  file =>
    files[file]

function result(checkId: string, file: string, line: number, extra: Record<string, unknown> = {}) {
  return {
    check_id: checkId,
    path: file,
    start: { line, col: 1, offset: 0 },
    end: { line, col: 30, offset: 29 },
    extra: {
      message: 'msg',
      metadata: {},
      severity: 'WARNING',
      fingerprint: 'requires login',
      lines: 'requires login',
      ...extra
    }
  }
}

const report = (results: unknown[], errors: unknown[] = []) =>
  JSON.stringify({ version: '1.185.0', results, errors, paths: { scanned: [] } })

describe('normalizeEngineReport', () => {
  it('maps check ids with a directory prefix to our rule and takes its severity and metadata', () => {
    const ws = sourcesOf({ 'a.py': 'import os\nos.system("x" + y)\n' })
    const out = normalizeEngineReport(
      report([result('rules.python.py-command-injection', 'a.py', 2)]),
      'r.json',
      { engine: 'semgrep', pack, readSource: ws }
    )
    expect(out.findings).toHaveLength(1)
    expect(out.findings[0]).toMatchObject({
      ruleId: 'py-command-injection',
      severity: 'critical',
      securitySeverity: 9,
      scanner: 'semgrep',
      cwe: ['CWE-78'],
      kind: 'code',
      location: { path: 'a.py', startLine: 2 }
    })
    expect(out.findings[0]?.helpUri).toMatch(/^https:/)
    // The rule's message as written, not the engine's rendering of it.
    expect(out.findings[0]?.message).toBe(pack.rules.find(r => r.id === 'py-command-injection')?.message)
    expect(out.tools[0]).toMatchObject({ name: 'semgrep', version: '1.185.0' })
  })

  it('keeps rules it does not know (user configs) with the engine severity', () => {
    const ws = sourcesOf({ 'b.js': 'foo()\n' })
    const out = normalizeEngineReport(report([result('custom.rule', 'b.js', 1)]), 'r.json', {
      engine: 'semgrep',
      pack,
      readSource: ws
    })
    expect(out.findings[0]).toMatchObject({ ruleId: 'custom.rule', severity: 'medium' })
  })

  it('gives the same fingerprint when the match moves to another line, and distinct ones to repeats', () => {
    const before = sourcesOf({ 'a.py': 'os.system("x" + y)\n' })
    const after = sourcesOf({ 'a.py': '\n\n\nos.system("x" + y)\nos.system("x" + y)\n' })
    const id = 'py-command-injection'
    const one = normalizeEngineReport(report([result(id, 'a.py', 1)]), 'r', {
      engine: 'semgrep',
      pack,
      readSource: before
    })
    const two = normalizeEngineReport(report([result(id, 'a.py', 4), result(id, 'a.py', 5)]), 'r', {
      engine: 'semgrep',
      pack,
      readSource: after
    })
    expect(two.findings[0]?.fingerprint).toBe(one.findings[0]?.fingerprint)
    expect(two.findings[1]?.fingerprint).not.toBe(two.findings[0]?.fingerprint)
  })

  it('drops the engine reporting one range twice for one rule', () => {
    const ws = sourcesOf({ 'a.ts': 'pool.query(`SELECT ${x}`)\n' })
    const dup = result('js-sql-injection', 'a.ts', 1)
    const out = normalizeEngineReport(report([dup, dup]), 'r', { engine: 'semgrep', pack, readSource: ws })
    expect(out.findings).toHaveLength(1)
  })

  it('refuses output that is not JSON or not a Semgrep report', () => {
    const ws = sourcesOf({})
    expect(() =>
      normalizeEngineReport('Segmentation fault\n{"res', 'r.json', {
        engine: 'semgrep',
        pack,
        readSource: ws
      })
    ).toThrow(BrokenInputError)
    expect(() =>
      normalizeEngineReport('{"results": 3}', 'r.json', { engine: 'semgrep', pack, readSource: ws })
    ).toThrow(BrokenInputError)
  })

  it('turns engine errors into problems with our levels', () => {
    const out = normalizeEngineReport(
      report(
        [],
        [{ code: 2, level: 'error', type: 'Rule parse error', rule_id: 'bad', message: 'Invalid pattern' }]
      ),
      'r',
      { engine: 'semgrep', pack, readSource: sourcesOf({}) }
    )
    expect(out.problems).toEqual([
      { level: 'error', message: 'semgrep Rule parse error in rule bad: Invalid pattern' }
    ])
  })
})

describe('packRuleFor', () => {
  const byId = new Map(pack.rules.map(rule => [rule.id, rule]))
  it('matches exact ids and the last dotted segment only', () => {
    expect(packRuleFor('go-weak-hash', byId)?.id).toBe('go-weak-hash')
    expect(packRuleFor('tmp.x.rules.go.go-weak-hash', byId)?.id).toBe('go-weak-hash')
    expect(packRuleFor('go-weak-hash.other', byId)).toBeUndefined()
  })
})
