import { describe, expect, it } from '@jest/globals'
import { isLineBasedDependencyFile, partialReadReason } from './dependency-file-text.js'

const PINS = 'PyYAML==5.3.1\nrequests==2.25.0\n'
const GRADLE = '# Gradle lockfile\norg.apache.logging.log4j:log4j-core:2.14.1=compileClasspath\nempty=\n'

const utf16 = (text: string, order: 'le' | 'be') => {
  const bytes = Buffer.from(text, 'utf16le')
  if (order === 'be') bytes.swap16()
  return Buffer.concat([Buffer.from(order === 'le' ? [0xff, 0xfe] : [0xfe, 0xff]), bytes])
}
const reasonFor = (file: string, content: string | Buffer) =>
  partialReadReason(file, typeof content === 'string' ? Buffer.from(content, 'utf8') : content)

describe('isLineBasedDependencyFile', () => {
  it('picks requirements files and Gradle lockfiles', () => {
    expect(isLineBasedDependencyFile('api/requirements.txt')).toBe(true)
    expect(isLineBasedDependencyFile('dev-requirements.txt')).toBe(true)
    expect(isLineBasedDependencyFile('app/gradle.lockfile')).toBe(true)
    expect(isLineBasedDependencyFile('buildscript-gradle.lockfile')).toBe(true)
    expect(isLineBasedDependencyFile('package-lock.json')).toBe(false)
    expect(isLineBasedDependencyFile('go.mod')).toBe(false)
  })
})

describe('partialReadReason', () => {
  it('reads UTF-8 with \\n or \\r\\n line breaks, and a utf-8 or ascii coding cookie, as whole', () => {
    expect(reasonFor('requirements.txt', PINS)).toBeUndefined()
    expect(reasonFor('requirements.txt', PINS.replace(/\n/g, '\r\n'))).toBeUndefined()
    expect(reasonFor('requirements.txt', `# -*- coding: utf-8 -*-\n${PINS}`)).toBeUndefined()
    expect(reasonFor('requirements.txt', `#!/x\n# vim: set fileencoding=US_ASCII :\n${PINS}`)).toBeUndefined()
    expect(reasonFor('requirements.txt', `# coding=UTF8\n${PINS}`)).toBeUndefined()
    expect(reasonFor('requirements.txt', `# ünïcode comment\n${PINS}`)).toBeUndefined()
    expect(reasonFor('gradle.lockfile', GRADLE)).toBeUndefined()
    expect(reasonFor('gradle.lockfile', GRADLE.replace(/\n/g, '\r\n'))).toBeUndefined()
  })

  it('refuses a byte-order mark of any Unicode encoding', () => {
    expect(reasonFor('requirements.txt', `\ufeff${PINS}`)).toBe('it starts with a UTF-8 byte-order mark')
    expect(reasonFor('requirements.txt', utf16(PINS, 'le'))).toBe('it starts with a UTF-16 byte-order mark')
    expect(reasonFor('requirements.txt', utf16(PINS, 'be'))).toBe('it starts with a UTF-16 byte-order mark')
    const utf32 = Buffer.from([0xff, 0xfe, 0, 0, 0x61, 0, 0, 0])
    expect(reasonFor('requirements.txt', utf32)).toBe('it starts with a UTF-32 byte-order mark')
    expect(reasonFor('requirements.txt', Buffer.from([0, 0, 0xfe, 0xff, 0, 0, 0, 0x61]))).toBe(
      'it starts with a UTF-32 byte-order mark'
    )
    expect(reasonFor('gradle.lockfile', `\ufeff${GRADLE}`)).toBe('it starts with a UTF-8 byte-order mark')
  })

  it('refuses a NUL byte (UTF-16 without a byte-order mark)', () => {
    expect(reasonFor('requirements.txt', Buffer.from(PINS, 'utf16le'))).toBe('it holds a NUL byte')
    expect(reasonFor('gradle.lockfile', `${GRADLE}\0`)).toBe('it holds a NUL byte')
  })

  it('refuses every line break of Python’s splitlines besides \\n and \\r\\n, naming the line', () => {
    const breaks: [string, string][] = [
      ['\r', '000D'],
      ['\v', '000B'],
      ['\f', '000C'],
      ['\x1c', '001C'],
      ['\x1d', '001D'],
      ['\x1e', '001E'],
      ['\u0085', '0085'],
      ['\u2028', '2028'],
      ['\u2029', '2029']
    ]
    for (const [lineBreak, code] of breaks)
      expect(reasonFor('requirements.txt', `flask==2.0.0\nPyYAML==5.3.1${lineBreak}requests==2.25.0\n`)).toBe(
        `line 2 has a line break other than \\n or \\r\\n (U+${code})`
      )
    expect(reasonFor('gradle.lockfile', GRADLE.replace(/\n/g, '\r'))).toBe(
      'line 1 has a line break other than \\n or \\r\\n (U+000D)'
    )
  })

  it('refuses a requirements file whose coding cookie names another encoding', () => {
    expect(reasonFor('requirements.txt', '# -*- coding: utf-7 -*-\nPyYAML+AD0APQ-5.3.1\n')).toBe(
      "its coding cookie names the encoding 'utf-7'"
    )
    expect(reasonFor('requirements.txt', `#!/x\n# coding=latin-1\n${PINS}`)).toBe(
      "its coding cookie names the encoding 'latin-1'"
    )
    // pip looks at the first two lines only, and only at comments that start the line.
    expect(reasonFor('requirements.txt', `#\n#\n# coding: utf-7\n${PINS}`)).toBeUndefined()
    expect(reasonFor('requirements.txt', ` # coding: utf-7\n${PINS}`)).toBeUndefined()
    // A Gradle lockfile has no coding cookie.
    expect(reasonFor('gradle.lockfile', `# coding: utf-7\n${GRADLE}`)).toBeUndefined()
  })

  it('refuses a line the engine’s 64 KiB line buffer cannot hold, counting a \\r before the \\n', () => {
    // Measured with osv-scanner 2.6.0: a line of 65,535 bytes and its \n is read, one byte more is not.
    const line = (bytes: number) => `#${'x'.repeat(bytes - 1)}`
    expect(reasonFor('requirements.txt', `${line(65_535)}\n${PINS}`)).toBeUndefined()
    expect(reasonFor('requirements.txt', `${PINS}${line(65_535)}`)).toBeUndefined()
    expect(reasonFor('requirements.txt', `${PINS}${line(65_536)}\n`)).toBe(
      'line 3 is 64 KiB or longer, more than the scan reads of a line'
    )
    expect(reasonFor('requirements.txt', `${PINS}${line(65_536)}`)).toBe(
      'line 3 is 64 KiB or longer, more than the scan reads of a line'
    )
    expect(reasonFor('requirements.txt', `${line(65_535)}\r\n${PINS}`)).toBe(
      'line 1 is 64 KiB or longer, more than the scan reads of a line'
    )
    expect(reasonFor('gradle.lockfile', `${GRADLE}${line(70_000)}\n`)).toBe(
      'line 4 is 64 KiB or longer, more than the scan reads of a line'
    )
  })

  it('reads a file of any name as a requirements file when told: pip reads a -r include so', () => {
    const cookie = Buffer.from(`# coding: latin-1\n${PINS}`)
    expect(partialReadReason('base.txt', cookie)).toBeUndefined()
    expect(partialReadReason('base.txt', cookie, { asRequirements: true })).toBe(
      "its coding cookie names the encoding 'latin-1'"
    )
  })
})
