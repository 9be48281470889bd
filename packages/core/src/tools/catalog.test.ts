import { describe, expect, it } from '@jest/globals'
import { ConfigurationError } from '../runtime/errors.js'
import catalogJson from './catalog.json' with { type: 'json' }
import { defaultCatalog, PLATFORMS } from './catalog.js'
import { parseCatalog } from './catalog-schema.js'
import { applyMirror, preProvisionedEnvName } from './locate.js'

const asset = {
  url: 'https://github.com/o/r/releases/download/v1.0.0/r.tar.gz',
  sha256: 'a'.repeat(64),
  archive: 'tar.gz',
  binary: 'r',
  source: 'test'
}

describe('the shipped catalog', () => {
  const catalog = defaultCatalog()

  it('passes the schema as the bundle ships it, which no run checks again', () => {
    expect(parseCatalog(catalogJson, 'catalog.json')).toEqual(catalog)
  })

  it('pins every tool the actions need, each with a default', () => {
    expect(Object.keys(catalog.tools).sort()).toEqual([
      'crane',
      'grype',
      'kustomize',
      'opengrep',
      'osv-scanner',
      'trivy',
      'uv'
    ])
    expect(catalog.tools.trivy?.default).toBe('0.74.0')
    expect(catalog.tools['osv-scanner']?.default).toBe('2.6.0')
    expect(catalog.tools.kustomize?.default).toBe('5.8.2')
    // uv installs the sast action's locked Semgrep wheels; scripts/install-tools.sh pins the same release.
    expect(catalog.tools.uv?.default).toBe('0.13.0')
    for (const [name, tool] of Object.entries(catalog.tools)) {
      expect([name, tool.default && tool.versions[tool.default]?.['linux-x64']?.url]).toEqual([
        name,
        expect.stringMatching(/^https:\/\/github\.com\//)
      ])
    }
  })

  it('never pins the same hash twice (a copy-paste slip would)', () => {
    const hashes = Object.values(catalog.tools).flatMap(tool =>
      Object.values(tool.versions).flatMap(platforms => Object.values(platforms).map(a => a?.sha256))
    )
    expect(hashes.length).toBeGreaterThanOrEqual(26)
    expect(new Set(hashes).size).toBe(hashes.length)
  })

  it('names the release asset of its own tool and version', () => {
    for (const [name, tool] of Object.entries(catalog.tools)) {
      for (const [version, platforms] of Object.entries(tool.versions)) {
        for (const a of Object.values(platforms)) {
          // uv tags its releases without the leading v.
          expect(a?.url).toContain(name === 'uv' ? `/download/${version}/` : `/v${version}/`)
          expect(
            a?.binary
              .split('/')
              .pop()
              ?.replace(/\.exe$/, '')
          ).toBe(name)
        }
      }
    }
  })
})

describe('parseCatalog', () => {
  it('accepts a minimal catalog', () => {
    const parsed = parseCatalog({
      tools: { r: { default: '1.0.0', versions: { '1.0.0': { 'linux-x64': asset } } } }
    })
    expect(parsed.tools.r?.versions['1.0.0']?.['linux-x64']?.sha256).toBe('a'.repeat(64))
  })

  it.each([
    [
      'a compromised trivy release',
      { trivy: { versions: { '0.69.6': { 'linux-x64': asset } } } },
      /compromised/
    ],
    [
      'a non-GitHub URL',
      { r: { versions: { '1.0.0': { 'linux-x64': { ...asset, url: 'https://evil.example/r' } } } } },
      /url/
    ],
    [
      'a short hash',
      { r: { versions: { '1.0.0': { 'linux-x64': { ...asset, sha256: 'abc' } } } } },
      /sha256/
    ],
    [
      'an upper-case hash',
      { r: { versions: { '1.0.0': { 'linux-x64': { ...asset, sha256: 'A'.repeat(64) } } } } },
      /sha256/
    ],
    [
      'a binary outside the archive',
      { r: { versions: { '1.0.0': { 'linux-x64': { ...asset, binary: '../r' } } } } },
      /binary/
    ],
    [
      'an unknown platform',
      { r: { versions: { '1.0.0': { 'linux-s390x': asset } } } },
      /linux-s390x|platform|key/i
    ],
    ['a loose version', { r: { versions: { '1.0': { 'linux-x64': asset } } } }, /1\.0/],
    [
      'a default that is not listed',
      { r: { default: '2.0.0', versions: { '1.0.0': { 'linux-x64': asset } } } },
      /default/
    ],
    [
      'a binary that is no string',
      { r: { versions: { '1.0.0': { 'linux-x64': { ...asset, binary: 42 } } } } },
      /binary: expected a non-empty string, got number 42/
    ],
    [
      'an asset without a source',
      { r: { versions: { '1.0.0': { 'linux-x64': { ...asset, source: '' } } } } },
      /source/
    ]
  ])('refuses %s', (_name, tools, message) => {
    expect(() => parseCatalog({ tools })).toThrow(ConfigurationError)
    expect(() => parseCatalog({ tools })).toThrow(message)
  })

  it('lists the five platforms in a fixed order', () => {
    expect(PLATFORMS).toEqual(['linux-x64', 'linux-arm64', 'darwin-x64', 'darwin-arm64', 'win32-x64'])
  })
})

describe('applyMirror', () => {
  const url =
    'https://github.com/aquasecurity/trivy/releases/download/v0.74.0/trivy_0.74.0_Linux-64bit.tar.gz'

  it('replaces only the origin, keeping a base path', () => {
    expect(applyMirror(url, 'https://ghes.example.com/mirror/')).toBe(
      'https://ghes.example.com/mirror/aquasecurity/trivy/releases/download/v0.74.0/trivy_0.74.0_Linux-64bit.tar.gz'
    )
    expect(applyMirror(url, 'http://10.0.0.5:8080')).toBe(
      'http://10.0.0.5:8080/aquasecurity/trivy/releases/download/v0.74.0/trivy_0.74.0_Linux-64bit.tar.gz'
    )
  })

  it('leaves the URL alone without a mirror', () => {
    expect(applyMirror(url, undefined)).toBe(url)
    expect(applyMirror(url, '  ')).toBe(url)
  })
})

describe('preProvisionedEnvName', () => {
  it('upper-cases and replaces dashes', () => {
    expect(preProvisionedEnvName('osv-scanner')).toBe('SECURE_PIPELINE_OSV_SCANNER_PATH')
    expect(preProvisionedEnvName('trivy')).toBe('SECURE_PIPELINE_TRIVY_PATH')
  })
})
