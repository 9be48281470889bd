import { describe, expect, it } from '@jest/globals'
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import * as path from 'node:path'
import { inflateRawSync } from 'node:zlib'
import { BrokenInputError, ConfigurationError, IntegrityError } from '../runtime/errors.js'
import { buildOsvDb, checkOfflineDb, MANIFEST } from './osv-db.js'

const PYYAML = JSON.stringify({
  id: 'GHSA-8q59-q68h-6hv4',
  modified: '2023-01-01T00:00:00Z',
  affected: [
    {
      package: { ecosystem: 'PyPI', name: 'PyYAML' },
      ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '5.4' }] }]
    }
  ]
})
const WITHDRAWN = JSON.stringify({
  id: 'GHSA-27h2-hvpr-p74q',
  modified: '2023-02-01T00:00:00Z',
  withdrawn: '2023-01-27T21:51:55Z',
  affected: [{ package: { ecosystem: 'npm', name: 'jsonwebtoken' } }]
})

/** The members of a zip this project wrote (deflated, one central directory): name → text. */
function unzip(file: string): Record<string, string> {
  const zip = readFileSync(file)
  const end = zip.length - 22
  const count = zip.readUInt16LE(end + 10)
  let at = zip.readUInt32LE(end + 16)
  const out: Record<string, string> = {}
  for (let i = 0; i < count; i++) {
    const nameLength = zip.readUInt16LE(at + 28)
    const local = zip.readUInt32LE(at + 42)
    const name = zip.toString('utf8', at + 46, at + 46 + nameLength)
    const size = zip.readUInt32LE(at + 20)
    const data = local + 30 + zip.readUInt16LE(local + 26)
    out[name] = inflateRawSync(zip.subarray(data, data + size)).toString('utf8')
    at += 46 + nameLength
  }
  return out
}

function build(extra: string[] = []): string {
  const out = mkdtempSync(path.join(tmpdir(), 'osv-db-'))
  buildOsvDb(
    [
      { file: 'a.json', text: PYYAML },
      { file: 'b.json', text: WITHDRAWN }
    ],
    out,
    { ecosystems: extra }
  )
  return out
}

describe('buildOsvDb', () => {
  it('writes one archive per ecosystem in the osv-scalibr layout, PyPI names in PEP 503 form', () => {
    const out = build(['GIT'])
    const pypi = unzip(path.join(out, 'osv-scalibr', 'PyPI', 'all.zip'))
    expect(Object.keys(pypi)).toEqual(['GHSA-8q59-q68h-6hv4.json'])
    expect(JSON.parse(pypi['GHSA-8q59-q68h-6hv4.json']!).affected[0].package).toEqual({
      ecosystem: 'PyPI',
      name: 'pyyaml'
    })
    expect(unzip(path.join(out, 'osv-scalibr', 'GIT', 'all.zip'))).toEqual({})
    const manifest = JSON.parse(readFileSync(path.join(out, MANIFEST), 'utf8'))
    expect(Object.keys(manifest.ecosystems)).toEqual(['GIT', 'npm', 'PyPI'])
    expect(manifest.withdrawn).toEqual(['GHSA-27h2-hvpr-p74q'])
    expect(manifest.newestModified).toBe('2023-02-01T00:00:00Z')
  })
  it('spells ecosystems as the OSV schema does, takes a purl-only package from its purl, lists the unplaceable', () => {
    const out = mkdtempSync(path.join(tmpdir(), 'osv-db-'))
    const record = (id: string, pkg: object | undefined) => ({
      file: `${id}.json`,
      text: JSON.stringify({ id, affected: [pkg ? { package: pkg } : { ranges: [{ type: 'GIT' }] }] })
    })
    const manifest = buildOsvDb(
      [
        record('TEST-1', { ecosystem: 'pypi', name: 'PyYAML' }),
        record('TEST-2', { ecosystem: 'debian:12', name: 'openssl' }),
        record('TEST-3', { purl: 'pkg:npm/%40babel/traverse@7.0.0' }),
        record('TEST-4', { purl: 'pkg:maven/org.apache.logging.log4j/log4j-core' }),
        record('TEST-5', undefined)
      ],
      out,
      { ecosystems: ['CRATES.IO'] }
    )
    expect(Object.keys(manifest.ecosystems).sort()).toEqual(['Debian', 'Maven', 'PyPI', 'crates.io', 'npm'])
    const pkg = (ecosystem: string, id: string) =>
      JSON.parse(unzip(path.join(out, 'osv-scalibr', ecosystem, 'all.zip'))[`${id}.json`]!).affected[0]
        .package
    expect(pkg('PyPI', 'TEST-1')).toEqual({ ecosystem: 'PyPI', name: 'pyyaml' })
    expect(pkg('Debian', 'TEST-2')).toEqual({ ecosystem: 'Debian:12', name: 'openssl' })
    expect(pkg('npm', 'TEST-3')).toMatchObject({ ecosystem: 'npm', name: '@babel/traverse' })
    expect(pkg('Maven', 'TEST-4')).toMatchObject({
      ecosystem: 'Maven',
      name: 'org.apache.logging.log4j:log4j-core'
    })
    expect(manifest.unplaced).toEqual(['TEST-5'])
  })
  it('refuses a record that is not JSON or has no usable id', () => {
    const out = mkdtempSync(path.join(tmpdir(), 'osv-db-'))
    expect(() => buildOsvDb([{ file: 'x.json', text: '{' }], out)).toThrow(ConfigurationError)
    expect(() => buildOsvDb([{ file: 'x.json', text: '{"id":"../../etc"}' }], out)).toThrow(/no valid "id"/)
  })
})

describe('checkOfflineDb', () => {
  it('accepts a built database and says which ecosystems it has', () => {
    const info = checkOfflineDb(build(), 'offline-db')
    expect(info.ecosystems).toEqual(['PyPI', 'npm'])
    expect(info.manifest?.format).toBe(1)
  })
  it('fails on a missing directory, naming the input', () => {
    expect(() => checkOfflineDb('/nonexistent/db', 'offline-db')).toThrow(
      /Input 'offline-db' \(\/nonexistent\/db\) is not a directory/
    )
  })
  it('fails on a directory without the 2.6.0 layout, and names the old layout', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'osv-db-'))
    mkdirSync(path.join(dir, 'osv-scanner', 'npm'), { recursive: true })
    writeFileSync(path.join(dir, 'osv-scanner', 'npm', 'all.zip'), '')
    expect(() => checkOfflineDb(dir, 'offline-db')).toThrow(BrokenInputError)
    expect(() => checkOfflineDb(dir, 'offline-db')).toThrow(/osv-scanner\/ layout of older releases/)
  })
  it('fails when an archive is not the one its manifest recorded', () => {
    const dir = build()
    writeFileSync(path.join(dir, 'osv-scalibr', 'npm', 'all.zip'), 'PK\u0005\u0006' + '\u0000'.repeat(18))
    expect(() => checkOfflineDb(dir, 'offline-db')).toThrow(IntegrityError)
  })
})
