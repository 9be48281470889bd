import { inflateSync } from 'node:zlib'

export const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])

export interface DecodedPng {
  width: number
  height: number
  /** Row-major RGBA, 4 bytes a pixel, whatever the file's colour type. */
  rgba: Buffer
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
  return c >>> 0
})

function crc32(data: Buffer): number {
  let c = 0xffffffff
  for (const byte of data) c = CRC_TABLE[(c ^ byte) & 0xff]! ^ (c >>> 8)
  return (c ^ 0xffffffff) >>> 0
}

interface Chunk {
  type: string
  data: Buffer
}

function readChunks(png: Buffer): Chunk[] {
  if (png.length < 8 || !png.subarray(0, 8).equals(PNG_SIGNATURE)) throw new Error('not a PNG: bad signature')
  const chunks: Chunk[] = []
  for (let at = 8; at < png.length;) {
    if (at + 12 > png.length) throw new Error(`truncated chunk header at byte ${at}`)
    const length = png.readUInt32BE(at)
    const type = png.toString('latin1', at + 4, at + 8)
    if (at + 12 + length > png.length) throw new Error(`chunk ${type} at byte ${at} runs past the end`)
    const data = png.subarray(at + 8, at + 8 + length)
    if (crc32(png.subarray(at + 4, at + 8 + length)) !== png.readUInt32BE(at + 8 + length))
      throw new Error(`chunk ${type} at byte ${at} fails its CRC`)
    chunks.push({ type, data })
    at += 12 + length
    if (type === 'IEND') break
  }
  if (chunks[0]?.type !== 'IHDR') throw new Error('IHDR is not the first chunk')
  if (chunks.at(-1)?.type !== 'IEND') throw new Error('no IEND chunk')
  return chunks
}

export function readIhdr(png: Buffer): {
  width: number
  height: number
  bitDepth: number
  colorType: number
} {
  const ihdr = readChunks(png)[0]!.data
  return {
    width: ihdr.readUInt32BE(0),
    height: ihdr.readUInt32BE(4),
    bitDepth: ihdr[8]!,
    colorType: ihdr[9]!
  }
}

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c
  const [pa, pb, pc] = [Math.abs(p - a), Math.abs(p - b), Math.abs(p - c)]
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c
}

/** Decodes the 8-bit, non-interlaced RGB/RGBA PNGs Chromium writes; anything else is refused. */
export function decodePng(png: Buffer): DecodedPng {
  const chunks = readChunks(png)
  const { width, height, bitDepth, colorType } = readIhdr(png)
  const interlace = chunks[0]!.data[12]
  if (bitDepth !== 8 || (colorType !== 2 && colorType !== 6) || interlace !== 0)
    throw new Error(
      `unsupported PNG: bit depth ${bitDepth}, colour type ${colorType}, interlace ${interlace}`
    )
  const channels = colorType === 6 ? 4 : 3
  const stride = width * channels
  const raw = inflateSync(Buffer.concat(chunks.filter(c => c.type === 'IDAT').map(c => c.data)))
  if (raw.length !== height * (stride + 1))
    throw new Error(`IDAT holds ${raw.length} bytes, expected ${height * (stride + 1)}`)
  const pixels = Buffer.alloc(height * stride)
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)]!
    const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1))
    const out = y * stride
    for (let x = 0; x < stride; x++) {
      const left = x >= channels ? pixels[out + x - channels]! : 0
      const up = y > 0 ? pixels[out - stride + x]! : 0
      const upLeft = y > 0 && x >= channels ? pixels[out - stride + x - channels]! : 0
      const predictor = [0, left, up, (left + up) >>> 1, paeth(left, up, upLeft)][filter]
      if (predictor === undefined) throw new Error(`row ${y} has unknown filter type ${filter}`)
      pixels[out + x] = (line[x]! + predictor) & 0xff
    }
  }
  if (channels === 4) return { width, height, rgba: pixels }
  const rgba = Buffer.alloc(width * height * 4, 0xff)
  for (let i = 0; i < width * height; i++) pixels.copy(rgba, i * 4, i * 3, i * 3 + 3)
  return { width, height, rgba }
}

export function hexAt(image: DecodedPng, x: number, y: number): string {
  const i = (y * image.width + x) * 4
  return `#${image.rgba.subarray(i, i + 3).toString('hex')}`
}

/** How many pixels in rows [fromRow, toRow) have exactly this #rrggbb colour. */
export function countColour(image: DecodedPng, hex: string, fromRow = 0, toRow = image.height): number {
  let n = 0
  for (let y = fromRow; y < Math.min(toRow, image.height); y++)
    for (let x = 0; x < image.width; x++) if (hexAt(image, x, y) === hex.toLowerCase()) n++
  return n
}

export function distinctColours(image: DecodedPng): number {
  const seen = new Set<number>()
  for (let i = 0; i < image.rgba.length; i += 4) seen.add(image.rgba.readUInt32BE(i))
  return seen.size
}
