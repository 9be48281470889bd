import { describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
// The oracle: minimatch is what these patterns meant before, and what users' patterns were written for.
import { braceExpand, minimatch } from 'minimatch'
import { Glob, globMatches, GlobSyntaxError } from './glob-match.js'

const NAME_PARTS = ['a', 'b', 'ab', '.', '-', 'x.yaml', '.hidden', 'A']
const PATTERN_PARTS = [
  'a',
  'b',
  '.',
  '*',
  '?',
  '[ab]',
  '[!a]',
  '[^b]',
  '[.]',
  '[a-c]',
  '{a,b}',
  '{a,}',
  '\\*',
  'x',
  '-'
]

const name = fc
  .array(fc.constantFrom(...NAME_PARTS), { minLength: 1, maxLength: 3 })
  .map(parts => parts.join(''))
  .filter(part => part !== '.' && part !== '..')
const path = fc.array(name, { minLength: 1, maxLength: 5 }).map(parts => parts.join('/'))
const segment = fc.oneof(
  { weight: 1, arbitrary: fc.constant('**') },
  {
    weight: 4,
    arbitrary: fc
      .array(fc.constantFrom(...PATTERN_PARTS), { minLength: 1, maxLength: 4 })
      .map(parts => parts.join(''))
  }
)
// '.' and '..' segments are refused (below): minimatch resolves them, which no repository path needs.
// So are patterns of over 256 alternatives (tested below): every brace here has two, so nine pass the
// limit, which about one run in 500,000 drew.
const pattern = fc
  .array(segment, { minLength: 1, maxLength: 5 })
  .map(parts => parts.join('/'))
  .filter(glob => (glob.match(/\{/g) ?? []).length <= 8)
  .filter(glob => braceExpand(glob).every(one => one.split('/').every(s => s !== '.' && s !== '..')))

describe('Glob', () => {
  it.each([
    ['deploy/app.yaml', '**/*.yaml', true],
    ['app.yaml', '**/*.yaml', true],
    ['.github/app.yaml', '**/*.yaml', false],
    ['secure-pipeline/sast.sarif', 'secure-pipeline/*.sarif', true],
    ['secure-pipeline/x/sast.sarif', 'secure-pipeline/*.sarif', false],
    ['a/b/c', 'a/**/c', true],
    ['a/c', 'a/**/c', true],
    ['a', 'a/**', false],
    ['a/b', 'a/**', true],
    ['src/a.ts', 'src/{a,b}.ts', true],
    ['src/c.ts', 'src/{a,b}.ts', false],
    ['a*', 'a\\*', true],
    ['ab', 'a\\*', false]
  ])('%s against %s (no dot option): %s', (file, glob, expected) => {
    expect(new Glob(glob).matches(file)).toBe(expected)
  })

  it('lets * and ** into dot names only with the dot option', () => {
    expect(new Glob('**/*.yaml').matches('.github/app.yaml')).toBe(false)
    expect(new Glob('**/*.yaml', { dot: true }).matches('.github/app.yaml')).toBe(true)
    expect(new Glob('*', { dot: true }).matches('.env')).toBe(true)
    expect(new Glob('.*').matches('.env')).toBe(true)
  })

  it('ignores case only when asked', () => {
    expect(globMatches('PY-SQL-INJECTION', 'py-sql-*', { nocase: true })).toBe(true)
    // minimatch: ignoring case, a one-name segment without cased characters still matches a dot name.
    expect(globMatches('.-', '[.]-', { nocase: true })).toBe(true)
    expect(globMatches('.env', '[.]env', { nocase: true })).toBe(false)
    expect(globMatches('.env', '[.]env')).toBe(true)
    expect(globMatches('PY-SQL-INJECTION', 'py-sql-*')).toBe(false)
  })

  it('refuses what it would otherwise read some other way', () => {
    expect(() => new Glob('+(a|b)')).toThrow(GlobSyntaxError)
    expect(() => new Glob('file-{1..3}.txt')).toThrow(/range/)
    expect(() => new Glob('[[:alpha:]]')).toThrow(/POSIX/)
    expect(() => new Glob('{a,b}'.repeat(9))).toThrow(/alternatives/)
    expect(() => new Glob('deploy/../secrets/*')).toThrow(/'\.\.' segment/)
  })

  it('takes time linear in path and pattern, where a backtracking matcher would not end', () => {
    const name = 'a'.repeat(5_000)
    const hostile = `${'*a'.repeat(200)}*b`
    expect(new Glob(hostile).matches(name)).toBe(false)
    const deep = Array.from({ length: 400 }, () => 'a').join('/')
    expect(new Glob(`${'**/a/'.repeat(100)}b`).matches(deep)).toBe(false)
  })

  it.each([{}, { dot: true }, { nocase: true }])(
    'agrees with minimatch on 10,000 generated cases (%o)',
    options => {
      fc.assert(
        fc.property(path, pattern, (file, glob) => {
          expect(new Glob(glob, options).matches(file)).toBe(minimatch(file, glob, options))
        }),
        { numRuns: 10_000 }
      )
    }
  )
})
