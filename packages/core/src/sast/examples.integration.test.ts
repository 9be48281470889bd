import { describe, expect, it } from '@jest/globals'
import { memoryLogger } from '../runtime/logger.js'
import { SemgrepEngine } from './engine.js'
import { loadCompiledPack } from './pack.js'
import { loadRulePack } from './rule-pack.js'
import type { SarifLog } from '../findings/sarif/types.js'
import { demoAppExpected } from '../../../../test/support/demo-app.js'
import { runSastScan } from './scan.js'
import { REPO_ROOT, RULES_DIR, semgrepBinary } from '../../../../test/support/sast.js'

const APP = 'examples/app'

/** Each rule's message as its YAML file states it (whitespace folded as YAML `>-` folds it). */
const WRITTEN = new Map(loadRulePack(RULES_DIR).rules.map(rule => [rule.id, rule.message]))

async function scan(scanPath: string) {
  const engine = await SemgrepEngine.create({
    engine: 'semgrep',
    binaryPath: semgrepBinary(),
    logger: memoryLogger()
  })
  return runSastScan(engine, {
    workspace: REPO_ROOT,
    scanPath,
    pack: loadCompiledPack(RULES_DIR),
    userConfigs: [],
    languages: undefined,
    exclude: [],
    mode: { kind: 'full', reason: 'demo' },
    ruleTimeoutSeconds: 30,
    deadlineMs: 170_000,
    logger: memoryLogger()
  })
}

/** `rule: message` of every result in our SARIF, as code scanning and the gate show it. */
function renderedMessages(sarif: SarifLog): string[] {
  return sarif.runs.flatMap(run => (run.results ?? []).map(r => `${r.ruleId}: ${r.message.text}`))
}

describe('demo scan of examples/app with the real semgrep', () => {
  it("renders every rule message as written, never with Semgrep's $1-style interpolation", async () => {
    const demo = await scan(APP)
    // The rule tests fire every rule of the pack at least once.
    const tests = await scan('rules')
    const rendered = [...renderedMessages(demo.sarif), ...renderedMessages(tests.sarif)]
    expect(new Set(rendered.map(line => line.split(':')[0]))).toEqual(new Set(WRITTEN.keys()))
    expect(
      rendered.filter(
        line =>
          !WRITTEN.has(line.split(':')[0]!) ||
          line !== `${line.split(':')[0]}: ${WRITTEN.get(line.split(':')[0]!)}`
      )
    ).toEqual([])
    expect(rendered).toEqual(
      expect.arrayContaining([expect.stringContaining('Use placeholders (`?`, `$1`)')])
    )
  }, 360_000)

  it('reports exactly the flaws EXPECTED.md lists: none missed, no false positive', async () => {
    const result = await scan(APP)
    expect(result.problems.filter(p => p.level === 'error')).toEqual([])
    const expected = demoAppExpected().map(line => line.replace(' ', ` ${APP}/`))
    expect(expected.length).toBeGreaterThanOrEqual(18)
    expect(result.findings.map(f => `${f.ruleId} ${f.location?.path}`).sort()).toEqual(expected)
    // Every language of the issue is represented among the findings.
    for (const prefix of ['js-', 'py-', 'go-', 'java-', 'dockerfile-', 'gha-', 'hardcoded-secret']) {
      expect(result.findings.some(f => f.ruleId.startsWith(prefix))).toBe(true)
    }
    expect(result.findings.every(f => f.securitySeverity !== undefined && f.cwe.length > 0)).toBe(true)
  }, 180_000)
})
