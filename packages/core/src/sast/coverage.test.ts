import { describe, expect, it } from '@jest/globals'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import * as path from 'node:path'
import { git, writeFiles } from '../../../../test/support/git-repo.js'
import { countFullScanFiles, fullScanNotice, type CoverageInput } from './coverage.js'
import { DEFAULT_SEMGREPIGNORE } from './ignore.js'

const NAMES = { path: 'path', config: 'config' }

function input(overrides: Partial<CoverageInput> = {}): CoverageInput {
  return {
    scanPath: '.',
    exclude: [],
    ignore: DEFAULT_SEMGREPIGNORE,
    languages: ['python'],
    isLink: () => false,
    ...overrides
  }
}

function repository(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'sast-coverage-'))
  git(dir, 'init', '-q', '-b', 'main')
  writeFiles(dir, files)
  git(dir, 'add', '-A')
  return dir
}

describe('countFullScanFiles (real git)', () => {
  it('counts the tracked files under the scan path that the diff filter keeps, and why the others are out', async () => {
    const repo = repository({
      'src/a.py': 'x = 1\n',
      'src/b.py': 'x = 2\n',
      'src/tests/test_a.py': 'x = 3\n',
      'src/notes.md': '# n\n',
      'other/c.py': 'x = 4\n'
    })
    writeFiles(repo, { 'src/untracked.py': 'x = 5\n' })
    const coverage = await countFullScanFiles(repo, input({ scanPath: 'src' }))
    expect(coverage).toEqual({
      known: true,
      plan: { targets: ['src/a.py', 'src/b.py'], outsidePath: 0, excluded: 1, unsupported: 1 }
    })
  })

  it('lists the whole checkout for the scan path `.`', async () => {
    const repo = repository({ 'a.py': 'x = 1\n', 'lib/b.py': 'x = 2\n' })
    const coverage = await countFullScanFiles(repo, input())
    expect(coverage.known && coverage.plan.targets).toEqual(['a.py', 'lib/b.py'])
  })

  it('says the count is unknown outside a git checkout, rather than 0', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'sast-coverage-plain-'))
    writeFiles(dir, { 'a.py': 'x = 1\n' })
    expect(await countFullScanFiles(dir, input())).toEqual({ known: false, reason: 'not a git checkout' })
  })
})

describe('fullScanNotice', () => {
  const plan = (counts: Partial<{ targets: string[]; excluded: number; unsupported: number }>) => ({
    known: true as const,
    plan: { targets: [], outsidePath: 0, excluded: 0, unsupported: 0, ...counts }
  })

  it('says nothing when a file was left to scan, or when the count is unknown', () => {
    expect(fullScanNotice(plan({ targets: ['a.py'], excluded: 9 }), 'src', NAMES)).toBeUndefined()
    expect(fullScanNotice({ known: false, reason: 'not a git checkout' }, 'src', NAMES)).toBeUndefined()
  })

  it('names input path when it holds no tracked file at all', () => {
    const notice = fullScanNotice(plan({}), 'scr', NAMES)
    expect(notice).toMatch(/^Nothing was scanned: input 'path' \('scr'\) holds no file git tracks/)
    expect(notice).not.toContain("'config'")
    expect(notice).not.toContain('\n')
  })

  it('names the exclude input and the ignore patterns when they left every file out', () => {
    const notice = fullScanNotice(plan({ excluded: 2 }), 'tests', NAMES)
    expect(notice).toContain("input 'path' ('tests')")
    expect(notice).toContain('2 skipped by the exclude input, the ignore patterns or as links')
    expect(notice).not.toContain("'config'")
  })

  it('names input config too when the rules read none of the languages there', () => {
    const notice = fullScanNotice(plan({ unsupported: 3 }), 'docs', NAMES)
    expect(notice).toContain("input 'path' ('docs')")
    expect(notice).toContain('3 in no rule’s language')
    expect(notice).toContain("input 'config'")
  })
})
