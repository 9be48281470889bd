// Lives in runtime, where runAction puts an error's words into the summary; re-exported for reports.
export { escapeMarkdown } from '../runtime/job-summary.js'

/**
 * Text as an inline code span. Backslash escapes mean nothing inside a code span, so instead the fence
 * is one backtick longer than the longest run in the text (CommonMark), padded with a space when the
 * text starts or ends with a backtick.
 */
export function codeSpan(text: string): string {
  const flat = text.replace(/\r?\n|\r/g, ' ')
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
