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

/** The one header block of `entry`, altered by `change` and its checksum made right again. */
function header(entry: Parameters<typeof tar>[0][number], change: (block: Buffer) => void): Buffer {
  const block = Buffer.from(tar([entry]).subarray(0, 512))
  change(block)
  return fixChecksum(block)
}

const typed = (flag: string, records: string[]) => {
  const block = paxHeader(records)
  block[156] = flag.charCodeAt(0)
  return fixChecksum(block)
}

// The engine reads a docker save archive with Go's archive/tar: any member it sees that we do not (or
// the reverse) could show it other bytes than the ones checked.
describe('listTar reads an archive as Go, the engine, reads it', () => {
  it('gives a directory, a link or a device no data, whatever its size field says', async () => {
    const dirWithSize = header({ name: 'd/', type: 'dir' }, block => block.write('00000002000\0', 124))
    const linkWithSize = header({ name: 'l', type: 'symlink', linkname: 'd' }, block =>
      block.write('00000001000\0', 124)
    )
    const fifoWithSize = header({ name: 'f', content: '' }, block => {
      block[156] = '6'.charCodeAt(0)
      block.write('00000001000\0', 124)
    })
    const members = await listTar(
      write(
        'sized-dir.tar',
        Buffer.concat([
          dirWithSize,
          linkWithSize,
          fifoWithSize,
          tar([{ name: 'manifest.json', content: '[1]' }])
        ])
      )
    )
    expect(members.map(m => [m.name, m.type, m.size, m.linkname])).toEqual([
      ['d', 'dir', 0, ''],
      ['l', 'symlink', 0, 'd'],
      ['f', 'other', 0, ''],
      ['manifest.json', 'file', 3, '']
    ])
  })

  it('takes a name prefix from a GNU header only where Go does: when its time fields are no numbers', async () => {
    const gnu = (times: string) =>
      header({ name: 'layer.tar', content: '' }, block => {
        block.write('ustar  \0', 257, 'latin1')
        block.write(times, 345, 'latin1')
      })
    const withTimes = gnu('00000000000\u000000000000000\u0000')
    const oldGoPrefix = gnu('elsewhere')
    const members = await listTar(
      write('gnu.tar', Buffer.concat([withTimes, oldGoPrefix, Buffer.alloc(1024)]))
    )
    expect(members.map(m => m.name)).toEqual(['layer.tar', 'elsewhere/layer.tar'])
  })

  it('reads a size with spaces and NULs around it, not cut at the first NUL', async () => {
    const member = tar([{ name: 'a', content: 'abc' }])
    header({ name: 'a', content: 'abc' }, block =>
      block.write(' \u00000000000003\u0000', 124, 'latin1')
    ).copy(member)
    const file = write('nul-size.tar', member)
    const members = await listTar(file)
    expect(members.map(m => [m.name, m.size])).toEqual([['a', 3]])
    expect((await readMember(file, members[0]!, 10)).toString()).toBe('abc')
  })

  it('lets a later pax header replace an earlier one, and a global header forget both', async () => {
    const replaced = Buffer.concat([
      paxHeader(['path=hidden']),
      paxHeader(['size=3']),
      tar([{ name: 'short', content: 'abc' }])
    ])
    expect((await listTar(write('replaced.tar', replaced))).map(m => m.name)).toEqual(['short'])
    const forgotten = Buffer.concat([
      paxHeader(['path=hidden']),
      typed('g', ['comment=x']),
      tar([{ name: 'short', content: 'abc' }])
    ])
    // Go lists the global header itself, with no data: a layer named like it would read as empty.
    expect((await listTar(write('global.tar', forgotten))).map(m => [m.name, m.type, m.size])).toEqual([
      ['PaxHeader', 'other', 0],
      ['short', 'file', 3]
    ])
    const gnuWins = Buffer.concat([
      typed('L', []).subarray(0, 512),
      Buffer.from('long/name\0'.padEnd(512, '\0')),
      paxHeader(['path=pax-name']),
      tar([{ name: 'short', content: 'abc' }])
    ])
    // The GNU long name header above says 0 bytes; give it the 10 it holds.
    gnuWins.write('00000000012\0', 124)
    fixChecksum(gnuWins.subarray(0, 512))
    expect((await listTar(write('gnu-long.tar', gnuWins))).map(m => m.name)).toEqual(['long/name'])
  })

  it('refuses sparse members, whose data Go expands', async () => {
    const oldSparse = header({ name: 'layer.tar', content: 'x' }, block => (block[156] = 'S'.charCodeAt(0)))
    await expect(listTar(write('s.tar', Buffer.concat([oldSparse, Buffer.alloc(1536)])))).rejects.toThrow(
      'sparse member'
    )
    const paxSparse = Buffer.concat([
      paxHeader(['GNU.sparse.major=1', 'GNU.sparse.minor=0', 'GNU.sparse.name=layer.tar']),
      tar([{ name: 'short', content: '1\n0\n3\n' }])
    ])
    await expect(listTar(write('ps.tar', paxSparse))).rejects.toThrow('sparse member')
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
