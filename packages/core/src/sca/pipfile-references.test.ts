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
        localgit: { git: 'file:///home/me/repo', ref: 'abc' }
      },
      develop: { devhg: { hg: 'https://hg.example.com/devhg', editable: true } }
    }
    expect(pipfileReferences(JSON.stringify(lock))).toEqual([
      { name: 'six', kind: 'range', source: '*', line: undefined },
      { name: 'bare', kind: 'range', source: 'no version', line: undefined },
      { name: 'mylib', kind: 'vcs', source: 'https://github.com/org/mylib.git', line: undefined },
      { name: 'urlpkg', kind: 'url', source: 'https://example.com/urlpkg-1.0.tar.gz', line: undefined },
      { name: 'devhg', kind: 'vcs', source: 'https://hg.example.com/devhg', line: undefined }
    ])
  })

  it('adds nothing for a file that is not a Pipfile.lock object', () => {
    expect(pipfileReferences('{"default": [')).toEqual([])
    expect(pipfileReferences('[]')).toEqual([])
  })
})
