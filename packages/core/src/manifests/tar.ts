import { BrokenInputError } from '../runtime/errors.js'

/** One regular file or link of a tar archive, with its repository-relative path. */
export interface TarEntry {
  path: string
  /** Git's mode: 100644, 100755, or 120000 for a symbolic link. */
  mode: '100644' | '100755' | '120000'
  bytes: Uint8Array
}

/** An archive of a repository is unpacked in memory; past this it is refused rather than exhausting the runner. */
export const MAX_ARCHIVE_BYTES = 1024 * 1024 * 1024

const BLOCK = 512
const ZERO_BLOCK = Buffer.alloc(BLOCK)

function field(header: Buffer, start: number, length: number): string {
  const raw = header.subarray(start, start + length)
  const end = raw.indexOf(0)
  return raw.subarray(0, end < 0 ? raw.length : end).toString('utf8')
}

/** An octal number field (digits, then NUL or space padding), read without making strings: 10,000 headers a run. */
function octal(header: Buffer, start: number, length: number): number {
  let value = 0
  for (let i = start; i < start + length; i++) {
    const byte = header[i]!
    if (byte === 0x20 && value === 0) continue
    if (byte < 0x30 || byte > 0x37) break
    value = value * 8 + (byte - 0x30)
  }
  return value
}

/** `len key=value\n` records of a pax extended header. */
function paxRecords(data: Buffer): Map<string, string> {
  const records = new Map<string, string>()
  let offset = 0
  while (offset < data.length) {
    const space = data.indexOf(0x20, offset)
    const length = Number(data.subarray(offset, space).toString('ascii'))
    if (space < 0 || !Number.isInteger(length) || length <= 0) break
    const record = data.subarray(space + 1, offset + length - 1).toString('utf8')
    const equals = record.indexOf('=')
    if (equals > 0) records.set(record.slice(0, equals), record.slice(equals + 1))
    offset += length
  }
  return records
}

/**
 * The files and links of a gzipped tar as `git archive` makes it (GitHub's tarball endpoint), with the
 * leading `<owner>-<repo>-<sha>/` directory removed. Nothing is written to disk; a path with `..` or a
 * leading `/` means the archive is not what it claims to be.
 */
export function readTarball(gzipped: Uint8Array, source: string): TarEntry[] {
  let tar: Buffer
  try {
    // node:zlib is loaded by a chart archive only, not by every run's start.
    tar = process.getBuiltinModule('node:zlib').gunzipSync(gzipped, { maxOutputLength: MAX_ARCHIVE_BYTES })
  } catch (error) {
    throw new BrokenInputError(source, `the archive cannot be unpacked: ${(error as Error).message}`)
  }
  const entries: TarEntry[] = []
  let pax = new Map<string, string>()
  for (let offset = 0; offset + BLOCK <= tar.length;) {
    const header = tar.subarray(offset, offset + BLOCK)
    if (header.equals(ZERO_BLOCK)) break
    const size = octal(header, 124, 12)
    const type = String.fromCharCode(header[156] ?? 0)
    const data = tar.subarray(offset + BLOCK, offset + BLOCK + size)
    if (data.length < size) throw new BrokenInputError(source, 'the archive ends inside a file')
    offset += BLOCK + Math.ceil(size / BLOCK) * BLOCK
    if (type === 'x') {
      pax = paxRecords(data)
      continue
    }
    if (type === 'g') continue
    const prefix = header[345] === 0 ? '' : field(header, 345, 155)
    const name = pax.get('path') ?? (prefix ? `${prefix}/${field(header, 0, 100)}` : field(header, 0, 100))
    pax = new Map()
    if (type !== '0' && type !== '\0' && type !== '2') continue
    const parts = name.split('/')
    if (name.startsWith('/') || parts.includes('..'))
      throw new BrokenInputError(source, `the archive holds the path ${name}`)
    const path = parts.slice(1).join('/')
    if (path === '') continue
    const mode = type === '2' ? '120000' : octal(header, 100, 8) & 0o111 ? '100755' : '100644'
    entries.push({ path, mode, bytes: data })
  }
  return entries
}
