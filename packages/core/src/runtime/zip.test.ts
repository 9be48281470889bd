import { describe, expect, it } from '@jest/globals'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import * as path from 'node:path'
import { crc32 } from 'node:zlib'
import { zipMembers as zip } from '../../../../test/support/zip-writer.js'
import { readZipMembers } from './zip.js'

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
