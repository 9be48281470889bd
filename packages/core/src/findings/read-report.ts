import { closeSync, fstatSync, openSync, readFileSync, readSync, statSync } from 'node:fs'
import { BrokenInputError } from '../runtime/errors.js'
import { parseReportObject } from './detect.js'
import type { ScanReport } from './finding.js'
import { HashOffload } from './hash-offload.js'
import { sha256HexOfBytes } from './sha256.js'
import { parseJsonText } from './json.js'
import type { ReadOptions } from './readers/common.js'

export interface ReadReportOptions extends ReadOptions {
  /** Name used in errors and as `ScanReport.source` (default: the path). */
  source?: string
  /** Larger files are refused before reading (default 512 MiB). */
  maxBytes?: number
  /**
   * Sees the parsed document before it is read into findings (which may take it apart): a caller keeps
   * what it needs of it, such as SARIF run metadata, without reading the file twice.
   */
  onDocument?: (document: unknown) => void
  /** Reports this large or larger are hashed on a second thread (default 4 MiB). */
  offloadBytes?: number
}

type Digest = NonNullable<ScanReport['digest']>

export const DEFAULT_MAX_REPORT_BYTES = 512 * 1024 * 1024
/** Below this a second thread would cost more to start than the hashing it takes over. */
export const DEFAULT_OFFLOAD_BYTES = 4 * 1024 * 1024

/**
 * Reads and parses one report file of any accepted format. A missing, empty, oversized or cut-off file
 * is a BrokenInputError, never an empty report. Synchronous: the actions read a handful of reports.
 */
export function readReportFile(path: string, options: ReadReportOptions = {}): ScanReport {
  const source = options.source ?? path
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_REPORT_BYTES
  const size = reportSize(path, source, maxBytes)
  const offload = size >= (options.offloadBytes ?? DEFAULT_OFFLOAD_BYTES) ? HashOffload.start() : undefined
  try {
    // Parsed inside a helper so the text is unreachable (and collectable) while findings are built.
    const { value, digest } = readJsonFile(path, source, maxBytes, offload)
    options.onDocument?.(value)
    return { ...parseReportObject(value, source, { ...options, offload }, true), digest }
  } finally {
    offload?.stop()
  }
}

function reportSize(path: string, source: string, maxBytes: number): number {
  let size: number
  try {
    const info = statSync(path)
    if (!info.isFile()) throw new BrokenInputError(source, 'the report is not a regular file')
    size = info.size
  } catch (error) {
    if (error instanceof BrokenInputError) throw error
    const code = (error as NodeJS.ErrnoException).code
    throw new BrokenInputError(
      source,
      code === 'ENOENT' ? 'the report does not exist' : `cannot read the report (${code})`
    )
  }
  if (size === 0) throw new BrokenInputError(source, 'the report is empty; the scanner probably did not run')
  if (size > maxBytes)
    throw new BrokenInputError(source, `the report is ${size} bytes, over the ${maxBytes}-byte limit`)
  return size
}

function readJsonFile(
  path: string,
  source: string,
  maxBytes: number,
  offload: HashOffload | undefined
): { value: unknown; digest: Digest } {
  const { text, digest } = readText(path, source, maxBytes, offload)
  return { value: parseJsonText(text, source), digest }
}

/**
 * The file's text and the sha256 of exactly those bytes. Hashing the bytes and then decoding them (37 MB
 * report: 50 ms) beats readFileSync(…, 'utf8') and hashing the text (100 ms); with a second thread the
 * hash is taken while the bytes are decoded. A helper of its own so the bytes are unreachable, and freed
 * by the first collection, while the text is parsed.
 */
function readText(
  path: string,
  source: string,
  maxBytes: number,
  offload: HashOffload | undefined
): { text: string; digest: Digest } {
  let bytes: Buffer
  try {
    bytes = (offload && readShared(path)) || readFileSync(path)
  } catch (error) {
    throw new BrokenInputError(source, `cannot read the report (${(error as NodeJS.ErrnoException).code})`)
  }
  // A file that grew after stat() is judged by what was actually read.
  if (bytes.length > maxBytes)
    throw new BrokenInputError(source, `the report is over the ${maxBytes}-byte limit`)
  if (isUtf16(bytes))
    throw new BrokenInputError(
      source,
      'the report is UTF-16 text; the gate reads UTF-8 only, so have the scanner write the file itself, or write it as UTF-8 (PowerShell: Out-File -Encoding utf8)'
    )
  const hashed = offload?.digest(bytes)
  const sha256 = hashed ? undefined : sha256HexOfBytes(bytes)
  const text = bytes.toString('utf8')
  return { text, digest: { sha256: sha256 ?? hashed!(), bytes: bytes.length } }
}

/**
 * A byte order mark of UTF-16, or a NUL byte beside the first character (JSON starts with an ASCII one):
 * what PowerShell's `>` writes. Decoded as UTF-8 it only failed as "truncated or malformed JSON".
 */
function isUtf16(bytes: Buffer): boolean {
  if (bytes.length < 2) return false
  const [first, second] = [bytes[0]!, bytes[1]!]
  if ((first === 0xff && second === 0xfe) || (first === 0xfe && second === 0xff)) return true
  return (first === 0) !== (second === 0)
}

/**
 * The whole file in memory the worker can read too; undefined when the file is not the size it had a
 * moment ago (it is then read the ordinary way, whatever its size now).
 */
function readShared(path: string): Buffer | undefined {
  const fd = openSync(path, 'r')
  try {
    const size = fstatSync(fd).size
    const bytes = Buffer.from(new SharedArrayBuffer(size))
    let read = 0
    while (read < size) {
      const n = readSync(fd, bytes, read, size - read, read)
      if (n === 0) return undefined
      read += n
    }
    return readSync(fd, Buffer.alloc(1), 0, 1, size) === 0 ? bytes : undefined
  } finally {
    closeSync(fd)
  }
}
