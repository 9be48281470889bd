import { describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import * as path from 'node:path'
import { cweId } from '../findings/ids.js'
import { compiledPackText, COMPILED_PACK, loadCompiledPack, ruleDescriptor, severityOf } from './pack.js'
import { loadRulePack, readRuleFiles, rulePackProblems } from './rule-pack.js'
import { RULES_DIR } from '../../../../test/support/sast.js'

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

  it('is compiled to pack.json exactly as the YAML files say (node --import tsx scripts/compile-rules.ts)', () => {
    const compiled = readFileSync(path.join(RULES_DIR, COMPILED_PACK), 'utf8')
    expect(compiled).toBe(compiledPackText(readRuleFiles(RULES_DIR)))
    const fromJson = loadCompiledPack(RULES_DIR)
    expect(fromJson.rules).toEqual(pack.rules)
    expect(fromJson.sources).toEqual(pack.sources)
  })
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
