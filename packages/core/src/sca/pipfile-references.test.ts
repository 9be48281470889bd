import { describe, expect, it } from '@jest/globals'
import { pipfileReferences } from './pipfile-references.js'

describe('pipfileReferences', () => {
  it('finds what a Pipfile.lock installs from a VCS, a URL or without an exact version', () => {
    const lock = {
      default: {
        requests: { hashes: ['sha256:00'], version: '==2.25.0' },
        exact: { version: '===1.0' },
        six: { version: '*' },
        bare: {},
        mylib: { git: 'https://user:pw@github.com/org/mylib.git', ref: '0123456789abcdef' },
        urlpkg: { file: 'https://example.com/urlpkg-1.0.tar.gz?token=abc' },
        local: { editable: true, path: '.' },
        vendored: { file: 'file:///opt/wheels/vendored-1.0.whl' },
        localgit: { git: 'file:///home/me/repo', ref: 'abc' },
        localgitplus: { git: 'git+file:///home/me/repo', ref: 'abc' },
        oddref: { git: 'git+https://github.com/org/odd.git', ref: 'v1\n::warning::x' }
      },
      develop: { devhg: { hg: 'https://hg.example.com/devhg', editable: true } }
    }
    expect(pipfileReferences(JSON.stringify(lock))).toEqual([
      { name: 'six', kind: 'range', source: '*', line: undefined },
      { name: 'bare', kind: 'range', source: 'no version', line: undefined },
      // The locked ref is what is installed; written as a requirements line names it.
      {
        name: 'mylib',
        kind: 'vcs',
        source: 'git+https://github.com/org/mylib.git@0123456789abcdef',
        line: undefined
      },
      { name: 'urlpkg', kind: 'url', source: 'https://example.com/urlpkg-1.0.tar.gz', line: undefined },
      {
        name: 'oddref',
        kind: 'vcs',
        source: 'git+https://github.com/org/odd.git@v1%0A%3A%3Awarning%3A%3Ax',
        line: undefined
      },
      { name: 'devhg', kind: 'vcs', source: 'hg+https://hg.example.com/devhg', line: undefined }
    ])
  })

  it('adds nothing for a file that is not a Pipfile.lock object', () => {
    expect(pipfileReferences('{"default": [')).toEqual([])
    expect(pipfileReferences('[]')).toEqual([])
  })
})
