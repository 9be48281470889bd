import { closeSync, fstatSync, openSync, readSync } from 'node:fs'
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
}

export const DEFAULT_MAX_REPORT_BYTES = 512 * 1024 * 1024

/**
 * Reads and parses one report file of any accepted format. A missing, empty, oversized or cut-off file
 * is a BrokenInputError, never an empty report. Synchronous: the actions read a handful of reports.
 */
export function readReportFile(path: string, options: ReadReportOptions = {}): ScanReport {
  const source = options.source ?? path
  // Parsed inside a helper so the text is unreachable (and collectable) while findings are built.
  return parseReportObject(
    readJsonFile(path, source, options.maxBytes ?? DEFAULT_MAX_REPORT_BYTES),
    source,
    options
  )
}

function readJsonFile(path: string, source: string, maxBytes: number): unknown {
  let fd: number
  try {
    fd = openSync(path, 'r')
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    throw new BrokenInputError(
      source,
      code === 'ENOENT' ? 'the report does not exist' : `cannot open the report (${code})`
    )
  }
  try {
    const info = fstatSync(fd)
    if (!info.isFile()) throw new BrokenInputError(source, 'the report is not a regular file')
    if (info.size === 0)
      throw new BrokenInputError(source, 'the report is empty; the scanner probably did not run')
    if (info.size > maxBytes) {
      throw new BrokenInputError(source, `the report is ${info.size} bytes, over the ${maxBytes}-byte limit`)
    }
    // One byte more than allowed, so a file still growing after fstat() is refused rather than cut.
    const buffer = Buffer.allocUnsafe(Math.min(maxBytes + 1, info.size + 1))
    let length = 0
    for (;;) {
      const read = readSync(fd, buffer, length, buffer.length - length, null)
      if (read === 0) break
      length += read
      if (length === buffer.length) break
    }
    if (length > maxBytes) throw new BrokenInputError(source, `the report is over the ${maxBytes}-byte limit`)
    return parseJsonText(buffer.toString('utf8', 0, length), source)
  } finally {
    closeSync(fd)
  }
}
