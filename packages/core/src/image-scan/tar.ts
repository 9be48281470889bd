import { open, type FileHandle } from 'node:fs/promises'

/** One member of a tar archive, as its header (and any pax or GNU long-name record before it) says. */
export interface TarMember {
  name: string
  type: 'file' | 'dir' | 'symlink' | 'hardlink' | 'other'
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

function octal(block: Buffer, start: number, length: number): number {
  // GNU base-256 for sizes over 8 GiB: the high bit of the first byte is set.
  if (block[start]! & 0x80) {
    let value = 0
    for (let i = start + 1; i < start + length; i++) value = value * 256 + block[i]!
    return value
  }
  const text = field(block, start, length).trim()
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

/** The records a tar header block starts: a member, the end of the archive, or an extended header for the next. */
export type HeaderRecord =
  | { kind: 'end' }
  | { kind: 'member'; name: string; type: TarMember['type']; size: number }
  | { kind: 'extended'; size: number; format: 'pax' | 'gnu' }
  | { kind: 'skip'; size: number }

export function readHeader(block: Buffer): HeaderRecord {
  if (block.every(byte => byte === 0)) return { kind: 'end' }
  if (!checksumOk(block)) throw new Error('not a tar archive (header checksum mismatch)')
  const flag = String.fromCharCode(block[156]!)
  const size = octal(block, 124, 12)
  if (flag === 'x') return { kind: 'extended', size, format: 'pax' }
  if (flag === 'L') return { kind: 'extended', size, format: 'gnu' }
  if (flag === 'g' || flag === 'K') return { kind: 'skip', size }
  const prefix = field(block, 345, 155)
  const name = field(block, 0, 100)
  return { kind: 'member', name: prefix ? `${prefix}/${name}` : name, type: TYPES[flag] ?? 'other', size }
}

/** What an extended header says of the member after it: its name and, past 8 GiB, its size. */
export interface Extended {
  name?: string
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
export function readExtended(data: Buffer, format: 'pax' | 'gnu'): Extended {
  if (format === 'gnu') return { name: field(data, 0, data.length) }
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
  let next: Extended = {}
  for (;;) {
    const record = readHeader(await readAt(handle, position, BLOCK))
    position += BLOCK
    if (record.kind === 'end') return members
    let size = record.size
    if (record.kind === 'extended') {
      checkExtendedSize(record.size)
      next = { ...next, ...readExtended(await readAt(handle, position, record.size), record.format) }
    } else if (record.kind === 'member') {
      size = next.size ?? record.size
      members.push({ name: cleanName(next.name ?? record.name), type: record.type, size, offset: position })
      next = {}
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
