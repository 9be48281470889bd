import { describe, expect, it } from '@jest/globals'
import { hasValidDigest, parseImageRef } from './reference.js'

const SHA256 = 'a'.repeat(64)
const SHA512 = 'b'.repeat(128)

/** Registry and repository as distribution/reference's ParseNormalizedNamed gives them (containerd, CRI-O, Docker). */
const NORMALIZED: [string, string, string][] = [
  ['nginx', 'docker.io', 'library/nginx'],
  ['nginx:1.27', 'docker.io', 'library/nginx'],
  ['docker.io/nginx', 'docker.io', 'library/nginx'],
  ['index.docker.io/library/nginx', 'docker.io', 'library/nginx'],
  ['acme/api', 'docker.io', 'acme/api'],
  ['localhost/app', 'localhost', 'app'],
  ['localhost:5000/app:1', 'localhost:5000', 'app'],
  ['registry:5000/a/b', 'registry:5000', 'a/b'],
  ['[::1]:5000/app:1', '[::1]:5000', 'app'],
  ['ghcr.io/acme/api:1@sha256:' + SHA256, 'ghcr.io', 'acme/api'],
  // A first part with an upper-case letter is a host, with no dot or port: Docker pulls `Evil/app` from Evil.
  ['Evil/app:1', 'evil', 'app'],
  ['Registry/team/app', 'registry', 'team/app'],
  ['LOCALHOST/app', 'localhost', 'app']
]

describe('parseImageRef', () => {
  it.each(NORMALIZED)('reads %s as registry %s, repository %s', (reference, registry, repository) => {
    expect(parseImageRef(reference)).toMatchObject({ registry, repository })
  })
})

describe('hasValidDigest', () => {
  it('holds for the digests the OCI image spec registers, in their exact length and lower-case hex', () => {
    expect(hasValidDigest(parseImageRef(`app@sha256:${SHA256}`))).toBe(true)
    expect(hasValidDigest(parseImageRef(`app:1@sha512:${SHA512}`))).toBe(true)
  })

  // Each is refused by containerd's reference parser (digest.Parse), so the pod would never start.
  it.each([
    ['too short', `app@sha256:${'a'.repeat(32)}`],
    ['too long', `app@sha256:${'a'.repeat(65)}`],
    ['upper-case hex', `app@sha256:${'A'.repeat(64)}`],
    ['an unknown algorithm', `app@md5:${'a'.repeat(32)}`],
    ['sha512 of sha256 length', `app@sha512:${SHA256}`],
    ['no digest', 'app:1']
  ])('does not hold for %s', (_, reference) => {
    expect(hasValidDigest(parseImageRef(reference))).toBe(false)
  })
})
