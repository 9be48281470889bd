/** Escapes text for a markdown table cell or inline text without letting it open HTML or break the table. */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/\r?\n/g, ' ')
    .replace(/[\\`*_{}[\]<>|#!]/g, ch => `\\${ch}`)
    .replace(/@/g, '@\u200b')
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
