import { open, type FileHandle } from 'node:fs/promises'

/** One member of a tar archive, as its header (and any pax or GNU long-name record before it) says. */
export interface TarMember {
  name: string
  type: 'file' | 'dir' | 'symlink' | 'hardlink' | 'other'
  /** What a symbolic or hard link points at, as the archive wrote it. */
  linkname: string
  size: number
  /** Byte offset of the member's data in the archive. */
  offset: number
}

const BLOCK = 512

function field(block: Buffer, start: number, length: number): string {
  const raw = block.subarray(start, start + length)
  const end = raw.indexOf(0)
  return raw.subarray(0, end === -1 ? length : end).toString('utf8')
}

/**
 * A numeric field read as Go's archive/tar reads it (the engine's reader): spaces and NULs trimmed at
 * both ends, not cut at the first NUL. Read any other way, ` \0 17` would be a size of 0 to us and 15
 * to the engine, and the two would see different members from there on.
 */
function octal(block: Buffer, start: number, length: number): number {
  // GNU base-256 for sizes over 8 GiB: the high bit of the first byte is set, the next one the sign.
  if (block[start]! & 0x80) {
    if (block[start]! & 0x40) throw new Error('tar header has a negative number')
    let value = block[start]! & 0x3f
    for (let i = start + 1; i < start + length; i++) value = value * 256 + block[i]!
    if (!Number.isSafeInteger(value)) throw new Error('tar header has a number too large')
    return value
  }
  const text = block
    .subarray(start, start + length)
    .toString('latin1')
    .replace(/^[ \0]+|[ \0]+$/g, '')
  if (text !== '' && !/^[0-7]+$/.test(text)) throw new Error(`tar header has a bad number '${text}'`)
  return text === '' ? 0 : parseInt(text, 8)
}

function checksumOk(block: Buffer): boolean {
  let sum = 0
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 32 : block[i]!
  try {
    return sum === octal(block, 148, 8)
  } catch {
    return false
  }
}

const TYPES: Record<string, TarMember['type']> = {
  '0': 'file',
  '\0': 'file',
  '7': 'file',
  '5': 'dir',
  '2': 'symlink',
  '1': 'hardlink'
}

/** Links, devices, directories and FIFOs have no data, whatever their size field says (as Go reads them). */
const HEADER_ONLY = new Set(['1', '2', '3', '4', '5', '6'])

/** The records a tar header block starts: a member, the end of the archive, or an extended header for the next. */
export type HeaderRecord =
  | { kind: 'end' }
  | { kind: 'member'; name: string; flag: string; linkname: string; size: number }
  | { kind: 'extended'; size: number; format: ExtendedFormat }
  /** A pax global header: Go lists it as a member of no data, named by its own `path` record if any. */
  | { kind: 'skip'; name: string; size: number }

/** pax: records for the next member; gnu: its long name (type L); gnu-link: its long link name (type K). */
export type ExtendedFormat = 'pax' | 'gnu' | 'gnu-link'

/**
 * Whether Go would read a numeric field without error: octal between spaces and NULs, or base-256
 * (negative too) within 63 bits. Only asked of GNU time fields, which Go reads this way.
 */
function numericOk(block: Buffer, start: number, length: number): boolean {
  if (!(block[start]! & 0x80))
    return /^[0-7]*$/.test(
      block
        .subarray(start, start + length)
        .toString('latin1')
        .replace(/^[ \0]+|[ \0]+$/g, '')
    )
  const invert = block[start]! & 0x40 ? 0xff : 0
  let value = 0n
  for (let i = start; i < start + length; i++) {
    if (value >> 56n > 0n) return false
    value = (value << 8n) | BigInt((block[i]! ^ invert) & (i === start ? 0x7f : 0xff))
  }
  return value >> 63n === 0n
}

/**
 * The name prefix, where Go's archive/tar takes one: a ustar header has 155 bytes of it, a star header
 * (ustar with a `tar\0` trailer) 131. In a GNU header those bytes are access and change times, unless
 * they do not read as numbers: Go then takes them as a prefix after all, as its writers before 1.8 put one there.
 */
function namePrefix(block: Buffer): string {
  const magic = block.toString('latin1', 257, 263)
  if (magic === 'ustar\0')
    return field(block, 345, block.toString('latin1', 508, 512) === 'tar\0' ? 131 : 155)
  if (magic !== 'ustar ' || block.toString('latin1', 263, 265) !== ' \0') return ''
  const times = [345, 357].every(at => block[at] === 0 || numericOk(block, at, 12))
  const prefix = field(block, 345, 155)
  return times || !/^[\0-\x7f]*$/.test(prefix) ? '' : prefix
}

export function readHeader(block: Buffer): HeaderRecord {
  if (block.every(byte => byte === 0)) return { kind: 'end' }
  if (!checksumOk(block)) throw new Error('not a tar archive (header checksum mismatch)')
  const flag = String.fromCharCode(block[156]!)
  const size = octal(block, 124, 12)
  if (flag === 'x') return { kind: 'extended', size, format: 'pax' }
  if (flag === 'L') return { kind: 'extended', size, format: 'gnu' }
  if (flag === 'K') return { kind: 'extended', size, format: 'gnu-link' }
  const prefix = namePrefix(block)
  const name = field(block, 0, 100)
  const full = prefix ? `${prefix}/${name}` : name
  if (flag === 'g') return { kind: 'skip', name: full, size }
  // Go expands a sparse member's data (and reads extra header blocks for it): no byte count of ours would match.
  if (flag === 'S') throw new Error('the tar archive has a sparse member, which is not supported')
  return {
    kind: 'member',
    name: full,
    flag,
    linkname: field(block, 157, 100),
    size
  }
}

/** What an extended header says of the member after it: its name, link name and, past 8 GiB, its size. */
export interface Extended {
  name?: string
  linkname?: string
  size?: number
}

/** Pax headers and GNU long names are a few hundred bytes; a larger one is not held in memory. */
export const MAX_EXTENDED_BYTES = 1024 * 1024

export function checkExtendedSize(size: number): void {
  if (size > MAX_EXTENDED_BYTES)
    throw new Error(`a tar extended header of ${size} bytes is over the ${MAX_EXTENDED_BYTES}-byte limit`)
}

/**
 * A GNU long name, or the `path` and `size` records of a pax extended header (`<length> key=value\n`,
 * the length counting the whole record). Go's archive/tar, which docker save uses, writes a member over
 * 8 GiB with 0 in its header's size field and the real size here.
 */
export function readExtended(data: Buffer, format: ExtendedFormat): Extended {
  if (format === 'gnu') return { name: field(data, 0, data.length) }
  if (format === 'gnu-link') return { linkname: field(data, 0, data.length) }
  const out: Extended = {}
  for (let at = 0; at < data.length && data[at] !== 0;) {
    const space = data.indexOf(0x20, at)
    const length = space > at ? Number(data.subarray(at, space).toString('latin1')) : NaN
    if (!Number.isSafeInteger(length) || length <= space - at || at + length > data.length)
      throw new Error('a tar pax header is malformed')
    const record = data.subarray(space + 1, at + length - 1).toString('utf8')
    const eq = record.indexOf('=')
    if (eq <= 0) throw new Error('a tar pax header is malformed')
    const key = record.slice(0, eq)
    const value = record.slice(eq + 1)
    if (key === 'path') out.name = value
    if (key === 'linkpath') out.linkname = value
    // Go renames and expands a member these records describe: no view of ours would match the engine's.
    if (key.startsWith('GNU.sparse.'))
      throw new Error('the tar archive has a sparse member, which is not supported')
    if (key === 'size') {
      if (!/^\d+$/.test(value) || !Number.isSafeInteger(Number(value)))
        throw new Error(`a tar pax header gives the size '${value}'`)
      out.size = Number(value)
    }
    at += length
  }
  return out
}

export const padded = (size: number) => Math.ceil(size / BLOCK) * BLOCK

/**
 * The extended headers seen since the last member, kept as Go's archive/tar keeps them: a pax header
 * replaces an earlier one, GNU long names are kept apart and win over pax's, and a global header
 * forgets them all. Merged any other way, a member would have one name to us and another to the engine.
 */
export interface Pending {
  pax: Extended
  gnu: Extended
}

export const nothingPending = (): Pending => ({ pax: {}, gnu: {} })

export function withExtended(pending: Pending, data: Buffer, format: ExtendedFormat): Pending {
  const read = readExtended(data, format)
  return format === 'pax' ? { ...pending, pax: read } : { ...pending, gnu: { ...pending.gnu, ...read } }
}

/** A member's name, type, link name and data size once the extended headers before it apply. */
export function applyPending(
  record: Extract<HeaderRecord, { kind: 'member' }>,
  pending: Pending
): Omit<TarMember, 'offset'> {
  const name = pending.gnu.name ?? pending.pax.name ?? record.name
  // An old-style regular file whose name ends in a slash is a directory to Go, so it has no data.
  const type = record.flag === '\0' && name.endsWith('/') ? 'dir' : (TYPES[record.flag] ?? 'other')
  const hasData = !HEADER_ONLY.has(record.flag) && type !== 'dir'
  return {
    name,
    type,
    linkname: pending.gnu.linkname ?? pending.pax.linkname ?? record.linkname,
    size: hasData ? (pending.pax.size ?? record.size) : 0
  }
}

/** A member's name without `./` and trailing slashes: `./manifest.json` and `manifest.json` are one file. */
export const cleanName = (name: string) => name.replace(/^(\.\/)+/, '').replace(/\/+$/, '')

/**
 * The members of a tar file on disk, read header by header: member data is skipped, never read, so a
 * multi-gigabyte `docker save` archive costs a few reads per member.
 */
export async function listTar(file: string, maxMembers = 100_000): Promise<TarMember[]> {
  const handle = await open(file, 'r')
  try {
    return await listOpen(handle, maxMembers)
  } finally {
    await handle.close()
  }
}

async function readAt(handle: FileHandle, position: number, length: number): Promise<Buffer> {
  const buffer = Buffer.alloc(length)
  const { bytesRead } = await handle.read(buffer, 0, length, position)
  if (bytesRead !== length) throw new Error('the tar archive ends in the middle of a member')
  return buffer
}

async function listOpen(handle: FileHandle, maxMembers: number): Promise<TarMember[]> {
  const members: TarMember[] = []
  let position = 0
  let pending = nothingPending()
  for (;;) {
    const record = readHeader(await readAt(handle, position, BLOCK))
    position += BLOCK
    if (record.kind === 'end') return members
    let size = record.size
    if (record.kind === 'extended') {
      checkExtendedSize(record.size)
      pending = withExtended(pending, await readAt(handle, position, record.size), record.format)
    } else if (record.kind === 'skip') {
      // Go's reader hands the engine a global header as a member with no data: a layer could be named so.
      checkExtendedSize(record.size)
      const name = readExtended(await readAt(handle, position, record.size), 'pax').name ?? record.name
      members.push({ name: cleanName(name), type: 'other', linkname: '', size: 0, offset: position })
      pending = nothingPending()
    } else {
      const member = applyPending(record, pending)
      size = member.size
      members.push({ ...member, name: cleanName(member.name), offset: position })
      pending = nothingPending()
      if (members.length > maxMembers) throw new Error(`the tar archive has more than ${maxMembers} members`)
    }
    position += padded(size)
  }
}

/** A member's bytes (a manifest or config), refused over `maxBytes`. */
export async function readMember(file: string, member: TarMember, maxBytes: number): Promise<Buffer> {
  if (member.size > maxBytes)
    throw new Error(`${member.name} in the archive is ${member.size} bytes, over the ${maxBytes}-byte limit`)
  const handle = await open(file, 'r')
  try {
    return await readAt(handle, member.offset, member.size)
  } finally {
    await handle.close()
  }
}
