/**
 * SHA-256 (FIPS 180-4) in lower-case hex. Loading node:crypto costs 4 to 9 ms of an action's start; JS
 * hashing runs cold (interpreted) at first, about 1 ms per KiB, so it only wins for the first couple
 * of KiB: a run that hashes a handful of fingerprints never loads node:crypto, and anything more loads
 * it. The tests hold the JS to node:crypto.
 */

const PRIMES = firstPrimes(64)
/** The first 32 bits of the fractional parts of the primes' cube roots (round constants). */
const ROUND = Uint32Array.from(PRIMES, p => fraction32(Math.cbrt(p)))
/** The same for the square roots of the first eight primes (initial hash value). */
const INITIAL = Uint32Array.from(PRIMES.slice(0, 8), p => fraction32(Math.sqrt(p)))

/** Measured on Node 20 and 24: past this many input bytes, loading node:crypto is cheaper. */
const JS_BUDGET_BYTES = 2048

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

export function sha256HexOfBytes(bytes: Uint8Array): string {
  if (withinJsBudget(bytes.length)) return sha256HexInJs(bytes)
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
const HEX = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, '0'))

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
  for (let i = 0; i < 8; i++) {
    const word = state[i]!
    hex += HEX[word >>> 24]! + HEX[(word >>> 16) & 0xff]! + HEX[(word >>> 8) & 0xff]! + HEX[word & 0xff]!
  }
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

function compress(hash: Uint32Array, message: Uint32Array, offset: number): void {
  const w = schedule
  for (let t = 0; t < 16; t++) w[t] = message[offset + t]!
  for (let t = 16; t < 64; t++) {
    const x = w[t - 15]!
    const y = w[t - 2]!
    const s0 = rotr(x, 7) ^ rotr(x, 18) ^ (x >>> 3)
    const s1 = rotr(y, 17) ^ rotr(y, 19) ^ (y >>> 10)
    w[t] = (w[t - 16]! + s0 + w[t - 7]! + s1) >>> 0
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
    const t1 = (h + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) + ROUND[t]! + w[t]!) | 0
    const t2 = ((rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c))) | 0
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

function rotr(x: number, n: number): number {
  return (x >>> n) | (x << (32 - n))
}

function fraction32(x: number): number {
  return Math.floor((x - Math.floor(x)) * 0x1_0000_0000) >>> 0
}

function firstPrimes(count: number): number[] {
  const primes: number[] = []
  for (let n = 2; primes.length < count; n++) if (primes.every(p => n % p !== 0)) primes.push(n)
  return primes
}
