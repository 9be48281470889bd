import { describe, expect, it } from '@jest/globals'
import { ConfigurationError } from '../runtime/errors.js'
import { isAllowedImage, parseAllowedRegistries, parseRegistryScope } from './registry-scope.js'

const admitted = (entries: string[], images: string[]) => images.filter(i => isAllowedImage(i, entries))

describe('allowed-registries entries', () => {
  it('match the registry host exactly, never as a string prefix', () => {
    expect(
      admitted(
        ['ghcr.io'],
        [
          'ghcr.io/acme/api:1',
          'ghcr.io.evil.net/x:1',
          'ghcr.iox/y:1',
          'evil.net/ghcr.io/z:1',
          'GHCR.IO/acme/b:2'
        ]
      )
    ).toEqual(['ghcr.io/acme/api:1', 'GHCR.IO/acme/b:2'])
  })

  it('match a repository path on / boundaries, with or without a trailing slash', () => {
    const images = ['ghcr.io/acme/api:1', 'ghcr.io/acme:1', 'ghcr.io/acme-evil/x:1', 'ghcr.io/acmex:1']
    expect(admitted(['ghcr.io/acme/'], images)).toEqual(['ghcr.io/acme/api:1', 'ghcr.io/acme:1'])
    expect(admitted(['ghcr.io/acme'], images)).toEqual(['ghcr.io/acme/api:1', 'ghcr.io/acme:1'])
    expect(admitted(['ghcr.io/acme/*'], images)).toEqual(['ghcr.io/acme/api:1', 'ghcr.io/acme:1'])
  })

  it('read a port as part of the registry, so registry:5000/app has no tag and another port is another registry', () => {
    expect(parseRegistryScope('registry:5000/app')).toEqual({ registry: 'registry:5000', paths: ['app'] })
    expect(
      admitted(
        ['registry:5000/app'],
        [
          'registry:5000/app',
          'registry:5000/app:1.2',
          'registry:5000/app/sub:1',
          'registry:5001/app:1',
          'registry:5000/apple:1',
          'registry/app:1'
        ]
      )
    ).toEqual(['registry:5000/app', 'registry:5000/app:1.2', 'registry:5000/app/sub:1'])
    expect(admitted(['localhost:5000'], ['localhost:5000/x:1', 'localhost/x:1'])).toEqual([
      'localhost:5000/x:1'
    ])
  })

  it('read Docker Hub names as runtimes do: a bare name is the official image, a trailing slash a namespace', () => {
    const images = [
      'nginx:1.27',
      'docker.io/library/nginx:1',
      'index.docker.io/nginx:2',
      'nginx/nginx-ingress:3',
      'nginx-evil:1'
    ]
    expect(admitted(['nginx'], images)).toEqual([
      'nginx:1.27',
      'docker.io/library/nginx:1',
      'index.docker.io/nginx:2'
    ])
    expect(admitted(['nginx/'], images)).toEqual(['nginx/nginx-ingress:3'])
    expect(admitted(['docker.io/library/'], images)).toEqual([
      'nginx:1.27',
      'docker.io/library/nginx:1',
      'index.docker.io/nginx:2',
      'nginx-evil:1'
    ])
    expect(admitted(['openpolicyagent/'], ['openpolicyagent/opa:0.9.2', 'openpolicyagentx/opa:1'])).toEqual([
      'openpolicyagent/opa:0.9.2'
    ])
  })

  it('refuse entries that are not a registry or path, naming the input, and an invalid entry admits nothing', () => {
    for (const entry of [
      'https://ghcr.io/acme',
      'ghcr.io/acme/api:1',
      'ghcr.io/acme@sha256:abc',
      'ghcr.io/*/x',
      'ghcr.io//x',
      ''
    ])
      expect(() => parseAllowedRegistries('allowed-registries', [entry])).toThrow(ConfigurationError)
    expect(() => parseAllowedRegistries('allowed-registries', ['ghcr.io/acme/api:1'])).toThrow(
      /^Input 'allowed-registries' entry 'ghcr.io\/acme\/api:1' has a tag/
    )
    expect(isAllowedImage('ghcr.io/acme/api:1', ['ghcr.io/acme/api:1'])).toBe(false)
    expect(parseAllowedRegistries('allowed-registries', ['ghcr.io', 'nginx/'])).toEqual(['ghcr.io', 'nginx/'])
  })
})
