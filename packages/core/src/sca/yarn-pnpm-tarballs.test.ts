import { describe, expect, it } from '@jest/globals'
import { tarballReadReason } from './yarn-pnpm-tarballs.js'

const YARN_REGISTRY = 'https://registry.yarnpkg.com'
const v1 = (header: string, version: string, resolved: string) =>
  `# yarn lockfile v1\n\n\n${header}:\n  version "${version}"\n  resolved "${resolved}#0123abcd"\n  integrity sha512-x\n`
const berry = (header: string, version: string, resolution: string) =>
  `__metadata:\n  version: 8\n  cacheKey: 10c0\n\n"${header}":\n  version: ${version}\n  resolution: "${resolution}"\n  checksum: 10c0/ab\n  languageName: node\n  linkType: hard\n`

describe('tarballReadReason: yarn.lock v1', () => {
  it('passes entries whose resolved tarball is the version they lock, scoped, aliased or from git', () => {
    const text = [
      v1('lodash@^4.17.0, lodash@^4.17.21', '4.17.21', `${YARN_REGISTRY}/lodash/-/lodash-4.17.21.tgz`),
      v1('"@babel/types@^7.0.0"', '7.15.0', `${YARN_REGISTRY}/@babel/types/-/types-7.15.0.tgz`),
      v1(
        '"string-width-cjs@npm:string-width@^4.2.0"',
        '4.2.3',
        `${YARN_REGISTRY}/string-width/-/string-width-4.2.3.tgz`
      ),
      v1('"x@github:o/r#abc"', '1.0.0', 'https://codeload.github.com/o/r/tar.gz/abc')
    ].join('\n')
    expect(tarballReadReason('yarn.lock', text)).toBeUndefined()
  })

  it('names an entry yarn fetches at another version than its version line, which the scan reports', () => {
    const text = v1('lodash@^4.17.0', '4.17.21', `${YARN_REGISTRY}/lodash/-/lodash-4.17.11.tgz`)
    expect(tarballReadReason('web/yarn.lock', text)).toBe(
      'the entry "lodash@^4.17.0" locks lodash@4.17.21 but yarn installs it from lodash@4.17.11 (its resolved URL); delete the entry and run `yarn install` to lock it again'
    )
  })

  it('tells how to fix an npm: alias without a range, which the scan reports under the alias name', () => {
    const ms = `${YARN_REGISTRY}/ms/-/ms-2.1.3.tgz`
    expect(tarballReadReason('yarn.lock', v1('"foo-ms@npm:ms"', '2.1.3', ms))).toBe(
      'the entry "\\"foo-ms@npm:ms\\"" locks foo-ms@2.1.3 but yarn installs it from a tarball named ms-2.1.3.tgz (its resolved URL); give the alias a version range in package.json ("foo-ms": "npm:ms@^2.1.3") and run `yarn install`, as without one yarn writes the entry again and the scan reads the alias name'
    )
    expect(tarballReadReason('yarn.lock', v1('"foo-ms@npm:ms@^2.1.3"', '2.1.3', ms))).toBeUndefined()
    const scoped = `${YARN_REGISTRY}/@scope/pkg/-/pkg-1.0.0.tgz`
    expect(tarballReadReason('yarn.lock', v1('"foo@npm:@scope/pkg"', '1.0.0', scoped))).toContain(
      'give the alias a version range in package.json ("foo": "npm:@scope/pkg@^1.0.0")'
    )
    expect(tarballReadReason('yarn.lock', v1('"foo@npm:@scope/pkg@^1.0.0"', '1.0.0', scoped))).toBeUndefined()
  })

  it('names an entry whose tarball is another package', () => {
    const text = v1('lodash@^4.17.0', '4.17.21', `${YARN_REGISTRY}/evil/-/evil-4.17.21.tgz`)
    expect(tarballReadReason('yarn.lock', text)).toContain('from a tarball named evil-4.17.21.tgz')
  })
})

describe('tarballReadReason: yarn.lock v2+ (berry)', () => {
  it('passes an entry whose resolution is the version it locks, aliased or patched', () => {
    const text = [
      berry('lodash@npm:^4.17.0', '4.17.21', 'lodash@npm:4.17.21'),
      berry('string-width-cjs@npm:string-width@^4.2.0', '4.2.3', 'string-width@npm:4.2.3'),
      berry(
        'resolve@patch:resolve@npm%3A^1.0.0#~builtin<compat/resolve>',
        '1.22.1',
        'resolve@patch:resolve@npm%3A1.22.1#~builtin<compat/resolve>::version=1.22.1&hash=c3c19d'
      )
    ].join('\n')
    expect(tarballReadReason('yarn.lock', text)).toBeUndefined()
  })

  it('names an entry berry fetches by a resolution of another version or package, or another archive', () => {
    expect(
      tarballReadReason('yarn.lock', berry('lodash@npm:^4.17.0', '4.17.21', 'lodash@npm:4.17.11'))
    ).toContain('locks lodash@4.17.21 but yarn installs it from lodash@4.17.11 (its resolution)')
    expect(
      tarballReadReason('yarn.lock', berry('lodash@npm:^4.17.0', '4.17.21', 'evil@npm:4.17.21'))
    ).toContain('but yarn installs it from evil@4.17.21')
    expect(tarballReadReason('yarn.lock', berry('foo-ms@npm:ms', '2.1.3', 'ms@npm:2.1.3'))).toContain(
      '(its resolution); give the alias a version range in package.json ("foo-ms": "npm:ms@^2.1.3")'
    )
    const archive = encodeURIComponent('https://registry.npmjs.org/lodash/-/lodash-4.17.11.tgz')
    expect(
      tarballReadReason(
        'yarn.lock',
        berry('lodash@npm:^4.17.0', '4.17.21', `lodash@npm:4.17.21::__archiveUrl=${archive}`)
      )
    ).toContain('but yarn installs it from lodash@4.17.11')
  })
})

describe('tarballReadReason: pnpm-lock.yaml', () => {
  const pnpm = (lockfileVersion: string, key: string, body: string) =>
    `lockfileVersion: '${lockfileVersion}'\n\npackages:\n\n  ${key}:\n    ${body}\n`

  it('passes packages locked by integrity only, or whose tarball is the version their key names', () => {
    const tarball = 'https://registry.npmjs.org/lodash/-/lodash-4.17.21.tgz'
    for (const text of [
      pnpm('9.0', 'lodash@4.17.21', 'resolution: {integrity: sha512-x}'),
      pnpm('9.0', 'lodash@4.17.21', `resolution: {integrity: sha512-x, tarball: '${tarball}'}`),
      pnpm('6.0', '/lodash@4.17.21(react@18.0.0)', `resolution: {tarball: '${tarball}'}`),
      pnpm('5.4', '/lodash/4.17.21_react@18.0.0', `resolution: {tarball: '${tarball}'}`),
      pnpm(
        '9.0',
        'x@https://example.com/x.tgz',
        "resolution: {tarball: 'https://example.com/x.tgz'}\n    version: 1.0.0"
      )
    ])
      expect(tarballReadReason('pnpm-lock.yaml', text)).toBeUndefined()
  })

  it('names a package pnpm fetches from a tarball of another version than its key, in each key format', () => {
    const tarball = "resolution: {tarball: 'https://registry.npmjs.org/lodash/-/lodash-4.17.11.tgz'}"
    expect(tarballReadReason('pnpm-lock.yaml', pnpm('9.0', 'lodash@4.17.21', tarball))).toBe(
      'the entry "lodash@4.17.21" locks lodash@4.17.21 but pnpm installs it from lodash@4.17.11 (its resolution tarball); delete the entry and run `pnpm install` to lock it again'
    )
    expect(tarballReadReason('pnpm-lock.yaml', pnpm('6.0', '/lodash@4.17.21', tarball))).toContain(
      'locks lodash@4.17.21 but pnpm installs it from lodash@4.17.11'
    )
    expect(tarballReadReason('pnpm-lock.yaml', pnpm('5.4', '/lodash/4.17.21', tarball))).toContain(
      'locks lodash@4.17.21 but pnpm installs it from lodash@4.17.11'
    )
  })

  it('refuses a file too large to check rather than leaving its tarballs unchecked', () => {
    // Valid YAML the engine reads whole: aliases that expand it past the reader's bound must not turn the
    // check off for the mismatched entry beside them.
    const bomb = ['a: &a [x, x, x, x, x, x, x, x, x, x]']
    for (let i = 1; i < 8; i++)
      bomb.push(
        `${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(10)
          .fill(`*${String.fromCharCode(96 + i)}`)
          .join(', ')}]`
      )
    const text = `${pnpm('9.0', 'lodash@4.17.21', "resolution: {tarball: 'https://registry.npmjs.org/lodash/-/lodash-4.17.11.tgz'}")}padding:\n${bomb.map(l => `  ${l}`).join('\n')}\n`
    expect(tarballReadReason('pnpm-lock.yaml', text)).toMatch(
      /^is too large to check which tarball pnpm installs for each entry \(.*nodes\); /
    )
  })

  it('leaves a file it cannot parse to the engine, and other files alone', () => {
    expect(tarballReadReason('pnpm-lock.yaml', 'packages: [')).toBeUndefined()
    expect(tarballReadReason('package.json', '{}')).toBeUndefined()
  })
})
