import { describe, expect, it } from '@jest/globals'
import { directReferences } from './requirements-references.js'

describe('directReferences', () => {
  it('finds each requirement installed from a URL or a VCS, at the line it starts on', () => {
    const text = [
      '# a comment naming https://example.com/x-1.0.tar.gz',
      'requests==2.25.0',
      'remote [extra] @ https://user:s3cret@example.com/remote-1.0.tar.gz?token=abc ; python_version > "3"',
      '-e git+https://github.com/org/bar.git@v1.2#egg=bar',
      '--editable=git+ssh://git@github.com/org/baz.git#egg=baz',
      'git+https://github.com/org/qux.git@main#egg=qux',
      'https://files.example.com/packages/Some.Pkg-2.0-py3-none-any.whl  # vendored',
      'http://example.com/snapshots/wxPython_Phoenix-3.0.3.dev1820+49a8884-cp34-none-win_amd64.whl',
      'https://example.com/archive/refs/tags/v1.zip',
      'split \\',
      '  @ https://example.com/split-1.0.tar.gz',
      '-e .',
      '-e ./libs/own',
      './downloads/numpy-1.9.2-cp34-none-win32.whl',
      'local @ file:///opt/wheels/local-1.0.whl',
      '-e git+file:///home/me/mine#egg=mine',
      '-r other-requirements.txt',
      '-c constraints.txt',
      '--index-url https://pypi.example.com/simple',
      'flask'
    ].join('\n')
    expect(directReferences(text)).toEqual([
      { name: 'remote', source: 'https://example.com/remote-1.0.tar.gz', kind: 'url', line: 3 },
      { name: 'bar', source: 'git+https://github.com/org/bar.git@v1.2', kind: 'vcs', line: 4 },
      { name: 'baz', source: 'git+ssh://github.com/org/baz.git', kind: 'vcs', line: 5 },
      { name: 'qux', source: 'git+https://github.com/org/qux.git@main', kind: 'vcs', line: 6 },
      {
        name: 'Some.Pkg',
        source: 'https://files.example.com/packages/Some.Pkg-2.0-py3-none-any.whl',
        kind: 'url',
        line: 7
      },
      {
        name: 'wxPython_Phoenix',
        source: 'http://example.com/snapshots/wxPython_Phoenix-3.0.3.dev1820+49a8884-cp34-none-win_amd64.whl',
        kind: 'url',
        line: 8
      },
      { name: undefined, source: 'https://example.com/archive/refs/tags/v1.zip', kind: 'url', line: 9 },
      { name: 'split', source: 'https://example.com/split-1.0.tar.gz', kind: 'url', line: 10 },
      { name: 'flask', source: 'no version', kind: 'range', line: 20 }
    ])
  })

  it('never shows credentials a URL carries', () => {
    const [ref] = directReferences(
      'pkg @ https://__token__:pypi-AgEIcHlwaS5vcmc@example.com/p.tar.gz#sha256=00\n'
    )
    expect(ref!.source).toBe('https://example.com/p.tar.gz')
    expect(JSON.stringify(ref)).not.toMatch(/pypi-AgE|__token__/)
  })

  it('does not let a comment ending in a backslash swallow the next line, as pip does not', () => {
    const text =
      '# see C:\\wheels\\\nc @ https://example.com/c-1.0.tar.gz\nflask \\\n# a comment ends the join\nd @ https://example.com/d-1.0.tar.gz\\'
    expect(directReferences(text)).toEqual([
      { name: 'c', source: 'https://example.com/c-1.0.tar.gz', kind: 'url', line: 2 },
      { name: 'flask', source: 'no version', kind: 'range', line: 3 },
      { name: 'd', source: 'https://example.com/d-1.0.tar.gz', kind: 'url', line: 5 }
    ])
  })

  it('breaks lines where Python does (\\r, \\f, U+2028, U+0085), numbering them by \\n as editors do', () => {
    const text =
      'flask\rb @ https://example.com/b-1.0.tar.gz\fc @ https://example.com/c-1.0.tar.gz\u2028\u0085-e git+https://example.com/d.git#egg=d\r\ne @ https://example.com/e-1.0.tar.gz'
    expect(directReferences(text).map(({ name, line }) => [name, line])).toEqual([
      ['flask', 1],
      ['b', 1],
      ['c', 1],
      ['d', 1],
      ['e', 2]
    ])
  })

  it('reads -e as pip does: after other options, quoted, attached, abbreviated, and git:/svn: URLs', () => {
    const text = [
      '--pre -e git+https://example.com/a.git#egg=a',
      '-i https://pypi.example.com/simple --editable=git+https://example.com/b.git#egg=b',
      '-e "git+https://example.com/c.git#egg=c"',
      '-egit+https://example.com/d.git#egg=d',
      '--edit git+https://example.com/e.git#egg=e',
      '-e git://example.com/f.git#egg=f',
      '-e svn://example.com/g/trunk#egg=g',
      '-e=git+https://example.com/rejected.git#egg=rejected',
      '-e ./libs/own'
    ].join('\n')
    expect(directReferences(text).map(({ name, source, line }) => [name, source, line])).toEqual([
      ['a', 'git+https://example.com/a.git', 1],
      ['b', 'git+https://example.com/b.git', 2],
      ['c', 'git+https://example.com/c.git', 3],
      ['d', 'git+https://example.com/d.git', 4],
      ['e', 'git+https://example.com/e.git', 5],
      ['f', 'git+git://example.com/f.git', 6],
      ['g', 'svn+svn://example.com/g/trunk', 7]
    ])
  })

  it('ends a named URL at a marker, as pip does', () => {
    expect(directReferences('x @ https://example.com/x-1.0.tar.gz; python_version<"3"')[0]!.source).toBe(
      'https://example.com/x-1.0.tar.gz'
    )
  })

  it('never shows a password holding @, ? or #, nor one under a scheme with a dash', () => {
    const sources = directReferences(
      [
        'x @ https://u:p@ss@example.com/x-1.0.tar.gz',
        'https://u:p?ss@example.com/x-1.0.tar.gz',
        'https://u:p#ss@example.com/x-1.0.tar.gz',
        'hg+static-http://u:pw@example.com/r#egg=r'
      ].join('\n')
    ).map(ref => ref.source)
    expect(sources).toEqual([
      'https://example.com/x-1.0.tar.gz',
      'https://example.com/x-1.0.tar.gz',
      'https://example.com/x-1.0.tar.gz',
      'hg+static-http://example.com/r'
    ])
  })

  it('reports an index requirement only without one exact version, options and markers aside', () => {
    const text = [
      'a==1.0',
      'b===1.0',
      'c[x] == 2.0 ; python_version > "3"',
      'd==1.0 \\',
      '    --hash=sha256:0000000000000000000000000000000000000000000000000000000000000000',
      'e',
      'f>=1.0',
      'g==1.*',
      'h~=1.2',
      'i>=1,<2',
      'j!=1.0 ; sys_platform == "win32"',
      'k (>=1.0)',
      'downloads/x-1.0.whl',
      './x',
      'file:///opt/x-1.0.whl'
    ].join('\n')
    expect(directReferences(text).map(r => `${r.line} ${r.name} ${r.kind} ${r.source}`)).toEqual([
      '6 e range no version',
      '7 f range >=1.0',
      '8 g range ==1.*',
      '9 h range ~=1.2',
      '10 i range >=1,<2',
      '11 j range !=1.0',
      '12 k range (>=1.0)'
    ])
  })

  it('reads a pull request’s lines of long blank and backslash runs in one pass', () => {
    const blanks = ' '.repeat(200_000)
    const text = [`a${blanks}>=1`, `b${blanks}[x]${blanks}y`, `c${'\\'.repeat(200_000)}d \\`, 'e'].join('\n')
    expect(directReferences(text).map(r => `${r.line} ${r.name} ${r.source}`)).toEqual(['1 a >=1'])
  })
})
