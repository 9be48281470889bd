import { crc32, deflateRawSync } from 'node:zlib'

/** One member as a hostile archive may write it: every field the reader looks at can be set apart. */
export interface ZipMember {
  name: string
  content: Buffer | string
  method?: number
  flags?: number
  /** The local header's name, when it says another than the central directory. */
  localName?: string
  crc?: number
  size?: number
  /** Unix mode in the upper half of the external attributes (made by Unix). */
  mode?: number
}

/** A zip archive written member by member as given, for readers under test, hostile archives included. */
export function zipMembers(members: ZipMember[]): Buffer {
  const locals: Buffer[] = []
  const central: Buffer[] = []
  let offset = 0
  for (const m of members) {
    const data = Buffer.from(m.content)
    const method = m.method ?? 8
    const packed = method === 8 ? deflateRawSync(data) : data
    const name = Buffer.from(m.name)
    const localName = Buffer.from(m.localName ?? m.name)
    const crc = m.crc ?? crc32(data)
    const size = m.size ?? data.length
    const local = Buffer.alloc(30)
    local.writeUInt32LE(0x04034b50, 0)
    local.writeUInt16LE(20, 4)
    local.writeUInt16LE(m.flags ?? 0, 6)
    local.writeUInt16LE(method, 8)
    local.writeUInt32LE(crc, 14)
    local.writeUInt32LE(packed.length, 18)
    local.writeUInt32LE(size, 22)
    local.writeUInt16LE(localName.length, 26)
    const entry = Buffer.alloc(46)
    entry.writeUInt32LE(0x02014b50, 0)
    entry.writeUInt16LE(m.mode === undefined ? 20 : 0x0314, 4)
    entry.writeUInt16LE(20, 6)
    entry.writeUInt16LE(m.flags ?? 0, 8)
    entry.writeUInt16LE(method, 10)
    entry.writeUInt32LE(crc, 16)
    entry.writeUInt32LE(packed.length, 20)
    entry.writeUInt32LE(size, 24)
    entry.writeUInt16LE(name.length, 28)
    entry.writeUInt32LE(((m.mode ?? 0) << 16) >>> 0, 38)
    entry.writeUInt32LE(offset, 42)
    locals.push(local, localName, packed)
    central.push(entry, name)
    offset += local.length + localName.length + packed.length
  }
  const directory = Buffer.concat(central)
  const end = Buffer.alloc(22)
  end.writeUInt32LE(0x06054b50, 0)
  end.writeUInt16LE(members.length, 8)
  end.writeUInt16LE(members.length, 10)
  end.writeUInt32LE(directory.length, 12)
  end.writeUInt32LE(offset, 16)
  return Buffer.concat([...locals, directory, end])
}

/** A zip archive of `files` (deflated, UTF-8 names), as actions/upload-artifact produces one: enough for readers under test. */
export function zipArchive(files: Record<string, Buffer | string>): Buffer {
  return zipMembers(Object.entries(files).map(([name, content]) => ({ name, content, flags: 0x0800 })))
}
