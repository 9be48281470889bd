import { afterAll, describe, expect, it } from '@jest/globals'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import * as path from 'node:path'
import { parsePolicy } from '../policy/load.js'
import { asHtmlText, renderGfm } from '../../../../test/support/gfm.js'
import { fakeChangeBase } from '../../../../test/support/change-base.js'
import { makeFinding } from '../../../../test/support/findings.js'
import { ignoreFileChanges, lineChanges, reviewOwnChecks } from './own-checks.js'
import type { PolicySources } from '../policy-source/resolve.js'
import { inSourceSection, ownChecksSection } from './render-own-checks.js'
import { evaluateGate } from './verdict.js'

const root = mkdtempSync(path.join(tmpdir(), 'own-checks-'))
afterAll(() => rmSync(root, { recursive: true, force: true }))

function workspace(files: Record<string, string>): string {
  const ws = mkdtempSync(path.join(root, 'ws-'))
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(ws, name)), { recursive: true })
    writeFileSync(path.join(ws, name), text)
  }
  return ws
}

describe('lineChanges', () => {
  it('counts lines added and removed, repeated lines included, blank lines left out', () => {
    expect(lineChanges('a\nb\nb\n\n', 'b\nc\nc\n')).toEqual({ added: ['c', 'c'], removed: ['a', 'b'] })
    expect(lineChanges('', '')).toEqual({ added: [], removed: [] })
  })
})

describe('ignore files a pull request changes', () => {
  it('lists each one with its added and removed lines, the base read from the change base', async () => {
    const ws = workspace({
      '.semgrepignore': 'tests/\nsrc/\n',
      'services/api/osv-scanner.toml': '[[IgnoredVulns]]\nid = "GHSA-xxxx"\n',
      'src/app.js': 'x'
    })
    const base = fakeChangeBase({ '.semgrepignore': 'tests/\n' }, [
      '.semgrepignore',
      'services/api/osv-scanner.toml',
      'src/app.js'
    ])
    expect(await ignoreFileChanges(base, ws)).toEqual([
      { path: '.semgrepignore', status: 'modified', added: ['src/'], removed: [], problem: undefined },
      {
        path: 'services/api/osv-scanner.toml',
        status: 'added',
        added: ['[[IgnoredVulns]]', 'id = "GHSA-xxxx"'],
        removed: [],
        problem: undefined
      }
    ])
  })
})

describe('the section on what a pull request changes about its own checks', () => {
  const reviewed = parsePolicy('gate:\n  fail-on: [critical, high]\n', '.github/secure-pipeline.yml')
  const proposed = parsePolicy('gate:\n  fail-on: []\n', '.github/secure-pipeline.yml')
  const sources: PolicySources = {
    decidedBy: 'base',
    deciding: { policy: reviewed, origin: 'merge-base 0123456789ab' },
    other: { role: 'proposed', origin: 'this pull request', policy: proposed }
  }
  const findings = [
    makeFinding({ severity: 'high', ruleId: 'js.sqli', location: { path: 'src/db.js', startLine: 3 } }),
    makeFinding({
      severity: 'critical',
      ruleId: 'js.eval',
      location: { path: 'src/new.js', startLine: 9 },
      suppressions: [{ kind: 'inSource', justification: '<b>trust me</b> @octo-org/sec' }]
    }),
    makeFinding({
      severity: 'low',
      ruleId: 'js.log',
      location: { path: 'src/old.js', startLine: 1 },
      suppressions: [{ kind: 'inSource' }]
    })
  ]
  const judge = (policy: typeof reviewed) =>
    evaluateGate({ findings, brokenInputs: [], policy, today: '2026-11-25' })

  it('shows both verdicts side by side, what changed, the ignore files and the nosemgrep in changed files', async () => {
    const ws = workspace({ '.semgrepignore': 'src/\n' })
    const base = fakeChangeBase({}, ['.semgrepignore', 'src/new.js'])
    const verdict = judge(reviewed)
    const review = await reviewOwnChecks({
      sources,
      otherVerdict: judge(proposed),
      verdict,
      base,
      workspace: ws
    })
    expect(review.suppressionsInChangedFiles.map(e => e.finding.ruleId)).toEqual(['js.eval'])
    const section = ownChecksSection(review, verdict)!
    expect(section).toContain('### What this pull request changes about its own checks')
    expect(section).toContain('The **base** version decides (merge-base 0123456789ab)')
    expect(section).toContain(
      '| verdict | ❌ fail-findings | ✅ pass |\n| why | 1 high finding at a fail-on severity | — |\n| counted findings | 1 | 1 |\n| blocking findings | 1 | 0 |'
    )
    expect(section).toContain(
      '- ⚠️ weakens `gate.fail-on`: \\[critical, high\\] → \\[\\] (no longer fails on critical, high)'
    )
    expect(section).toContain('- ⚠️ `.semgrepignore` (added): +1 −0 lines; adds `src/`')
    expect(section).toContain('- `js.eval` at src/new.js:9')
  })

  it('says nothing when the change touches none of its checks', async () => {
    const verdict = judge(reviewed)
    const review = await reviewOwnChecks({
      sources: { ...sources, other: undefined },
      otherVerdict: undefined,
      verdict,
      base: fakeChangeBase({}, ['src/db.js']),
      workspace: workspace({})
    })
    expect(ownChecksSection(review, verdict)).toBeUndefined()
  })

  it('lists every in-source suppression with its justification escaped, and which the PR touched', () => {
    const changed = (file: string) => file === 'src/new.js'
    const section = inSourceSection(judge(reviewed), changed)!
    expect(section).toContain('### In-source suppressions (2)')
    expect(section).toContain('They do not count toward the verdict (`in-source-suppressions: honour`).')
    const html = renderGfm(section)
    expect(html).not.toMatch(/<b>|@octo-org/)
    expect(html).toContain(asHtmlText('<b>trust me</b> @\u200bocto-org/sec'))
    expect(html).toContain('<td>⚠️ yes</td>')
    const reported = evaluateGate({
      findings,
      brokenInputs: [],
      policy: reviewed,
      today: '2026-11-25',
      inSourceSuppressions: 'report'
    })
    expect(inSourceSection(reported)).toContain('They are listed and still count toward the verdict')
  })
})
