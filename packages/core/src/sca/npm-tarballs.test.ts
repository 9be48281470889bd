import { describe, expect, it } from '@jest/globals'
import { npmTarballReason } from './npm-tarballs.js'

const REGISTRY = 'https://registry.npmjs.org'
const v3 = (entries: Record<string, object>) => ({ lockfileVersion: 3, packages: { '': {}, ...entries } })

describe('npmTarballReason', () => {
  it('passes entries whose registry tarball is the version they lock, scoped, aliased or on a mirror', () => {
    const lock = v3({
      'node_modules/lodash': { version: '4.17.21', resolved: `${REGISTRY}/lodash/-/lodash-4.17.21.tgz` },
      'node_modules/@babel/types': {
        version: '7.15.0',
        resolved: `${REGISTRY}/@babel/types/-/types-7.15.0.tgz`
      },
      'node_modules/x': {
        name: 'lodash',
        version: '4.17.21',
        resolved: `${REGISTRY}/lodash/-/lodash-4.17.21.tgz`
      },
      'node_modules/a/node_modules/ms': {
        version: '2.1.3',
        resolved: 'https://npm.example/artifactory/api/npm/npm/ms/-/ms-2.1.3.tgz'
      },
      'node_modules/git': { version: '1.0.0', resolved: 'git+ssh://git@github.com/o/r.git#abc' },
      'node_modules/url': { version: '1.0.0', resolved: 'https://example.com/download/url.tgz' }
    })
    expect(npmTarballReason(lock)).toBeUndefined()
  })

  it('names an entry npm fetches at another version than it locks, as in npm/cli#3635', () => {
    const lock = v3({
      'node_modules/lodash': { version: '4.17.21', resolved: `${REGISTRY}/lodash/-/lodash-4.17.11.tgz` }
    })
    expect(npmTarballReason(lock)).toBe(
      `the entry "node_modules/lodash" locks lodash@4.17.21 but npm installs it from lodash@4.17.11 (its resolved URL); delete the entry and run \`npm install\` to lock it again`
    )
  })

  it('names an entry whose tarball is another package', () => {
    const lock = v3({
      'node_modules/lodash': { version: '4.17.21', resolved: `${REGISTRY}/evil/-/evil-4.17.21.tgz` }
    })
    expect(npmTarballReason(lock)).toContain('from a tarball named evil-4.17.21.tgz')
  })

  it('reads lockfileVersion 1 dependencies, nested and aliased, only when there are no packages', () => {
    const tarball = `${REGISTRY}/minimist/-/minimist-0.0.8.tgz`
    const v1 = {
      lockfileVersion: 1,
      dependencies: {
        a: { version: '1.0.0', dependencies: { m: { version: 'npm:minimist@1.2.6', resolved: tarball } } }
      }
    }
    expect(npmTarballReason(v1)).toContain('locks minimist@1.2.6 but npm installs it from minimist@0.0.8')
    expect(npmTarballReason({ ...v1, packages: {} })).toBeUndefined()
  })
})
