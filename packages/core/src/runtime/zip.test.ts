import { describe, expect, it } from '@jest/globals'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import * as path from 'node:path'
import { crc32, deflateRawSync } from 'node:zlib'
import { readZipMembers } from './zip.js'

/** One member as a hostile archive may write it: every field the reader looks at can be set apart. */
interface Member {
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

function zip(members: Member[]): Buffer {
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

const all = () => true
const text = (members: Map<string, Buffer>) =>
  Object.fromEntries([...members].map(([k, v]) => [k, String(v)]))

describe('readZipMembers', () => {
  it('reads stored and deflated members', () => {
    const archive = zip([
      { name: 'a.txt', content: 'alpha' },
      { name: 'b/c.txt', content: 'gamma', method: 0 }
    ])
    expect(text(readZipMembers(archive, all))).toEqual({ 'a.txt': 'alpha', 'b/c.txt': 'gamma' })
  })

  describe('a member that is not what the directory says is refused, never returned', () => {
    it('content whose CRC-32 differs from the recorded one (a corrupt or altered member)', () => {
      const archive = zip([{ name: 'evidence.json', content: '{"ok":true}', crc: 0x12345678 }])
      expect(() => readZipMembers(archive, all)).toThrow(/evidence\.json.*CRC/)
    })

    it('a stored member longer than its recorded size', () => {
      const archive = zip([{ name: 'evidence.json', content: 'x'.repeat(1000), method: 0, size: 10 }])
      expect(() => readZipMembers(archive, all)).toThrow(/evidence\.json.*10 bytes/)
    })

    it('a deflated member that inflates past its recorded size, with a clear message', () => {
      const archive = zip([{ name: 'evidence.json', content: 'x'.repeat(100_000), size: 10 }])
      expect(() => readZipMembers(archive, all, { maxMemberBytes: 1000 })).toThrow(
        /evidence\.json.*more than the 10 bytes/
      )
    })
  })

  describe('an archive two readers could read differently is refused', () => {
    it('two members of one name: which one another reader takes (first or last) is its choice', () => {
      const archive = zip([
        { name: 'pkg.dist-info/RECORD', content: 'checked' },
        { name: 'pkg.dist-info/RECORD', content: 'installed' }
      ])
      expect(() => readZipMembers(archive, all)).toThrow(/pkg\.dist-info\/RECORD.*more than once/)
    })

    it('a local header naming another file than the central directory (what a streaming reader sees)', () => {
      const archive = zip([{ name: 'evidence.json', localName: 'other.json', content: '{}' }])
      expect(() => readZipMembers(archive, all)).toThrow(/evidence\.json.*local header.*other\.json/)
    })

    it('a local header recording other sizes than the central directory', () => {
      const archive = zip([{ name: 'evidence.json', content: '{}', method: 0 }])
      archive.writeUInt32LE(1, 18)
      archive.writeUInt32LE(1, 22)
      expect(() => readZipMembers(archive, all)).toThrow(/evidence\.json.*disagree/)
    })

    it('still reads a member whose CRC and sizes follow it in a data descriptor (local header zeros)', () => {
      const archive = zip([{ name: 'evidence.json', content: '{}', flags: 0x08 }])
      archive.fill(0, 14, 26)
      expect(text(readZipMembers(archive, all))).toEqual({ 'evidence.json': '{}' })
    })

    it('a central directory holding more entries than its end record counts', () => {
      const archive = zip([
        { name: 'a.txt', content: 'a' },
        { name: 'evidence.json', content: '{}' }
      ])
      const end = archive.length - 22
      archive.writeUInt16LE(1, end + 8)
      archive.writeUInt16LE(1, end + 10)
      expect(() => readZipMembers(archive, all)).toThrow(/central directory/)
    })
  })

  describe('a member that is not a plain file is refused, saying what it is', () => {
    it('a symbolic link: its content is a path, not the file', () => {
      const archive = zip([{ name: 'evidence.json', content: '/etc/passwd', mode: 0o120777 }])
      expect(() => readZipMembers(archive, all)).toThrow(/evidence\.json is a symbolic link/)
    })

    it('an encrypted member', () => {
      const plain = Buffer.from('{"ok":true}')
      const archive = zip([
        {
          name: 'evidence.json',
          content: Buffer.concat([Buffer.alloc(12, 7), plain]),
          method: 0,
          flags: 1,
          size: plain.length,
          crc: crc32(plain)
        }
      ])
      expect(() => readZipMembers(archive, all)).toThrow(/evidence\.json is encrypted/)
    })

    it('a ZIP64 member, by its name rather than as a 4 GiB one', () => {
      const archive = zip([{ name: 'evidence.json', content: '{}', size: 0xffffffff }])
      expect(() => readZipMembers(archive, all)).toThrow(/evidence\.json.*ZIP64/)
    })

    it.each([
      '../evidence.json',
      '/evidence.json',
      'a/../../evidence.json',
      'a\\evidence.json',
      'C:/evidence.json',
      'a\n/evidence.json'
    ])('a member named %j, which no archiver writes for a file inside it', name => {
      const archive = zip([{ name, content: '{}' }])
      expect(() => readZipMembers(archive, all)).toThrow(/not a relative path inside the archive/)
    })
  })

  it('refuses from a file on disk a directory claimed past the end of the file, before making room for it', () => {
    const archive = zip([{ name: 'a.txt', content: 'a' }])
    archive.writeUInt32LE(64 * 1024 * 1024, archive.length - 22 + 12)
    const dir = mkdtempSync(path.join(tmpdir(), 'zip-'))
    try {
      const file = path.join(dir, 'claims.zip')
      writeFileSync(file, archive)
      expect(() => readZipMembers(file, all)).toThrow(/unexpected end of archive/)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
