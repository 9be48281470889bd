import { micromark } from 'micromark'
import { gfmAutolinkLiteral, gfmAutolinkLiteralHtml } from 'micromark-extension-gfm-autolink-literal'
import { gfmTable, gfmTableHtml } from 'micromark-extension-gfm-table'

/**
 * GitHub-flavoured markdown (CommonMark, tables and the autolinks GitHub makes of bare URLs, www. and
 * email addresses) as a spec-conformant parser renders it.
 */
export function renderGfm(markdown: string): string {
  return micromark(markdown, {
    extensions: [gfmTable(), gfmAutolinkLiteral()],
    htmlExtensions: [gfmTableHtml(), gfmAutolinkLiteralHtml()]
  })
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
