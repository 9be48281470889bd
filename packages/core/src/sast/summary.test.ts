import { describe, expect, it } from '@jest/globals'
import { makeFinding } from '../../../../test/support/findings.js'
import { renderGfm } from '../../../../test/support/gfm.js'
import type { SastScanResult } from './scan.js'
import { renderSastSummary } from './summary.js'

function resultWith(overrides: Partial<SastScanResult>): SastScanResult {
  return {
    mode: 'full',
    modeReason: 'push',
    engine: { name: 'semgrep', version: '1.0.0' },
    findings: [],
    problems: [],
    ignore: { patterns: [], origin: 'merge-base abc' },
    skipped: false,
    preExisting: 0,
    durationMs: 1,
    sarif: { version: '2.1.0', runs: [] } as unknown as SastScanResult['sarif'],
    ...overrides
  }
}

describe('renderSastSummary', () => {
  it('lists at most 20 of the patterns a pull request proposes, so the counts always fit', () => {
    const added = Array.from({ length: 50_000 }, (_, i) => `generated/${i}/**`)
    const summary = renderSastSummary(
      resultWith({
        ignore: {
          patterns: [],
          origin: 'merge-base abc',
          proposed: { origin: 'workspace', added, removed: [] }
        }
      }),
      'sast.sarif'
    )
    expect(summary.length).toBeLessThan(5_000)
    expect(summary).toContain('generated/19/\\*\\*, and 49980 more')
    expect(summary).toContain('| 0 | 0 | 0 | 0 | 0 |')
  })

  it('cuts a long pattern or rule file path at 200 characters and lists at most 20 edited rule files', () => {
    const long = `src/${'a'.repeat(100_000)}/**`
    const edited = Array.from({ length: 30 }, (_, i) => `rules/${i}.yml`)
    const summary = renderSastSummary(
      resultWith({
        ignore: {
          patterns: [],
          origin: 'merge-base abc',
          proposed: { origin: 'workspace', added: [long], removed: ['old/**'] }
        },
        editedRules: edited
      }),
      'sast.sarif'
    )
    expect(summary.length).toBeLessThan(5_000)
    expect(summary).toContain(`adds src/${'a'.repeat(196)}…; drops old/\\*\\*.`)
    expect(summary).toContain('edits or removes 30 of the repository')
    expect(summary).toContain('(rules/0.yml, rules/1.yml, ')
    expect(summary).toContain('rules/19.yml, and 10 more)')
    expect(summary).not.toContain('rules/20.yml')
  })

  it('shows a rule id as code, exactly as written, even with underscores or backticks', () => {
    const summary = renderSastSummary(
      resultWith({ findings: [makeFinding({ ruleId: 'dangerous_subprocess_use`x', severity: 'high' })] }),
      'sast.sarif'
    )
    expect(renderGfm(summary)).toContain('<code>dangerous_subprocess_use`x</code>')
  })
})
