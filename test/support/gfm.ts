import { micromark } from 'micromark'
import { gfmTable, gfmTableHtml } from 'micromark-extension-gfm-table'

/** GitHub-flavoured markdown (CommonMark + tables) as a spec-conformant parser renders it. */
export function renderGfm(markdown: string): string {
  return micromark(markdown, { extensions: [gfmTable()], htmlExtensions: [gfmTableHtml()] })
}

/** The rendered cells of every body row of the first table in `markdown`. */
export function renderedRows(markdown: string): string[][] {
  const html = renderGfm(markdown)
  const body = /<tbody>([^]*?)<\/tbody>/.exec(html)?.[1]
  if (body === undefined) throw new Error(`no table body in ${html}`)
  return [...body.matchAll(/<tr>([^]*?)<\/tr>/g)].map(row =>
    [...row[1]!.matchAll(/<td[^>]*>([^]*?)<\/td>/g)].map(c => c[1]!)
  )
}

/** Text as an HTML text node holds it. */
export const asHtmlText = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')
