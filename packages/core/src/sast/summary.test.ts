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

  it('says why a diff scan scanned nothing when the changed files were excluded, ignored or links, not a language gap', () => {
    const summary = renderSastSummary(
      resultWith({
        mode: 'diff',
        skipped: true,
        plan: { targets: [], outsidePath: 0, excluded: 3, unsupported: 0 }
      }),
      'sast.sarif'
    )
    expect(summary).not.toContain('no changed file is in a language the rules cover')
    expect(summary).toContain(
      'no changed file was left to scan, so nothing was scanned; 3 skipped by the exclude input, the ignore patterns or as links'
    )
  })

  it('says how many changed files a diff scan left out, and why', () => {
    const summary = renderSastSummary(
      resultWith({
        mode: 'diff',
        plan: { targets: ['a.py'], outsidePath: 2, excluded: 4, unsupported: 1 }
      }),
      'sast.sarif'
    )
    expect(summary).toContain(
      '1 changed file(s) scanned; 4 skipped by the exclude input, the ignore patterns or as links, 2 outside the scan path, 1 in no rule’s language'
    )
  })
  it('says a full scan with no result scanned 0 files, and why', () => {
    const summary = renderSastSummary(
      resultWith({
        coverage: { known: true, plan: { targets: [], outsidePath: 0, excluded: 1, unsupported: 0 } },
        nothingScanned: "Nothing was scanned: input 'path' ('tests') holds no file the rules read"
      }),
      'sast.sarif'
    )
    expect(summary).toContain(
      '**Full scan** of the repository (push): 0 files scanned; 1 skipped by the exclude input, the ignore patterns or as links.'
    )
    expect(summary).toContain("> [!WARNING]\n> Nothing was scanned: input 'path' ('tests')")
  })

  it('gives a full scan with no result the count of files it covered, or says the count is unknown', () => {
    const counted = renderSastSummary(
      resultWith({
        coverage: {
          known: true,
          plan: { targets: ['a.py', 'b.py'], outsidePath: 0, excluded: 0, unsupported: 4 }
        }
      }),
      'sast.sarif'
    )
    expect(counted).toContain('(push): 2 file(s) scanned; 4 in no rule’s language.')
    expect(counted).not.toContain('[!WARNING]')
    const unknown = renderSastSummary(
      resultWith({ coverage: { known: false, reason: 'not a git checkout' } }),
      'x'
    )
    expect(unknown).toContain('(push): the number of files scanned is unknown (not a git checkout).')
  })

  it('leaves a full scan with results as it was: nothing was counted', () => {
    expect(renderSastSummary(resultWith({}), 'sast.sarif')).toContain(
      '**Full scan** of the repository (push).'
    )
  })
})

describe('renderSastSummary and a rule id or path a pull request writes, however long', () => {
  it('keeps the findings table and its other rows when one rule id and path are 200 KB', () => {
    const location = { path: `src/${'p'.repeat(200_000)}.js`, startLine: 1 }
    const findings = [
      ...Array.from({ length: 6 }, () => makeFinding({ ruleId: 'r'.repeat(200_000), location })),
      makeFinding({ ruleId: 'still-shown' })
    ]
    const summary = renderSastSummary(resultWith({ findings }), 'sast.sarif')
    expect(summary.length).toBeLessThan(20_000)
    expect(summary).toContain('`still-shown`')
  })
  it('cuts a long message or engine problem whole characters at a time, with an ellipsis', () => {
    const emoji = '\u{1F600}'
    const findings = [
      makeFinding({ ruleId: 'r1', title: undefined, message: `${'m'.repeat(198)}${emoji}tail` })
    ]
    const problems = [{ message: `${'p'.repeat(498)}${emoji}tail`, level: 'warning' as const }]
    const summary = renderSastSummary(resultWith({ findings, problems }), 'sast.sarif')
    expect(summary).toContain(`${'m'.repeat(198)}…`)
    expect(summary).toContain(`${'p'.repeat(498)}…`)
    expect(summary).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/)
  })
})
