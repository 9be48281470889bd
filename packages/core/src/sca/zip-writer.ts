import { crc32, deflateRawSync } from 'node:zlib'

/**
 * A zip archive of deflated members, as osv-scanner's local matcher reads `all.zip` (Go's
 * archive/zip): local headers, the central directory and its end record; no ZIP64, so at most
 * 65,535 members and 4 GiB, which a checked error says rather than writing a broken archive.
 */
const LOCAL_HEADER = 0x04034b50
const CENTRAL_ENTRY = 0x02014b50
const END_OF_CENTRAL_DIRECTORY = 0x06054b50
const DEFLATED = 8
const UTF8_NAMES = 0x0800
/** 1980-01-01 00:00 in MS-DOS time: fixed, so the same records always give the same bytes. */
const DOS_DATE = (0 << 9) | (1 << 5) | 1

export function zipArchive(members: readonly { name: string; data: Buffer }[]): Buffer {
  if (members.length > 0xffff)
    throw new Error(`${members.length} members is over the 65,535 a zip without ZIP64 holds`)
  const parts: Buffer[] = []
  const central: Buffer[] = []
  let offset = 0
  for (const member of members) {
    const name = Buffer.from(member.name, 'utf8')
    const body = deflateRawSync(member.data)
    const sum = crc32(member.data)
    const header = Buffer.alloc(30)
    header.writeUInt32LE(LOCAL_HEADER, 0)
    header.writeUInt16LE(20, 4)
    header.writeUInt16LE(UTF8_NAMES, 6)
    header.writeUInt16LE(DEFLATED, 8)
    header.writeUInt16LE(0, 10)
    header.writeUInt16LE(DOS_DATE, 12)
    header.writeUInt32LE(sum, 14)
    header.writeUInt32LE(body.length, 18)
    header.writeUInt32LE(member.data.length, 22)
    header.writeUInt16LE(name.length, 26)
    header.writeUInt16LE(0, 28)
    const entry = Buffer.alloc(46)
    entry.writeUInt32LE(CENTRAL_ENTRY, 0)
    entry.writeUInt16LE(20, 4)
    entry.writeUInt16LE(20, 6)
    header.copy(entry, 8, 6, 28)
    entry.writeUInt16LE(name.length, 28)
    entry.writeUInt32LE(offset, 42)
    central.push(entry, name)
    parts.push(header, name, body)
    offset += header.length + name.length + body.length
    if (offset > 0xffffffff) throw new Error('the archive is over the 4 GiB a zip without ZIP64 holds')
  }
  const directory = Buffer.concat(central)
  const end = Buffer.alloc(22)
  end.writeUInt32LE(END_OF_CENTRAL_DIRECTORY, 0)
  end.writeUInt16LE(members.length, 8)
  end.writeUInt16LE(members.length, 10)
  end.writeUInt32LE(directory.length, 12)
  end.writeUInt32LE(offset, 16)
  return Buffer.concat([...parts, directory, end])
}
