import { describe, expect, it } from '@jest/globals'
import { packagePurl, pep503Name } from './purl.js'

describe('packagePurl', () => {
  it('encodes an npm scope as a namespace with @ percent-encoded', () => {
    expect(packagePurl({ ecosystem: 'npm', name: '@babel/code-frame', version: '7.0.0' })).toBe(
      'pkg:npm/%40babel/code-frame@7.0.0'
    )
  })
  it('writes PyPI names in PEP 503 form and splits Maven and Go names into namespace and name', () => {
    expect(packagePurl({ ecosystem: 'PyPI', name: 'Mopidy_Dirble', version: '1.1' })).toBe(
      'pkg:pypi/mopidy-dirble@1.1'
    )
    expect(
      packagePurl({ ecosystem: 'Maven', name: 'org.apache.logging.log4j:log4j-core', version: '2.14.1' })
    ).toBe('pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1')
    expect(packagePurl({ ecosystem: 'Go', name: 'golang.org/x/net', version: '0.5.0' })).toBe(
      'pkg:golang/golang.org/x/net@0.5.0'
    )
    expect(packagePurl({ ecosystem: 'Packagist', name: 'sentry/sdk', version: '2.0.4' })).toBe(
      'pkg:composer/sentry/sdk@2.0.4'
    )
    expect(packagePurl({ ecosystem: 'crates.io', name: 'syn', version: '2.0.15' })).toBe(
      'pkg:cargo/syn@2.0.15'
    )
    expect(packagePurl({ ecosystem: 'RubyGems', name: 'rails', version: '7.0.2.2' })).toBe(
      'pkg:gem/rails@7.0.2.2'
    )
  })
  it('leaves out a missing version and gives no purl for an ecosystem purl has no type for', () => {
    expect(packagePurl({ ecosystem: 'PyPI', name: 'requests' })).toBe('pkg:pypi/requests')
    expect(packagePurl({ ecosystem: 'OSS-Fuzz', name: 'bash', version: '5.2' })).toBeUndefined()
  })
  it('says where a package came from in vcs_url or download_url, as the spec encodes them', () => {
    expect(
      packagePurl({
        ecosystem: 'PyPI',
        name: 'Bar_Lib',
        source: { kind: 'vcs', url: 'git+https://github.com/org/bar.git@v1.2' }
      })
    ).toBe('pkg:pypi/bar-lib?vcs_url=git%2Bhttps://github.com/org/bar.git%40v1.2')
    expect(
      packagePurl({
        ecosystem: 'PyPI',
        name: 'baz',
        source: { kind: 'download', url: 'https://example.com/baz 1.0.tar.gz' }
      })
    ).toBe('pkg:pypi/baz?download_url=https://example.com/baz%201.0.tar.gz')
  })

  it('names a distribution package under its vendor, whatever the release', () => {
    expect(packagePurl({ ecosystem: 'Debian:12', name: 'bash', version: '5.2.15-2' })).toBe(
      'pkg:deb/debian/bash@5.2.15-2'
    )
    expect(packagePurl({ ecosystem: 'Alpine:v3.19', name: 'musl', version: '1.2.4-r2' })).toBe(
      'pkg:apk/alpine/musl@1.2.4-r2'
    )
  })
  it('normalizes runs of - _ . to one dash, lower case (PEP 503)', () => {
    expect(pep503Name('PyYAML')).toBe('pyyaml')
    expect(pep503Name('zope.interface__x')).toBe('zope-interface-x')
  })
})
