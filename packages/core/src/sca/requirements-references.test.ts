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
      { name: 'split', source: 'https://example.com/split-1.0.tar.gz', kind: 'url', line: 10 }
    ])
  })

  it('never shows credentials a URL carries', () => {
    const [ref] = directReferences(
      'pkg @ https://__token__:pypi-AgEIcHlwaS5vcmc@example.com/p.tar.gz#sha256=00\n'
    )
    expect(ref!.source).toBe('https://example.com/p.tar.gz')
    expect(JSON.stringify(ref)).not.toMatch(/pypi-AgE|__token__/)
  })
})
