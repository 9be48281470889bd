import { closeSync, fstatSync, openSync, readSync } from 'node:fs'
import { crc32, inflateRawSync } from 'node:zlib'
import { escapeLineBreaks, getErrorMessage } from './errors.js'

const END_OF_CENTRAL_DIRECTORY = 0x06054b50
const CENTRAL_ENTRY = 0x02014b50
const LOCAL_HEADER = 0x04034b50
const STORED = 0
const DEFLATED = 8
/** General purpose flag 3: the CRC and sizes follow the data, the local header holds zeros. */
const DATA_DESCRIPTOR = 0x08
const ENCRYPTED = 0x01
const STRONG_ENCRYPTION = 0x40
const UNIX_HOST = 3
const FILE_TYPE = 0o170000
const REGULAR_FILE = 0o100000
const SYMLINK = 0o120000
/** The end record is 22 bytes plus a comment of at most 65,535. */
const MAX_TAIL = 22 + 0xffff
/** A member is inflated to at most this by default: a small archive can claim (and inflate to) gigabytes. */
const DEFAULT_MAX_MEMBER_BYTES = 256 * 1024 * 1024

/** Random access to an archive's bytes: a file on disk (a wheel) or a buffer (a downloaded artifact). */
interface ZipSource {
  size: number
  readAt(position: number, length: number): Buffer
}

function fileSource(fd: number): ZipSource {
  const size = fstatSync(fd).size
  return {
    size,
    readAt(position, length) {
      // The lengths are the archive's word: checked against the file before a buffer that size is made.
      checkWithin(position, length, size)
      const buffer = Buffer.alloc(length)
      let done = 0
      while (done < length) {
        const n = readSync(fd, buffer, done, length - done, position + done)
        if (n === 0) throw new Error(`unexpected end of file at byte ${position + done}`)
        done += n
      }
      return buffer
    }
  }
}

function checkWithin(position: number, length: number, size: number): void {
  if (position < 0 || position + length > size)
    throw new Error(`unexpected end of archive at byte ${Math.min(position + length, size)}`)
}

function bufferSource(bytes: Buffer): ZipSource {
  return {
    size: bytes.length,
    readAt(position, length) {
      checkWithin(position, length, bytes.length)
      return bytes.subarray(position, position + length)
    }
  }
}

export interface ZipReadOptions {
  /** Largest inflated member accepted; a bigger one is an error, never a truncated read. */
  maxMemberBytes?: number
  /**
   * Largest total of the members read: a small archive of many members (or of entries sharing one body)
   * inflates each to the member limit, so that limit alone holds nothing back. Unlimited when absent.
   */
  maxTotalBytes?: number
}

/**
 * The members of a zip archive (a wheel, a workflow artifact) whose names `wanted` accepts, by name.
 * Only what those use is read: plain files, stored or deflated, not encrypted, no ZIP64; anything else
 * is an error, never a guess. A wanted name that is no relative path inside the archive is refused too:
 * callers match names by suffix and show them in messages, and a name climbing out with `..`, rooted,
 * written with backslashes or carrying control characters is no file any archiver put there.
 */
export function readZipMembers(
  archive: string | Buffer,
  wanted: (name: string) => boolean,
  options: ZipReadOptions = {}
): Map<string, Buffer> {
  if (Buffer.isBuffer(archive)) return readMembers(bufferSource(archive), wanted, options)
  const fd = openSync(archive, 'r')
  try {
    return readMembers(fileSource(fd), wanted, options)
  } finally {
    closeSync(fd)
  }
}

interface DirectoryEntry {
  name: string
  /** The name's bytes as written: a local header must repeat them exactly. */
  rawName: Buffer
  flags: number
  method: number
  crc: number
  compressedSize: number
  size: number
  localOffset: number
  /** The host that wrote it (3 is Unix) and, from Unix, the file's mode in the upper half of the attributes. */
  madeBy: number
  externalAttributes: number
}

function readMembers(
  source: ZipSource,
  wanted: (name: string) => boolean,
  options: ZipReadOptions
): Map<string, Buffer> {
  const maxMemberBytes = options.maxMemberBytes ?? DEFAULT_MAX_MEMBER_BYTES
  const maxTotalBytes = options.maxTotalBytes ?? Infinity
  let total = 0
  const members = new Map<string, Buffer>()
  for (const entry of directoryEntries(source)) {
    const { name, size } = entry
    if (!wanted(name)) continue
    if (!isRelativePath(name))
      throw new Error(`'${escapeLineBreaks(name)}' is not a relative path inside the archive`)
    // Readers differ on which of two same-named members is the file (Python's zipfile the last, a
    // streaming one the first): the one checked and the one used could be different files.
    if (members.has(name)) throw new Error(`${name} is in the archive more than once`)
    const refused = notAPlainMember(entry)
    if (refused) throw new Error(`${name} ${refused}`)
    if (size > maxMemberBytes)
      throw new Error(`${name} is ${size} bytes uncompressed, over the ${maxMemberBytes}-byte limit`)
    if (total + size > maxTotalBytes)
      throw new Error(`the members read are over ${maxTotalBytes} bytes together`)
    if (entry.method !== STORED && entry.method !== DEFLATED)
      throw new Error(`${name} uses compression method ${entry.method}`)
    const bytes = memberBytes(name, entry.method, localData(source, entry), entry)
    total += bytes.length
    members.set(name, bytes)
  }
  return members
}

function isRelativePath(name: string): boolean {
  return (
    name !== '' &&
    escapeLineBreaks(name) === name &&
    !name.includes('\\') &&
    !name.startsWith('/') &&
    !/^[A-Za-z]:/.test(name) &&
    !name.split('/').includes('..')
  )
}

/** Why a member's bytes are not the file it names: they are a link's target, ciphertext, or sizes not read. */
function notAPlainMember(entry: DirectoryEntry): string | undefined {
  if (entry.madeBy === UNIX_HOST) {
    const type = (entry.externalAttributes >>> 16) & FILE_TYPE
    if (type === SYMLINK) return 'is a symbolic link: its content is the path it points to, not a file'
    if (type !== 0 && type !== REGULAR_FILE) return `is not a regular file (mode ${type.toString(8)})`
  }
  if (entry.flags & (ENCRYPTED | STRONG_ENCRYPTION)) return 'is encrypted'
  if ([entry.size, entry.compressedSize, entry.localOffset].includes(0xffffffff))
    return 'is a ZIP64 member (its sizes or offset are in an extra field), which is not read'
  return undefined
}

function directoryEntries(source: ZipSource): DirectoryEntry[] {
  const tailLength = Math.min(source.size, MAX_TAIL)
  const tail = source.readAt(source.size - tailLength, tailLength)
  let end = -1
  for (let i = tail.length - 22; i >= 0; i--) {
    if (tail.readUInt32LE(i) === END_OF_CENTRAL_DIRECTORY) {
      end = i
      break
    }
  }
  if (end === -1) throw new Error('not a zip archive (no end of central directory)')
  const count = tail.readUInt16LE(end + 10)
  const directorySize = tail.readUInt32LE(end + 12)
  const directoryOffset = tail.readUInt32LE(end + 16)
  if (count === 0xffff || directorySize === 0xffffffff || directoryOffset === 0xffffffff)
    throw new Error('ZIP64 archives are not read')
  const directory = source.readAt(directoryOffset, directorySize)
  const entries: DirectoryEntry[] = []
  let at = 0
  for (let n = 0; n < count; n++) {
    if (at + 46 > directory.length || directory.readUInt32LE(at) !== CENTRAL_ENTRY)
      throw new Error('corrupt central directory')
    const nameLength = directory.readUInt16LE(at + 28)
    const rawName = directory.subarray(at + 46, at + 46 + nameLength)
    entries.push({
      name: rawName.toString('utf8'),
      rawName,
      flags: directory.readUInt16LE(at + 8),
      method: directory.readUInt16LE(at + 10),
      crc: directory.readUInt32LE(at + 16),
      compressedSize: directory.readUInt32LE(at + 20),
      size: directory.readUInt32LE(at + 24),
      localOffset: directory.readUInt32LE(at + 42),
      madeBy: directory.readUInt16LE(at + 4) >> 8,
      externalAttributes: directory.readUInt32LE(at + 38)
    })
    at += 46 + nameLength + directory.readUInt16LE(at + 30) + directory.readUInt16LE(at + 32)
  }
  // Entries past the count are members a reader walking the directory by its size would see, and this one not.
  if (at !== directory.length)
    throw new Error(`corrupt central directory: ${directory.length - at} bytes past its ${count} entries`)
  return entries
}

/**
 * The member's compressed bytes, after its local header: what a streaming reader takes for the member
 * must be what the central directory says it is, else the archive means two things.
 */
function localData(source: ZipSource, entry: DirectoryEntry): Buffer {
  const local = source.readAt(entry.localOffset, 30)
  if (local.readUInt32LE(0) !== LOCAL_HEADER) throw new Error(`corrupt local header for ${entry.name}`)
  const nameLength = local.readUInt16LE(26)
  const localName = source.readAt(entry.localOffset + 30, nameLength)
  if (!localName.equals(entry.rawName))
    throw new Error(
      `${entry.name}: its local header names ${JSON.stringify(localName.toString('utf8'))}, the central directory another file`
    )
  const disagrees =
    local.readUInt16LE(8) !== entry.method ||
    // Without a data descriptor (flag 3) the local header carries the CRC and sizes itself.
    ((entry.flags & DATA_DESCRIPTOR) === 0 &&
      (local.readUInt32LE(14) !== entry.crc ||
        local.readUInt32LE(18) !== entry.compressedSize ||
        local.readUInt32LE(22) !== entry.size))
  if (disagrees)
    throw new Error(
      `${entry.name}: its local header and the central directory disagree on its method, CRC or sizes`
    )
  return source.readAt(entry.localOffset + 30 + nameLength + local.readUInt16LE(28), entry.compressedSize)
}

/**
 * A member's content, held to what its directory entry records: the size was checked against the limits,
 * so inflating no further than it keeps a bomb from growing past them, and a member whose length or
 * CRC-32 differs from the record is corrupt or altered, never returned.
 */
function memberBytes(
  name: string,
  method: number,
  data: Buffer,
  recorded: { size: number; crc: number }
): Buffer {
  const bytes = method === STORED ? data : inflateNoMoreThan(name, data, recorded.size)
  if (bytes.length !== recorded.size)
    throw new Error(
      `${name} holds ${bytes.length} bytes, not the ${recorded.size} bytes its directory entry records`
    )
  if (crc32(bytes) !== recorded.crc)
    throw new Error(`${name} fails its CRC-32 check: the member is corrupt or altered`)
  return bytes
}

function inflateNoMoreThan(name: string, data: Buffer, size: number): Buffer {
  try {
    return inflateRawSync(data, { maxOutputLength: Math.max(1, size) })
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE')
      throw new Error(`${name} inflates to more than the ${size} bytes its directory entry records`, {
        cause: error
      })
    throw new Error(`${name} cannot be inflated: ${getErrorMessage(error)}`, { cause: error })
  }
}
