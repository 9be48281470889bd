import { describe, expect, it } from '@jest/globals'
import { deflateSync } from 'node:zlib'
import { PNG_SIGNATURE, countColour, decodePng, distinctColours, hexAt, readIhdr } from './png.js'

function crcOf(bytes: Buffer): number {
  let c = 0xffffffff
  for (const b of bytes) {
    c ^= b
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
  }
  return (c ^ 0xffffffff) >>> 0
}

function chunk(type: string, data: Buffer): Buffer {
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data])
  const out = Buffer.alloc(body.length + 8)
  out.writeUInt32BE(data.length, 0)
  body.copy(out, 4)
  out.writeUInt32BE(crcOf(body), body.length + 4)
  return out
}

/** A 2×2 RGB image whose rows use the Sub and Up filters, the ones a naive decoder gets wrong. */
function tinyPng(): Buffer {
  const ihdr = Buffer.alloc(13)
  ihdr.writeUInt32BE(2, 0)
  ihdr.writeUInt32BE(2, 4)
  ihdr.set([8, 2, 0, 0, 0], 8)
  // Row 0, Sub: red then (red + 0x00ff00 delta) = #ff ff 00. Row 1, Up: + (0, 0, 0x80) on each pixel.
  const raw = Buffer.from([1, 0xff, 0, 0, 0, 0xff, 0, 2, 0, 0, 0x80, 0, 0, 0x80])
  return Buffer.concat([
    PNG_SIGNATURE,
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0))
  ])
}

describe('PNG reader', () => {
  it('decodes chunks, inflates IDAT and undoes the scanline filters', () => {
    const png = tinyPng()
    expect(readIhdr(png)).toEqual({ width: 2, height: 2, bitDepth: 8, colorType: 2 })
    const image = decodePng(png)
    expect([hexAt(image, 0, 0), hexAt(image, 1, 0), hexAt(image, 0, 1), hexAt(image, 1, 1)]).toEqual([
      '#ff0000',
      '#ffff00',
      '#ff0080',
      '#ffff80'
    ])
    expect(countColour(image, '#FF0000')).toBe(1)
    expect(distinctColours(image)).toBe(4)
  })

  it('refuses a wrong signature, a failed CRC and a truncated file', () => {
    const png = tinyPng()
    expect(() => decodePng(Buffer.from('GIF89a....'))).toThrow(/signature/)
    const corrupt = Buffer.from(png)
    corrupt[20] = corrupt[20]! ^ 0xff
    expect(() => decodePng(corrupt)).toThrow(/CRC/)
    expect(() => decodePng(png.subarray(0, png.length - 20))).toThrow(/past the end|truncated|IEND/)
  })
})
