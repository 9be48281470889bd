import { describe, expect, it } from '@jest/globals'
import type { FileChange } from '../github/git.js'
import type { IgnoreRules } from './ignore.js'
import { planScan } from './plan.js'

const ignore: IgnoreRules = { patterns: ['tests/', '!tests/keep.py'], origin: 'test' }
const change = (file: string, previous?: Partial<NonNullable<FileChange['previous']>>): FileChange => ({
  path: file,
  status: previous ? 'M' : 'A',
  ...(previous ? { previous: { path: file, blob: 'a'.repeat(40), mode: '100644', ...previous } } : {})
})
const diff = (changes: FileChange[]) =>
  ({ kind: 'diff', baseline: 'b'.repeat(40), head: 'h'.repeat(40), changes, reason: 'test' }) as const

describe('planScan', () => {
  it('scans the path on a full scan, with the ignore patterns before the input’s excludes', () => {
    expect(
      planScan({
        mode: { kind: 'full', reason: 'test' },
        scanPath: './app/',
        exclude: ['keep.py'],
        ignore,
        languages: ['python'],
        isLink: () => false
      })
    ).toEqual({
      targets: ['app'],
      named: false,
      previous: [],
      exclude: ['tests/', '!tests/keep.py', 'keep.py'],
      skip: false
    })
  })

  it('names the changed files, with the merge-base version of those that existed as regular files', () => {
    const plan = planScan({
      mode: diff([
        change('a.py', {}),
        change('new.py'),
        change('tests/t.py', {}),
        change('tests/keep.py', {}),
        change('link.py', { mode: '120000' }),
        change('README.md', {})
      ]),
      scanPath: '.',
      exclude: [],
      ignore,
      languages: ['python'],
      isLink: () => false
    })
    expect(plan.targets).toEqual(['a.py', 'link.py', 'new.py', 'tests/keep.py'])
    expect(plan.named).toBe(true)
    expect(plan.previous.map(c => c.path)).toEqual(['a.py', 'tests/keep.py'])
    expect(plan.diff).toEqual({ targets: plan.targets, outsidePath: 0, excluded: 1, unsupported: 1 })
    expect(plan.skip).toBe(false)
  })

  it('skips the engine when nothing is left, and scans the path when the names would not fit', () => {
    const none = planScan({
      mode: diff([change('docs/a.md')]),
      scanPath: '.',
      exclude: [],
      ignore,
      languages: ['python'],
      isLink: () => false
    })
    expect(none.skip).toBe(true)
    const many = Array.from({ length: 3000 }, (_, i) => change(`src/${'x'.repeat(60)}/m${i}.py`))
    const wide = planScan({
      mode: diff(many),
      scanPath: 'src',
      exclude: [],
      ignore,
      languages: ['python'],
      isLink: () => false
    })
    expect(wide.targets).toEqual(['src'])
    expect(wide.named).toBe(false)
    expect(wide.diff?.targets).toHaveLength(3000)
  })
})
