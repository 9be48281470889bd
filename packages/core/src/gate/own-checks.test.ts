import { afterAll, describe, expect, it } from '@jest/globals'
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import * as path from 'node:path'
import { parsePolicy } from '../policy/load.js'
import { asHtmlText, renderGfm } from '../../../../test/support/gfm.js'
import { fakeChangeBase } from '../../../../test/support/change-base.js'
import { makeFinding } from '../../../../test/support/findings.js'
import {
  ignoreFileChanges,
  lineChanges,
  onlyIgnoresLess,
  reviewOwnChecks,
  suppressionsAddedByChange
} from './own-checks.js'
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

describe('in-source suppressions a pull request adds', () => {
  const BASE_DB = 'const q = 1\n\nrun(`SELECT ${id}`) // nosemgrep\nmore()\n'
  const suppressed = (file: string, startLine?: number) =>
    makeFinding({
      ruleId: `${file}:${startLine}`,
      location: { path: file, startLine },
      suppressions: [{ kind: 'inSource' }]
    })
  const added = async (
    files: Record<string, string>,
    base: ReturnType<typeof fakeChangeBase>,
    findings: ReturnType<typeof suppressed>[],
    ws = workspace(files)
  ) => {
    const r = await suppressionsAddedByChange(base, ws, findings)
    return { ids: findings.filter(f => r.findings.has(f)).map(f => f.ruleId), unread: r.unread }
  }

  it('takes the base’s nosemgrep as reviewed when the change edits another line of the file', async () => {
    const base = fakeChangeBase({ 'src/db.js': BASE_DB }, ['src/db.js'])
    const pr = 'const q = 2\n\n  run(`SELECT ${id}`) // nosemgrep  \nmore()\n'
    expect(await added({ 'src/db.js': pr }, base, [suppressed('src/db.js', 3)])).toEqual({
      ids: [],
      unread: []
    })
  })

  it('takes a nosemgrep on a new line, or on a new line above, as the change’s', async () => {
    const base = fakeChangeBase({ 'src/db.js': BASE_DB }, ['src/db.js'])
    const pr = `${BASE_DB}eval(input) // nosemgrep\n// nosemgrep: js.sqli\nmore()\n`
    const findings = [suppressed('src/db.js', 3), suppressed('src/db.js', 5), suppressed('src/db.js', 7)]
    expect((await added({ 'src/db.js': pr }, base, findings)).ids).toEqual(['src/db.js:5', 'src/db.js:7'])
  })

  it('takes a copy of a suppressed line the base has elsewhere, and a nosemgrep put above an old line, as the change’s', async () => {
    // Line 5 repeats line 3 of the base word for word, under a line the base has too.
    const copy = fakeChangeBase({ 'src/db.js': BASE_DB }, ['src/db.js'])
    const copied = `${BASE_DB}run(\`SELECT \${id}\`) // nosemgrep\n`
    expect((await added({ 'src/db.js': copied }, copy, [suppressed('src/db.js', 5)])).ids).toEqual([
      'src/db.js:5'
    ])
    // A second `// nosemgrep` line, the same text as one the base has, put above an old line.
    const twice = 'a()\n// nosemgrep\nb()\nmore()\n'
    const above = fakeChangeBase({ 'src/x.js': twice }, ['src/x.js'])
    const pr = 'a()\n// nosemgrep\nb()\n// nosemgrep\nmore()\n'
    const findings = [suppressed('src/x.js', 3), suppressed('src/x.js', 5)]
    expect((await added({ 'src/x.js': pr }, above, findings)).ids).toEqual(['src/x.js:5'])
  })

  it('leaves an old nosemgrep reviewed when the change edits or inserts the line above it', async () => {
    const base = fakeChangeBase({ 'src/db.js': BASE_DB }, ['src/db.js'])
    const edited = 'const q = 1\nconst r = 2\nrun(`SELECT ${id}`) // nosemgrep\nmore()\n'
    expect((await added({ 'src/db.js': edited }, base, [suppressed('src/db.js', 3)])).ids).toEqual([])
    const inserted = 'const q = 1\n\nlog("hi")\nrun(`SELECT ${id}`) // nosemgrep\nmore()\n'
    expect((await added({ 'src/db.js': inserted }, base, [suppressed('src/db.js', 4)])).ids).toEqual([])
  })

  it('takes every suppression in a file the base did not have as the change’s, and none in files it left alone', async () => {
    const base = fakeChangeBase({ 'src/db.js': BASE_DB, 'src/old.js': BASE_DB }, ['src/db.js', 'src/new.js'])
    const files = { 'src/db.js': BASE_DB, 'src/new.js': BASE_DB, 'src/old.js': BASE_DB }
    const findings = [suppressed('src/db.js', 3), suppressed('src/new.js', 3), suppressed('src/old.js', 3)]
    expect((await added(files, base, findings)).ids).toEqual(['src/new.js:3'])
  })

  it('compares a renamed file with its old path, and a copy with nothing', async () => {
    const previous = { path: 'src/db.js', blob: 'b'.repeat(40), mode: '100644' }
    const base = fakeChangeBase({ 'src/db.js': BASE_DB }, [
      { path: 'lib/db.js', status: 'R', previous },
      { path: 'lib/copy.js', status: 'C', previous }
    ])
    const files = { 'lib/db.js': BASE_DB, 'lib/copy.js': BASE_DB }
    expect(
      (await added(files, base, [suppressed('lib/db.js', 3), suppressed('lib/copy.js', 3)])).ids
    ).toEqual(['lib/copy.js:3'])
  })

  it('takes a suppression without a line, or past the end of the file, as the change’s', async () => {
    const base = fakeChangeBase({ 'src/db.js': BASE_DB }, ['src/db.js'])
    const findings = [suppressed('src/db.js'), suppressed('src/db.js', 40)]
    expect((await added({ 'src/db.js': BASE_DB }, base, findings)).ids).toEqual([
      'src/db.js:undefined',
      'src/db.js:40'
    ])
  })

  it('takes a suppression without a file as the change’s: a new `C:/x.js` reads as no repository path', async () => {
    const base = fakeChangeBase({ 'src/db.js': BASE_DB }, ['C:/x.js'])
    const nowhere = makeFinding({ ruleId: 'nowhere', suppressions: [{ kind: 'inSource' }] })
    const unsuppressed = makeFinding({ ruleId: 'unsuppressed' })
    const r = await suppressionsAddedByChange(base, workspace({}), [nowhere, unsuppressed])
    expect([...r.findings].map(f => f.ruleId)).toEqual(['nowhere'])
    expect(r.unread).toEqual([])
  })

  it('never follows a link planted in the file’s place, nor reads a directory: the suppressions are the change’s', async () => {
    const base = fakeChangeBase({ 'src/db.js': BASE_DB, 'src/dir.js': BASE_DB }, ['src/db.js', 'src/dir.js'])
    const ws = workspace({ 'reviewed.js': BASE_DB })
    mkdirSync(path.join(ws, 'src'))
    symlinkSync(path.join(ws, 'reviewed.js'), path.join(ws, 'src/db.js'))
    mkdirSync(path.join(ws, 'src/dir.js'))
    const r = await added({}, base, [suppressed('src/db.js', 3), suppressed('src/dir.js', 3)], ws)
    expect(r.ids).toEqual(['src/db.js:3', 'src/dir.js:3'])
    expect(r.unread).toEqual([
      {
        path: 'src/db.js',
        problem: 'source file src/db.js is a symbolic link; it is read only as a regular file.'
      },
      { path: 'src/dir.js', problem: 'source file src/dir.js is not a regular file.' }
    ])
  })

  it('takes every suppression as the change’s when the base cannot be read', async () => {
    const base = {
      ...fakeChangeBase({ 'src/db.js': BASE_DB }, ['src/db.js']),
      read: async () => {
        throw new Error('src/db.js is a symbolic link at 0123456789ab, not a file')
      }
    }
    const r = await added({ 'src/db.js': BASE_DB }, base, [suppressed('src/db.js', 3)])
    expect(r).toEqual({
      ids: ['src/db.js:3'],
      unread: [{ path: 'src/db.js', problem: 'src/db.js is a symbolic link at 0123456789ab, not a file' }]
    })
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

  it('keeps the section short whatever the pull request writes into its ignore files and its policy', async () => {
    const long = (tag: string) => `${tag}-${'x'.repeat(40_000)}`
    const files: Record<string, string> = {}
    for (let d = 0; d < 30; d++)
      files[`d${d}/.semgrepignore`] = Array.from({ length: 20 }, (_, l) => long(`d${d}l${l}`)).join('\n')
    const exceptions = Array.from(
      { length: 30 },
      (_, i) => `  - id: ${long(`CVE-${i}`)}\n    reason: r\n    owner: o\n    expires: 2026-12-01\n`
    ).join('')
    const flooded = parsePolicy(`exceptions:\n${exceptions}`, '.github/secure-pipeline.yml')
    const verdict = judge(reviewed)
    const review = await reviewOwnChecks({
      sources: { ...sources, other: { role: 'proposed', origin: 'this pull request', policy: flooded } },
      otherVerdict: judge(flooded),
      verdict,
      base: fakeChangeBase({}, Object.keys(files)),
      workspace: workspace(files)
    })
    const section = ownChecksSection(review, verdict)!
    expect(section.length).toBeLessThan(40_000)
    expect(section).toContain('- ⚠️ `d0/.semgrepignore` (added): +20 −0 lines; adds `d0l0-xxx')
    expect(section).toContain('\n\n…and 20 more.')
    expect(section).toContain('- ⚠️ weakens `exceptions`: added CVE-0-xxx')
  })

  it("keeps the section short when the pull request's policy cannot be read and its error quotes a long value", async () => {
    const verdict = judge(reviewed)
    const review = await reviewOwnChecks({
      sources: {
        ...sources,
        other: {
          role: 'proposed',
          origin: 'this pull request',
          error: `expires: '${'&'.repeat(300_000)}' is no date`
        }
      },
      otherVerdict: undefined,
      verdict,
      base: fakeChangeBase({}, []),
      workspace: workspace({})
    })
    const section = ownChecksSection(review, verdict)!
    expect(section.length).toBeLessThan(5_000)
    expect(section).toContain("| verdict | ❌ fail-findings | cannot be evaluated: expires: '&amp;&amp;")
  })

  it('lists the ignore changes that may waive more before decoys, and counts those past the cap', async () => {
    // Eleven decoys named to sort first, each taking a line out of a list; the real change sorts last.
    const files: Record<string, string> = { 'z/.semgrepignore': 'src/\n' }
    const baseFiles: Record<string, string> = { 'z/.semgrepignore': '' }
    for (let d = 0; d < 11; d++) {
      files[`a${d}/.trivyignore`] = ''
      baseFiles[`a${d}/.trivyignore`] = 'CVE-2024-0001\n'
    }
    const decoys = Object.keys(baseFiles).filter(name => name.startsWith('a'))
    const verdict = judge(reviewed)
    const review = await reviewOwnChecks({
      sources: { ...sources, other: undefined },
      otherVerdict: undefined,
      verdict,
      base: fakeChangeBase(baseFiles, [...decoys, 'z/.semgrepignore']),
      workspace: workspace(files)
    })
    const section = ownChecksSection(review, verdict)!
    expect(section).toContain(
      'adds or changes:\n\n- ⚠️ `z/.semgrepignore` (modified): +1 −0 lines; adds `src/`'
    )
    expect(section).toContain('\n\n…and 2 more.')
    expect(section).not.toContain('of them may make a scanner ignore more')

    // A flood of changes that may all waive more: the count says how many of them the list leaves out.
    const flood: Record<string, string> = {}
    for (let d = 0; d < 13; d++) flood[`a${d}/.semgrepignore`] = `lib${d}/\n`
    const flooded = await reviewOwnChecks({
      sources: { ...sources, other: undefined },
      otherVerdict: undefined,
      verdict,
      base: fakeChangeBase({}, Object.keys(flood)),
      workspace: workspace(flood)
    })
    expect(ownChecksSection(flooded, verdict)).toContain(
      '\n\n…and 3 more. 3 of them may make a scanner ignore more.'
    )
  })

  it('tells which ignore changes can only make a scanner ignore less', () => {
    const change = (path: string, added: string[], removed: string[], status = 'modified' as const) => ({
      path,
      status,
      added,
      removed
    })
    expect(onlyIgnoresLess(change('.semgrepignore', [], ['tests/']))).toBe(true)
    expect(onlyIgnoresLess(change('x/.trivyignore', [], ['CVE-2024-0001']))).toBe(true)
    expect(onlyIgnoresLess(change('.semgrepignore', ['src/'], []))).toBe(false)
    // A `!` taken out re-includes nothing any more; a line out of YAML or TOML may be an expiry.
    expect(onlyIgnoresLess(change('.semgrepignore', [], ['!src/']))).toBe(false)
    expect(onlyIgnoresLess(change('osv-scanner.toml', [], ['ignoreUntil = 2026-01-01']))).toBe(false)
    expect(onlyIgnoresLess(change('.trivyignore.yaml', [], ['    expired_at: 2026-01-01']))).toBe(false)
    expect(onlyIgnoresLess({ ...change('.trivyignore', [], []), problem: 'a link' })).toBe(false)
    expect(onlyIgnoresLess({ ...change('.semgrepignore', [], []), status: 'renamed' })).toBe(false)
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
    expect(section).toContain(
      'Those the base already had do not count toward the verdict; on a pull request or merge queue, one the change itself adds is listed and counts until the change is merged (`in-source-suppressions: reviewed`).'
    )
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
    const honoured = evaluateGate({
      findings,
      brokenInputs: [],
      policy: reviewed,
      today: '2026-11-25',
      inSourceSuppressions: 'honour'
    })
    expect(inSourceSection(honoured)).toContain(
      'They do not count toward the verdict (`in-source-suppressions: honour`).'
    )
  })

  it('says which suppressions this change adds, that they count, and which files could not be compared', async () => {
    const [, added] = findings
    const verdict = evaluateGate({
      findings,
      brokenInputs: [],
      policy: reviewed,
      today: '2026-11-25',
      inSourceByChange: new Set([added!])
    })
    const review = await reviewOwnChecks({
      sources: { ...sources, other: undefined },
      otherVerdict: undefined,
      verdict,
      base: fakeChangeBase({}, ['src/new.js', 'src/old.js']),
      workspace: workspace({}),
      suppressionFilesUnread: [
        { path: 'src/new.js', problem: 'source file src/new.js is not a regular file.' }
      ]
    })
    const section = ownChecksSection(review, verdict)!
    expect(section).toContain(
      '⚠️ 2 in-source suppression(s) (e.g. `nosemgrep`) sit in files this pull request changes. 1 of them is added by this change and counts until it is merged: a suppression is reviewed before it applies (`in-source-suppressions: reviewed`).'
    )
    expect(section).toContain('- `js.eval` at src/new.js:9: added by this change, counted')
    expect(section).toContain('- `js.log` at src/old.js:1\n')
    expect(section).toContain(
      "- `src/new.js` cannot be compared with the base (source file src/new.js is not a regular file.): its suppressions count as this change's."
    )
    expect(inSourceSection(verdict, file => file !== 'src/db.js')).toContain(
      '| critical | `js.eval` | src/new.js:9 | \\<b\\>trust me\\</b\\> @\u200bocto-org/sec | ⚠️ yes: added by this change, counted |'
    )
  })

  it('cuts each suppression row: the pull request names the file and a report can carry any rule id', async () => {
    const long = makeFinding({
      severity: 'critical',
      ruleId: `js.${'r'.repeat(40_000)}`,
      location: { path: `src/${'p'.repeat(40_000)}.js`, startLine: 9 },
      suppressions: [{ kind: 'inSource' }]
    })
    const verdict = evaluateGate({
      findings: [long],
      brokenInputs: [],
      policy: reviewed,
      today: '2026-11-25'
    })
    const review = await reviewOwnChecks({
      sources: { ...sources, other: undefined },
      otherVerdict: undefined,
      verdict,
      base: fakeChangeBase({}, [long.location!.path]),
      workspace: workspace({})
    })
    const section = ownChecksSection(review, verdict)!
    expect(section.length).toBeLessThan(2_000)
    expect(section).toMatch(/\n- `js\.r{196}…` at src\/p{195}…$/)
  })

  it('keeps the files that could not be compared short too: ten, each path and problem cut', async () => {
    const verdict = judge(reviewed)
    const flooded = await reviewOwnChecks({
      sources: { ...sources, other: undefined },
      otherVerdict: undefined,
      verdict,
      base: fakeChangeBase({}, ['src/new.js', 'src/old.js']),
      workspace: workspace({}),
      suppressionFilesUnread: Array.from({ length: 30 }, (_, i) => ({
        path: `src/${i}-${'x'.repeat(40_000)}.js`,
        problem: `${'y'.repeat(40_000)} is not a regular file.`
      }))
    })
    const capped = ownChecksSection(flooded, verdict)!
    expect(capped.length).toBeLessThan(10_000)
    expect(capped).toContain('- `src/0-xxx')
    expect(capped.match(/cannot be compared with the base/g)).toHaveLength(10)
    expect(capped).toMatch(/its suppressions count as this change's\.\n\n…and 20 more\.$/)
  })
})
