import { appendFileSync } from 'node:fs'
import * as path from 'node:path'
import { showBidiControls } from './bidi.js'
import { writeOutputFile } from './output-files.js'

/** GitHub rejects a step summary over 1024 KiB; keep room for the overflow note. */
export const STEP_SUMMARY_LIMIT_BYTES = 1024 * 1024
const OVERFLOW_RESERVE_BYTES = 2 * 1024

export interface SummaryWriteResult {
  bytes: number
  truncated: boolean
  overflowFile?: string
}

/** Where the summary of the action run as `name` goes whole when it is over GitHub's limit. */
export function summaryOverflowFile(workspace: string, name: string): string {
  return path.join(workspace, 'secure-pipeline', `${name}-summary.md`)
}

/** Markdown sections collected during a run and written once, whatever happens, in `finally`. */
export class JobSummary {
  private readonly sections: string[] = []

  add(markdown: string): this {
    this.sections.push(markdown)
    return this
  }

  heading(text: string, level = 2): this {
    return this.add(`${'#'.repeat(level)} ${text}`)
  }

  get isEmpty(): boolean {
    return this.sections.length === 0
  }

  render(): string {
    return this.sections.join('\n\n') + '\n'
  }

  /**
   * Fits the summary under the limit by dropping whole trailing sections, and saves the
   * full text next to the other outputs so nothing is lost.
   */
  fit(limit = STEP_SUMMARY_LIMIT_BYTES): {
    text: string
    truncated: boolean
    dropped: number
    /** The first section alone was over the limit and is shown cut short. */
    cut: boolean
  } {
    const full = this.render()
    if (Buffer.byteLength(full) <= limit) return { text: full, truncated: false, dropped: 0, cut: false }
    const budget = limit - OVERFLOW_RESERVE_BYTES
    const kept: string[] = []
    let used = 0
    for (const section of this.sections) {
      const size = Buffer.byteLength(section) + 2
      if (used + size > budget) break
      kept.push(section)
      used += size
    }
    const cut = kept.length === 0
    if (cut) kept.push(truncateUtf8(this.sections[0] ?? '', budget))
    return {
      text: kept.join('\n\n') + '\n',
      truncated: true,
      dropped: this.sections.length - kept.length,
      cut
    }
  }

  /** Appends to the runner's summary file; what does not fit goes whole to `overflowPath` in the workspace. */
  write(target: string | undefined, workspace: string, overflowPath: string): SummaryWriteResult {
    const { text, truncated, dropped, cut } = this.fit()
    if (!target) return { bytes: 0, truncated }
    let body = text
    let overflowFile: string | undefined
    if (truncated) {
      writeOutputFile(workspace, overflowPath, this.render())
      overflowFile = overflowPath
      const left = cut
        ? `its first section was cut short${dropped > 0 ? ` and ${dropped} more section(s) were left out` : ''}`
        : `${dropped} section(s) were left out`
      body += `\n> The full summary is over GitHub's 1 MiB limit: ${left} here, and it is written whole to \`${path.relative(workspace, overflowPath)}\` (upload it as an artifact).\n`
    }
    appendFileSync(target, body)
    return { bytes: Buffer.byteLength(body), truncated, overflowFile }
  }
}

/**
 * Escapes text for a markdown table cell or inline text without letting it open HTML, break the table,
 * mention anyone, reach an entity or become a link: `&` is escaped first, so `&#64;user` stays text and
 * never turns back into `@user`. GFM's autolink extension links a bare `https://…` at its `://` and a bare
 * `www.…` at its `www.`, and a backslash escape consumes the character it escapes, so `\://` and `www\.`
 * (valid escapes, shown as `://` and `www.`) stop both; a zero-width space after `@` stops mentions and
 * email links. Those two escapes come after the step that escapes `\`, so their backslashes stay single.
 * GitHub links `#123`, `owner/repo#123` and `GH-123` after rendering, whatever the escapes, and each
 * link puts a "mentioned" event on that issue: a zero-width space before the number stops those too.
 * Bidi controls are shown as their code points (showBidiControls), before `[` and `]` are escaped.
 */
export function escapeMarkdown(text: string): string {
  return showBidiControls(text)
    .replace(/&/g, '&amp;')
    .replace(/\r?\n|\r/g, ' ')
    .replace(/[\\`*_{}[\]<>|#!~$]/g, ch => `\\${ch}`)
    .replace(/:\/\//g, '\\://')
    .replace(/(www)\./gi, '$1\\.')
    .replace(/@/g, '@\u200b')
    .replace(/(#|\bGH-)(?=\d)/gi, '$1\u200b')
}

export function truncateUtf8(text: string, maxBytes: number): string {
  const buffer = Buffer.from(text)
  if (buffer.length <= maxBytes) return text
  let end = maxBytes
  // Step back over UTF-8 continuation bytes so no character is cut in half.
  while (end > 0 && ((buffer[end] ?? 0) & 0xc0) === 0x80) end--
  return buffer.subarray(0, end).toString()
}
