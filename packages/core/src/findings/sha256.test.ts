import { describe, expect, it } from '@jest/globals'
import { createHash } from 'node:crypto'
import fc from 'fast-check'
import { sha256Hex, sha256HexInJs, sha256HexOfBytes } from './sha256.js'

const native = (input: string | Uint8Array) => createHash('sha256').update(input).digest('hex')

describe('sha256 in JS', () => {
  // FIPS 180-4 / NIST CSRC example values.
  it.each([
    ['', 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'],
    ['abc', 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'],
    [
      'abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq',
      '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1'
    ],
    ['a'.repeat(1_000_000), 'cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0']
  ])('hashes the published example of %#', (text, digest) => {
    expect(sha256HexInJs(text)).toBe(digest)
    expect(sha256HexInJs(Buffer.from(text, 'latin1'))).toBe(digest)
  })

  it('equals node:crypto on 10,000 strings of every length around the block edges and any code point', () => {
    const text = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 200 }),
      fc.string({ minLength: 50, maxLength: 130 })
    )
    fc.assert(
      fc.property(text, value => {
        expect(sha256HexInJs(value)).toBe(native(value))
      }),
      { numRuns: 10_000 }
    )
  })

  it('equals node:crypto on 10,000 byte arrays', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), bytes => {
        expect(sha256HexInJs(bytes)).toBe(native(bytes))
      }),
      { numRuns: 10_000 }
    )
  })
})

describe('sha256Hex and sha256HexOfBytes', () => {
  it('give node:crypto digests on both sides of the switch to node:crypto', () => {
    const texts = Array.from({ length: 1_000 }, (_, i) => `key-${i}-é`)
    for (const text of texts) expect(sha256Hex(text)).toBe(native(text))
    const large = Buffer.alloc(300 * 1024, 7)
    expect(sha256HexOfBytes(large)).toBe(native(large))
    expect(sha256HexOfBytes(large.subarray(0, 1000))).toBe(native(large.subarray(0, 1000)))
  })
})
