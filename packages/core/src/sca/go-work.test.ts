import { describe, expect, it } from '@jest/globals'
import { BrokenInputError } from '../runtime/errors.js'
import { goWorkFindings } from './go-work-findings.js'
import { goWorkReplaces, GoWorkSyntaxError, isGoWorkFile } from './go-work.js'

describe('isGoWorkFile', () => {
  it('is go.work by base name only', () => {
    expect(['go.work', 'svc/go.work'].map(isGoWorkFile)).toEqual([true, true])
    expect(['go.work.sum', 'go.mod', 'x.go.work'].map(isGoWorkFile)).toEqual([false, false, false])
  })
})

describe('goWorkReplaces', () => {
  it('reads single-line replaces to a version, a fork and a directory, at their lines', () => {
    const text = [
      'go 1.22',
      '',
      'use ./svc',
      'replace example.com/a v1.2.0 => example.com/a v1.1.0',
      'replace example.com/b => ../local/b // a local fork',
      'replace example.com/c => example.com/fork v0.3.0'
    ].join('\n')
    expect(goWorkReplaces(text)).toEqual([
      {
        line: 4,
        module: 'example.com/a',
        version: 'v1.2.0',
        target: { kind: 'module', module: 'example.com/a', version: 'v1.1.0' }
      },
      { line: 5, module: 'example.com/b', target: { kind: 'directory', path: '../local/b' } },
      {
        line: 6,
        module: 'example.com/c',
        target: { kind: 'module', module: 'example.com/fork', version: 'v0.3.0' }
      }
    ])
  })

  it('reads a replace block, with comments, quoted paths and CRLF line breaks', () => {
    const text = [
      'replace ( // pinned',
      '\t// example.com/x => ./x',
      '\t"example.com/q" v1.0.0 => `./q dir`',
      '',
      '\texample.com/r => "example.com/r" v2.0.0+incompatible',
      ')',
      'use (',
      './a',
      ')'
    ].join('\r\n')
    expect(goWorkReplaces(text)).toEqual([
      {
        line: 3,
        module: 'example.com/q',
        version: 'v1.0.0',
        target: { kind: 'directory', path: './q dir' }
      },
      {
        line: 5,
        module: 'example.com/r',
        target: { kind: 'module', module: 'example.com/r', version: 'v2.0.0+incompatible' }
      }
    ])
  })

  it('takes a comment without a space after the token, and leaves other directives and blocks alone', () => {
    const text = 'use (\n  ./replace\n)\ngodebug default=go1.21\nreplace example.com/a => ./a//note\n'
    expect(goWorkReplaces(text)).toEqual([
      { line: 5, module: 'example.com/a', target: { kind: 'directory', path: './a' } }
    ])
  })

  it('reads a file with no replace as none', () => {
    expect(goWorkReplaces('go 1.22\n\nuse ./svc\n')).toEqual([])
    expect(goWorkReplaces('')).toEqual([])
  })

  it.each([
    ['replace example.com/a => example.com/b', 1, 'without a version'],
    ['replace example.com/a => ./a v1.0.0', 1, 'no version'],
    ['replace example.com/a v1 v2 => ./a', 1, 'usage'],
    ['replace example.com/a', 1, 'usage'],
    ['replace (\nexample.com/a => ./a\n', 1, 'not closed'],
    ['go 1.22\n)\n', 2, 'unexpected'],
    ['replace ( example.com/a => ./a\n)', 1, 'unexpected'],
    ['replace "example.com/a => ./a', 1, 'string'],
    ['replace example.com/a => "./a\\q"', 1, 'quoted'],
    ['/* old */\nreplace example.com/a => ./a', 1, '//'],
    ['replace (\n\treplace example.com/a => ./a\n)', 2, 'version'],
    ['replace example.com/a => example.com/b 1.0.0', 1, 'version']
  ])('refuses %j at line %i', (text, line, words) => {
    let error: unknown
    try {
      goWorkReplaces(text)
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(GoWorkSyntaxError)
    expect((error as GoWorkSyntaxError).line).toBe(line)
    expect((error as Error).message).toContain(words)
  })
})

describe('goWorkFindings', () => {
  const text = [
    'go 1.22',
    'use ./svc',
    'replace example.com/a v1.2.0 => example.com/a v1.1.0',
    'replace (',
    '  example.com/b => ../b',
    ')'
  ].join('\n')

  it('reports each replace by a module as a Go dependency not scanned at the version built, at its line', () => {
    const findings = goWorkFindings('svc/go.work', text.replace('=> ../b', '=> example.com/fork v0.3.0'))
    expect(
      findings.map(f => [f.ruleId, f.severity, f.package?.ecosystem, f.package?.name, f.location])
    ).toEqual([
      ['dependency-version-unknown', 'medium', 'Go', 'example.com/a', { path: 'svc/go.work', startLine: 3 }],
      ['dependency-version-unknown', 'medium', 'Go', 'example.com/b', { path: 'svc/go.work', startLine: 5 }]
    ])
    expect(findings[0]!.message).toContain('example.com/a v1.2.0 is replaced by example.com/a v1.1.0')
    expect(findings[1]!.message).toContain('example.com/b is replaced by example.com/fork v0.3.0')
    for (const f of findings) {
      expect(f.message).toContain('go.mod')
      expect(f.message).toContain('or remove it from svc/go.work')
      // The version go.mod names is not the one built: none is claimed.
      expect(f.package?.installedVersion).toBeUndefined()
    }
    expect(new Set(findings.map(f => f.fingerprint)).size).toBe(2)
  })

  it('reports nothing for a workspace that only uses modules, or replaces one by a local directory', () => {
    // A local directory is the repository's own code, as a go.mod replace to one is (ownCodeMatcher):
    // no advisory database holds it, and moving the replace to go.mod would only silence the result.
    expect(goWorkFindings('go.work', 'go 1.22\n\nuse (\n  ./svc\n  ./lib\n)\n')).toEqual([])
    const findings = goWorkFindings('svc/go.work', text)
    expect(findings.map(f => f.package?.name)).toEqual(['example.com/a'])
    expect(
      goWorkFindings(
        'go.work',
        'go 1.22\nreplace example.com/lib v1.0.0 => ./lib\nreplace x.org/y => /abs/y\n'
      )
    ).toEqual([])
  })

  it('refuses a malformed go.work naming the file and line, on one line', () => {
    expect(() => goWorkFindings('svc/go.work', 'go 1.22\nreplace example.com/a => example.com/b\n')).toThrow(
      BrokenInputError
    )
    expect(() => goWorkFindings('svc/go.work', 'replace (\n')).toThrow(/^svc\/go\.work: line 1: [^\n]+$/)
  })
})
