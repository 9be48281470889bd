// Lives in runtime, where runAction puts an error's words into the summary; re-exported for reports.
import { showBidiControls } from '../runtime/bidi.js'

export { escapeMarkdown } from '../runtime/job-summary.js'

/**
 * Text as an inline code span. Backslash escapes mean nothing inside a code span, so instead the fence
 * is one backtick longer than the longest run in the text (CommonMark), padded with a space when the
 * text starts or ends with a backtick. Bidi controls are shown as code points: a code span is no
 * protection against them.
 */
export function codeSpan(text: string): string {
  const flat = showBidiControls(text).replace(/\r?\n|\r/g, ' ')
  if (flat.trim() === '') return '—'
  const longest = (flat.match(/`+/g) ?? []).reduce((n, run) => Math.max(n, run.length), 0)
  const fence = '`'.repeat(longest + 1)
  const pad = flat.startsWith('`') || flat.endsWith('`') ? ' ' : ''
  return `${fence}${pad}${flat}${pad}${fence}`
}

/** A code span inside a table cell: `|` is escaped too, because GFM splits cells before it reads spans. */
export function tableCodeSpan(text: string): string {
  return codeSpan(text.replace(/\|/g, '\\|'))
}

export interface CappedListOptions {
  /** Most items listed; the rest are only counted, in an `, and N more` tail. */
  max: number
  /** Longest item, in code points, listed whole; a longer one is cut to that many and marked with `…`. */
  itemChars: number
  /** Markdown for one item, or for the part of it that is kept: escapeMarkdown, codeSpan, tableCodeSpan. */
  render: (item: string) => string
}

/**
 * A list someone else writes (a pull request, a config), joined with `, ` and bounded whatever its length:
 * at most `max` items of at most `itemChars` code points each, so it cannot push the rest of a summary past
 * GitHub's size limit. The `…` of a cut item follows its rendered part, outside any code span, so the span
 * shows only characters the item has. Empty for no items.
 */
export function cappedList(items: readonly string[], { max, itemChars, render }: CappedListOptions): string {
  const shown = items.slice(0, Math.max(max, 0)).map(item => {
    let kept = ''
    let count = 0
    // Iterating a string steps by code point, so a surrogate pair is never split.
    for (const point of item) {
      if (count === itemChars) return `${render(kept)}…`
      kept += point
      count++
    }
    return render(item)
  })
  const rest = items.length - shown.length
  if (rest === 0) return shown.join(', ')
  return shown.length > 0 ? `${shown.join(', ')}, and ${rest} more` : `${rest} more`
}

export type Cell = string | number

export function markdownTable(
  header: readonly Cell[],
  rows: readonly (readonly Cell[])[],
  align?: ('l' | 'r' | 'c')[]
): string {
  const cell = (value: Cell) => (typeof value === 'number' ? String(value) : value)
  const line = (cells: readonly Cell[]) => `| ${cells.map(cell).join(' | ')} |`
  const rule = header.map((_, i) => {
    const a = align?.[i] ?? 'l'
    return a === 'r' ? '---:' : a === 'c' ? ':---:' : '---'
  })
  return [line(header), `| ${rule.join(' | ')} |`, ...rows.map(line)].join('\n')
}

export function details(summary: string, body: string): string {
  return `<details><summary>${summary}</summary>\n\n${body}\n\n</details>`
}
