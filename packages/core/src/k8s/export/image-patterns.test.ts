import { describe, expect, it } from '@jest/globals'
import { hasValidDigest, parseImageRef } from '../../images/reference.js'
import { isAllowedImage } from '../registry-scope.js'
import { allowedImagePatterns, DIGEST_PINNED, TAGGED, type ImagePattern } from './image-patterns.js'

const admits = (patterns: ImagePattern[], image: string) =>
  patterns.some(p => new RegExp(p.regex).test(image) && !(p.notLocalhost && image.startsWith('localhost/')))

const HOSTS = [
  '',
  'ghcr.io/',
  'GHCR.io/',
  'ghcr.io.evil.net/',
  'docker.io/',
  'Index.Docker.io/',
  'localhost/',
  'localhost:5000/',
  'registry:5000/',
  'my.org/',
  'Evil/',
  'LOCALHOST/'
]
const PATHS = [
  'nginx',
  'library/nginx',
  'acme/api',
  'acme-evil/x',
  'acme',
  'acme/a:b/c',
  'openpolicyagent/opa',
  'openpolicyagent',
  'library',
  'a/b/c',
  'x:1/y'
]
const ENDS = [
  '',
  ':1.2',
  ':latest',
  ':a:b',
  '@sha256:' + 'a'.repeat(64),
  ':1@sha256:' + 'b'.repeat(64),
  '@sha256:' + 'a'.repeat(32),
  '@sha256:' + 'A'.repeat(64),
  '@md5:' + 'a'.repeat(32),
  '@sha512:' + 'c'.repeat(128),
  '@bad'
]

/** Every combination of host, repository and tag/digest: the written forms the parser distinguishes. */
const IMAGES = HOSTS.flatMap(h => PATHS.flatMap(p => ENDS.map(e => `${h}${p}${e}`)))

const ENTRY_LISTS = [
  ['ghcr.io'],
  ['ghcr.io/acme'],
  ['ghcr.io/acme/'],
  ['docker.io'],
  ['docker.io/'],
  ['nginx'],
  ['docker.io/library/'],
  ['openpolicyagent/'],
  ['docker.io/openpolicyagent/'],
  ['library/nginx'],
  ['registry:5000'],
  ['registry:5000/acme/'],
  ['localhost'],
  ['localhost:5000/'],
  ['my.org/a/b'],
  ['docker.io/my.org/'],
  ['ghcr.io/acme', 'nginx', 'bad entry']
]

describe('allowedImagePatterns', () => {
  it.each(ENTRY_LISTS.map(list => [list.join('|')]))(
    'admits exactly what isAllowedImage admits: %s',
    joined => {
      const entries = joined.split('|')
      const patterns = allowedImagePatterns(entries)
      const wrong = IMAGES.filter(image => admits(patterns, image) !== isAllowedImage(image, entries))
      expect(wrong).toEqual([])
    }
  )

  it('never reads a registry port as a tag', () => {
    const patterns = allowedImagePatterns(['registry:5000'])
    expect(admits(patterns, 'registry:5000/app')).toBe(true)
    expect(admits(patterns, 'registry:5001/app')).toBe(false)
  })
})

describe('tag and digest patterns', () => {
  it('TAGGED agrees with the untagged rule: a colon in the last path segment', () => {
    const wrong = IMAGES.filter(i => new RegExp(TAGGED).test(i) !== (i.split('/').pop() ?? '').includes(':'))
    expect(wrong).toEqual([])
    expect(new RegExp(TAGGED).test('registry:5000/app')).toBe(false)
  })

  it('DIGEST_PINNED agrees with hasValidDigest', () => {
    const wrong = IMAGES.filter(i => new RegExp(DIGEST_PINNED).test(i) !== hasValidDigest(parseImageRef(i)))
    expect(wrong).toEqual([])
  })
})
