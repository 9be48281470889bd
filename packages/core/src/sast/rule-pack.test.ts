import { describe, expect, it } from '@jest/globals'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import * as path from 'node:path'
import { runProcess } from '../runtime/process.js'
import { engineEnv } from './engine-args.js'
import { cweId } from '../findings/ids.js'
import { loadRulePack, ruleDescriptor, rulePackProblems, severityOf } from './rule-pack.js'
import { RULES_DIR, semgrepBinary } from './test-helpers.js'

const pack = loadRulePack(RULES_DIR)

describe('bundled rule pack', () => {
  it('covers every language the issue names', () => {
    const languages = new Set(pack.rules.flatMap(rule => rule.languages))
    for (const language of ['javascript', 'typescript', 'python', 'go', 'java', 'dockerfile', 'yaml']) {
      expect(languages).toContain(language)
    }
    expect(pack.rules.length).toBeGreaterThanOrEqual(20)
  })

  it('gives every rule CWE, OWASP, confidence, security-severity, references and a ruleid/ok test file', () => {
    expect(rulePackProblems(pack)).toEqual([])
  })

  it('passes semgrep --test with the real engine', async () => {
    const outcome = await runProcess(
      semgrepBinary(),
      ['--test', '--metrics=off', '--disable-version-check', RULES_DIR],
      {
        cwd: RULES_DIR,
        deadlineMs: 170_000,
        env: engineEnv(process.env)
      }
    )
    const output = outcome.stdout + outcome.stderr
    expect(output).toMatch(new RegExp(`${pack.rules.length}/${pack.rules.length}: ✓ All tests passed`))
    expect(outcome.exitCode).toBe(0)
  }, 180_000)

  it('loads as one config directory without errors (rule files only, test targets skipped)', async () => {
    const empty = mkdtempSync(path.join(tmpdir(), 'sast-empty-'))
    writeFileSync(path.join(empty, 'ok.py'), 'print("hello")\n')
    const output = path.join(empty, 'out.json')
    const outcome = await runProcess(
      semgrepBinary(),
      [
        'scan',
        '--metrics=off',
        '--disable-version-check',
        '--json',
        '--output',
        output,
        '--config',
        RULES_DIR,
        empty
      ],
      { cwd: empty, deadlineMs: 110_000, env: engineEnv(process.env) }
    )
    const report = JSON.parse(readFileSync(output, 'utf8')) as { errors: unknown[]; results: unknown[] }
    expect(report.errors).toEqual([])
    expect(report.results).toEqual([])
    expect(outcome.exitCode).toBe(0)
  }, 120_000)
})

describe('rule metadata → SARIF rule descriptor', () => {
  const rule = pack.rules.find(r => r.id === 'py-sql-injection')
  if (!rule) throw new Error('py-sql-injection missing from the pack')

  it('takes severity from security-severity', () => {
    expect(rule.securitySeverity).toBe(8.8)
    expect(severityOf(rule)).toBe('high')
    expect(severityOf({ ...rule, securitySeverity: 9.3 })).toBe('critical')
    expect(severityOf({ ...rule, securitySeverity: undefined, engineSeverity: 'WARNING' })).toBe('medium')
  })

  it('carries help, CWE tags, precision and help link', () => {
    const descriptor = ruleDescriptor(rule)
    expect(descriptor).toMatchObject({
      id: 'py-sql-injection',
      severity: 'high',
      securitySeverity: 8.8,
      precision: 'high'
    })
    expect(descriptor.tags).toEqual(
      expect.arrayContaining(['security', 'external/cwe/cwe-89', 'owasp/A03:2021'])
    )
    expect(descriptor.help).toContain('References:')
    expect(descriptor.helpUri).toMatch(/^https:\/\//)
    expect(descriptor.shortDescription.length).toBeLessThanOrEqual(120)
  })

  it('extracts CWE ids', () => {
    expect(cweId('CWE-78: Improper Neutralization')).toBe('CWE-78')
    expect(cweId('no id')).toBeUndefined()
  })
})
