import { describe, expect, it } from '@jest/globals'
import {
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  truncateSync,
  writeFileSync
} from 'node:fs'
import { tmpdir } from 'node:os'
import * as path from 'node:path'
import { BrokenInputError } from '../runtime/errors.js'
import { lockfileReader, type ReadBytes } from './lockfile-reader.js'

const PINS = 'PyYAML==5.3.1\nrequests==2.25.0\n'
const UTF16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(PINS, 'utf16le')])
const OSV = { followIncludes: true }

/** A temp directory holding `files`, with a reader over it that records every file it reads. */
function workspace(files: Record<string, string | Buffer>) {
  const root = mkdtempSync(path.join(tmpdir(), 'sca-reader-'))
  for (const [file, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true })
    writeFileSync(path.join(root, file), content)
  }
  const reads: string[] = []
  const readBytes: ReadBytes = full => {
    reads.push(path.relative(root, full).split(path.sep).join('/'))
    return readFileSync(full)
  }
  return { root, reads, reader: lockfileReader(root, readBytes) }
}

/** A file outside every workspace, the way `-r ../../x` or a link would reach runner files. */
function outsideFile(content: string | Buffer): string {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'sca-outside-')), 'secret.txt')
  writeFileSync(file, content)
  return file
}

const refusal = (run: () => void): BrokenInputError => {
  try {
    run()
  } catch (error) {
    if (error instanceof BrokenInputError) return error
    throw error
  }
  throw new Error('not refused')
}

describe('lockfileReader', () => {
  it('reads each file once for the check and the findings after it', () => {
    const { reader, reads } = workspace({
      'api/requirements.txt': `-r base.txt\n${PINS}`,
      'api/base.txt': 'flask==2.0.0\n',
      'app/gradle.lockfile': 'org.example:lib:1.0=compileClasspath\n',
      'web/package-lock.json': '{}'
    })
    const files = ['api/requirements.txt', 'app/gradle.lockfile', 'web/package-lock.json']
    reader.checkLineBased(files, OSV)
    for (const file of [...files, 'api/base.txt']) expect(reader.text(file)).toBeDefined()
    expect(reader.line('api/requirements.txt', { ecosystem: 'PyPI', name: 'requests' })).toBe(3)
    expect(reads.sort()).toEqual([
      'api/base.txt',
      'api/requirements.txt',
      'app/gradle.lockfile',
      'web/package-lock.json'
    ])
  })

  it('refuses a line-based file the engine reads in part, naming it', () => {
    const { reader } = workspace({ 'requirements.txt': UTF16 })
    expect(refusal(() => reader.checkLineBased(['requirements.txt'], OSV)).message).toBe(
      'requirements.txt: it starts with a UTF-16 byte-order mark, so the scan would read only part of it; save it as UTF-8 without a byte-order mark or a coding cookie, with \\n or \\r\\n line breaks and lines under 64 KiB'
    )
  })

  it('refuses a JSON lockfile Go reads otherwise, or one too large to check, reading each JSON file once', () => {
    const twin = '{"packages": {"node_modules/lodash": {"version": "4.17.11", "Version": "4.17.21"}}}'
    const { root, reader, reads } = workspace({
      'a/package-lock.json': twin,
      'b/composer.lock': '{"packages": []}',
      'big/Pipfile.lock': '',
      'requirements.txt': PINS
    })
    expect(refusal(() => reader.checkJson(['a/package-lock.json'])).message).toMatch(
      /^a\/package-lock.json: the object at \["packages"\]\["node_modules\/lodash"\] holds the keys 'version' and 'Version', .*; keep one spelling of each key/
    )
    truncateSync(path.join(root, 'big/Pipfile.lock'), 64 * 1024 * 1024 + 1)
    expect(refusal(() => reader.checkJson(['big/Pipfile.lock'])).message).toBe(
      'big/Pipfile.lock: is over 64 MiB, too large to check that the scan reads it as the package manager does'
    )
    reader.checkJson(['b/composer.lock', 'requirements.txt'])
    expect(reader.text('b/composer.lock')).toBe('{"packages": []}')
    expect(reads).toEqual(['a/package-lock.json', 'b/composer.lock'])
  })

  it('refuses nothing when it only reads (a merge-base tree): the file is read in part there too', () => {
    const { reader } = workspace({ 'requirements.txt': UTF16 })
    expect(reader.text('requirements.txt')).toBe(UTF16.toString('utf8'))
    expect(reader.text('missing/requirements.txt')).toBeUndefined()
  })

  it('refuses a file a -r include reaches, of any name, naming it and the line that includes it', () => {
    const { reader } = workspace({
      'api/requirements.txt': `flask==2.0.0\n-r other.txt\n`,
      'api/other.txt': UTF16
    })
    expect(refusal(() => reader.checkLineBased(['api/requirements.txt'], OSV)).message).toMatch(
      /^api\/other.txt: it starts with a UTF-16 byte-order mark, so the scan would read only part of it \(api\/requirements.txt line 2 includes it with -r\); save it as UTF-8/
    )
  })

  it('checks an included file as pip reads it: its coding cookie counts, and its own includes', () => {
    const { reader } = workspace({
      'requirements.txt': '-r deps/a.txt\n',
      'deps/a.txt': '-r ../b.txt\n',
      'b.txt': `# -*- coding: latin-1 -*-\n${PINS}`
    })
    expect(refusal(() => reader.checkLineBased(['requirements.txt'], OSV)).message).toMatch(
      /^b.txt: its coding cookie names the encoding 'latin-1', .*\(deps\/a.txt line 1 includes it with -r\)/
    )
  })

  it('refuses an included file with a line the engine stops at (it drops such a file silently)', () => {
    const { reader } = workspace({
      'requirements.txt': '-r big.txt\n',
      'big.txt': `#${'x'.repeat(64 * 1024)}\nflask==2.0.0\n`
    })
    expect(refusal(() => reader.checkLineBased(['requirements.txt'], OSV)).message).toMatch(
      /^big.txt: line 1 is 64 KiB or longer, more than the scan reads of a line/
    )
  })

  it('follows only the include forms the engine follows, and only for it', () => {
    const { reader, reads } = workspace({
      'requirements.txt': '--requirement a.txt\n-c b.txt\n--pre -r c.txt\n-r "d.txt"\n-r missing.txt\n-r .\n',
      'a.txt': UTF16,
      'b.txt': UTF16,
      'c.txt': UTF16,
      'd.txt': UTF16
    })
    reader.checkLineBased(['requirements.txt'], OSV)
    expect(reads).toEqual(['requirements.txt'])
    const trivy = workspace({ 'requirements.txt': '-r other.txt\n', 'other.txt': UTF16 })
    trivy.reader.checkLineBased(['requirements.txt'], { followIncludes: false })
    expect(trivy.reads).toEqual(['requirements.txt'])
  })

  it('ends an include cycle, reading each file once', () => {
    const { reader, reads } = workspace({
      'requirements.txt': '-r a.txt\n-r requirements.txt\n',
      'a.txt': '-r sub/b.txt\n',
      'sub/b.txt': '-r ../a.txt\n-r ../requirements.txt\n-r ./b.txt\n'
    })
    reader.checkLineBased(['requirements.txt'], OSV)
    expect(reads.sort()).toEqual(['a.txt', 'requirements.txt', 'sub/b.txt'])
  })

  it('refuses an include that leaves the workspace, and reads nothing outside it', () => {
    const outside = outsideFile(UTF16)
    const { root, reader, reads } = workspace({})
    const relative = path.relative(path.join(root, 'deps'), outside).split(path.sep).join('/')
    writeFileSync(path.join(root, 'requirements.txt'), `-r ${relative}\n`)
    mkdirSync(path.join(root, 'deps'))
    writeFileSync(path.join(root, 'deps', 'requirements.txt'), `flask==2.0.0\n-r ${relative}\n`)
    expect(refusal(() => reader.checkLineBased(['deps/requirements.txt'], OSV)).message).toBe(
      `deps/requirements.txt: line 2 includes "${relative}" with -r, a path that leaves the workspace: the scan would read that file from the runner; include only files of the repository, by a path relative to this file`
    )
    expect(refusal(() => reader.checkLineBased(['requirements.txt'], OSV)).message).toMatch(
      /^requirements.txt: line 1 includes "\.\.\/.*" with -r, a path that leaves the workspace/
    )
    const sibling = workspace({ 'requirements.txt': '-r sub/../../x.txt\n' })
    expect(() => sibling.reader.checkLineBased(['requirements.txt'], OSV)).toThrow(/leaves the workspace/)
    expect([...reads, ...sibling.reads]).toEqual([
      'deps/requirements.txt',
      'requirements.txt',
      'requirements.txt'
    ])
  })

  it('takes an absolute include under the including file’s directory, as the engine joins it', () => {
    const outside = outsideFile(UTF16)
    const { root, reader, reads } = workspace({ 'deps/requirements.txt': `-r ${outside}\n` })
    reader.checkLineBased(['deps/requirements.txt'], OSV)
    expect(reads).toEqual(['deps/requirements.txt'])
    // What the engine opens is deps/<the absolute path>: inside the workspace, and checked.
    const inside = path.join(root, 'deps', outside)
    mkdirSync(path.dirname(inside), { recursive: true })
    writeFileSync(inside, UTF16)
    const again = lockfileReader(root)
    expect(() => again.checkLineBased(['deps/requirements.txt'], OSV)).toThrow(
      /^deps\/tmp\/.*secret.txt: it starts with a UTF-16 byte-order mark/
    )
  })

  it('refuses an include through a symbolic link, to a file or a directory, and reads nothing behind it', () => {
    const outside = outsideFile('ghs_token\n')
    const { root, reader, reads } = workspace({ 'requirements.txt': '-r linked.txt\n', 'sub/x.txt': PINS })
    symlinkSync(outside, path.join(root, 'linked.txt'))
    expect(refusal(() => reader.checkLineBased(['requirements.txt'], OSV)).message).toBe(
      'requirements.txt: line 1 includes "linked.txt" with -r, through the symbolic link linked.txt: the scan would follow it, wherever it points; include the file itself, not a link'
    )
    const dir = workspace({ 'requirements.txt': '-r dir/secret.txt\n' })
    symlinkSync(path.dirname(outside), path.join(dir.root, 'dir'))
    expect(() => dir.reader.checkLineBased(['requirements.txt'], OSV)).toThrow(
      /line 1 includes "dir\/secret.txt" with -r, through the symbolic link dir:/
    )
    // A link inside the workspace to a file of it is refused too: no link is followed.
    const within = workspace({ 'requirements.txt': '-r alias.txt\n', 'real.txt': PINS })
    symlinkSync('real.txt', path.join(within.root, 'alias.txt'))
    expect(() => within.reader.checkLineBased(['requirements.txt'], OSV)).toThrow(/symbolic link alias.txt/)
    expect([...reads, ...dir.reads, ...within.reads]).toEqual([
      'requirements.txt',
      'requirements.txt',
      'requirements.txt'
    ])
  })

  it('refuses an include over the size cap, as a file given by name', () => {
    const { root, reader, reads } = workspace({ 'requirements.txt': '-r huge.txt\n', 'huge.txt': '' })
    // Sparse: over the cap without writing 64 MiB.
    truncateSync(path.join(root, 'huge.txt'), 64 * 1024 * 1024 + 1)
    expect(refusal(() => reader.checkLineBased(['requirements.txt'], OSV)).message).toBe(
      'huge.txt: is over 64 MiB, too large to check that the scan reads all of it (requirements.txt line 1 includes it with -r)'
    )
    expect(reads).toEqual(['requirements.txt'])
  })
})

describe('lockfileReader: what pip installs from by includes the scan does not read', () => {
  /** Each unread include as `from:line kind what`, in the order they were met. */
  const unread = (reader: ReturnType<typeof lockfileReader>, files: string[], followIncludes = true) =>
    reader
      .checkLineBased(files, { followIncludes })
      .map(
        u =>
          `${u.from}:${u.include.line} ${u.kind} ${u.kind === 'file' ? u.file : u.kind === 'link' ? u.link : u.include.target}`
      )

  it('names each file pip includes that osv-scanner does not follow and that is not scanned itself', () => {
    const { reader, reads } = workspace({
      'api/requirements.txt': [
        '-r followed.txt',
        '--requirement long.txt',
        '-r "quoted.txt"',
        '--pre -r later.txt',
        '--requirement=./followed.txt',
        '--requirement requirements-dev.txt',
        '--requirement reached.txt',
        '--requirement missing.txt',
        '--requirement sub',
        '-c constraints.txt',
        'flask==2.0.0 -r on-a-requirement.txt'
      ].join('\n'),
      'api/followed.txt': '-r reached.txt\n',
      'api/reached.txt': 'flask==2.0.0\n',
      'api/long.txt': PINS,
      'api/quoted.txt': PINS,
      'api/later.txt': PINS,
      'api/requirements-dev.txt': PINS,
      'api/sub/x.txt': PINS,
      'api/constraints.txt': PINS,
      'api/on-a-requirement.txt': PINS
    })
    expect(unread(reader, ['api/requirements-dev.txt', 'api/requirements.txt'])).toEqual([
      'api/requirements.txt:2 file api/long.txt',
      'api/requirements.txt:3 file api/quoted.txt',
      'api/requirements.txt:4 file api/later.txt'
    ])
    // The unread files are looked at with lstat, never read.
    expect(reads.sort()).toEqual([
      'api/followed.txt',
      'api/reached.txt',
      'api/requirements-dev.txt',
      'api/requirements.txt'
    ])
  })

  it('compares where each reader resolves the include: osv-scanner reads `a.txt b.txt` on a joined line', () => {
    const { reader } = workspace({
      'requirements.txt': '-r a.txt \\\nb.txt\n-r ./c.txt\n',
      'a.txt': PINS,
      'a.txt b.txt': PINS,
      'c.txt': PINS
    })
    expect(unread(reader, ['requirements.txt'])).toEqual(['requirements.txt:1 file a.txt'])
  })

  it('reads the includes of each file the engine reaches, and names a file once', () => {
    const { reader } = workspace({
      'requirements.txt': '-r deps/a.txt\n--requirement deps/b.txt\n',
      'deps/a.txt': '--requirement b.txt\n--requirement=../c.txt\n',
      'deps/b.txt': PINS,
      'c.txt': PINS
    })
    expect(unread(reader, ['requirements.txt'])).toEqual([
      'requirements.txt:2 file deps/b.txt',
      'deps/a.txt:2 file c.txt'
    ])
  })

  it('with Trivy, which follows no include, names every included file that is not scanned itself', () => {
    const { reader, reads } = workspace({
      'requirements.txt': '-r other.txt\n-r dev-requirements.txt\n--requirement more.txt\n',
      'other.txt': '-r deeper.txt\n',
      'deeper.txt': PINS,
      'dev-requirements.txt': PINS,
      'more.txt': PINS
    })
    expect(unread(reader, ['dev-requirements.txt', 'requirements.txt'], false)).toEqual([
      'requirements.txt:1 file other.txt',
      'requirements.txt:3 file more.txt'
    ])
    expect(reads.sort()).toEqual(['dev-requirements.txt', 'requirements.txt'])
  })

  it('names a path it cannot resolve to a workspace file, and reads nothing outside or behind a link', () => {
    const outside = outsideFile(PINS)
    const { root, reader, reads } = workspace({
      'deps/requirements.txt': [
        '--requirement ${DIR}/env.txt',
        '--requirement https://user:token@example.com/r.txt?sig=abc',
        '--requirement FILE:///etc/r.txt',
        `--requirement ${outside}`,
        '--requirement ../../x.txt',
        '--requirement linked.txt',
        '--requirement dir/secret.txt',
        '--requirement real/../x.txt',
        '--requirement odd\ufffd.txt',
        '-r "../../quoted.txt"'
      ].join('\n'),
      'deps/real/file.txt': PINS
    })
    symlinkSync(outside, path.join(root, 'deps/linked.txt'))
    symlinkSync(path.dirname(outside), path.join(root, 'deps/dir'))
    // The system takes `..` from where a link points: real/../x.txt is not deps/x.txt.
    rmSync(path.join(root, 'deps/real'), { recursive: true })
    symlinkSync(path.dirname(outside), path.join(root, 'deps/real'))
    writeFileSync(path.join(root, 'deps/x.txt'), PINS)
    expect(unread(reader, ['deps/requirements.txt'])).toEqual([
      'deps/requirements.txt:1 variable ${DIR}/env.txt',
      'deps/requirements.txt:2 url https://user:token@example.com/r.txt?sig=abc',
      'deps/requirements.txt:3 url FILE:///etc/r.txt',
      `deps/requirements.txt:4 absolute ${outside}`,
      'deps/requirements.txt:5 outside ../../x.txt',
      'deps/requirements.txt:6 link deps/linked.txt',
      'deps/requirements.txt:7 link deps/dir',
      'deps/requirements.txt:8 link deps/real',
      'deps/requirements.txt:9 undecodable odd\ufffd.txt',
      'deps/requirements.txt:10 outside ../../quoted.txt'
    ])
    expect(reads).toEqual(['deps/requirements.txt'])
  })

  it('looks only at requirements files, not at Gradle lockfiles', () => {
    const { reader } = workspace({ 'gradle.lockfile': '-r other.txt\n', 'other.txt': PINS })
    expect(unread(reader, ['gradle.lockfile'])).toEqual([])
  })
})
