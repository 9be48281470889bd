import * as path from 'node:path'
import { isRequirementsFile } from './lockfiles.js'

/**
 * Dependency files osv-scanner 2.6.0 reads line by line as raw UTF-8, split at `\n`: pip requirements
 * and Gradle lockfiles. pip and Gradle read more forms of them, so a file in such a form is scanned as
 * empty or partial while it installs in full.
 */
export function isLineBasedDependencyFile(file: string): boolean {
  const base = path.posix.basename(file)
  return isRequirementsFile(file) || base === 'gradle.lockfile' || base === 'buildscript-gradle.lockfile'
}

/** Longest first: a UTF-32LE mark starts with the UTF-16LE one. */
const BYTE_ORDER_MARKS: readonly { name: string; bytes: readonly number[] }[] = [
  { name: 'UTF-32', bytes: [0xff, 0xfe, 0x00, 0x00] },
  { name: 'UTF-32', bytes: [0x00, 0x00, 0xfe, 0xff] },
  { name: 'UTF-8', bytes: [0xef, 0xbb, 0xbf] },
  { name: 'UTF-16', bytes: [0xff, 0xfe] },
  { name: 'UTF-16', bytes: [0xfe, 0xff] }
]

/**
 * The breaks of Python's `str.splitlines` (which pip splits a requirements file with) and of Java's
 * `readLine` (Gradle) besides `\n` and `\r\n`, the only ones osv-scanner splits at.
 */
// eslint-disable-next-line no-control-regex -- these control characters are the line breaks looked for
const OTHER_LINE_BREAK = /\r(?!\n)|[\v\f\x1c-\x1e\u0085\u2028\u2029]/

/** pip's PEP 263 pattern (`auto_decode`), tried on each of the first two lines that starts with `#`. */
const CODING_COOKIE = /coding[:=][ \t\n\r\f\v]*([-\w.]+)/
const UTF8_OR_ASCII = new Set(['utf-8', 'utf8', 'ascii', 'us-ascii'])

/**
 * The size of the buffer osv-scanner's line reader (Go's `bufio.Scanner`) holds a line and its `\n` in:
 * on a longer line it stops. The file is then refused when given to the scan by name, but dropped
 * with only a warning when a requirements file includes it with `-r`.
 */
const ENGINE_LINE_BYTES = 64 * 1024

/** How a line-based file is read besides its bytes; both are worked out from the bytes when not given. */
export interface LineBasedRead {
  /** Read as pip reads a requirements file (a coding cookie counts): a `-r` include of any name is. */
  asRequirements?: boolean
  /** The bytes decoded as UTF-8, when the caller has them already. */
  text?: string
}

/**
 * Why osv-scanner would read less of a line-based dependency file than pip or Gradle installs from, or
 * undefined when it reads the file as they do.
 */
export function partialReadReason(file: string, bytes: Buffer, read: LineBasedRead = {}): string | undefined {
  const mark = BYTE_ORDER_MARKS.find(({ bytes: prefix }) => prefix.every((byte, i) => bytes[i] === byte))
  if (mark) return `it starts with a ${mark.name} byte-order mark`
  if (bytes.includes(0)) return 'it holds a NUL byte'
  const text = read.text ?? bytes.toString('utf8')
  const lineBreak = OTHER_LINE_BREAK.exec(text)
  if (lineBreak) {
    const code = lineBreak[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')
    const line = text.slice(0, lineBreak.index).split('\n').length
    return `line ${line} has a line break other than \\n or \\r\\n (U+${code})`
  }
  const long = firstLongLine(bytes)
  if (long !== undefined) return `line ${long} is 64 KiB or longer, more than the scan reads of a line`
  if (read.asRequirements ?? isRequirementsFile(file)) {
    const encoding = codingCookie(text)
    if (encoding !== undefined && !UTF8_OR_ASCII.has(encoding.toLowerCase().replace(/_/g, '-')))
      return `its coding cookie names the encoding '${encoding.slice(0, 40)}'`
  }
  return undefined
}

function codingCookie(text: string): string | undefined {
  for (const line of text.split('\n', 2))
    if (line.startsWith('#')) {
      const encoding = CODING_COOKIE.exec(line)?.[1]
      if (encoding !== undefined) return encoding
    }
  return undefined
}

/** The 1-based number of the first line whose bytes before its `\n` (a `\r` counts) fill the engine's buffer. */
function firstLongLine(bytes: Buffer): number | undefined {
  let line = 1
  for (let start = 0; start < bytes.length; line++) {
    const newline = bytes.indexOf(0x0a, start)
    const end = newline === -1 ? bytes.length : newline
    if (end - start >= ENGINE_LINE_BYTES) return line
    start = end + 1
  }
  return undefined
}
