import { describe, expect, it } from '@jest/globals'
import { ConfigurationError } from '../runtime/errors.js'
import { parseChallenge } from './challenge.js'
import { isLoopbackHost } from '../runtime/loopback.js'
import { registryBaseUrl } from './endpoint.js'
import { parseManifest } from './manifest.js'
import { formatPlatform, parsePlatform, runnerPlatform, selectPlatform } from './platform.js'

describe('parseChallenge', () => {
  it('reads a Bearer challenge with quoted values holding commas and escapes', () => {
    expect(
      parseChallenge(
        'Bearer realm="https://auth.example/token",service="reg, one",scope="repository:o/a:pull" '
      )
    ).toEqual({
      scheme: 'bearer',
      params: { realm: 'https://auth.example/token', service: 'reg, one', scope: 'repository:o/a:pull' }
    })
    expect(parseChallenge('Basic realm="a \\"b\\""')).toEqual({ scheme: 'basic', params: { realm: 'a "b"' } })
  })

  it('keeps the first of two challenges and reads nothing from garbage', () => {
    expect(parseChallenge('Basic realm=x, Bearer realm="y"')?.scheme).toBe('basic')
    expect(parseChallenge(null)).toBeUndefined()
    expect(parseChallenge('  ')).toBeUndefined()
  })
})

describe('endpoints', () => {
  it('speaks https except on the loopback interface, and to Docker Hub through its API host', () => {
    expect(registryBaseUrl('docker.io')).toBe('https://registry-1.docker.io')
    expect(registryBaseUrl('ghcr.io')).toBe('https://ghcr.io')
    expect(registryBaseUrl('localhost:5000')).toBe('http://localhost:5000')
    expect(registryBaseUrl('127.0.0.1:5000')).toBe('http://127.0.0.1:5000')
    for (const host of [
      '127.0.0.1.evil.example:5000',
      'localhost.evil.example',
      '10.0.0.1:5000',
      '128.0.0.1'
    ])
      expect([host, isLoopbackHost(host)]).toEqual([host, false])
    expect(isLoopbackHost('[::1]:5000')).toBe(true)
  })
})

describe('platforms', () => {
  it('parses os/arch[/variant] and names the input in its error', () => {
    expect(parsePlatform('linux/arm64/v8')).toEqual({ os: 'linux', architecture: 'arm64', variant: 'v8' })
    expect(formatPlatform(parsePlatform(' Linux/AMD64 '))).toBe('linux/amd64')
    expect(() => parsePlatform('linux', "Input 'platform'")).toThrow(ConfigurationError)
    expect(() => parsePlatform('linux/../x', "Input 'platform'")).toThrow("Input 'platform' must be os/arch")
  })

  it('treats arm64 with no variant and v8 as the same, and never picks an attestation', () => {
    const entries = [
      { name: 'att', platform: { os: 'unknown', architecture: 'unknown' } },
      { name: 'armv7', platform: { os: 'linux', architecture: 'arm', variant: 'v7' } },
      { name: 'arm64', platform: { os: 'linux', architecture: 'arm64', variant: 'v8' } },
      { name: 'amd64', platform: { os: 'linux', architecture: 'amd64' } }
    ]
    expect(selectPlatform(entries, { os: 'linux', architecture: 'arm64' })?.name).toBe('arm64')
    expect(selectPlatform(entries, { os: 'linux', architecture: 'arm', variant: 'v6' })).toBeUndefined()
    expect(selectPlatform(entries, { os: 'linux', architecture: 'amd64' })?.name).toBe('amd64')
    expect(runnerPlatform('x64')).toEqual({ os: 'linux', architecture: 'amd64' })
  })
})

describe('parseManifest', () => {
  const descriptor = { mediaType: 'application/x', digest: `sha256:${'a'.repeat(64)}`, size: 1 }
  const manifest = { schemaVersion: 2, config: descriptor, layers: [descriptor] }

  it('reads an image manifest and an index, the declared media type first', () => {
    expect(parseManifest(Buffer.from(JSON.stringify(manifest))).kind).toBe('manifest')
    // Fields the spec adds later pass through unread.
    const annotated = {
      ...manifest,
      subject: descriptor,
      annotations: { 'org.opencontainers.image.created': '' }
    }
    expect(parseManifest(Buffer.from(JSON.stringify(annotated)))).toMatchObject({ manifest: annotated })
    const index = {
      schemaVersion: 2,
      mediaType: 'application/vnd.docker.distribution.manifest.list.v2+json',
      manifests: [descriptor]
    }
    expect(parseManifest(Buffer.from(JSON.stringify(index)))).toMatchObject({
      kind: 'index',
      mediaType: index.mediaType
    })
  })

  it.each([
    ['not JSON', '{', undefined, 'is not JSON'],
    ['schema 1', '{"schemaVersion":1}', undefined, 'schema 1'],
    [
      'a bad digest',
      JSON.stringify({ ...manifest, layers: [{ ...descriptor, digest: 'md5:x' }] }),
      undefined,
      'layers.0.digest'
    ],
    ['no config', JSON.stringify({ schemaVersion: 2, layers: [] }), undefined, 'config: expected an object'],
    [
      'a negative size and a platform without os',
      JSON.stringify({
        schemaVersion: 2,
        manifests: [{ ...descriptor, size: -1, platform: { architecture: 'amd64' } }]
      }),
      'application/vnd.oci.image.index.v1+json',
      'manifests.0.size: must be a whole number of bytes, 0 to 2^53 - 1; manifests.0.platform.os: expected a string'
    ],
    [
      'a size past 2^53 - 1 (beyond exact arithmetic)',
      JSON.stringify({ ...manifest, layers: [{ ...descriptor, size: 2 ** 53 }] }),
      undefined,
      'layers.0.size: must be a whole number of bytes, 0 to 2^53 - 1'
    ],
    [
      'an annotation that is not text',
      JSON.stringify({ ...manifest, annotations: { a: 1 } }),
      undefined,
      'annotations.a: expected a string'
    ],
    [
      // Go's encoding/json, which crane, the engine and container runtimes read with, takes the last of the two.
      'layers given twice in spellings Go reads as one',
      JSON.stringify({ ...manifest, Layers: [] }),
      undefined,
      "(root): gives 'layers' and 'Layers', one field to Go-based tools, which read the last"
    ],
    [
      'a platform variant given twice',
      JSON.stringify({
        schemaVersion: 2,
        manifests: [{ ...descriptor, platform: { os: 'linux', architecture: 'arm', VARIANT: 'v6' } }]
      }),
      'application/vnd.oci.image.index.v1+json',
      "manifests.0.platform: gives 'variant' and 'VARIANT'"
    ],
    [
      // Go folds the long s (U+017F) to s.
      'layers spelt with the long s',
      JSON.stringify({ ...manifest, 'layer\u017f': [] }),
      undefined,
      "(root): gives 'layers' and 'layer\u017f'"
    ],
    [
      'a contradiction',
      JSON.stringify({ ...manifest, mediaType: 'application/vnd.oci.image.manifest.v1+json' }),
      'application/vnd.oci.image.index.v1+json',
      'served as'
    ]
  ])('refuses %s', (_name, text, contentType, message) => {
    expect(() => parseManifest(Buffer.from(text), contentType)).toThrow(message)
  })
})
