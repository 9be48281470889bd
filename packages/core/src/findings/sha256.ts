/**
 * SHA-256 (FIPS 180-4) in lower-case hex. Loading node:crypto costs 4 to 6 ms of an action's start on
 * Node 20 and 8 to 10 ms on Node 24; JS hashing runs cold (interpreted) at first, so it only wins for
 * the first few KiB: a run that hashes a handful of fingerprints never loads node:crypto, and anything
 * more loads it. The tests hold the JS to node:crypto.
 */

/** FIPS 180-4 §4.2.2: the first 32 bits of the fractional parts of the cube roots of the first 64 primes. */
const ROUND = new Uint32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98,
  0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
  0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8,
  0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
  0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819,
  0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
  0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
  0xc67178f2
])
/** §5.3.3: the same for the square roots of the first eight primes (the initial hash value). */
const INITIAL = new Uint32Array([
  0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19
])

/**
 * Past this many input bytes, loading node:crypto is cheaper. Measured cold, median of 7: on Node 20
 * both take 6.6 ms at 8 KiB; on Node 24 (what runners use) the JS takes 6.0 ms at 32 KiB and
 * node:crypto 8.5 ms.
 */
const JS_BUDGET_BYTES = Number(process.versions.node.split('.')[0]) >= 22 ? 32 * 1024 : 8 * 1024

let bytesHashedInJs = 0
let native: { text(text: string): string; bytes(bytes: Uint8Array): string } | undefined

function withinJsBudget(length: number): boolean {
  if (native || bytesHashedInJs + length > JS_BUDGET_BYTES) return false
  bytesHashedInJs += length
  return true
}

/** The UTF-8 bytes of `text`. */
export function sha256Hex(text: string): string {
  // UTF-16 length is at most the UTF-8 length, within a factor of three: close enough for a budget.
  if (withinJsBudget(text.length)) return sha256HexInJs(text)
  return (native ?? loadNative()).text(text)
}

/**
 * Bytes are file contents (reports, evidence), which come several at a time: one over a KiB loads
 * node:crypto at once rather than after the JS budget is spent on the first few (the gate hashing the
 * demo's five reports spent 5 ms in JS before loading node:crypto anyway).
 */
const JS_MAX_FILE_BYTES = 1024

export function sha256HexOfBytes(bytes: Uint8Array): string {
  if (bytes.length <= JS_MAX_FILE_BYTES && withinJsBudget(bytes.length)) return sha256HexInJs(bytes)
  return (native ?? loadNative()).bytes(bytes)
}

function loadNative(): NonNullable<typeof native> {
  const crypto = process.getBuiltinModule('node:crypto')
  native = {
    // crypto.hash (Node ≥ 20.12) hashes without a Hash object: 100,000 findings allocate far less.
    text: crypto.hash
      ? text => crypto.hash('sha256', text, 'hex')
      : text => crypto.createHash('sha256').update(text).digest('hex'),
    bytes: bytes => crypto.createHash('sha256').update(bytes).digest('hex')
  }
  return native
}

const schedule = new Uint32Array(64)
const state = new Uint32Array(8)
let scratch = Buffer.allocUnsafe(1024)
let words = new Uint32Array(256)

/** Always in JS (exported for the tests that compare it with node:crypto). */
export function sha256HexInJs(input: string | Uint8Array): string {
  // Reused buffers: fingerprints are hashed by the hundred thousand, a few dozen bytes each.
  let bytes: Uint8Array = input as Uint8Array
  let length = bytes.length
  if (typeof input === 'string') {
    if (input.length * 3 > scratch.length) scratch = Buffer.allocUnsafe(input.length * 3)
    length = scratch.write(input, 0, 'utf8')
    bytes = scratch
  }
  const blocks = ((length + 8) >>> 6) + 1
  if (blocks * 16 > words.length) words = new Uint32Array(blocks * 16)
  fillPaddedWords(bytes, length, words, blocks * 16)
  state.set(INITIAL)
  for (let block = 0; block < blocks; block++) compress(state, words, block * 16)
  let hex = ''
  for (let i = 0; i < 8; i++) hex += state[i]!.toString(16).padStart(8, '0')
  return hex
}

/** The message as big-endian 32-bit words: the bytes, a 1 bit, zeros, and the length in bits. */
function fillPaddedWords(bytes: Uint8Array, length: number, out: Uint32Array, count: number): void {
  out.fill(0, 0, count)
  const whole = length & ~3
  for (let i = 0; i < whole; i += 4)
    out[i >>> 2] = ((bytes[i]! << 24) | (bytes[i + 1]! << 16) | (bytes[i + 2]! << 8) | bytes[i + 3]!) >>> 0
  for (let i = whole; i < length; i++) out[i >>> 2]! |= bytes[i]! << (24 - (i & 3) * 8)
  out[length >>> 2]! |= 0x80 << (24 - (length & 3) * 8)
  const bits = length * 8
  out[count - 2] = Math.floor(bits / 0x1_0000_0000)
  out[count - 1] = bits >>> 0
}

// Rotations are written out: the first calls run in the interpreter, where a helper call per
// rotation (576 per block) doubled the time.
function compress(hash: Uint32Array, message: Uint32Array, offset: number): void {
  const w = schedule
  for (let t = 0; t < 16; t++) w[t] = message[offset + t]!
  for (let t = 16; t < 64; t++) {
    const x = w[t - 15]!
    const y = w[t - 2]!
    const s0 = ((x >>> 7) | (x << 25)) ^ ((x >>> 18) | (x << 14)) ^ (x >>> 3)
    const s1 = ((y >>> 17) | (y << 15)) ^ ((y >>> 19) | (y << 13)) ^ (y >>> 10)
    w[t] = (w[t - 16]! + s0 + w[t - 7]! + s1) | 0
  }
  let a = hash[0]!
  let b = hash[1]!
  let c = hash[2]!
  let d = hash[3]!
  let e = hash[4]!
  let f = hash[5]!
  let g = hash[6]!
  let h = hash[7]!
  for (let t = 0; t < 64; t++) {
    const sigma1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7))
    const t1 = (h + sigma1 + ((e & f) ^ (~e & g)) + ROUND[t]! + w[t]!) | 0
    const sigma0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10))
    const t2 = (sigma0 + ((a & b) ^ (a & c) ^ (b & c))) | 0
    h = g
    g = f
    f = e
    e = (d + t1) | 0
    d = c
    c = b
    b = a
    a = (t1 + t2) | 0
  }
  hash[0] = hash[0]! + a
  hash[1] = hash[1]! + b
  hash[2] = hash[2]! + c
  hash[3] = hash[3]! + d
  hash[4] = hash[4]! + e
  hash[5] = hash[5]! + f
  hash[6] = hash[6]! + g
  hash[7] = hash[7]! + h
}
