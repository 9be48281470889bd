import { describe, expect, it } from '@jest/globals'
import { DEFAULT_SEMGREPIGNORE } from './ignore.js'
import { fileMatcher, fitsArgv, isExcluded, normalizeRepoPath, planDiffTargets } from './targets.js'

const noLinks = () => false

describe('isExcluded (semgrep --exclude semantics)', () => {
  it('lets a later !pattern take a match back, as gitignore and semgrep do', () => {
    const patterns = ['src/*.py', '!src/keep.py']
    expect(isExcluded('src/a.py', patterns)).toBe(true)
    expect(isExcluded('src/keep.py', patterns)).toBe(false)
    expect(isExcluded('src/keep.py', [...patterns, 'keep.py'])).toBe(true)
    expect(isExcluded('web/c.py', patterns)).toBe(false)
  })

  it('matches a bare name against any path component', () => {
    expect(isExcluded('src/tests/a.py', ['tests'])).toBe(true)
    expect(isExcluded('tests/a.py', ['tests'])).toBe(true)
    expect(isExcluded('src/testsuite/a.py', ['tests'])).toBe(false)
    expect(isExcluded('web/app.min.js', ['*.min.js'])).toBe(true)
    expect(isExcluded('web/app.js', ['*.min.js'])).toBe(false)
  })

  it('anchors patterns with a slash at the root and covers what is below', () => {
    expect(isExcluded('vendor/lib/x.go', ['vendor/lib'])).toBe(true)
    expect(isExcluded('vendor/lib/x.go', ['vendor/'])).toBe(true)
    expect(isExcluded('src/vendor/lib/x.go', ['vendor/lib'])).toBe(false)
    expect(isExcluded('a/b/c.ts', ['a/*/c.ts'])).toBe(true)
  })

  it('ignores blank patterns', () => {
    expect(isExcluded('a.py', ['', './'])).toBe(false)
  })
})

describe('fileMatcher', () => {
  it('keeps only files in a rule language', () => {
    const match = fileMatcher(['python', 'dockerfile', 'typescript'])
    expect(match('api/app.py')).toBe(true)
    expect(match('Dockerfile')).toBe(true)
    expect(match('build/Dockerfile.prod')).toBe(true)
    expect(match('web/x.tsx')).toBe(true)
    expect(match('README.md')).toBe(false)
    expect(match('main.go')).toBe(false)
  })

  it('does not filter when a rule applies to any file or a language is unknown', () => {
    expect(fileMatcher(['python', 'regex'])('README.md')).toBe(true)
    expect(fileMatcher(['python', 'elixir'])('x.ex')).toBe(true)
    expect(fileMatcher(undefined)('anything')).toBe(true)
  })
})

describe('planDiffTargets', () => {
  it('keeps changed files under the scan path that are not excluded and a rule can read', () => {
    const plan = planDiffTargets({
      changed: ['app/a.py', 'app/tests/t.py', 'docs/x.py', 'app/readme.md', './app/b.py', 'app/a.py'],
      scanPath: './app/',
      exclude: ['tests'],
      ignore: [],
      languages: ['python'],
      isLink: noLinks
    })
    expect(plan).toEqual({ targets: ['app/a.py', 'app/b.py'], outsidePath: 1, excluded: 1, unsupported: 1 })
  })

  it('treats . as the whole repository', () => {
    expect(
      planDiffTargets({
        changed: ['x.go'],
        scanPath: '.',
        exclude: [],
        ignore: [],
        languages: ['go'],
        isLink: noLinks
      }).targets
    ).toEqual(['x.go'])
  })

  it('applies exclude patterns relative to the scan path', () => {
    const plan = planDiffTargets({
      changed: ['svc/gen/a.go', 'svc/b.go'],
      scanPath: 'svc',
      exclude: ['gen/'],
      ignore: [],
      languages: ['go'],
      isLink: noLinks
    })
    expect(plan.targets).toEqual(['svc/b.go'])
  })
})

describe('paths and argv budget', () => {
  it('normalizes repository paths', () => {
    expect(normalizeRepoPath('.')).toBe('')
    expect(normalizeRepoPath('./a/../b/')).toBe('b')
    expect(normalizeRepoPath('a\\b')).toBe('a/b')
  })

  it('keeps the leading dot of names such as .github and .semgrep', () => {
    expect(normalizeRepoPath('.github/workflows/ci.yml')).toBe('.github/workflows/ci.yml')
    expect(normalizeRepoPath('./.github/secure-pipeline.yml')).toBe('.github/secure-pipeline.yml')
    expect(normalizeRepoPath('.semgrepignore')).toBe('.semgrepignore')
    expect(normalizeRepoPath('..hidden/x')).toBe('..hidden/x')
  })

  it('says when a target list no longer fits on a command line', () => {
    expect(fitsArgv(['a.py', 'b.py'], 10)).toBe(true)
    expect(fitsArgv(['a.py', 'b.py', 'c.py'], 10)).toBe(false)
  })
})

describe('semgrepignore in diff plans', () => {
  it('applies Semgrep default ignores when the repository has no .semgrepignore', () => {
    const plan = planDiffTargets({
      changed: ['tests/a.py', 'web/node_modules/x.js', 'pkg/a_test.go', 'pkg/a.go', 'web/app.min.js'],
      scanPath: '.',
      exclude: [],
      ignore: DEFAULT_SEMGREPIGNORE,
      languages: ['python', 'go', 'javascript'],
      isLink: noLinks
    })
    expect(plan.targets).toEqual(['pkg/a.go'])
    expect(plan.excluded).toBe(4)
  })

  it('counts a changed symbolic link as excluded: a diff scan never reads what it points to', () => {
    const plan = planDiffTargets({
      changed: ['a.py', 'link.py'],
      scanPath: '.',
      exclude: [],
      ignore: [],
      languages: ['python'],
      isLink: file => file === 'link.py'
    })
    expect(plan).toEqual({ targets: ['a.py'], outsidePath: 0, excluded: 1, unsupported: 0 })
  })
})
