import { describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import * as path from 'node:path'
import { memoryLogger } from '../runtime/logger.js'
import { SemgrepEngine } from './engine.js'
import { loadRulePack } from './rule-pack.js'
import { runSastScan } from './scan.js'
import { REPO_ROOT, RULES_DIR, semgrepBinary } from './test-helpers.js'

const APP = 'examples/app'

/** `| rule | file |` rows of EXPECTED.md, as `rule file` strings with the file relative to the repo. */
function expectedFindings(): string[] {
  const text = readFileSync(path.join(REPO_ROOT, APP, 'EXPECTED.md'), 'utf8')
  return [...text.matchAll(/^\| ([a-z][a-z0-9-]*) \| (\S+) \|$/gm)]
    .filter(m => m[1] !== 'rule')
    .map(m => `${m[1]} ${APP}/${m[2]}`)
    .sort()
}

describe('demo scan of examples/app with the real semgrep', () => {
  it('reports exactly the flaws EXPECTED.md lists: none missed, no false positive', async () => {
    const pack = loadRulePack(RULES_DIR)
    const engine = await SemgrepEngine.create({
      engine: 'semgrep',
      binaryPath: semgrepBinary(),
      logger: memoryLogger()
    })
    const result = await runSastScan(engine, {
      workspace: REPO_ROOT,
      scanPath: APP,
      pack,
      userConfigs: [],
      languages: undefined,
      exclude: [],
      mode: { kind: 'full', reason: 'demo' },
      ruleTimeoutSeconds: 30,
      deadlineMs: 170_000,
      logger: memoryLogger()
    })
    expect(result.problems.filter(p => p.level === 'error')).toEqual([])
    const expected = expectedFindings()
    expect(expected.length).toBeGreaterThanOrEqual(18)
    expect(result.findings.map(f => `${f.ruleId} ${f.location?.path}`).sort()).toEqual(expected)
    // Every language of the issue is represented among the findings.
    for (const prefix of ['js-', 'py-', 'go-', 'java-', 'dockerfile-', 'gha-', 'hardcoded-secret']) {
      expect(result.findings.some(f => f.ruleId.startsWith(prefix))).toBe(true)
    }
    expect(result.findings.every(f => f.securitySeverity !== undefined && f.cwe.length > 0)).toBe(true)
  }, 180_000)
})
