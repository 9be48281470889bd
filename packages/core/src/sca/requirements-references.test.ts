import { describe, expect, it } from '@jest/globals'
import { directReferences, pipIncludes } from './requirements-references.js'

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

/** Expected values checked against pip 23.2's own parser (`req_file.preprocess` and its line parser). */
describe('pipIncludes (what pip installs from by -r)', () => {
  const includes = (text: string) => pipIncludes(text).map(i => `${i.line}:${i.target}`)

  it('finds -r and --requirement in each form optparse reads, after other options, and no -c', () => {
    const text = [
      'flask==2.0.0',
      '-r short.txt',
      '-rattached.txt',
      '--requirement long.txt',
      '--requirement=longeq.txt',
      '--requirem abbreviated.txt',
      '--pre -r after-option.txt',
      '-i https://pypi.example.com/simple --requirement after-index.txt',
      '-c constraints.txt',
      '--constraint=clong.txt',
      '\t-r\tindented.txt  '
    ].join('\n')
    expect(pipIncludes(text).map(i => `${i.line} ${i.option} ${i.target}`)).toEqual([
      '2 -r short.txt',
      '3 -r attached.txt',
      '4 --requirement long.txt',
      '5 --requirement longeq.txt',
      '6 --requirem abbreviated.txt',
      '7 -r after-option.txt',
      '8 --requirement after-index.txt',
      '11 -r indented.txt'
    ])
  })

  it('splits as shlex does: quotes, backslash escapes, concatenation, an empty word', () => {
    const text = [
      '-r "double quoted.txt"',
      "-r 'single quoted.txt'",
      '-r a\\ b.txt',
      '-r "esc\\"aped\\x.txt"',
      "-r 'back\\slash.txt'",
      '-r "con"cat\'ed\'.txt',
      "-r ''"
    ].join('\n')
    expect(includes(text)).toEqual([
      '1:double quoted.txt',
      '2:single quoted.txt',
      '3:a b.txt',
      '4:esc"aped\\x.txt',
      '5:back\\slash.txt',
      '6:concated.txt',
      '7:'
    ])
  })

  it('follows what pip follows only: a line of options, its first -r, none beside -e, none it refuses', () => {
    const text = [
      'flask -r on-a-requirement.txt',
      '-e . -r with-editable.txt',
      '-r first.txt -r second.txt',
      '-c constraints.txt --requirement over-constraint.txt',
      '-i -r taken-as-index-url.txt',
      '-- -r after-double-dash.txt',
      '-r "unclosed.txt',
      '-r',
      '--re ambiguous.txt',
      '-r last.txt\\'
    ].join('\n')
    expect(includes(text)).toEqual(['3:first.txt', '4:over-constraint.txt', '10:last.txt'])
  })

  it('reads comments, joined lines and environment variables on pip’s logical lines', () => {
    const text = [
      '# -r commented.txt',
      '-r hashed.txt # -r not-this.txt',
      '-r name#with-hash.txt',
      // pip joins the next line into this comment; osv-scanner follows it (engineIncludes).
      'flask==2.0 # c \\',
      '-r after-comment-join.txt',
      '-r \\',
      'joined.txt',
      // The engine reads `a.txt b.txt` here.
      '-r a.txt \\',
      'b.txt',
      '--pre \\',
      '  --requirement split.txt',
      '-r ${REQS_DIR}/env.txt',
      '-r "a #b.txt"',
      // U+001F is a blank to Python: this is a comment line, which ends no join.
      '\u001f# comment \\',
      '-r after-unicode-blank-comment.txt'
    ].join('\n')
    expect(includes(text)).toEqual([
      '2:hashed.txt',
      '3:name#with-hash.txt',
      '6:joined.txt',
      '8:a.txt',
      '10:split.txt',
      '12:${REQS_DIR}/env.txt',
      '15:after-unicode-blank-comment.txt'
    ])
  })

  it('reads a pull request’s long runs of blanks, quotes and backslashes in linear time', () => {
    const n = 200_000
    const blanks = ' '.repeat(n)
    const text = [
      `-r${blanks}a.txt${blanks}`,
      `-r "${'\\"'.repeat(n)}"`,
      `--pre ${"''".repeat(n)} -r b.txt`,
      `-r ${'\\ '.repeat(n)}x`,
      `-r "${'"'.repeat(n)}`,
      `-r ${blanks}#${blanks}x`,
      `${'-'.repeat(n)}`
    ].join('\n')
    const started = Date.now()
    expect(includes(text)).toEqual(['1:a.txt', `2:${'"'.repeat(n)}`, '3:b.txt', `4:${' '.repeat(n)}x`])
    expect(Date.now() - started).toBeLessThan(1000)
  })
})
