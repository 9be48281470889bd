import { describe, expect, it } from '@jest/globals'
import { createHash } from 'node:crypto'
import {
  computeFingerprint,
  fingerprintOfKey,
  imageRepository,
  type FingerprintInput
} from './fingerprint.js'

const code: FingerprintInput = {
  ruleId: 'r',
  kind: 'code',
  scanner: 'semgrep',
  location: { path: 'a.py', startLine: 10 },
  partialFingerprints: {},
  message: 'm'
}

describe('fingerprintOfKey', () => {
  it("is the first half of the key's sha256, whether hashed in JS (the first few hundred) or natively", () => {
    // Keys with non-ASCII text: the digest is over UTF-8 bytes on both paths.
    const keys = Array.from({ length: 2_000 }, (_, i) => `rule-${i}\u0000src/é/${i}.py\u0000line:${i}`)
    for (const key of keys)
      expect(fingerprintOfKey(key)).toBe(createHash('sha256').update(key, 'utf8').digest('hex').slice(0, 32))
  })
})

describe('computeFingerprint', () => {
  it('is 32 hex chars and deterministic', () => {
    expect(computeFingerprint(code)).toMatch(/^[0-9a-f]{32}$/)
    expect(computeFingerprint(code)).toBe(computeFingerprint({ ...code }))
  })
  it('ignores line shifts when the scanner fingerprint or a snippet is known', () => {
    const withId = { ...code, partialFingerprints: { 'matchBasedId/v1': 'x1' } }
    expect(computeFingerprint(withId)).toBe(
      computeFingerprint({ ...withId, location: { path: 'a.py', startLine: 99 } })
    )
    expect(computeFingerprint(code, 'eval(x)')).toBe(
      computeFingerprint({ ...code, location: { path: 'a.py', startLine: 2 } }, '  eval(x)\n')
    )
    expect(computeFingerprint(code, 'eval(x)')).not.toBe(computeFingerprint(code, 'eval(y)'))
  })
  it('falls back to the line so two matches in one file stay apart', () => {
    expect(computeFingerprint(code)).not.toBe(
      computeFingerprint({ ...code, location: { path: 'a.py', startLine: 11 } })
    )
  })
  it('uses the message only when there is no line', () => {
    const noLine = { ...code, location: { path: 'a.py' } }
    expect(computeFingerprint(noLine)).not.toBe(computeFingerprint({ ...noLine, message: 'other' }))
    expect(computeFingerprint(code)).toBe(computeFingerprint({ ...code, message: 'other' }))
  })
  it('ignores our own fingerprint key when picking the scanner one', () => {
    expect(computeFingerprint({ ...code, partialFingerprints: { 'securePipeline/v1': 'zz' } })).toBe(
      computeFingerprint(code)
    )
  })
  it('identifies packages by purl without qualifiers, and images by repository', () => {
    const dep: FingerprintInput = {
      ruleId: 'CVE-1',
      kind: 'image',
      scanner: 'trivy',
      partialFingerprints: {},
      message: 'm',
      image: 'alpine:3.10@sha256:' + '1'.repeat(64),
      package: { name: 'musl', purl: 'pkg:apk/alpine/musl@1.1?arch=x86_64&distro=3.10.2', fixedVersions: [] }
    }
    const rebuilt = {
      ...dep,
      image: 'alpine:3.10.3',
      package: { ...dep.package!, purl: 'pkg:apk/alpine/musl@1.1?arch=x86_64&distro=3.10.3' }
    }
    expect(computeFingerprint(dep)).toBe(computeFingerprint(rebuilt))
    expect(computeFingerprint(dep)).not.toBe(
      computeFingerprint({ ...dep, package: { ...dep.package!, purl: 'pkg:apk/alpine/musl@1.2' } })
    )
    expect(computeFingerprint(dep)).not.toBe(computeFingerprint({ ...dep, image: 'debian:9' }))
  })
  it('keeps where a package was installed from (vcs_url, download_url) in its identity', () => {
    const dep: FingerprintInput = {
      ruleId: 'dependency-version-unknown',
      kind: 'dependency',
      scanner: 'secure-pipeline-sca',
      partialFingerprints: {},
      message: 'm',
      location: { path: 'requirements.txt', startLine: 3 },
      package: {
        name: 'bar',
        purl: 'pkg:pypi/bar?vcs_url=git%2Bhttps://github.com/org/bar.git%40v1.2',
        fixedVersions: []
      }
    }
    const withPurl = (purl: string) => computeFingerprint({ ...dep, package: { ...dep.package!, purl } })
    expect(withPurl('pkg:pypi/bar?vcs_url=git%2Bhttps://github.com/evil/bar.git%40v1.2')).not.toBe(
      computeFingerprint(dep)
    )
    expect(withPurl('pkg:pypi/bar?vcs_url=git%2Bhttps://github.com/org/bar.git%40v1.3')).not.toBe(
      computeFingerprint(dep)
    )
    expect(withPurl('pkg:pypi/bar?download_url=https://example.com/bar-1.0.tar.gz')).not.toBe(
      withPurl('pkg:pypi/bar?download_url=https://evil.example/bar-1.0.tar.gz')
    )
    // Qualifiers that describe the same package are not part of it, in any order.
    expect(withPurl('pkg:pypi/bar?arch=x86_64&vcs_url=git%2Bhttps://github.com/org/bar.git%40v1.2#sub')).toBe(
      computeFingerprint(dep)
    )
    expect(withPurl('pkg:pypi/bar?arch=x86_64')).toBe(withPurl('pkg:pypi/bar'))
  })
  it('uses ecosystem/name/version without purl', () => {
    const a: FingerprintInput = {
      ruleId: 'GHSA-1',
      kind: 'dependency',
      scanner: 'osv-scanner',
      partialFingerprints: {},
      message: 'm',
      location: { path: 'package-lock.json' },
      package: { name: 'lodash', ecosystem: 'npm', installedVersion: '4.17.0', fixedVersions: [] }
    }
    expect(computeFingerprint(a)).not.toBe(
      computeFingerprint({ ...a, package: { ...a.package!, installedVersion: '4.17.1' } })
    )
    expect(computeFingerprint(a)).not.toBe(
      computeFingerprint({ ...a, location: { path: 'web/package-lock.json' } })
    )
  })
  it('strips tag and digest but keeps a registry port', () => {
    expect(imageRepository('localhost:5000/app:1@sha256:abc')).toBe('localhost:5000/app')
    expect(imageRepository('localhost:5000/app')).toBe('localhost:5000/app')
    expect(imageRepository('alpine')).toBe('alpine')
  })
})
