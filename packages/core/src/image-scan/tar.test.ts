import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import * as path from 'node:path'
import { gzipSync } from 'node:zlib'
import { tar } from '../../../../test/support/oci-image.js'
import { extractFiles } from './extract.js'
import { listTar, readMember } from './tar.js'

let dir: string
beforeEach(() => void (dir = mkdtempSync(path.join(tmpdir(), 'sp-tar-'))))
afterEach(() => rmSync(dir, { recursive: true, force: true }))

function write(name: string, bytes: Buffer): string {
  writeFileSync(path.join(dir, name), bytes)
  return path.join(dir, name)
}

/** Recomputes the checksum of a header block altered after it was written. */
function fixChecksum(block: Buffer): Buffer {
  block.write('        ', 148)
  let sum = 0
  for (let i = 0; i < 512; i++) sum += block[i]!
  block.write(sum.toString(8).padStart(6, '0') + '\0 ', 148)
  return block
}

/** A pax extended header (type x) holding `records`, each `<length> key=value\n`. */
function paxHeader(records: string[]): Buffer {
  const record = (text: string) => {
    let length = text.length + 3
    while (`${length} ${text}\n`.length !== length) length++
    return `${length} ${text}\n`
  }
  const pax = tar([{ name: 'PaxHeader', content: records.map(record).join('') }]).subarray(0, -1024)
  pax[156] = 'x'.charCodeAt(0)
  fixChecksum(pax)
  return pax
}

/** A pax extended header giving `name` to the member after it, as GNU and Go tar write long names. */
function paxNamed(name: string, content: string): Buffer {
  return Buffer.concat([paxHeader([`path=${name}`]), tar([{ name: 'short', content }])])
}

/**
 * A member whose size does not fit its header, as Go's archive/tar (docker save, podman) writes a
 * layer over 8 GiB: the header's size field is 0 and a pax `size` record gives the real size.
 */
function paxSized(name: string, content: string): Buffer {
  const member = tar([{ name, content }]).subarray(0, -1024)
  member.write('00000000000\0', 124)
  fixChecksum(member)
  return Buffer.concat([paxHeader([`size=${Buffer.byteLength(content)}`]), member])
}

describe('listTar and readMember', () => {
  it('lists members without reading their data, ./ and trailing slashes folded', async () => {
    const file = write(
      'a.tar',
      tar([
        { name: './dir/', type: 'dir' },
        { name: './dir/manifest.json', content: '[1]' },
        { name: 'link', type: 'symlink', linkname: '/etc/passwd' }
      ])
    )
    const members = await listTar(file)
    expect(members.map(m => [m.name, m.type, m.size])).toEqual([
      ['dir', 'dir', 0],
      ['dir/manifest.json', 'file', 3],
      ['link', 'symlink', 0]
    ])
    expect((await readMember(file, members[1]!, 100)).toString()).toBe('[1]')
    await expect(readMember(file, members[1]!, 2)).rejects.toThrow('over the 2-byte limit')
  })

  it('reads a long name from a pax header, and refuses what is not a tar or ends early', async () => {
    const long = `blobs/sha256/${'a'.repeat(120)}`
    const members = await listTar(write('pax.tar', paxNamed(long, 'x')))
    expect(members.map(m => m.name)).toEqual([long])
    await expect(listTar(write('junk.tar', Buffer.alloc(2048, 7)))).rejects.toThrow('checksum')
    const whole = tar([{ name: 'a', content: 'x'.repeat(2000) }])
    await expect(listTar(write('cut.tar', whole.subarray(0, 1024)))).rejects.toThrow('ends in the middle')
  })

  it('takes the size of a member from a pax record when its header cannot hold it', async () => {
    const layer = 'L'.repeat(700)
    const file = write(
      'sized.tar',
      Buffer.concat([paxSized('big/layer.tar', layer), tar([{ name: 'manifest.json', content: '[1]' }])])
    )
    const members = await listTar(file)
    expect(members.map(m => [m.name, m.size])).toEqual([
      ['big/layer.tar', 700],
      ['manifest.json', 3]
    ])
    expect((await readMember(file, members[0]!, 1000)).toString()).toBe(layer)
  })
})

describe('extractFiles', () => {
  it('writes only the wanted regular files, by base name, and nothing a link or path could redirect', async () => {
    const out = path.join(dir, 'out')
    mkdirSync(out)
    const archive = write(
      'db.tar.gz',
      gzipSync(
        tar([
          { name: 'trivy.db', type: 'symlink', linkname: '/etc/passwd' },
          { name: '../../metadata.json', content: 'escape' },
          { name: 'trivy.db', content: 'DB' },
          { name: 'metadata.json', content: '{"Version":2}' },
          { name: 'other', content: 'ignored' }
        ])
      )
    )
    expect(await extractFiles(archive, out, ['trivy.db', 'metadata.json'], 1 << 20)).toEqual([
      'trivy.db',
      'metadata.json'
    ])
    expect(readdirSync(out).sort()).toEqual(['metadata.json', 'trivy.db'])
    expect(readFileSync(path.join(out, 'trivy.db'), 'utf8')).toBe('DB')
    expect(readFileSync(path.join(out, 'metadata.json'), 'utf8')).toBe('{"Version":2}')
    expect(existsSync(path.join(dir, 'metadata.json'))).toBe(false)
  })

  it('streams members larger than one chunk, and stops at the unpacked size limit', async () => {
    const big = Buffer.alloc(3 * 1024 * 1024 + 17, 0x5a)
    const archive = write('big.tar.gz', gzipSync(tar([{ name: 'trivy.db', content: big }])))
    const out = mkdtempSync(path.join(dir, 'o-'))
    await extractFiles(archive, out, ['trivy.db'], 16 << 20)
    expect(readFileSync(path.join(out, 'trivy.db')).equals(big)).toBe(true)
    await expect(
      extractFiles(archive, mkdtempSync(path.join(dir, 'p-')), ['trivy.db'], 1 << 20)
    ).rejects.toThrow('more than 1048576 bytes')
  })

  it('unpacks a member whose size is given by a pax record', async () => {
    const db = 'D'.repeat(1500)
    const archive = write(
      'sized.tar.gz',
      gzipSync(
        Buffer.concat([paxSized('trivy.db', db), tar([{ name: 'metadata.json', content: '{"Version":2}' }])])
      )
    )
    const out = mkdtempSync(path.join(dir, 'o-'))
    expect(await extractFiles(archive, out, ['trivy.db', 'metadata.json'], 1 << 20)).toEqual([
      'trivy.db',
      'metadata.json'
    ])
    expect(readFileSync(path.join(out, 'trivy.db'), 'utf8')).toBe(db)
    expect(readFileSync(path.join(out, 'metadata.json'), 'utf8')).toBe('{"Version":2}')
  })

  it('refuses a pax header too large to be one, and one that is malformed', async () => {
    const out = mkdtempSync(path.join(dir, 'o-'))
    const huge = write(
      'huge.tar.gz',
      gzipSync(Buffer.concat([paxHeader([`path=${'a'.repeat(2 << 20)}`]), tar([{ name: 'trivy.db' }])]))
    )
    await expect(extractFiles(huge, out, ['trivy.db'], 1 << 30)).rejects.toThrow(
      'over the 1048576-byte limit'
    )
    const bad = paxHeader(['size=5'])
    bad.write('x', 512)
    const malformed = write('bad.tar', Buffer.concat([bad, tar([{ name: 'a', content: 'abcde' }])]))
    await expect(listTar(malformed)).rejects.toThrow('pax header is malformed')
  })

  it('refuses an archive cut short or that is no gzip', async () => {
    const whole = gzipSync(tar([{ name: 'trivy.db', content: 'x'.repeat(5000) }]))
    const out = mkdtempSync(path.join(dir, 'o-'))
    await expect(
      extractFiles(write('cut.gz', whole.subarray(0, whole.length - 30)), out, ['trivy.db'], 1 << 20)
    ).rejects.toThrow()
    await expect(
      extractFiles(write('plain', Buffer.from('not gzip')), out, ['trivy.db'], 1 << 20)
    ).rejects.toThrow()
  })
})
