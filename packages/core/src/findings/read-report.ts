import { createHash } from 'node:crypto'
import { readFileSync, statSync } from 'node:fs'
import { BrokenInputError } from '../runtime/errors.js'
import { parseReportObject } from './detect.js'
import type { ScanReport } from './finding.js'
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
}

type Digest = NonNullable<ScanReport['digest']>

export const DEFAULT_MAX_REPORT_BYTES = 512 * 1024 * 1024

/**
 * Reads and parses one report file of any accepted format. A missing, empty, oversized or cut-off file
 * is a BrokenInputError, never an empty report. Synchronous: the actions read a handful of reports.
 */
export function readReportFile(path: string, options: ReadReportOptions = {}): ScanReport {
  const source = options.source ?? path
  // Parsed inside a helper so the text is unreachable (and collectable) while findings are built.
  const { value, digest } = readJsonFile(path, source, options.maxBytes ?? DEFAULT_MAX_REPORT_BYTES)
  options.onDocument?.(value)
  return { ...parseReportObject(value, source, options, true), digest }
}

function readJsonFile(path: string, source: string, maxBytes: number): { value: unknown; digest: Digest } {
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
  const { text, digest } = readText(path, source, maxBytes)
  return { value: parseJsonText(text, source), digest }
}

/**
 * The file's text and the sha256 of exactly those bytes. Hashing the bytes and then decoding them (37 MB
 * report: 50 ms) beats readFileSync(…, 'utf8') and hashing the text (100 ms). A helper of its own so the
 * Buffer is unreachable, and freed by the first collection, while the text is parsed.
 */
function readText(path: string, source: string, maxBytes: number): { text: string; digest: Digest } {
  let bytes: Buffer
  try {
    bytes = readFileSync(path)
  } catch (error) {
    throw new BrokenInputError(source, `cannot read the report (${(error as NodeJS.ErrnoException).code})`)
  }
  // A file that grew after stat() is judged by what was actually read.
  if (bytes.length > maxBytes)
    throw new BrokenInputError(source, `the report is over the ${maxBytes}-byte limit`)
  const digest = { sha256: createHash('sha256').update(bytes).digest('hex'), bytes: bytes.length }
  return { text: bytes.toString('utf8'), digest }
}
